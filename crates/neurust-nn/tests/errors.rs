//! Bad input gets a clear error that says what was expected, and leaves the model usable.

mod common;

use common::{blobs, message, small_model};
use ndarray::{Array1, Array2, Array3, arr0, array, s};
use neurust_nn::{Dense, Dropout, Flatten, Sequential};

#[test]
fn a_shape_mismatch_says_what_was_expected_and_what_came() {
    let mut model = Sequential::new();
    model
        .add(Flatten::new().input_shape([28, 28]))
        .add(Dense::new(10).activation("softmax"));
    model
        .compile("adam", "sparse_categorical_crossentropy", &["accuracy"])
        .unwrap();
    let x = Array2::<f32>::zeros((10000, 784));
    let y = Array1::<u8>::zeros(10000);
    let msg = message(model.fit(&x, &y).verbose(0).run());
    assert!(
        msg.contains("expected (n, 28, 28), got (10000, 784)"),
        "{msg}"
    );
    assert!(message(model.predict(&x)).contains("expected (n, 28, 28), got (10000, 784)"));
    assert!(message(model.evaluate(&x, &y)).contains("expected (n, 28, 28)"));
}

#[test]
fn labels_out_of_range_or_of_the_wrong_kind_are_refused() {
    let (x, mut y) = blobs(20, 1);
    let mut model = small_model(2, 0.0);
    y[7] = 3;
    let msg = message(model.fit(&x, &y).verbose(0).run());
    assert!(
        msg.contains("label 3 (sample 7) is out of range") && msg.contains("0..3"),
        "{msg}"
    );
    let negative = Array1::from_elem(20, -1i64);
    assert!(message(model.fit(&x, &negative).verbose(0).run()).contains("found -1"));
    let one_hot = Array2::<f32>::zeros((20, 3));
    assert!(
        message(model.fit(&x, &one_hot).verbose(0).run()).contains("use categorical_crossentropy")
    );
    let wide = Array2::<u8>::zeros((20, 2));
    assert!(message(model.fit(&x, &wide).verbose(0).run()).contains("expected (n,) class ids"));
}

/// `y.slice(s![0])` on a 1-D label array is a 0-d view: a scalar label, not an array of them.
#[test]
fn scalar_labels_are_a_shape_error() {
    let (x, y) = blobs(4, 2);
    let mut model = small_model(3, 0.0);
    let msg = message(model.train_on_batch(&x.slice(s![0..1, .., ..]), &y.slice(s![0])));
    assert!(msg.contains("labels") && msg.contains("(n,)"), "{msg}");
    let msg = message(model.evaluate(&x.slice(s![0..1, .., ..]), &arr0(1.0f32)));
    assert!(msg.contains("labels") && msg.contains("(n,)"), "{msg}");
}

#[test]
fn x_and_y_of_different_lengths_are_refused() {
    let (x, y) = blobs(20, 3);
    let mut model = small_model(4, 0.0);
    let msg = message(model.fit(&x, &y.slice(ndarray::s![..19])).verbose(0).run());
    assert!(msg.contains("x has 20 samples, y has 19"), "{msg}");
}

#[test]
fn calls_in_the_wrong_order_say_what_to_do() {
    let (x, y) = blobs(8, 5);
    let mut model = Sequential::new();
    model.add(Flatten::new()).add(Dense::new(3));
    assert!(message(model.fit(&x, &y).verbose(0).run()).contains("call model.compile("));
    assert_eq!(
        model.predict(&x).unwrap().dim(),
        (8, 3),
        "predict builds a model not built yet, as Keras does"
    );
    let other = Array2::<f32>::zeros((2, 16));
    let msg = message(model.predict(&other));
    assert!(msg.contains("expected (n, 4, 4), got (2, 16)"), "{msg}");
    model
        .compile("adam", "sparse_categorical_crossentropy", &["accuracy"])
        .unwrap();
    model.fit(&x, &y).verbose(0).run().unwrap();
    assert_eq!(model.predict(&x).unwrap().dim(), (8, 3));
}

#[test]
fn unknown_names_list_the_valid_ones() {
    let mut model = small_model(6, 0.0);
    let cases = [
        (
            message(model.compile("adamm", "mse", &["accuracy"])),
            "unknown optimizer \"adamm\"; valid optimizers are: adam, adamw, sgd, rmsprop",
        ),
        (
            message(model.compile("adam", "crossentropy", &["accuracy"])),
            "unknown loss \"crossentropy\"",
        ),
        (
            message(model.compile("adam", "mse", &["precision"])),
            "unknown metric \"precision\"",
        ),
    ];
    for (msg, want) in cases {
        assert!(msg.contains(want), "{msg}");
    }
    let mut bad = Sequential::new();
    bad.add(Flatten::new().input_shape([4]))
        .add(Dense::new(3).activation("relux"));
    let msg = message(bad.compile("adam", "mse", &["mae"]));
    assert!(
        msg.contains("unknown activation \"relux\"")
            && msg.contains("relu, sigmoid, tanh, softmax"),
        "{msg}"
    );
}

#[test]
fn bad_arguments_are_refused_before_training() {
    let (x, y) = blobs(20, 7);
    let mut model = small_model(8, 0.0);
    let before = model.get_weights();
    for split in [1.0, -0.1, 1.5] {
        assert!(
            message(model.fit(&x, &y).validation_split(split).verbose(0).run())
                .contains("validation_split must be in [0, 1)")
        );
    }
    assert!(message(model.fit(&x, &y).batch_size(0).verbose(0).run()).contains("batch_size"));
    let empty = Array3::<f32>::zeros((0, 4, 4));
    assert!(
        message(model.fit(&empty, &Array1::<u8>::zeros(0)).verbose(0).run())
            .contains("at least one sample")
    );
    let mut bad_drop = Sequential::new();
    bad_drop
        .add(Flatten::new().input_shape([2]))
        .add(Dropout::new(1.0))
        .add(Dense::new(1));
    assert!(
        message(bad_drop.compile("sgd", "mse", &["mae"]))
            .contains("Dropout rate must be in [0, 1)")
    );
    assert_eq!(model.get_weights(), before, "refused calls change nothing");
}

/// Empty validation data gave `val_loss` 0.0 (the best value EarlyStopping could see).
#[test]
fn empty_validation_data_is_an_error() {
    let (x, y) = blobs(16, 7);
    let mut model = small_model(8, 0.0);
    let msg = message(
        model
            .fit(&x, &y)
            .validation_data(&x.slice(s![0..0, .., ..]), &Array1::<u8>::zeros(0))
            .verbose(0)
            .run(),
    );
    assert!(
        msg.contains("validation") && msg.contains("at least one sample"),
        "{msg}"
    );
}

#[test]
fn nan_and_infinite_inputs_are_refused() {
    let (mut x, y) = blobs(20, 9);
    let mut model = small_model(10, 0.0);
    x[[3, 1, 2]] = f32::NAN;
    let msg = message(model.fit(&x, &y).verbose(0).run());
    assert!(
        msg.contains("input holds a NaN or infinite value (first at flat index 54)"),
        "{msg}"
    );
    x[[3, 1, 2]] = f32::INFINITY;
    assert!(message(model.predict(&x)).contains("NaN or infinite"));
    let labels = array![[0.0f32, 1.0], [f32::NAN, 0.0]];
    let mut reg = Sequential::new();
    reg.add(Flatten::new().input_shape([2])).add(Dense::new(2));
    reg.compile("sgd", "mse", &["mae"]).unwrap();
    assert!(
        message(
            reg.fit(&array![[1.0f32, 2.0], [3.0, 4.0]], &labels)
                .verbose(0)
                .run()
        )
        .contains("labels holds a NaN")
    );
}

#[test]
fn set_weights_checks_count_and_shapes() {
    let mut model = small_model(11, 0.0);
    let mut w = model.get_weights();
    w.pop();
    assert!(message(model.set_weights(w.clone())).contains("needs 4 arrays, got 3"));
    w.push(ndarray::ArrayD::zeros(vec![4]));
    assert!(message(model.set_weights(w)).contains("weights of dense_1/bias"));
}

#[test]
fn a_layer_too_big_for_the_machine_is_an_error_and_builds_nothing() {
    // A mistyped width: 16 × 10^12 weights is beyond any address space, so this fails the
    // same way on every machine, instead of aborting the process (and, in a notebook, losing
    // every variable with it).
    let mut model = Sequential::with_seed(3);
    model
        .add(Flatten::new().input_shape([28, 28]))
        .add(Dense::new(16).activation("relu"))
        .add(Dense::new(1_000_000_000_000).activation("softmax"));
    let msg = message(model.compile("adam", "sparse_categorical_crossentropy", &["accuracy"]));
    assert!(
        msg.contains("dense_1: its 16 × 1000000000000 kernel")
            && msg.contains("cannot be allocated"),
        "{msg}"
    );
    assert!(
        model.get_weights().is_empty(),
        "the layer built before it is undone"
    );
}
