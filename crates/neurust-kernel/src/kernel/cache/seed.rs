//! Seeding an empty slot: copying `target` from a built one.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::slot::{MAX_SLOTS, is_built, try_lock};

/// What one try at seeding a slot came to.
pub(super) enum Seed {
    /// `target` was copied from this slot.
    Copied(PathBuf),
    /// Copying this slot failed, for this reason.
    Failed(PathBuf, String),
    /// No other slot is built.
    NothingBuilt,
}

/// Copies `target` from a built slot with `copy`: preferably an idle one (locked while
/// copying), else one in use.
pub(super) fn seed(
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
