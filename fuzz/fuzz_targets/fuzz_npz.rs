//! The Keras `.npz` reader (zip archive of four `.npy` arrays).
//!
//! Input: one flags byte, then data. Flag 1: the data is the archive itself. Else the harness
//! builds the archive: the data, split at the first three 0xFF bytes, becomes `x_train.npy`,
//! `y_train.npy`, `x_test.npy` and `y_test.npy` (deflated with flag 2, else stored), so the
//! `.npy` parser sees every kind of header.
//!
//! Checked: nothing panics or allocates beyond the data; accepted splits are consistent.
#![no_main]

use std::io::{Cursor, Write};

use libfuzzer_sys::fuzz_target;
use neurust_datasets::parse;
use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

const NAMES: [&str; 4] = ["x_train.npy", "y_train.npy", "x_test.npy", "y_test.npy"];

fn archive(data: &[u8], deflate: bool) -> Vec<u8> {
    let method = if deflate {
        CompressionMethod::Deflated
    } else {
        CompressionMethod::Stored
    };
    let options = SimpleFileOptions::default().compression_method(method);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, part) in NAMES.iter().zip(data.splitn(4, |&b| b == 0xFF)) {
        zip.start_file(*name, options).expect("zip into memory");
        zip.write_all(part).expect("zip into memory");
    }
    zip.finish().expect("zip into memory").into_inner()
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let built;
    let input = if flags & 1 != 0 {
        rest
    } else {
        built = archive(rest, flags & 2 != 0);
        &built[..]
    };
    if let Ok(((x_train, y_train), (x_test, y_test))) = parse::npz(input) {
        assert_eq!(x_train.dim().0, y_train.len());
        assert_eq!(x_test.dim().0, y_test.len());
    }
});
