//! Reader for IDX files (raw or gzip), the format of the original MNIST distribution.
//!
//! Layout: a big-endian `u32` magic (`0x0000_0803` for images, `0x0000_0801` for labels),
//! one big-endian `u32` per dimension, then the `u8` payload. The file length must match
//! the header exactly; nothing is allocated from the header's claims before that is known
//! (raw files) or before the bytes actually arrive (gzip streams).

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;
use ndarray::{Array1, Array3};
use sha2::{Digest, Sha256};

use crate::{Error, checksum};

/// Which of the two IDX files of a split is being read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `n × 28 × 28` pixels, magic `0x0000_0803`.
    Images,
    /// `n` labels, magic `0x0000_0801`.
    Labels,
}

/// How many times its compressed size a gzip stream is assumed to expand to, at most, when
/// reserving memory up front.
const GZ_RESERVE_FACTOR: u64 = 8;

/// Side of the square images this crate's datasets use.
pub(crate) const SIDE: usize = 28;

impl Kind {
    fn magic(self) -> u32 {
        match self {
            Kind::Images => 0x0000_0803,
            Kind::Labels => 0x0000_0801,
        }
    }
    fn header_len(self) -> usize {
        match self {
            Kind::Images => 16,
            Kind::Labels => 8,
        }
    }
    fn item_len(self) -> u64 {
        match self {
            Kind::Images => (SIDE * SIDE) as u64,
            Kind::Labels => 1,
        }
    }
    fn noun(self) -> &'static str {
        match self {
            Kind::Images => "images",
            Kind::Labels => "labels",
        }
    }
}

/// A validated IDX file: item count, payload, and the SHA-256 of the uncompressed file.
pub(crate) struct Idx {
    pub count: usize,
    pub data: Vec<u8>,
    pub sha256: Option<String>,
}

impl Idx {
    /// The payload of an images file as `(count, 28, 28)`; `path` names the file in errors.
    pub(crate) fn into_images(self, path: &Path) -> Result<Array3<u8>, Error> {
        Array3::from_shape_vec((self.count, SIDE, SIDE), self.data)
            .map_err(|e| Error::invalid(path, "consistent image data", e.to_string()))
    }

    /// The payload of a labels file.
    pub(crate) fn into_labels(self) -> Array1<u8> {
        Array1::from_vec(self.data)
    }
}

/// Whether a path names a gzip file (by its `.gz` extension).
pub(crate) fn is_gz(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// Reads and validates one IDX file; hashes the uncompressed bytes when `hash` is set.
pub(crate) fn read(path: &Path, kind: Kind, gz: bool, hash: bool) -> Result<Idx, Error> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let disk_len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    parse(BufReader::new(file), disk_len, path, kind, gz, hash)
}

/// Validates one IDX file read from `input`, which holds `input_len` bytes (compressed
/// when `gz`); `path` names it in errors. Hashes the uncompressed bytes when `hash` is set.
pub(crate) fn parse(
    input: impl Read,
    input_len: u64,
    path: &Path,
    kind: Kind,
    gz: bool,
    hash: bool,
) -> Result<Idx, Error> {
    let mut reader: Box<dyn Read + '_> = if gz {
        Box::new(MultiGzDecoder::new(input))
    } else {
        Box::new(input)
    };
    let read_err = |e: io::Error| {
        if gz {
            Error::Gzip {
                path: path.into(),
                source: e,
            }
        } else {
            Error::io(path, e)
        }
    };

    let header_len = kind.header_len();
    let mut header = [0u8; 16];
    let got = read_up_to(&mut reader, &mut header[..header_len]).map_err(read_err)?;
    if got < header_len {
        let expected = format!("an IDX {} header of {header_len} bytes", kind.noun());
        return Err(Error::invalid(
            path,
            expected,
            format!("a file of only {got} bytes"),
        ));
    }
    let word =
        |i: usize| u32::from_be_bytes([header[i], header[i + 1], header[i + 2], header[i + 3]]);
    if word(0) != kind.magic() {
        let expected = format!("magic number 0x{:08x} ({})", kind.magic(), kind.noun());
        return Err(Error::invalid(path, expected, format!("0x{:08x}", word(0))));
    }
    let count = word(4);
    if kind == Kind::Images && (word(8), word(12)) != (SIDE as u32, SIDE as u32) {
        let found = format!("{}×{} images", word(8), word(12));
        return Err(Error::invalid(path, format!("{SIDE}×{SIDE} images"), found));
    }
    let payload = u64::from(count) * kind.item_len();
    let total = payload + header_len as u64;
    if !gz && input_len != total {
        let expected = format!(
            "{total} bytes for {count} {} as its header says",
            kind.noun()
        );
        return Err(Error::invalid(path, expected, format!("{input_len} bytes")));
    }

    // For gzip input, reserve no more than a few times the compressed size (MNIST expands
    // about 5×); beyond that the buffer grows with the data actually decompressed, so a
    // header's claim alone never sizes an allocation.
    let capacity = if gz {
        payload.min(input_len.saturating_mul(GZ_RESERVE_FACTOR))
    } else {
        payload
    };
    let mut data = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    reader
        .take(payload + 1)
        .read_to_end(&mut data)
        .map_err(read_err)?;
    let found_total = data.len() as u64 + header_len as u64;
    if found_total != total {
        let expected = format!(
            "{total} uncompressed bytes for {count} {} as its header says",
            kind.noun()
        );
        let found = if found_total < total {
            format!("only {found_total} bytes")
        } else {
            format!("more than {total} bytes")
        };
        return Err(Error::invalid(path, expected, found));
    }
    let sha256 = hash.then(|| {
        let mut hasher = Sha256::new();
        hasher.update(&header[..header_len]);
        hasher.update(&data);
        checksum::hex(hasher)
    });
    let count = usize::try_from(count)
        .map_err(|_| Error::invalid(path, "a count this machine can address", count.to_string()))?;
    Ok(Idx {
        count,
        data,
        sha256,
    })
}

/// Like `read_exact`, but reports how many bytes arrived instead of failing at end of file.
fn read_up_to(reader: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}
