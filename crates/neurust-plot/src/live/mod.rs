//! Live training display for `fit`: a progress bar and a per-epoch chart, updated
//! in place in the neurust kernel (its text/plain form is Keras 3's progress text); Keras's
//! progress text on standard output elsewhere.
//!
//! * [`callback`](LiveProgress): the nn progress hook driving the outputs,
//! * [`ProgressView`]: the bar's rendering (HTML and text),
//! * [`epoch_chart`]: the chart's rendering,
//! * [`Throttle`]/[`Clock`]: at most ~10 bar updates a second.

mod bar;
mod callback;
mod chart;
mod sink;
mod throttle;

pub use bar::{EpochLine, ProgressView};
pub use callback::{LiveProgress, install, progress_factory};
pub use chart::epoch_chart;
pub use sink::{KernelSink, LiveEvent, Sink};
pub use throttle::{Clock, SystemClock, Throttle};
