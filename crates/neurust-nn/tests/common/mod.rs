//! Small synthetic data sets and the tutorial's model for the integration tests.
#![allow(dead_code)]

pub mod gradcheck;
pub mod threads;

use ndarray::{Array1, Array2, Array3, Array4};
use neurust_nn::{Dense, Dropout, Flatten, Sequential, to_categorical};

/// `n` 4×4 "images" whose class (0..3) decides which row is bright, plus noise.
pub fn blobs(n: usize, seed: u64) -> (Array3<f32>, Array1<u8>) {
    let mut rng = neurust_nn::Rng::new(seed);
    let y = Array1::from_shape_fn(n, |_| rng.below(3) as u8);
    let x = Array3::from_shape_fn((n, 4, 4), |(i, r, _)| {
        let bright = if r == y[i] as usize { 0.8 } else { 0.1 };
        bright + 0.2 * rng.uniform()
    });
    (x, y)
}

/// The tutorial's stack at a small size: Flatten, Dense(relu), Dropout, Dense(softmax).
pub fn small_model(seed: u64, dropout: f32) -> Sequential {
    let mut m = Sequential::with_seed(seed);
    m.add(Flatten::new().input_shape([4, 4]));
    m.add(Dense::new(16).activation("relu"));
    m.add(Dropout::new(dropout));
    m.add(Dense::new(3).activation("softmax"));
    m.compile("adam", "sparse_categorical_crossentropy", &["accuracy"])
        .unwrap();
    m
}

/// The message of an error the call must return.
pub fn message<T: std::fmt::Debug>(r: neurust_nn::Result<T>) -> String {
    r.expect_err("expected an error").to_string()
}

/// `n` 10×10 two-channel images whose class (0..3) decides which band of rows is bright;
/// one-hot targets.
pub fn bands(n: usize, seed: u64) -> (Array4<f32>, Array2<f32>) {
    let mut rng = neurust_nn::Rng::new(seed);
    let y: Vec<u8> = (0..n).map(|_| rng.below(3) as u8).collect();
    let x = Array4::from_shape_fn((n, 10, 10, 2), |(i, r, _, c)| {
        let bright = if r * 3 / 10 == y[i] as usize {
            0.8
        } else {
            0.1
        };
        bright * (c + 1) as f32 + 0.3 * rng.uniform()
    });
    (x, to_categorical(&Array1::from(y), 3).unwrap())
}
