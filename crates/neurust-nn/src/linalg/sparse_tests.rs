//! The product from each row's non-zero entries gives the bits of the chain of fused
//! multiply-adds over every term, on each kernel this processor runs, and declines where it
//! does not apply.

use ndarray::{Array2, ArrayView2, ArrayViewMut2, s};

use super::kernel_runs;
use super::sparse::{Kernel, gemm_sparse_cols, gemm_sparse_on, kept_entries};
use super::test_values::{bits, random};
use crate::Rng;

/// The kernels this processor runs: AVX-512 and the portable one, or the portable one alone.
fn kernels() -> Vec<Kernel> {
    let mut kernels = Vec::new();
    if kernel_runs() {
        kernels.push(Kernel::Avx512);
    }
    if crate::simd::has_avx2_fma() {
        kernels.push(Kernel::Portable);
    }
    kernels
}

/// The whole product `c = a·b` on `kernel`.
fn product(kernel: Kernel, a: ArrayView2<f32>, b: ArrayView2<f32>, c: ArrayViewMut2<f32>) -> bool {
    gemm_sparse_on(kernel, a, b, 0..b.ncols(), c)
}

/// Random values of which about `share` are non-zero, the zeros of both signs.
fn sparse(rows: usize, cols: usize, share: f32, rng: &mut Rng) -> Array2<f32> {
    Array2::from_shape_fn((rows, cols), |_| {
        if rng.uniform() < share {
            rng.uniform_in(-1.0, 1.0)
        } else if rng.uniform() < 0.5 {
            -0.0
        } else {
            0.0
        }
    })
}

/// Each element as one chain of fused multiply-adds from +0 over every step, in order.
fn chain(a: ArrayView2<f32>, b: ArrayView2<f32>) -> Array2<f32> {
    Array2::from_shape_fn((a.nrows(), b.ncols()), |(i, j)| {
        (0..a.ncols()).fold(0.0f32, |sum, p| a[[i, p]].mul_add(b[[p, j]], sum))
    })
}

/// `a·b` on each kernel, asserting that each takes the product and gives the chain's bits.
fn the_chain_on_every_kernel(a: ArrayView2<f32>, b: ArrayView2<f32>) -> Vec<Array2<f32>> {
    let want = bits(chain(a, b).view());
    let (m, k, n) = (a.nrows(), a.ncols(), b.ncols());
    let run = |kernel| {
        let mut got = Array2::from_elem((m, n), f32::NAN);
        assert!(
            product(kernel, a, b, got.view_mut()),
            "{kernel:?} {m}×{k}×{n}"
        );
        assert_eq!(bits(got.view()), want, "{kernel:?} {m}×{k}×{n}");
        got
    };
    kernels().into_iter().map(run).collect()
}

/// Shapes with column tiles of every width (256 + 32 + 12, 128 + 64, ...), a single row,
/// blank rows, and more rows than a batch.
const SHAPES: [(usize, usize, usize); 6] = [
    (32, 392, 256),
    (7, 100, 300),
    (1, 64, 64),
    (20, 33, 192),
    (5, 40, 79),
    (300, 392, 96),
];

#[test]
fn a_sparse_product_gives_the_bits_of_the_full_chain() {
    let mut rng = Rng::new(31);
    for (m, k, n) in SHAPES {
        let mut a = sparse(m, k, 0.2, &mut rng);
        a.row_mut(m / 2).fill(0.0);
        let b = random(k, n, &mut rng);
        for got in the_chain_on_every_kernel(a.view(), b.view()) {
            assert!(
                got.row(m / 2).iter().all(|v| v.to_bits() == 0),
                "a blank row is +0"
            );
        }
    }
}

/// The weight gradient `xᵀ·dz`: the rows of `xᵀ` are strided, its columns contiguous.
#[test]
fn a_transposed_sparse_product_gives_the_bits_of_the_full_chain() {
    let mut rng = Rng::new(32);
    for (batch, inputs, units) in [(32, 392, 256), (9, 50, 64), (1, 70, 100)] {
        let mut x = sparse(batch, inputs, 0.2, &mut rng);
        x.column_mut(3).fill(0.0);
        let dz = random(batch, units, &mut rng);
        for got in the_chain_on_every_kernel(x.t(), dz.view()) {
            assert!(got.row(3).iter().all(|v| v.to_bits() == 0));
        }
    }
}

/// NaN is not zero: its terms are computed, as in the full product.
#[test]
fn a_nan_entry_is_an_entry() {
    let mut rng = Rng::new(33);
    let mut a = sparse(8, 64, 0.1, &mut rng);
    a[[2, 7]] = f32::NAN;
    let b = random(64, 64, &mut rng);
    for kernel in kernels() {
        let mut c = Array2::zeros((8, 64));
        assert!(
            product(kernel, a.view(), b.view(), c.view_mut()),
            "{kernel:?}"
        );
        assert!(c.row(2).iter().all(|v| v.is_nan()), "{kernel:?}");
        assert!(c.row(3).iter().all(|v| v.is_finite()), "{kernel:?}");
    }
}

/// Declined, doing nothing: too many entries, too few columns, a value of `B` that is not
/// finite (a left-out `0·∞` would be NaN), rows of `B` that are not contiguous.
#[test]
fn a_sparse_product_is_declined_where_it_does_not_apply() {
    let mut rng = Rng::new(34);
    let b = random(392, 256, &mut rng);
    let dense = sparse(32, 392, 0.4, &mut rng);
    let a = sparse(32, 392, 0.2, &mut rng);
    let b_narrow = b.slice(s![.., ..48]);
    let mut infinite = b.clone();
    infinite[[390, 3]] = f32::INFINITY;
    let bt = random(256, 392, &mut rng);
    let untouched = |c: &Array2<f32>| c.iter().all(|v| v.is_nan());
    for kernel in kernels() {
        let mut c = Array2::from_elem((32, 256), f32::NAN);
        assert!(!product(kernel, dense.view(), b.view(), c.view_mut()));
        assert!(untouched(&c));

        let mut narrow = Array2::from_elem((32, 48), f32::NAN);
        assert!(!product(kernel, a.view(), b_narrow, narrow.view_mut()));
        assert!(untouched(&narrow));

        assert!(!product(kernel, a.view(), infinite.view(), c.view_mut()));
        assert!(untouched(&c));

        assert!(!product(kernel, a.view(), bt.t(), c.view_mut()));
        assert!(untouched(&c));

        // The product applies to the same operands otherwise, so each refusal above has its
        // cause.
        assert!(
            product(kernel, a.view(), b.view(), c.view_mut()),
            "{kernel:?}"
        );
    }
    // The processor's own choice applies where it runs a kernel.
    let mut c = Array2::from_elem((32, 256), f32::NAN);
    let done = gemm_sparse_cols(a.view(), b.view(), 0..256, c.view_mut());
    assert_eq!(done, !kernels().is_empty());
}

/// A block of columns takes the path of the whole product, at any width: a thread team's
/// column blocks then take the same path at any thread count.
#[test]
fn a_block_of_columns_applies_or_declines_as_the_whole_product() {
    let mut rng = Rng::new(36);
    let a = sparse(16, 100, 0.2, &mut rng);
    let mut b = random(100, 96, &mut rng);
    let want = chain(a.view(), b.slice(s![.., 32..64]));
    for kernel in kernels() {
        // 32 columns, narrower than a product the kernel takes, of one it takes.
        let mut block = Array2::from_elem((16, 32), f32::NAN);
        assert!(gemm_sparse_on(
            kernel,
            a.view(),
            b.view(),
            32..64,
            block.view_mut()
        ));
        assert_eq!(bits(block.view()), bits(want.view()), "{kernel:?}");
    }
    // A value that is not finite outside the block declines the block too.
    b[[7, 90]] = f32::NAN;
    for kernel in kernels() {
        let mut block = Array2::from_elem((16, 32), f32::NAN);
        assert!(!gemm_sparse_on(
            kernel,
            a.view(),
            b.view(),
            32..64,
            block.view_mut()
        ));
    }
}

/// A training step's lists stay for the next step; one huge product's are given back.
#[test]
fn only_short_lists_are_kept_between_products() {
    let mut rng = Rng::new(35);
    let b = random(1500, 64, &mut rng);
    let small = sparse(32, 1500, 0.2, &mut rng);
    let huge = sparse(4000, 1500, 0.2, &mut rng);
    for kernel in kernels() {
        let mut c = Array2::zeros((32, 64));
        assert!(product(kernel, small.view(), b.view(), c.view_mut()));
        assert!(kept_entries() >= 32 * 1500 / 10, "a step's lists are kept");
        let mut c = Array2::zeros((4000, 64));
        assert!(product(kernel, huge.view(), b.view(), c.view_mut()));
        assert_eq!(kept_entries(), 0, "1.2 million entries are not kept");
    }
}
