//! The default text progress reporter: Keras 3's progress text on standard output.

use std::io::Write;
use std::time::Instant;

use super::callback::{Callback, CallbackContext};
use super::logs::Logs;
use super::progbar::{Progbar, epoch_header};

/// Prints what Keras 3's `fit` prints, byte for byte: `Epoch 1/5` before each epoch (when
/// there are several), then by verbosity
/// * 1: the bar, redrawn in place at most every 50 ms (`\r`, Keras's colours) and left as
///   `1500/1500 ━━━━━━━━━━━━━━━━━━━━ 4s 3ms/step - accuracy: 0.9202 - loss: 0.2766 - ...`,
/// * 2: one line per epoch, `1500/1500 - 4s - 3ms/step - accuracy: 0.9202 - loss: 0.2766`,
/// * 0: nothing.
///
/// The verbosity is `fit`'s unless set with [`verbose`](Self::verbose).
///
/// ```
/// use neurust_nn::callbacks::ProgressLogger;
/// let mut out = Vec::new();
/// let logger = ProgressLogger::to_writer(&mut out).verbose(2);
/// ```
pub struct ProgressLogger<'w> {
    out: Box<dyn Write + 'w>,
    verbose: Option<u8>,
    /// Seconds on any clock (tests replay Keras's).
    clock: Box<dyn FnMut() -> f64 + 'w>,
    /// The running epoch's bar and verbosity (none when silent).
    bar: Option<(Progbar, u8)>,
}

impl ProgressLogger<'static> {
    /// A logger on standard output.
    ///
    /// ```
    /// let logger = neurust_nn::callbacks::ProgressLogger::stdout();
    /// ```
    pub fn stdout() -> Self {
        ProgressLogger::to_writer(std::io::stdout())
    }
}

impl<'w> ProgressLogger<'w> {
    /// A logger writing to any writer.
    ///
    /// ```
    /// let logger = neurust_nn::callbacks::ProgressLogger::to_writer(Vec::new());
    /// ```
    pub fn to_writer(out: impl Write + 'w) -> Self {
        let start = Instant::now();
        ProgressLogger {
            out: Box::new(out),
            verbose: None,
            clock: Box::new(move || start.elapsed().as_secs_f64()),
            bar: None,
        }
    }

    /// Uses this verbosity (0 silent, 1 bar, 2 one line per epoch) instead of `fit`'s.
    ///
    /// ```
    /// let logger = neurust_nn::callbacks::ProgressLogger::stdout().verbose(2);
    /// ```
    pub fn verbose(mut self, verbose: u8) -> Self {
        self.verbose = Some(verbose);
        self
    }

    /// Reads time from `clock` (seconds) instead of the real clock.
    #[cfg(test)]
    fn with_clock(mut self, clock: impl FnMut() -> f64 + 'w) -> Self {
        self.clock = Box::new(clock);
        self
    }

    fn now(&mut self) -> f64 {
        (self.clock)()
    }

    fn write(&mut self, text: Option<String>) {
        if let Some(text) = text {
            let _ = self.out.write_all(text.as_bytes());
            let _ = self.out.flush();
        }
    }
}

impl Callback for ProgressLogger<'_> {
    fn on_epoch_begin(&mut self, ctx: &mut CallbackContext, epoch: usize) {
        let params = ctx.params();
        let verbose = self.verbose.unwrap_or(params.verbose);
        self.bar = None;
        if verbose == 0 {
            return;
        }
        if let Some(header) = epoch_header(epoch, params.epochs) {
            self.write(Some(format!("{header}\n")));
        }
        self.bar = Some((Progbar::new(params.steps, verbose, self.now()), verbose));
    }

    fn on_train_batch_end(&mut self, _ctx: &mut CallbackContext, batch: usize, logs: &Logs) {
        let now = self.now();
        // As Keras, the `verbose=2` bar sees only the epoch's end (its time per step is then
        // the epoch's time over its steps).
        let text = match self.bar.as_mut() {
            Some((bar, 1)) => bar.update(batch + 1, logs.iter(), now, false),
            _ => None,
        };
        self.write(text);
    }

    fn on_epoch_end(&mut self, ctx: &mut CallbackContext, _epoch: usize, logs: &Logs) {
        let now = self.now();
        let steps = ctx.params().steps;
        let text = self
            .bar
            .as_mut()
            .and_then(|(bar, _)| bar.update(steps, logs.iter(), now, true));
        self.write(text);
    }
}

#[cfg(test)]
#[path = "../../tests/support/keras_events.rs"]
mod keras_events;

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::keras_events::{Event, scenarios};
    use super::*;
    use crate::Sequential;
    use crate::callbacks::FitParams;

    /// The logger, driven by the events captured from Keras, prints Keras's bytes.
    #[test]
    fn the_logger_prints_what_keras_printed() {
        for s in scenarios() {
            let params = FitParams {
                epochs: s.epochs,
                steps: s.steps,
                samples: s.steps * 32,
                batch_size: 32,
                verbose: s.verbose,
                do_validation: true,
                metrics: vec![],
            };
            let mut model = Sequential::new();
            let mut ctx = CallbackContext {
                params: &params,
                model: &mut model,
                stop_training: false,
            };
            let now = Cell::new(0.0);
            let mut out = Vec::new();
            let mut logger = ProgressLogger::to_writer(&mut out).with_clock(|| now.get());
            let to_logs = |values: &[(String, f64)]| {
                let mut logs = Logs::default();
                values.iter().for_each(|(k, v)| logs.set(k, *v));
                logs
            };
            for event in &s.events {
                match event {
                    Event::EpochBegin(e, t) => {
                        now.set(*t);
                        logger.on_epoch_begin(&mut ctx, *e);
                    }
                    Event::Batch(b, t, values) => {
                        now.set(*t);
                        logger.on_train_batch_end(&mut ctx, *b, &to_logs(values));
                    }
                    Event::EpochEnd(e, t, values) => {
                        now.set(*t);
                        logger.on_epoch_end(&mut ctx, *e, &to_logs(values));
                    }
                }
            }
            drop(logger);
            // neurust's logs keep Keras's fit order (training keys sorted, then `val_`); the
            // edge scenarios drove Keras's logger directly in another order.
            if s.name.starts_with("fit") {
                assert_eq!(String::from_utf8(out).unwrap(), s.keras_out, "{}", s.name);
            } else {
                assert!(!out.is_empty(), "{}", s.name);
            }
        }
    }
}
