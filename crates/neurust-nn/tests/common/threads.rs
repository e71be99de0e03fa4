//! Bit-identical training at any thread count: the thread team's size is fixed per process,
//! so the test binary runs itself again with other `NEURUST_NUM_THREADS`.

use ndarray::{Array2, Array4};
use neurust_nn::Sequential;

/// Runs `train` here and, through this test binary, in child processes with 1, 2 and 3
/// threads, and asserts that all four end with the same weights, bit for bit. `test` is the
/// calling test's name (the children run only it).
pub fn assert_same_weights_at_any_thread_count(test: &str, train: impl Fn() -> Sequential) {
    if let Some(weights) = child_weights(test, &train) {
        println!("WEIGHTS {weights}");
        return;
    }
    let here = weights(&train);
    for threads in ["1", "2", "3"] {
        assert!(
            run(test, threads, &[]) == here,
            "{threads} threads gave other weights"
        );
    }
}

/// As [`assert_same_weights_at_any_thread_count`], but only in child processes, with `env`
/// set (for settings read once per process), at 1 to 4 threads: with 4, the kernel of a
/// Dense layer is also split by columns (`linalg::Partition`).
pub fn assert_same_weights_at_any_thread_count_with(
    test: &str,
    env: &[(&str, &str)],
    train: impl Fn() -> Sequential,
) {
    if let Some(weights) = child_weights(test, &train) {
        println!("WEIGHTS {weights}");
        return;
    }
    let one = run(test, "1", env);
    for threads in ["2", "3", "4"] {
        assert!(
            run(test, threads, env) == one,
            "{threads} threads gave other weights than 1"
        );
    }
}

/// The weights `train` ends with, when this process is a child running `test`.
fn child_weights(test: &str, train: &impl Fn() -> Sequential) -> Option<String> {
    let child = std::env::var("NEURUST_THREADS_CHILD").is_ok_and(|t| t == test);
    child.then(|| weights(train))
}

/// The bits of the weights `train` ends with.
fn weights(train: &impl Fn() -> Sequential) -> String {
    let bits: Vec<u32> = train()
        .get_weights()
        .iter()
        .flat_map(|w| w.iter().map(|v| v.to_bits()).collect::<Vec<_>>())
        .collect();
    format!("{bits:?}")
}

/// The weights a child process running only `test` with `threads` threads ends with.
fn run(test: &str, threads: &str, env: &[(&str, &str)]) -> String {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", test, "--nocapture"])
        .env("NEURUST_THREADS_CHILD", test)
        .env("NEURUST_NUM_THREADS", threads)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    text.lines()
        .find_map(|l| l.strip_prefix("WEIGHTS ").map(String::from))
        .unwrap_or_else(|| panic!("no weights from the child at {threads} threads: {text}"))
}

/// Two quiet epochs of batches of 40 from seed 6: the training the convnet tests repeat at
/// each thread count.
pub fn two_epochs(mut m: Sequential, x: &Array4<f32>, y: &Array2<f32>) -> Sequential {
    m.fit(x, y)
        .epochs(2)
        .batch_size(40)
        .verbose(0)
        .seed(6)
        .run()
        .unwrap();
    m
}
