//! The cache's slots: separate slots for concurrent kernels, seeding, waiting for a build.

use super::*;
use std::time::{Duration, Instant};

#[test]
fn concurrent_kernels_get_separate_slots_and_seed_from_a_ready_one() {
    let root = std::env::temp_dir().join(format!("neurust-cache-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let first = acquire_in(&root, "k").expect("slot");
    assert!(first.dir.ends_with("slot-0"));
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&root).expect("root").permissions().mode();
    assert_eq!(mode & 0o777, 0o700, "the cache is private to its user");
    std::fs::create_dir_all(first.dir.join("target/deps")).expect("target");
    std::fs::write(first.dir.join("target/deps/libdep.rlib"), b"built").expect("file");
    first.mark_ready();
    let second = acquire_in(&root, "k").expect("second slot while the first is held");
    assert!(second.dir.ends_with("slot-1"));
    assert_eq!(second.fill(|_| panic!("no wait")), Some(first.dir.clone()));
    let copied = std::fs::read(second.dir.join("target/deps/libdep.rlib")).expect("copied");
    assert_eq!(copied, b"built");
    drop(first);
    let third = acquire_in(&root, "k").expect("the freed slot is reused");
    assert!(third.dir.ends_with("slot-0"));
    assert!(third.fill(|_| panic!("no wait")).is_none());
    drop((second, third));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_second_kernel_waits_for_the_first_build_and_copies_it() {
    let root = std::env::temp_dir().join(format!("neurust-cache-wait-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let builder = acquire_in(&root, "k").expect("slot");
    let waiter = acquire_in(&root, "k").expect("second slot");
    let (told_tx, told_rx) = std::sync::mpsc::channel();
    let filled = std::thread::spawn(move || {
        let from = waiter.fill_within(Duration::from_secs(60), |b| {
            told_tx.send(b.to_path_buf()).expect("send");
        });
        (from, waiter)
    });
    let waited_for = told_rx.recv().expect("the second kernel says it waits");
    assert_eq!(waited_for, builder.dir);
    std::fs::create_dir_all(builder.dir.join("target/deps")).expect("target");
    std::fs::write(builder.dir.join("target/deps/libdep.rlib"), b"built").expect("file");
    builder.mark_ready();
    let (from, waiter) = filled.join().expect("fill");
    assert_eq!(from, Some(builder.dir.clone()));
    assert!(waiter.dir.join("target/deps/libdep.rlib").is_file());
    drop((builder, waiter));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_builder_that_gives_up_stops_the_wait() {
    let root = std::env::temp_dir().join(format!("neurust-cache-quit-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let builder = acquire_in(&root, "k").expect("slot");
    let waiter = acquire_in(&root, "k").expect("second slot");
    let started = Instant::now();
    let filled = std::thread::spawn(move || waiter.fill_within(Duration::from_secs(60), |_| {}));
    std::thread::sleep(Duration::from_millis(700));
    drop(builder); // exits without marking the slot ready
    assert_eq!(filled.join().expect("fill"), None);
    assert!(started.elapsed() < Duration::from_secs(10));
    let _ = std::fs::remove_dir_all(&root);
}
