//! The progress callback `fit` adds: Keras's text by default, or a registered factory's.

use std::sync::{OnceLock, RwLock};

use super::callback::Callback;
use super::progress::ProgressLogger;

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
