//! The tutorial's MLP, whose 784-input kernel is split into two row panels across the thread
//! team (`linalg::panels`), trains to the same weights at any thread count, on digits with a
//! blank border as MNIST's: with ink on most of the middle, the products leave out the inputs
//! that are zero in every sample (`linalg::skip`); with ink as sparse as MNIST's, every zero
//! input of each sample (`linalg::sparse`), also as a processor without AVX-512 does it.

mod common;

use common::threads::{
    assert_same_weights_at_any_thread_count, assert_same_weights_at_any_thread_count_with,
};
use ndarray::{Array1, Array3};
use neurust_nn::{Dense, Dropout, Flatten, Rng, Sequential};

/// Two epochs of the tutorial's model on 96 digits of 28×28 pixels whose middle 20×20 are
/// inked with probability `ink`, and whose other pixels are blank.
fn trained(ink: f32) -> Sequential {
    trained_on(28, ink)
}

/// [`trained`] on images of `side`×`side` pixels, blank within 4 pixels of the edge.
fn trained_on(side: usize, ink: f32) -> Sequential {
    let mut rng = Rng::new(8);
    let x = Array3::from_shape_fn((96, side, side), |(_, i, j)| {
        let middle = (4..side - 4).contains(&i) && (4..side - 4).contains(&j);
        let v = rng.uniform();
        if middle && v < ink { v / ink } else { 0.0 }
    });
    let y = Array1::from_shape_fn(96, |i| (x[[i, side / 2, side / 2]] * 9.99) as u8);
    let mut m = Sequential::with_seed(4);
    m.add(Flatten::new().input_shape([side, side]));
    m.add(Dense::new(72).activation("relu"));
    m.add(Dropout::new(0.2));
    m.add(Dense::new(10).activation("softmax"));
    m.compile("adam", "sparse_categorical_crossentropy", &["accuracy"])
        .unwrap();
    m.fit(&x, &y)
        .epochs(2)
        .batch_size(32)
        .verbose(0)
        .seed(6)
        .run()
        .unwrap();
    m
}

/// About 36% of the pixels inked: too many for `sparse`, while half the inputs are blank in
/// every sample.
#[test]
fn the_tutorial_mlp_trains_to_the_same_bits_at_any_thread_count() {
    assert_same_weights_at_any_thread_count(
        "the_tutorial_mlp_trains_to_the_same_bits_at_any_thread_count",
        || trained(0.7),
    );
}

/// About 20% of the pixels inked, as in MNIST.
#[test]
fn the_tutorial_mlp_on_sparse_digits_trains_to_the_same_bits_at_any_thread_count() {
    assert_same_weights_at_any_thread_count(
        "the_tutorial_mlp_on_sparse_digits_trains_to_the_same_bits_at_any_thread_count",
        || trained(0.4),
    );
}

/// As a processor without AVX-512 trains: the plain products on the `gemm` crate, the sparse
/// ones on the portable kernel (`NEURUST_GEMM=crate`). The `gemm` crate sums long products
/// (here the 40×40 images' two panels of 800 inputs) in another order than the sparse
/// product, so each block of a product must take the path the whole takes, also at 4 threads,
/// where the first kernel's 72 columns are split into blocks narrower than the sparse
/// product's least width.
#[test]
fn the_mlp_without_avx512_trains_to_the_same_bits_at_any_thread_count() {
    assert_same_weights_at_any_thread_count_with(
        "the_mlp_without_avx512_trains_to_the_same_bits_at_any_thread_count",
        &[("NEURUST_GEMM", "crate")],
        || trained_on(40, 0.4),
    );
}
