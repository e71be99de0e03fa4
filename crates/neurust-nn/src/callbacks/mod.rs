//! Callbacks: hooks that `fit` calls at the start and end of training, of each epoch and of
//! each batch. History, early stopping, NaN detection and progress reporting are callbacks;
//! a display layer plugs its live view in with [`set_progress_factory`].

mod early_stopping;
mod history;
mod logs;
mod progbar;
mod progress;
mod stop;
mod terminate_on_nan;

pub use early_stopping::EarlyStopping;
pub use history::History;
pub use logs::Logs;
pub use progbar::{
    BAR_CHAR, BAR_WIDTH, Progbar, ProgbarLine, REDRAW_INTERVAL, StepTimer, epoch_header,
    format_count, format_eta, format_per_step, format_value, format_value_verbose2,
};
pub use progress::ProgressLogger;
pub use stop::{StopHandle, interrupt, interrupt_flag, take_interrupt};
pub use terminate_on_nan::TerminateOnNaN;

use std::sync::{OnceLock, RwLock};

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

/// Makes the progress callback that `fit` adds for a verbosity (`None`: no progress).
pub type ProgressFactory = fn(verbose: u8) -> Option<Box<dyn Callback>>;

/// The registered factory, one per process (see `crate::process`): a notebook registers its
/// live display once, at start-up, and every later cell's `fit` finds it.
pub(crate) fn progress_factory() -> &'static RwLock<Option<ProgressFactory>> {
    static THIS_COPY: OnceLock<&'static RwLock<Option<ProgressFactory>>> = OnceLock::new();
    crate::process::shared(&THIS_COPY, "PROGRESS_FACTORY", || RwLock::new(None))
}

/// Replaces the default progress reporter (Keras's text, [`ProgressLogger`]) for later `fit` calls;
/// a notebook display registers its live view here.
pub fn set_progress_factory(factory: ProgressFactory) {
    *progress_factory()
        .write()
        .unwrap_or_else(|e| e.into_inner()) = Some(factory);
}

/// The progress callback for a verbosity: the registered factory's, else [`ProgressLogger`].
pub(crate) fn default_progress(verbose: u8) -> Option<Box<dyn Callback>> {
    if verbose == 0 {
        return None;
    }
    match *progress_factory().read().unwrap_or_else(|e| e.into_inner()) {
        Some(factory) => factory(verbose),
        None => Some(Box::new(ProgressLogger::stdout())),
    }
}
