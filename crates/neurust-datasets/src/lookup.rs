//! The look-up order of `load_data()`: `NEURUST_DATA_DIR`, the user cache, Keras's cache,
//! then a download into the user cache. Files found but invalid are reported at once
//! rather than skipped, so a damaged copy is never silently replaced or ignored.

use std::path::Path;

use crate::layout::{self, Found};
use crate::{Dataset, Error, Layout, Loader, Source, Splits, download};

impl Loader {
    /// Finds, downloads if needed, and loads `ds`.
    ///
    /// Files found but invalid are reported at once rather than skipped.
    ///
    /// ```no_run
    /// let ((x_train, y_train), (x_test, y_test)) = neurust_datasets::Loader::from_env().load(&neurust_datasets::mnist::dataset())?;
    /// # Ok::<(), neurust_datasets::Error>(())
    /// ```
    pub fn load(&self, ds: &Dataset) -> Result<Splits, Error> {
        let mut looked = Vec::new();
        match &self.data_dir {
            None => looked.push(("NEURUST_DATA_DIR".to_string(), "unset".to_string())),
            Some(dir) => match self.try_dir(ds, dir) {
                Ok(Some(found)) => return layout::load(ds, &found, self.verify),
                Ok(None) | Err(_) => looked.push((
                    format!("NEURUST_DATA_DIR={}", dir.display()),
                    describe_missing(ds, dir),
                )),
            },
        }
        let cache_dir = self.cache_root.as_ref().map(|root| ds.cache_dir(root));
        match &cache_dir {
            None => looked.push(("the user cache".into(), "no HOME or XDG_CACHE_HOME".into())),
            Some(dir) => match self.try_dir(ds, dir) {
                Ok(Some(found)) => return layout::load(ds, &found, self.verify),
                _ => looked.push((dir.display().to_string(), describe_missing(ds, dir))),
            },
        }
        if let (Some(root), Some(rel)) = (&self.keras_root, &ds.keras_cache) {
            let path = root.join(rel);
            // A file (Keras's mnist.npz) or a directory (Keras's fashion-mnist/).
            match layout::find(ds, &path).ok() {
                Some(found) => return layout::load(ds, &found, self.verify),
                None => looked.push((path.display().to_string(), "missing".into())),
            }
        }
        let download = match (&cache_dir, self.download) {
            (Some(dir), true) => self.fetch(ds, dir),
            _ => Vec::new(),
        };
        if download.is_empty()
            && let Some(Ok(found)) = cache_dir.as_ref().map(|dir| layout::find(ds, dir))
        {
            // Downloaded files were verified; files already there are checked now, as
            // anywhere else, so a wrong copy placed in the cache fails this first load.
            return layout::load(ds, &found, self.verify);
        }
        Err(Error::NotFound {
            dataset: ds.title.clone(),
            looked,
            download,
            hint: hint(ds),
        })
    }

    fn try_dir(&self, ds: &Dataset, dir: &Path) -> Result<Option<Found>, Vec<String>> {
        if !dir.exists() {
            return Ok(None);
        }
        layout::find(ds, dir).map(Some)
    }

    /// Tries each source in turn; returns the errors, empty on success.
    fn fetch(&self, ds: &Dataset, dir: &Path) -> Vec<Error> {
        let sources = match (&self.mirror, &self.sources) {
            (Some(base), _) => match Source::new(
                &format!("{}/{}", base.trim_end_matches('/'), ds.name),
                Layout::IdxGz,
            ) {
                Ok(source) => vec![source],
                Err(e) => return vec![e],
            },
            (None, Some(sources)) => sources.clone(),
            (None, None) => ds.sources.clone(),
        };
        let mut errors = Vec::new();
        for source in &sources {
            let transfer = download::Transfer::new(self.progress, self.download_timeout);
            match download::fetch(source, ds, dir, &transfer) {
                Ok(()) => return Vec::new(),
                Err(e) => errors.push(e),
            }
        }
        // Leave no empty cache directory behind a failed download; a non-empty one stays.
        let _ = std::fs::remove_dir(dir);
        errors
    }
}

fn describe_missing(ds: &Dataset, dir: &Path) -> String {
    if !dir.is_dir() {
        return "missing".into();
    }
    match layout::find(ds, dir) {
        Ok(_) => "found".into(),
        Err(missing) => format!("incomplete: no {}", missing.join(", ")),
    }
}

fn hint(ds: &Dataset) -> String {
    let files: Vec<String> = ds.idx_files().iter().map(|f| f.gz_name()).collect();
    let npz = ds.npz.as_ref().map_or(String::new(), |n| {
        format!(" (or the single file {})", n.name)
    });
    format!(
        "Put the four files {}{npz} in a directory and set NEURUST_DATA_DIR to it",
        files.join(", ")
    )
}
