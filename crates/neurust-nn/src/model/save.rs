//! `save` / `load_model`: one safetensors file holding the weights, with the architecture and
//! compile settings as JSON in its metadata (key `neurust`). Python's `safetensors` reads it.

use std::collections::HashMap;
use std::path::Path;

use ndarray::ArrayD;
use safetensors::{Dtype, SafeTensors, tensor::TensorView};
use serde_json::{Value, json};

use super::Sequential;
use super::compile::Compiled;
use crate::layers::from_config;
use crate::optimizers::{Optimizer, OptimizerState};
use crate::{Error, Loss, Metric, Result};

const META_KEY: &str = "neurust";

impl Sequential {
    /// Writes the model to `path` (conventionally `*.safetensors`): weights as tensors named
    /// `layer/kernel`, `layer/bias`; architecture and compile settings in the metadata. The
    /// file appears whole or not at all (written to a temporary, then renamed).
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let mut names = std::collections::HashSet::new();
        if let Some(dup) = self.layers.iter().find(|l| !names.insert(l.name())) {
            return Err(Error::invalid(format!(
                "two layers are named \"{}\"; names must be unique to save",
                dup.name()
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
        let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
        let io =
            |e: std::io::Error| Error::Io(format!("cannot write model to {}: {e}", path.display()));
        std::fs::write(&tmp, &file).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            io(e)
        })
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
}

/// Reads a model written by [`Sequential::save`]: same layers, weights and compile settings
/// (the optimizer starts fresh).
///
/// ```no_run
/// let mut model = neurust_nn::load_model("mnist.safetensors")?;
/// # Ok::<(), neurust_nn::Error>(())
/// ```
pub fn load_model(path: impl AsRef<Path>) -> Result<Sequential> {
    let path = path.as_ref();
    let bad = |msg: String| {
        Error::Io(format!(
            "{} is not a neurust model file: {msg}",
            path.display()
        ))
    };
    let bytes = std::fs::read(path)
        .map_err(|e| Error::Io(format!("cannot read {}: {e}", path.display())))?;
    let tensors = SafeTensors::deserialize(&bytes).map_err(|e| bad(e.to_string()))?;
    let (_, metadata) = SafeTensors::read_metadata(&bytes).map_err(|e| bad(e.to_string()))?;
    let text = metadata
        .metadata()
        .as_ref()
        .and_then(|m| m.get(META_KEY))
        .ok_or_else(|| bad("no \"neurust\" metadata".into()))?;
    let config: Value =
        serde_json::from_str(text).map_err(|e| bad(format!("metadata is not JSON: {e}")))?;

    let mut model = Sequential::new();
    model.name = config["name"].as_str().unwrap_or("sequential").to_string();
    for layer in config["layers"]
        .as_array()
        .ok_or_else(|| bad("no layer list".into()))?
    {
        let class = layer["class_name"]
            .as_str()
            .ok_or_else(|| bad("a layer without class_name".into()))?;
        model.layers.push(from_config(class, &layer["config"])?);
    }
    if let Some(shape) = crate::layers::shape_from_json(config.get("input_shape")) {
        model.build_for(&shape, 0)?;
        let mut weights: Vec<ArrayD<f32>> = Vec::new();
        for layer in &model.layers {
            for p in layer.params() {
                let name = format!("{}/{}", layer.name(), p.name);
                let t = tensors
                    .tensor(&name)
                    .map_err(|_| bad(format!("tensor {name} is missing")))?;
                if t.dtype() != Dtype::F32 {
                    return Err(bad(format!(
                        "tensor {name} is {:?}, expected F32",
                        t.dtype()
                    )));
                }
                let values: Vec<f32> = t
                    .data()
                    .chunks_exact(4)
                    .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                    .collect();
                let array = ArrayD::from_shape_vec(t.shape().to_vec(), values)
                    .map_err(|e| bad(format!("tensor {name}: {e}")))?;
                weights.push(array);
            }
        }
        model.set_weights(weights)?;
    }
    if let Some(c) = config.get("compile").filter(|c| !c.is_null()) {
        let optimizer: Optimizer = serde_json::from_value(c["optimizer"].clone())
            .map_err(|e| bad(format!("optimizer: {e}")))?;
        let loss: Loss = c["loss"].as_str().unwrap_or_default().parse()?;
        let metrics = c["metrics"].as_array().map_or(Ok(Vec::new()), |ms| {
            ms.iter()
                .map(|m| m.as_str().unwrap_or_default().parse::<Metric>())
                .collect::<Result<Vec<_>>>()
        })?;
        model.compiled = Some(Compiled {
            optimizer: OptimizerState::new(optimizer)?,
            loss,
            metrics,
        });
    }
    Ok(model)
}
