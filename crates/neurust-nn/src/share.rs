//! When the process-wide values (`process.rs`) are published: all at once in a notebook, before
//! any user code runs, so two copies of this crate never race to publish the same value; on
//! first use elsewhere. The list of those values lives here, apart from `process.rs`, so that
//! module stays a leaf the value-keeping modules use without it calling back into them.

/// Publishes now every value this crate shares between its copies in one process: the random
/// seed, the interrupt flag, the progress display, the save counter and the worker threads.
/// A notebook kernel calls it at start-up, before user code runs (elsewhere each value is
/// published on its first use, which is as good in a program with one copy of this crate).
///
/// ```
/// neurust_nn::share_process_state();
/// assert!(std::env::vars().any(|(name, _)| name.starts_with("NEURUST_RNG_STATE_V")));
/// ```
pub fn share_process_state() {
    crate::rng::share_state();
    crate::callbacks::interrupt_flag();
    crate::callbacks::progress_factory();
    crate::model::atomic::sequence();
    crate::parallel::start_team();
}
