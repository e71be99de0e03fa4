//! Keras-like neural networks, dense and convolutional, on `ndarray`: build a [`Sequential`]
//! model from layers, [`compile`](Sequential::compile) it with an optimizer, a loss and metrics
//! (by value or by Keras name), [`fit`](Sequential::fit) it with Keras's defaults and
//! semantics, then [`evaluate`](Sequential::evaluate), [`predict`](Sequential::predict) and
//! [`save`](Sequential::save).
//!
//! ```
//! use ndarray::{Array1, Array3};
//! use neurust_nn::{Dense, Dropout, Flatten, Sequential};
//!
//! let x = Array3::<f32>::from_shape_fn((96, 4, 4), |(i, r, c)| ((i % 3 == r % 3) as u8 as f32) * (c as f32 + 1.0) / 4.0);
//! let y = Array1::from_shape_fn(96, |i| (i % 3) as u8);
//! let mut model = Sequential::with_seed(0);
//! model.add(Flatten::new().input_shape([4, 4]));
//! model.add(Dense::new(32).activation("relu"));
//! model.add(Dropout::new(0.2));
//! model.add(Dense::new(3).activation("softmax"));
//! model.compile("adam", "sparse_categorical_crossentropy", &["accuracy"])?;
//! let history = model.fit(&x, &y).epochs(30).batch_size(8).validation_split(0.25).verbose(0).seed(1).run()?;
//! assert!(history.history["accuracy"].last().unwrap() > &0.9);
//! let probabilities = model.predict(&x)?;
//! assert_eq!(probabilities.dim(), (96, 3));
//! # Ok::<(), neurust_nn::Error>(())
//! ```

mod activation;
pub mod callbacks;
mod categorical;
mod data;
mod error;
mod initializer;
pub mod items;
pub mod layers;
mod linalg;
mod loss;
mod metric;
mod model;
pub mod optimizers;
mod parallel;
mod process;
mod rng;
mod share;
mod simd;
mod subnormal;

pub use error::{Error, Result};
pub use items::*;
