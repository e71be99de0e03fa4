//! Helpers the layers' forward and backward passes share: contiguous rows, per-part locks.

use ndarray::{ArrayView2, CowArray, Ix2};

/// Locks a parallel part's own chunk; no other part ever holds it, so a poisoned lock (a panic
/// in another part) still guards intact data.
pub(crate) fn chunk_lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// `x` with contiguous rows, copied only when it is not already.
pub(crate) fn standard(x: ArrayView2<'_, f32>) -> CowArray<'_, f32, Ix2> {
    if x.is_standard_layout() {
        x.into()
    } else {
        x.as_standard_layout().into_owned().into()
    }
}
