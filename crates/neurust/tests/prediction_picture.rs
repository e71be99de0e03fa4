//! The last picture of TensorFlow's "Classify images of clothing" tutorial through the facade:
//! a model's `predict` output goes straight into `prediction_grid`, and the Fashion-MNIST class
//! names come with the prelude.

use neurust::prelude::*;

#[test]
fn predictions_of_a_model_make_the_tutorial_picture() -> neurust::Result<()> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../neurust-datasets/tests/fixtures/mnist-small"
    );
    let ((x_train, y_train), (x_test, y_test)) = mnist::load_data_from(dir)?;
    let (x_train, x_test) = (x_train.to_f32() / 255.0, x_test.to_f32() / 255.0);
    let mut modelo = Sequential::with_seed(7);
    modelo.add(Flatten::new().input_shape([28, 28]));
    modelo.add(Dense::new(10).activation("softmax"));
    modelo.compile("adam", "sparse_categorical_crossentropy", &["accuracy"])?;
    modelo.fit(&x_train, &y_train).epochs(2).verbose(0).run()?;
    let predictions = modelo.predict(&x_test)?;

    // The tutorial's figure: 5 rows of 3 (image, bar chart) pairs.
    let fig = prediction_grid(&x_test, &y_test, &predictions, &FASHION_MNIST_CLASSES, 5, 3)?;
    assert_eq!(fig.len(), 30);
    let svg = fig.to_svg()?;
    let wrong = (0..15)
        .filter(|&i| argmax_of(predictions.row(i)) != y_test[i] as usize)
        .count();
    // Each wrong prediction has one red bar; each image one blue (true) bar.
    assert_eq!(svg.matches("fill=\"#FF0000\" stroke").count(), wrong);
    assert_eq!(svg.matches("fill=\"#0000FF\" stroke").count(), 15);
    assert_eq!(FASHION_MNIST_CLASSES, fashion_mnist::CLASS_NAMES);
    Ok(())
}

fn argmax_of(row: ArrayView1<f32>) -> usize {
    let mut best = 0;
    for (i, v) in row.iter().enumerate() {
        if *v > row[best] {
            best = i;
        }
    }
    best
}
