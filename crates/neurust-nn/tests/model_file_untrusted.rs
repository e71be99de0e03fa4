//! Model files are untrusted input: `Sequential::load_from_bytes` (and so `load_model`) must
//! turn any malformed or absurd file into an error, quickly and without allocating sizes the
//! file only claims.

use std::collections::HashMap;

use neurust_nn::{ActivationLayer, Flatten, Sequential};
use safetensors::{Dtype, tensor::TensorView};
use serde_json::{Value, json};

/// A safetensors file with `metadata` as the architecture and zero-filled tensors.
fn file(metadata: &Value, tensors: &[(&str, Dtype, &[usize])]) -> Vec<u8> {
    let data: Vec<Vec<u8>> = tensors
        .iter()
        .map(|(_, dtype, shape)| vec![0; shape.iter().product::<usize>() * dtype.bitsize() / 8])
        .collect();
    let views = tensors
        .iter()
        .zip(&data)
        .map(|((name, dtype, shape), data)| {
            let view = TensorView::new(*dtype, shape.to_vec(), data).unwrap();
            (name.to_string(), view)
        });
    let meta = HashMap::from([("neurust".to_string(), metadata.to_string())]);
    safetensors::serialize(views, Some(meta)).unwrap()
}

fn dense(name: &str, units: u64) -> Value {
    json!({"class_name": "Dense", "config": {"name": name, "units": units, "activation": "relu"}})
}

const SMALL: &[(&str, Dtype, &[usize])] = &[
    ("dense/kernel", Dtype::F32, &[4, 3]),
    ("dense/bias", Dtype::F32, &[3]),
];

fn load_err(bytes: &[u8]) -> String {
    match Sequential::load_from_bytes(bytes) {
        Ok(_) => panic!("loaded an invalid model"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_matching_file_loads() {
    let meta = json!({"input_shape": [4], "layers": [dense("dense", 3)]});
    let model = Sequential::load_from_bytes(&file(&meta, SMALL)).unwrap();
    assert_eq!(model.count_params(), 15);
}

#[test]
fn absurd_units_are_an_error_not_an_allocation() {
    let meta = json!({"input_shape": [4], "layers": [dense("dense", 1_000_000_000_000)]});
    let err = load_err(&file(&meta, SMALL));
    assert!(
        err.contains("layer dense needs 5000000000000 weights"),
        "{err}"
    );
    assert!(err.contains("the file holds 15"), "{err}");
}

#[test]
fn absurd_input_shapes_are_an_error_not_an_allocation() {
    let meta = json!({"input_shape": [1_000_000_000, 1_000_000_000],
        "layers": [{"class_name": "Flatten", "config": {"name": "flatten"}}, dense("dense", 3)]});
    let err = load_err(&file(&meta, SMALL));
    assert!(
        err.contains("dense needs 3000000000000000003 weights"),
        "{err}"
    );
    let meta = json!({"input_shape": [1u64 << 40], "layers": [dense("dense", 1 << 40)]});
    let err = load_err(&file(&meta, SMALL));
    assert!(
        err.contains("needs more than this machine can address"),
        "{err}"
    );
    // A shape whose element count overflows is refused by Flatten itself.
    let meta = json!({"input_shape": [u64::MAX, 2],
        "layers": [{"class_name": "Flatten", "config": {"name": "flatten"}}]});
    let err = load_err(&file(&meta, &[]));
    assert!(
        err.contains("more values than this machine can address"),
        "{err}"
    );
}

#[test]
fn layers_sharing_a_name_cannot_reuse_one_tensor() {
    // Each layer of the same name would pass the size check on the one tensor, then be built
    // with weights of its own: 10,000 layers on a 1 MB tensor would allocate ~30 GiB (100 here,
    // so that a regression fails the test rather than the machine).
    let layers: Vec<Value> = (0..100)
        .map(|_| json!({"class_name": "Dense", "config": {"name": "d", "units": 512, "use_bias": false}}))
        .collect();
    let meta = json!({"input_shape": [512], "layers": layers});
    let err = load_err(&file(&meta, &[("d/kernel", Dtype::F32, &[512, 512])]));
    assert!(err.contains("two layers are named \"d\""), "{err}");
}

#[test]
fn a_shape_declared_by_the_first_layer_is_checked_too() {
    // No model-level input shape: the first layer's own is the one the model is built for.
    let huge = json!({"class_name": "Dense",
        "config": {"name": "dense", "units": 1_000_000_000_000u64, "input_shape": [4]}});
    let err = load_err(&file(&json!({"layers": [huge]}), &[]));
    assert!(
        err.contains("layer dense needs 5000000000000 weights"),
        "{err}"
    );
    let fits =
        json!({"class_name": "Dense", "config": {"name": "dense", "units": 3, "input_shape": [4]}});
    let model = Sequential::load_from_bytes(&file(&json!({"layers": [fits]}), SMALL)).unwrap();
    assert_eq!(
        model.count_params(),
        15,
        "built at load, from the file's weights"
    );
}

#[test]
fn weights_of_another_type_or_size_are_refused() {
    let meta = json!({"input_shape": [4], "layers": [dense("dense", 3)]});
    let f64s: &[(&str, Dtype, &[usize])] = &[
        ("dense/kernel", Dtype::F64, &[4, 3]),
        ("dense/bias", Dtype::F32, &[3]),
    ];
    assert!(load_err(&file(&meta, f64s)).contains("dense/kernel is F64, expected F32"));
    let transposed: &[(&str, Dtype, &[usize])] = &[
        ("dense/kernel", Dtype::F32, &[3, 4]),
        ("dense/bias", Dtype::F32, &[3]),
    ];
    let err = load_err(&file(&meta, transposed));
    assert!(err.contains("weights of dense/kernel"), "{err}");
}

#[test]
fn a_model_without_weights_round_trips() {
    let mut model = Sequential::with_seed(0);
    model.add(Flatten::new().input_shape([2, 3]));
    model.add(ActivationLayer::new("softmax"));
    let dir = std::env::temp_dir().join(format!("neurust-noweights-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("m.safetensors");
    model.save(&path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let loaded = Sequential::load_from_bytes(&bytes).unwrap();
    assert_eq!(loaded.input_shape(), Some(vec![2, 3]));
    assert_eq!(loaded.layers().count(), 2);
}

#[test]
fn an_empty_input_dimension_cannot_hide_a_huge_layer() {
    // With 0 inputs a Dense layer holds 0 weights whatever its units, so the size check alone
    // would pass and the first predict would allocate 10^12 outputs per sample.
    let dense = json!({"class_name": "Dense",
        "config": {"name": "dense", "units": 1_000_000_000_000u64, "use_bias": false}});
    let meta = json!({"input_shape": [0], "layers": [dense]});
    let err = load_err(&file(
        &meta,
        &[("dense/kernel", Dtype::F32, &[0, 1_000_000_000_000])],
    ));
    assert!(err.contains("has a dimension of 0"), "{err}");
}
