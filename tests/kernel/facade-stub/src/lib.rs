//! Test stand-in for the neurust facade.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

static STOP: AtomicBool = AtomicBool::new(false);
static INIT_CALLS: AtomicU64 = AtomicU64::new(0);

pub mod prelude {
    pub use crate::{init_calls, show, stub_answer, train_until_stopped, update};
}

pub mod notebook {
    unsafe extern "C" {
        fn signal(signum: i32, handler: usize) -> usize;
    }

    extern "C" fn on_interrupt(_: i32) {
        super::STOP.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// What the real facade does too: SIGINT sets the stop flag instead of killing the process.
    pub fn init() {
        super::INIT_CALLS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        const SIGINT: i32 = 2;
        // SAFETY: installs an async-signal-safe handler that only stores to an atomic.
        unsafe {
            signal(SIGINT, on_interrupt as *const () as usize);
        }
    }
}

pub fn stub_answer() -> i32 {
    42
}

pub fn init_calls() -> u64 {
    INIT_CALLS.load(Ordering::SeqCst)
}

/// Runs "batches" of 10 ms until interrupted or `max_secs` pass; returns the batch count.
pub fn train_until_stopped(max_secs: u64) -> u64 {
    STOP.store(false, Ordering::SeqCst);
    println!("training started");
    let start = Instant::now();
    let mut batches = 0;
    while start.elapsed() < Duration::from_secs(max_secs) {
        std::thread::sleep(Duration::from_millis(10));
        batches += 1;
        if STOP.swap(false, Ordering::SeqCst) {
            println!("stopped after {batches} batches");
            break;
        }
    }
    batches
}

/// Emits a display-protocol message showing `text`.
pub fn show(id: &str, text: &str) {
    println!(
        "NEURUST-DISPLAY-V1 {{\"action\":\"display\",\"data\":{{\"text/plain\":\"{text}\"}},\"metadata\":{{}},\"display_id\":\"{id}\"}}"
    );
}

/// Emits a display-protocol update of display `id`.
pub fn update(id: &str, text: &str) {
    println!(
        "NEURUST-DISPLAY-V1 {{\"action\":\"update\",\"data\":{{\"text/plain\":\"{text}\"}},\"metadata\":{{}},\"display_id\":\"{id}\"}}"
    );
}
