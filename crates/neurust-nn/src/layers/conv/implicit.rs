//! A chunk's patch matrix (`patches.rs`) and its transpose read in place from the samples
//! (`linalg::gathered`), for the forward product and the weight gradient, so that neither
//! writes the patch matrix out. The products are bit-identical to those on the written-out
//! matrix (see `linalg::gathered`); only where no window reads padding, which reads as zero
//! and so is in no sample.

use std::cell::RefCell;

use ndarray::{ArrayView2, ArrayViewMut2};

use crate::layers::spatial::{Axis1, Geometry};
use crate::linalg::{Gathered, gemm_gathered, kernel_runs};

/// Whether the patches of `g` can be read in place: the AVX-512 kernel runs and every window
/// lies inside the input.
pub(super) fn applies(g: &Geometry) -> bool {
    let inside =
        |a: &Axis1| a.pad == 0 && a.output > 0 && (a.output - 1) * a.stride + a.window <= a.input;
    kernel_runs() && inside(&g.h) && inside(&g.w)
}

thread_local! {
    /// The row and run offsets of the latest product, per thread, grown as needed and kept.
    static OFFSETS: RefCell<(Vec<usize>, Vec<usize>)> =
        const { RefCell::new((Vec::new(), Vec::new())) };
}

/// The offset in a chunk's samples of input row `iy`, column `ix`, channel 0 of sample `n`.
fn at(g: &Geometry, n: usize, iy: usize, ix: usize) -> usize {
    ((n * g.h.input + iy) * g.w.input + ix) * g.channels
}

/// `out = patches(x) · kernel` for the samples `x` of one chunk (see [`applies`]).
pub(super) fn product(g: &Geometry, kernel: ArrayView2<f32>, x: &[f32], out: ArrayViewMut2<f32>) {
    let samples = x.len() / (g.h.input * g.w.input * g.channels);
    OFFSETS.with_borrow_mut(|(rows, segments)| {
        // A row per output position: the top left of its window.
        rows.clear();
        for n in 0..samples {
            for oy in 0..g.h.output {
                let line = at(g, n, oy * g.h.stride, 0);
                rows.extend((0..g.w.output).map(|ox| line + ox * g.w.stride * g.channels));
            }
        }
        // A run per kernel row: its `kw × c` values are contiguous in the input.
        segments.clear();
        segments.extend((0..g.h.window).map(|ky| at(g, 0, ky, 0)));
        let a = Gathered {
            data: x,
            rows,
            segments,
            seg_len: g.w.window * g.channels,
            step: 1,
        };
        gemm_gathered(&a, kernel, out);
    });
}

/// `gk = patches(x)ᵀ · dy` for the samples `x` of one chunk and their output gradient `dy`
/// (see [`applies`]).
pub(super) fn weight_gradient(
    g: &Geometry,
    x: &[f32],
    dy: ArrayView2<f32>,
    gk: ArrayViewMut2<f32>,
) {
    let samples = x.len() / (g.h.input * g.w.input * g.channels);
    OFFSETS.with_borrow_mut(|(rows, segments)| {
        // A row per kernel value `(ky, kx, c)`: where it lies for output position (0, 0).
        rows.clear();
        for ky in 0..g.h.window {
            for kx in 0..g.w.window {
                rows.extend((0..g.channels).map(|c| at(g, 0, ky, kx) + c));
            }
        }
        // A run per output line: its positions are `stride · c` apart in the input.
        segments.clear();
        for n in 0..samples {
            segments.extend((0..g.h.output).map(|oy| at(g, n, oy * g.h.stride, 0)));
        }
        let a = Gathered {
            data: x,
            rows,
            segments,
            seg_len: g.w.output,
            step: g.w.stride * g.channels,
        };
        gemm_gathered(&a, dy, gk);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Rng;
    use crate::layers::conv::patches::im2col;
    use crate::layers::spatial::Padding;
    use crate::linalg::gemm_serial;
    use ndarray::Array2;

    /// Odd shapes: strides, channel counts that split no vector evenly, filter counts that
    /// reach every column tile of the kernel (64 + a tail, 48, 32, fewer than 16), and
    /// products that take `B` in several blocks (the second and the last case).
    type Case = ([usize; 3], [usize; 2], [usize; 2], usize);

    /// Input, window, strides, filters.
    const CASES: [Case; 6] = [
        ([7, 6, 3], [3, 2], [2, 1], 17),
        ([9, 8, 5], [3, 3], [1, 1], 70),
        ([6, 7, 1], [2, 3], [2, 2], 5),
        ([8, 8, 4], [3, 3], [1, 2], 48),
        ([5, 9, 2], [1, 4], [1, 1], 33),
        ([6, 40, 8], [3, 20], [1, 1], 40),
    ];

    fn random(len: usize, rng: &mut Rng) -> Vec<f32> {
        (0..len).map(|_| rng.uniform_in(-1.0, 1.0)).collect()
    }

    /// Both products against the written-out patch matrix: bit for bit against the product
    /// the chunk ran before (sequential sums, as these products all are), and within
    /// rounding against a plain `f64` sum.
    #[test]
    fn in_place_products_match_the_written_out_patches() {
        if !kernel_runs() {
            return;
        }
        let mut rng = Rng::new(11);
        for (input, window, strides, filters) in CASES {
            let g = Geometry::new("t", "kernel", &input, window, strides, Padding::Valid).unwrap();
            assert!(applies(&g));
            let samples = 3;
            let (rows, k) = (samples * g.positions(), window[0] * window[1] * input[2]);
            let x = random(samples * input.iter().product::<usize>(), &mut rng);
            let mut p = vec![0.0; rows * k];
            im2col(&g, &x, &mut p);
            let p = Array2::from_shape_vec((rows, k), p).unwrap();
            let kernel =
                Array2::from_shape_vec((k, filters), random(k * filters, &mut rng)).unwrap();
            let dy =
                Array2::from_shape_vec((rows, filters), random(rows * filters, &mut rng)).unwrap();

            let mut got = Array2::zeros((rows, filters));
            product(&g, kernel.view(), &x, got.view_mut());
            let mut want = Array2::zeros((rows, filters));
            gemm_serial(p.view(), kernel.view(), want.view_mut(), false);
            assert_eq!(got, want, "product {input:?} {window:?} {strides:?}");
            let exact = p.mapv(f64::from).dot(&kernel.mapv(f64::from));
            assert!(
                got.iter()
                    .zip(&exact)
                    .all(|(&a, &b)| (a as f64 - b).abs() < 1e-4)
            );

            let mut got = Array2::zeros((k, filters));
            weight_gradient(&g, &x, dy.view(), got.view_mut());
            let mut want = Array2::zeros((k, filters));
            gemm_serial(p.t(), dy.view(), want.view_mut(), false);
            assert_eq!(
                got, want,
                "weight gradient {input:?} {window:?} {strides:?}"
            );
            let exact = p.t().mapv(f64::from).dot(&dy.mapv(f64::from));
            assert!(
                got.iter()
                    .zip(&exact)
                    .all(|(&a, &b)| (a as f64 - b).abs() < 1e-4)
            );
        }
    }
}
