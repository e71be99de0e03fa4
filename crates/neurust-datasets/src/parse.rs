//! Parsing dataset files already in memory: the same readers that [`Loader`](crate::Loader)
//! runs on files, for bytes that came from elsewhere (an archive, a network, a fuzzer).
//!
//! Every header is validated against the bytes actually given: a header that claims more
//! items than the data holds is an [`Error::Invalid`], never an allocation of the claimed
//! size. Labels are returned as found; they are not checked against a number of classes.
//! Errors speak of "the bytes given" and give no advice about files.

use std::io::Cursor;
use std::path::Path;

use ndarray::{Array1, Array3};

use crate::idx::{self, Kind};
use crate::{Error, Splits, npz};

/// How errors name the input.
pub(crate) const NAME: &str = "<in-memory data>";

/// The gzip magic; IDX files start with two zero bytes, so the two cannot be confused.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

fn idx(bytes: &[u8], kind: Kind) -> Result<idx::Idx, Error> {
    let gz = bytes.starts_with(&GZIP_MAGIC);
    idx::parse(bytes, bytes.len() as u64, Path::new(NAME), kind, gz, false)
}

/// An IDX images file (magic `0x0000_0803`, `n × 28 × 28` bytes), raw or gzipped.
///
/// ```
/// let mut file = vec![0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28];
/// file.extend([7u8; 28 * 28]);
/// assert_eq!(neurust_datasets::parse::idx_images(&file)?.dim(), (1, 28, 28));
/// file[7] = 200; // claims 200 images
/// let err = neurust_datasets::parse::idx_images(&file).unwrap_err().to_string();
/// assert!(err.starts_with("the bytes given are not a valid dataset file"), "{err}");
/// assert!(!err.contains("Delete it"), "{err}");
/// # Ok::<(), neurust_datasets::Error>(())
/// ```
pub fn idx_images(bytes: &[u8]) -> Result<Array3<u8>, Error> {
    idx(bytes, Kind::Images)?.into_images(Path::new(NAME))
}

/// An IDX labels file (magic `0x0000_0801`, `n` bytes), raw or gzipped.
///
/// ```
/// let file = [0, 0, 8, 1, 0, 0, 0, 3, 5, 0, 4];
/// assert_eq!(neurust_datasets::parse::idx_labels(&file)?.to_vec(), [5, 0, 4]);
/// # Ok::<(), neurust_datasets::Error>(())
/// ```
pub fn idx_labels(bytes: &[u8]) -> Result<Array1<u8>, Error> {
    Ok(idx(bytes, Kind::Labels)?.into_labels())
}

/// A Keras-style `.npz` archive holding `x_train`, `y_train`, `x_test` and `y_test` as
/// `uint8` arrays, stored or deflated.
///
/// ```
/// let err = neurust_datasets::parse::npz(b"PK not really").unwrap_err();
/// assert!(err.to_string().contains(".npz (zip) archive"));
/// ```
pub fn npz(bytes: &[u8]) -> Result<Splits, Error> {
    npz::parse(Cursor::new(bytes), Path::new(NAME))
}
