//! Products `C = A·B` whose `A` is read in place from a larger array through offsets: a
//! convolution's patch matrix (or its transpose) seen directly in the layer's input, so that
//! no patch matrix is ever written ("implicit GEMM").
//!
//! Element `(i, p)` of `A` lies at `rows[i] + segments[p / seg_len] + (p % seg_len)·step` in
//! `data`. The AVX-512 kernel is that of `avx512.rs` with this addressing: each element of
//! `C` is one sequential sum of fused multiply-adds over `p`, in order, from zero, which is
//! also what `avx512::gemm` and the `gemm` crate compute for the patch matrix written out, so
//! reading the patches in place changes no bit of the result.

use std::arch::x86_64::*;

use ndarray::{ArrayView2, ArrayViewMut2};

/// A matrix read in place from `data` (see the module's documentation).
pub struct Gathered<'a> {
    pub data: &'a [f32],
    /// Per row of `A`, its offset in `data`.
    pub rows: &'a [usize],
    /// Per run of `seg_len` columns of `A`, the offset of its first column.
    pub segments: &'a [usize],
    pub seg_len: usize,
    /// The distance in `data` between neighbouring columns of one run.
    pub step: usize,
}

impl Gathered<'_> {
    /// Columns of `A`.
    pub fn cols(&self) -> usize {
        self.segments.len() * self.seg_len
    }

    /// Whether every element lies inside `data`.
    fn in_bounds(&self) -> bool {
        let last = |v: &[usize]| v.iter().copied().max();
        match (last(self.rows), last(self.segments)) {
            (Some(r), Some(s)) if self.seg_len > 0 => {
                r + s + (self.seg_len - 1) * self.step < self.data.len()
            }
            _ => true,
        }
    }
}

/// `c = a·b`, on the calling thread; `b` and `c` need contiguous rows. Only where the
/// processor has AVX-512F ([`has_avx512`](crate::simd::has_avx512)): callers check.
pub fn gemm_gathered(a: &Gathered, b: ArrayView2<f32>, mut c: ArrayViewMut2<f32>) {
    let (m, k, n) = (a.rows.len(), a.cols(), b.ncols());
    assert!(
        b.nrows() == k && c.dim() == (m, n),
        "gathered gemm shapes {m}x{k} · {:?} -> {:?}",
        b.dim(),
        c.dim()
    );
    assert!(crate::simd::has_avx512() && a.in_bounds());
    assert!(n == 1 || (b.strides()[1] == 1 && c.strides()[1] == 1));
    if m == 0 || n == 0 {
        return;
    }
    let (b_rows, c_rows) = (b.strides()[0], c.strides()[0]);
    let (b, c) = (b.as_ptr(), c.as_mut_ptr());
    // SAFETY: checked above: the processor has AVX-512F, every element of `a` lies in
    // `data`, `b` and `c` are live views of the checked shapes and `c` is borrowed mutably.
    unsafe { product(a, k, (b, b_rows), (c, c_rows), n) }
}

#[target_feature(enable = "avx512f")]
unsafe fn product(a: &Gathered, k: usize, b: (*const f32, isize), c: (*mut f32, isize), n: usize) {
    let m = a.rows.len();
    let mut j = 0;
    while j < n {
        // Four vectors × six rows when 64 columns are left (the fewest loads per
        // multiply-add that fit the registers), else up to three vectors × eight rows.
        let left = n - j;
        let width = if left >= 64 {
            64
        } else if left > 48 {
            left.div_ceil(32) * 16
        } else {
            left
        };
        let vectors = width.div_ceil(16);
        let tail = width - 16 * (vectors - 1);
        let mask: __mmask16 = if tail == 16 { 0xFFFF } else { (1 << tail) - 1 };
        let (bj, cj) = (b.0.wrapping_add(j), c.0.wrapping_add(j));
        let mut i = 0;
        while i < m {
            let rows = m - i;
            let t = Tile {
                i,
                b: (bj, b.1),
                c: (cj, c.1),
                mask,
            };
            // SAFETY: the tile lies inside the product (the caller's contract).
            let done = unsafe {
                match (rows, vectors) {
                    (6.., 4) => t.run::<6, 4>(a, k),
                    (4.., 4) => t.run::<4, 4>(a, k),
                    (_, 4) => t.run::<1, 4>(a, k),
                    (8.., 3) => t.run::<8, 3>(a, k),
                    (8.., 2) => t.run::<8, 2>(a, k),
                    (8.., _) => t.run::<8, 1>(a, k),
                    (4.., 3) => t.run::<4, 3>(a, k),
                    (4.., 2) => t.run::<4, 2>(a, k),
                    (4.., _) => t.run::<4, 1>(a, k),
                    (_, 3) => t.run::<1, 3>(a, k),
                    (_, 2) => t.run::<1, 2>(a, k),
                    _ => t.run::<1, 1>(a, k),
                }
            };
            i += done;
        }
        j += width;
    }
}

/// Where one register tile of `C` lies: its first row `i`, `B` and `C` from its first
/// column on (with their row strides), and the valid lanes of its last vector.
struct Tile {
    i: usize,
    b: (*const f32, isize),
    c: (*mut f32, isize),
    mask: __mmask16,
}

impl Tile {
    /// Computes the `R × 16V` tile; returns `R`.
    #[inline(always)]
    unsafe fn run<const R: usize, const V: usize>(&self, a: &Gathered, k: usize) -> usize {
        // SAFETY (whole body): addresses stay inside the operands (see `gemm_gathered`); the
        // masked loads and stores touch only the lanes of columns below `n`.
        unsafe {
            let mut acc = [[_mm512_setzero_ps(); V]; R];
            let row: [*const f32; R] =
                std::array::from_fn(|r| a.data.as_ptr().add(a.rows[self.i + r]));
            let mut b = self.b.0;
            for &segment in a.segments {
                for t in 0..a.seg_len {
                    let off = segment + t * a.step;
                    let mut bv = [_mm512_setzero_ps(); V];
                    for (v, slot) in bv.iter_mut().enumerate() {
                        *slot = if v + 1 == V {
                            _mm512_maskz_loadu_ps(self.mask, b.add(16 * v))
                        } else {
                            _mm512_loadu_ps(b.add(16 * v))
                        };
                    }
                    for (r, acc) in acc.iter_mut().enumerate() {
                        let x = _mm512_set1_ps(*row[r].add(off));
                        for (slot, &bv) in acc.iter_mut().zip(&bv) {
                            *slot = _mm512_fmadd_ps(x, bv, *slot);
                        }
                    }
                    b = b.offset(self.b.1);
                }
            }
            debug_assert_eq!(k, a.segments.len() * a.seg_len);
            for (r, acc) in acc.iter().enumerate() {
                let c = self.c.0.offset((self.i + r) as isize * self.c.1);
                for (v, &sum) in acc.iter().enumerate() {
                    let lanes = if v + 1 == V { self.mask } else { 0xFFFF };
                    _mm512_mask_storeu_ps(c.add(16 * v), lanes, sum);
                }
            }
            R
        }
    }
}
