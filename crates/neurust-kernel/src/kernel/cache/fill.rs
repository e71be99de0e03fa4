//! Filling an empty slot: copying a built one, or waiting for the kernel that is building one.

use super::slot::{BUILD_WAIT, MAX_SLOTS, Slot, try_lock};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A slot is a seed source only once a kernel has finished its preload in it (a slot whose
/// first build was cut short may hold a partial `target`).
fn is_built(dir: &Path) -> bool {
    dir.join(READY_MARKER).is_file() && dir.join("target").is_dir()
}

const READY_MARKER: &str = ".neurust-ready";
/// Present while a kernel runs its preload in a slot that was not built: only such a slot is
/// worth waiting for (a kernel that is itself waiting never has it, so two never wait for each
/// other; a kernel that died leaves it behind but also releases its lock).
const BUILDING_MARKER: &str = ".neurust-building";

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
            self.mark_building();
            return None;
        }
        let deadline = Instant::now() + limit;
        let mut waiting = Some(waiting);
        loop {
            if let Some(from) = seed(&self.base, &self.dir, self.index) {
                return Some(from);
            }
            let Some(builder) = building(&self.base, self.index) else {
                self.mark_building();
                return None;
            };
            if Instant::now() >= deadline {
                self.mark_building();
                return None;
            }
            if let Some(tell) = waiting.take() {
                tell(&builder);
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    }

    /// Replaces a `Cargo.lock` that cargo could not read (not UTF-8, or not a lock file) with a
    /// built slot's copy, or removes it. Returns what it did.
    pub fn repair_lock_file(&self) -> Option<String> {
        let path = self.dir.join("Cargo.lock");
        let bytes = std::fs::read(&path).ok()?;
        let readable = std::str::from_utf8(&bytes).is_ok_and(|text| {
            text.parse::<toml::Table>()
                .is_ok_and(|table| table.contains_key("package"))
        });
        if readable {
            return None;
        }
        let source = (0..MAX_SLOTS)
            .filter(|n| *n != self.index)
            .map(|n| self.base.join(format!("slot-{n}")))
            .find(|dir| is_built(dir) && dir.join("Cargo.lock").is_file());
        match source {
            Some(from) if std::fs::copy(from.join("Cargo.lock"), &path).is_ok() => Some(format!(
                "the build cache's Cargo.lock was damaged; copied {}",
                from.join("Cargo.lock").display()
            )),
            _ => {
                let _ = std::fs::remove_file(&path);
                Some("the build cache's Cargo.lock was damaged; removed it".to_owned())
            }
        }
    }

    /// Says that this kernel is about to build here (unless the slot is already built).
    fn mark_building(&self) {
        if !is_built(&self.dir) {
            let _ = std::fs::write(self.dir.join(BUILDING_MARKER), b"");
        }
    }

    /// Records how the preload ended: a slot becomes a source other kernels may copy only when
    /// it succeeded (a failed preload may have left broken outputs behind). The ready marker is
    /// written before the building one goes, so a waiting kernel never sees the slot as neither.
    pub fn mark_ready(&self, succeeded: bool) {
        if succeeded {
            let _ = std::fs::write(self.dir.join(READY_MARKER), b"");
        } else {
            let _ = std::fs::remove_file(self.dir.join(READY_MARKER));
        }
        let _ = std::fs::remove_file(self.dir.join(BUILDING_MARKER));
    }
}

/// Makes cargo rebuild the neurust crates in a slot (`dir`): removes their fingerprints,
/// outputs and incremental state under `target/` (rustc hard-links a crate's `.rmeta` from its
/// incremental session, so a damaged one would come back from there). For outputs that are damaged but look up to date (a truncated
/// `.rlib` with its old modification time), which cargo would otherwise keep. Returns how
/// many entries it removed.
pub fn forget_neurust(dir: &Path) -> usize {
    let mut removed = 0;
    let mut todo = vec![dir.join("target")];
    while let Some(dir) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            let ours = ["neurust-", "neurust_", "libneurust"]
                .iter()
                .any(|p| name.starts_with(p));
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if ours {
                let gone = if is_dir {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
                removed += usize::from(gone.is_ok());
            } else if is_dir
                && (matches!(
                    name.as_str(),
                    "debug" | "deps" | ".fingerprint" | "incremental"
                ) || name.contains("-linux-"))
            {
                todo.push(path);
            }
        }
    }
    removed
}

/// A slot (not `own`) that another kernel holds and has not finished building.
fn building(base: &Path, own: usize) -> Option<PathBuf> {
    (0..MAX_SLOTS).filter(|n| *n != own).find_map(|n| {
        let dir = base.join(format!("slot-{n}"));
        let lock = base.join(format!("slot-{n}.lock"));
        let marked = dir.join(BUILDING_MARKER).is_file() && !is_built(&dir);
        let held = marked && lock.is_file() && matches!(try_lock(&lock), Ok(None));
        held.then_some(dir)
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
