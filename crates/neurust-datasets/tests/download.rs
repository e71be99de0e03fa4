//! Successful downloads from a local HTTP server on 127.0.0.1 serving the fixture.

mod common;

use common::server::{Reply, Server};
use common::serving::{fixture_routes, loader, names};
use common::*;
use neurust_datasets::{Dataset, Layout, Loader, Source};

#[test]
fn downloads_verifies_caches_then_reuses_the_cache() {
    let server = Server::start(fixture_routes("m"));
    let cache = scratch("dl-ok");
    let ds = fixture_dataset();
    let ((x, y), (_, t)) = loader(&cache, &server, "m", Layout::IdxGz)
        .load(&ds)
        .unwrap();
    assert_eq!((x.dim(), y[0], t[0]), ((100, 28, 28), 5, 7));
    assert_eq!(server.hits().len(), 4);
    let mut expected: Vec<String> = FILES.iter().map(|f| format!("{f}.gz")).collect();
    expected.sort();
    assert_eq!(names(&cache.join("mnist-small")), expected);
    // Second load: from the cache, verified, no request.
    let again = loader(&cache, &server, "m", Layout::IdxGz)
        .load(&ds)
        .unwrap();
    assert_eq!(again.0.0, x);
    assert_eq!(server.hits().len(), 4);
}

#[test]
fn mirror_serves_name_subdirectories() {
    let server = Server::start(fixture_routes("mirror/mnist-small"));
    let cache = scratch("dl-mirror");
    let loader = Loader::new()
        .cache_root(&cache)
        .mirror(format!("{}/mirror/", server.base))
        .progress(false);
    let ((_, y), _) = loader.load(&fixture_dataset()).unwrap();
    assert_eq!(y[1], 0);
    assert!(
        server
            .hits()
            .iter()
            .all(|h| h.starts_with("/mirror/mnist-small/"))
    );
}

#[test]
fn npz_source_downloads_one_verified_archive() {
    let bytes = fixture_npz(true);
    let server = Server::start(vec![("/k/small.npz".into(), Reply::Body(bytes.clone()))]);
    let cache = scratch("dl-npz");
    let ds: Dataset = npz_dataset(Some(sha256(&bytes)));
    let ((x, _), (_, y)) = loader(&cache, &server, "k", Layout::Npz).load(&ds).unwrap();
    assert_eq!((x.dim().0, y[2]), (100, 1));
    assert_eq!(
        names(&cache.join("mnist-small")),
        vec!["small.npz".to_string()]
    );
    let wrong = npz_dataset(Some("ab".repeat(32)));
    let err = loader(&scratch("dl-npz2"), &server, "k", Layout::Npz)
        .load(&wrong)
        .unwrap_err();
    assert!(err.to_string().contains(&sha256(&bytes)), "{err}");
}

#[test]
fn insecure_urls_are_refused_before_any_request() {
    let err = Source::new("http://example.com/mnist", Layout::IdxGz).unwrap_err();
    assert!(
        err.to_string().contains("allowed only for loopback"),
        "{err}"
    );
    let cache = scratch("dl-insecure");
    let err = Loader::new()
        .cache_root(&cache)
        .mirror("http://example.com")
        .load(&fixture_dataset())
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("refusing URL http://example.com/mnist-small"),
        "{err}"
    );
}
