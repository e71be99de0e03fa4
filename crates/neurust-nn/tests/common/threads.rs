//! Bit-identical training at any thread count: the thread team's size is fixed per process,
//! so the test binary runs itself again with other `NEURUST_NUM_THREADS`.

use ndarray::{Array2, Array4};
use neurust_nn::Sequential;

/// Runs `train` here and, through this test binary, in child processes with 1, 2 and 3
/// threads, and asserts that all four end with the same weights, bit for bit. `test` is the
/// calling test's name (the children run only it).
pub fn assert_same_weights_at_any_thread_count(test: &str, train: impl Fn() -> Sequential) {
    let bits = || {
        let bits: Vec<u32> = train()
            .get_weights()
            .iter()
            .flat_map(|w| w.iter().map(|v| v.to_bits()).collect::<Vec<_>>())
            .collect();
        format!("{bits:?}")
    };
    if std::env::var("NEURUST_THREADS_CHILD").is_ok_and(|t| t == test) {
        println!("WEIGHTS {}", bits());
        return;
    }
    let run = |threads: &str| {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", test, "--nocapture"])
            .env("NEURUST_THREADS_CHILD", test)
            .env("NEURUST_NUM_THREADS", threads)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        text.lines()
            .find_map(|l| l.strip_prefix("WEIGHTS ").map(String::from))
            .unwrap_or_else(|| panic!("no weights from the child at {threads} threads: {text}"))
    };
    let here = bits();
    for threads in ["1", "2", "3"] {
        assert!(run(threads) == here, "{threads} threads gave other weights");
    }
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
