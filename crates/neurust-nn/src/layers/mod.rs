//! Layers: each is a config until the model builds it for an input shape, then it owns its
//! weights and gradients and runs forward and backward on batches of rows.

mod activation;
mod batch_norm;
mod conv;
mod dense;
mod dropout;
mod flatten;
mod input;
mod pooling;
mod reshape;
mod spatial;

pub use activation::ActivationLayer;
pub use batch_norm::BatchNormalization;
pub use conv::Conv2D;
pub use dense::Dense;
pub use dropout::Dropout;
pub use flatten::Flatten;
pub use input::Input;
pub use pooling::{AveragePooling2D, GlobalAveragePooling2D, MaxPooling2D};
pub use reshape::Reshape;
pub use spatial::{IntoPadding, Padding};

use ndarray::{ArrayD, ArrayView2, ArrayViewMut2, CowArray, Ix2};

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
}

/// Builds a layer from its saved class name and config.
pub fn from_config(class_name: &str, config: &serde_json::Value) -> Result<Box<dyn Layer>> {
    Ok(match class_name {
        "Dense" => Box::new(Dense::from_config(config)?),
        "BatchNormalization" => Box::new(BatchNormalization::from_config(config)?),
        "Conv2D" => Box::new(Conv2D::from_config(config)?),
        "MaxPooling2D" => Box::new(MaxPooling2D::from_config(config)?),
        "AveragePooling2D" => Box::new(AveragePooling2D::from_config(config)?),
        "GlobalAveragePooling2D" => Box::new(GlobalAveragePooling2D::from_config(config)?),
        "InputLayer" => Box::new(Input::from_config(config)?),
        "Reshape" => Box::new(Reshape::from_config(config)?),
        "Dropout" => Box::new(Dropout::from_config(config)?),
        "Flatten" => Box::new(Flatten::from_config(config)?),
        "Activation" => Box::new(ActivationLayer::from_config(config)?),
        other => {
            return Err(crate::Error::Io(format!(
                "unknown layer class \"{other}\" in model file"
            )));
        }
    })
}

pub(crate) fn shape_from_json(v: Option<&serde_json::Value>) -> Option<Vec<usize>> {
    v?.as_array()?
        .iter()
        .map(|d| d.as_u64().map(|d| d as usize))
        .collect()
}

pub(crate) fn name_from_json(config: &serde_json::Value) -> String {
    config
        .get("name")
        .and_then(|n| n.as_str())
        .unwrap_or_default()
        .to_string()
}

/// Locks a parallel part's own chunk; no other part ever holds it, so a poisoned lock (a panic
/// in another part) still guards intact data.
pub(crate) fn chunk_lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// `x` with contiguous rows, copied only when it is not already.
pub(crate) fn standard(x: ArrayView2<'_, f32>) -> CowArray<'_, f32, Ix2> {
    if x.is_standard_layout() {
        x.into()
    } else {
        x.as_standard_layout().into_owned().into()
    }
}
