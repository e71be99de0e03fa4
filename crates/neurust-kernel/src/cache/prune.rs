//! Removes build caches nobody uses any more. Each cache key (rustc version, evcxr, this kernel,
//! the facade path) holds a full dependency build, 0.4-2 GB; a toolchain update or a new kernel
//! version starts a new key and the old one would stay on disk for ever.
//!
//! A kernel stamps its key's `last-used` file when it takes a slot. Keys whose stamp (or, for
//! keys made before stamps existed, whose directory) is older than [`STALE_AFTER`] are removed,
//! unless a kernel holds one of their slots: every slot is locked first, the key is renamed out
//! of the way (a kernel that arrives later starts a fresh key directory), then deleted. A removal
//! cut short (the kernel exited) leaves a `.stale-*` directory that the next prune finishes.

use super::fill::try_lock;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// Unused for this long, a key's cache is removed.
pub const STALE_AFTER: Duration = Duration::from_secs(30 * 24 * 60 * 60);

const STAMP: &str = "last-used";
const STALE_PREFIX: &str = ".stale-";

/// Records that `base` (one key's directory) is in use now.
pub(super) fn mark_used(base: &Path) {
    let stamp = base.join(STAMP);
    let _ = std::fs::File::create(&stamp).and_then(|f| f.set_modified(SystemTime::now()));
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
        } else if name != current
            && is_key(&name)
            && unused_for(&path) >= Some(stale_after)
            && remove_unlocked(root, &name)
        {
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

/// How long ago the key was last used, or None when that cannot be told.
fn unused_for(base: &Path) -> Option<Duration> {
    let stamp = std::fs::metadata(base.join(STAMP)).or_else(|_| std::fs::metadata(base));
    let modified = stamp.ok()?.modified().ok()?;
    Some(
        SystemTime::now()
            .duration_since(modified)
            .unwrap_or_default(),
    )
}

/// Locks every slot of a key, moves the key aside and deletes it. False if a slot is in use.
fn remove_unlocked(root: &Path, name: &str) -> bool {
    let base = root.join(name);
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
    let aside = root.join(format!("{STALE_PREFIX}{name}-{}", std::process::id()));
    if std::fs::rename(&base, &aside).is_err() {
        return false;
    }
    drop(locks);
    let _ = std::fs::remove_dir_all(&aside);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    const DAY: Duration = Duration::from_secs(24 * 60 * 60);

    fn key_dir(root: &Path, name: &str, last_used: Option<Duration>) -> PathBuf {
        let base = root.join(name);
        std::fs::create_dir_all(base.join("slot-0/target")).expect("key dir");
        std::fs::write(base.join("slot-0/target/lib.rlib"), b"built").expect("file");
        std::fs::write(base.join("slot-0.lock"), b"").expect("lock file");
        if let Some(ago) = last_used {
            let stamp = std::fs::File::create(base.join(STAMP)).expect("stamp");
            stamp.set_modified(SystemTime::now() - ago).expect("mtime");
        }
        base
    }

    fn age_dir(dir: &Path, ago: Duration) {
        let file = std::fs::File::open(dir).expect("open dir");
        file.set_modified(SystemTime::now() - ago)
            .expect("dir mtime");
    }

    #[test]
    fn only_unused_unlocked_keys_are_removed() {
        let root = std::env::temp_dir().join(format!("neurust-prune-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let current = key_dir(&root, "rustc-1.95.0-aaaaaaaaaaaaaaaa", Some(90 * DAY));
        let stale = key_dir(&root, "rustc-1.90.0-bbbbbbbbbbbbbbbb", Some(40 * DAY));
        let recent = key_dir(&root, "rustc-1.94.0-cccccccccccccccc", Some(29 * DAY));
        let legacy = key_dir(&root, "rustc-1.80.0-dddddddddddddddd", None);
        age_dir(&legacy, 60 * DAY);
        let busy = key_dir(&root, "rustc-1.91.0-eeeeeeeeeeeeeeee", Some(40 * DAY));
        let held = try_lock(&busy.join("slot-0.lock"))
            .expect("lock")
            .expect("free");
        let other = root.join("not-a-key");
        std::fs::create_dir_all(&other).expect("other dir");
        age_dir(&other, 60 * DAY);
        let leftover = root.join(".stale-rustc-1.70.0-ffffffffffffffff-1");
        std::fs::create_dir_all(leftover.join("slot-0")).expect("leftover");

        let mut removed = prune_stale_keys(&root, "rustc-1.95.0-aaaaaaaaaaaaaaaa", 30 * DAY);
        removed.sort();
        assert_eq!(
            removed,
            [
                "rustc-1.80.0-dddddddddddddddd",
                "rustc-1.90.0-bbbbbbbbbbbbbbbb"
            ]
        );
        assert!(!stale.exists() && !legacy.exists() && !leftover.exists());
        for kept in [&current, &recent, &busy, &other] {
            assert!(kept.exists(), "{} kept", kept.display());
        }
        assert!(
            busy.join("slot-0/target/lib.rlib").exists(),
            "a slot in use is untouched"
        );
        let names: Vec<_> = std::fs::read_dir(&root)
            .expect("root")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(
            names.len(),
            4,
            "nothing set aside is left behind: {names:?}"
        );
        drop(held);
        std::fs::remove_dir_all(&root).expect("clean up");
    }

    #[test]
    fn taking_a_slot_stamps_the_key_as_used() {
        let root = std::env::temp_dir().join(format!("neurust-stamp-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let base = key_dir(&root, "rustc-1.95.0-aaaaaaaaaaaaaaaa", Some(90 * DAY));
        assert!(unused_for(&base).expect("age") > 89 * DAY);
        let slot = super::super::acquire_in(&root, "rustc-1.95.0-aaaaaaaaaaaaaaaa").expect("slot");
        assert!(unused_for(&base).expect("age") < DAY);
        drop(slot);
        std::fs::remove_dir_all(&root).expect("clean up");
    }

    #[test]
    fn recognises_only_cache_key_names() {
        assert!(is_key("rustc-1.95.0-e3edb838c4648e2d"));
        assert!(is_key("rustc-unknown-0123456789abcdef"));
        for name in [
            "rustc-1.95.0-e3edb838",
            "rustc--e3edb838c4648e2d",
            "slot-0",
            "rustc-1.95.0-e3edb838c4648e2g",
            ".stale-x",
        ] {
            assert!(!is_key(name), "{name}");
        }
    }
}
