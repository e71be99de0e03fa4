//! The kernel's partition and the products over it.

use ndarray::{Array2, s};

use super::panels::{PANEL_MIN_ROWS, Partition};
use super::test_values::random;
use super::{gemm_blocks, gemm_panels, gemm_serial};
use crate::Rng;

#[test]
fn the_blocks_cover_every_weight_once_at_any_thread_count() {
    for (rows, cols) in [
        (784, 256),
        (511, 10),
        (512, 33),
        (3, 1),
        (1000, 17),
        (600, 0),
    ] {
        for threads in 1..=5 {
            let split = Partition::new(rows, cols, threads);
            let mut seen = Array2::<u32>::zeros((rows, cols));
            for p in 0..split.parts() {
                let (r, c) = split.block(p);
                seen.slice_mut(s![r, c]).mapv_inplace(|v| v + 1);
            }
            assert!(
                seen.iter().all(|&v| v == 1),
                "{rows}×{cols} at {threads} threads"
            );
            // Two row panels from PANEL_MIN_ROWS rows on; with two threads, one panel each.
            let panels = if rows >= PANEL_MIN_ROWS { 2 } else { 1 };
            assert_eq!(split.parts() % panels, 0);
            if threads == 2 && panels == 2 {
                assert_eq!(split.parts(), 2);
                assert_eq!(split.block(0).0, 0..rows / 2);
                assert_eq!(split.block(1).0, rows / 2..rows);
            }
        }
    }
}

/// Over two panels every element is the sum of the two panels' sequential sums, bit for bit;
/// below `PANEL_MIN_ROWS` the product is the plain one.
#[test]
fn panel_products_are_the_sum_of_the_panels() {
    let mut rng = Rng::new(11);
    for &(m, k, n) in &[
        (32, 784, 256),
        (3, 600, 10),
        (40, 511, 64),
        (1, 512, 1),
        (17, 1000, 49),
    ] {
        let a = random(m, k, &mut rng);
        let b = random(k, n, &mut rng);
        let mut want = Array2::<f32>::zeros((m, n));
        if k >= PANEL_MIN_ROWS {
            let h = k / 2;
            let mut second = Array2::<f32>::zeros((m, n));
            gemm_serial(
                a.slice(s![.., ..h]),
                b.slice(s![..h, ..]),
                want.view_mut(),
                false,
            );
            gemm_serial(
                a.slice(s![.., h..]),
                b.slice(s![h.., ..]),
                second.view_mut(),
                false,
            );
            want += &second;
        } else {
            gemm_serial(a.view(), b.view(), want.view_mut(), false);
        }
        let mut c = Array2::from_elem((m, n), f32::NAN);
        let mut covered = vec![0u32; n];
        let counts = std::sync::Mutex::new(&mut covered);
        gemm_panels(a.view(), b.view(), c.view_mut(), |cols, block| {
            assert_eq!(block.dim(), (m, cols.len()));
            counts.lock().unwrap()[cols]
                .iter_mut()
                .for_each(|v| *v += 1);
        });
        assert!(covered.iter().all(|&v| v == 1), "epilogue {m}×{k}×{n}");
        let close = a.dot(&b);
        assert!(
            c.iter()
                .zip(&close)
                .all(|(x, y)| (x - y).abs() <= 1e-3 * (1.0 + y.abs())),
            "against dot {m}×{k}×{n}"
        );
        let bits = |x: &Array2<f32>| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&c), bits(&want), "{m}×{k}×{n}");
    }
}

/// A weight gradient `xᵀ·dz` by blocks equals the plain product bit for bit.
#[test]
fn block_products_equal_the_plain_product() {
    let mut rng = Rng::new(12);
    for &(batch, rows, cols) in &[(32, 784, 256), (5, 600, 10), (32, 300, 200), (1, 1, 1)] {
        let x = random(batch, rows, &mut rng);
        let dz = random(batch, cols, &mut rng);
        let mut want = Array2::<f32>::zeros((rows, cols));
        gemm_serial(x.t(), dz.view(), want.view_mut(), false);
        let mut c = Array2::from_elem((rows, cols), f32::NAN);
        gemm_blocks(x.t(), dz.view(), c.view_mut());
        assert_eq!(c, want, "{batch}×{rows}×{cols}");
    }
}
