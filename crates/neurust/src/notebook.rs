//! Notebook set-up, run by the neurust kernel once in every user-code process, right after
//! `use neurust::prelude::*;`. What it sets is process-wide, so later cells (each with its own
//! copy of the neurust crates) need not repeat it.

use std::sync::Once;
use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};

/// Prepares the user-code process of a notebook: live training displays become the default
/// progress for `fit`, and SIGINT (the kernel's interrupt) stops a running `fit` at its next
/// batch boundary instead of killing the process, so the model and every variable survive.
/// Safe to call more than once.
///
/// ```
/// neurust::notebook::init();
/// ```
pub fn init() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        neurust_nn::share_process_state();
        neurust_plot::live::install();
        install_sigint_handler();
    });
}

/// The process-wide interrupt flag, looked up before the handler is installed: the handler
/// itself must not allocate or lock, as a first lookup might.
static FLAG: AtomicPtr<AtomicBool> = AtomicPtr::new(std::ptr::null_mut());

extern "C" fn on_sigint(_signal: libc::c_int) {
    // Atomic loads and stores only: async-signal-safe.
    let flag = FLAG.load(Ordering::SeqCst);
    if !flag.is_null() {
        // SAFETY: the pointer is a `&'static AtomicBool` stored in `install_sigint_handler`.
        unsafe { (*flag).store(true, Ordering::SeqCst) };
    }
}

fn install_sigint_handler() {
    let flag: &'static AtomicBool = neurust_nn::callbacks::interrupt_flag();
    FLAG.store(std::ptr::from_ref(flag).cast_mut(), Ordering::SeqCst);
    // SAFETY: installs a handler that only performs an atomic store; sigaction is given a
    // zeroed, then filled, struct as its documentation requires.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigint as *const () as libc::sighandler_t;
        action.sa_flags = libc::SA_RESTART;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGINT, &action, std::ptr::null_mut());
    }
}
