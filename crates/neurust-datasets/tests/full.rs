//! The full dataset, when `NEURUST_DATA_DIR` points at it (CI sets it).

mod common;

use common::*;
use neurust_datasets::{Loader, mnist};

#[test]
fn full_mnist_from_neurust_data_dir() {
    let Some(dir) = std::env::var_os("NEURUST_DATA_DIR")
        .map(std::path::PathBuf::from)
        .filter(|d| !d.as_os_str().is_empty())
    else {
        // Written to the stderr handle directly so that the test harness does not capture it.
        let line = "SKIPPED: full_mnist_from_neurust_data_dir: NEURUST_DATA_DIR is not set \
                    (set it to a directory holding the four MNIST files to run this test)\n";
        let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
        return;
    };
    eprintln!("loading full MNIST from {}", dir.display());
    // The same look-up as load_data() with only NEURUST_DATA_DIR configured, so that a
    // wrong setting can never reach the user cache or the network. Checksums are verified.
    let loader = Loader::new().data_dir(&dir).download(false);
    let ((x_train, y_train), (x_test, y_test)) = loader.load(&mnist::dataset()).unwrap();
    assert_eq!(x_train.dim(), (60000, 28, 28));
    assert_eq!(y_train.dim(), 60000);
    assert_eq!(x_test.dim(), (10000, 28, 28));
    assert_eq!(y_test.dim(), 10000);
    assert_eq!(
        y_train.iter().take(10).copied().collect::<Vec<_>>(),
        FIRST_TRAIN
    );
    assert_eq!(
        y_test.iter().take(10).copied().collect::<Vec<_>>(),
        FIRST_TEST
    );
    assert_eq!(y_test[3000], 6);
    // Every digit occurs, and the committed fixture is the first 100 of each split.
    assert!((0..10).all(|d| y_train.iter().any(|&l| l == d)));
    let ((fx, fy), (tx, ty)) = mnist::load_data_from(fixture_dir()).unwrap();
    assert_eq!(fx.view(), x_train.slice(ndarray::s![..100, .., ..]));
    assert_eq!(fy.view(), y_train.slice(ndarray::s![..100]));
    assert_eq!(tx.view(), x_test.slice(ndarray::s![..100, .., ..]));
    assert_eq!(ty.view(), y_test.slice(ndarray::s![..100]));
}
