//! The `Callback` trait and what it is given: the `fit` parameters and a context to read and
//! change the model.

use super::logs::Logs;
use crate::Sequential;

/// What a `fit` call is doing, for callbacks that report progress.
#[derive(Debug, Clone, PartialEq)]
pub struct FitParams {
    /// Epochs requested.
    pub epochs: usize,
    /// Batches per epoch.
    pub steps: usize,
    /// Training samples per epoch (after the validation split).
    pub samples: usize,
    /// Samples per batch.
    pub batch_size: usize,
    /// 0 silent, 1 progress, 2 one line per epoch.
    pub verbose: u8,
    /// Whether epochs end with validation.
    pub do_validation: bool,
    /// The log keys of training ("loss", "accuracy", ...), without "val_".
    pub metrics: Vec<String>,
}

/// What a callback may read and change while `fit` runs.
pub struct CallbackContext<'a> {
    pub(crate) params: &'a FitParams,
    pub(crate) model: &'a mut Sequential,
    /// Set to true to end training after the current epoch (as Keras's `model.stop_training`).
    pub stop_training: bool,
}

impl CallbackContext<'_> {
    /// The parameters of this `fit` call.
    pub fn params(&self) -> &FitParams {
        self.params
    }
    /// The model being trained (for weights: `get_weights` / `set_weights`).
    pub fn model(&mut self) -> &mut Sequential {
        self.model
    }
}

/// Hooks into training; every method has an empty default.
///
/// ```
/// use neurust_nn::callbacks::{Callback, CallbackContext, Logs};
/// struct CountEpochs(usize);
/// impl Callback for CountEpochs {
///     fn on_epoch_end(&mut self, _ctx: &mut CallbackContext, _epoch: usize, _logs: &Logs) {
///         self.0 += 1;
///     }
/// }
/// ```
pub trait Callback {
    /// Before the first epoch.
    fn on_train_begin(&mut self, _ctx: &mut CallbackContext) {}
    /// Before each epoch (`epoch` counts from 0).
    fn on_epoch_begin(&mut self, _ctx: &mut CallbackContext, _epoch: usize) {}
    /// After each batch, with the running means of the epoch so far.
    fn on_train_batch_end(&mut self, _ctx: &mut CallbackContext, _batch: usize, _logs: &Logs) {}
    /// After each epoch, with the epoch's means and the validation results.
    fn on_epoch_end(&mut self, _ctx: &mut CallbackContext, _epoch: usize, _logs: &Logs) {}
    /// After training (also after an early stop or an interrupt), with the last epoch's logs.
    fn on_train_end(&mut self, _ctx: &mut CallbackContext, _logs: &Logs) {}
}

impl<C: Callback + ?Sized> Callback for &mut C {
    fn on_train_begin(&mut self, ctx: &mut CallbackContext) {
        (**self).on_train_begin(ctx)
    }
    fn on_epoch_begin(&mut self, ctx: &mut CallbackContext, epoch: usize) {
        (**self).on_epoch_begin(ctx, epoch)
    }
    fn on_train_batch_end(&mut self, ctx: &mut CallbackContext, batch: usize, logs: &Logs) {
        (**self).on_train_batch_end(ctx, batch, logs)
    }
    fn on_epoch_end(&mut self, ctx: &mut CallbackContext, epoch: usize, logs: &Logs) {
        (**self).on_epoch_end(ctx, epoch, logs)
    }
    fn on_train_end(&mut self, ctx: &mut CallbackContext, logs: &Logs) {
        (**self).on_train_end(ctx, logs)
    }
}
