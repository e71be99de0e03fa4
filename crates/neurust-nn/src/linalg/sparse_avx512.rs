//! The sparse product of [`sparse`](super::sparse) on AVX-512: up to 16 vectors of sums per
//! row in registers, each entry's row of `B` loaded once per vector.

use std::arch::x86_64::*;

use super::sparse_out::Out;
use super::sparse_rows::SparseRows;

/// Every row of `C`, in tiles of up to 256 columns (16 vectors of sums in registers).
#[target_feature(enable = "avx512f")]
pub unsafe fn product(rows: &SparseRows, out: &Out) {
    let mut j = 0;
    while j < out.n() {
        let left = out.n() - j;
        let vectors = match left {
            256.. => 16,
            128.. => 8,
            64.. => 4,
            32.. => 2,
            _ => 1,
        };
        let width = left.min(16 * vectors);
        let tail = width - 16 * (vectors - 1);
        let mask = crate::simd::first_lanes(tail);
        // SAFETY: the tile's columns are below `n`.
        unsafe {
            match vectors {
                16 => tile::<16>(rows, out, j, mask),
                8 => tile::<8>(rows, out, j, mask),
                4 => tile::<4>(rows, out, j, mask),
                2 => tile::<2>(rows, out, j, mask),
                _ => tile::<1>(rows, out, j, mask),
            }
        }
        j += width;
    }
}

/// Columns `j..j + 16V` of every row (`mask`: the valid lanes of the last vector).
#[inline(always)]
unsafe fn tile<const V: usize>(rows: &SparseRows, out: &Out, j: usize, mask: __mmask16) {
    let lanes = |v: usize| if v + 1 == V { mask } else { 0xFFFF };
    // SAFETY (whole body): the entries' columns are rows of `B`, and the masked loads and
    // stores touch only columns below `n` (see `sparse::gemm_sparse_on`).
    unsafe {
        for i in 0..rows.rows() {
            let (cols, values) = rows.row(i);
            let mut acc = [_mm512_setzero_ps(); V];
            for (&p, &x) in cols.iter().zip(values) {
                let x = _mm512_set1_ps(x);
                let b = out.b_row(p).add(j);
                for (v, sum) in acc.iter_mut().enumerate() {
                    let bv = _mm512_maskz_loadu_ps(lanes(v), b.add(16 * v));
                    *sum = _mm512_fmadd_ps(x, bv, *sum);
                }
            }
            let c = out.c_row(i).add(j);
            for (v, &sum) in acc.iter().enumerate() {
                _mm512_mask_storeu_ps(c.add(16 * v), lanes(v), sum);
            }
        }
    }
}
