//! `Flatten`: a per-sample shape such as `[28, 28]` becomes `[784]`.

use ndarray::{ArrayView2, ArrayViewMut2};
use serde_json::json;

use super::builder::builder_methods;
use super::json::{name_from_json, shape_from_json};
use super::layer::{Layer, Mode};
use crate::{Error, Result};

/// Flattens each sample to a vector. Models keep batches as `(batch, features)` rows, so this
/// layer moves no data: it declares the input shape and changes the shape the model reports.
///
/// ```
/// use neurust_nn::Flatten;
/// let first = Flatten::new().input_shape([28, 28]);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Flatten {
    input_shape: Option<Vec<usize>>,
    name: String,
}

impl Flatten {
    /// A flatten layer.
    pub fn new() -> Self {
        Flatten::default()
    }

    builder_methods! {
        /// Declares the per-sample input shape, e.g. `[28, 28]` for MNIST.
        input_shape;
        /// Names the layer.
        name;
    }

    pub(crate) fn from_config(c: &serde_json::Value) -> Result<Self> {
        Ok(Flatten {
            input_shape: shape_from_json(c.get("input_shape")),
            name: name_from_json(c),
        })
    }
}

impl Layer for Flatten {
    fn class_name(&self) -> &'static str {
        "Flatten"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn set_name(&mut self, name: String) {
        self.name = name;
    }
    fn declared_input_shape(&self) -> Option<&[usize]> {
        self.input_shape.as_deref()
    }
    fn output_shape(&self, input: &[usize]) -> Result<Vec<usize>> {
        let size = input.iter().try_fold(1usize, |n, &d| n.checked_mul(d));
        match size {
            Some(size) if size <= isize::MAX as usize => Ok(vec![size]),
            _ => Err(Error::invalid(format!(
                "{}: an input of shape {input:?} has more values than this machine can address",
                self.name
            ))),
        }
    }
    fn is_identity(&self, _training: bool) -> bool {
        true
    }
    fn forward(&mut self, x: ArrayView2<f32>, mut y: ArrayViewMut2<f32>, _mode: &mut Mode) {
        y.assign(&x);
    }
    fn backward(
        &mut self,
        _x: ArrayView2<f32>,
        _y: ArrayView2<f32>,
        dy: ArrayViewMut2<f32>,
        dx: Option<ArrayViewMut2<f32>>,
        _: bool,
    ) {
        if let Some(mut dx) = dx {
            dx.assign(&dy);
        }
    }
    fn config(&self) -> serde_json::Value {
        json!({ "name": self.name, "input_shape": self.input_shape })
    }
}
