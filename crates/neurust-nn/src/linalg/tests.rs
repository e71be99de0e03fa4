//! Products against ndarray's `dot`.

use super::test_values::random;
use super::*;
use crate::Rng;
use ndarray::Array2;

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

/// Every layout the kernel takes (and some it leaves to the `gemm` crate), odd sizes,
/// accumulation, and the `gemm` crate's results as the reference.
#[test]
fn serial_products_match_for_odd_shapes_and_views() {
    let mut rng = Rng::new(9);
    for m in [1, 2, 3, 4, 5, 7, 8, 9, 13, 17, 32] {
        for &(k, n) in &[
            (1, 1),
            (3, 15),
            (5, 16),
            (7, 17),
            (31, 47),
            (2, 48),
            (9, 49),
            (20, 97),
            (33, 130),
        ] {
            let a = random(m, k, &mut rng);
            let b = random(k, n, &mut rng);
            let want = a.dot(&b);
            let at = a.t().to_owned();
            let bt = b.t().to_owned();
            for (name, av) in [("a", a.view()), ("at", at.t())] {
                for (bname, bv) in [("b", b.view()), ("bt", bt.t())] {
                    let mut c = Array2::from_elem((m, n), f32::NAN);
                    gemm_serial(av, bv, c.view_mut(), false);
                    assert!(close(&c, &want), "{name}·{bname} {m}x{k}x{n}");
                    let mut acc = want.clone();
                    gemm_serial(av, bv, acc.view_mut(), true);
                    assert!(
                        close(&acc, &(&want * 2.0)),
                        "acc {name}·{bname} {m}x{k}x{n}"
                    );
                }
            }
            // A column block of a wider C and of a wider B, as the thread team takes them.
            let mut wide = Array2::from_elem((m, n + 5), 7.0f32);
            gemm_serial(
                a.view(),
                b.view(),
                wide.slice_mut(ndarray::s![.., 2..n + 2]),
                false,
            );
            assert!(close(
                &wide.slice(ndarray::s![.., 2..n + 2]).to_owned(),
                &want
            ));
            assert!(
                wide.column(0)
                    .iter()
                    .chain(wide.column(n + 2).iter())
                    .all(|&v| v == 7.0)
            );
        }
    }
}

/// GFLOP/s of the kernel and the `gemm` crate on the tutorial's shapes (run with
/// `cargo test --release -p neurust-nn gemm_rates -- --ignored --nocapture`).
#[test]
#[ignore]
fn gemm_rates() {
    let mut rng = Rng::new(1);
    for &(m, k, n, ta) in &[
        (32, 784, 256, false),
        (32, 784, 128, false),
        (784, 32, 256, true),
        (784, 32, 128, true),
        (32, 256, 10, false),
        (1024, 784, 256, false),
        (1024, 784, 128, false),
    ] {
        let a = if ta {
            random(k, m, &mut rng)
        } else {
            random(m, k, &mut rng)
        };
        let av = if ta { a.t() } else { a.view() };
        let b = random(k, n, &mut rng);
        let mut c = Array2::zeros((m, n));
        let reps = (2e9 / (2.0 * (m * k * n) as f64)) as usize + 1;
        let time = |f: &mut dyn FnMut()| {
            f();
            let t = std::time::Instant::now();
            for _ in 0..reps {
                f();
            }
            2.0 * (m * k * n * reps) as f64 / t.elapsed().as_secs_f64() / 1e9
        };
        let kernel = time(&mut || gemm_serial(av, b.view(), c.view_mut(), false));
        let krate = time(&mut || gemm_crate(av, b.view(), c.view_mut(), false));
        println!(
            "{m}x{k}x{n} (A{}): kernel {kernel:.1} GFLOP/s, gemm crate {krate:.1}",
            if ta { "ᵀ" } else { "" }
        );
    }
}
