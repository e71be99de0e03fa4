//! The `Layer` trait every layer implements, with the `Param` tensors it owns and the `Mode` of
//! a forward pass.

use ndarray::{ArrayD, ArrayView2, ArrayViewMut2};

use crate::{Activation, Error, Result, Rng};

/// A weight tensor and its gradient, both of the same shape.
#[derive(Debug, Clone)]
pub struct Param {
    /// The Keras name of the tensor: "kernel", "bias", "gamma", "moving_mean", ...
    pub name: &'static str,
    /// The values.
    pub value: ArrayD<f32>,
    /// dLoss/dvalue from the latest backward pass; stays zero when not `trainable`.
    pub grad: ArrayD<f32>,
    /// False for a tensor the optimizers leave alone and the layer updates itself (Keras's
    /// non-trainable weights, such as BatchNormalization's moving statistics).
    pub trainable: bool,
}

impl Param {
    /// Zero values and gradient for `layer`'s tensor `name`. A size the allocator refuses (say,
    /// a mistyped `Dense::new(1_000_000_000_000)`) is an error, not an aborted process; one it
    /// grants but the memory cannot back is left to the OS (overcommit).
    pub(crate) fn zeros(layer: &str, name: &'static str, shape: &[usize]) -> Result<Self> {
        let too_big = || {
            let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
            Error::invalid(format!(
                "{layer}: its {} {name} ({} values, and as many gradients) cannot be allocated \
                 on this machine; check the layer's size",
                dims.join(" × "),
                shape.iter().map(|&d| d as f64).product::<f64>()
            ))
        };
        let zeros = || -> Option<ArrayD<f32>> {
            let n = shape.iter().try_fold(1usize, |a, &d| a.checked_mul(d))?;
            let mut values = Vec::new();
            values.try_reserve_exact(n).ok()?;
            values.resize(n, 0.0);
            ArrayD::from_shape_vec(shape, values).ok()
        };
        Ok(Param {
            name,
            value: zeros().ok_or_else(too_big)?,
            grad: zeros().ok_or_else(too_big)?,
            trainable: true,
        })
    }

    /// The same tensor marked non-trainable.
    pub(crate) fn non_trainable(mut self) -> Self {
        self.trainable = false;
        self
    }

    /// The values and gradient as flat slices (both are always in standard layout).
    pub fn slices(&mut self) -> (&mut [f32], &[f32]) {
        let v = self
            .value
            .as_slice_mut()
            .expect("parameters are contiguous");
        let g = self.grad.as_slice().expect("gradients are contiguous");
        (v, g)
    }
}

/// Whether a forward pass is for training (dropout active, batch statistics) or inference.
pub struct Mode<'a> {
    /// True inside `fit` and `train_on_batch`.
    pub training: bool,
    /// The generator for dropout masks.
    pub rng: &'a mut Rng,
}

/// One layer of a [`Sequential`](crate::Sequential) model. Activations are rows of
/// per-sample features: a batch is a matrix `(batch, features)`.
pub trait Layer: Send {
    /// The Keras class name: "Dense", "Dropout", ...
    fn class_name(&self) -> &'static str;
    /// The layer's name in the model ("dense_1"); empty until the model names it.
    fn name(&self) -> &str;
    /// Sets the name.
    fn set_name(&mut self, name: String);
    /// The per-sample input shape this layer declares (Keras's `input_shape`), if any.
    fn declared_input_shape(&self) -> Option<&[usize]> {
        None
    }
    /// The per-sample output shape for a per-sample input shape; checks names and arguments.
    fn output_shape(&self, input: &[usize]) -> Result<Vec<usize>>;
    /// How many parameters the layer has for that input shape, trainable or not.
    fn param_count(&self, _input: &[usize]) -> usize {
        0
    }
    /// How many of those are non-trainable (Keras's "Non-trainable params").
    ///
    /// ```
    /// use neurust_nn::{BatchNormalization, Dense, Layer};
    /// assert_eq!(BatchNormalization::new().non_trainable_param_count(&[26, 26, 32]), 64);
    /// assert_eq!(Dense::new(10).non_trainable_param_count(&[784]), 0);
    /// ```
    fn non_trainable_param_count(&self, _input: &[usize]) -> usize {
        0
    }
    /// Creates the weights for the input shape.
    fn build(&mut self, _input: &[usize], _rng: &mut Rng) -> Result<()> {
        Ok(())
    }
    /// Drops the weights `build` made: the model does so when a later layer fails to build,
    /// so a failed build leaves every layer as it was.
    fn unbuild(&mut self) {}
    /// True when the layer leaves its input unchanged in this mode (the model then skips it).
    fn is_identity(&self, _training: bool) -> bool {
        false
    }
    /// The activation that ends this layer, so a loss can fuse with it.
    fn output_activation(&self) -> Option<Activation> {
        None
    }
    /// Computes `y` from `x`.
    fn forward(&mut self, x: ArrayView2<f32>, y: ArrayViewMut2<f32>, mode: &mut Mode);
    /// From `dy` = dLoss/dy (which it may overwrite) stores parameter gradients and writes
    /// dLoss/dx into `dx` when asked. With `dy_is_preactivation`, `dy` is already the
    /// gradient before the layer's [output activation](Layer::output_activation).
    fn backward(
        &mut self,
        x: ArrayView2<f32>,
        y: ArrayView2<f32>,
        dy: ArrayViewMut2<f32>,
        dx: Option<ArrayViewMut2<f32>>,
        dy_is_preactivation: bool,
    );
    /// After a training step's backward pass and optimizer update: applies the updates the
    /// step makes besides the optimizer's (BatchNormalization's moving statistics, from the
    /// batch its latest training forward saw). Nothing calls it for a pass that must change
    /// nothing, such as [`loss_and_gradients`](crate::Sequential::loss_and_gradients).
    ///
    /// ```
    /// use ndarray::array;
    /// use neurust_nn::layers::{Layer, Mode};
    /// use neurust_nn::{BatchNormalization, Rng};
    /// let mut bn = BatchNormalization::new().momentum(0.5);
    /// bn.build(&[1], &mut Rng::new(0))?;
    /// let x = array![[1.0f32], [3.0]];
    /// let mut y = x.clone();
    /// bn.forward(x.view(), y.view_mut(), &mut Mode { training: true, rng: &mut Rng::new(0) });
    /// bn.update_state();
    /// let moving_mean = &bn.params()[2];
    /// assert_eq!(moving_mean.value[[0]], 1.0); // 0 · 0.5 + 2 · 0.5
    /// assert!(!moving_mean.trainable);
    /// # Ok::<(), neurust_nn::Error>(())
    /// ```
    fn update_state(&mut self) {}
    /// Visits every parameter in Keras's order (kernel, then bias; gamma, beta, moving_mean,
    /// moving_variance); the optimizers skip those that are not [`trainable`](Param::trainable).
    fn visit_params(&mut self, _f: &mut dyn FnMut(&mut Param)) {}
    /// Visits the parameters read-only, in the same order.
    fn params(&self) -> Vec<&Param> {
        Vec::new()
    }
    /// The layer's configuration as Keras-like JSON, for saving.
    fn config(&self) -> serde_json::Value;
    /// The layer as `Any`, for the layers a model may run together with their neighbour in
    /// one pass (`model/fusion.rs` says which); `None` for every other layer.
    #[doc(hidden)]
    fn as_any_mut(&mut self) -> Option<&mut dyn std::any::Any> {
        None
    }
}
