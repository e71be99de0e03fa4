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

/// How many times a kernel tries to copy a built slot before it builds its own. A copy fails
/// when the kernel using the source slot removes a file while it is copied (each cell's build
/// replaces the cell crate's outputs); a later try usually falls between two cells.
pub(super) const COPY_TRIES: u32 = 5;
/// The pause between two tries.
const COPY_PAUSE: Duration = Duration::from_secs(1);

/// What [`Slot::fill`] reports while it works, for the kernel's log.
#[derive(Debug)]
pub enum Filling<'a> {
    /// It waits for the kernel building this slot (reported once).
    Waiting(&'a Path),
    /// Copying this built slot failed, for this reason (cp's message).
    CopyFailed(&'a Path, &'a str),
}

impl Slot {
    /// Makes an empty slot ready to use: copies a built slot, waiting first for a kernel that
    /// is building one right now. Returns the slot copied, or `None` when this kernel must
    /// build (it already has a `target`, there is nothing to wait for, or every copy failed).
    pub fn fill(&self, report: impl FnMut(Filling)) -> Option<PathBuf> {
        self.fill_within(BUILD_WAIT, copy_tree, report)
    }

    /// [`fill`](Self::fill), waiting at most `limit` and copying a `target` with `copy`.
    pub(super) fn fill_within(
        &self,
        limit: Duration,
        mut copy: impl FnMut(&Path, &Path) -> Result<(), String>,
        mut report: impl FnMut(Filling),
    ) -> Option<PathBuf> {
        if self.dir.join("target").is_dir() {
            self.mark_building();
            return None;
        }
        let deadline = Instant::now() + limit;
        let (mut told, mut failed) = (false, 0);
        loop {
            match seed(&self.base, &self.dir, self.index, &mut copy) {
                Seed::Copied(from) => return Some(from),
                Seed::Failed(from, why) => {
                    report(Filling::CopyFailed(&from, &why));
                    failed += 1;
                    if failed == COPY_TRIES {
                        self.mark_building();
                        return None;
                    }
                    std::thread::sleep(COPY_PAUSE);
                    continue;
                }
                Seed::NothingBuilt => {}
            }
            let Some(builder) = building(&self.base, self.index) else {
                self.mark_building();
                return None;
            };
            if Instant::now() >= deadline {
                self.mark_building();
                return None;
            }
            if !told {
                report(Filling::Waiting(&builder));
                told = true;
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

/// A slot (not `own`) that another kernel holds and has not finished building.
pub(super) fn building(base: &Path, own: usize) -> Option<PathBuf> {
    (0..MAX_SLOTS).filter(|n| *n != own).find_map(|n| {
        let dir = base.join(format!("slot-{n}"));
        let lock = base.join(format!("slot-{n}.lock"));
        let marked = dir.join(BUILDING_MARKER).is_file() && !is_built(&dir);
        let held = marked && lock.is_file() && matches!(try_lock(&lock), Ok(None));
        held.then_some(dir)
    })
}

/// What one try at seeding a slot came to.
enum Seed {
    /// `target` was copied from this slot.
    Copied(PathBuf),
    /// Copying this slot failed, for this reason.
    Failed(PathBuf, String),
    /// No other slot is built.
    NothingBuilt,
}

/// Copies `target` from a built slot with `copy`: preferably an idle one (locked while
/// copying), else one in use.
fn seed(
    base: &Path,
    dir: &Path,
    own: usize,
    copy: &mut impl FnMut(&Path, &Path) -> Result<(), String>,
) -> Seed {
    let built: Vec<usize> = (0..MAX_SLOTS)
        .filter(|n| *n != own && is_built(&base.join(format!("slot-{n}"))))
        .collect();
    let idle = built.iter().find_map(|n| {
        let lock = try_lock(&base.join(format!("slot-{n}.lock"))).ok()??;
        Some((*n, Some(lock)))
    });
    let Some((source, _lock)) = idle.or_else(|| built.first().map(|n| (*n, None))) else {
        return Seed::NothingBuilt;
    };
    let from = base.join(format!("slot-{source}"));
    let tmp = dir.join("target.seeding");
    let _ = std::fs::remove_dir_all(&tmp);
    let copied = copy(&from.join("target"), &tmp).and_then(|()| {
        std::fs::rename(&tmp, dir.join("target")).map_err(|e| format!("renaming the copy: {e}"))
    });
    match copied {
        Ok(()) => {
            let _ = std::fs::copy(from.join("Cargo.lock"), dir.join("Cargo.lock"));
            Seed::Copied(from)
        }
        Err(why) => {
            let _ = std::fs::remove_dir_all(&tmp);
            Seed::Failed(from, why)
        }
    }
}

/// Copies the directory `from` to `to` (sharing blocks where the file system can), or says
/// why it could not: cp's first message.
pub(super) fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    let out = Command::new("cp")
        .arg("-a")
        .arg("--reflink=auto")
        .arg(from)
        .arg(to)
        .output()
        .map_err(|e| format!("cannot run cp: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    let message = String::from_utf8_lossy(&out.stderr);
    Err(message.lines().next().unwrap_or("cp failed").to_owned())
}
