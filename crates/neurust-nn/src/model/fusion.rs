//! Pairs of layers the model runs as one pass: a `Conv2D` directly followed by a
//! `MaxPooling2D` whose windows tile its output. The convolution then pools its output chunk
//! by chunk while the chunk is in cache (`layers/conv/pooled.rs`), instead of the pooling
//! reading the whole batch's output back from memory, forward and backward. This is the one
//! place where the model looks at two layers together; each layer alone, and the pair run
//! one after the other, compute the same values.

use ndarray::{Array2, ArrayView2, ArrayViewMut2, s};

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

/// The forward pass of a planned pair on `rows` rows of `input`: `layer` is the convolution,
/// `outputs` the buffers from its own output on (the pooling's next). The convolution's own
/// output is written only when `keep_own` (every layer's output is asked for): the backward
/// pass needs only the pooled values, and so does the layer after the pooling.
pub(super) fn forward(
    layer: &mut dyn Layer,
    pool: &Geometry,
    input: ArrayView2<f32>,
    outputs: &mut [Array2<f32>],
    rows: usize,
    keep_own: bool,
) {
    let [own, pooled, ..] = outputs else {
        unreachable!("a planned pair has two outputs")
    };
    let own = keep_own.then(|| own.slice_mut(s![..rows, ..]));
    let conv = self::conv(layer).expect("planned");
    conv.forward_pooled(pool, input, own, pooled.slice_mut(s![..rows, ..]));
}

/// The backward pass for active layer `j` (`layer`, on `input`) when it belongs to a planned
/// pair: the convolution's weight gradients and `dx` from the pooling's output (in `acts`)
/// and its gradient (in `grads_above`, the gradient buffers from layer `j` on); nothing for
/// the pooling, whose convolution did it all. Returns false, doing nothing, for other layers.
pub(super) fn backward(
    plan: &[Option<Geometry>],
    j: usize,
    layer: &mut dyn Layer,
    input: ArrayView2<f32>,
    acts: &[Array2<f32>],
    grads_above: &[Array2<f32>],
    dx: &mut Option<ArrayViewMut2<f32>>,
) -> bool {
    if j > 0 && plan[j - 1].is_some() {
        return true;
    }
    let Some(pool) = &plan[j] else {
        return false;
    };
    let rows = input.nrows();
    let pooled = acts[j + 1].slice(s![..rows, ..]);
    let dpooled = grads_above[1].slice(s![..rows, ..]);
    let conv = self::conv(layer).expect("planned");
    conv.backward_pooled(pool, input, pooled, dpooled, dx.take());
    true
}

/// The layer as a `Conv2D`, when it is one.
fn conv(layer: &mut dyn Layer) -> Option<&mut Conv2D> {
    layer.as_any_mut()?.downcast_mut()
}

/// The windows of a `MaxPooling2D`.
fn pool_geometry(layer: &mut dyn Layer) -> Option<Geometry> {
    let pool: &mut MaxPooling2D = layer.as_any_mut()?.downcast_mut()?;
    Some(pool.geometry())
}
