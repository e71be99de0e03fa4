//! Removes build caches nobody uses any more. Each cache key (rustc version, evcxr, this kernel,
//! the facade) holds a full dependency build, 0.4-2 GB; a toolchain update or a new kernel
//! version starts a new key and the old one would stay on disk for ever.
//!
//! A kernel stamps its key's `last-used` file, then holds the key's lock shared for as long as
//! it runs. Keys whose stamp (or, for keys made before stamps existed, whose directory) is
//! older than [`STALE_AFTER`] are removed, unless a kernel uses them: the prune takes the key's
//! lock exclusively and every slot's lock, looks at the stamp again (a kernel may have stamped
//! it meanwhile), renames the key out of the way, then deletes it. A kernel that arrived during
//! the removal waits for the key's lock, sees that its key was moved away, and starts a fresh key
//! directory. A removal cut short (the kernel exited) leaves a `.stale-*` directory that the
//! next prune finishes.
//!
//! The copies of the neurust sources a kernel writes out when its checkout is gone
//! (`facade-<hash>`, `facade_source.rs`) are stamped the same way at each start that uses them,
//! and removed once unused as long. They hold no lock: a kernel starting in the instant one is
//! removed writes a fresh copy if it finds none, and only one that had already found it, after a
//! month unused, would miss its files.

use super::slot::{open_lock, try_lock};
use anyhow::{Context, Result};
use std::fs::File;
use std::os::fd::AsRawFd;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// Unused for this long, a key's cache is removed.
pub const STALE_AFTER: Duration = Duration::from_secs(30 * 24 * 60 * 60);

const STAMP: &str = "last-used";
const STALE_PREFIX: &str = ".stale-";
const KEY_LOCK: &str = "key.lock";

/// Records that `base` (one key's directory) is in use now.
pub(super) fn mark_used(base: &Path) {
    let stamp = base.join(STAMP);
    let _ = std::fs::File::create(&stamp).and_then(|f| f.set_modified(SystemTime::now()));
}

/// Takes `base`'s key lock shared, waiting while a prune holds it, and returns it to be held as
/// long as the key is in use. None if a prune moved the key away meanwhile: the caller starts
/// again on a fresh key directory.
pub(super) fn hold_key(base: &Path) -> Result<Option<File>> {
    let path = base.join(KEY_LOCK);
    let file = open_lock(&path)?;
    // SAFETY: flock on a file descriptor we own.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_SH) } != 0 {
        return Err(std::io::Error::last_os_error()).with_context(|| path.display().to_string());
    }
    let same = match (file.metadata(), std::fs::metadata(&path)) {
        (Ok(held), Ok(now)) => held.dev() == now.dev() && held.ino() == now.ino(),
        _ => false,
    };
    Ok(same.then_some(file))
}

/// Removes the keys under `root` other than `current` unused for longer than `stale_after`.
/// Returns the names of the keys removed.
pub fn prune_stale_keys(root: &Path, current: &str, stale_after: Duration) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.starts_with(STALE_PREFIX) {
            let _ = std::fs::remove_dir_all(&path);
            continue;
        }
        if unused_for(&path) < Some(stale_after) {
            continue;
        }
        let gone = if is_facade_copy(&name) {
            remove_aside(root, &name)
        } else {
            name != current && is_key(&name) && remove_unlocked(root, &name, stale_after)
        };
        if gone {
            removed.push(name);
        }
    }
    removed
}

/// Whether a directory name is a cache key as [`super::key`] makes them:
/// `rustc-<version>-<16 hex digits>`. Anything else under the root is left alone.
fn is_key(name: &str) -> bool {
    name.strip_prefix("rustc-")
        .and_then(|rest| rest.rsplit_once('-'))
        .is_some_and(|(version, hash)| {
            !version.is_empty() && hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
        })
}

/// Whether a directory name is a copy of the neurust sources: `facade-<16 hex digits>`.
fn is_facade_copy(name: &str) -> bool {
    name.strip_prefix("facade-")
        .is_some_and(|hash| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Moves `root/name` aside and deletes it; false if it could not be moved.
fn remove_aside(root: &Path, name: &str) -> bool {
    let aside = root.join(format!("{STALE_PREFIX}{name}-{}", std::process::id()));
    if std::fs::rename(root.join(name), &aside).is_err() {
        return false;
    }
    let _ = std::fs::remove_dir_all(&aside);
    true
}

/// How long ago the key (or copy) was last used, or None when that cannot be told.
fn unused_for(base: &Path) -> Option<Duration> {
    let stamp = std::fs::metadata(base.join(STAMP)).or_else(|_| std::fs::metadata(base));
    let modified = stamp.ok()?.modified().ok()?;
    Some(
        SystemTime::now()
            .duration_since(modified)
            .unwrap_or_default(),
    )
}

/// Locks the key and every slot of it, checks that it is still unused, moves it aside and
/// deletes it. False if a kernel uses it.
fn remove_unlocked(root: &Path, name: &str, stale_after: Duration) -> bool {
    let base = root.join(name);
    let Ok(Some(_key)) = try_lock(&base.join(KEY_LOCK)) else {
        return false;
    };
    // A kernel may have stamped the key since the first look, before taking its lock. (Only the
    // stamp counts here: taking the lock has just changed the directory's own time.)
    let stamped = std::fs::metadata(base.join(STAMP)).and_then(|m| m.modified());
    if stamped.is_ok_and(|at| at.elapsed().unwrap_or_default() < stale_after) {
        return false;
    }
    let mut locks = Vec::new();
    let Ok(entries) = std::fs::read_dir(&base) else {
        return false;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if file.starts_with("slot-") && file.ends_with(".lock") {
            match try_lock(&entry.path()) {
                Ok(Some(lock)) => locks.push(lock),
                _ => return false,
            }
        }
    }
    // Kernels waiting for the key's lock wake once it is gone, and start afresh.
    remove_aside(root, name)
}

#[cfg(test)]
#[path = "prune_tests.rs"]
mod tests;
