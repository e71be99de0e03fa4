//! Helpers shared by the integration tests: fixture paths, scratch directories,
//! a description of the fixture as a dataset, and file builders.
#![allow(dead_code)] // each test binary uses a different subset

pub mod server;
pub mod serving;
pub mod zip_patch;

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use flate2::read::GzDecoder;
use neurust_datasets::{Dataset, IdxFile, NpzFile, mnist};
use sha2::{Digest, Sha256};

pub const FILES: [&str; 4] = [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
];
pub const FIRST_TRAIN: [u8; 10] = [5, 0, 4, 1, 9, 2, 1, 3, 1, 4];
pub const FIRST_TEST: [u8; 10] = [7, 2, 1, 0, 4, 1, 4, 9, 5, 9];

/// The committed fixture: the first 100 training and test examples of MNIST, gzip IDX.
pub fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mnist-small")
}

/// A fresh, empty directory under Cargo's per-target scratch space (never the user cache).
pub fn scratch(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("nd-{name}-{}-{n}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

pub fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("fixture is valid gzip");
    out
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).expect("in-memory gzip");
    enc.finish().expect("in-memory gzip")
}

pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The fixture's gzip bytes of file `i` (see [`FILES`]).
pub fn fixture_gz(i: usize) -> Vec<u8> {
    fs::read(fixture_dir().join(format!("{}.gz", FILES[i]))).expect("fixture file")
}

/// The fixture's uncompressed bytes of file `i`.
pub fn fixture_raw(i: usize) -> Vec<u8> {
    gunzip(&fixture_gz(i))
}

/// MNIST's description with the fixture's own content checksums and no sources.
pub fn fixture_dataset() -> Dataset {
    let file = |i: usize| IdxFile::new(FILES[i], Some(&sha256(&fixture_raw(i))), None);
    Dataset {
        name: "mnist-small".into(),
        train_images: file(0),
        train_labels: file(1),
        test_images: file(2),
        test_labels: file(3),
        npz: None,
        sources: Vec::new(),
        ..mnist::dataset()
    }
}

/// A dataset describing the fixture with no checksums at all (structure checks only).
pub fn unchecked_dataset() -> Dataset {
    let file = |i: usize| IdxFile::new(FILES[i], None, None);
    Dataset {
        train_images: file(0),
        train_labels: file(1),
        test_images: file(2),
        test_labels: file(3),
        ..fixture_dataset()
    }
}

/// A dataset for an `.npz` named `small.npz` with the given checksum.
pub fn npz_dataset(sha256: Option<String>) -> Dataset {
    Dataset {
        npz: Some(NpzFile {
            name: "small.npz".into(),
            sha256,
        }),
        ..unchecked_dataset()
    }
}

/// Writes `bytes` to `dir/name` and returns the path.
pub fn put(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, bytes).expect("write test file");
    path
}

/// Copies the fixture into a new scratch directory.
pub fn fixture_copy(name: &str) -> PathBuf {
    let dir = scratch(name);
    for (i, name) in FILES.iter().enumerate() {
        put(&dir, &format!("{name}.gz"), &fixture_gz(i));
    }
    dir
}

/// A `.npy` file (format 1.0) holding `data` as uint8 with `shape`.
pub fn npy(shape: &[usize], data: &[u8], descr: &str) -> Vec<u8> {
    let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    let tuple = if dims.len() == 1 {
        format!("({},)", dims[0])
    } else {
        format!("({})", dims.join(", "))
    };
    let mut header = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': {tuple}, }}");
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(data);
    out
}

/// A Keras-style `.npz` of the fixture, its entries deflated or stored.
pub fn fixture_npz(deflated: bool) -> Vec<u8> {
    let body = |i: usize| fixture_raw(i)[if i.is_multiple_of(2) { 16 } else { 8 }..].to_vec();
    let entries = [
        ("x_train.npy", npy(&[100, 28, 28], &body(0), "|u1")),
        ("y_train.npy", npy(&[100], &body(1), "|u1")),
        ("x_test.npy", npy(&[100, 28, 28], &body(2), "|u1")),
        ("y_test.npy", npy(&[100], &body(3), "|u1")),
    ];
    zip_of(&entries, deflated)
}

/// A zip archive of `(name, bytes)` entries.
pub fn zip_of(entries: &[(&str, Vec<u8>)], deflated: bool) -> Vec<u8> {
    let method = if deflated {
        zip::CompressionMethod::Deflated
    } else {
        zip::CompressionMethod::Stored
    };
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        writer.start_file(*name, options).expect("zip entry");
        writer.write_all(bytes).expect("zip write");
    }
    writer.finish().expect("zip finish").into_inner()
}
