//! Callbacks: hooks that `fit` calls at the start and end of training, of each epoch and of
//! each batch. History, early stopping, NaN detection and progress reporting are callbacks;
//! a display layer plugs its live view in with [`set_progress_factory`].

mod callback;
mod early_stopping;
mod history;
mod history_callback;
mod logs;
mod progbar;
mod progress;
mod progress_factory;
mod stop;
mod terminate_on_nan;

pub use callback::{Callback, CallbackContext, FitParams};
pub use early_stopping::EarlyStopping;
pub use history::History;
pub use logs::Logs;
pub use progbar::{
    BAR_CHAR, BAR_WIDTH, Progbar, ProgbarLine, REDRAW_INTERVAL, StepTimer, epoch_header,
    format_count, format_eta, format_per_step, format_value, format_value_verbose2,
};
pub use progress::ProgressLogger;
pub use progress_factory::{ProgressFactory, set_progress_factory};
pub(crate) use progress_factory::{default_progress, progress_factory};
pub use stop::{StopHandle, interrupt, interrupt_flag, take_interrupt};
pub use terminate_on_nan::TerminateOnNaN;
