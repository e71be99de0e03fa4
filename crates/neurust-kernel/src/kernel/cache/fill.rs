//! Filling an empty slot: copying a built one, or waiting for the kernel that is building one.

use super::seed::{Seed, copy_tree, seed};
use super::slot::{BUILD_WAIT, MAX_SLOTS, READY_MARKER, Slot, is_built, lock, try_lock};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Present while a kernel runs its preload in a slot that was not built: only such a slot is
/// worth waiting for (a kernel that is itself waiting never has it, so two never wait for each
/// other; a kernel that died leaves it behind but also releases its lock).
const BUILDING_MARKER: &str = ".neurust-building";
/// The lock (under the key) a kernel holds while it decides how to fill its slot.
const FILL_LOCK: &str = "fill.lock";

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
            // One kernel at a time looks and decides: two starting together would otherwise
            // both find no one building, and both build. Without the lock (it cannot be
            // taken), that is all that can go wrong.
            let next = {
                let _deciding = lock(&self.base.join(FILL_LOCK));
                self.next_step(&mut copy, Instant::now() >= deadline)
            };
            match next {
                Step::Done(from) => return from,
                Step::CopyFailed(from, why) => {
                    report(Filling::CopyFailed(&from, &why));
                    failed += 1;
                    if failed == COPY_TRIES {
                        self.mark_building();
                        return None;
                    }
                    std::thread::sleep(COPY_PAUSE);
                }
                Step::Wait(builder) => {
                    if !told {
                        report(Filling::Waiting(&builder));
                        told = true;
                    }
                    std::thread::sleep(Duration::from_millis(500));
                }
            }
        }
    }

    /// One look at the other slots: copy a built one, or wait for one being built (unless
    /// `late`), or else build here.
    fn next_step(
        &self,
        copy: &mut impl FnMut(&Path, &Path) -> Result<(), String>,
        late: bool,
    ) -> Step {
        // Builders are looked for before built slots. A build that ends between the two looks
        // is then found built: its ready marker is written before its building one goes. In
        // the other order it could be found neither, and this kernel would build too.
        let builder = building(&self.base, self.index);
        match seed(&self.base, &self.dir, self.index, copy) {
            Seed::Copied(from) => return Step::Done(Some(from)),
            Seed::Failed(from, why) => return Step::CopyFailed(from, why),
            Seed::NothingBuilt => {}
        }
        match builder {
            Some(builder) if !late => Step::Wait(builder),
            _ => {
                self.mark_building();
                Step::Done(None)
            }
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

/// What [`Slot::next_step`] found to do.
enum Step {
    /// Filling is over: the slot copied, or `None` to build here.
    Done(Option<PathBuf>),
    /// Copying this built slot failed, for this reason.
    CopyFailed(PathBuf, String),
    /// Another kernel is building this slot.
    Wait(PathBuf),
}
