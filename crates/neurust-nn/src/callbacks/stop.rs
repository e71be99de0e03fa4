//! Cooperative stopping: a handle for other threads, and a process-wide interrupt flag that a
//! signal handler may set (an atomic store is async-signal-safe).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// A flag that stops `fit` at the next batch boundary when set from anywhere.
///
/// ```
/// use neurust_nn::StopHandle;
/// let stop = StopHandle::new();
/// let remote = stop.clone();
/// std::thread::spawn(move || remote.stop()).join().unwrap();
/// assert!(stop.is_stopped());
/// ```
#[derive(Debug, Clone, Default)]
pub struct StopHandle(Arc<AtomicBool>);

impl StopHandle {
    /// An unset handle.
    pub fn new() -> Self {
        Self::default()
    }
    /// Asks training to stop.
    pub fn stop(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    /// Whether a stop was asked for.
    pub fn is_stopped(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
    /// Clears the request, so the handle can serve another `fit`.
    pub fn reset(&self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

/// The process-wide interrupt flag (one for every copy of this crate, see `crate::process`).
///
/// A signal handler must not allocate, so a handler that sets this flag should take the
/// reference first, outside the handler, and only store through it when the signal arrives.
///
/// ```
/// let flag = neurust_nn::callbacks::interrupt_flag();
/// flag.store(true, std::sync::atomic::Ordering::SeqCst);
/// assert!(neurust_nn::callbacks::take_interrupt());
/// ```
pub fn interrupt_flag() -> &'static AtomicBool {
    static THIS_COPY: OnceLock<&'static AtomicBool> = OnceLock::new();
    crate::process::shared(&THIS_COPY, "INTERRUPT", || AtomicBool::new(false))
}

/// Interrupts the running `fit` of this process at its next batch boundary; the notebook
/// kernel's interrupt button ends up here.
pub fn interrupt() {
    interrupt_flag().store(true, Ordering::SeqCst);
}

/// Takes (reads and clears) the process-wide interrupt flag.
pub fn take_interrupt() -> bool {
    interrupt_flag().swap(false, Ordering::SeqCst)
}
