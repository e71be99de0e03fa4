//! An AVX-512 kernel for the skinny products of a training step: `C = A·B` (or `C += A·B`)
//! where `B` and `C` have contiguous rows and `A` has any strides, without packing anything.
//!
//! Each register tile holds `R` rows × `V` vectors of 16 columns of `C` (at most 8 × 3 = 24
//! of the 32 vector registers) and runs the whole `k` loop: per step it loads `V` vectors of
//! one row of `B` and broadcasts `R` elements of `A`. `B`'s rows are read where they lie, so
//! the forward product `X·W` and the weight gradient `Xᵀ·dZ` need no copy, and each element
//! of `C` is one sequential sum over `k`: the result does not depend on how columns are split.

use std::arch::x86_64::*;

/// Rows of a register tile.
const TILE_ROWS: usize = 8;
/// Columns of a register tile (three vectors of 16).
const TILE_COLS: usize = 48;

/// Raw operands of one product; the safety contract is on [`gemm`].
#[derive(Clone, Copy)]
pub struct Operands {
    pub m: usize,
    pub k: usize,
    pub n: usize,
    /// `A[i, p]` is at `a + i·a_rows + p·a_cols`.
    pub a: *const f32,
    pub a_rows: isize,
    pub a_cols: isize,
    /// `B[p, j]` is at `b + p·b_rows + j`.
    pub b: *const f32,
    pub b_rows: isize,
    /// `C[i, j]` is at `c + i·c_rows + j`.
    pub c: *mut f32,
    pub c_rows: isize,
    /// Add to `C` instead of overwriting it.
    pub accumulate: bool,
}

/// Computes the product described by `op`.
///
/// # Safety
/// The processor has AVX-512F ([`has_avx512`](crate::simd::has_avx512)); every address the
/// strides describe for `i < m`, `p < k`, `j < n` lies in a live allocation; `C` does not
/// overlap `A` or `B`.
#[target_feature(enable = "avx512f")]
pub unsafe fn gemm(op: &Operands) {
    let mut j = 0;
    while j < op.n {
        let (width, vectors, mask) = column_tile(op.n - j);
        let mut i = 0;
        while i < op.m {
            let rows = (op.m - i).min(TILE_ROWS);
            // SAFETY: the tile lies inside the product (the caller's contract).
            unsafe {
                match (rows, vectors) {
                    (8, 3) => tile::<8, 3>(op, i, j, mask),
                    (8, 2) => tile::<8, 2>(op, i, j, mask),
                    (8, _) => tile::<8, 1>(op, i, j, mask),
                    (4..=7, 3) => tile::<4, 3>(op, i, j, mask),
                    (4..=7, 2) => tile::<4, 2>(op, i, j, mask),
                    (4..=7, _) => tile::<4, 1>(op, i, j, mask),
                    (_, 3) => tile::<1, 3>(op, i, j, mask),
                    (_, 2) => tile::<1, 2>(op, i, j, mask),
                    _ => tile::<1, 1>(op, i, j, mask),
                }
            }
            i += match rows {
                8 => 8,
                4..=7 => 4,
                _ => 1,
            };
        }
        j += width;
    }
}

/// The next tile's columns when `left` columns are left: its width, its vectors of 16 and
/// the valid lanes of its last vector. 64 columns left run as 32 + 32 rather than 48 + a
/// 16-column tile, whose one vector per step leaves the loads, not the multiply-adds, as the
/// bottleneck.
pub(super) fn column_tile(left: usize) -> (usize, usize, __mmask16) {
    let width = if left > TILE_COLS && left < 2 * TILE_COLS {
        left.div_ceil(32) * 16
    } else {
        left.min(TILE_COLS)
    };
    let vectors = width.div_ceil(16);
    let tail = width - 16 * (vectors - 1);
    let mask = crate::simd::first_lanes(tail);
    (width, vectors, mask)
}

/// One `R × 16V` tile of `C` at row `i`, column `j`; `mask` selects the valid lanes of the
/// last vector.
#[inline(always)]
unsafe fn tile<const R: usize, const V: usize>(op: &Operands, i: usize, j: usize, mask: __mmask16) {
    // SAFETY (whole body): addresses stay inside the operands (see `gemm`); the masked
    // loads and stores touch only the lanes of columns below `n`.
    unsafe {
        let mut acc = [[_mm512_setzero_ps(); V]; R];
        let mut a = op.a.offset(i as isize * op.a_rows);
        let mut b = op.b.add(j);
        for _ in 0..op.k {
            let mut bv = [_mm512_setzero_ps(); V];
            for (v, slot) in bv.iter_mut().enumerate() {
                *slot = if v + 1 == V {
                    _mm512_maskz_loadu_ps(mask, b.add(16 * v))
                } else {
                    _mm512_loadu_ps(b.add(16 * v))
                };
            }
            for (r, row) in acc.iter_mut().enumerate() {
                let x = _mm512_set1_ps(*a.offset(r as isize * op.a_rows));
                for (slot, &bv) in row.iter_mut().zip(&bv) {
                    *slot = _mm512_fmadd_ps(x, bv, *slot);
                }
            }
            a = a.offset(op.a_cols);
            b = b.offset(op.b_rows);
        }
        for (r, row) in acc.iter().enumerate() {
            let c = op.c.offset((i + r) as isize * op.c_rows).add(j);
            for (v, &sum) in row.iter().enumerate() {
                let lanes = if v + 1 == V { mask } else { 0xFFFF };
                let out = c.add(16 * v);
                let sum = if op.accumulate {
                    _mm512_add_ps(_mm512_maskz_loadu_ps(lanes, out), sum)
                } else {
                    sum
                };
                _mm512_mask_storeu_ps(out, lanes, sum);
            }
        }
    }
}
