//! The `Conv2D` layer: its configuration, build and `Layer` implementation; the arithmetic is in
//! `compute.rs`, the buffers it keeps between batches in `work.rs`.

use ndarray::{ArrayView2, ArrayViewMut2};
use serde_json::json;

use super::work::Work;
use crate::activation::ActivationSpec;
use crate::layers::builder::builder_methods;
use crate::layers::json::{name_from_json, shape_from_json};
use crate::layers::layer::{Layer, Mode, Param};
use crate::layers::spatial::{Geometry, Padding, pair_from_json};
use crate::{Activation, Error, Initializer, Result, Rng};

/// A 2-D convolution layer, like `keras.layers.Conv2D` (channels last): `filters` kernels of
/// `kernel_size`, stored as Keras stores them, `(kh, kw, in_channels, filters)`.
///
/// ```
/// use neurust_nn::Conv2D;
/// let first = Conv2D::new(32, [3, 3]).activation("relu").input_shape([28, 28, 1]);
/// let strided = Conv2D::new(64, [3, 3]).strides([2, 2]).padding("same").use_bias(false);
/// ```
#[derive(Debug, Clone)]
pub struct Conv2D {
    pub(super) filters: usize,
    pub(super) kernel_size: [usize; 2],
    pub(super) strides: [usize; 2],
    pub(super) padding: Result<Padding>,
    pub(super) activation: ActivationSpec,
    pub(super) kernel_init: Result<Initializer>,
    pub(super) bias_init: Result<Initializer>,
    pub(super) use_bias: bool,
    pub(super) input_shape: Option<Vec<usize>>,
    pub(super) name: String,
    pub(super) resolved: Activation,
    pub(super) geometry: Geometry,
    pub(super) kernel: Option<Param>,
    pub(super) bias: Option<Param>,
    pub(super) work: Work,
}

impl Conv2D {
    /// `filters` output channels from windows of `kernel_size`; strides 1, "valid" padding,
    /// linear activation, glorot-uniform kernel, zero bias (Keras's defaults).
    pub fn new(filters: usize, kernel_size: [usize; 2]) -> Self {
        Conv2D {
            filters,
            kernel_size,
            strides: [1, 1],
            padding: Ok(Padding::Valid),
            activation: ActivationSpec::Typed(Activation::Linear),
            kernel_init: Ok(Initializer::GlorotUniform),
            bias_init: Ok(Initializer::Zeros),
            use_bias: true,
            input_shape: None,
            name: String::new(),
            resolved: Activation::Linear,
            geometry: Geometry::default(),
            kernel: None,
            bias: None,
            work: Work::default(),
        }
    }

    builder_methods! {
        /// The activation, by value or by name ("relu", ...).
        activation;
        /// The step between windows along height and width (default `[1, 1]`).
        strides;
        /// `"valid"` (default: no padding) or `"same"` (zero padding, `ceil(in / stride)` outputs).
        padding;
        /// How the kernel is initialised (default glorot_uniform); a value or a name.
        kernel_initializer;
        /// How the bias is initialised (default zeros); a value or a name.
        bias_initializer;
        /// Whether the layer adds a bias per filter (default true).
        use_bias;
        /// Declares the per-sample input shape `[height, width, channels]` of a first layer.
        input_shape;
        /// Names the layer (else the model calls it "conv2d", "conv2d_1", ...).
        name;
    }

    pub(crate) fn from_config(c: &serde_json::Value) -> Result<Self> {
        let bad = |what: &str| Error::Io(format!("Conv2D config lacks {what}"));
        let filters = c.get("filters").and_then(|u| u.as_u64());
        let filters = filters.ok_or_else(|| bad("filters"))?;
        let kernel = pair_from_json(c.get("kernel_size")).ok_or_else(|| bad("kernel_size"))?;
        let text = |k: &str, d: &str| c.get(k).and_then(|v| v.as_str()).unwrap_or(d).to_string();
        let mut layer = Conv2D::new(usize::try_from(filters).unwrap_or(usize::MAX), kernel)
            .strides(pair_from_json(c.get("strides")).unwrap_or([1, 1]))
            .padding(text("padding", "valid"))
            .activation(text("activation", "linear"))
            .kernel_initializer(text("kernel_initializer", "glorot_uniform").as_str())
            .bias_initializer(text("bias_initializer", "zeros").as_str())
            .use_bias(c.get("use_bias").and_then(|b| b.as_bool()).unwrap_or(true));
        layer.input_shape = shape_from_json(c.get("input_shape"));
        layer.name = name_from_json(c);
        Ok(layer)
    }

    /// Checks the arguments and lays out the windows for a per-sample input shape.
    fn geometry_for(&self, input: &[usize]) -> Result<Geometry> {
        self.activation.resolve()?;
        self.kernel_init.clone()?;
        self.bias_init.clone()?;
        let padding = self.padding.clone()?;
        if self.filters == 0 {
            return Err(Error::invalid(format!(
                "{}: Conv2D needs at least one filter, got 0",
                self.name
            )));
        }
        Geometry::new(
            &self.name,
            "kernel",
            input,
            self.kernel_size,
            self.strides,
            padding,
        )
    }

    /// Rows of the kernel matrix: `kh · kw · in_channels`.
    pub(super) fn fan_in(&self, g: &Geometry) -> usize {
        self.kernel_size[0] * self.kernel_size[1] * g.channels
    }
}

impl Layer for Conv2D {
    fn class_name(&self) -> &'static str {
        "Conv2D"
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
        let g = self.geometry_for(input)?;
        Ok(vec![g.h.output, g.w.output, self.filters])
    }

    /// Saturates at `usize::MAX` for shapes no machine could hold.
    fn param_count(&self, input: &[usize]) -> usize {
        let Some(&channels) = input.last() else {
            return 0;
        };
        let bias = if self.use_bias { self.filters } else { 0 };
        [self.kernel_size[0], self.kernel_size[1], channels]
            .iter()
            .try_fold(self.filters, |n, &d| n.checked_mul(d))
            .and_then(|n| n.checked_add(bias))
            .unwrap_or(usize::MAX)
    }

    fn build(&mut self, input: &[usize], rng: &mut Rng) -> Result<()> {
        let g = self.geometry_for(input)?;
        self.resolved = self.activation.resolve()?;
        let [kh, kw] = self.kernel_size;
        let (fan_in, fan_out) = (self.fan_in(&g), kh * kw * self.filters);
        let mut kernel = Param::zeros(&self.name, "kernel", &[kh, kw, g.channels, self.filters])?;
        self.kernel_init
            .clone()?
            .fill(kernel.slices().0, fan_in, fan_out, rng);
        self.bias = if self.use_bias {
            let mut bias = Param::zeros(&self.name, "bias", &[self.filters])?;
            self.bias_init
                .clone()?
                .fill(bias.slices().0, fan_in, fan_out, rng);
            Some(bias)
        } else {
            None
        };
        self.kernel = Some(kernel);
        self.geometry = g;
        Ok(())
    }

    fn unbuild(&mut self) {
        self.kernel = None;
        self.bias = None;
    }

    /// Softmax runs over the channels of each position, so it cannot fuse with a loss that
    /// sees the whole flattened output as one distribution.
    fn output_activation(&self) -> Option<Activation> {
        (self.resolved != Activation::Softmax).then_some(self.resolved)
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

    fn as_any_mut(&mut self) -> Option<&mut dyn std::any::Any> {
        Some(self)
    }

    fn config(&self) -> serde_json::Value {
        json!({
            "name": self.name,
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding.as_ref().map_or("valid", |p| p.name()),
            "activation": self.activation.to_string(),
            "use_bias": self.use_bias,
            "kernel_initializer": self.kernel_init.as_ref().map_or("glorot_uniform", |i| i.name()),
            "bias_initializer": self.bias_init.as_ref().map_or("zeros", |i| i.name()),
            "input_shape": self.input_shape,
        })
    }
}
