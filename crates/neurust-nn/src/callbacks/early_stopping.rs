//! `EarlyStopping`: stop when a monitored value has stopped improving.

use ndarray::ArrayD;

use super::callback::{Callback, CallbackContext};
use super::logs::Logs;

/// Ends training once `monitor` has not improved by more than `min_delta` for `patience`
/// epochs; optionally puts back the best epoch's weights. Defaults are Keras's.
///
/// ```
/// use neurust_nn::EarlyStopping;
/// let stop = EarlyStopping::new("val_loss").patience(2).min_delta(1e-3).restore_best_weights(true);
/// ```
#[derive(Debug, Clone)]
pub struct EarlyStopping {
    monitor: String,
    min_delta: f64,
    patience: usize,
    restore_best: bool,
    maximize: bool,
    wait: usize,
    best: f64,
    best_weights: Option<Vec<ArrayD<f32>>>,
    /// The epoch at which training was stopped (0-based), if it was.
    pub stopped_epoch: Option<usize>,
    /// The epoch with the best monitored value.
    pub best_epoch: Option<usize>,
}

impl EarlyStopping {
    /// Monitors `monitor` ("val_loss", "val_accuracy", ...); accuracies are maximised,
    /// everything else minimised.
    pub fn new(monitor: &str) -> Self {
        let maximize = monitor.contains("acc");
        EarlyStopping {
            monitor: monitor.to_string(),
            min_delta: 0.0,
            patience: 0,
            restore_best: false,
            maximize,
            wait: 0,
            best: 0.0,
            best_weights: None,
            stopped_epoch: None,
            best_epoch: None,
        }
    }
    /// Epochs without improvement to allow (default 0).
    pub fn patience(mut self, epochs: usize) -> Self {
        self.patience = epochs;
        self
    }
    /// The smallest change that counts as an improvement (default 0).
    pub fn min_delta(mut self, delta: f64) -> Self {
        self.min_delta = delta.abs();
        self
    }
    /// Whether to restore the best epoch's weights when stopping (default false).
    pub fn restore_best_weights(mut self, on: bool) -> Self {
        self.restore_best = on;
        self
    }
    /// Maximise instead of minimise (Keras's `mode="max"`).
    pub fn mode_max(mut self, on: bool) -> Self {
        self.maximize = on;
        self
    }

    fn improves(&self, value: f64) -> bool {
        if self.maximize {
            value - self.min_delta > self.best
        } else {
            value + self.min_delta < self.best
        }
    }
}

impl Callback for EarlyStopping {
    fn on_train_begin(&mut self, _ctx: &mut CallbackContext) {
        self.wait = 0;
        self.best = if self.maximize {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
        self.best_weights = None;
        self.stopped_epoch = None;
        self.best_epoch = None;
    }

    fn on_epoch_end(&mut self, ctx: &mut CallbackContext, epoch: usize, logs: &Logs) {
        let Some(value) = logs.get(&self.monitor) else {
            let keys: Vec<&str> = logs.iter().map(|(k, _)| k).collect();
            eprintln!(
                "EarlyStopping: \"{}\" is not in the logs (available: {})",
                self.monitor,
                keys.join(", ")
            );
            return;
        };
        self.wait += 1;
        if self.improves(value) {
            self.best = value;
            self.best_epoch = Some(epoch);
            self.wait = 0;
            if self.restore_best {
                self.best_weights = Some(ctx.model().get_weights());
            }
            return;
        }
        if self.wait >= self.patience && epoch > 0 {
            self.stopped_epoch = Some(epoch);
            ctx.stop_training = true;
            if let Some(best) = self.best_weights.take() {
                // The weights came from this very model, so their shapes match.
                let _ = ctx.model().set_weights(best);
            }
        }
    }
}
