//! Partial downloads: the private temporary file a download is written to, and the removal
//! of those left behind by processes that were killed before they could clean up.
//!
//! A partial file is named `.part-<pid>-<n>-<target name>`, beside its target.

use std::fs::{self, DirBuilder, File, OpenOptions};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use crate::Error;

const PREFIX: &str = ".part-";

/// How many names [`TempFile::create`] tries before giving up.
const ATTEMPTS: usize = 32;

/// A partial file not modified for this long is removed whoever wrote it.
const ABANDONED: Duration = Duration::from_secs(24 * 60 * 60);

/// A partial file of a process that is no longer running is removed once it has not been
/// modified for this long. A live download writes far more often (reads time out after 60
/// seconds), so this spares one by a process the pid check cannot see (another container).
const QUIET: Duration = Duration::from_secs(10 * 60);

/// Creates `dir` and any missing parents, readable by the owner only (on Unix).
pub(crate) fn create_private_dir(dir: &Path) -> Result<(), Error> {
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| Error::io(dir, e))
}

/// A temporary file beside a target, deleted on drop unless [`TempFile::keep`] was called.
pub(crate) struct TempFile {
    pub(crate) path: PathBuf,
    kept: bool,
}

impl TempFile {
    /// Creates a new file beside `target`, readable by the owner only (on Unix). It never
    /// opens an existing file or follows a symbolic link: a name that is taken is skipped.
    pub(crate) fn create(target: &Path) -> Result<(TempFile, File), Error> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = target
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        for _ in 0..ATTEMPTS {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let file_name = format!("{PREFIX}{}-{n}-{name}", std::process::id());
            let path = target.with_file_name(file_name);
            match options.open(&path) {
                Ok(file) => return Ok((TempFile { path, kept: false }, file)),
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
                Err(e) => return Err(Error::io(&path, e)),
            }
        }
        let taken = std::io::Error::new(
            ErrorKind::AlreadyExists,
            format!("{ATTEMPTS} temporary names beside it are already taken"),
        );
        Err(Error::io(target, taken))
    }

    /// Keeps the file (it has been renamed to its target).
    pub(crate) fn keep(mut self) {
        self.kept = true;
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.kept {
            // Nothing useful can be done if this fails; the next fetch retries.
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Removes the partial files in `dir` that nobody will finish: those of a process that is
/// no longer running (when that can be told) and those untouched for a day. Best effort:
/// a file that cannot be inspected or removed is left alone.
pub(crate) fn remove_stale(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(owner) else {
            continue;
        };
        // `DirEntry::metadata` does not follow symbolic links: only regular files go.
        let Ok(meta) = entry.metadata() else { continue };
        let Some(idle) = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
        else {
            continue;
        };
        if meta.is_file() && (idle >= ABANDONED || (idle >= QUIET && !running(pid))) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The pid in a partial file's name `.part-<pid>-<n>-<name>`, if it is one.
fn owner(name: &str) -> Option<u32> {
    let mut parts = name.strip_prefix(PREFIX)?.splitn(3, '-');
    let pid = parts.next()?.parse().ok()?;
    parts.next()?.parse::<usize>().ok()?;
    parts.next().filter(|rest| !rest.is_empty())?;
    Some(pid)
}

/// Whether process `pid` may be running: `false` only when `/proc` says it is not.
fn running(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::owner;

    #[test]
    fn only_partial_file_names_have_an_owner() {
        assert_eq!(owner(".part-123-4-mnist.npz"), Some(123));
        assert_eq!(owner(".part-123-4-t10k-labels-idx1-ubyte.gz"), Some(123));
        for other in [
            ".part-x-4-a",
            ".part-123-4-",
            ".part-123",
            "mnist.npz",
            "part-1-2-a",
        ] {
            assert_eq!(owner(other), None, "{other}");
        }
    }
}
