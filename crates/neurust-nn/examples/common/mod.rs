//! Shared by the training benchmarks: a callback that times each epoch (wall and CPU seconds),
//! the machine's large-GEMM rate measured in the same run, and a median.

use std::time::Instant;

use neurust_nn::callbacks::{Callback, CallbackContext, Logs};

#[derive(Default)]
pub struct EpochTimes {
    started: Option<(Instant, f64)>,
    pub seconds: Vec<f64>,
    pub cpu_seconds: Vec<f64>,
}

/// CPU seconds this process's threads have run so far (Linux `schedstat`; 0 elsewhere). On
/// a busy machine this is steadier than wall-clock time, though spinning workers count too.
pub fn cpu_seconds() -> f64 {
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
pub fn large_gemm_gflops() -> f64 {
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

pub fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    s[s.len() / 2]
}
