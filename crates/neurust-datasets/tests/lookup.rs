//! The look-up order: data directory, then cache, then Keras's cache, then download.

mod common;

use std::fs;

use common::*;
use neurust_datasets::{Dataset, Loader};

/// A copy of the fixture whose first training label is replaced by `label`.
fn relabelled(name: &str, label: u8) -> std::path::PathBuf {
    let dir = fixture_copy(name);
    let mut raw = fixture_raw(1);
    raw[8] = label;
    fs::remove_file(dir.join("train-labels-idx1-ubyte.gz")).unwrap();
    put(&dir, "train-labels-idx1-ubyte", &raw);
    dir
}

#[test]
fn data_dir_then_cache_then_keras_cache() {
    let ds = Dataset {
        keras_cache: Some("small".into()),
        ..unchecked_dataset()
    };
    let data_dir = relabelled("order-data", 1);
    let cache_root = scratch("order-cache");
    fs::rename(relabelled("order-c", 2), cache_root.join("mnist-small")).unwrap();
    let keras_root = scratch("order-keras");
    fs::rename(relabelled("order-k", 3), keras_root.join("small")).unwrap();

    let first_label = |loader: Loader| loader.download(false).load(&ds).unwrap().0.1[0];
    let all = || {
        Loader::new()
            .cache_root(&cache_root)
            .keras_root(&keras_root)
    };
    assert_eq!(first_label(all().data_dir(&data_dir)), 1);
    assert_eq!(first_label(all().data_dir(scratch("order-empty"))), 2);
    fs::remove_dir_all(cache_root.join("mnist-small")).unwrap();
    assert_eq!(first_label(all()), 3);

    fs::remove_dir_all(keras_root.join("small")).unwrap();
    let err = all().download(false).data_dir("/nonexistent/dir");
    let err = err.load(&ds).unwrap_err().to_string();
    assert!(
        err.contains("NEURUST_DATA_DIR=/nonexistent/dir (missing)"),
        "{err}"
    );
    let err2 = all().download(false).load(&ds).unwrap_err().to_string();
    assert!(err2.contains("NEURUST_DATA_DIR (unset)"), "{err2}");
    assert!(
        err2.contains(&format!(
            "{} (missing)",
            cache_root.join("mnist-small").display()
        )),
        "{err2}"
    );
    assert!(
        err2.contains(&format!("{} (missing)", keras_root.join("small").display())),
        "{err2}"
    );
    assert!(err2.contains("no download attempted"), "{err2}");
}
