//! The default text progress reporter: Keras's one line per epoch.

use std::io::Write;
use std::time::{Duration, Instant};

use super::{Callback, CallbackContext, Logs};

/// Prints `Epoch 1/5` and, when the epoch ends,
/// `1500/1500 - 0.3s - 200us/step - accuracy: 0.9202 - loss: 0.2766 - val_accuracy: ...`.
///
/// ```
/// use neurust_nn::callbacks::ProgressLogger;
/// let mut out = Vec::new();
/// let logger = ProgressLogger::to_writer(&mut out);
/// ```
pub struct ProgressLogger<'w> {
    out: Box<dyn Write + 'w>,
    started: Instant,
    steps_done: usize,
}

impl ProgressLogger<'static> {
    /// A logger on standard output.
    pub fn stdout() -> Self {
        ProgressLogger::to_writer(std::io::stdout())
    }
}

impl<'w> ProgressLogger<'w> {
    /// A logger writing to any writer.
    pub fn to_writer(out: impl Write + 'w) -> Self {
        ProgressLogger {
            out: Box::new(out),
            started: Instant::now(),
            steps_done: 0,
        }
    }
}

/// Formats one epoch's line as Keras does (after its `Epoch i/n` header).
///
/// ```
/// use std::time::Duration;
/// use neurust_nn::callbacks::{format_epoch_line, Logs};
/// let mut logs = Logs::new(&["loss", "accuracy"]);
/// logs.set("loss", 0.2766);
/// logs.set("accuracy", 0.9202);
/// let line = format_epoch_line(1500, 1500, Duration::from_millis(300), &logs);
/// assert_eq!(line, "1500/1500 - 0.3s - 200us/step - accuracy: 0.9202 - loss: 0.2766");
/// ```
pub fn format_epoch_line(
    steps_done: usize,
    steps: usize,
    elapsed: Duration,
    logs: &Logs,
) -> String {
    let secs = elapsed.as_secs_f64();
    let total = if secs < 10.0 {
        format!("{secs:.1}s")
    } else {
        format!("{secs:.0}s")
    };
    let per_step = secs / steps_done.max(1) as f64;
    let per_step = if per_step >= 1.0 {
        format!("{per_step:.0}s/step")
    } else if per_step >= 1e-3 {
        format!("{:.0}ms/step", per_step * 1e3)
    } else {
        format!("{:.0}us/step", per_step * 1e6)
    };
    let width = steps.to_string().len();
    let mut line = format!("{steps_done:>width$}/{steps} - {total} - {per_step}");
    let values = logs.to_string();
    if !values.is_empty() {
        line.push_str(" - ");
        line.push_str(&values);
    }
    line
}

impl Callback for ProgressLogger<'_> {
    fn on_epoch_begin(&mut self, ctx: &mut CallbackContext, epoch: usize) {
        let _ = writeln!(self.out, "Epoch {}/{}", epoch + 1, ctx.params().epochs);
        let _ = self.out.flush();
        self.started = Instant::now();
        self.steps_done = 0;
    }

    fn on_train_batch_end(&mut self, _ctx: &mut CallbackContext, batch: usize, _logs: &Logs) {
        self.steps_done = batch + 1;
    }

    fn on_epoch_end(&mut self, ctx: &mut CallbackContext, _epoch: usize, logs: &Logs) {
        let line = format_epoch_line(
            self.steps_done,
            ctx.params().steps,
            self.started.elapsed(),
            logs,
        );
        let _ = writeln!(self.out, "{line}");
        let _ = self.out.flush();
    }
}
