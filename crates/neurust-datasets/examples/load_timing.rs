//! Times loading a full MNIST directory with and without checksum verification.
//!
//! ```text
//! cargo run --release -p neurust-datasets --example load_timing -- /work/shared/data/mnist
//! ```

use std::time::Instant;

use neurust_datasets::{Loader, mnist};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .ok_or("usage: load_timing MNIST_DIR")?;
    let ds = mnist::dataset();
    for verify in [false, true, false, true] {
        let start = Instant::now();
        let ((x, _), (t, _)) = Loader::new()
            .data_dir(&dir)
            .download(false)
            .verify(verify)
            .load(&ds)?;
        let ms = start.elapsed().as_secs_f64() * 1e3;
        println!(
            "verify={verify:<5} {:>7.1} ms  ({} + {} images)",
            ms,
            x.dim().0,
            t.dim().0
        );
    }
    Ok(())
}
