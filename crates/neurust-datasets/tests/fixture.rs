//! Loading the committed 100-example fixture, gzipped, raw and mixed.

mod common;

use common::*;
use neurust_datasets::{Error, Loader, mnist};

fn first10(y: &ndarray::Array1<u8>) -> Vec<u8> {
    y.iter().take(10).copied().collect()
}

#[test]
fn loads_gzip_fixture_with_keras_shapes_and_labels() {
    let ((x_train, y_train), (x_test, y_test)) = mnist::load_data_from(fixture_dir()).unwrap();
    assert_eq!(x_train.dim(), (100, 28, 28));
    assert_eq!(y_train.dim(), 100);
    assert_eq!(x_test.dim(), (100, 28, 28));
    assert_eq!(y_test.dim(), 100);
    assert_eq!(first10(&y_train), FIRST_TRAIN);
    assert_eq!(first10(&y_test), FIRST_TEST);
    // Pixels are the bytes after the 16-byte header, in row-major order.
    let raw = fixture_raw(0);
    assert_eq!(x_train.as_slice().unwrap(), &raw[16..]);
    assert_eq!(x_train[[0, 14, 14]], raw[16 + 14 * 28 + 14]);
    assert!(x_train.iter().any(|&p| p == 255) && x_train.iter().any(|&p| p == 0));
}

#[test]
fn raw_and_mixed_files_load_the_same_arrays() {
    let expected = mnist::load_data_from(fixture_dir()).unwrap();
    let raw = scratch("raw");
    let mixed = scratch("mixed");
    for (i, name) in FILES.iter().enumerate() {
        put(&raw, name, &fixture_raw(i));
        if i.is_multiple_of(2) {
            put(&mixed, name, &fixture_raw(i));
        } else {
            put(&mixed, &format!("{name}.gz"), &fixture_gz(i));
        }
    }
    assert_eq!(mnist::load_data_from(&raw).unwrap(), expected);
    assert_eq!(mnist::load_data_from(&mixed).unwrap(), expected);
}

#[test]
fn verified_lookup_rejects_a_subset_with_both_hashes_in_the_message() {
    let err = Loader::new()
        .data_dir(fixture_dir())
        .load(&mnist::dataset())
        .unwrap_err();
    let Error::ChecksumMismatch {
        expected, actual, ..
    } = &err
    else {
        panic!("unexpected {err}")
    };
    assert_eq!(
        expected,
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"
    );
    assert_eq!(actual, &sha256(&fixture_raw(0)));
    let text = err.to_string();
    assert!(text.contains(expected) && text.contains(actual), "{text}");
    assert!(
        text.contains("train-images-idx3-ubyte.gz (uncompressed)"),
        "{text}"
    );
}

#[test]
fn verified_lookup_accepts_files_matching_their_description() {
    let ((x, y), _) = Loader::new()
        .data_dir(fixture_dir())
        .load(&fixture_dataset())
        .unwrap();
    assert_eq!((x.dim().0, first10(&y)), (100, FIRST_TRAIN.to_vec()));
}

#[test]
fn missing_directory_names_every_expected_file() {
    let err = mnist::load_data_from(scratch("empty")).unwrap_err();
    let text = err.to_string();
    for name in FILES {
        assert!(text.contains(name), "{text}");
    }
    assert!(text.contains("mnist.npz"), "{text}");
}
