//! The one error type of this crate, written to be read in a notebook.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// Everything that can go wrong while finding, downloading or reading a dataset.
///
/// Each message says what was expected, what was found, and how to fix it.
///
/// ```
/// use neurust_datasets::{mnist, Error};
///
/// let err = mnist::load_data_from("/no/such/dir").unwrap_err();
/// assert!(matches!(err, Error::MissingFiles { .. }));
/// assert!(err.to_string().contains("train-images-idx3-ubyte"));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a local file failed.
    Io { path: PathBuf, source: io::Error },
    /// A directory does not hold the dataset in any accepted layout.
    MissingFiles {
        dir: PathBuf,
        dataset: String,
        missing: Vec<String>,
    },
    /// A file's content is not what the format requires (magic number, shape, length...).
    Invalid {
        path: PathBuf,
        expected: String,
        found: String,
    },
    /// A gzip stream could not be decompressed (corrupt or cut short).
    Gzip { path: PathBuf, source: io::Error },
    /// A file on disk does not have the published checksum. (A downloaded file that does
    /// not is a [`Error::BadDownload`].)
    ChecksumMismatch {
        what: String,
        algorithm: &'static str,
        expected: String,
        actual: String,
    },
    /// A URL was refused before any request was made.
    BadUrl { url: String, reason: String },
    /// The server answered with an HTTP error status.
    HttpStatus { url: String, status: u16 },
    /// The connection failed, timed out, or the transfer was cut short.
    Network { url: String, detail: String },
    /// A downloaded file failed its checks (structure or checksum) and was not kept: the
    /// server sent something other than the dataset file.
    BadDownload {
        url: String,
        expected: String,
        found: String,
    },
    /// The dataset was found nowhere and could not be downloaded.
    NotFound {
        dataset: String,
        looked: Vec<(String, String)>,
        download: Vec<Error>,
        hint: String,
    },
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn invalid(
        path: impl Into<PathBuf>,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> Self {
        Error::Invalid {
            path: path.into(),
            expected: expected.into(),
            found: found.into(),
        }
    }
}

/// Whether an error is about bytes handed to [`crate::parse`] rather than a file, so its advice
/// must not be to delete a file.
fn in_memory(path: &std::path::Path) -> bool {
    path == std::path::Path::new(crate::parse::NAME)
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "cannot access {}: {source}", path.display()),
            Error::MissingFiles {
                dir,
                dataset,
                missing,
            } => write!(
                f,
                "{} does not hold {dataset}: missing {}. Expected the four IDX files \
                 (raw or .gz) or a Keras .npz archive",
                dir.display(),
                missing.join(", ")
            ),
            Error::Invalid {
                path,
                expected,
                found,
            } if in_memory(path) => write!(
                f,
                "the bytes given are not a valid dataset file: expected {expected}, found {found}"
            ),
            Error::Invalid {
                path,
                expected,
                found,
            } => write!(
                f,
                "{} is not a valid dataset file: expected {expected}, found {found}. \
                 Delete it and load again, or replace it with an intact copy",
                path.display()
            ),
            Error::Gzip { path, source } if in_memory(path) => write!(
                f,
                "the bytes given are not readable gzip data ({source}); they are probably \
                 truncated or corrupt"
            ),
            Error::Gzip { path, source } => write!(
                f,
                "{} is not a readable gzip file ({source}); it is probably truncated or \
                 corrupt: delete it and load again",
                path.display()
            ),
            Error::ChecksumMismatch {
                what,
                algorithm,
                expected,
                actual,
            } => write!(
                f,
                "checksum mismatch for {what}: expected {algorithm} {expected}, found {actual}; \
                 the file is corrupt or not the published one. Replace that file with an \
                 intact copy, or delete it so that the dataset is downloaded again; to use it \
                 as it is (a subset or a variant), load it without verification with \
                 Loader::verify(false) or load_data_from"
            ),
            Error::BadUrl { url, reason } => write!(f, "refusing URL {url}: {reason}"),
            Error::HttpStatus { url, status } => write!(f, "HTTP {status} from {url}"),
            Error::Network { url, detail } => write!(f, "download of {url} failed: {detail}"),
            Error::BadDownload {
                url,
                expected,
                found,
            } => write!(
                f,
                "{url} did not send the dataset file: expected {expected}, found {found}. \
                 The server sent something else, such as a captive portal's login page, a \
                 proxy's error page or a damaged copy; nothing was kept. Check the network \
                 connection (or the mirror), then load again"
            ),
            Error::NotFound {
                dataset,
                looked,
                download,
                hint,
            } => {
                write!(f, "{dataset} not found: looked in ")?;
                for (i, (place, outcome)) in looked.iter().enumerate() {
                    let sep = if i == 0 { "" } else { ", " };
                    write!(f, "{sep}{place} ({outcome})")?;
                }
                for (i, err) in download.iter().enumerate() {
                    let lead = if i == 0 {
                        "; download failed: "
                    } else {
                        "; then: "
                    };
                    write!(f, "{lead}{err}")?;
                }
                if download.is_empty() {
                    write!(f, "; no download attempted")?;
                }
                write!(f, ". {hint}")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } | Error::Gzip { source, .. } => Some(source),
            Error::NotFound { download, .. } => download.first().map(|e| e as _),
            _ => None,
        }
    }
}
