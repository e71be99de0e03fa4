//! Matrix products on the `gemm` crate (runtime AVX-512/AVX2 dispatch), split across the
//! thread team by output columns so that each core runs one single-threaded GEMM and then its
//! own epilogue (bias, activation) while the block is still in cache.

use std::ops::Range;

use ndarray::{ArrayView2, ArrayViewMut2, ShapeBuilder};

use crate::parallel;

/// Below this many multiply-adds a product runs on one thread.
const PARALLEL_MIN_MACS: usize = 200_000;

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
    let shared = SharedCols::new(c);
    parallel::run(&|part| {
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

/// A mutable 2-D view whose disjoint column blocks the parts of a job take.
struct SharedCols<'a> {
    ptr: *mut f32,
    rows: usize,
    cols: usize,
    strides: (usize, usize),
    _life: std::marker::PhantomData<ArrayViewMut2<'a, f32>>,
}

// SAFETY: only `cols` hands out views, and its callers take disjoint ranges.
unsafe impl Sync for SharedCols<'_> {}

impl<'a> SharedCols<'a> {
    fn new(mut view: ArrayViewMut2<'a, f32>) -> Self {
        let s = view.strides();
        assert!(s[0] >= 0 && s[1] >= 0, "negative strides are not supported");
        let strides = (s[0] as usize, s[1] as usize);
        let (rows, cols) = view.dim();
        SharedCols {
            ptr: view.as_mut_ptr(),
            rows,
            cols,
            strides,
            _life: std::marker::PhantomData,
        }
    }

    /// # Safety
    /// Views from different calls must not share columns while both are alive.
    unsafe fn cols(&self, r: Range<usize>) -> ArrayViewMut2<'a, f32> {
        assert!(r.end <= self.cols);
        let shape = (self.rows, r.len()).strides(self.strides);
        unsafe { ArrayViewMut2::from_shape_ptr(shape, self.ptr.add(r.start * self.strides.1)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Rng;
    use ndarray::Array2;

    fn random(rows: usize, cols: usize, rng: &mut Rng) -> Array2<f32> {
        Array2::from_shape_fn((rows, cols), |_| rng.uniform_in(-1.0, 1.0))
    }

    fn close(a: &Array2<f32>, b: &Array2<f32>) -> bool {
        a.iter()
            .zip(b.iter())
            .all(|(x, y)| (x - y).abs() <= 1e-3 * (1.0 + y.abs()))
    }

    #[test]
    fn products_match_ndarray_dot_for_all_layouts() {
        let mut rng = Rng::new(5);
        for &(m, k, n) in &[
            (32, 784, 256),
            (784, 32, 256),
            (3, 5, 7),
            (100, 64, 10),
            (1, 1, 1),
        ] {
            let a = random(m, k, &mut rng);
            let b = random(k, n, &mut rng);
            let want = a.dot(&b);
            let mut c = Array2::zeros((m, n));
            gemm_cols(a.view(), b.view(), c.view_mut(), false, |_, _| {});
            assert!(close(&c, &want), "cols {m}x{k}x{n}");
            let mut c2 = Array2::zeros((m, n));
            gemm_serial(a.view(), b.view(), c2.view_mut(), false);
            assert!(close(&c2, &want), "serial {m}x{k}x{n}");
            // Transposed operands and accumulation.
            let at = a.t().to_owned();
            let mut c3 = want.clone();
            gemm_cols(at.t(), b.view(), c3.view_mut(), true, |_, _| {});
            assert!(close(&c3, &(&want * 2.0)), "accumulate {m}x{k}x{n}");
        }
    }

    #[test]
    fn epilogue_sees_every_column_once() {
        let mut rng = Rng::new(6);
        let a = random(32, 784, &mut rng);
        let b = random(784, 256, &mut rng);
        let mut c = Array2::zeros((32, 256));
        gemm_cols(
            a.view(),
            b.view(),
            c.view_mut(),
            false,
            |cols, mut block| {
                assert_eq!(block.ncols(), cols.len());
                block.fill(cols.start as f32);
            },
        );
        for j in 0..256 {
            assert!(c.column(j).iter().all(|&v| v <= j as f32));
        }
    }
}
