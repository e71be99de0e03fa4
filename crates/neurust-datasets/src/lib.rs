//! MNIST and Fashion-MNIST loaders with the shape of Keras's `load_data()`.
//!
//! ```no_run
//! let ((x_train, y_train), (x_test, y_test)) = neurust_datasets::mnist::load_data()?;
//! assert_eq!(x_train.dim(), (60000, 28, 28));
//! # Ok::<(), neurust_datasets::Error>(())
//! ```
//!
//! `load_data()` looks in `NEURUST_DATA_DIR`, then the user cache
//! (`$XDG_CACHE_HOME/neurust/datasets/<name>`, else `~/.cache/...`), then Keras's cache
//! (`~/.keras/datasets`, or `$KERAS_HOME/datasets`), then downloads over HTTPS into the
//! user cache (from `NEURUST_DATASET_MIRROR/<name>/` if set). A directory may hold the
//! four IDX files, raw or gzipped, or Keras's `mnist.npz`. Every file is validated;
//! checksums are verified on download and on load (see [`Loader`]); errors are one
//! [`Error`] type. A dataset is described by a [`Dataset`] (file names, checksums,
//! [`Source`]s), so the same code serves MNIST, Fashion-MNIST and test fixtures. The same
//! readers take bytes already in memory through [`parse`].

use ndarray::{Array1, Array3};

// The datasets.
pub mod fashion_mnist;
pub mod mnist;

// Describing a dataset and finding it.
mod dataset;
mod loader;
mod lookup;
mod source;
pub use dataset::{Dataset, IdxFile, NpzFile};
pub use loader::Loader;
pub use source::{Layout, Source};

// Errors.
mod error;
pub use error::Error;

// The file formats, for bytes already in memory.
pub mod parse;

// File formats, checksums and transfer (internal).
mod checksum;
mod download;
mod idx;
mod layout;
mod npy;
mod npz;
mod partial;
mod progress;

/// One split: images `(n, 28, 28)` and labels `(n,)`.
///
/// ```
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mnist-small");
/// let (train, _): (neurust_datasets::Split, _) = neurust_datasets::mnist::load_data_from(dir)?;
/// assert_eq!(train.0.dim().0, train.1.len());
/// # Ok::<(), neurust_datasets::Error>(())
/// ```
pub type Split = (Array3<u8>, Array1<u8>);

/// `((x_train, y_train), (x_test, y_test))`, as Keras returns it.
///
/// ```
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mnist-small");
/// let ((x_train, y_train), (x_test, y_test)): neurust_datasets::Splits =
///     neurust_datasets::mnist::load_data_from(dir)?;
/// assert_eq!((y_train[0], y_test[0]), (5, 7));
/// # Ok::<(), neurust_datasets::Error>(())
/// ```
pub type Splits = (Split, Split);
