//! `load_model` / `Sequential::load_from_bytes`: reading back what `save` wrote.
//!
//! The file is untrusted input. Its weights are checked against the architecture in its
//! metadata before anything is built, so a config that claims absurd sizes (a Dense layer of
//! 10^12 units, an input shape of 10^9 × 10^9) is an error, not an allocation: building never
//! allocates more than the weights the file actually holds.

use std::path::Path;

use ndarray::ArrayD;
use safetensors::{Dtype, SafeTensors};
use serde_json::Value;

use super::compiled::Compiled;
use super::save::META_KEY;
use super::sequential::Sequential;
use crate::layers::{from_config, shape_from_json};
use crate::optimizers::{Optimizer, OptimizerState};
use crate::{Error, Loss, Metric, Result};

/// Reads a model written by [`Sequential::save`]: same layers, weights and compile settings
/// (the optimizer starts fresh).
///
/// ```no_run
/// let mut model = neurust_nn::load_model("mnist.safetensors")?;
/// # Ok::<(), neurust_nn::Error>(())
/// ```
pub fn load_model(path: impl AsRef<Path>) -> Result<Sequential> {
    let path = path.as_ref();
    let bytes = std::fs::read(path)
        .map_err(|e| Error::Io(format!("cannot read {}: {e}", path.display())))?;
    load(&bytes, &path.display().to_string())
}

impl Sequential {
    /// Reads a model from the bytes of a file written by [`save`](Sequential::save), as
    /// [`load_model`] does from the file.
    ///
    /// ```
    /// let err = neurust_nn::Sequential::load_from_bytes(b"not a model").err().unwrap();
    /// assert!(err.to_string().contains("not a neurust model file"));
    /// ```
    pub fn load_from_bytes(bytes: &[u8]) -> Result<Sequential> {
        load(bytes, "the data")
    }
}

/// Loads from `bytes`; `what` names them in errors.
fn load(bytes: &[u8], what: &str) -> Result<Sequential> {
    let bad = |msg: String| Error::Io(format!("{what} is not a neurust model file: {msg}"));
    let tensors = SafeTensors::deserialize(bytes).map_err(|e| bad(e.to_string()))?;
    let (_, metadata) = SafeTensors::read_metadata(bytes).map_err(|e| bad(e.to_string()))?;
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
    if let Some(dup) = model.duplicate_layer_name() {
        return Err(bad(format!(
            "two layers are named \"{dup}\" (each layer's weights are found by its name)"
        )));
    }
    // The shape the model was built for, else the one its first layer declares: either way
    // the model is built here, so the sizes must be checked here.
    let shape = shape_from_json(config.get("input_shape")).or_else(|| model.input_shape());
    if let Some(shape) = shape {
        check_sizes(&model, &shape, &tensors).map_err(|e| match e {
            Error::Io(msg) => bad(msg),
            other => other,
        })?;
        model.build_for(&shape, 0)?;
        let weights = read_weights(&model, &tensors).map_err(bad)?;
        if !weights.is_empty() {
            model.set_weights(weights)?;
        }
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

/// Before the model is built (which allocates every weight): each layer must find in the file
/// exactly as many F32 values, under tensors named `layer/…`, as its config needs for its
/// input. Shape errors in the config come back as they are; a size mismatch as `Error::Io`.
fn check_sizes(model: &Sequential, input: &[usize], tensors: &SafeTensors) -> Result<()> {
    let outputs = model.output_shapes(input)?;
    let inputs = std::iter::once(input).chain(outputs.iter().map(Vec::as_slice));
    let all = tensors.tensors();
    for (layer, input) in model.layers.iter().zip(inputs) {
        let prefix = format!("{}/", layer.name());
        let mut have = 0usize;
        for (name, tensor) in &all {
            if name
                .strip_prefix(&prefix)
                .is_none_or(|param| param.contains('/'))
            {
                continue;
            }
            if tensor.dtype() != Dtype::F32 {
                let dtype = tensor.dtype();
                return Err(Error::Io(format!(
                    "tensor {name} is {dtype:?}, expected F32"
                )));
            }
            have += tensor.data().len() / 4;
        }
        let need = layer.param_count(input);
        if need != have {
            let need = if need == usize::MAX {
                "more than this machine can address".to_string()
            } else {
                need.to_string()
            };
            return Err(Error::Io(format!(
                "layer {} needs {need} weights for its input of shape {input:?}, the file holds {have}",
                layer.name()
            )));
        }
    }
    Ok(())
}

/// The built model's weights, in order, from the file's tensors of the same names.
fn read_weights(
    model: &Sequential,
    tensors: &SafeTensors,
) -> std::result::Result<Vec<ArrayD<f32>>, String> {
    let mut weights = Vec::new();
    for layer in &model.layers {
        for p in layer.params() {
            let name = format!("{}/{}", layer.name(), p.name);
            let t = tensors
                .tensor(&name)
                .map_err(|_| format!("tensor {name} is missing"))?;
            if t.dtype() != Dtype::F32 {
                return Err(format!("tensor {name} is {:?}, expected F32", t.dtype()));
            }
            let values: Vec<f32> = t
                .data()
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            let array = ArrayD::from_shape_vec(t.shape().to_vec(), values)
                .map_err(|e| format!("tensor {name}: {e}"))?;
            weights.push(array);
        }
    }
    Ok(weights)
}
