//! Pairs of layers the model runs as one pass: a `Conv2D` directly followed by a
//! `MaxPooling2D` whose windows tile its output. The convolution then pools its output chunk
//! by chunk while the chunk is in cache (`layers/conv/pooled.rs`), instead of the pooling
//! reading the whole batch's output back from memory, forward and backward. This is the one
//! place where the model looks at two layers together; each layer alone, and the pair run
//! one after the other, compute the same values.

use crate::layers::{Geometry, Layer};
use crate::{Conv2D, MaxPooling2D};

/// Per active layer (indices into `layers`, in order): the pooling's windows when that layer
/// is a convolution that pools the next active layer's output for it, else `None`.
pub(super) fn plan(layers: &mut [Box<dyn Layer>], active: &[usize]) -> Vec<Option<Geometry>> {
    let mut plan = vec![None; active.len()];
    let mut j = 0;
    while j + 1 < active.len() {
        let (c, p) = (active[j], active[j + 1]);
        let pool = (p == c + 1)
            .then(|| pool_geometry(layers[p].as_mut()))
            .flatten();
        if let Some(g) = pool
            && conv(layers[c].as_mut()).is_some_and(|conv| conv.pools_with(&g))
        {
            plan[j] = Some(g);
            j += 2;
            continue;
        }
        j += 1;
    }
    plan
}

/// The layer as a `Conv2D`, when it is one.
pub(super) fn conv(layer: &mut dyn Layer) -> Option<&mut Conv2D> {
    layer.as_any_mut()?.downcast_mut()
}

/// The windows of a `MaxPooling2D`.
fn pool_geometry(layer: &mut dyn Layer) -> Option<Geometry> {
    let pool: &mut MaxPooling2D = layer.as_any_mut()?.downcast_mut()?;
    Some(pool.geometry())
}
