//! `TerminateOnNaN`: ends training when the loss stops being a number. `fit` adds it by default.

use super::callback::{Callback, CallbackContext};
use super::logs::Logs;

/// Stops training after a batch whose running loss is NaN or infinite, and says so on stderr.
///
/// ```
/// use neurust_nn::TerminateOnNaN;
/// let cb = TerminateOnNaN::default();
/// assert_eq!(cb.stopped_at, None);
/// ```
#[derive(Debug, Clone, Default)]
pub struct TerminateOnNaN {
    /// `(epoch, batch)` where training was stopped, if it was.
    pub stopped_at: Option<(usize, usize)>,
    epoch: usize,
}

impl Callback for TerminateOnNaN {
    fn on_epoch_begin(&mut self, _ctx: &mut CallbackContext, epoch: usize) {
        self.epoch = epoch;
    }

    fn on_train_batch_end(&mut self, ctx: &mut CallbackContext, batch: usize, logs: &Logs) {
        if self.stopped_at.is_none() && logs.get("loss").is_some_and(|l| !l.is_finite()) {
            eprintln!(
                "Batch {batch} of epoch {}: invalid loss, terminating training (try a smaller \
                 learning rate, or check the inputs are scaled, e.g. divided by 255)",
                self.epoch + 1
            );
            self.stopped_at = Some((self.epoch, batch));
            ctx.stop_training = true;
        }
    }
}
