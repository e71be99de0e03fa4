//! Tests of stale-key removal.

use super::*;
use std::path::PathBuf;

/// An empty directory of this test's own (`name` tells tests apart).
fn scratch_root(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("neurust-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    root
}

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
    let root = scratch_root("prune");
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
    let root = scratch_root("stamp");
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

#[test]
fn a_key_a_kernel_holds_is_kept_however_old() {
    let root = scratch_root("held");
    let base = key_dir(&root, "rustc-1.90.0-bbbbbbbbbbbbbbbb", Some(40 * DAY));
    let held = hold_key(&base).expect("lock").expect("the key is there");
    // Its stamp is old (say the kernel's clock was set back), but it is in use.
    assert!(prune_stale_keys(&root, "other", 30 * DAY).is_empty());
    assert!(base.join("slot-0/target/lib.rlib").exists());
    drop(held);
    assert_eq!(
        prune_stale_keys(&root, "other", 30 * DAY),
        ["rustc-1.90.0-bbbbbbbbbbbbbbbb"]
    );
    std::fs::remove_dir_all(&root).expect("clean up");
}

#[test]
fn a_key_stamped_after_the_first_look_is_kept() {
    let root = scratch_root("restamp");
    let base = key_dir(&root, "rustc-1.90.0-bbbbbbbbbbbbbbbb", Some(40 * DAY));
    assert!(
        unused_for(&base) >= Some(30 * DAY),
        "stale at the first look"
    );
    mark_used(&base);
    assert!(!remove_unlocked(
        &root,
        "rustc-1.90.0-bbbbbbbbbbbbbbbb",
        30 * DAY
    ));
    assert!(base.join("slot-0/target/lib.rlib").exists());
    std::fs::remove_dir_all(&root).expect("clean up");
}

#[test]
fn a_kernel_that_waited_through_a_removal_is_told_to_start_afresh() {
    let root = scratch_root("waited");
    let base = key_dir(&root, "rustc-1.90.0-bbbbbbbbbbbbbbbb", Some(40 * DAY));
    let pruning = try_lock(&base.join(KEY_LOCK)).expect("lock").expect("free");
    let waiter = {
        let base = base.clone();
        std::thread::spawn(move || hold_key(&base).expect("lock").is_some())
    };
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        !waiter.is_finished(),
        "the kernel waits while the prune holds the key"
    );
    let aside = root.join(".stale-test");
    std::fs::rename(&base, &aside).expect("set aside");
    std::fs::remove_dir_all(&aside).expect("delete");
    drop(pruning);
    assert!(
        !waiter.join().expect("thread"),
        "the lock it got is of a removed key"
    );
    assert!(
        hold_key(&base).is_err(),
        "nothing is made under a removed key by this call"
    );
    std::fs::remove_dir_all(&root).expect("clean up");
}

#[test]
fn copies_of_the_sources_unused_for_long_are_removed() {
    let root = scratch_root("prune-facade");
    let copy = |name: &str, ago: Option<Duration>| {
        let dir = root.join(name);
        std::fs::create_dir_all(dir.join("crates/neurust")).expect("copy");
        if let Some(ago) = ago {
            let stamp = std::fs::File::create(dir.join(STAMP)).expect("stamp");
            stamp.set_modified(SystemTime::now() - ago).expect("mtime");
        } else {
            age_dir(&dir, 60 * DAY);
        }
        dir
    };
    let old = copy("facade-0123456789abcdef", Some(40 * DAY));
    let never_stamped = copy("facade-00000000000000ff", None);
    let recent = copy("facade-fedcba9876543210", Some(DAY));
    let not_a_copy = copy("facade-notahash", Some(40 * DAY));
    let mut removed = prune_stale_keys(&root, "rustc-1.95.0-aaaaaaaaaaaaaaaa", 30 * DAY);
    removed.sort();
    assert_eq!(
        removed,
        ["facade-00000000000000ff", "facade-0123456789abcdef"]
    );
    assert!(!old.exists() && !never_stamped.exists());
    assert!(recent.exists() && not_a_copy.exists());
    let _ = std::fs::remove_dir_all(&root);
}
