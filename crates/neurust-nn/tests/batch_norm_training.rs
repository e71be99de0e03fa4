//! BatchNormalization in convnets: learning on the 100-digit MNIST fixture, and bit-identical
//! weights at any thread count.

mod common;

use common::bands;
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

/// Runs this test binary again with other thread counts and compares the weights it prints.
#[test]
fn same_seed_gives_bit_identical_weights_at_any_thread_count() {
    let name = "same_seed_gives_bit_identical_weights_at_any_thread_count";
    let train = || {
        let (x, y) = bands(90, 4);
        let mut m = convnet(5, [10, 10, 2], 3);
        m.fit(&x, &y)
            .epochs(2)
            .batch_size(40)
            .verbose(0)
            .seed(6)
            .run()
            .unwrap();
        let bits: Vec<u32> = m
            .get_weights()
            .iter()
            .flat_map(|w| w.iter().map(|v| v.to_bits()).collect::<Vec<_>>())
            .collect();
        format!("{bits:?}")
    };
    if std::env::var("BATCH_NORM_CHILD").is_ok() {
        println!("WEIGHTS {}", train());
        return;
    }
    let run = |threads: &str| {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", name, "--nocapture"])
            .env("BATCH_NORM_CHILD", "1")
            .env("NEURUST_NUM_THREADS", threads)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        text.lines()
            .find_map(|l| l.strip_prefix("WEIGHTS ").map(String::from))
            .unwrap_or_else(|| panic!("no weights from the child: {text}"))
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    assert_eq!(one, run("3"));
    assert_eq!(one, train());
}
