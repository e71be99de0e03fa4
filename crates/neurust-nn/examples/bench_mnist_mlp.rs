//! Benchmark (not a test): trains the Keras tutorial's model on full MNIST (5 epochs, batch 32,
//! validation_split 0.2) and prints per-epoch seconds, the effective GFLOP/s, the machine's
//! large-GEMM rate measured in this same run with the same backend, and test accuracy. The last
//! line is one JSON object.
//!
//! `cargo run --release -p neurust-nn --example bench_mnist_mlp`

mod common;

use common::{EpochTimes, large_gemm_gflops, median};
use neurust_nn::{Dense, Dropout, Flatten, Sequential};

/// 48,000 samples × 0.818 MFLOP (forward + backward) + 12,000 × 0.407 MFLOP (validation).
const EPOCH_GFLOP: f64 = 44.2;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ((x_train, y_train), (x_test, y_test)) = neurust_datasets::mnist::load_data()?;
    let x_train = x_train.mapv(|v| v as f32 / 255.0);
    let x_test = x_test.mapv(|v| v as f32 / 255.0);

    let mut model = Sequential::with_seed(42);
    model.add(Flatten::new().input_shape([28, 28]));
    model.add(Dense::new(256).activation("relu"));
    model.add(Dropout::new(0.2));
    model.add(Dense::new(10).activation("softmax"));
    model.compile("adam", "sparse_categorical_crossentropy", &["accuracy"])?;

    let mut times = EpochTimes::default();
    model
        .fit(&x_train, &y_train)
        .epochs(5)
        .batch_size(32)
        .validation_split(0.2)
        .verbose(2)
        .seed(42)
        .callback(&mut times)
        .run()?;
    let test = model.evaluate(&x_test, &y_test)?;
    let gemm = large_gemm_gflops();

    let med = median(&times.seconds);
    let effective = EPOCH_GFLOP / med;
    println!("threads: {}", neurust_nn::num_threads());
    println!(
        "epoch seconds: {}",
        times
            .seconds
            .iter()
            .map(|s| format!("{s:.3}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("median epoch: {med:.3} s");
    println!(
        "epoch CPU seconds (all threads): {} (median {:.3})",
        times
            .cpu_seconds
            .iter()
            .map(|s| format!("{s:.3}"))
            .collect::<Vec<_>>()
            .join(", "),
        median(&times.cpu_seconds)
    );
    println!(
        "effective: {effective:.1} GFLOP/s ({:.0}% of the large-GEMM rate {gemm:.1} GFLOP/s)",
        100.0 * effective / gemm
    );
    println!(
        "test accuracy: {:.4}, test loss: {:.4}",
        test["accuracy"], test["loss"]
    );
    let json = serde_json::json!({
        "epoch_s": times.seconds,
        "epoch_cpu_s": times.cpu_seconds,
        "effective_gflops": effective,
        "gemm_gflops": gemm,
        "test_accuracy": test["accuracy"],
    });
    println!("{json}");
    Ok(())
}
