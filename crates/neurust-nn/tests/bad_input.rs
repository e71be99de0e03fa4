//! Bad input a notebook user really types: each case is an error (or works), never a panic.

mod common;

use common::{blobs, small_model};
use ndarray::{Array1, ArrayD, IxDyn, ShapeBuilder, arr0, array, s};
use neurust_nn::{Adam, Dense, Flatten, IntoOptimizer, Optimizer, RmsProp, Sequential, Sgd};

fn message<T: std::fmt::Debug>(r: neurust_nn::Result<T>) -> String {
    r.expect_err("expected an error").to_string()
}

/// `add` after `fit` makes the next `fit` rebuild every layer with fresh weights, for the shape
/// of the data it is given. When that shape differs (the user re-ran the model cells and now
/// feeds 16 features instead of 8), the optimizer kept per-tensor state of the old sizes: a
/// length assert on AVX-512, an index out of bounds in RMSprop, silently no update for SGD
/// with momentum. Fresh weights need a fresh optimizer state.
#[test]
fn adding_a_layer_after_fit_then_fitting_new_shapes_trains_every_weight() {
    let (x, y) = blobs(24, 1);
    let wide = x.into_shape_with_order((24, 16)).unwrap();
    let narrow = wide.slice(s![.., ..8]).to_owned();
    let optimizers: [Optimizer; 4] = [
        "adam".into_optimizer().unwrap(),
        RmsProp::new().into_optimizer().unwrap(),
        RmsProp::new()
            .momentum(0.5)
            .centered(true)
            .into_optimizer()
            .unwrap(),
        Sgd::new().momentum(0.9).into_optimizer().unwrap(),
    ];
    for opt in optimizers {
        let mut model = Sequential::with_seed(1);
        model
            .add(Dense::new(8).activation("relu"))
            .add(Dense::new(3).activation("softmax"));
        model
            .compile(opt, "sparse_categorical_crossentropy", &["accuracy"])
            .unwrap();
        model
            .fit(&narrow, &y)
            .batch_size(8)
            .verbose(0)
            .run()
            .unwrap();
        model.add(Dense::new(3).activation("softmax"));
        model.predict(&wide).unwrap(); // builds the new stack for 16 features
        let fresh = model.get_weights();
        model
            .fit(&wide, &y)
            .batch_size(8)
            .verbose(0)
            .run()
            .unwrap_or_else(|e| panic!("{opt:?}: {e}"));
        for (i, (before, after)) in fresh.iter().zip(model.get_weights()).enumerate() {
            assert_ne!(before, &after, "{opt:?}: weight {i} was not trained");
        }
    }
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

/// Optimizer settings outside their range turn every weight into NaN at the first step.
#[test]
fn optimizer_settings_out_of_range_are_refused_at_compile() {
    let (x, y) = blobs(16, 9);
    let mut model = small_model(10, 0.0);
    let before = model.get_weights();
    let cases: [(Optimizer, &str); 4] = [
        (Adam::new().beta_1(1.0).into_optimizer().unwrap(), "beta_1"),
        (
            Adam::new().beta_2(f32::NAN).into_optimizer().unwrap(),
            "beta_2",
        ),
        (
            Sgd::new().momentum(1.5).into_optimizer().unwrap(),
            "momentum",
        ),
        (RmsProp::new().rho(-0.1).into_optimizer().unwrap(), "rho"),
    ];
    for (opt, name) in cases {
        let msg = message(model.compile(opt, "sparse_categorical_crossentropy", &["accuracy"]));
        assert!(msg.contains(name), "{msg}");
    }
    model.fit(&x, &y).verbose(0).run().unwrap();
    assert_ne!(model.get_weights(), before);
    assert!(model.get_weights().iter().flatten().all(|v| v.is_finite()));
}

/// A metric that cannot compare the predictions with these labels (mse against class ids,
/// sparse accuracy against one-hot rows) reported NaN every epoch; it is an error that says
/// which labels or metric to use.
#[test]
fn a_metric_that_does_not_fit_the_labels_is_an_error() {
    let (x, y) = blobs(16, 3);
    for metric in ["mse", "mae", "categorical_accuracy"] {
        let mut model = small_model(1, 0.0);
        model
            .compile("adam", "sparse_categorical_crossentropy", &[metric])
            .unwrap();
        let err = message(model.fit(&x, &y).verbose(0).run());
        assert!(
            err.contains("labels are class ids") && err.contains("one-hot"),
            "{metric}: {err}"
        );
        assert!(
            message(model.evaluate(&x, &y)).contains("class ids"),
            "{metric}"
        );
    }
    let one_hot = ndarray::Array2::from_shape_fn((16, 3), |(i, c)| f32::from(y[i] as usize == c));
    let mut model = small_model(1, 0.0);
    model
        .compile(
            "adam",
            "categorical_crossentropy",
            &["sparse_categorical_accuracy"],
        )
        .unwrap();
    let err = message(model.fit(&x, &one_hot).verbose(0).run());
    assert!(
        err.contains("needs class ids") && err.contains("3 columns"),
        "{err}"
    );
    // The metrics that fit still work.
    let mut model = small_model(1, 0.0);
    model
        .compile("adam", "categorical_crossentropy", &["accuracy", "mse"])
        .unwrap();
    let history = model.fit(&x, &one_hot).verbose(0).run().unwrap();
    assert!(history.history["mse"].iter().all(|v| v.is_finite()));
}
