//! BatchNormalization in convnets: learning on the 100-digit MNIST fixture, and bit-identical
//! weights at any thread count.

mod common;

use common::bands;
use common::threads::{assert_same_weights_at_any_thread_count, two_epochs};
use ndarray::{Array2, Array4, Axis};
use neurust_nn::{
    ActivationLayer, BatchNormalization, Conv2D, Dense, Flatten, Input, MaxPooling2D, Sequential,
    to_categorical,
};

/// Conv → BN → ReLU → pool, twice, then softmax: Keras's usual placement (the convolutions
/// without bias, which BN's beta replaces). Momentum 0.9: the fixture gives 120 steps, after
/// which Keras's 0.99 would still hold 0.99^120 ≈ 30% of the initial moving variance (1, for
/// batch variances near 0.02), and inference would lag training.
fn convnet(seed: u64, input: [usize; 3], classes: usize) -> Sequential {
    let mut m = Sequential::with_seed(seed);
    m.add(Input::new(input));
    m.add(Conv2D::new(8, [3, 3]).use_bias(false));
    m.add(BatchNormalization::new().momentum(0.9));
    m.add(ActivationLayer::new("relu"));
    m.add(MaxPooling2D::new([2, 2]));
    m.add(Conv2D::new(12, [3, 3]).use_bias(false));
    m.add(BatchNormalization::new().momentum(0.9));
    m.add(ActivationLayer::new("relu"));
    m.add(MaxPooling2D::new([2, 2]));
    m.add(Flatten::new());
    m.add(Dense::new(classes).activation("softmax"));
    m.compile("adam", "categorical_crossentropy", &["accuracy"])
        .unwrap();
    m
}

fn mnist_fixture() -> (Array4<f32>, Array2<f32>, Array4<f32>, Array2<f32>) {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../neurust-datasets/tests/fixtures/mnist-small"
    );
    let ((x, y), (xt, yt)) = neurust_datasets::mnist::load_data_from(dir).unwrap();
    let images = |x: ndarray::Array3<u8>| x.mapv(|v| v as f32 / 255.0).insert_axis(Axis(3));
    let (y, yt) = (
        to_categorical(&y, 10).unwrap(),
        to_categorical(&yt, 10).unwrap(),
    );
    (images(x), y, images(xt), yt)
}

#[test]
fn a_convnet_with_batch_normalization_learns_the_mnist_fixture() {
    let (x, y, xt, yt) = mnist_fixture();
    let mut m = convnet(1, [28, 28, 1], 10);
    let before = m.evaluate(&xt, &yt).unwrap()["loss"];
    let h = m
        .fit(&x, &y)
        .epochs(12)
        .batch_size(10)
        .verbose(0)
        .seed(2)
        .run()
        .unwrap();
    let loss = &h.history["loss"];
    let last = loss.len() - 1;
    assert!(loss[last] < 0.3 * loss[0], "training loss {loss:?}");
    assert!(h.history["accuracy"][last] > 0.85, "{h:?}");
    // At inference (moving statistics) the held-out digits are predicted better too.
    let after = m.evaluate(&xt, &yt).unwrap();
    assert!(
        after["loss"] < before,
        "test loss {before} -> {}",
        after["loss"]
    );
    assert!(after["accuracy"] > 0.4, "{after}");
}

#[test]
fn same_seed_gives_bit_identical_weights_at_any_thread_count() {
    assert_same_weights_at_any_thread_count(
        "same_seed_gives_bit_identical_weights_at_any_thread_count",
        || {
            let (x, y) = bands(90, 4);
            two_epochs(convnet(5, [10, 10, 2], 3), &x, &y)
        },
    );
}
