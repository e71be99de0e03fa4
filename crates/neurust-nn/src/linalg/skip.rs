//! Products that leave out the lines of `A` that are zero throughout: in `x·W`, the inputs
//! that are zero in every sample of the batch (an image's blank border: about 40% of MNIST's
//! pixels in a batch of 32); in the weight gradient `xᵀ·dz`, the same inputs' rows, which are
//! zero. For inputs as sparse as MNIST's, `sparse` leaves out more; this serves denser ones.
//!
//! Leaving them out changes no value, and no bit except, where a product underflows, the
//! sign of a zero. Each element of `C` is a chain of fused multiply-adds from +0. A term
//! `0·b` with `b` finite is ±0, which leaves a non-zero sum or a +0 sum as it was; under
//! round-to-nearest an exact zero sum of non-zero terms is +0. So a sum is −0 only after a
//! result too small for a float came out as −0 (below the subnormal range, or below the
//! normal range where subnormals are flushed, as in training); a left-out term +0 would then
//! have made it +0. Adding a layer's bias gives the same bits for either zero unless the bias
//! is −0 itself. Rows of `C` whose terms are all `0·b` are +0 throughout, exactly. With `b`
//! infinite or NaN the term is NaN, so the products check that every value they would leave
//! out is finite and otherwise compute everything. They apply where the plain product runs on
//! the AVX-512 kernel, whose order of multiply-adds the listed kernel keeps.

use ndarray::{ArrayView2, ArrayViewMut2, Axis};

use super::avx512::Operands;
use super::listed::{self, Lines};
use super::on_kernel;

/// Narrower products are not worth the scan for zero lines (it costs about `1/n` of the
/// product).
const MIN_COLS: usize = 32;

/// Skipping fewer than one line in this many is not worth the listed kernel (slower per
/// multiply-add than the plain one, whose rows of `B` the processor prefetches itself).
const MIN_SKIPPED_SHARE: usize = 3;

/// `c = a·b` leaving out the columns of `a` that are zero in every row (and those rows of
/// `b`). Returns `false`, having done nothing, where that does not apply.
pub fn gemm_skipping_steps(
    a: ArrayView2<f32>,
    b: ArrayView2<f32>,
    mut c: ArrayViewMut2<f32>,
) -> bool {
    let (m, k) = a.dim();
    if !applies(m, k, b, c.view()) {
        return false;
    }
    let Some(steps) = nonzero_lines(a.t()) else {
        return false;
    };
    if !steps_between(&steps, k).all(|gap| all_finite(b.slice(ndarray::s![gap, ..]))) {
        return false;
    }
    let op = operands(a, b, c.view_mut());
    // SAFETY: `applies` checked the processor and the strides; the listed steps are below
    // `k`, and the views are live, of the checked shapes, with `c` borrowed mutably.
    unsafe { listed::gemm(&op, Lines::Steps(&steps)) };
    true
}

/// `c = a·b` where the rows of `a` that are zero throughout give rows of +0 in `c` without a
/// product. Returns `false`, having done nothing, where that does not apply.
pub fn gemm_skipping_rows(
    a: ArrayView2<f32>,
    b: ArrayView2<f32>,
    mut c: ArrayViewMut2<f32>,
) -> bool {
    let (m, k) = a.dim();
    if !applies(m, k, b, c.view()) || !all_finite(b) {
        return false;
    }
    let Some(rows) = nonzero_lines(a) else {
        return false;
    };
    for gap in steps_between(&rows, m) {
        c.slice_mut(ndarray::s![gap, ..]).fill(0.0);
    }
    let op = operands(a, b, c.view_mut());
    // SAFETY: as in `gemm_skipping_steps`; the listed rows are below `m`.
    unsafe { listed::gemm(&op, Lines::Rows(&rows)) };
    true
}

/// Whether the plain product of these shapes runs on the AVX-512 kernel, and is wide enough.
fn applies(m: usize, k: usize, b: ArrayView2<f32>, c: ArrayView2<f32>) -> bool {
    m > 0
        && k > 0
        && b.ncols() >= MIN_COLS
        && on_kernel(m, k, b.ncols(), b.strides()[1], c.strides()[1])
}

/// The indices of `lines`' rows that hold a non-zero (or NaN) value, or `None` when fewer
/// than one row in [`MIN_SKIPPED_SHARE`] is zero throughout.
fn nonzero_lines(lines: ArrayView2<f32>) -> Option<Vec<u32>> {
    let mut lit = vec![false; lines.nrows()];
    // One pass per column: the callers' columns are the batch's samples, each contiguous.
    crate::simd::widest(
        #[inline(always)]
        || {
            for sample in lines.axis_iter(Axis(1)) {
                match sample.as_slice() {
                    Some(values) => mark(&mut lit, values.iter()),
                    None => mark(&mut lit, sample.iter()),
                }
            }
        },
    );
    let zero = lit.iter().filter(|&&l| !l).count();
    if zero * MIN_SKIPPED_SHARE < lit.len() {
        return None;
    }
    Some((0..lit.len() as u32).filter(|&i| lit[i as usize]).collect())
}

/// Marks the lines with a value that is not zero.
#[inline(always)]
fn mark<'a>(lit: &mut [bool], values: impl Iterator<Item = &'a f32>) {
    lit.iter_mut()
        .zip(values)
        .for_each(|(lit, &v)| *lit |= v != 0.0);
}

/// Whether every value is finite (rows with unit stride checked in vector instructions).
pub(super) fn all_finite(values: ArrayView2<f32>) -> bool {
    crate::simd::widest(
        #[inline(always)]
        || {
            values.rows().into_iter().all(|row| match row.as_slice() {
                Some(row) => row.iter().fold(true, |ok, v| ok & v.is_finite()),
                None => row.iter().all(|v| v.is_finite()),
            })
        },
    )
}

/// The runs of indices below `len` that `list` (ascending) leaves out.
fn steps_between(list: &[u32], len: usize) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let ends = list.iter().map(|&i| i as usize).chain(std::iter::once(len));
    let starts = std::iter::once(0).chain(list.iter().map(|&i| i as usize + 1));
    starts.zip(ends).filter(|(s, e)| s < e).map(|(s, e)| s..e)
}

fn operands(a: ArrayView2<f32>, b: ArrayView2<f32>, mut c: ArrayViewMut2<f32>) -> Operands {
    let (sa, sb, c_rows) = (a.strides(), b.strides(), c.strides()[0]);
    Operands {
        m: a.nrows(),
        k: a.ncols(),
        n: b.ncols(),
        a: a.as_ptr(),
        a_rows: sa[0],
        a_cols: sa[1],
        b: b.as_ptr(),
        b_rows: sb[0],
        c: c.as_mut_ptr(),
        c_rows,
        accumulate: false,
    }
}
