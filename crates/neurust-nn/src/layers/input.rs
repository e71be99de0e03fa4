//! `Input`: Keras 3's `keras.Input(shape=...)` as the first entry of a model; it declares the
//! per-sample input shape and computes nothing (the summary does not list it, as in Keras).

use ndarray::{ArrayView2, ArrayViewMut2};
use serde_json::json;

use super::builder::builder_methods;
use super::json::{name_from_json, shape_from_json};
use super::layer::{Layer, Mode};
use crate::{Error, Result};

/// Declares the shape of one sample, e.g. `[28, 28, 1]` for MNIST digits with a channel axis.
///
/// ```
/// use neurust_nn::{Conv2D, Input, Sequential};
/// let mut model = Sequential::new();
/// model.add(Input::new([28, 28, 1])).add(Conv2D::new(8, [3, 3]));
/// assert_eq!(model.input_shape(), Some(vec![28, 28, 1]));
/// ```
#[derive(Debug, Clone)]
pub struct Input {
    shape: Vec<usize>,
    name: String,
}

impl Input {
    /// The per-sample shape, without the batch axis (Keras's `shape`).
    pub fn new(shape: impl AsRef<[usize]>) -> Self {
        Input {
            shape: shape.as_ref().to_vec(),
            name: String::new(),
        }
    }
    builder_methods! {
        /// Names the entry.
        name;
    }
    pub(crate) fn from_config(c: &serde_json::Value) -> Result<Self> {
        let shape = shape_from_json(c.get("input_shape"))
            .ok_or_else(|| Error::Io("InputLayer config lacks input_shape".into()))?;
        Ok(Input::new(shape).name(name_from_json(c)))
    }
}

impl Layer for Input {
    fn class_name(&self) -> &'static str {
        "InputLayer"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn set_name(&mut self, name: String) {
        self.name = name;
    }
    fn declared_input_shape(&self) -> Option<&[usize]> {
        Some(&self.shape)
    }
    fn output_shape(&self, input: &[usize]) -> Result<Vec<usize>> {
        Ok(input.to_vec())
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
        json!({ "name": self.name, "input_shape": self.shape })
    }
}
