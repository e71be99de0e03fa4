//! `Reshape`: gives each sample a new shape with the same number of values, as
//! `keras.layers.Reshape` (one dimension may be -1, inferred).

use ndarray::{ArrayView2, ArrayViewMut2};
use serde_json::json;

use super::builder::builder_methods;
use super::json::name_from_json;
use super::layer::{Layer, Mode};
use crate::error::fmt_shape;
use crate::{Error, Result};

/// Reshapes each sample to `target_shape` (row-major order, as NumPy and Keras). Batches are
/// rows of values, so like [`Flatten`](crate::Flatten) it moves no data.
///
/// ```
/// use neurust_nn::{Layer, Reshape};
/// let r = Reshape::new([28, 28, 1]);
/// assert_eq!(r.output_shape(&[784]).unwrap(), vec![28, 28, 1]);
/// assert_eq!(Reshape::new([-1, 4]).output_shape(&[2, 6]).unwrap(), vec![3, 4]);
/// ```
#[derive(Debug, Clone)]
pub struct Reshape {
    target: Vec<i64>,
    input_shape: Option<Vec<usize>>,
    name: String,
}

impl Reshape {
    /// The per-sample shape to produce; at most one entry may be -1 (inferred).
    pub fn new(target_shape: impl AsRef<[i64]>) -> Self {
        Reshape {
            target: target_shape.as_ref().to_vec(),
            input_shape: None,
            name: String::new(),
        }
    }
    builder_methods! {
        /// Declares the per-sample input shape of a first layer.
        input_shape;
        /// Names the layer.
        name;
    }
    pub(crate) fn from_config(c: &serde_json::Value) -> Result<Self> {
        let target = c
            .get("target_shape")
            .and_then(|v| v.as_array())
            .and_then(|a| a.iter().map(|d| d.as_i64()).collect::<Option<Vec<i64>>>())
            .ok_or_else(|| Error::Io("Reshape config lacks target_shape".into()))?;
        let mut r = Reshape::new(target).name(name_from_json(c));
        r.input_shape = super::json::shape_from_json(c.get("input_shape"));
        Ok(r)
    }
}

impl Layer for Reshape {
    fn class_name(&self) -> &'static str {
        "Reshape"
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
        let bad = |why: &str| {
            Error::invalid(format!(
                "{}: cannot reshape an input of shape {} to {:?}: {why}",
                self.name,
                fmt_shape("n", input),
                self.target
            ))
        };
        let size = size.ok_or_else(|| bad("it has more values than this machine can address"))?;
        let unknown = self.target.iter().filter(|&&d| d == -1).count();
        if unknown > 1 || self.target.iter().any(|&d| d == 0 || d < -1) {
            return Err(bad("dimensions must be positive, with at most one -1"));
        }
        let known = self
            .target
            .iter()
            .filter(|&&d| d > 0)
            .try_fold(1usize, |n, &d| n.checked_mul(usize::try_from(d).ok()?))
            .ok_or_else(|| bad("the target holds too many values"))?;
        let fill = match unknown {
            0 if known == size => 1,
            1 if size.is_multiple_of(known) => size / known,
            _ => return Err(bad(&format!("the input holds {size} values per sample"))),
        };
        Ok(self
            .target
            .iter()
            .map(|&d| if d == -1 { fill } else { d as usize })
            .collect())
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
        json!({ "name": self.name, "target_shape": self.target, "input_shape": self.input_shape })
    }
}
