//! Notebook set-up, run by the neurust kernel right after `use neurust::prelude::*;`.

use std::sync::Once;

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
        neurust_plot::live::install();
        install_sigint_handler();
    });
}

extern "C" fn on_sigint(_signal: libc::c_int) {
    // An atomic store: async-signal-safe.
    neurust_nn::callbacks::interrupt();
}

fn install_sigint_handler() {
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
