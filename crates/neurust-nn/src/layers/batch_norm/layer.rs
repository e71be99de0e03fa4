//! The `BatchNormalization` layer: its configuration, build and `Layer` implementation; the
//! arithmetic is in `compute.rs`, the saved config in `config.rs`.

use ndarray::{ArrayView2, ArrayViewMut2};

use super::layout::Layout;
use super::stats::Stats;
use crate::layers::builder::builder_methods;
use crate::layers::layer::{Layer, Mode, Param};
use crate::{Initializer, Result, Rng};

/// Normalises each channel (the `axis`, default the last) to zero mean and unit variance,
/// then applies a learned scale `gamma` and offset `beta`, like
/// `keras.layers.BatchNormalization`. While training it uses the batch's mean and (biased)
/// variance and moves its `moving_mean` and `moving_variance` towards them by
/// `moving = moving * momentum + batch * (1 - momentum)`; at inference (evaluate, predict,
/// validation) it uses the moving statistics. Gamma and beta are trainable, the moving
/// statistics are not.
///
/// ```
/// use neurust_nn::{BatchNormalization, Conv2D, Dense, Flatten, Input, Sequential};
/// let mut model = Sequential::new();
/// model.add(Input::new([28, 28, 1]));
/// model.add(Conv2D::new(32, [3, 3]).use_bias(false));
/// model.add(BatchNormalization::new());
/// model.add(Flatten::new()).add(Dense::new(10).activation("softmax"));
/// let summary = model.summary();
/// assert_eq!(summary.rows[1].params, 128);
/// assert_eq!(summary.non_trainable_params, 64);
/// let custom = BatchNormalization::new().axis(-1).momentum(0.9).epsilon(1e-5).center(false);
/// ```
#[derive(Debug, Clone)]
pub struct BatchNormalization {
    pub(super) axis: isize,
    pub(super) momentum: f32,
    pub(super) epsilon: f32,
    pub(super) center: bool,
    pub(super) scale: bool,
    pub(super) gamma_init: Result<Initializer>,
    pub(super) beta_init: Result<Initializer>,
    pub(super) moving_mean_init: Result<Initializer>,
    pub(super) moving_variance_init: Result<Initializer>,
    pub(super) input_shape: Option<Vec<usize>>,
    pub(super) name: String,
    pub(super) layout: Layout,
    pub(super) gamma: Option<Param>,
    pub(super) beta: Option<Param>,
    pub(super) moving_mean: Option<Param>,
    pub(super) moving_variance: Option<Param>,
    /// The latest training batch's statistics, for backward and for `update_state`.
    pub(super) batch: Stats,
}

impl Default for BatchNormalization {
    fn default() -> Self {
        Self::new()
    }
}

impl BatchNormalization {
    /// Keras's defaults: axis -1, momentum 0.99, epsilon 1e-3, center and scale, gamma ones,
    /// beta zeros, moving mean zeros, moving variance ones.
    ///
    /// ```
    /// use neurust_nn::{BatchNormalization, Layer};
    /// let config = BatchNormalization::new().config();
    /// assert_eq!((config["axis"].as_i64(), config["momentum"].as_f64()), (Some(-1), Some(0.99)));
    /// assert_eq!(config["epsilon"].as_f64(), Some(1e-3));
    /// assert_eq!(config["moving_variance_initializer"], "ones");
    /// ```
    pub fn new() -> Self {
        BatchNormalization {
            axis: -1,
            momentum: 0.99,
            epsilon: 1e-3,
            center: true,
            scale: true,
            gamma_init: Ok(Initializer::Ones),
            beta_init: Ok(Initializer::Zeros),
            moving_mean_init: Ok(Initializer::Zeros),
            moving_variance_init: Ok(Initializer::Ones),
            input_shape: None,
            name: String::new(),
            layout: Layout::default(),
            gamma: None,
            beta: None,
            moving_mean: None,
            moving_variance: None,
            batch: Stats::default(),
        }
    }

    /// The channel axis, counting the batch axis as 0 as Keras does: -1 (default) is the last
    /// axis, the channels of `(n, h, w, c)` and the features of `(n, features)`.
    pub fn axis(mut self, axis: isize) -> Self {
        self.axis = axis;
        self
    }

    /// How much of the moving statistics a training batch keeps (default 0.99); in `[0, 1)`.
    pub fn momentum(mut self, momentum: f32) -> Self {
        self.momentum = momentum;
        self
    }

    /// Added to the variance before its square root (default 1e-3); must be positive.
    pub fn epsilon(mut self, epsilon: f32) -> Self {
        self.epsilon = epsilon;
        self
    }

    /// Whether to add the offset `beta` (default true).
    pub fn center(mut self, center: bool) -> Self {
        self.center = center;
        self
    }

    /// Whether to multiply by `gamma` (default true).
    pub fn scale(mut self, scale: bool) -> Self {
        self.scale = scale;
        self
    }

    /// How `gamma` is initialised (default ones); a value or a name.
    pub fn gamma_initializer(mut self, init: impl crate::IntoInitializer) -> Self {
        self.gamma_init = init.into_initializer();
        self
    }

    /// How `beta` is initialised (default zeros); a value or a name.
    pub fn beta_initializer(mut self, init: impl crate::IntoInitializer) -> Self {
        self.beta_init = init.into_initializer();
        self
    }

    /// How the moving mean is initialised (default zeros); a value or a name.
    pub fn moving_mean_initializer(mut self, init: impl crate::IntoInitializer) -> Self {
        self.moving_mean_init = init.into_initializer();
        self
    }

    /// How the moving variance is initialised (default ones); a value or a name.
    pub fn moving_variance_initializer(mut self, init: impl crate::IntoInitializer) -> Self {
        self.moving_variance_init = init.into_initializer();
        self
    }

    builder_methods! {
        /// Declares the per-sample input shape when this is the first layer, e.g. `[784]`.
        input_shape;
        /// Names the layer (else the model calls it "batch_normalization", ...).
        name;
    }

    /// The weights in Keras's order: gamma, beta (those present), moving mean, moving variance.
    fn weights(&self) -> impl Iterator<Item = &Param> {
        [
            &self.gamma,
            &self.beta,
            &self.moving_mean,
            &self.moving_variance,
        ]
        .into_iter()
        .flatten()
    }
}

impl Layer for BatchNormalization {
    fn class_name(&self) -> &'static str {
        "BatchNormalization"
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
        self.layout_for(input)?;
        Ok(input.to_vec())
    }

    /// Saturates at `usize::MAX` for shapes no machine could hold; 0 for a bad axis.
    fn param_count(&self, input: &[usize]) -> usize {
        let per_channel = 2 + usize::from(self.center) + usize::from(self.scale);
        self.channels(input)
            .map_or(0, |c| c.saturating_mul(per_channel))
    }

    fn non_trainable_param_count(&self, input: &[usize]) -> usize {
        self.channels(input).map_or(0, |c| c.saturating_mul(2))
    }

    fn build(&mut self, input: &[usize], rng: &mut Rng) -> Result<()> {
        let layout = self.layout_for(input)?;
        let c = layout.channels;
        let mut make = |on: bool, name: &'static str, init: &Result<Initializer>| {
            if !on {
                return Ok(None);
            }
            let mut p = Param::zeros(&self.name, name, &[c])?;
            init.clone()?.fill(p.slices().0, c, c, rng);
            Ok::<_, crate::Error>(Some(p))
        };
        let gamma = make(self.scale, "gamma", &self.gamma_init)?;
        let beta = make(self.center, "beta", &self.beta_init)?;
        let mean = make(true, "moving_mean", &self.moving_mean_init)?;
        let variance = make(true, "moving_variance", &self.moving_variance_init)?;
        self.gamma = gamma;
        self.beta = beta;
        self.moving_mean = mean.map(Param::non_trainable);
        self.moving_variance = variance.map(Param::non_trainable);
        self.layout = layout;
        self.batch = Stats::default();
        Ok(())
    }

    fn unbuild(&mut self) {
        self.gamma = None;
        self.beta = None;
        self.moving_mean = None;
        self.moving_variance = None;
        self.batch = Stats::default();
    }

    fn forward(&mut self, x: ArrayView2<f32>, y: ArrayViewMut2<f32>, mode: &mut Mode) {
        self.forward_rows(x, y, mode.training);
    }

    fn backward(
        &mut self,
        x: ArrayView2<f32>,
        _y: ArrayView2<f32>,
        dy: ArrayViewMut2<f32>,
        dx: Option<ArrayViewMut2<f32>>,
        _: bool,
    ) {
        self.backward_rows(x, dy.view(), dx);
    }

    fn update_state(&mut self) {
        self.update_moving_statistics();
    }

    fn visit_params(&mut self, f: &mut dyn FnMut(&mut Param)) {
        [
            &mut self.gamma,
            &mut self.beta,
            &mut self.moving_mean,
            &mut self.moving_variance,
        ]
        .into_iter()
        .flatten()
        .for_each(f);
    }

    fn params(&self) -> Vec<&Param> {
        self.weights().collect()
    }

    fn config(&self) -> serde_json::Value {
        self.to_config()
    }
}
