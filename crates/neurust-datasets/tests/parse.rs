//! The in-memory entry points (`neurust_datasets::parse`): the same validation as files, and
//! no allocation sized by a header's claims.

use std::io::{Cursor, Write};

use flate2::Compression;
use flate2::write::GzEncoder;
use neurust_datasets::{Error, parse};

fn images_header(count: u32) -> Vec<u8> {
    let mut h = vec![0, 0, 8, 3];
    for word in [count, 28, 28] {
        h.extend(word.to_be_bytes());
    }
    h
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn invalid(result: Result<impl std::fmt::Debug, Error>) -> String {
    match result {
        Err(e @ Error::Invalid { .. }) => e.to_string(),
        other => panic!("expected Error::Invalid, got {other:?}"),
    }
}

#[test]
fn raw_and_gzipped_idx_read_alike() {
    let mut file = images_header(2);
    file.extend((0..2 * 784).map(|i| (i % 251) as u8));
    let raw = parse::idx_images(&file).unwrap();
    assert_eq!(raw.dim(), (2, 28, 28));
    assert_eq!(parse::idx_images(&gz(&file)).unwrap(), raw);
    let labels = [0, 0, 8, 1, 0, 0, 0, 2, 7, 9];
    assert_eq!(parse::idx_labels(&gz(&labels)).unwrap().to_vec(), [7, 9]);
}

#[test]
fn headers_claiming_more_than_the_data_are_errors() {
    let mut file = images_header(u32::MAX);
    file.extend([0; 784]);
    let err = invalid(parse::idx_images(&file));
    assert!(
        err.contains("3367254359296 bytes for 4294967295 images"),
        "{err}"
    );
    let err = invalid(parse::idx_images(&gz(&file)));
    assert!(err.contains("only 800 bytes"), "{err}");
    let labels = [0, 0, 8, 1, 0xff, 0xff, 0xff, 0xff, 1];
    invalid(parse::idx_labels(&labels));
    invalid(parse::idx_labels(&gz(&labels)));
    // Trailing bytes are refused too.
    invalid(parse::idx_labels(&[0, 0, 8, 1, 0, 0, 0, 1, 3, 4]));
    // A truncated gzip stream is a gzip error.
    let stream = gz(&[0, 0, 8, 1, 0, 0, 0, 1, 3]);
    let err = parse::idx_labels(&stream[..stream.len() - 4]).unwrap_err();
    assert!(matches!(err, Error::Gzip { .. }), "{err:?}");
}

fn npy(shape: &str, data: &[u8]) -> Vec<u8> {
    let header = format!("{{'descr': '|u1', 'fortran_order': False, 'shape': {shape}, }}\n");
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend((header.len() as u16).to_le_bytes());
    out.extend(header.as_bytes());
    out.extend(data);
    out
}

fn npz(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn npz_shapes_are_checked_against_the_data() {
    let good = [
        ("x_train.npy", npy("(1, 28, 28)", &[1; 784])),
        ("y_train.npy", npy("(1,)", &[3])),
        ("x_test.npy", npy("(0, 28, 28)", &[])),
        ("y_test.npy", npy("(0,)", &[])),
    ];
    let ((x, y), (xt, _)) = parse::npz(&npz(&good)).unwrap();
    assert_eq!((x.dim(), y[0], xt.dim().0), ((1, 28, 28), 3, 0));
    let mut huge = good.clone();
    huge[0].1 = npy("(4000000000000, 28, 28)", &[1; 784]);
    let err = invalid(parse::npz(&npz(&huge)));
    assert!(err.contains("784 data bytes where shape"), "{err}");
    huge[0].1 = npy("(18446744073709551615, 28, 28)", &[1; 784]);
    assert!(invalid(parse::npz(&npz(&huge))).contains("an overflowing shape"));
    // A one-dimensional shape of exactly u64::MAX bytes once overflowed `len + 1`.
    let mut max = good.clone();
    max[1].1 = npy("(18446744073709551615,)", &[3]);
    assert!(invalid(parse::npz(&npz(&max))).contains("1 data bytes where shape"));
}
