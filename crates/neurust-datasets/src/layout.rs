//! Finding a dataset's files in one directory and turning them into arrays.

use std::path::{Path, PathBuf};

use ndarray::Array1;

use crate::idx::{self, Kind};
use crate::{Dataset, Error, IdxFile, Split, Splits, checksum, npz};

/// The files of a dataset found in one directory.
#[derive(Clone, Debug)]
pub(crate) enum Found {
    /// The four IDX files (train images, train labels, test images, test labels).
    Idx([PathBuf; 4]),
    /// A Keras-style `.npz` archive.
    Npz(PathBuf),
}

/// Looks for the four IDX files (raw preferred over `.gz`), else the `.npz`;
/// on failure returns the names of what is missing.
/// A path to an `.npz` file itself is accepted too.
pub(crate) fn find(ds: &Dataset, dir: &Path) -> Result<Found, Vec<String>> {
    if dir.is_file() && dir.extension().is_some_and(|e| e == "npz") {
        return Ok(Found::Npz(dir.to_path_buf()));
    }
    let mut paths = Vec::with_capacity(4);
    let mut missing = Vec::new();
    for file in ds.idx_files() {
        let raw = dir.join(&file.name);
        let gz = dir.join(file.gz_name());
        if raw.is_file() {
            paths.push(raw);
        } else if gz.is_file() {
            paths.push(gz);
        } else {
            missing.push(format!("{}(.gz)", file.name));
        }
    }
    if let Ok(four) = <[PathBuf; 4]>::try_from(paths) {
        return Ok(Found::Idx(four));
    }
    match &ds.npz {
        Some(npz) if dir.join(&npz.name).is_file() => Ok(Found::Npz(dir.join(&npz.name))),
        Some(npz) => {
            missing.push(format!("or {}", npz.name));
            Err(missing)
        }
        None => Err(missing),
    }
}

/// Reads what [`find`] found; with `verify`, compares every known checksum.
pub(crate) fn load(ds: &Dataset, found: &Found, verify: bool) -> Result<Splits, Error> {
    let (train, test) = match found {
        Found::Npz(path) => {
            if let (true, Some(expected)) =
                (verify, ds.npz.as_ref().and_then(|n| n.sha256.as_deref()))
            {
                checksum::check(
                    &path.display().to_string(),
                    expected,
                    &checksum::sha256_file(path)?,
                )?;
            }
            let (train, test) = npz::read(path)?;
            check_labels(ds, path, &train.1)?;
            check_labels(ds, path, &test.1)?;
            (train, test)
        }
        Found::Idx([xtr, ytr, xte, yte]) => {
            let train = split(ds, (&ds.train_images, xtr), (&ds.train_labels, ytr), verify)?;
            let test = split(ds, (&ds.test_images, xte), (&ds.test_labels, yte), verify)?;
            (train, test)
        }
    };
    Ok((train, test))
}

fn split(
    ds: &Dataset,
    images: (&IdxFile, &Path),
    labels: (&IdxFile, &Path),
    verify: bool,
) -> Result<Split, Error> {
    let x = read_checked(images.0, images.1, Kind::Images, verify)?;
    let y = read_checked(labels.0, labels.1, Kind::Labels, verify)?;
    if x.count != y.count {
        let expected = format!(
            "as many labels as the {} images in {}",
            x.count,
            images.1.display()
        );
        return Err(Error::invalid(
            labels.1,
            expected,
            format!("{} labels", y.count),
        ));
    }
    let x = x.into_images(images.1)?;
    let y = y.into_labels();
    check_labels(ds, labels.1, &y)?;
    Ok((x, y))
}

/// Reads one IDX file; with `verify`, checks the content hash or else the `.gz` hash.
pub(crate) fn read_checked(
    file: &IdxFile,
    path: &Path,
    kind: Kind,
    verify: bool,
) -> Result<idx::Idx, Error> {
    let gz = idx::is_gz(path);
    let content_hash = verify && file.sha256.is_some();
    let data = idx::read(path, kind, gz, content_hash)?;
    if !verify {
        return Ok(data);
    }
    let what = path.display().to_string();
    if let (Some(expected), Some(actual)) = (&file.sha256, &data.sha256) {
        checksum::check(&format!("{what} (uncompressed)"), expected, actual)?;
    } else if let (true, Some(expected)) = (gz, &file.gz_sha256) {
        checksum::check(&what, expected, &checksum::sha256_file(path)?)?;
    }
    Ok(data)
}

fn check_labels(ds: &Dataset, path: &Path, labels: &Array1<u8>) -> Result<(), Error> {
    match labels.iter().position(|&l| l >= ds.num_classes) {
        None => Ok(()),
        Some(i) => {
            let expected = format!("labels 0..{} for {}", ds.num_classes, ds.title);
            Err(Error::invalid(
                path,
                expected,
                format!("label {} at index {i}", labels[i]),
            ))
        }
    }
}
