//! Values the products' tests share.

use ndarray::{Array2, ArrayView2};

use crate::Rng;

/// A `rows × cols` matrix of values uniform in [-1, 1).
pub fn random(rows: usize, cols: usize, rng: &mut Rng) -> Array2<f32> {
    Array2::from_shape_fn((rows, cols), |_| rng.uniform_in(-1.0, 1.0))
}

/// The bit patterns of `x`'s values, in order: for comparing results bit for bit (−0 against
/// +0 included).
#[cfg(target_arch = "x86_64")]
pub fn bits(x: ArrayView2<f32>) -> Vec<u32> {
    x.iter().map(|v| v.to_bits()).collect()
}
