//! SHA-256 helpers: hex digests and the comparison that produces a readable error.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::Error;

/// Lower-case hex of a finished SHA-256 digest.
pub(crate) fn hex(hasher: Sha256) -> String {
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// SHA-256 of a whole file, read in chunks.
pub(crate) fn sha256_file(path: &Path) -> Result<String, Error> {
    let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            return Ok(hex(hasher));
        }
        hasher.update(&buf[..n]);
    }
}

/// `Ok` when `actual` equals `expected` (case-insensitively), else a `ChecksumMismatch`.
pub(crate) fn check(what: &str, expected: &str, actual: &str) -> Result<(), Error> {
    if expected.eq_ignore_ascii_case(actual) {
        return Ok(());
    }
    Err(Error::ChecksumMismatch {
        what: what.to_string(),
        algorithm: "SHA-256",
        expected: expected.to_ascii_lowercase(),
        actual: actual.to_string(),
    })
}
