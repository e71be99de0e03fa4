//! `save`: one safetensors file holding the weights, with the architecture and compile
//! settings as JSON in its metadata (key `neurust`). Python's `safetensors` reads it; `load.rs`
//! reads it back.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use safetensors::{Dtype, tensor::TensorView};
use serde_json::{Value, json};

use super::sequential::Sequential;
use crate::{Error, Result};

/// The metadata key holding the architecture and compile settings.
pub(super) const META_KEY: &str = "neurust";

impl Sequential {
    /// Writes the model to `path` (conventionally `*.safetensors`): weights as tensors named
    /// `layer/kernel`, `layer/bias` (`layer/gamma`, `layer/beta`, `layer/moving_mean`,
    /// `layer/moving_variance` for BatchNormalization); architecture and compile settings in the metadata. The
    /// file appears whole or not at all (written to a temporary, flushed, then renamed; on
    /// failure the temporary is removed and an existing file under `path` is kept).
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        if let Some(dup) = self.duplicate_layer_name() {
            return Err(Error::invalid(format!(
                "two layers are named \"{dup}\"; names must be unique to save"
            )));
        }
        let bytes: Vec<(String, Vec<usize>, Vec<u8>)> = self
            .layers
            .iter()
            .flat_map(|l| l.params().into_iter().map(move |p| (l, p)))
            .map(|(l, p)| {
                let data: Vec<u8> = p.value.iter().flat_map(|v| v.to_le_bytes()).collect();
                (
                    format!("{}/{}", l.name(), p.name),
                    p.value.shape().to_vec(),
                    data,
                )
            })
            .collect();
        let views = bytes
            .iter()
            .map(|(n, s, d)| TensorView::new(Dtype::F32, s.clone(), d).map(|v| (n.clone(), v)))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| Error::Io(format!("cannot encode weights: {e}")))?;
        let meta = HashMap::from([(META_KEY.to_string(), self.config().to_string())]);
        let file = safetensors::serialize(views, Some(meta))
            .map_err(|e| Error::Io(format!("cannot encode weights: {e}")))?;
        super::atomic::write_atomically(path, |out| out.write_all(&file))
            .map_err(|e| Error::Io(format!("cannot write model to {}: {e}", path.display())))
    }

    fn config(&self) -> Value {
        let layers: Vec<Value> = self
            .layers
            .iter()
            .map(|l| json!({"class_name": l.class_name(), "config": l.config()}))
            .collect();
        let compile = self.compiled.as_ref().map(|c| {
            json!({
                "optimizer": c.optimizer.config,
                "loss": c.loss.name(),
                "metrics": c.metrics.iter().map(|m| m.key()).collect::<Vec<_>>(),
            })
        });
        json!({"format_version": 1, "name": self.name, "input_shape": self.input_shape(), "layers": layers, "compile": compile})
    }

    /// The first layer name used twice: a file names its weights `layer/param`, so names
    /// must be unique to save, and a file that repeats one is refused by the loader.
    pub(super) fn duplicate_layer_name(&self) -> Option<&str> {
        let mut names = std::collections::HashSet::new();
        self.layers
            .iter()
            .map(|l| l.name())
            .find(|name| !names.insert(*name))
    }
}
