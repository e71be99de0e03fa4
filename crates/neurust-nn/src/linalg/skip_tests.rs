//! Leaving out the zero lines of `A` gives the plain product's values, and its bits unless a
//! product underflows; it is declined where a left-out value is not finite or it does not pay.

use ndarray::{Array2, s};

use super::panels::{panel_count, panel_rows};
use super::skip::{gemm_skipping_rows, gemm_skipping_steps};
use super::test_values::{bits, random};
use super::{gemm_blocks, gemm_panels, gemm_serial, kernel_runs};
use crate::Rng;

/// Random values with the lines `zero(i)` of `axis` zero (some of them −0), and scattered
/// zeros elsewhere.
fn with_zero_lines(rows: usize, cols: usize, by_cols: bool, rng: &mut Rng) -> Array2<f32> {
    let mut a = Array2::from_shape_fn((rows, cols), |_| {
        if rng.uniform() < 0.3 {
            0.0
        } else {
            rng.uniform_in(-1.0, 1.0)
        }
    });
    let lines = if by_cols { cols } else { rows };
    for line in (0..lines).filter(|i| i % 5 < 2 || i % 7 == 0) {
        let sign = if line % 3 == 0 { -0.0 } else { 0.0 };
        match by_cols {
            true => a.column_mut(line).fill(sign),
            false => a.row_mut(line).fill(sign),
        }
    }
    a
}

const SHAPES: [(usize, usize, usize); 6] = [
    (32, 392, 256),
    (7, 100, 33),
    (1, 64, 48),
    (13, 50, 300),
    (64, 500, 100),
    (32, 784, 64),
];

#[test]
fn leaving_out_zero_steps_changes_no_bit() {
    let mut rng = Rng::new(21);
    for (m, k, n) in SHAPES {
        let a = with_zero_lines(m, k, true, &mut rng);
        let b = random(k, n, &mut rng);
        let mut want = Array2::zeros((m, n));
        gemm_serial(a.view(), b.view(), want.view_mut(), false);
        let mut got = Array2::from_elem((m, n), f32::NAN);
        let skipped = gemm_skipping_steps(a.view(), b.view(), got.view_mut());
        assert_eq!(skipped, kernel_runs(), "{m}×{k}×{n}");
        if skipped {
            assert_eq!(bits(got.view()), bits(want.view()), "{m}×{k}×{n}");
        }
        // Through the kernel's panels: the sum of each panel's plain product.
        let mut want = Array2::<f32>::zeros((m, n));
        for panel in 0..panel_count(k) {
            let rows = panel_rows(k, panel);
            let mut part = Array2::zeros((m, n));
            let (a, b) = (a.slice(s![.., rows.clone()]), b.slice(s![rows, ..]));
            gemm_serial(a, b, part.view_mut(), false);
            want += &part;
        }
        let mut got = Array2::from_elem((m, n), f32::NAN);
        gemm_panels(a.view(), b.view(), got.view_mut(), |_, _| {});
        assert_eq!(bits(got.view()), bits(want.view()), "panels {m}×{k}×{n}");
    }
}

#[test]
fn leaving_out_zero_rows_changes_no_bit_and_writes_them() {
    let mut rng = Rng::new(22);
    for (batch, rows, cols) in [(32, 392, 256), (5, 600, 40), (64, 90, 33), (1, 20, 32)] {
        let x = with_zero_lines(batch, rows, true, &mut rng);
        let dz = random(batch, cols, &mut rng);
        let mut want = Array2::zeros((rows, cols));
        gemm_serial(x.t(), dz.view(), want.view_mut(), false);
        let mut got = Array2::from_elem((rows, cols), f32::NAN);
        let skipped = gemm_skipping_rows(x.t(), dz.view(), got.view_mut());
        assert_eq!(skipped, kernel_runs(), "{batch}×{rows}×{cols}");
        if skipped {
            assert_eq!(bits(got.view()), bits(want.view()), "{batch}×{rows}×{cols}");
        }
        let mut blocks = Array2::from_elem((rows, cols), f32::NAN);
        gemm_blocks(x.t(), dz.view(), blocks.view_mut());
        assert_eq!(
            bits(blocks.view()),
            bits(want.view()),
            "{batch}×{rows}×{cols}"
        );
    }
}

/// `0·∞` is NaN: a left-out line that meets an infinity or NaN is computed after all.
#[test]
fn zero_lines_that_meet_a_non_finite_value_are_computed() {
    let mut rng = Rng::new(23);
    let a = with_zero_lines(32, 392, true, &mut rng);
    let mut b = random(392, 64, &mut rng);
    b[[0, 5]] = f32::INFINITY; // Column 0 of `a` is zero throughout.
    let mut c = Array2::zeros((32, 64));
    assert!(!gemm_skipping_steps(a.view(), b.view(), c.view_mut()));
    gemm_panels(a.view(), b.view(), c.view_mut(), |_, _| {});
    assert!(c.column(5).iter().all(|v| v.is_nan()));
    assert!(c.column(4).iter().all(|v| v.is_finite()));

    let mut dz = random(32, 64, &mut rng);
    dz[[3, 7]] = f32::NAN;
    let mut g = Array2::zeros((392, 64));
    assert!(!gemm_skipping_rows(a.t(), dz.view(), g.view_mut()));
    gemm_blocks(a.t(), dz.view(), g.view_mut());
    assert!(
        g.row(0).iter().any(|v| v.is_nan()),
        "a zero input's row meets the NaN"
    );
}

/// A product too small for a float (below the subnormal range here; below the normal range
/// where subnormals are flushed) is a zero with the product's sign, so a sum can be −0, and a
/// left-out term `+0` would have made it +0: the only difference leaving terms out can make
/// is the sign of such a zero. Every value is still the plain product's.
#[test]
fn an_underflowing_product_changes_at_most_the_sign_of_a_zero() {
    let (m, k, n) = (4, 6, 32);
    // Step 0 underflows in row 0; steps 1, 3 and 5 are zero throughout.
    let mut a = Array2::from_shape_fn(
        (m, k),
        |(i, p)| if p % 2 == 1 { 0.0 } else { 0.5 + i as f32 },
    );
    a[[0, 0]] = 1e-30;
    let mut b = Array2::from_shape_fn((k, n), |(p, j)| 0.25 + (p + j) as f32 / 64.0);
    for j in 0..n {
        b[[0, j]] = -1e-30;
        b[[2, j]] = -0.0;
        b[[4, j]] = -0.0;
    }
    let mut want = Array2::zeros((m, n));
    gemm_serial(a.view(), b.view(), want.view_mut(), false);
    let mut got = Array2::from_elem((m, n), f32::NAN);
    if !gemm_skipping_steps(a.view(), b.view(), got.view_mut()) {
        assert!(!kernel_runs(), "the skip applies on the AVX-512 kernel");
        return;
    }
    assert_eq!(got, want, "every value is the plain product's");
    // Row 0: −1e-60 is −0, and so are its listed terms `0.5·(−0)`; the plain product adds
    // `0·b` with `b > 0` too, which is +0.
    assert!(
        want.row(0).iter().all(|v| v.to_bits() == 0),
        "the plain sum ends at +0"
    );
    assert!(
        got.row(0)
            .iter()
            .all(|v| v.to_bits() == (-0.0f32).to_bits())
    );
    assert_eq!(bits(got.slice(s![1.., ..])), bits(want.slice(s![1.., ..])));
}

/// Dense inputs, narrow products and wide skinny-less shapes take the plain product.
#[test]
fn skipping_is_declined_where_it_does_not_pay() {
    let mut rng = Rng::new(24);
    let dense = random(32, 392, &mut rng);
    let b = random(392, 256, &mut rng);
    let mut c = Array2::zeros((32, 256));
    assert!(!gemm_skipping_steps(dense.view(), b.view(), c.view_mut()));
    let sparse = with_zero_lines(32, 392, true, &mut rng);
    let narrow = b.slice(s![.., ..10]);
    let mut c = Array2::zeros((32, 10));
    assert!(!gemm_skipping_steps(sparse.view(), narrow, c.view_mut()));
    // Neither m nor k small: the plain product would run on the `gemm` crate.
    let big = with_zero_lines(100, 392, true, &mut rng);
    let mut c = Array2::zeros((100, 256));
    assert!(!gemm_skipping_steps(big.view(), b.view(), c.view_mut()));
}
