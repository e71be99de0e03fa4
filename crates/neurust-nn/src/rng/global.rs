//! The global generator's state: one per process (see `crate::process`), so a seed set in one
//! notebook cell holds in the next.

use crate::process;
use std::sync::{Mutex, OnceLock};

/// The generator's words, `None` until a seed is set.
type State = Mutex<Option<[u64; 4]>>;

/// Runs `f` on the generator's state.
pub(super) fn with<R>(f: impl FnOnce(&mut Option<[u64; 4]>) -> R) -> R {
    static THIS_COPY: OnceLock<&'static State> = OnceLock::new();
    let state = process::shared(&THIS_COPY, "RNG_STATE", || Mutex::new(None));
    f(&mut state.lock().unwrap_or_else(|e| e.into_inner()))
}
