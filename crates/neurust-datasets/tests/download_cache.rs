//! The download directory: files placed there by hand are verified on the first load,
//! partial files of killed processes are removed, everything is private, temporary names
//! are never followed, and a download that trickles on is cut off.

mod common;

use std::fs::{self, File};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use common::server::{Reply, Server};
use common::serving::{fixture_routes, loader, names};
use common::*;
use neurust_datasets::{Error, Layout};

#[test]
fn a_wrong_file_placed_in_the_cache_fails_the_first_load() {
    let server = Server::start(fixture_routes("m"));
    let cache = scratch("dl-placed");
    let dir = cache.join("mnist-small");
    fs::create_dir(&dir).unwrap();
    let mut raw = fixture_raw(1);
    raw[8] = 1;
    let placed = put(&dir, FILES[1], &raw);
    let err = loader(&cache, &server, "m", Layout::IdxGz)
        .load(&fixture_dataset())
        .unwrap_err();
    let Error::ChecksumMismatch { what, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(what.starts_with(&placed.display().to_string()), "{what}");
    assert_eq!(server.hits().len(), 3, "the other three files were fetched");
    // Unverified, the placed file is used as it is.
    let loaded = loader(&cache, &server, "m", Layout::IdxGz)
        .verify(false)
        .load(&fixture_dataset());
    assert_eq!(loaded.unwrap().0.1[0], 1);
}

/// Writes a partial file named `name` into `dir`, last modified `age` ago.
fn partial(dir: &std::path::Path, name: &str, age: Duration) {
    let file = File::create(put(dir, name, b"half a file")).unwrap();
    file.set_modified(SystemTime::now() - age).unwrap();
}

#[test]
fn partial_files_nobody_will_finish_are_removed() {
    let server = Server::start(fixture_routes("m"));
    let cache = scratch("dl-stale");
    let dir = cache.join("mnist-small");
    fs::create_dir(&dir).unwrap();
    let mut child = Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let me = std::process::id();
    let hour = Duration::from_secs(3600);
    partial(&dir, &format!(".part-{dead}-0-mnist.npz"), hour);
    partial(&dir, &format!(".part-{me}-90-mnist.npz"), 48 * hour);
    // Kept: a running writer, and a dead pid's file written to a moment ago (its pid may be
    // one of another container).
    let kept = [
        format!(".part-{me}-91-mnist.npz"),
        format!(".part-{dead}-1-x"),
    ];
    partial(&dir, &kept[0], hour);
    partial(&dir, &kept[1], Duration::ZERO);
    put(&dir, "notes.txt", b"mine");
    loader(&cache, &server, "m", Layout::IdxGz)
        .load(&fixture_dataset())
        .unwrap();
    let mut expected: Vec<String> = FILES.iter().map(|f| format!("{f}.gz")).collect();
    expected.extend(kept);
    expected.push("notes.txt".into());
    expected.sort();
    assert_eq!(names(&dir), expected);
}

#[cfg(unix)]
#[test]
fn downloads_are_private_and_never_written_through_a_planted_link() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let mode = |p: &std::path::Path| fs::symlink_metadata(p).unwrap().permissions().mode();
    let server = Server::start(fixture_routes("m"));
    let root = scratch("dl-private").join("cache");
    loader(&root, &server, "m", Layout::IdxGz)
        .load(&fixture_dataset())
        .unwrap();
    let dir = root.join("mnist-small");
    assert_eq!(mode(&root) & 0o777, 0o700);
    assert_eq!(mode(&dir) & 0o777, 0o700);
    assert_eq!(mode(&dir.join(format!("{}.gz", FILES[0]))) & 0o777, 0o600);

    // Links at the first temporary names this process would use, to a file of the user's.
    let cache = scratch("dl-links");
    let dir = cache.join("mnist-small");
    fs::create_dir(&dir).unwrap();
    let victim = put(&cache, "precious.txt", b"keep me");
    for name in FILES {
        for n in 0..8 {
            let link = format!(".part-{}-{n}-{name}.gz", std::process::id());
            symlink(&victim, dir.join(link)).unwrap();
        }
    }
    loader(&cache, &server, "m", Layout::IdxGz)
        .load(&fixture_dataset())
        .unwrap();
    assert_eq!(fs::read(&victim).unwrap(), b"keep me");
    for name in FILES {
        let meta = fs::symlink_metadata(dir.join(format!("{name}.gz"))).unwrap();
        assert!(meta.is_file(), "{name}.gz is {meta:?}");
    }
}

#[test]
fn a_server_trickling_bytes_is_cut_off_at_the_time_limit() {
    let mut routes = fixture_routes("m");
    let every = Duration::from_millis(20);
    routes[0].1 = Reply::Trickle {
        body: fixture_gz(0)[..300].to_vec(),
        every,
    };
    let server = Server::start(routes);
    let cache = scratch("dl-trickle");
    let start = Instant::now();
    let err = loader(&cache, &server, "m", Layout::IdxGz)
        .download_timeout(Duration::from_millis(500))
        .load(&fixture_dataset())
        .unwrap_err();
    assert!(start.elapsed() < every * 200, "{:?}", start.elapsed());
    let Error::NotFound { download, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(matches!(download[0], Error::Network { .. }), "{err:?}");
    assert!(
        err.to_string().contains("not finished within 500ms"),
        "{err}"
    );
    assert!(names(&cache.join("mnist-small")).is_empty());
}
