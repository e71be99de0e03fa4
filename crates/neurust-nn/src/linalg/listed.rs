//! The AVX-512 kernel of [`avx512`](super::avx512) with a list in place of a range: either the
//! steps `p` of the sums are listed (`C = A[:, P]·B[P, :]`, the columns of `A` and rows of `B`
//! in `P`), or the rows of `A` and `C` are (`C[I, :] = A[I, :]·B`, other rows untouched).
//! The tiles are those of `avx512::gemm`, and each element of `C` is the same chain of fused
//! multiply-adds from +0, over the visited steps in order: a listed product is the plain one
//! with the unlisted terms or rows left out.

use std::arch::x86_64::*;

use super::avx512::{Operands, column_tile};

/// Rows of a tile, as in `avx512` (whose column tiles these are too).
const TILE_ROWS: usize = 8;

/// Which lines the product visits.
#[derive(Clone, Copy)]
pub enum Lines<'a> {
    /// The steps `p` of every sum, ascending; every row.
    Steps(&'a [u32]),
    /// The rows `i` of `A` and `C`, with every step `p < k`.
    Rows(&'a [u32]),
}

/// `C = A·B` over the listed lines, overwriting the rows of `C` it computes (`accumulate` is
/// not supported).
///
/// # Safety
/// As for [`avx512::gemm`](super::avx512::gemm), and every listed line is inside the operands.
#[target_feature(enable = "avx512f")]
pub unsafe fn gemm(op: &Operands, lines: Lines) {
    assert!(!op.accumulate, "a listed product overwrites");
    let rows = match lines {
        Lines::Steps(_) => op.m,
        Lines::Rows(list) => list.len(),
    };
    let mut j = 0;
    while j < op.n {
        let (width, vectors, mask) = column_tile(op.n - j);
        let mut i = 0;
        while i < rows {
            let r = match rows - i {
                8.. => TILE_ROWS,
                4..=7 => 4,
                _ => 1,
            };
            // SAFETY: the tile lies inside the product (the caller's contract).
            unsafe {
                match (r, vectors) {
                    (8, 3) => tile::<8, 3>(op, lines, i, j, mask),
                    (8, 2) => tile::<8, 2>(op, lines, i, j, mask),
                    (8, _) => tile::<8, 1>(op, lines, i, j, mask),
                    (4, 3) => tile::<4, 3>(op, lines, i, j, mask),
                    (4, 2) => tile::<4, 2>(op, lines, i, j, mask),
                    (4, _) => tile::<4, 1>(op, lines, i, j, mask),
                    (_, 3) => tile::<1, 3>(op, lines, i, j, mask),
                    (_, 2) => tile::<1, 2>(op, lines, i, j, mask),
                    _ => tile::<1, 1>(op, lines, i, j, mask),
                }
            }
            i += r;
        }
        j += width;
    }
}

/// The `R × 16V` tile of the `i`-th to `(i+R-1)`-th visited rows at column `j`.
#[inline(always)]
unsafe fn tile<const R: usize, const V: usize>(
    op: &Operands,
    lines: Lines,
    i: usize,
    j: usize,
    mask: __mmask16,
) {
    // SAFETY (whole body): addresses stay inside the operands (see `gemm`); the masked loads
    // and stores touch only the lanes of columns below `n`.
    unsafe {
        let row = |r: usize| match lines {
            Lines::Steps(_) => (i + r) as isize,
            Lines::Rows(list) => list[i + r] as isize,
        };
        let a: [*const f32; R] = std::array::from_fn(|r| op.a.offset(row(r) * op.a_rows));
        let lanes = |v: usize| if v + 1 == V { mask } else { 0xFFFF };
        let acc = sums::<R, V>(op, lines, &a, j, lanes);
        for (r, acc) in acc.iter().enumerate() {
            let c = op.c.offset(row(r) * op.c_rows).add(j);
            for (v, &sum) in acc.iter().enumerate() {
                _mm512_mask_storeu_ps(c.add(16 * v), lanes(v), sum);
            }
        }
    }
}

/// How many steps ahead the rows of `B` that a listed sum will use are prefetched: the list
/// jumps, so the processor's own prefetchers do not foresee them.
const AHEAD: usize = 8;

/// The tile's sums over the visited steps, with `A`'s rows at `a`.
#[inline(always)]
unsafe fn sums<const R: usize, const V: usize>(
    op: &Operands,
    lines: Lines,
    a: &[*const f32; R],
    j: usize,
    lanes: impl Fn(usize) -> __mmask16 + Copy,
) -> [[__m512; V]; R] {
    // SAFETY (whole body): as in `tile`; a prefetch of any address is harmless.
    unsafe {
        let mut acc = [[_mm512_setzero_ps(); V]; R];
        match lines {
            Lines::Steps(list) => {
                for (t, &p) in list.iter().enumerate() {
                    if let Some(&ahead) = list.get(t + AHEAD) {
                        let b =
                            op.b.wrapping_offset(ahead as isize * op.b_rows + j as isize);
                        for v in 0..V {
                            _mm_prefetch::<_MM_HINT_T0>(b.wrapping_add(16 * v).cast());
                        }
                    }
                    step(op, a, j, lanes, p as isize, &mut acc);
                }
            }
            Lines::Rows(_) => (0..op.k as isize).for_each(|p| step(op, a, j, lanes, p, &mut acc)),
        }
        acc
    }
}

/// Adds step `p`'s products to the tile's sums.
#[inline(always)]
unsafe fn step<const R: usize, const V: usize>(
    op: &Operands,
    a: &[*const f32; R],
    j: usize,
    lanes: impl Fn(usize) -> __mmask16,
    p: isize,
    acc: &mut [[__m512; V]; R],
) {
    // SAFETY (whole body): as in `tile`.
    unsafe {
        let b = op.b.offset(p * op.b_rows).add(j);
        let mut bv = [_mm512_setzero_ps(); V];
        for (v, slot) in bv.iter_mut().enumerate() {
            *slot = _mm512_maskz_loadu_ps(lanes(v), b.add(16 * v));
        }
        for (acc, a) in acc.iter_mut().zip(a) {
            let x = _mm512_set1_ps(*a.offset(p * op.a_cols));
            for (slot, &bv) in acc.iter_mut().zip(&bv) {
                *slot = _mm512_fmadd_ps(x, bv, *slot);
            }
        }
    }
}
