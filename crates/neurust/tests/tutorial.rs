//! The Keras MNIST tutorial, cell by cell, through the facade. The full run needs the MNIST
//! files (`NEURUST_DATA_DIR`, set by the test script when ../shared/data/mnist exists); the
//! small run uses the 100-image fixture committed with neurust-datasets and always runs.

use neurust::prelude::*;

fn tutorial_model() -> Sequential {
    let mut modelo = Sequential::with_seed(42);
    modelo.add(Flatten::new().input_shape([28, 28]));
    modelo.add(Dense::new(256).activation("relu"));
    modelo.add(Dropout::new(0.2));
    modelo.add(Dense::new(10).activation("softmax"));
    modelo
}

#[test]
fn the_tutorial_runs_on_the_committed_mnist_slice() -> neurust::Result<()> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../neurust-datasets/tests/fixtures/mnist-small"
    );
    let ((x_train, y_train), (x_test, y_test)) = mnist::load_data_from(dir)?;
    assert_eq!(
        (x_train.dim(), x_test.dim()),
        ((100, 28, 28), (100, 28, 28))
    );
    let (x_train, x_test) = (x_train.to_f32() / 255.0, x_test.to_f32() / 255.0);
    let mut modelo = tutorial_model();
    modelo.compile("adam", "sparse_categorical_crossentropy", &["accuracy"])?;
    assert_eq!(modelo.summary().total_params, 203_530);
    let historico = modelo
        .fit(&x_train, &y_train)
        .epochs(5)
        .validation_split(0.2)
        .verbose(0)
        .seed(1)
        .run()?;
    assert_eq!(
        historico.keys().collect::<Vec<_>>(),
        ["accuracy", "loss", "val_accuracy", "val_loss"]
    );
    assert!(historico.history["accuracy"][4] > historico.history["accuracy"][0]);
    let resultado = modelo.evaluate(&x_test, &y_test)?;
    assert!(
        resultado["accuracy"] > 0.5,
        "even 80 images teach something: {resultado}"
    );
    Ok(())
}

#[test]
fn the_full_tutorial_reaches_keras_accuracy() -> neurust::Result<()> {
    if std::env::var_os("NEURUST_DATA_DIR").is_none() {
        eprintln!(
            "SKIPPED: the full MNIST tutorial needs NEURUST_DATA_DIR (e.g. ../shared/data/mnist)"
        );
        return Ok(());
    }
    let ((x_train, y_train), (x_test, y_test)) = mnist::load_data()?;
    assert_eq!(
        (x_train.dim(), y_train.dim(), x_test.dim(), y_test.dim()),
        ((60000, 28, 28), 60000, (10000, 28, 28), 10000)
    );
    let (x_train, x_test) = (x_train.to_f32() / 255.0, x_test.to_f32() / 255.0);
    let mut modelo = tutorial_model();
    modelo.compile("adam", "sparse_categorical_crossentropy", &["accuracy"])?;
    let historico = modelo
        .fit(&x_train, &y_train)
        .epochs(5)
        .validation_split(0.2)
        .verbose(2)
        .seed(42)
        .run()?;
    assert_eq!(historico.epoch, [0, 1, 2, 3, 4]);
    let val_acc = &historico.history["val_accuracy"];
    assert!(val_acc[4] > 0.97, "validation accuracy {val_acc:?}");
    let resultado = modelo.evaluate(&x_test, &y_test)?;
    eprintln!("test: {resultado}");
    assert!(
        resultado["accuracy"] >= 0.975,
        "test accuracy {}",
        resultado["accuracy"]
    );
    let probabilidades = modelo.predict(&x_test.slice(s![3000..3001, .., ..]))?;
    assert_eq!(argmax(probabilidades.row(0)), 6, "test image 3000 is a 6");
    assert_eq!(y_test[3000], 6);
    Ok(())
}
