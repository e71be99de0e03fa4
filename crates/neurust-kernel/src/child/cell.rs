//! The running cell, as the rest of the user-code process sees it: whether user code runs now
//! (the command loop says, the relay asks), and a flush of its stdout (both use it).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Where the start-up cell leaves the address of its stdout-flushing function.
pub const FLUSH_VAR: &str = "NEURUST_FLUSH_STDOUT";

static CELL_RUNNING: AtomicBool = AtomicBool::new(false);

/// Called by the command loop around each cell's function.
pub fn set_running(running: bool) {
    CELL_RUNNING.store(running, Ordering::SeqCst);
}

/// Whether user code is running (a cell's function has not returned yet).
pub fn cell_running() -> bool {
    CELL_RUNNING.load(Ordering::SeqCst)
}

/// Flushes user code's stdout. Cells link their own copy of the standard library, whose
/// stdout buffers text up to a newline; the kernel's start-up cell (`kernel/preload.rs`) leaves a
/// function that flushes it in [`FLUSH_VAR`].
pub fn flush_user_stdout() {
    static ADDRESS: AtomicUsize = AtomicUsize::new(0);
    let mut address = ADDRESS.load(Ordering::SeqCst);
    if address == 0 {
        address = std::env::var(FLUSH_VAR)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        ADDRESS.store(address, Ordering::SeqCst);
    }
    if address != 0 {
        // SAFETY: the address is that of an `extern "C" fn()` in the start-up cell's library,
        // which is never unloaded; only the kernel's start-up code sets the variable.
        let flush = unsafe { std::mem::transmute::<usize, extern "C" fn()>(address) };
        flush();
    }
}
