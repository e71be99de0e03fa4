//! Benchmark (not a test): trains keras.io's "Simple MNIST convnet" exactly as published
//! (Conv2D 32 → MaxPooling2D → Conv2D 64 → MaxPooling2D → Flatten → Dropout 0.5 → Dense 10;
//! adam, categorical cross-entropy, batch 128, validation_split 0.1) on full MNIST and prints
//! per-epoch seconds, the effective GFLOP/s, the machine's large-GEMM rate measured in this
//! same run, and test accuracy. The last line is one JSON object.
//!
//! `cargo run --release -p neurust-nn --example bench_mnist_convnet -- [epochs, default 2]`

mod common;

use common::{EpochTimes, large_gemm_gflops, median};
use ndarray::Axis;
use neurust_nn::{
    Conv2D, Dense, Dropout, Flatten, Input, MaxPooling2D, Sequential, to_categorical,
};

/// Multiply-adds ×2 of the products one sample needs. Forward: conv 676·9·32 + conv
/// 121·288·64 + dense 1600·10; training adds the weight gradients of all three and the input
/// gradients of the second convolution and the dense layer (the first convolution's input
/// gradient is never computed).
const FORWARD_MFLOP: f64 = 2.0 * (676.0 * 9.0 * 32.0 + 121.0 * 288.0 * 64.0 + 1600.0 * 10.0) / 1e6;
const TRAIN_MFLOP: f64 = FORWARD_MFLOP
    + 2.0 * (676.0 * 9.0 * 32.0 + 2.0 * 121.0 * 288.0 * 64.0 + 2.0 * 1600.0 * 10.0) / 1e6;
/// 54,000 training samples forward and backward, 6,000 validation samples forward.
const EPOCH_GFLOP: f64 = (54_000.0 * TRAIN_MFLOP + 6_000.0 * FORWARD_MFLOP) / 1e3;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let epochs: usize = std::env::args().nth(1).map_or(Ok(2), |a| a.parse())?;
    let ((x_train, y_train), (x_test, y_test)) = neurust_datasets::mnist::load_data()?;
    let x_train = x_train.mapv(|v| v as f32 / 255.0).insert_axis(Axis(3));
    let x_test = x_test.mapv(|v| v as f32 / 255.0).insert_axis(Axis(3));
    let y_train = to_categorical(&y_train, 10)?;
    let y_test = to_categorical(&y_test, 10)?;

    let mut model = Sequential::with_seed(42);
    model.add(Input::new([28, 28, 1]));
    model.add(Conv2D::new(32, [3, 3]).activation("relu"));
    model.add(MaxPooling2D::new([2, 2]));
    model.add(Conv2D::new(64, [3, 3]).activation("relu"));
    model.add(MaxPooling2D::new([2, 2]));
    model.add(Flatten::new());
    model.add(Dropout::new(0.5));
    model.add(Dense::new(10).activation("softmax"));
    model.compile("adam", "categorical_crossentropy", &["accuracy"])?;
    println!("{}", model.summary());

    let mut times = EpochTimes::default();
    model
        .fit(&x_train, &y_train)
        .epochs(epochs)
        .batch_size(128)
        .validation_split(0.1)
        .verbose(2)
        .seed(42)
        .callback(&mut times)
        .run()?;
    let test = model.evaluate(&x_test, &y_test)?;
    let gemm = large_gemm_gflops();

    let med = median(&times.seconds);
    let worst = times.seconds.iter().cloned().fold(0.0, f64::max);
    let effective = EPOCH_GFLOP / med;
    println!("threads: {}", neurust_nn::num_threads());
    println!("epoch GFLOP: {EPOCH_GFLOP:.1} ({TRAIN_MFLOP:.2} MFLOP per training sample)");
    println!(
        "epoch seconds: {} (median {med:.2}, worst {worst:.2})",
        times
            .seconds
            .iter()
            .map(|s| format!("{s:.2}"))
            .collect::<Vec<_>>()
            .join(", ")
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
        "benchmark": "mnist_convnet",
        "threads": neurust_nn::num_threads(),
        "epochs": epochs,
        "epoch_s": times.seconds,
        "epoch_cpu_s": times.cpu_seconds,
        "epoch_s_median": med,
        "epoch_s_worst": worst,
        "epoch_gflop": EPOCH_GFLOP,
        "effective_gflops": effective,
        "gemm_gflops": gemm,
        "test_accuracy": test["accuracy"],
        "test_loss": test["loss"],
    });
    println!("{json}");
    Ok(())
}
