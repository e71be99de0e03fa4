//! `GlobalAveragePooling2D`: the mean of each channel over all positions, `(h, w, c)` → `(c)`.

use ndarray::{ArrayView2, ArrayViewMut2};
use serde_json::json;

use crate::error::fmt_shape;
use crate::layers::builder::builder_methods;
use crate::layers::json::{name_from_json, shape_from_json};
use crate::layers::layer::{Layer, Mode};
use crate::{Error, Result};

/// Averages each channel over height and width, like `keras.layers.GlobalAveragePooling2D`.
///
/// ```
/// use neurust_nn::{GlobalAveragePooling2D, Layer};
/// let pool = GlobalAveragePooling2D::new();
/// assert_eq!(pool.output_shape(&[7, 7, 64]).unwrap(), vec![64]);
/// ```
#[derive(Debug, Clone, Default)]
pub struct GlobalAveragePooling2D {
    input_shape: Option<Vec<usize>>,
    name: String,
}

impl GlobalAveragePooling2D {
    /// A global average pooling layer.
    pub fn new() -> Self {
        Self::default()
    }
    builder_methods! {
        /// Declares the per-sample input shape `[height, width, channels]` of a first layer.
        input_shape;
        /// Names the layer.
        name;
    }
    pub(crate) fn from_config(c: &serde_json::Value) -> Result<Self> {
        Ok(GlobalAveragePooling2D {
            input_shape: shape_from_json(c.get("input_shape")),
            name: name_from_json(c),
        })
    }
}

impl Layer for GlobalAveragePooling2D {
    fn class_name(&self) -> &'static str {
        "GlobalAveragePooling2D"
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
        match *input {
            [h, w, c] if h * w * c > 0 => Ok(vec![c]),
            _ => Err(Error::shape(
                format!("the input of {}", self.name),
                "(n, height, width, channels), channels last",
                fmt_shape("n", input),
            )),
        }
    }
    fn forward(&mut self, x: ArrayView2<f32>, mut y: ArrayViewMut2<f32>, _mode: &mut Mode) {
        let c = y.ncols();
        let positions = x.ncols() / c.max(1);
        let scale = 1.0 / positions.max(1) as f32;
        for (x, mut y) in x.rows().into_iter().zip(y.rows_mut()) {
            y.fill(0.0);
            for (i, &v) in x.iter().enumerate() {
                y[i % c] += v;
            }
            y.mapv_inplace(|v| v * scale);
        }
    }
    fn backward(
        &mut self,
        _x: ArrayView2<f32>,
        _y: ArrayView2<f32>,
        dy: ArrayViewMut2<f32>,
        dx: Option<ArrayViewMut2<f32>>,
        _: bool,
    ) {
        let Some(mut dx) = dx else { return };
        let c = dy.ncols();
        let scale = 1.0 / (dx.ncols() / c.max(1)).max(1) as f32;
        for (dy, mut dx) in dy.rows().into_iter().zip(dx.rows_mut()) {
            for (i, v) in dx.iter_mut().enumerate() {
                *v = dy[i % c] * scale;
            }
        }
    }
    fn config(&self) -> serde_json::Value {
        json!({ "name": self.name, "input_shape": self.input_shape })
    }
}
