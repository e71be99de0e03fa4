//! Benchmark (not a test): trains the Keras tutorial's model on full MNIST (5 epochs, batch 32,
//! validation_split 0.2) and prints per-epoch seconds, the effective GFLOP/s, the machine's
//! large-GEMM rate measured in this same run with the same backend, and test accuracy. The last
//! line is one JSON object.
//!
//! `cargo run --release -p neurust-nn --example bench_mnist_mlp`

use std::time::Instant;

use neurust_nn::callbacks::{Callback, CallbackContext, Logs};
use neurust_nn::{Dense, Dropout, Flatten, Sequential};

/// 48,000 samples × 0.818 MFLOP (forward + backward) + 12,000 × 0.407 MFLOP (validation).
const EPOCH_GFLOP: f64 = 44.2;

#[derive(Default)]
struct EpochTimes {
    started: Option<(Instant, f64)>,
    seconds: Vec<f64>,
    cpu_seconds: Vec<f64>,
}

/// CPU seconds this process's threads have run so far (Linux `schedstat`; 0 elsewhere). On
/// a busy machine this is steadier than wall-clock time, though spinning workers count too.
fn cpu_seconds() -> f64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0.0;
    };
    tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .sum::<f64>()
        / 1e9
}

impl Callback for EpochTimes {
    fn on_epoch_begin(&mut self, _ctx: &mut CallbackContext, _epoch: usize) {
        self.started = Some((Instant::now(), cpu_seconds()));
    }
    fn on_epoch_end(&mut self, _ctx: &mut CallbackContext, _epoch: usize, _logs: &Logs) {
        if let Some((t, cpu)) = self.started {
            self.seconds.push(t.elapsed().as_secs_f64());
            self.cpu_seconds.push(cpu_seconds() - cpu);
        }
    }
}

/// The sgemm rate on a 2048³ product, with the same `gemm` backend using every core.
fn large_gemm_gflops() -> f64 {
    let n = 2048;
    let a = vec![0.5f32; n * n];
    let b = vec![0.25f32; n * n];
    let mut c = vec![0.0f32; n * n];
    let threads = neurust_nn::num_threads();
    let run = |c: &mut [f32]| unsafe {
        gemm::gemm(
            n,
            n,
            n,
            c.as_mut_ptr(),
            1,
            n as isize,
            false,
            a.as_ptr(),
            1,
            n as isize,
            b.as_ptr(),
            1,
            n as isize,
            0.0f32,
            1.0f32,
            false,
            false,
            false,
            gemm::Parallelism::Rayon(threads),
        )
    };
    run(&mut c);
    let reps = 5;
    let t = Instant::now();
    for _ in 0..reps {
        run(&mut c);
    }
    2.0 * (n * n * n) as f64 * reps as f64 / t.elapsed().as_secs_f64() / 1e9
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    s[s.len() / 2]
}

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
