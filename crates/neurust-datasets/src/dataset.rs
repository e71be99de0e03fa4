//! Description of a dataset (file names, published checksums, download sources) and
//! loading it from one directory.

use std::path::{Path, PathBuf};

use crate::Source;
use crate::{Error, Loader, Splits, layout};

/// One IDX file of a dataset and the checksums published for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdxFile {
    /// File name without `.gz`, e.g. `train-images-idx3-ubyte`.
    pub name: String,
    /// SHA-256 of the uncompressed file, where known: valid for raw and any gzip encoding.
    pub sha256: Option<String>,
    /// SHA-256 of the published `.gz` file, where known: valid only for those exact bytes.
    pub gz_sha256: Option<String>,
}

impl IdxFile {
    /// A file description with optional checksums.
    ///
    /// ```
    /// use neurust_datasets::IdxFile;
    /// let f = IdxFile::new("t10k-labels-idx1-ubyte", None, None);
    /// assert_eq!(f.gz_name(), "t10k-labels-idx1-ubyte.gz");
    /// ```
    pub fn new(name: &str, sha256: Option<&str>, gz_sha256: Option<&str>) -> Self {
        IdxFile {
            name: name.into(),
            sha256: sha256.map(Into::into),
            gz_sha256: gz_sha256.map(Into::into),
        }
    }

    /// The gzip file name, `<name>.gz`.
    ///
    /// ```
    /// assert_eq!(neurust_datasets::mnist::dataset().train_images.gz_name(), "train-images-idx3-ubyte.gz");
    /// ```
    pub fn gz_name(&self) -> String {
        format!("{}.gz", self.name)
    }
}

/// A single-archive form of a dataset (Keras's `mnist.npz`) and its SHA-256.
///
/// ```
/// let npz = neurust_datasets::mnist::dataset().npz.unwrap();
/// assert_eq!(npz.name, "mnist.npz");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NpzFile {
    /// File name, e.g. `mnist.npz`.
    pub name: String,
    /// SHA-256 of the archive file, where known.
    pub sha256: Option<String>,
}

/// Everything needed to find, download and check one dataset.
///
/// The built-in descriptions come from [`crate::mnist::dataset`] and
/// [`crate::fashion_mnist::dataset`]; tests and mirrors can build their own.
///
/// ```
/// let ds = neurust_datasets::fashion_mnist::dataset();
/// assert_eq!(ds.name, "fashion-mnist");
/// assert_eq!(ds.idx_files().len(), 4);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dataset {
    /// Directory name in caches and mirrors, e.g. `mnist`.
    pub name: String,
    /// Name used in messages, e.g. `MNIST`.
    pub title: String,
    /// Training images, `n × 28 × 28`.
    pub train_images: IdxFile,
    /// Training labels, `n`.
    pub train_labels: IdxFile,
    /// Test images.
    pub test_images: IdxFile,
    /// Test labels.
    pub test_labels: IdxFile,
    /// Labels must be below this.
    pub num_classes: u8,
    /// The `.npz` form, if one is published.
    pub npz: Option<NpzFile>,
    /// Where Keras caches this dataset, relative to `~/.keras/datasets` (file or directory).
    pub keras_cache: Option<String>,
    /// Download sources, tried in order.
    pub sources: Vec<Source>,
}

impl Dataset {
    /// The four IDX files in the order train images, train labels, test images, test labels.
    ///
    /// ```
    /// let ds = neurust_datasets::mnist::dataset();
    /// assert_eq!(ds.idx_files()[3].name, "t10k-labels-idx1-ubyte");
    /// ```
    pub fn idx_files(&self) -> [&IdxFile; 4] {
        [
            &self.train_images,
            &self.train_labels,
            &self.test_images,
            &self.test_labels,
        ]
    }

    /// Loads from `dir` holding the four IDX files (each raw or `.gz`) or the `.npz`;
    /// `dir` may also be the path of an `.npz` file.
    ///
    /// The structure of every file is validated (magic numbers, 28×28, counts, exact
    /// lengths, labels below `num_classes`); checksums are not compared, so a directory
    /// may hold a subset or a variant of the dataset.
    ///
    /// ```
    /// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mnist-small");
    /// let ((x, y), _) = neurust_datasets::mnist::dataset().load_from(dir)?;
    /// assert_eq!((x.dim(), y[0]), ((100, 28, 28), 5));
    /// # Ok::<(), neurust_datasets::Error>(())
    /// ```
    pub fn load_from(&self, dir: impl AsRef<Path>) -> Result<Splits, Error> {
        let dir = dir.as_ref();
        let found = layout::find(self, dir).map_err(|missing| Error::MissingFiles {
            dir: dir.to_path_buf(),
            dataset: self.title.clone(),
            missing,
        })?;
        layout::load(self, &found, false)
    }

    /// Loads with the standard look-up order (see [`Loader::from_env`]), downloading if needed.
    ///
    /// ```no_run
    /// let ((x_train, y_train), (x_test, y_test)) = neurust_datasets::mnist::dataset().load()?;
    /// # Ok::<(), neurust_datasets::Error>(())
    /// ```
    pub fn load(&self) -> Result<Splits, Error> {
        Loader::from_env().load(self)
    }

    /// Where this dataset lives under a cache root: `<root>/<name>`.
    ///
    /// ```
    /// let ds = neurust_datasets::mnist::dataset();
    /// assert!(ds.cache_dir("/c").ends_with("c/mnist"));
    /// ```
    pub fn cache_dir(&self, cache_root: impl AsRef<Path>) -> PathBuf {
        cache_root.as_ref().join(&self.name)
    }
}
