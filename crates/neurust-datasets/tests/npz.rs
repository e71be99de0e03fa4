//! Keras-style `.npz` archives: stored or deflated entries, Keras's cache, bad contents.

mod common;

use common::*;
use neurust_datasets::{Error, Loader, mnist};

#[test]
fn stored_and_deflated_npz_load_like_the_idx_files() {
    let expected = mnist::load_data_from(fixture_dir()).unwrap();
    for deflated in [false, true] {
        let dir = scratch("npz");
        put(&dir, "mnist.npz", &fixture_npz(deflated));
        assert_eq!(
            mnist::load_data_from(&dir).unwrap(),
            expected,
            "deflated={deflated}"
        );
        let file = dir.join("mnist.npz");
        assert_eq!(
            mnist::load_data_from(file).unwrap(),
            expected,
            "as a file path"
        );
    }
}

#[test]
fn archive_written_by_numpy_savez_compressed_loads() {
    // tests/fixtures/make_npz.py wrote it from the IDX fixture with NumPy 2.4.
    let npz_dir = fixture_dir().with_file_name("mnist-small-npz");
    assert_eq!(
        mnist::load_data_from(npz_dir).unwrap(),
        mnist::load_data_from(fixture_dir()).unwrap()
    );
}

#[test]
fn keras_cache_file_is_used_and_its_checksum_verified() {
    let keras = scratch("keras");
    let bytes = fixture_npz(true);
    put(&keras, "small.npz", &bytes);
    let ds = npz_dataset(Some(sha256(&bytes)));
    let ds = neurust_datasets::Dataset {
        keras_cache: Some("small.npz".into()),
        ..ds
    };
    let ((x, y), _) = Loader::new().keras_root(&keras).load(&ds).unwrap();
    assert_eq!((x.dim().0, y[0]), (100, 5));
    // The real MNIST description expects Keras's published archive.
    put(&keras, "mnist.npz", &bytes);
    let err = Loader::new()
        .keras_root(&keras)
        .load(&mnist::dataset())
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"),
        "{err}"
    );
    assert!(
        Loader::new()
            .keras_root(&keras)
            .verify(false)
            .load(&mnist::dataset())
            .is_ok()
    );
}

fn npz_error(entries: &[(&str, Vec<u8>)]) -> String {
    let dir = scratch("badnpz");
    put(&dir, "mnist.npz", &zip_of(entries, true));
    let err = mnist::load_data_from(&dir).unwrap_err();
    assert!(matches!(err, Error::Invalid { .. }), "{err:?}");
    err.to_string()
}

#[test]
fn bad_npz_contents_are_described() {
    let x = || npy(&[2, 28, 28], &[0; 2 * 784], "|u1");
    let y = || npy(&[2], &[1, 2], "|u1");
    let text = npz_error(&[
        ("x_train.npy", x()),
        ("y_train.npy", y()),
        ("x_test.npy", x()),
    ]);
    assert!(text.contains("y_test.npy"), "{text}");
    let text = npz_error(&[
        ("x_train.npy", x()),
        ("y_train.npy", npy(&[2], &[0; 16], "<i8")),
    ]);
    assert!(text.contains("'<i8'") && text.contains("uint8"), "{text}");
    let text = npz_error(&[
        ("x_train.npy", npy(&[2, 784], &[0; 2 * 784], "|u1")),
        ("y_train.npy", y()),
    ]);
    assert!(
        text.contains("(n, 28, 28)") && text.contains("[2, 784]"),
        "{text}"
    );
    let text = npz_error(&[
        ("x_train.npy", x()),
        ("y_train.npy", npy(&[3], &[1, 2, 3], "|u1")),
    ]);
    assert!(text.contains("shape (2,)"), "{text}");
    let mut short = x();
    short.truncate(short.len() - 1);
    let text = npz_error(&[("x_train.npy", short), ("y_train.npy", y())]);
    assert!(text.contains("1567 data bytes"), "{text}");
    let dir = scratch("notzip");
    put(&dir, "mnist.npz", b"PK but not really a zip");
    assert!(
        mnist::load_data_from(&dir)
            .unwrap_err()
            .to_string()
            .contains("zip")
    );
}

#[test]
fn entries_sharing_compressed_data_are_refused() {
    // x_test and y_test point at the training arrays: a reader would decompress the same
    // bytes twice, doubling what a small file can make it hold.
    for deflated in [false, true] {
        let honest = fixture_npz(deflated);
        assert!(neurust_datasets::parse::npz(&honest).is_ok());
        let aliased = zip_patch::alias_entry(zip_patch::alias_entry(honest, 2, 0), 3, 1);
        let err = neurust_datasets::parse::npz(&aliased).unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, Error::Invalid { .. }), "{err:?}");
        assert!(text.contains("share compressed data"), "{text}");
        let dir = scratch("overlap");
        put(&dir, "mnist.npz", &aliased);
        let text = mnist::load_data_from(&dir).unwrap_err().to_string();
        assert!(text.contains("mnist.npz is not a valid"), "{text}");
    }
}
