//! Reader for Keras's `mnist.npz`: a zip archive of `x_train.npy`, `y_train.npy`,
//! `x_test.npy` and `y_test.npy`. Entries may be stored or deflated
//! (`numpy.savez` stores, `numpy.savez_compressed` deflates); both are read. An archive
//! whose entries share compressed data is refused: each byte of the file is decompressed
//! at most once, so the file can expand only as far as deflate allows (about 1,000 times).

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use ndarray::{Array1, Array3};
use zip::ZipArchive;

use crate::idx::SIDE;
use crate::{Error, Split, Splits};

/// Reads the four arrays of a Keras-style `.npz` archive and checks their shapes.
pub(crate) fn read(path: &Path) -> Result<Splits, Error> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    parse(BufReader::new(file), path)
}

/// Like [`read`], from any seekable reader; `path` names the archive in errors.
pub(crate) fn parse(input: impl Read + Seek, path: &Path) -> Result<Splits, Error> {
    let mut archive = ZipArchive::new(input).map_err(|e| {
        Error::invalid(
            path,
            "a .npz (zip) archive",
            format!("an unreadable archive ({e})"),
        )
    })?;
    let expected = "a .npz archive whose entries do not share compressed data";
    match archive.has_overlapping_files() {
        Ok(false) => {}
        Ok(true) => {
            let found = "entries whose data overlap (the same bytes would be read twice)";
            return Err(Error::invalid(path, expected, found));
        }
        Err(e) => {
            let found = format!("entries whose data cannot be located ({e})");
            return Err(Error::invalid(path, expected, found));
        }
    }
    let train = split(&mut archive, path, "train")?;
    let test = split(&mut archive, path, "test")?;
    Ok((train, test))
}

fn split<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    path: &Path,
    which: &str,
) -> Result<Split, Error> {
    let (x_shape, x) = array(archive, path, &format!("x_{which}"))?;
    let (y_shape, y) = array(archive, path, &format!("y_{which}"))?;
    let n = match x_shape[..] {
        [n, SIDE, SIDE] => n,
        _ => {
            return Err(Error::invalid(
                path,
                format!("x_{which} of shape (n, {SIDE}, {SIDE})"),
                format!("shape {x_shape:?}"),
            ));
        }
    };
    if y_shape != [n] {
        return Err(Error::invalid(
            path,
            format!("y_{which} of shape ({n},) to match x_{which}"),
            format!("shape {y_shape:?}"),
        ));
    }
    let images = Array3::from_shape_vec((n, SIDE, SIDE), x)
        .map_err(|e| Error::invalid(path, "consistent x data", e.to_string()))?;
    Ok((images, Array1::from_vec(y)))
}

fn array<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    path: &Path,
    name: &str,
) -> Result<(Vec<usize>, Vec<u8>), Error> {
    let entry_name = format!("{name}.npy");
    let mut entry = archive.by_name(&entry_name).map_err(|e| {
        Error::invalid(
            path,
            format!("an entry {entry_name}"),
            format!("none ({e})"),
        )
    })?;
    crate::npy::read_u8_array(&mut entry)
        .map_err(|found| Error::invalid(path, format!("{entry_name} holding uint8 data"), found))
}
