//! Cooperative stopping: a handle for other threads, and a process-wide interrupt flag that a
//! signal handler may set (an atomic store is async-signal-safe).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

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

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Interrupts the running `fit` of this process at its next batch boundary. Safe to call from
/// a signal handler; the notebook kernel wires its interrupt button here.
pub fn interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Takes (reads and clears) the process-wide interrupt flag.
pub fn take_interrupt() -> bool {
    INTERRUPTED.swap(false, Ordering::SeqCst)
}
