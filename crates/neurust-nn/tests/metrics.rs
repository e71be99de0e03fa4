//! Metrics against the labels they are given: one that cannot compare the predictions with
//! them is an error that says what to use, not NaN every epoch.

mod common;

use common::{blobs, message, small_model};

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
