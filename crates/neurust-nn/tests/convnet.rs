//! Keras's "Simple MNIST convnet" model: its summary, one-hot targets, training semantics
//! (bit-identical at any thread count, fit again continues), save/load in Keras's layouts,
//! and bad input as clear errors.

mod common;

use common::message;
use common::threads::{assert_same_weights_at_any_thread_count, two_epochs};
use ndarray::{Array1, Array2, Array3, Array4, Axis};
use neurust_nn::{
    AveragePooling2D, Conv2D, Dense, Dropout, Flatten, GlobalAveragePooling2D, Input, MaxPooling2D,
    Sequential, load_model, to_categorical,
};

/// keras.io's model, exactly.
fn published(seed: u64) -> Sequential {
    let mut m = Sequential::with_seed(seed);
    m.add(Input::new([28, 28, 1]));
    m.add(Conv2D::new(32, [3, 3]).activation("relu"));
    m.add(MaxPooling2D::new([2, 2]));
    m.add(Conv2D::new(64, [3, 3]).activation("relu"));
    m.add(MaxPooling2D::new([2, 2]));
    m.add(Flatten::new());
    m.add(Dropout::new(0.5));
    m.add(Dense::new(10).activation("softmax"));
    m.compile("adam", "categorical_crossentropy", &["accuracy"])
        .unwrap();
    m
}

/// `n` small 12×12 one-channel images whose class (0..3) decides which third is bright.
fn stripes(n: usize, seed: u64) -> (Array4<f32>, Array1<u8>) {
    let mut rng = neurust_nn::Rng::new(seed);
    let y = Array1::from_shape_fn(n, |_| rng.below(3) as u8);
    let x = Array4::from_shape_fn((n, 12, 12, 1), |(i, r, _, _)| {
        let bright = if r / 4 == y[i] as usize { 0.8 } else { 0.1 };
        bright + 0.2 * rng.uniform()
    });
    (x, y)
}

fn small(seed: u64) -> Sequential {
    let mut m = Sequential::with_seed(seed);
    m.add(
        Conv2D::new(6, [3, 3])
            .activation("relu")
            .input_shape([12, 12, 1]),
    );
    m.add(MaxPooling2D::new([2, 2]));
    m.add(Conv2D::new(8, [3, 3]).padding("same").activation("relu"));
    m.add(AveragePooling2D::new([2, 2]));
    m.add(Flatten::new());
    m.add(Dense::new(3).activation("softmax"));
    m.compile("adam", "categorical_crossentropy", &["accuracy"])
        .unwrap();
    m
}

#[test]
fn the_summary_matches_keras_for_the_published_model() {
    let model = published(1);
    let summary = model.summary();
    let shapes: Vec<String> = summary.rows.iter().map(|r| r.output_shape_text()).collect();
    assert_eq!(
        shapes,
        [
            "(None, 26, 26, 32)",
            "(None, 13, 13, 32)",
            "(None, 11, 11, 64)",
            "(None, 5, 5, 64)",
            "(None, 1600)",
            "(None, 1600)",
            "(None, 10)"
        ]
    );
    let params: Vec<usize> = summary.rows.iter().map(|r| r.params).collect();
    assert_eq!(params, [320, 0, 18_496, 0, 0, 0, 16_010]);
    let text = summary.to_string();
    for want in [
        "│ conv2d (Conv2D)",
        "│ max_pooling2d (MaxPooling2D)",
        "│ conv2d_1 (Conv2D)",
        "│ max_pooling2d_1 (MaxPooling2D)",
        "Total params: 34,826 (136.04 KB)",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
    assert!(!text.contains("input"), "Keras lists no input row:\n{text}");
}

#[test]
fn to_categorical_makes_one_hot_rows_and_refuses_ids_out_of_range() {
    let y = to_categorical(&Array1::from(vec![1u8, 0, 2]), 3).unwrap();
    assert_eq!(y, ndarray::array![[0., 1., 0.], [1., 0., 0.], [0., 0., 1.]]);
    let err = to_categorical(&Array1::from(vec![1u8, 10]), 10)
        .unwrap_err()
        .to_string();
    assert!(err.contains("label 10") && err.contains("0..10"), "{err}");
}

#[test]
fn the_small_convnet_learns_with_one_hot_targets_and_accuracy_is_categorical() {
    let (x, y) = stripes(192, 1);
    let y = to_categorical(&y, 3).unwrap();
    let mut m = small(2);
    let history = m
        .fit(&x, &y)
        .epochs(8)
        .batch_size(16)
        .validation_split(0.25)
        .verbose(0)
        .seed(3)
        .run()
        .unwrap();
    assert!(
        history.history["val_accuracy"].last().unwrap() > &0.9,
        "{history:?}"
    );
    let eval = m.evaluate(&x, &y).unwrap();
    assert!(eval["accuracy"] > 0.9, "{eval}");
    // "accuracy" is categorical accuracy: the argmax of the prediction against the one-hot's.
    let p = m.predict(&x).unwrap();
    let hits = (0..x.len_of(Axis(0)))
        .filter(|&i| neurust_nn::argmax(p.row(i)) == neurust_nn::argmax(y.row(i)))
        .count();
    assert!((eval["accuracy"] - hits as f64 / 192.0).abs() < 1e-9);
}

#[test]
fn same_seed_gives_bit_identical_weights_at_any_thread_count() {
    assert_same_weights_at_any_thread_count(
        "same_seed_gives_bit_identical_weights_at_any_thread_count",
        || {
            let (x, y) = stripes(96, 4);
            two_epochs(small(5), &x, &to_categorical(&y, 3).unwrap())
        },
    );
}

#[test]
fn fit_again_continues_from_the_trained_weights() {
    let (x, y) = stripes(64, 7);
    let y = to_categorical(&y, 3).unwrap();
    let mut m = small(8);
    m.fit(&x, &y)
        .epochs(3)
        .batch_size(16)
        .verbose(0)
        .seed(1)
        .run()
        .unwrap();
    let loss = m.evaluate(&x, &y).unwrap()["loss"];
    let trained = m.get_weights();
    m.fit(&x, &y)
        .epochs(3)
        .batch_size(16)
        .verbose(0)
        .seed(2)
        .run()
        .unwrap();
    assert_ne!(trained, m.get_weights());
    assert!(m.evaluate(&x, &y).unwrap()["loss"] < loss);
}

#[test]
fn save_and_load_keep_every_new_layer_with_keras_kernel_layouts() {
    let (x, y) = stripes(32, 9);
    let y = to_categorical(&y, 3).unwrap();
    let mut m = Sequential::with_seed(3);
    m.add(Input::new([12, 12, 1]));
    m.add(
        Conv2D::new(4, [3, 2])
            .strides([2, 1])
            .padding("same")
            .use_bias(false)
            .activation("tanh"),
    );
    m.add(MaxPooling2D::new([3, 3]).strides([1, 1]));
    m.add(AveragePooling2D::new([2, 2]).padding("same"));
    m.add(Conv2D::new(5, [1, 1]).kernel_initializer("he_normal"));
    m.add(GlobalAveragePooling2D::new());
    m.add(Dense::new(3).activation("softmax"));
    m.compile("adam", "categorical_crossentropy", &["accuracy"])
        .unwrap();
    m.fit(&x, &y)
        .epochs(1)
        .batch_size(8)
        .verbose(0)
        .seed(1)
        .run()
        .unwrap();
    let dir = std::env::temp_dir().join(format!("neurust-convnet-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("conv.safetensors");
    m.save(&path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let tensors = safetensors::SafeTensors::deserialize(&bytes).unwrap();
    assert_eq!(
        tensors.tensor("conv2d/kernel").unwrap().shape(),
        [3, 2, 1, 4]
    );
    assert!(tensors.tensor("conv2d/bias").is_err());
    assert_eq!(
        tensors.tensor("conv2d_1/kernel").unwrap().shape(),
        [1, 1, 4, 5]
    );
    let mut back = load_model(&path).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(back.get_weights(), m.get_weights());
    assert_eq!(back.summary(), m.summary());
    assert_eq!(back.predict(&x).unwrap(), m.predict(&x).unwrap());
}

#[test]
fn bad_input_is_a_clear_error() {
    // (n, 28, 28) fed to a (28, 28, 1) model: say how to add the channel axis.
    let mut m = published(1);
    let x = Array3::<f32>::zeros((4, 28, 28));
    let y = to_categorical(&Array1::from(vec![0u8, 1, 2, 3]), 10).unwrap();
    let msg = message(m.fit(&x, &y).verbose(0).run());
    assert!(
        msg.contains("(n, 28, 28, 1)") && msg.contains("insert_axis(Axis(3))"),
        "{msg}"
    );
    let msg = message(m.predict(&x));
    assert!(msg.contains("insert_axis(Axis(3))"), "{msg}");
    // The same for a model whose first layer declares no shape.
    let mut bare = Sequential::with_seed(1);
    bare.add(Conv2D::new(2, [3, 3]))
        .add(Flatten::new())
        .add(Dense::new(10));
    bare.compile("adam", "categorical_crossentropy", &["accuracy"])
        .unwrap();
    let msg = message(bare.fit(&x, &y).verbose(0).run());
    assert!(msg.contains("insert_axis(Axis(3))"), "{msg}");
    // One-hot targets of the wrong width.
    let x4 = x.clone().insert_axis(Axis(3));
    let msg = message(m.fit(&x4, &Array2::<f32>::zeros((4, 9))).verbose(0).run());
    assert!(msg.contains("(n, 10)") && msg.contains("(n, 9)"), "{msg}");
    // Class ids with categorical_crossentropy: say to use to_categorical or the sparse loss.
    let msg = message(
        m.fit(&x4, &Array1::from(vec![0u8, 1, 2, 3]))
            .verbose(0)
            .run(),
    );
    assert!(msg.contains("sparse_categorical_crossentropy"), "{msg}");

    let build = |layer: Box<dyn Fn(&mut Sequential)>| {
        let mut m = Sequential::with_seed(1);
        m.add(Input::new([5, 5, 2]));
        layer(&mut m);
        m.add(Flatten::new()).add(Dense::new(2));
        message(m.compile("adam", "mse", &["mae"]))
    };
    let msg = build(Box::new(|m| {
        m.add(Conv2D::new(4, [7, 3]));
    }));
    assert!(
        msg.contains("kernel (7 × 3) is larger than its input (5 × 5)"),
        "{msg}"
    );
    let msg = build(Box::new(|m| {
        m.add(MaxPooling2D::new([6, 6]));
    }));
    assert!(
        msg.contains("pool (6 × 6) is larger than its input (5 × 5)"),
        "{msg}"
    );
    let msg = build(Box::new(|m| {
        m.add(Conv2D::new(0, [3, 3]));
    }));
    assert!(msg.contains("at least one filter"), "{msg}");
    let msg = build(Box::new(|m| {
        m.add(Conv2D::new(3, [3, 3]).strides([0, 1]));
    }));
    assert!(msg.contains("strides must be at least 1"), "{msg}");
    let msg = build(Box::new(|m| {
        m.add(AveragePooling2D::new([2, 2]).strides([1, 0]));
    }));
    assert!(msg.contains("strides must be at least 1"), "{msg}");
    let msg = build(Box::new(|m| {
        m.add(Conv2D::new(3, [1, 1]).strides([2, 2]).padding("same"));
    }));
    assert!(msg.contains("ambiguous"), "{msg}");
    let msg = build(Box::new(|m| {
        m.add(Conv2D::new(3, [3, 3]).padding("full"));
    }));
    assert!(msg.contains("valid paddings are: valid, same"), "{msg}");
    let msg = build(Box::new(|m| {
        m.add(Conv2D::new(3, [0, 3]));
    }));
    assert!(msg.contains("at least 1 × 1"), "{msg}");
}

/// The fuzz seeds of the convolutional layers: the whole convnet file loads and predicts; each
/// edge-case architecture (behind an empty weight list) is an error, never a panic.
#[test]
fn the_convolutional_fuzz_seeds_load_or_fail_cleanly() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/seeds/fuzz_model_file");
    let file = std::fs::read(dir.join("convnet")).unwrap();
    let mut model = Sequential::load_from_bytes(&file[1..]).unwrap();
    assert_eq!(model.count_params(), 20 + 24 + 8);
    let p = model.predict(&Array4::<f32>::ones((2, 6, 6, 1))).unwrap();
    assert_eq!(p.dim(), (2, 2));
    for seed in [
        "conv_huge_filters",
        "conv_kernel_too_big",
        "conv_no_channel_axis",
        "conv_same_wide_stride",
        "conv_zero_stride",
        "pool_too_big",
        "pool_zero_size",
    ] {
        let meta = std::fs::read(dir.join(seed)).unwrap();
        let meta = String::from_utf8(meta[1..].to_vec()).unwrap();
        let metadata = std::collections::HashMap::from([("neurust".to_string(), meta)]);
        let views: Vec<(String, safetensors::tensor::TensorView)> = Vec::new();
        let bytes = safetensors::serialize(views, Some(metadata)).unwrap();
        let err = Sequential::load_from_bytes(&bytes).err();
        assert!(err.is_some(), "{seed} loaded");
    }
}
