//! Damaged or wrong files on disk are rejected with errors that say what is wrong.

mod common;

use std::time::Instant;

use common::*;
use neurust_datasets::{Error, mnist};

/// The fixture with file `i` replaced by `bytes` under `name`; returns the load error text.
fn load_with(i: usize, name: &str, bytes: &[u8]) -> (Error, String) {
    let dir = fixture_copy("bad");
    std::fs::remove_file(dir.join(format!("{}.gz", FILES[i]))).unwrap();
    put(&dir, name, bytes);
    let err = mnist::load_data_from(&dir).unwrap_err();
    let text = err.to_string();
    (err, text)
}

fn with_u32(mut raw: Vec<u8>, at: usize, value: u32) -> Vec<u8> {
    raw[at..at + 4].copy_from_slice(&value.to_be_bytes());
    raw
}

#[test]
fn wrong_magic_is_named() {
    let raw = with_u32(fixture_raw(0), 0, 0x0000_0801);
    let (err, text) = load_with(0, FILES[0], &raw);
    assert!(matches!(err, Error::Invalid { .. }), "{err:?}");
    assert!(
        text.contains("0x00000803") && text.contains("0x00000801"),
        "{text}"
    );
    // The labels file must carry the labels magic.
    let (_, text) = load_with(
        1,
        "train-labels-idx1-ubyte.gz",
        &gzip(&with_u32(fixture_raw(1), 0, 0x0803)),
    );
    assert!(text.contains("magic number 0x00000801"), "{text}");
}

#[test]
fn images_must_be_28_by_28() {
    let (_, text) = load_with(2, FILES[2], &with_u32(fixture_raw(2), 8, 27));
    assert!(
        text.contains("28×28 images") && text.contains("27×28"),
        "{text}"
    );
}

#[test]
fn image_and_label_counts_must_agree() {
    // 99 labels: header and body consistent, but one fewer than the images.
    let mut raw = with_u32(fixture_raw(1), 4, 99);
    raw.pop();
    let (err, text) = load_with(1, FILES[1], &raw);
    assert!(matches!(err, Error::Invalid { .. }), "{err:?}");
    assert!(
        text.contains("as many labels as the 100 images") && text.contains("99 labels"),
        "{text}"
    );
}

#[test]
fn raw_file_length_must_match_header() {
    let raw = fixture_raw(0);
    let (_, text) = load_with(0, FILES[0], &raw[..raw.len() - 1]);
    assert!(
        text.contains("78416 bytes for 100 images") && text.contains("found 78415 bytes"),
        "{text}"
    );
    let mut longer = raw.clone();
    longer.push(0);
    let (_, text) = load_with(0, FILES[0], &longer);
    assert!(text.contains("found 78417 bytes"), "{text}");
    let (_, text) = load_with(3, FILES[3], &raw[..5]);
    assert!(
        text.contains("header of 8 bytes") && text.contains("only 5 bytes"),
        "{text}"
    );
}

#[test]
fn gzip_payload_shorter_or_longer_than_header() {
    let raw = fixture_raw(2);
    let (_, text) = load_with(
        2,
        "t10k-images-idx3-ubyte.gz",
        &gzip(&raw[..raw.len() - 784]),
    );
    assert!(
        text.contains("78416 uncompressed bytes") && text.contains("only 77632"),
        "{text}"
    );
    let mut longer = raw.clone();
    longer.extend_from_slice(&[0; 10]);
    let (_, text) = load_with(2, "t10k-images-idx3-ubyte.gz", &gzip(&longer));
    assert!(text.contains("more than 78416"), "{text}");
}

#[test]
fn truncated_or_corrupt_gzip_is_a_gzip_error() {
    let gz = fixture_gz(0);
    let (err, text) = load_with(0, "train-images-idx3-ubyte.gz", &gz[..gz.len() / 2]);
    assert!(matches!(err, Error::Gzip { .. }), "{err:?}");
    assert!(text.contains("not a readable gzip file"), "{text}");
    let mut garbled = gz.clone();
    for b in &mut garbled[20..60] {
        *b ^= 0x5a;
    }
    let (err, _) = load_with(0, "train-images-idx3-ubyte.gz", &garbled);
    assert!(
        matches!(err, Error::Gzip { .. } | Error::Invalid { .. }),
        "{err:?}"
    );
    let (err, _) = load_with(1, "train-labels-idx1-ubyte.gz", b"not gzip at all");
    assert!(matches!(err, Error::Gzip { .. }), "{err:?}");
}

#[test]
fn huge_counts_are_refused_without_allocating() {
    // Claims 4 billion images (about 3 TB) in a 16-byte file, raw and gzipped.
    let header = with_u32(fixture_raw(0)[..16].to_vec(), 4, u32::MAX);
    let start = Instant::now();
    let (_, text) = load_with(0, FILES[0], &header);
    assert!(
        text.contains("4294967295 images") && text.contains("found 16 bytes"),
        "{text}"
    );
    let (_, text) = load_with(0, "train-images-idx3-ubyte.gz", &gzip(&header));
    assert!(text.contains("only 16 bytes"), "{text}");
    assert!(start.elapsed().as_secs() < 5);
}

#[test]
fn labels_must_be_digits() {
    let mut raw = fixture_raw(3);
    raw[8 + 42] = 10;
    let (_, text) = load_with(3, FILES[3], &raw);
    assert!(
        text.contains("labels 0..10") && text.contains("label 10 at index 42"),
        "{text}"
    );
}
