//! Writes the first N training and test examples of an MNIST directory as gzip IDX files.
//!
//! This made `tests/fixtures/mnist-small` (N = 100) from the full dataset:
//!
//! ```text
//! cargo run -p neurust-datasets --example make_fixture -- \
//!     /work/shared/data/mnist crates/neurust-datasets/tests/fixtures/mnist-small 100
//! ```

use std::fs::File;
use std::io::Write;
use std::path::Path;

use flate2::{Compression, write::GzEncoder};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [from, to, n] = args.as_slice() else {
        return Err("usage: make_fixture FROM_DIR TO_DIR N".into());
    };
    let n: usize = n.parse()?;
    let ((x_train, y_train), (x_test, y_test)) = neurust_datasets::mnist::load_data_from(from)?;
    std::fs::create_dir_all(to)?;
    let take = |a: &[u8], per: usize| a[..n * per].to_vec();
    let pixels = |x: &ndarray::Array3<u8>| {
        x.as_slice()
            .map(|s| take(s, 28 * 28))
            .ok_or("non-contiguous images")
    };
    let labels = |y: &ndarray::Array1<u8>| {
        y.as_slice()
            .map(|s| take(s, 1))
            .ok_or("non-contiguous labels")
    };
    write_idx(
        &Path::new(to).join("train-images-idx3-ubyte.gz"),
        0x803,
        &[n, 28, 28],
        &pixels(&x_train)?,
    )?;
    write_idx(
        &Path::new(to).join("train-labels-idx1-ubyte.gz"),
        0x801,
        &[n],
        &labels(&y_train)?,
    )?;
    write_idx(
        &Path::new(to).join("t10k-images-idx3-ubyte.gz"),
        0x803,
        &[n, 28, 28],
        &pixels(&x_test)?,
    )?;
    write_idx(
        &Path::new(to).join("t10k-labels-idx1-ubyte.gz"),
        0x801,
        &[n],
        &labels(&y_test)?,
    )?;
    Ok(())
}

/// Writes one IDX file, gzip level 9 with a zero timestamp (reproducible bytes).
fn write_idx(path: &Path, magic: u32, dims: &[usize], data: &[u8]) -> std::io::Result<()> {
    let mut gz = GzEncoder::new(File::create(path)?, Compression::best());
    gz.write_all(&magic.to_be_bytes())?;
    for &d in dims {
        gz.write_all(&(d as u32).to_be_bytes())?;
    }
    gz.write_all(data)?;
    gz.finish()?.sync_all()
}
