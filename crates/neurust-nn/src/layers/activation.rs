//! `Activation`: an activation function as a layer of its own.

use ndarray::{ArrayView2, ArrayViewMut2};
use serde_json::json;

use super::builder::builder_methods;
use super::json::name_from_json;
use super::layer::{Layer, Mode};
use crate::activation::ActivationSpec;
use crate::{Activation, Result};

/// Applies an activation, like `keras.layers.Activation("relu")`.
///
/// ```
/// use neurust_nn::ActivationLayer;
/// let softmax = ActivationLayer::new("softmax");
/// ```
#[derive(Debug, Clone)]
pub struct ActivationLayer {
    spec: ActivationSpec,
    resolved: Activation,
    name: String,
}

impl ActivationLayer {
    /// The layer for an activation given by value or by name.
    pub fn new(activation: impl Into<ActivationSpec>) -> Self {
        ActivationLayer {
            spec: activation.into(),
            resolved: Activation::Linear,
            name: String::new(),
        }
    }

    builder_methods! {
        /// Names the layer.
        name;
    }

    pub(crate) fn from_config(c: &serde_json::Value) -> Result<Self> {
        let act = c
            .get("activation")
            .and_then(|a| a.as_str())
            .unwrap_or("linear")
            .to_string();
        Ok(ActivationLayer::new(act).name(name_from_json(c)))
    }
}

impl Layer for ActivationLayer {
    fn class_name(&self) -> &'static str {
        "Activation"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn set_name(&mut self, name: String) {
        self.name = name;
    }
    fn output_shape(&self, input: &[usize]) -> Result<Vec<usize>> {
        self.spec.resolve()?;
        Ok(input.to_vec())
    }
    fn build(&mut self, _input: &[usize], _rng: &mut crate::Rng) -> Result<()> {
        self.resolved = self.spec.resolve()?;
        Ok(())
    }
    fn output_activation(&self) -> Option<Activation> {
        Some(self.resolved)
    }
    fn forward(&mut self, x: ArrayView2<f32>, mut y: ArrayViewMut2<f32>, _mode: &mut Mode) {
        y.assign(&x);
        self.resolved.forward(y);
    }
    fn backward(
        &mut self,
        x: ArrayView2<f32>,
        y: ArrayView2<f32>,
        mut dy: ArrayViewMut2<f32>,
        dx: Option<ArrayViewMut2<f32>>,
        dy_is_preactivation: bool,
    ) {
        if !dy_is_preactivation {
            self.resolved.backward(Some(x), y, dy.view_mut());
        }
        if let Some(mut dx) = dx {
            dx.assign(&dy);
        }
    }
    fn config(&self) -> serde_json::Value {
        let act = self.spec.to_string();
        json!({ "name": self.name, "activation": act })
    }
}
