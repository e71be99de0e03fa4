//! The cache's slots: separate slots for concurrent kernels, seeding, waiting for a build.

use super::fill::{COPY_TRIES, building};
use super::seed::copy_tree;
use super::*;
use std::time::{Duration, Instant};

/// An empty cache root of this test's own.
fn temp_root(test: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("neurust-cache-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    root
}

/// A slot whose kernel has decided to build (nothing to copy, nobody to wait for).
fn building_slot(root: &Path) -> Slot {
    let slot = acquire_in(root, "k").expect("slot");
    assert_eq!(
        slot.fill_within(Duration::from_secs(60), copy_tree, |e| panic!("{e:?}")),
        None
    );
    slot
}

#[test]
fn concurrent_kernels_get_separate_slots_and_seed_from_a_ready_one() {
    let root = temp_root("test");
    let first = acquire_in(&root, "k").expect("slot");
    assert!(first.dir.ends_with("slot-0"));
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&root).expect("root").permissions().mode();
    assert_eq!(mode & 0o777, 0o700, "the cache is private to its user");
    std::fs::create_dir_all(first.dir.join("target/deps")).expect("target");
    std::fs::write(first.dir.join("target/deps/libdep.rlib"), b"built").expect("file");
    first.mark_ready(true);
    let second = acquire_in(&root, "k").expect("second slot while the first is held");
    assert!(second.dir.ends_with("slot-1"));
    assert_eq!(second.fill(|e| panic!("{e:?}")), Some(first.dir.clone()));
    let copied = std::fs::read(second.dir.join("target/deps/libdep.rlib")).expect("copied");
    assert_eq!(copied, b"built");
    drop(first);
    let third = acquire_in(&root, "k").expect("the freed slot is reused");
    assert!(third.dir.ends_with("slot-0"));
    assert!(third.fill(|e| panic!("{e:?}")).is_none());
    drop((second, third));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_second_kernel_waits_for_the_first_build_and_copies_it() {
    let root = temp_root("wait");
    let builder = building_slot(&root);
    let waiter = acquire_in(&root, "k").expect("second slot");
    let (told_tx, told_rx) = std::sync::mpsc::channel();
    let filled = std::thread::spawn(move || {
        let from = waiter.fill_within(Duration::from_secs(60), copy_tree, |e| {
            if let Filling::Waiting(b) = e {
                told_tx.send(b.to_path_buf()).expect("send");
            }
        });
        (from, waiter)
    });
    let waited_for = told_rx.recv().expect("the second kernel says it waits");
    assert_eq!(waited_for, builder.dir);
    std::fs::create_dir_all(builder.dir.join("target/deps")).expect("target");
    std::fs::write(builder.dir.join("target/deps/libdep.rlib"), b"built").expect("file");
    builder.mark_ready(true);
    let (from, waiter) = filled.join().expect("fill");
    assert_eq!(from, Some(builder.dir.clone()));
    assert!(waiter.dir.join("target/deps/libdep.rlib").is_file());
    drop((builder, waiter));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_builder_that_gives_up_stops_the_wait() {
    let root = temp_root("quit");
    let builder = building_slot(&root);
    let waiter = acquire_in(&root, "k").expect("second slot");
    let (told_tx, told_rx) = std::sync::mpsc::channel();
    let filled = std::thread::spawn(move || {
        waiter.fill_within(Duration::from_secs(60), copy_tree, |e| {
            if let Filling::Waiting(b) = e {
                told_tx.send(b.to_path_buf()).expect("send");
            }
        })
    });
    let waited_for = told_rx
        .recv()
        .expect("the second kernel waits for the builder");
    assert_eq!(waited_for, builder.dir);
    let quit = Instant::now();
    drop(builder); // exits without marking the slot ready
    assert_eq!(filled.join().expect("fill"), None);
    assert!(
        quit.elapsed() < Duration::from_secs(10),
        "the wait ended soon after the builder quit, not at its 60 s limit"
    );
    let _ = std::fs::remove_dir_all(&root);
}

/// A built slot held by a running kernel, and a second slot to fill from it.
fn built_and_empty(root: &Path) -> (Slot, Slot) {
    let built = acquire_in(root, "k").expect("slot");
    std::fs::create_dir_all(built.dir.join("target/deps")).expect("target");
    std::fs::write(built.dir.join("target/deps/libdep.rlib"), b"built").expect("file");
    built.mark_ready(true);
    let empty = acquire_in(root, "k").expect("second slot");
    (built, empty)
}

#[test]
fn a_copy_cut_short_by_the_source_kernel_is_tried_again() {
    let root = temp_root("retry");
    let (built, empty) = built_and_empty(&root);
    let mut calls = 0;
    // The first two copies fail as cp does when a cell's build removes a file mid-copy.
    let flaky = |from: &Path, to: &Path| {
        calls += 1;
        if calls <= 2 {
            std::fs::create_dir_all(to.join("deps")).expect("partial copy");
            return Err("cp: cannot stat 'deps/libctx.so': No such file or directory".into());
        }
        copy_tree(from, to)
    };
    let mut failures = Vec::new();
    let from = empty.fill_within(Duration::from_secs(60), flaky, |e| match e {
        Filling::CopyFailed(from, why) => failures.push((from.to_path_buf(), why.to_owned())),
        Filling::Waiting(_) => panic!("nothing to wait for"),
    });
    assert_eq!(from, Some(built.dir.clone()));
    assert_eq!(failures.len(), 2, "{failures:?}");
    assert!(
        failures
            .iter()
            .all(|(f, why)| *f == built.dir && why.contains("libctx.so"))
    );
    let copied = std::fs::read(empty.dir.join("target/deps/libdep.rlib")).expect("copied");
    assert_eq!(copied, b"built");
    assert!(
        !empty.dir.join("target.seeding").exists(),
        "no partial copy left"
    );
    drop((built, empty));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_kernel_builds_itself_when_every_copy_fails() {
    let root = temp_root("nocopy");
    let (built, empty) = built_and_empty(&root);
    let mut failures = 0;
    let failing = |_: &Path, to: &Path| {
        std::fs::create_dir_all(to).expect("partial copy");
        Err("cp: cannot stat 'x': No such file or directory".to_owned())
    };
    let from = empty.fill_within(Duration::from_secs(60), failing, |e| {
        assert!(matches!(e, Filling::CopyFailed(..)), "{e:?}");
        failures += 1;
    });
    assert_eq!(from, None, "it builds");
    assert_eq!(failures, COPY_TRIES);
    assert!(!empty.dir.join("target").exists() && !empty.dir.join("target.seeding").exists());
    let other = acquire_in(&root, "k").expect("third slot");
    assert_eq!(
        building(&root.join("k"), other.index),
        Some(empty.dir.clone()),
        "the slot is marked as building, so that others wait for it"
    );
    drop((built, empty, other));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn of_two_kernels_starting_together_one_builds_and_the_other_copies() {
    let root = temp_root("pair");
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    for _ in 0..2 {
        let slot = acquire_in(&root, "k").expect("slot");
        let done = done_tx.clone();
        std::thread::spawn(move || {
            let from = slot.fill_within(Duration::from_secs(60), copy_tree, |_| {});
            done.send((from, slot)).expect("send");
        });
    }
    // At least one of them must go on to build at once.
    let (from, first) = done_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("one kernel builds without waiting");
    assert_eq!(from, None);
    std::fs::create_dir_all(first.dir.join("target/deps")).expect("target");
    first.mark_ready(true);
    // The other decided after the first had marked its slot (they decide one at a time), so
    // it waited for the first and copied it rather than build too.
    let (other, second) = done_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the other kernel goes on too");
    assert_eq!(other.as_deref(), Some(first.dir.as_path()));
    drop((first, second));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_damaged_lock_file_is_replaced_by_a_built_slots_copy() {
    let root = temp_root("lock");
    let good = "version = 4\n\n[[package]]\nname = \"ctx\"\nversion = \"1.0.0\"\n";
    let built = acquire_in(&root, "k").expect("slot");
    std::fs::create_dir_all(built.dir.join("target")).expect("target");
    std::fs::write(built.dir.join("Cargo.lock"), good).expect("lock");
    built.mark_ready(true);
    assert_eq!(
        built.repair_lock_file(),
        None,
        "a readable lock file is left alone"
    );
    let damaged = acquire_in(&root, "k").expect("second slot");
    std::fs::write(damaged.dir.join("Cargo.lock"), [0xff, 0xfe, b'[', 0]).expect("garbage");
    assert!(
        damaged
            .repair_lock_file()
            .expect("repaired")
            .contains("copied")
    );
    let lock = std::fs::read_to_string(damaged.dir.join("Cargo.lock")).expect("lock");
    assert_eq!(lock, good);
    drop(built);
    std::fs::write(damaged.dir.join("Cargo.lock"), "[[package]\nname =").expect("cut");
    let _ = std::fs::remove_file(root.join("k/slot-0/.neurust-ready"));
    assert!(
        damaged
            .repair_lock_file()
            .expect("repaired")
            .contains("removed")
    );
    assert!(!damaged.dir.join("Cargo.lock").exists());
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn forgetting_neurust_removes_only_its_outputs_and_fingerprints() {
    let dir = std::env::temp_dir().join(format!("neurust-cache-forget-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let debug = dir.join("target/x86_64-unknown-linux-gnu/debug");
    let files = [
        "deps/libneurust_nn-0123.rlib",
        "deps/libndarray-4567.rlib",
        ".fingerprint/neurust-nn-89ab/lib-neurust_nn",
        ".fingerprint/ndarray-cdef/lib-ndarray",
        "incremental/neurust-0452/s-1/metadata.rmeta",
    ];
    for file in files {
        let path = debug.join(file);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
        std::fs::write(path, b"x").expect("file");
    }
    assert_eq!(forget_neurust(&dir), 3);
    assert!(!debug.join("incremental/neurust-0452").exists());
    assert!(!debug.join(files[0]).exists() && !debug.join(".fingerprint/neurust-nn-89ab").exists());
    assert!(debug.join(files[1]).exists() && debug.join(files[3]).exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn taking_a_slot_removes_the_previous_sessions_cell_libraries_only() {
    let root = temp_root("prune");
    let debug = root.join("k/slot-0/target/x86_64-unknown-linux-gnu/debug");
    std::fs::create_dir_all(debug.join("deps")).expect("dirs");
    for name in [
        "libcode_1.so",
        "libcode_917.so",
        "libcode_x.so",
        "libctx.d",
        "deps/libcode_2.so",
    ] {
        std::fs::write(debug.join(name), b"x").expect("file");
    }
    let slot = acquire_in(&root, "k").expect("slot");
    assert!(slot.dir.ends_with("slot-0"));
    assert!(!debug.join("libcode_1.so").exists());
    assert!(!debug.join("libcode_917.so").exists());
    for kept in ["libcode_x.so", "libctx.d", "deps/libcode_2.so"] {
        assert!(debug.join(kept).exists(), "{kept} is not a cell library");
    }
    drop(slot);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_cache_root_must_be_this_users_and_not_writable_by_others() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let root = temp_root("owner");
    std::fs::create_dir_all(&root).expect("root");
    let uid = std::fs::metadata(&root).expect("meta").uid();
    for chosen in [false, true] {
        let err = owned_and_private(&root, uid + 1, chosen).expect_err("another user's root");
        assert!(err.to_string().contains("belongs to another user"), "{err}");
    }
    let mode = |root: &Path| std::fs::metadata(root).expect("meta").permissions().mode() & 0o777;
    let set = |root: &Path, m| {
        std::fs::set_permissions(root, std::fs::Permissions::from_mode(m)).expect("chmod")
    };
    // A root the user chose (NEURUST_CACHE_DIR) is refused if others can write, else untouched.
    set(&root, 0o775);
    let err = owned_and_private(&root, uid, true).expect_err("group-writable");
    assert!(err.to_string().contains("mode 775"), "{err}");
    set(&root, 0o755);
    owned_and_private(&root, uid, true).expect("only its owner can write");
    assert_eq!(
        mode(&root),
        0o755,
        "a directory the user chose keeps its mode"
    );
    // The default root is the kernel's own: made private.
    set(&root, 0o775);
    owned_and_private(&root, uid, false).expect("the default root is used");
    assert_eq!(mode(&root), 0o700, "group and other permissions taken away");
    std::fs::remove_dir_all(&root).expect("clean up");
}

#[test]
fn a_cache_root_that_others_could_swap_is_refused() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let base = temp_root("swap");
    let target = base.join("target");
    std::fs::create_dir_all(&target).expect("target");
    let uid = std::fs::metadata(&target).expect("meta").uid();
    let link = base.join("link");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    // The default location (say /tmp/neurust-kernel-<uid> planted by someone) is never a link.
    let err = owned_and_private(&link, uid, false).expect_err("a link as the default root");
    assert!(err.to_string().contains("symbolic link"), "{err}");
    // A link the user made to a directory of theirs is a fine NEURUST_CACHE_DIR.
    owned_and_private(&link, uid, true).expect("the user's own link");
    // A parent others can write to without the sticky bit lets them replace the root.
    let chmod = |m| std::fs::set_permissions(&base, std::fs::Permissions::from_mode(m));
    chmod(0o777).expect("chmod");
    let err = owned_and_private(&target, uid, true).expect_err("swappable");
    assert!(err.to_string().contains("mode 777"), "{err}");
    chmod(0o1777).expect("chmod");
    owned_and_private(&target, uid, true).expect("sticky, like /tmp");
    std::fs::remove_dir_all(&base).expect("clean up");
}
