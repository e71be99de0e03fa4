//! A mutable matrix view whose disjoint column blocks the parts of a thread-team job take.

use std::ops::Range;

use ndarray::{ArrayViewMut2, ShapeBuilder};

/// A mutable 2-D view whose disjoint column blocks the parts of a job take.
pub struct SharedCols<'a> {
    ptr: *mut f32,
    rows: usize,
    cols: usize,
    strides: (usize, usize),
    _life: std::marker::PhantomData<ArrayViewMut2<'a, f32>>,
}

// SAFETY: only `cols` hands out views, and its callers take disjoint ranges.
unsafe impl Sync for SharedCols<'_> {}

impl<'a> SharedCols<'a> {
    /// Wraps `view` for the duration of one job.
    pub fn new(mut view: ArrayViewMut2<'a, f32>) -> Self {
        let s = view.strides();
        assert!(s[0] >= 0 && s[1] >= 0, "negative strides are not supported");
        let strides = (s[0] as usize, s[1] as usize);
        let (rows, cols) = view.dim();
        SharedCols {
            ptr: view.as_mut_ptr(),
            rows,
            cols,
            strides,
            _life: std::marker::PhantomData,
        }
    }

    /// The columns `r`.
    ///
    /// # Safety
    /// Views from different calls must not share columns while both are alive.
    pub unsafe fn cols(&self, r: Range<usize>) -> ArrayViewMut2<'a, f32> {
        assert!(r.end <= self.cols);
        let shape = (self.rows, r.len()).strides(self.strides);
        unsafe { ArrayViewMut2::from_shape_ptr(shape, self.ptr.add(r.start * self.strides.1)) }
    }
}
