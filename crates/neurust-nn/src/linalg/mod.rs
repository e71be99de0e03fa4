//! Matrix products, split across the thread team so that each core runs one single-threaded
//! product and then its own epilogue (bias, activation) while the block is still in cache: by
//! output columns ([`gemm_cols`]), or by the blocks of a Dense kernel that stay with one core
//! ([`panels`]). Products whose `B` and `C` have contiguous rows run on the AVX-512 kernel of
//! [`avx512`] where the processor has it, others on the `gemm` crate. A Dense layer's products
//! leave out zero inputs: each sample's where at most a third of them are non-zero
//! ([`sparse`], from the lists of [`sparse_rows`]; with AVX-512 in [`sparse_avx512`], or with
//! AVX2 and FMA in the loops of [`sparse_portable`]), else, with AVX-512 on the plain
//! kernel's shapes, those zero in every sample ([`skip`], on the kernel with listed lines of
//! [`listed`]). Neither changes a value (at most the sign of a zero where a product
//! underflows).

#[cfg(target_arch = "x86_64")]
mod avx512;
pub mod epilogue;
#[cfg(target_arch = "x86_64")]
mod gathered;
#[cfg(target_arch = "x86_64")]
mod listed;
mod panels;
#[cfg(test)]
mod panels_tests;
mod shared_blocks;
#[cfg(target_arch = "x86_64")]
mod skip;
#[cfg(all(test, target_arch = "x86_64"))]
mod skip_tests;
#[cfg(target_arch = "x86_64")]
mod sparse;
#[cfg(target_arch = "x86_64")]
mod sparse_avx512;
#[cfg(target_arch = "x86_64")]
mod sparse_out;
#[cfg(target_arch = "x86_64")]
mod sparse_portable;
#[cfg(target_arch = "x86_64")]
mod sparse_rows;
#[cfg(all(test, target_arch = "x86_64"))]
mod sparse_tests;
#[cfg(test)]
mod test_values;
#[cfg(test)]
mod tests;

use std::ops::Range;

use ndarray::{ArrayView2, ArrayViewMut2};

use crate::parallel;
#[cfg(target_arch = "x86_64")]
pub use gathered::{Gathered, gemm_gathered};
pub use panels::{Partition, gemm_blocks, gemm_panels};
pub use shared_blocks::SharedBlocks;

/// Below this many multiply-adds a product runs on one thread.
const PARALLEL_MIN_MACS: usize = 200_000;

/// Products with `m` or `k` at most this use the kernel (it packs nothing, so it re-reads
/// `B` for every 8 rows: large `m·k` products are faster on the packing `gemm` crate).
const SKINNY: usize = 64;

/// `c = a·b`, or `c += a·b` with `accumulate`, on the calling thread.
pub fn gemm_serial(
    a: ArrayView2<f32>,
    b: ArrayView2<f32>,
    mut c: ArrayViewMut2<f32>,
    accumulate: bool,
) {
    let (m, k) = a.dim();
    let (k2, n) = b.dim();
    assert!(
        k == k2 && c.dim() == (m, n),
        "gemm shapes {:?} · {:?} -> {:?}",
        a.dim(),
        b.dim(),
        c.dim()
    );
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        if !accumulate {
            c.fill(0.0);
        }
        return;
    }
    let (sa, sb) = (a.strides(), b.strides());
    let sc = [c.strides()[0], c.strides()[1]];
    #[cfg(target_arch = "x86_64")]
    if on_kernel(m, k, n, sb[1], sc[1]) {
        let op = avx512::Operands {
            m,
            k,
            n,
            a: a.as_ptr(),
            a_rows: sa[0],
            a_cols: sa[1],
            b: b.as_ptr(),
            b_rows: sb[0],
            c: c.as_mut_ptr(),
            c_rows: sc[0],
            accumulate,
        };
        // SAFETY: the kernel is available; the pointers and strides come from live ndarray
        // views of the checked shapes, and `c` is borrowed mutably, so it overlaps neither.
        unsafe { avx512::gemm(&op) };
        return;
    }
    gemm_crate(a, b, c, accumulate);
}

/// Whether an `m × k × n` product whose `B` and `C` have these column strides runs on the
/// AVX-512 kernel in [`gemm_serial`] (and so on the listed kernel where `skip` applies).
#[cfg(target_arch = "x86_64")]
fn on_kernel(m: usize, k: usize, n: usize, b_cols: isize, c_cols: isize) -> bool {
    kernel_runs() && m.min(k) <= SKINNY && (b_cols == 1 || n == 1) && (c_cols == 1 || n == 1)
}

/// Whether the AVX-512 kernel runs (`NEURUST_GEMM=crate` forces the `gemm` crate, and the
/// sparse products' portable kernel, as on a processor without AVX-512).
#[cfg(target_arch = "x86_64")]
pub fn kernel_runs() -> bool {
    static USE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *USE.get_or_init(|| {
        crate::simd::has_avx512() && std::env::var("NEURUST_GEMM").map_or(true, |v| v != "crate")
    })
}

/// The product on the `gemm` crate (runtime AVX-512/AVX2 dispatch, any strides).
fn gemm_crate(a: ArrayView2<f32>, b: ArrayView2<f32>, mut c: ArrayViewMut2<f32>, accumulate: bool) {
    let (m, k) = a.dim();
    let n = b.ncols();
    let (sa, sb, sc) = (
        a.strides().to_vec(),
        b.strides().to_vec(),
        c.strides().to_vec(),
    );
    // SAFETY: the pointers and strides come from live ndarray views of the checked shapes.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            c.as_mut_ptr(),
            sc[1],
            sc[0],
            accumulate,
            a.as_ptr(),
            sa[1],
            sa[0],
            b.as_ptr(),
            sb[1],
            sb[0],
            1.0f32,
            1.0f32,
            false,
            false,
            false,
            gemm::Parallelism::None,
        );
    }
}

/// `c = a·b` (or `+=`), then `epilogue(columns, block)` on each block of `c`'s columns; the
/// blocks run in parallel on the thread team when the product is large enough.
pub fn gemm_cols<E>(
    a: ArrayView2<f32>,
    b: ArrayView2<f32>,
    c: ArrayViewMut2<f32>,
    accumulate: bool,
    epilogue: E,
) where
    E: Fn(Range<usize>, ArrayViewMut2<f32>) + Sync,
{
    let (m, k) = a.dim();
    let n = b.ncols();
    let parts = parallel::num_threads();
    if parts == 1 || m * k * n < PARALLEL_MIN_MACS || n < 32 {
        let mut c = c;
        gemm_serial(a, b, c.view_mut(), accumulate);
        epilogue(0..n, c);
        return;
    }
    // One block per thread: more, smaller blocks measured slower on a busy machine (a
    // descheduled worker holding a claimed block stalls the job either way). Each column is
    // one sequential sum whatever the split, so results do not depend on the thread count.
    let shared = SharedBlocks::new(c);
    parallel::run_parts(parts, &|part| {
        let cols = parallel::split_range(n, part, parts, 16);
        if cols.is_empty() {
            return;
        }
        // SAFETY: split_range gives each part disjoint columns.
        let mut block = unsafe { shared.cols(cols.clone()) };
        gemm_serial(
            a,
            b.slice(ndarray::s![.., cols.clone()]),
            block.view_mut(),
            accumulate,
        );
        epilogue(cols, block);
    });
}
