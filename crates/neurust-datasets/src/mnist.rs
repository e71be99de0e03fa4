//! MNIST handwritten digits: 60 000 training and 10 000 test images, 28×28, labels 0–9.
//!
//! Checksums: SHA-256 of each *uncompressed* IDX file (so any gzip encoding of the
//! original files is accepted), and SHA-256 of Keras's `mnist.npz` as published in
//! Keras's `mnist.py`. Downloads come from Keras's `mnist.npz`, then from the
//! torchvision mirror of the original gzip files.

use std::path::Path;

use crate::{Dataset, Error, IdxFile, Layout, NpzFile, Source, Splits};

const KERAS_BASE: &str = "https://storage.googleapis.com/tensorflow/tf-keras-datasets";
const TORCHVISION_BASE: &str = "https://ossci-datasets.s3.amazonaws.com/mnist";

/// The description of MNIST: file names, checksums, Keras cache path, download sources.
///
/// ```
/// let ds = neurust_datasets::mnist::dataset();
/// assert_eq!(ds.keras_cache.as_deref(), Some("mnist.npz"));
/// ```
pub fn dataset() -> Dataset {
    let file = |name, sha| IdxFile::new(name, Some(sha), None);
    Dataset {
        name: "mnist".into(),
        title: "MNIST".into(),
        train_images: file(
            "train-images-idx3-ubyte",
            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        ),
        train_labels: file(
            "train-labels-idx1-ubyte",
            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        ),
        test_images: file(
            "t10k-images-idx3-ubyte",
            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        ),
        test_labels: file(
            "t10k-labels-idx1-ubyte",
            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
        ),
        num_classes: 10,
        npz: Some(NpzFile {
            name: "mnist.npz".into(),
            sha256: Some("731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1".into()),
        }),
        keras_cache: Some("mnist.npz".into()),
        sources: vec![
            Source::new(KERAS_BASE, Layout::Npz).expect("built-in https URL"),
            Source::new(TORCHVISION_BASE, Layout::IdxGz).expect("built-in https URL"),
        ],
    }
}

/// Loads MNIST as `((x_train, y_train), (x_test, y_test))`, like `keras.datasets.mnist.load_data()`.
///
/// Looks in `NEURUST_DATA_DIR`, the user cache, Keras's `~/.keras/datasets/mnist.npz`,
/// then downloads into the user cache (see [`crate::Loader::from_env`]).
///
/// ```no_run
/// let ((x_train, y_train), (x_test, y_test)) = neurust_datasets::mnist::load_data()?;
/// assert_eq!(x_train.dim(), (60000, 28, 28));
/// # Ok::<(), neurust_datasets::Error>(())
/// ```
pub fn load_data() -> Result<Splits, Error> {
    dataset().load()
}

/// Loads MNIST from `dir` (four IDX files, raw or `.gz`, or `mnist.npz`), checking
/// structure but not checksums (see [`Dataset::load_from`]).
///
/// ```
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mnist-small");
/// let ((x_train, y_train), (x_test, y_test)) = neurust_datasets::mnist::load_data_from(dir)?;
/// assert_eq!(y_train.as_slice().unwrap()[..3], [5, 0, 4]);
/// # Ok::<(), neurust_datasets::Error>(())
/// ```
pub fn load_data_from(dir: impl AsRef<Path>) -> Result<Splits, Error> {
    dataset().load_from(dir)
}
