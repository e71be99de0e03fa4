//! The products of one chunk of samples, on the calling thread: each reads the chunk's patch
//! matrix in place where it can (`implicit.rs`), else builds it in a per-thread scratch
//! buffer while the samples are in cache.

use std::cell::RefCell;

use ndarray::{ArrayView2, ArrayViewMut2};

use super::patches::{col2im, im2col};
use crate::layers::spatial::Geometry;
use crate::linalg::gemm_serial;

#[cfg(target_arch = "x86_64")]
use super::implicit;

/// Without the AVX-512 kernel, patches are always written out.
#[cfg(not(target_arch = "x86_64"))]
mod implicit {
    use super::{ArrayView2, ArrayViewMut2, Geometry};
    pub fn applies(_: &Geometry) -> bool {
        false
    }
    pub fn product(_: &Geometry, _: ArrayView2<f32>, _: &[f32], _: ArrayViewMut2<f32>) {
        unreachable!("never applies")
    }
    pub fn weight_gradient(_: &Geometry, _: &[f32], _: ArrayView2<f32>, _: ArrayViewMut2<f32>) {
        unreachable!("never applies")
    }
}

thread_local! {
    /// The patch matrix and its gradient, per thread, grown as needed and kept.
    static SCRATCH: RefCell<(Vec<f32>, Vec<f32>)> =
        const { RefCell::new((Vec::new(), Vec::new())) };
}

/// `out = patches(x) · kernel` for the samples `x` of one chunk, on the calling thread.
pub(super) fn product(g: &Geometry, kernel: ArrayView2<f32>, x: &[f32], out: ArrayViewMut2<f32>) {
    if implicit::applies(g) {
        implicit::product(g, kernel, x, out);
        return;
    }
    let (rows, k) = (out.nrows(), kernel.nrows());
    SCRATCH.with_borrow_mut(|(patches, _)| {
        patches.resize(rows * k, 0.0);
        im2col(g, x, patches);
        let p = ArrayView2::from_shape((rows, k), &patches[..rows * k]).expect("sized");
        gemm_serial(p, kernel, out, false);
    });
}

/// For the samples `x` of one chunk and their output gradient `dy` (pre-activation): the
/// chunk's kernel gradient `gk = patches(x)ᵀ · dy` and, when asked, its input gradient `dx`.
pub(super) fn gradients(
    g: &Geometry,
    kernel_t: ArrayView2<f32>,
    x: &[f32],
    dy: ArrayView2<f32>,
    mut gk: ArrayViewMut2<f32>,
    dx: Option<&mut [f32]>,
) {
    let (rows, k) = (dy.nrows(), kernel_t.ncols());
    SCRATCH.with_borrow_mut(|(patches, dpatches)| {
        if implicit::applies(g) {
            implicit::weight_gradient(g, x, dy, gk.view_mut());
        } else {
            patches.resize(rows * k, 0.0);
            im2col(g, x, patches);
            let p = ArrayView2::from_shape((rows, k), &patches[..rows * k]).expect("sized");
            gemm_serial(p.t(), dy, gk.view_mut(), false);
        }
        if let Some(dx) = dx {
            dpatches.resize(rows * k, 0.0);
            let dp =
                ArrayViewMut2::from_shape((rows, k), &mut dpatches[..rows * k]).expect("sized");
            gemm_serial(dy, kernel_t, dp, false);
            col2im(g, &dpatches[..rows * k], dx);
        }
    });
}
