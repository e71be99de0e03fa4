//! neurust: Keras-like neural networks for Rust notebooks. One import brings models, MNIST,
//! plots and live training displays:
//!
//! ```no_run
//! use neurust::prelude::*;
//!
//! let ((x_train, y_train), (x_test, y_test)) = mnist::load_data()?;
//! let (x_train, x_test) = (x_train.to_f32() / 255.0, x_test.to_f32() / 255.0);
//! let mut modelo = Sequential::new();
//! modelo.add(Flatten::new().input_shape([28, 28]));
//! modelo.add(Dense::new(256).activation("relu"));
//! modelo.add(Dropout::new(0.2));
//! modelo.add(Dense::new(10).activation("softmax"));
//! modelo.compile("adam", "sparse_categorical_crossentropy", &["accuracy"])?;
//! let historico = modelo.fit(&x_train, &y_train).epochs(5).validation_split(0.2).run()?;
//! let resultado = modelo.evaluate(&x_test, &y_test)?;
//! println!("test accuracy: {:.4}", resultado["accuracy"]);
//! # Ok::<(), neurust::Error>(())
//! ```

mod convert;
mod error;
pub mod notebook;
pub mod prelude;

pub use convert::ToF32;
pub use error::{Error, Result};

/// Datasets: MNIST and Fashion-MNIST.
pub use neurust_datasets as datasets;
/// The display protocol between user code and the notebook kernel.
pub use neurust_display as display;
/// Models, layers, losses, metrics, optimizers and callbacks.
pub use neurust_nn as nn;
/// Figures, digit grids, training curves, tables and the live training display.
pub use neurust_plot as plot;

/// Fashion-MNIST's class names, indexed by label (`fashion_mnist::CLASS_NAMES`), for
/// [`prediction_grid`](neurust_plot::prediction_grid) and the tutorial's `class_names`.
///
/// ```
/// assert_eq!(neurust::FASHION_MNIST_CLASSES[0], "T-shirt/top");
/// assert_eq!(neurust::FASHION_MNIST_CLASSES.len(), 10);
/// ```
pub use neurust_datasets::fashion_mnist::CLASS_NAMES as FASHION_MNIST_CLASSES;
pub use neurust_datasets::{fashion_mnist, mnist};
// `items`, not the crate root: `neurust_nn::Error` and `Result` must not be reachable as
// `neurust::Error` and `neurust::Result` (the facade's own), or rust-analyzer names a cell
// variable holding a neurust-nn `Result` with the facade's error type and evcxr cannot keep it.
pub use neurust_nn::items::*;
