//! Configuration of a look-up: the places to search and whether to download. Every
//! place is injectable, so tests need no environment variables and never touch the
//! real cache. The search itself is in `lookup.rs`.

use std::env;
use std::path::PathBuf;
use std::time::Duration;

use crate::Source;

/// Where to look for a dataset and whether to download it.
///
/// ```
/// use neurust_datasets::{mnist, Loader};
/// let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mnist-small");
/// let loader = Loader::new().data_dir(fixture).verify(false);
/// let ((x, _), (_, y)) = loader.load(&mnist::dataset())?;
/// assert_eq!((x.shape()[0], y[0]), (100, 7));
/// # Ok::<(), neurust_datasets::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Loader {
    pub(crate) data_dir: Option<PathBuf>,
    pub(crate) cache_root: Option<PathBuf>,
    pub(crate) keras_root: Option<PathBuf>,
    pub(crate) mirror: Option<String>,
    pub(crate) sources: Option<Vec<Source>>,
    pub(crate) download: bool,
    pub(crate) progress: bool,
    pub(crate) verify: bool,
    pub(crate) download_timeout: Duration,
}

impl Default for Loader {
    fn default() -> Self {
        Loader::new()
    }
}

impl Loader {
    /// The default of [`Loader::download_timeout`]: 30 minutes, enough for Fashion-MNIST's
    /// 30 MB at 17 kB/s.
    pub const DEFAULT_DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(30 * 60);

    /// A loader that looks nowhere until told; downloads (once a cache root is set),
    /// shows progress and verifies checksums.
    ///
    /// ```
    /// let err = neurust_datasets::Loader::new().load(&neurust_datasets::mnist::dataset()).unwrap_err();
    /// assert!(err.to_string().contains("NEURUST_DATA_DIR (unset)"));
    /// ```
    pub fn new() -> Self {
        Loader {
            data_dir: None,
            cache_root: None,
            keras_root: None,
            mirror: None,
            sources: None,
            download: true,
            progress: true,
            verify: true,
            download_timeout: Loader::DEFAULT_DOWNLOAD_TIMEOUT,
        }
    }

    /// The standard loader: `NEURUST_DATA_DIR`, the cache root
    /// `$XDG_CACHE_HOME/neurust/datasets` (else `~/.cache/neurust/datasets`), Keras's
    /// `$KERAS_HOME/datasets` (else `~/.keras/datasets`) and `NEURUST_DATASET_MIRROR`.
    ///
    /// ```
    /// let loader = neurust_datasets::Loader::from_env();
    /// ```
    pub fn from_env() -> Self {
        let home = env_path("HOME").or_else(|| env_path("USERPROFILE"));
        let cache = env_path("XDG_CACHE_HOME")
            .filter(|p| p.is_absolute())
            .or_else(|| home.as_ref().map(|h| h.join(".cache")));
        let keras = env_path("KERAS_HOME").or_else(|| home.as_ref().map(|h| h.join(".keras")));
        Loader {
            data_dir: env_path("NEURUST_DATA_DIR"),
            cache_root: cache.map(|c| c.join("neurust").join("datasets")),
            keras_root: keras.map(|k| k.join("datasets")),
            mirror: env::var("NEURUST_DATASET_MIRROR")
                .ok()
                .filter(|m| !m.is_empty()),
            ..Loader::new()
        }
    }

    /// Looks first in `dir`, which holds the four IDX files or the `.npz`.
    ///
    /// ```
    /// let loader = neurust_datasets::Loader::new().data_dir("/data/mnist");
    /// ```
    pub fn data_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.data_dir = Some(dir.into());
        self
    }

    /// Uses `<root>/<dataset name>` as the cache, and as the download target.
    ///
    /// ```
    /// let loader = neurust_datasets::Loader::new().cache_root(std::env::temp_dir().join("nd-cache"));
    /// ```
    pub fn cache_root(mut self, root: impl Into<PathBuf>) -> Self {
        self.cache_root = Some(root.into());
        self
    }

    /// Looks in Keras's dataset cache `root` (normally `~/.keras/datasets`).
    ///
    /// ```
    /// let loader = neurust_datasets::Loader::new().keras_root("/home/me/.keras/datasets");
    /// ```
    pub fn keras_root(mut self, root: impl Into<PathBuf>) -> Self {
        self.keras_root = Some(root.into());
        self
    }

    /// Downloads from `<base_url>/<dataset name>/<file>.gz` instead of the dataset's sources.
    ///
    /// ```
    /// let loader = neurust_datasets::Loader::new().mirror("http://127.0.0.1:8000");
    /// ```
    pub fn mirror(mut self, base_url: impl Into<String>) -> Self {
        self.mirror = Some(base_url.into());
        self
    }

    /// Downloads from these sources, in order, instead of the dataset's own.
    ///
    /// ```
    /// use neurust_datasets::{Layout, Loader, Source};
    /// let loader = Loader::new().sources(vec![Source::new("https://example.org/mnist", Layout::IdxGz)?]);
    /// # Ok::<(), neurust_datasets::Error>(())
    /// ```
    pub fn sources(mut self, sources: Vec<Source>) -> Self {
        self.sources = Some(sources);
        self
    }

    /// Whether to download when no local copy is found (default `true`).
    ///
    /// ```
    /// let offline = neurust_datasets::Loader::from_env().download(false);
    /// ```
    pub fn download(mut self, yes: bool) -> Self {
        self.download = yes;
        self
    }

    /// The longest a download from one source may take, all its files included (default
    /// [`Loader::DEFAULT_DOWNLOAD_TIMEOUT`]). It bounds a server that sends a trickle of
    /// bytes, which the 60-second limit on each read alone would let run forever.
    ///
    /// ```
    /// let patient = neurust_datasets::Loader::from_env().download_timeout(std::time::Duration::from_secs(7200));
    /// ```
    pub fn download_timeout(mut self, limit: Duration) -> Self {
        self.download_timeout = limit;
        self
    }

    /// Whether to report download progress on stderr (default `true`).
    ///
    /// ```
    /// let quiet = neurust_datasets::Loader::from_env().progress(false);
    /// ```
    pub fn progress(mut self, yes: bool) -> Self {
        self.progress = yes;
        self
    }

    /// Whether files found on disk must match the published checksums (default `true`).
    /// Downloads are always verified; structure is always validated. Turn this off to
    /// load a subset or a variant through the look-up order.
    ///
    /// It is on by default because it is cheap next to decompressing (figures in the
    /// repository's `docs/FIGURES.md`). Unoptimised dependencies are far slower at both, so
    /// workspaces should build `flate2`, `zlib-rs` and `sha2` with `opt-level = 3` in the dev
    /// profile.
    ///
    /// ```
    /// let lenient = neurust_datasets::Loader::from_env().verify(false);
    /// ```
    pub fn verify(mut self, yes: bool) -> Self {
        self.verify = yes;
        self
    }
}

fn env_path(name: &str) -> Option<PathBuf> {
    env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}
