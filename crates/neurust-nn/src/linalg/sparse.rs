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
//!
//! Two kernels compute that chain, to the same bits: AVX-512 intrinsics (`sparse_avx512`), and
//! plain loops (`sparse_portable`) compiled for AVX2 and FMA, for x86-64 processors without
//! AVX-512 (most laptops), whose plain products run on the `gemm` crate.

use std::cell::RefCell;
use std::ops::Range;

use ndarray::{ArrayView2, ArrayViewMut2};

use super::kernel_runs;
use super::skip::all_finite;
use super::sparse_out::Out;
use super::sparse_rows::SparseRows;
use super::{sparse_avx512, sparse_portable};

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

/// The code that builds the lists and multiplies: both give the same bits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kernel {
    /// Intrinsics, 16 vectors of sums (`sparse_avx512`: the AVX-512 build on a processor with
    /// AVX-512F).
    Avx512,
    /// Plain loops compiled for AVX2 and FMA (`sparse_portable`: other x86-64 processors that
    /// have them, or `NEURUST_GEMM=crate`).
    Portable,
}

/// The kernel this processor runs, if any: without fused multiply-adds in hardware the chain
/// would be slow, and the plain product is left to the `gemm` crate.
pub fn kernel() -> Option<Kernel> {
    if kernel_runs() {
        Some(Kernel::Avx512)
    } else if crate::simd::has_avx2_fma() {
        Some(Kernel::Portable)
    } else {
        None
    }
}

/// `c = a·b[:, cols]` from the non-zero entries of `a`'s rows. Returns `false`, having done
/// nothing, where that does not apply: no kernel, rows of `b` or `c` not contiguous, `b`
/// narrower than [`MIN_COLS`], too many entries, or a value of `b` that is not finite. Each
/// condition is on the whole of `b`, not on the block `cols`: the blocks a thread team
/// splits a product into then take the same path at any thread count (where the plain
/// product is the `gemm` crate's, whose order of sums differs, the path decides the bits).
pub fn gemm_sparse_cols(
    a: ArrayView2<f32>,
    b: ArrayView2<f32>,
    cols: Range<usize>,
    c: ArrayViewMut2<f32>,
) -> bool {
    kernel().is_some_and(|kernel| gemm_sparse_on(kernel, a, b, cols, c))
}

/// [`gemm_sparse_cols`] on the given kernel (declined if it is AVX-512's and the processor
/// lacks AVX-512).
pub fn gemm_sparse_on(
    kernel: Kernel,
    a: ArrayView2<f32>,
    b: ArrayView2<f32>,
    cols: Range<usize>,
    mut c: ArrayViewMut2<f32>,
) -> bool {
    let (m, k) = a.dim();
    assert!(
        b.nrows() == k && cols.end <= b.ncols() && c.dim() == (m, cols.len()),
        "gemm_sparse_cols shapes"
    );
    let contiguous = b.strides()[1] == 1 && c.strides()[1] == 1;
    let runs = kernel == Kernel::Portable || crate::simd::has_avx512();
    if !runs || m == 0 || k == 0 || cols.is_empty() || b.ncols() < MIN_COLS || !contiguous {
        return false;
    }
    ROWS.with(|rows| {
        let Ok(mut lists) = rows.try_borrow_mut() else {
            return false;
        };
        let (rows, spare) = &mut *lists;
        let limit = m * k / SPARSITY;
        let filled = match kernel {
            // SAFETY: `runs` checked the processor.
            Kernel::Avx512 => unsafe { rows.fill(a, limit, spare) },
            Kernel::Portable => crate::simd::widest(
                #[inline(always)]
                || rows.fill_portable(a, limit, spare),
            ),
        };
        if !filled || !all_finite(b) {
            return false;
        }
        // SAFETY: `cols.start` is at most the columns of `b`.
        let b_block = unsafe { b.as_ptr().add(cols.start) };
        let out = Out::new(
            b_block,
            b.strides()[0],
            cols.len(),
            c.as_mut_ptr(),
            c.strides()[0],
        );
        // SAFETY: every listed column is below `k`, the rows of `b`, and there are `m`
        // lists, the rows of `c`, which is borrowed mutably; `runs` checked the processor.
        match kernel {
            Kernel::Avx512 => unsafe { sparse_avx512::product(rows, &out) },
            Kernel::Portable => crate::simd::widest(
                #[inline(always)]
                || unsafe { sparse_portable::product(rows, &out) },
            ),
        }
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
