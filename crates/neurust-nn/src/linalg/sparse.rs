//! Products whose `A` is mostly zero within each row: `C = A·B` from the non-zero entries of
//! each row of `A` alone ([`SparseRows`]). In a Dense layer's forward product `x·W` a row is
//! one sample, and an MNIST digit lights about a fifth of its pixels; in the weight gradient
//! `xᵀ·dz` a row is one input, lit in about a fifth of the batch's samples. `skip` leaves out
//! only the inputs that are zero in every sample (about two fifths of them in a batch of 32);
//! this leaves out every zero entry, at the price of one load of `B` per multiply-add where
//! the register tiles of `avx512` load one per eight.
//!
//! Each element of `C` is a chain of fused multiply-adds from +0 over its row's entries in
//! ascending order: the plain product's chain with the `0·b` terms left out, which gives the
//! same values, and the same bits except the sign of a zero where a product underflows (the
//! argument is in `skip`). The product checks that every value of `B` is finite, since
//! `0·∞` is NaN, and otherwise declines.

use std::arch::x86_64::*;
use std::cell::RefCell;

use ndarray::{ArrayView2, ArrayViewMut2};

use super::kernel_runs;
use super::skip::all_finite;
use super::sparse_rows::SparseRows;

/// Narrower products leave the multiply-adds waiting on each other (fewer than four
/// independent sums per row).
const MIN_COLS: usize = 64;

/// The product applies where at most one entry of `A` in this many is non-zero.
const SPARSITY: usize = 3;

/// Lists longer than this (8 MiB of entries) are given back after the product rather than
/// kept for the next: a training step's are far shorter, one huge product's need not stay.
const KEEP_ENTRIES: usize = 1 << 20;

thread_local! {
    /// Each thread's entry lists (and scratch space for them), reused from product to product.
    static ROWS: RefCell<(SparseRows, SparseRows)> = RefCell::default();
}

/// `c = a·b` from the non-zero entries of `a`'s rows. Returns `false`, having done nothing,
/// where that does not apply: no AVX-512, rows of `b` or `c` not contiguous, fewer than
/// [`MIN_COLS`] columns, too many entries, or a value of `b` that is not finite.
pub fn gemm_sparse_rows(a: ArrayView2<f32>, b: ArrayView2<f32>, mut c: ArrayViewMut2<f32>) -> bool {
    let (m, k) = a.dim();
    let n = b.ncols();
    assert!(
        b.nrows() == k && c.dim() == (m, n),
        "gemm_sparse_rows shapes"
    );
    let contiguous = b.strides()[1] == 1 && c.strides()[1] == 1;
    if !kernel_runs() || m == 0 || k == 0 || n < MIN_COLS || !contiguous {
        return false;
    }
    ROWS.with(|rows| {
        let Ok(mut lists) = rows.try_borrow_mut() else {
            return false;
        };
        let (rows, spare) = &mut *lists;
        // SAFETY: `kernel_runs` checked the processor.
        if !unsafe { rows.fill(a, m * k / SPARSITY, spare) } || !all_finite(b) {
            return false;
        }
        let out = Out {
            b: b.as_ptr(),
            b_rows: b.strides()[0],
            n,
            c: c.as_mut_ptr(),
            c_rows: c.strides()[0],
        };
        // SAFETY: as above; every listed column is below `k`, the rows of `b`, and there are
        // `m` lists, the rows of `c`, which is borrowed mutably.
        unsafe { product(rows, &out) };
        if kept(&lists) > KEEP_ENTRIES {
            *lists = Default::default();
        }
        true
    })
}

/// How many entries the larger of a thread's two lists has room for.
fn kept((rows, spare): &(SparseRows, SparseRows)) -> usize {
    rows.capacity().max(spare.capacity())
}

/// How many entries this thread's lists keep room for between products.
#[cfg(test)]
pub fn kept_entries() -> usize {
    ROWS.with(|rows| kept(&rows.borrow()))
}

/// Where `B` and `C` lie: `B[p, j]` at `b + p·b_rows + j`, `C[i, j]` at `c + i·c_rows + j`.
struct Out {
    b: *const f32,
    b_rows: isize,
    n: usize,
    c: *mut f32,
    c_rows: isize,
}

/// Every row of `C`, in tiles of up to 256 columns (16 vectors of sums in registers).
#[target_feature(enable = "avx512f")]
unsafe fn product(rows: &SparseRows, out: &Out) {
    let mut j = 0;
    while j < out.n {
        let left = out.n - j;
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
    // stores touch only columns below `n` (see `gemm_sparse_rows`).
    unsafe {
        for i in 0..rows.rows() {
            let (cols, values) = rows.row(i);
            let mut acc = [_mm512_setzero_ps(); V];
            for (&p, &x) in cols.iter().zip(values) {
                let x = _mm512_set1_ps(x);
                let b = out.b.offset(p as isize * out.b_rows).add(j);
                for (v, sum) in acc.iter_mut().enumerate() {
                    let bv = _mm512_maskz_loadu_ps(lanes(v), b.add(16 * v));
                    *sum = _mm512_fmadd_ps(x, bv, *sum);
                }
            }
            let c = out.c.offset(i as isize * out.c_rows).add(j);
            for (v, &sum) in acc.iter().enumerate() {
                _mm512_mask_storeu_ps(c.add(16 * v), lanes(v), sum);
            }
        }
    }
}
