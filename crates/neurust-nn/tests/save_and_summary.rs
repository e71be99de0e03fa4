//! The model file (safetensors with JSON metadata), weights set from elsewhere, and Keras's
//! summary table.

mod common;

use common::{blobs, small_model};
use ndarray::{ArrayD, IxDyn, ShapeBuilder, array};
use neurust_nn::{Dense, Dropout, Flatten, Sequential, load_model};

fn tutorial_model() -> Sequential {
    let mut model = Sequential::new();
    model.add(Flatten::new().input_shape([28, 28]));
    model.add(Dense::new(256).activation("relu"));
    model.add(Dropout::new(0.2));
    model.add(Dense::new(10).activation("softmax"));
    model
}

#[test]
fn the_summary_matches_keras_for_the_tutorial_model() {
    let mut model = tutorial_model();
    model
        .compile("adam", "sparse_categorical_crossentropy", &["accuracy"])
        .unwrap();
    let summary = model.summary();
    let params: Vec<usize> = summary.rows.iter().map(|r| r.params).collect();
    assert_eq!(params, [0, 200_960, 0, 2_570]);
    let text = summary.to_string();
    for want in [
        "Model: \"sequential\"",
        "│ flatten (Flatten)",
        "│ (None, 784)",
        "│ dense (Dense)",
        "200,960 │",
        "│ dropout (Dropout)",
        "│ dense_1 (Dense)",
        "│ (None, 10) ",
        "Total params: 203,530 (795.04 KB)",
        "Trainable params: 203,530 (795.04 KB)",
        "Non-trainable params: 0 (0.00 B)",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
    let widths: Vec<usize> = text
        .lines()
        .skip(1)
        .take(5)
        .map(|l| l.chars().count())
        .collect();
    assert!(
        widths.windows(2).all(|w| w[0] == w[1]),
        "table lines differ in width: {widths:?}\n{text}"
    );
}

/// A mistyped input shape: the summary shows a saturated count instead of overflowing.
#[test]
fn summary_of_an_unbuildable_model_does_not_overflow() {
    let mut model = Sequential::new();
    model
        .add(Flatten::new().input_shape([4]))
        .add(Dense::new(usize::MAX / 2))
        .add(Dense::new(10));
    assert_eq!(model.count_params(), usize::MAX);
    assert!(model.summary().to_string().contains("Total params"));
}

#[test]
fn save_and_load_round_trip_predictions_exactly() {
    let (x, y) = blobs(50, 1);
    let mut model = small_model(2, 0.2);
    model.fit(&x, &y).epochs(2).verbose(0).run().unwrap();
    let dir = std::env::temp_dir().join(format!("neurust-save-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("model.safetensors");
    model.save(&path).unwrap();
    let mut loaded = load_model(&path).unwrap();
    assert_eq!(loaded.predict(&x).unwrap(), model.predict(&x).unwrap());
    assert_eq!(loaded.summary(), model.summary());
    assert_eq!(
        loaded.evaluate(&x, &y).unwrap(),
        model.evaluate(&x, &y).unwrap(),
        "compile settings came back"
    );
    loaded.fit(&x, &y).epochs(1).verbose(0).run().unwrap();

    // The file is plain safetensors: an 8-byte little-endian header length, a JSON header
    // naming F32 tensors with shapes and offsets, then the data.
    let bytes = std::fs::read(&path).unwrap();
    let n = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    let header: serde_json::Value = serde_json::from_slice(&bytes[8..8 + n]).unwrap();
    assert_eq!(header["dense/kernel"]["dtype"], "F32");
    assert_eq!(header["dense/kernel"]["shape"], serde_json::json!([16, 16]));
    assert_eq!(header["dense_1/bias"]["shape"], serde_json::json!([3]));
    let meta: serde_json::Value =
        serde_json::from_str(header["__metadata__"]["neurust"].as_str().unwrap()).unwrap();
    assert_eq!(meta["compile"]["optimizer"]["name"], "adam");
    assert_eq!(meta["layers"][2]["class_name"], "Dropout");
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "no temporary file is left behind"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn loading_a_bad_file_is_a_clear_error() {
    let dir = std::env::temp_dir().join(format!("neurust-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("garbage.safetensors");
    std::fs::write(&path, b"\xff\xff\xff\xff\xff\xff\xff\x7fnot a model").unwrap();
    let msg = load_model(&path).err().unwrap().to_string();
    assert!(msg.contains("is not a neurust model file"), "{msg}");
    let missing = load_model(dir.join("nope.safetensors"))
        .err()
        .unwrap()
        .to_string();
    assert!(missing.contains("cannot read"), "{missing}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Weights built elsewhere often come transposed (PyTorch keeps `(out, in)`):
/// `w.reversed_axes()` is a column-major array of the right shape.
#[test]
fn set_weights_accepts_any_memory_layout() {
    let (x, y) = blobs(16, 4);
    let mut model = small_model(5, 0.0);
    let weights: Vec<ArrayD<f32>> = model
        .get_weights()
        .into_iter()
        .map(|w| {
            // Same logical values in column-major memory.
            let mut f = ArrayD::zeros(IxDyn(w.shape()).f());
            f.assign(&w);
            f
        })
        .collect();
    let expected = model.get_weights();
    model.set_weights(weights).unwrap();
    assert_eq!(model.get_weights(), expected);
    model.fit(&x, &y).verbose(0).run().unwrap();
    let reversed = array![[1.0f32, 2.0, 3.0], [4.0, 5.0, 6.0]].reversed_axes();
    let mut tiny = Sequential::with_seed(6);
    tiny.add(Flatten::new().input_shape([3])).add(Dense::new(2));
    tiny.compile("sgd", "mse", &["mae"]).unwrap();
    let bias = ArrayD::zeros(vec![2]);
    tiny.set_weights(vec![reversed.into_dyn(), bias]).unwrap();
    tiny.fit(&array![[1.0f32, 0.0, 0.0]], &array![[0.0f32, 0.0]])
        .verbose(0)
        .run()
        .unwrap();
}
