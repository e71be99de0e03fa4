//! Keras 3's progress text (`keras.utils.Progbar`), reimplemented: the same lines, byte for
//! byte, for the same steps, values and times (tested against output captured from Keras in
//! `tests/fixtures/progbar`).
//!
//! * [`format`](format_value): values, the time left, the time per step, the count,
//! * [`ProgbarLine`]: one line, plain, coloured or `verbose=2`,
//! * [`StepTimer`]: the time-per-step estimate,
//! * [`Progbar`]: an epoch's bar on a given clock, with Keras's redraw rules.

mod format;
mod line;
mod stream;
mod timer;

pub use format::{format_count, format_eta, format_per_step, format_value, format_value_verbose2};
pub use line::{BAR_CHAR, BAR_WIDTH, ProgbarLine};
pub use stream::{Progbar, REDRAW_INTERVAL};
pub use timer::StepTimer;

/// The line Keras prints before each epoch when `fit` runs more than one (`None` for one).
///
/// ```
/// use neurust_nn::callbacks::epoch_header;
/// assert_eq!(epoch_header(0, 5).as_deref(), Some("Epoch 1/5"));
/// assert_eq!(epoch_header(0, 1), None);
/// ```
pub fn epoch_header(epoch: usize, epochs: usize) -> Option<String> {
    (epochs > 1).then(|| format!("Epoch {}/{epochs}", epoch + 1))
}
