//! The `Dense` layer: its configuration, build and `Layer` implementation; the arithmetic is in
//! `compute.rs`.

use ndarray::{Array2, ArrayView2, ArrayViewMut2, Ix2};
use serde_json::json;

use crate::activation::ActivationSpec;
use crate::layers::builder::builder_methods;
use crate::layers::json::{name_from_json, shape_from_json};
use crate::layers::layer::{Layer, Mode, Param};
use crate::{Activation, Error, Initializer, Result, Rng};

/// A fully connected layer, like `keras.layers.Dense`.
///
/// ```
/// use neurust_nn::{Activation, Dense, Initializer};
/// let hidden = Dense::new(256).activation("relu");
/// let out = Dense::new(10).activation(Activation::Softmax).kernel_initializer(Initializer::HeNormal);
/// let no_bias = Dense::new(3).use_bias(false);
/// ```
#[derive(Debug, Clone)]
pub struct Dense {
    pub(super) units: usize,
    pub(super) activation: ActivationSpec,
    pub(super) kernel_init: Result<Initializer>,
    pub(super) bias_init: Result<Initializer>,
    pub(super) use_bias: bool,
    pub(super) input_shape: Option<Vec<usize>>,
    pub(super) name: String,
    pub(super) resolved: Activation,
    pub(super) kernel: Option<Param>,
    pub(super) bias: Option<Param>,
    /// The pre-activation, kept only for activations whose backward needs it.
    pub(super) z: Array2<f32>,
}

impl Dense {
    /// A layer with `units` outputs, linear activation, glorot-uniform kernel, zero bias.
    pub fn new(units: usize) -> Self {
        Dense {
            units,
            activation: ActivationSpec::Typed(Activation::Linear),
            kernel_init: Ok(Initializer::GlorotUniform),
            bias_init: Ok(Initializer::Zeros),
            use_bias: true,
            input_shape: None,
            name: String::new(),
            resolved: Activation::Linear,
            kernel: None,
            bias: None,
            z: Array2::zeros((0, 0)),
        }
    }

    builder_methods! {
        /// The activation, by value or by name ("relu", "softmax", ...).
        activation;
        /// How the kernel is initialised (default glorot_uniform); a value or a name.
        kernel_initializer;
        /// How the bias is initialised (default zeros); a value or a name.
        bias_initializer;
        /// Whether the layer adds a bias (default true).
        use_bias;
        /// Declares the per-sample input shape when this is the first layer, e.g. `[784]`.
        input_shape;
        /// Names the layer (else the model calls it "dense", "dense_1", ...).
        name;
    }

    pub(crate) fn from_config(c: &serde_json::Value) -> Result<Self> {
        let units = c
            .get("units")
            .and_then(|u| u.as_u64())
            .ok_or_else(|| Error::Io("Dense config lacks units".into()))?;
        let text = |k: &str, d: &str| c.get(k).and_then(|v| v.as_str()).unwrap_or(d).to_string();
        let mut d = Dense::new(units as usize)
            .activation(text("activation", "linear"))
            .kernel_initializer(text("kernel_initializer", "glorot_uniform").as_str())
            .bias_initializer(text("bias_initializer", "zeros").as_str())
            .use_bias(c.get("use_bias").and_then(|b| b.as_bool()).unwrap_or(true));
        d.input_shape = shape_from_json(c.get("input_shape"));
        d.name = name_from_json(c);
        Ok(d)
    }

    pub(super) fn kernel2(&self) -> ArrayView2<'_, f32> {
        let k = self.kernel.as_ref().expect("Dense is built before use");
        k.value
            .view()
            .into_dimensionality::<Ix2>()
            .expect("kernel is 2-D")
    }
}

impl Layer for Dense {
    fn class_name(&self) -> &'static str {
        "Dense"
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
        self.activation.resolve()?;
        self.kernel_init.clone()?;
        self.bias_init.clone()?;
        if self.units == 0 {
            return Err(Error::invalid(format!(
                "{}: Dense needs at least one unit, got 0",
                self.name
            )));
        }
        match input {
            [_] => Ok(vec![self.units]),
            _ => Err(Error::shape(
                format!("the input of {}", self.name),
                "(n, features): add Flatten() before Dense",
                crate::error::fmt_shape("n", input),
            )),
        }
    }

    /// Saturates at `usize::MAX` for shapes no machine could hold.
    fn param_count(&self, input: &[usize]) -> usize {
        let bias = if self.use_bias { self.units } else { 0 };
        input
            .iter()
            .try_fold(self.units, |n, &d| n.checked_mul(d))
            .and_then(|n| n.checked_add(bias))
            .unwrap_or(usize::MAX)
    }

    fn build(&mut self, input: &[usize], rng: &mut Rng) -> Result<()> {
        self.output_shape(input)?;
        self.resolved = self.activation.resolve()?;
        let fan_in = input[0];
        let mut kernel = Param::zeros(&self.name, "kernel", &[fan_in, self.units])?;
        let (values, _) = kernel.slices();
        self.kernel_init
            .clone()?
            .fill(values, fan_in, self.units, rng);
        self.kernel = Some(kernel);
        self.bias = if self.use_bias {
            let mut bias = Param::zeros(&self.name, "bias", &[self.units])?;
            self.bias_init
                .clone()?
                .fill(bias.slices().0, fan_in, self.units, rng);
            Some(bias)
        } else {
            None
        };
        Ok(())
    }

    fn unbuild(&mut self) {
        self.kernel = None;
        self.bias = None;
    }

    fn output_activation(&self) -> Option<Activation> {
        Some(self.resolved)
    }

    fn forward(&mut self, x: ArrayView2<f32>, y: ArrayViewMut2<f32>, _mode: &mut Mode) {
        self.forward_rows(x, y);
    }

    fn backward(
        &mut self,
        x: ArrayView2<f32>,
        y: ArrayView2<f32>,
        dy: ArrayViewMut2<f32>,
        dx: Option<ArrayViewMut2<f32>>,
        dy_is_preactivation: bool,
    ) {
        self.backward_rows(x, y, dy, dx, dy_is_preactivation);
    }

    fn visit_params(&mut self, f: &mut dyn FnMut(&mut Param)) {
        self.kernel
            .iter_mut()
            .chain(self.bias.iter_mut())
            .for_each(f);
    }

    fn params(&self) -> Vec<&Param> {
        self.kernel.iter().chain(self.bias.iter()).collect()
    }

    fn config(&self) -> serde_json::Value {
        let activation = self.activation.to_string();
        json!({
            "name": self.name,
            "units": self.units,
            "activation": activation,
            "use_bias": self.use_bias,
            "kernel_initializer": self.kernel_init.as_ref().map_or("glorot_uniform", |i| i.name()),
            "bias_initializer": self.bias_init.as_ref().map_or("zeros", |i| i.name()),
            "input_shape": self.input_shape,
        })
    }
}
