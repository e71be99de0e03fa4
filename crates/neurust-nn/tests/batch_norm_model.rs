//! BatchNormalization in a model: its parameter counts in the summary, bad arguments and
//! shapes as clear errors, save/load of all four weights in Keras's names, and the layer's
//! model-file fuzz seeds.

mod common;

use common::bands;
use ndarray::{Array2, Array4, ArrayD};
use neurust_nn::{BatchNormalization, Conv2D, Dense, Flatten, Input, Sequential, load_model};

#[test]
fn summary_counts_the_moving_statistics_as_non_trainable() {
    let mut m = Sequential::with_seed(1);
    m.add(Input::new([28, 28, 1]));
    m.add(Conv2D::new(32, [3, 3]));
    m.add(BatchNormalization::new());
    m.add(Flatten::new());
    m.add(Dense::new(8).use_bias(false));
    m.add(BatchNormalization::new().center(false).scale(false));
    let s = m.summary();
    assert_eq!(s.rows[1].params, 128);
    assert_eq!(s.rows[4].params, 16);
    assert_eq!(s.rows[1].name, "batch_normalization");
    assert_eq!(s.rows[4].name, "batch_normalization_1");
    let total = 320 + 128 + 26 * 26 * 32 * 8 + 16;
    assert_eq!((s.total_params, s.non_trainable_params), (total, 64 + 16));
    assert_eq!(s.trainable_params, total - 80);
    let text = s.to_string();
    assert!(
        text.contains("Non-trainable params: 80 (320.00 B)"),
        "{text}"
    );
    assert!(
        text.contains("│ batch_normalization (BatchNormalization)"),
        "{text}"
    );
    assert_eq!(m.count_params(), total);
}

fn compile_error(layer: BatchNormalization, shape: &[usize]) -> String {
    let mut m = Sequential::with_seed(1);
    m.add(Input::new(shape));
    m.add(layer);
    m.compile("adam", "mse", &["mae"]).unwrap_err().to_string()
}

#[test]
fn bad_arguments_and_shapes_are_clear_errors() {
    let bn = BatchNormalization::new;
    for (layer, shape, want) in [
        (
            bn().axis(2),
            &[4][..],
            "axis 2 is out of range for its input (None, 4): use 1 or -1 ",
        ),
        (bn().axis(-3), &[4, 3][..], "use 1 to 2 or -1 to -2"),
        (bn().axis(0), &[4, 3][..], "axis 0 is the batch axis"),
        (
            bn().epsilon(0.0),
            &[4][..],
            "epsilon must be a positive number, got 0",
        ),
        (
            bn().epsilon(-1e-3),
            &[4][..],
            "epsilon must be a positive number",
        ),
        (
            bn().epsilon(f32::NAN),
            &[4][..],
            "epsilon must be a positive number, got NaN",
        ),
        (
            bn().momentum(1.0),
            &[4][..],
            "momentum must be in [0, 1), got 1",
        ),
        (bn().momentum(-0.1), &[4][..], "momentum must be in [0, 1)"),
        (
            bn().momentum(f32::NAN),
            &[4][..],
            "momentum must be in [0, 1), got NaN",
        ),
        (
            bn().gamma_initializer("onez"),
            &[4][..],
            "unknown initializer \"onez\"",
        ),
    ] {
        let msg = compile_error(layer, shape);
        assert!(msg.contains(want), "want {want:?} in {msg:?}");
    }
    // A channel count at call time other than the one the model was built for.
    let mut m = Sequential::with_seed(1);
    m.add(Input::new([3, 3, 4]));
    m.add(BatchNormalization::new());
    m.add(Flatten::new()).add(Dense::new(2));
    m.compile("adam", "mse", &["mae"]).unwrap();
    let wrong = ndarray::Array4::<f32>::zeros((2, 3, 3, 5));
    let msg = m.predict(&wrong).unwrap_err().to_string();
    assert!(
        msg.contains("expected (n, 3, 3, 4), got (2, 3, 3, 5)"),
        "{msg}"
    );
    let msg = m
        .fit(&wrong, &Array2::<f32>::zeros((2, 2)))
        .verbose(0)
        .run()
        .unwrap_err()
        .to_string();
    assert!(msg.contains("(n, 3, 3, 4)"), "{msg}");
    let mut w = m.get_weights();
    w[3] = ArrayD::ones(vec![5]);
    let msg = m.set_weights(w).unwrap_err().to_string();
    assert!(
        msg.contains("batch_normalization/moving_variance") && msg.contains("[4]"),
        "{msg}"
    );
}

#[test]
fn save_and_load_keep_all_four_weights_in_keras_names_and_the_settings() {
    let (x, y) = bands(40, 9);
    let mut m = Sequential::with_seed(3);
    m.add(Input::new([10, 10, 2]));
    m.add(Conv2D::new(4, [3, 3]).use_bias(false));
    m.add(BatchNormalization::new().momentum(0.8).epsilon(1e-5));
    m.add(Flatten::new());
    m.add(
        BatchNormalization::new()
            .axis(1)
            .center(false)
            .name("bn_flat"),
    );
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
    let dir = std::env::temp_dir().join(format!("neurust-batch-norm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bn.safetensors");
    m.save(&path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let tensors = safetensors::SafeTensors::deserialize(&bytes).unwrap();
    for (name, len) in [
        ("batch_normalization/gamma", 4),
        ("batch_normalization/beta", 4),
        ("batch_normalization/moving_mean", 4),
        ("batch_normalization/moving_variance", 4),
        ("bn_flat/gamma", 256),
        ("bn_flat/moving_mean", 256),
        ("bn_flat/moving_variance", 256),
    ] {
        assert_eq!(tensors.tensor(name).unwrap().shape(), [len], "{name}");
    }
    assert!(
        tensors.tensor("bn_flat/beta").is_err(),
        "center(false) has no beta"
    );
    let (_, meta) = safetensors::SafeTensors::read_metadata(&bytes).unwrap();
    let config: serde_json::Value =
        serde_json::from_str(&meta.metadata().as_ref().unwrap()["neurust"]).unwrap();
    let bn = &config["layers"][2]["config"];
    assert_eq!(config["layers"][2]["class_name"], "BatchNormalization");
    assert_eq!(
        (bn["momentum"].as_f64(), bn["epsilon"].as_f64()),
        (Some(0.8), Some(1e-5))
    );
    assert_eq!(
        (bn["axis"].as_i64(), bn["center"].as_bool()),
        (Some(-1), Some(true))
    );

    let mut back = load_model(&path).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let moving = m.get_weights()[3].clone();
    assert_ne!(
        moving,
        ndarray::ArrayD::<f32>::ones(vec![4]),
        "the moving variance moved"
    );
    assert_eq!(back.get_weights(), m.get_weights());
    assert_eq!(back.summary(), m.summary());
    assert_eq!(back.summary().non_trainable_params, 8 + 512);
    assert_eq!(back.predict(&x).unwrap(), m.predict(&x).unwrap());
    // Momentum, epsilon, axis and center came back: more training (both with a fresh
    // optimizer, as a loaded model has) goes the same way.
    for model in [&mut m, &mut back] {
        model
            .compile("adam", "categorical_crossentropy", &["accuracy"])
            .unwrap();
        model
            .fit(&x, &y)
            .epochs(1)
            .batch_size(8)
            .verbose(0)
            .seed(7)
            .run()
            .unwrap();
    }
    assert_eq!(back.get_weights(), m.get_weights());
}

/// The model-file fuzz seeds of the layer: the whole file loads and predicts; each edge-case
/// architecture (behind an empty weight list) is an error, never a panic.
#[test]
fn the_batch_normalization_fuzz_seeds_load_or_fail_cleanly() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/seeds/fuzz_model_file");
    let file = std::fs::read(dir.join("batchnorm")).unwrap();
    let mut model = Sequential::load_from_bytes(&file[1..]).unwrap();
    assert_eq!(model.summary().non_trainable_params, 2 * 2 + 2 * 3);
    let p = model.predict(&Array4::<f32>::ones((2, 6, 6, 1))).unwrap();
    assert_eq!(p.dim(), (2, 2));
    for seed in [
        "bn_axis_batch",
        "bn_axis_out_of_range",
        "bn_zero_epsilon",
        "bn_momentum_one",
        "bn_axis_not_integer",
        "bn_huge_channels",
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
