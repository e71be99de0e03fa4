//! Failed downloads (bad checksum, interrupted, damaged, missing) leave nothing behind.

mod common;

use common::server::{Reply, Server};
use common::serving::{fixture_routes, loader, names};
use common::*;
use neurust_datasets::{Error, Layout, Loader, Source};

#[test]
fn checksum_mismatch_keeps_nothing_and_names_both_hashes() {
    let mut routes = fixture_routes("m");
    let corrupt = gzip(&{
        let mut raw = fixture_raw(0);
        raw[500] ^= 1;
        raw
    });
    routes[0].1 = Reply::Body(corrupt.clone());
    let server = Server::start(routes);
    let cache = scratch("dl-sum");
    let err = loader(&cache, &server, "m", Layout::IdxGz)
        .load(&fixture_dataset())
        .unwrap_err();
    let Error::NotFound { download, .. } = &err else {
        panic!("{err:?}")
    };
    let Error::BadDownload {
        url,
        expected,
        found,
    } = &download[0]
    else {
        panic!("{err:?}")
    };
    assert_eq!(
        expected,
        &format!("SHA-256 {} (uncompressed)", sha256(&fixture_raw(0)))
    );
    assert_eq!(found, &sha256(&gunzip(&corrupt)));
    assert!(url.starts_with(&server.base), "{url}");
    assert!(names(&cache.join("mnist-small")).is_empty());
    let text = err.to_string();
    assert!(
        text.contains(expected.as_str()) && text.contains(found.as_str()),
        "{text}"
    );
}

#[test]
fn gz_checksum_of_the_published_file_is_checked_when_given() {
    let server = Server::start(fixture_routes("m"));
    let cache = scratch("dl-gzsum");
    let mut ds = unchecked_dataset();
    ds.train_labels.gz_sha256 = Some("00".repeat(32));
    let err = loader(&cache, &server, "m", Layout::IdxGz)
        .load(&ds)
        .unwrap_err();
    assert!(
        err.to_string()
            .contains(&format!("expected SHA-256 {}", "00".repeat(32))),
        "{err}"
    );
    // The first file was verified and kept; the bad one was not.
    assert_eq!(
        names(&cache.join("mnist-small")),
        vec!["train-images-idx3-ubyte.gz".to_string()]
    );
}

#[test]
fn interrupted_transfer_is_a_network_error_and_leaves_nothing() {
    let mut routes = fixture_routes("m");
    let gz = fixture_gz(2);
    routes[2].1 = Reply::Short {
        body: gz[..gz.len() / 2].to_vec(),
        claimed: gz.len(),
    };
    let server = Server::start(routes);
    let cache = scratch("dl-short");
    let err = loader(&cache, &server, "m", Layout::IdxGz)
        .load(&fixture_dataset())
        .unwrap_err();
    let Error::NotFound { download, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(matches!(download[0], Error::Network { .. }), "{err:?}");
    assert!(
        !names(&cache.join("mnist-small"))
            .iter()
            .any(|n| n.contains("t10k-images"))
    );
}

#[test]
fn truncated_or_wrong_files_fail_structure_checks_even_without_checksums() {
    let cases: [(usize, Vec<u8>, &str); 3] = [
        (0, gzip(&fixture_raw(0)[..5000]), "only 5000 bytes"),
        (
            1,
            gzip(&{
                let mut r = fixture_raw(1);
                r[3] = 3;
                r
            }),
            "magic number 0x00000801",
        ),
        (
            3,
            gzip(&[&[0, 0, 8, 1, 0, 0, 0, 99][..], &fixture_raw(3)[8..107]].concat()),
            "as many labels as the 100 images",
        ),
    ];
    for (i, bytes, needle) in cases {
        let mut routes = fixture_routes("m");
        routes[i].1 = Reply::Body(bytes);
        let server = Server::start(routes);
        let cache = scratch("dl-struct");
        let result = loader(&cache, &server, "m", Layout::IdxGz).load(&unchecked_dataset());
        let text = result.unwrap_err().to_string();
        assert!(text.contains(needle), "{needle}: {text}");
        assert!(
            !names(&cache.join("mnist-small"))
                .iter()
                .any(|n| n.starts_with(".part")),
            "temp left"
        );
    }
}

#[test]
fn missing_file_404_is_reported_with_the_url_and_next_source_is_tried() {
    let mut routes = fixture_routes("good");
    routes.push(("/bad/train-images-idx3-ubyte.gz".into(), Reply::Status(404)));
    let server = Server::start(routes);
    let cache = scratch("dl-404");
    let bad = Source::new(&format!("{}/bad", server.base), Layout::IdxGz).unwrap();
    let err = Loader::new()
        .cache_root(&cache)
        .sources(vec![bad.clone()])
        .progress(false)
        .load(&fixture_dataset())
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(&format!(
            "HTTP 404 from {}",
            bad.url_for("train-images-idx3-ubyte.gz")
        )),
        "{text}"
    );
    assert!(
        text.contains("NEURUST_DATA_DIR (unset)") && text.contains("set NEURUST_DATA_DIR"),
        "{text}"
    );
    let good = Source::new(&format!("{}/good", server.base), Layout::IdxGz).unwrap();
    let loaded = Loader::new()
        .cache_root(&cache)
        .sources(vec![bad, good])
        .progress(false)
        .load(&fixture_dataset());
    assert_eq!(loaded.unwrap().1.1[0], 7);
}

#[test]
fn a_local_mirror_cannot_redirect_the_download_elsewhere() {
    // A plain-http source is only allowed on loopback; a redirect from it would send the
    // request, unencrypted, to any host.
    let elsewhere = Server::start(fixture_routes("m"));
    let routes = FILES
        .iter()
        .map(|name| {
            let to = format!("{}/m/{name}.gz", elsewhere.base);
            (format!("/mirror/{name}.gz"), Reply::Redirect(to))
        })
        .collect();
    let mirror = Server::start(routes);
    let cache = scratch("dl-redirect");
    let source = Source::new(&format!("{}/mirror", mirror.base), Layout::IdxGz).unwrap();
    let err = Loader::new()
        .cache_root(&cache)
        .sources(vec![source])
        .progress(false)
        .load(&fixture_dataset())
        .unwrap_err();
    assert!(err.to_string().contains("redirect"), "{err}");
    assert!(
        elsewhere.hits().is_empty(),
        "followed to {:?}",
        elsewhere.hits()
    );
}
