//! Filling an empty slot: copying a built one, or waiting for the kernel that is building one.

use super::{BUILD_WAIT, MAX_SLOTS, Slot};
use anyhow::{Context, Result};
use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A slot is a seed source only once a kernel has finished its preload in it (a slot whose
/// first build was cut short may hold a partial `target`).
fn is_built(dir: &Path) -> bool {
    dir.join(READY_MARKER).is_file() && dir.join("target").is_dir()
}

const READY_MARKER: &str = ".neurust-ready";

impl Slot {
    /// Makes an empty slot ready to use: copies a built slot, waiting first for a kernel that
    /// is building one right now. Returns the slot copied, or `None` when this kernel must
    /// build (it already has a `target`, or there is nothing to wait for). Calls `waiting` once
    /// if it waits.
    pub fn fill(&self, waiting: impl FnOnce(&Path)) -> Option<PathBuf> {
        self.fill_within(BUILD_WAIT, waiting)
    }

    pub(super) fn fill_within(
        &self,
        limit: Duration,
        waiting: impl FnOnce(&Path),
    ) -> Option<PathBuf> {
        if self.dir.join("target").is_dir() {
            return None;
        }
        let deadline = Instant::now() + limit;
        let mut waiting = Some(waiting);
        loop {
            if let Some(from) = seed(&self.base, &self.dir, self.index) {
                return Some(from);
            }
            let builder = building(&self.base, self.index)?;
            if Instant::now() >= deadline {
                return None;
            }
            if let Some(tell) = waiting.take() {
                tell(&builder);
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    }

    /// Records that the preload finished here, so other kernels may copy this slot.
    pub fn mark_ready(&self) {
        let _ = std::fs::write(self.dir.join(READY_MARKER), b"");
    }
}

/// A slot (not `own`) that another kernel holds and has not finished building.
fn building(base: &Path, own: usize) -> Option<PathBuf> {
    (0..MAX_SLOTS).filter(|n| *n != own).find_map(|n| {
        let dir = base.join(format!("slot-{n}"));
        let lock = base.join(format!("slot-{n}.lock"));
        let held = lock.is_file() && matches!(try_lock(&lock), Ok(None));
        (held && !is_built(&dir)).then_some(dir)
    })
}

/// Copies `target` from a built slot: preferably an idle one (locked while copying).
fn seed(base: &Path, dir: &Path, own: usize) -> Option<PathBuf> {
    let built: Vec<usize> = (0..MAX_SLOTS)
        .filter(|n| *n != own && is_built(&base.join(format!("slot-{n}"))))
        .collect();
    let idle = built.iter().find_map(|n| {
        let lock = try_lock(&base.join(format!("slot-{n}.lock"))).ok()??;
        Some((*n, Some(lock)))
    });
    let (source, _lock) = idle.or_else(|| built.first().map(|n| (*n, None)))?;
    let from = base.join(format!("slot-{source}"));
    let tmp = dir.join("target.seeding");
    let _ = std::fs::remove_dir_all(&tmp);
    let copied = Command::new("cp")
        .arg("-a")
        .arg("--reflink=auto")
        .arg(from.join("target"))
        .arg(&tmp)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if copied && std::fs::rename(&tmp, dir.join("target")).is_ok() {
        let _ = std::fs::copy(from.join("Cargo.lock"), dir.join("Cargo.lock"));
        Some(from)
    } else {
        let _ = std::fs::remove_dir_all(&tmp);
        None
    }
}

pub(super) fn try_lock(path: &Path) -> Result<Option<File>> {
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .with_context(|| path.display().to_string())?;
    // SAFETY: flock on a file descriptor we own; no memory is shared with the kernel.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    Ok((rc == 0).then_some(file))
}
