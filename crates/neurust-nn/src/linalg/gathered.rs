//! Products `C = A·B` whose `A` is read in place from a larger array through offsets: a
//! convolution's patch matrix (or its transpose) seen directly in the layer's input, so that
//! no patch matrix is ever written ("implicit GEMM").
//!
//! Element `(i, p)` of `A` lies at `rows[i] + segments[p / seg_len] + (p % seg_len)·step` in
//! `data`. The AVX-512 kernel is that of `avx512.rs` with this addressing: each element of
//! `C` is one sequential sum of fused multiply-adds over `p`, in order, from zero, which is
//! also what `avx512::gemm` computes for the patch matrix written out, so reading the patches
//! in place changes no bit of the result (the tests check it against the written-out product;
//! the `gemm` crate, used without AVX-512, gave the same bits on the machines measured, but
//! nothing promises that). `B`'s rows are taken a block at a time, a block small enough to
//! stay in the L1 cache while every row tile uses it; a tile's sums are stored in `C` between
//! blocks and reloaded, which rounds nothing (the chain of multiply-adds goes on exactly as in
//! registers).

use std::arch::x86_64::*;

use ndarray::{ArrayView2, ArrayViewMut2};

/// Values of `B` per block of its rows (a third of a 48 KiB L1 data cache).
const BLOCK_FLOATS: usize = 4096;

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
    unsafe { product(a, (b, b_rows), (c, c_rows), n) }
}

#[target_feature(enable = "avx512f")]
unsafe fn product(a: &Gathered, b: (*const f32, isize), c: (*mut f32, isize), n: usize) {
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
        let mask = crate::simd::first_lanes(tail);
        let per_block = (BLOCK_FLOATS / (a.seg_len * width).max(1)).max(1);
        for (block, segments) in a.segments.chunks(per_block).enumerate() {
            let first_row = (block * per_block * a.seg_len) as isize;
            let mut t = Tile {
                i: 0,
                segments,
                b: (b.0.wrapping_offset(first_row * b.1).wrapping_add(j), b.1),
                c: (c.0.wrapping_add(j), c.1),
                mask,
                resume: block > 0,
            };
            while t.i < m {
                // SAFETY: the tile lies inside the product (the caller's contract).
                t.i += unsafe {
                    match (m - t.i, vectors) {
                        (6.., 4) => t.run::<6, 4>(a),
                        (4.., 4) => t.run::<4, 4>(a),
                        (_, 4) => t.run::<1, 4>(a),
                        (8.., 3) => t.run::<8, 3>(a),
                        (8.., 2) => t.run::<8, 2>(a),
                        (8.., _) => t.run::<8, 1>(a),
                        (4.., 3) => t.run::<4, 3>(a),
                        (4.., 2) => t.run::<4, 2>(a),
                        (4.., _) => t.run::<4, 1>(a),
                        (_, 3) => t.run::<1, 3>(a),
                        (_, 2) => t.run::<1, 2>(a),
                        _ => t.run::<1, 1>(a),
                    }
                };
            }
        }
        j += width;
    }
}

/// One register tile of `C` over one block of `B`'s rows: its first row `i`, the block's
/// runs of `A`'s columns, `B` from the block's first row and the tile's first column, `C`
/// from that column (with their row strides), the valid lanes of its last vector, and
/// whether the sums go on from those an earlier block stored in `C`.
struct Tile<'a> {
    i: usize,
    segments: &'a [usize],
    b: (*const f32, isize),
    c: (*mut f32, isize),
    mask: __mmask16,
    resume: bool,
}

impl Tile<'_> {
    /// Computes the `R × 16V` tile over the block; returns `R`.
    #[inline(always)]
    unsafe fn run<const R: usize, const V: usize>(&self, a: &Gathered) -> usize {
        // SAFETY (whole body): addresses stay inside the operands (see `gemm_gathered`); the
        // masked loads and stores touch only the lanes of columns below `n`.
        unsafe {
            let lanes = |v: usize| if v + 1 == V { self.mask } else { 0xFFFF };
            let c_row = |r: usize| self.c.0.offset((self.i + r) as isize * self.c.1);
            let mut acc = [[_mm512_setzero_ps(); V]; R];
            if self.resume {
                for (r, acc) in acc.iter_mut().enumerate() {
                    for (v, slot) in acc.iter_mut().enumerate() {
                        *slot = _mm512_maskz_loadu_ps(lanes(v), c_row(r).add(16 * v));
                    }
                }
            }
            let row: [*const f32; R] =
                std::array::from_fn(|r| a.data.as_ptr().add(a.rows[self.i + r]));
            let mut b = self.b.0;
            for &segment in self.segments {
                for t in 0..a.seg_len {
                    let off = segment + t * a.step;
                    let mut bv = [_mm512_setzero_ps(); V];
                    for (v, slot) in bv.iter_mut().enumerate() {
                        *slot = _mm512_maskz_loadu_ps(lanes(v), b.add(16 * v));
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
            for (r, acc) in acc.iter().enumerate() {
                for (v, &sum) in acc.iter().enumerate() {
                    _mm512_mask_storeu_ps(c_row(r).add(16 * v), lanes(v), sum);
                }
            }
            R
        }
    }
}
