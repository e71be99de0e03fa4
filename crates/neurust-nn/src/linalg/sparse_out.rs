//! Where the sparse kernels read `B` and write `C`.

/// Where `B` and `C` lie: `B[p, j]` at `b + p·b_rows + j`, `C[i, j]` at `c + i·c_rows + j`,
/// for `j < n`.
pub struct Out {
    b: *const f32,
    b_rows: isize,
    n: usize,
    c: *mut f32,
    c_rows: isize,
}

impl Out {
    /// `B` from `b` with rows `b_rows` apart, `C` from `c` with rows `c_rows` apart, both `n`
    /// columns wide.
    pub fn new(b: *const f32, b_rows: isize, n: usize, c: *mut f32, c_rows: isize) -> Self {
        Out {
            b,
            b_rows,
            n,
            c,
            c_rows,
        }
    }

    /// How many columns.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Where row `p` of `B` starts.
    ///
    /// # Safety
    /// `p` is a row of `B`.
    #[inline(always)]
    pub unsafe fn b_row(&self, p: u32) -> *const f32 {
        // SAFETY: the caller's.
        unsafe { self.b.offset(p as isize * self.b_rows) }
    }

    /// Where row `i` of `C` starts.
    ///
    /// # Safety
    /// `i` is a row of `C`.
    #[inline(always)]
    pub unsafe fn c_row(&self, i: usize) -> *mut f32 {
        // SAFETY: the caller's.
        unsafe { self.c.offset(i as isize * self.c_rows) }
    }
}
