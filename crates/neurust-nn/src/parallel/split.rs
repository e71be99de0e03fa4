//! How the parts of a job divide their data: ranges by part, and a slice they share.

/// The half-open range of `0..len` that `part` of `parts` owns, in blocks of `align`.
pub fn split_range(len: usize, part: usize, parts: usize, align: usize) -> std::ops::Range<usize> {
    let blocks = len.div_ceil(align);
    let start = (blocks * part / parts * align).min(len);
    let end = (blocks * (part + 1) / parts * align).min(len);
    start..end
}

/// A mutable slice that parts of a [`run_parts`](super::run_parts) job may split by disjoint ranges.
pub struct SharedMut<'a, T> {
    ptr: *mut T,
    len: usize,
    _life: std::marker::PhantomData<&'a mut [T]>,
}

// SAFETY: access goes through `range`, whose caller promises disjoint ranges across threads.
unsafe impl<T: Send> Sync for SharedMut<'_, T> {}

impl<'a, T> SharedMut<'a, T> {
    /// Wraps a slice for the duration of one job.
    pub fn new(slice: &'a mut [T]) -> Self {
        SharedMut {
            ptr: slice.as_mut_ptr(),
            len: slice.len(),
            _life: std::marker::PhantomData,
        }
    }

    /// The elements `r` of the slice.
    ///
    /// # Safety
    /// No two live results may overlap (each part of a job takes its own range).
    #[allow(clippy::mut_from_ref)]
    pub unsafe fn range(&self, r: std::ops::Range<usize>) -> &mut [T] {
        assert!(r.start <= r.end && r.end <= self.len);
        unsafe { std::slice::from_raw_parts_mut(self.ptr.add(r.start), r.end - r.start) }
    }
}
