//! A mutable matrix view whose disjoint blocks the parts of a thread-team job take.

use std::ops::Range;

use ndarray::{ArrayViewMut2, ShapeBuilder};

/// A mutable 2-D view whose disjoint blocks the parts of a job take.
pub struct SharedBlocks<'a> {
    ptr: *mut f32,
    rows: usize,
    cols: usize,
    strides: (usize, usize),
    _life: std::marker::PhantomData<ArrayViewMut2<'a, f32>>,
}

// SAFETY: only `block` hands out views, and its callers take disjoint blocks.
unsafe impl Sync for SharedBlocks<'_> {}

impl<'a> SharedBlocks<'a> {
    /// Wraps `view` for the duration of one job.
    pub fn new(mut view: ArrayViewMut2<'a, f32>) -> Self {
        let s = view.strides();
        assert!(s[0] >= 0 && s[1] >= 0, "negative strides are not supported");
        let strides = (s[0] as usize, s[1] as usize);
        let (rows, cols) = view.dim();
        SharedBlocks {
            ptr: view.as_mut_ptr(),
            rows,
            cols,
            strides,
            _life: std::marker::PhantomData,
        }
    }

    /// The rows `r` of the columns `c`.
    ///
    /// # Safety
    /// Views from different calls must not share elements while both are alive.
    pub unsafe fn block(&self, r: Range<usize>, c: Range<usize>) -> ArrayViewMut2<'a, f32> {
        assert!(r.start <= r.end && r.end <= self.rows && c.start <= c.end && c.end <= self.cols);
        let shape = (r.len(), c.len()).strides(self.strides);
        let offset = r.start * self.strides.0 + c.start * self.strides.1;
        // SAFETY: the block lies inside the wrapped view (asserted); the caller keeps blocks
        // disjoint.
        unsafe { ArrayViewMut2::from_shape_ptr(shape, self.ptr.add(offset)) }
    }

    /// All rows of the columns `c`.
    ///
    /// # Safety
    /// As for [`block`](Self::block).
    pub unsafe fn cols(&self, c: Range<usize>) -> ArrayViewMut2<'a, f32> {
        // SAFETY: the caller's promise.
        unsafe { self.block(0..self.rows, c) }
    }
}
