//! Error advice fits where the bad bytes are: a local file can be replaced, deleted or
//! loaded unverified; a rejected download was never kept, so there is nothing to delete.

mod common;

use common::server::{Reply, Server};
use common::serving::{fixture_routes, loader};
use common::*;
use neurust_datasets::{Error, Layout, Loader};

#[test]
fn local_checksum_mismatch_names_the_file_and_the_ways_out() {
    let dir = fixture_copy("msg-local");
    let mut raw = fixture_raw(1);
    raw[8] = 1;
    std::fs::remove_file(dir.join("train-labels-idx1-ubyte.gz")).unwrap();
    let path = put(&dir, "train-labels-idx1-ubyte", &raw);
    let err = Loader::new()
        .data_dir(&dir)
        .load(&fixture_dataset())
        .unwrap_err();
    assert!(matches!(err, Error::ChecksumMismatch { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains(&path.display().to_string()), "{text}");
    // The file is still there: saying it "was not kept" would hide why every load fails.
    assert!(!text.contains("not kept"), "{text}");
    for advice in [
        "Replace",
        "delete",
        "Loader::verify(false)",
        "load_data_from",
    ] {
        assert!(text.contains(advice), "{advice}: {text}");
    }
    // The advice works: unverified, the same directory loads.
    let ((_, y), _) = Loader::new()
        .data_dir(&dir)
        .verify(false)
        .load(&fixture_dataset())
        .unwrap();
    assert_eq!(y[0], 1);
}

/// The text of the first download error when file `i` of the fixture is served as `bytes`.
fn download_error(i: usize, bytes: Vec<u8>) -> (Error, String) {
    let mut routes = fixture_routes("m");
    routes[i].1 = Reply::Body(bytes);
    let server = Server::start(routes);
    let err = loader(&scratch("msg-dl"), &server, "m", Layout::IdxGz)
        .load(&fixture_dataset())
        .unwrap_err();
    let Error::NotFound { mut download, .. } = err else {
        panic!("{err:?}")
    };
    let first = download.remove(0);
    let text = first.to_string();
    assert!(text.starts_with(&server.base), "{text}");
    (first, text)
}

fn assert_download_advice(text: &str) {
    assert!(
        !text.contains("Delete") && !text.contains("delete"),
        "{text}"
    );
    assert!(text.contains("nothing was kept"), "{text}");
    assert!(text.contains("captive portal"), "{text}");
}

#[test]
fn rejected_download_advice_never_says_delete_a_url() {
    // A captive portal's login page instead of a gzip file.
    let page = b"<html><body>Please log in to the guest network</body></html>".to_vec();
    let (err, text) = download_error(0, page);
    assert!(matches!(err, Error::BadDownload { .. }), "{err:?}");
    assert!(text.contains("gzip"), "{text}");
    assert_download_advice(&text);
    // Valid gzip, wrong magic number.
    let mut raw = fixture_raw(1);
    raw[3] = 3;
    let (_, text) = download_error(1, gzip(&raw));
    assert!(text.contains("magic number 0x00000801"), "{text}");
    assert_download_advice(&text);
    // Well formed but not the published file.
    raw = fixture_raw(1);
    raw[8] = 1;
    let (err, text) = download_error(1, gzip(&raw));
    let Error::BadDownload {
        expected, found, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert!(expected.contains(&sha256(&fixture_raw(1))), "{expected}");
    assert!(found.contains(&sha256(&raw)), "{found}");
    assert!(text.contains("SHA-256"), "{text}");
    assert_download_advice(&text);
}
