//! A slot of the build cache (`<root>/<key>/slot-N`) and the file locks that guard slots and
//! keys. Apart from `mod.rs`, so that taking a slot (`mod.rs`), filling it (`fill.rs`) and
//! pruning keys (`prune.rs`) each use it without using each other.

use anyhow::{Context, Result};
use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How many kernels can use one key's cache at once.
pub const MAX_SLOTS: usize = 32;

/// A locked slot. The lock lasts as long as this value.
pub struct Slot {
    pub dir: PathBuf,
    /// Directory holding the evcxr.toml to use (for `EVCXR_CONFIG_DIR`).
    pub evcxr_config: PathBuf,
    pub(super) base: PathBuf,
    pub(super) index: usize,
    pub(super) _lock: File,
    /// Held shared while the kernel runs, so that no prune removes the key.
    pub(super) _key_lock: File,
}

/// Written in a slot once a kernel has finished its preload there.
pub const READY_MARKER: &str = ".neurust-ready";

/// A slot is a seed source only once a kernel has finished its preload in it (a slot whose
/// first build was cut short may hold a partial `target`).
pub fn is_built(dir: &Path) -> bool {
    dir.join(READY_MARKER).is_file() && dir.join("target").is_dir()
}

/// How long a kernel waits for another kernel's first build before building itself.
pub const BUILD_WAIT: Duration = Duration::from_secs(20 * 60);

/// Opens (creating it if needed) a lock file, without taking its lock.
pub fn open_lock(path: &Path) -> Result<File> {
    File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .with_context(|| path.display().to_string())
}

/// Takes the exclusive lock of a lock file, waiting for whoever holds it.
pub fn lock(path: &Path) -> Result<File> {
    let file = open_lock(path)?;
    // SAFETY: flock on a file descriptor we own; no memory is shared with the kernel.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
    if rc != 0 {
        return Err(std::io::Error::last_os_error()).with_context(|| path.display().to_string());
    }
    Ok(file)
}

/// Takes the exclusive lock of a lock file if no one holds it (`None` if someone does).
pub fn try_lock(path: &Path) -> Result<Option<File>> {
    let file = open_lock(path)?;
    // SAFETY: flock on a file descriptor we own; no memory is shared with the kernel.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    Ok((rc == 0).then_some(file))
}
