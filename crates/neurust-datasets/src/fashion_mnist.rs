//! Fashion-MNIST (Zalando): 60 000 training and 10 000 test images of clothing, 28×28,
//! labels 0–9 (see [`CLASS_NAMES`]).
//!
//! Checksums: SHA-256 of the published `.gz` files as listed in Keras's
//! `fashion_mnist.py` (the same files Zalando publishes with MD5 sums
//! `8d4fb7e6c68d591d4c3dfef9ec88bf0d`, `25c81989df183df01b3e8a0aad5dffbe`,
//! `bef4ecab320f06d8554ea6380940ec79`, `bb300cfdad3c16e7a12a480ee83cd310`). No checksum
//! of the uncompressed files is published, so uncompressed copies on disk are checked
//! for structure only, and re-compressed copies too.

use std::path::Path;

use crate::{Dataset, Error, IdxFile, Layout, Source, Splits};

const KERAS_BASE: &str = "https://storage.googleapis.com/tensorflow/tf-keras-datasets";
const ZALANDO_BASE: &str =
    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion";

/// The class names, indexed by label.
///
/// ```
/// assert_eq!(neurust_datasets::fashion_mnist::CLASS_NAMES[9], "Ankle boot");
/// ```
pub const CLASS_NAMES: [&str; 10] = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
];

/// The description of Fashion-MNIST: file names, checksums, Keras cache path, sources.
///
/// ```
/// let ds = neurust_datasets::fashion_mnist::dataset();
/// assert!(ds.npz.is_none());
/// ```
pub fn dataset() -> Dataset {
    let file = |name, gz_sha| IdxFile::new(name, None, Some(gz_sha));
    Dataset {
        name: "fashion-mnist".into(),
        title: "Fashion-MNIST".into(),
        train_images: file(
            "train-images-idx3-ubyte",
            "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
        ),
        train_labels: file(
            "train-labels-idx1-ubyte",
            "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
        ),
        test_images: file(
            "t10k-images-idx3-ubyte",
            "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
        ),
        test_labels: file(
            "t10k-labels-idx1-ubyte",
            "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
        ),
        num_classes: 10,
        npz: None,
        keras_cache: Some("fashion-mnist".into()),
        sources: vec![
            Source::new(KERAS_BASE, Layout::IdxGz).expect("built-in https URL"),
            Source::new(ZALANDO_BASE, Layout::IdxGz).expect("built-in https URL"),
        ],
    }
}

/// Loads Fashion-MNIST as `((x_train, y_train), (x_test, y_test))`, like
/// `keras.datasets.fashion_mnist.load_data()`.
///
/// ```no_run
/// let ((x_train, y_train), _) = neurust_datasets::fashion_mnist::load_data()?;
/// # Ok::<(), neurust_datasets::Error>(())
/// ```
pub fn load_data() -> Result<Splits, Error> {
    dataset().load()
}

/// Loads Fashion-MNIST from `dir` (four IDX files, raw or `.gz`), checking structure only.
///
/// ```
/// let err = neurust_datasets::fashion_mnist::load_data_from("/nonexistent").unwrap_err();
/// assert!(err.to_string().contains("Fashion-MNIST"));
/// ```
pub fn load_data_from(dir: impl AsRef<Path>) -> Result<Splits, Error> {
    dataset().load_from(dir)
}
