//! Test stand-in for the neurust facade.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub mod prelude {
    pub use crate::{show, stub_answer, train_until_stopped, update};
}

/// Like the real facade, the stop flag is one per process, not one per copy of this crate
/// (evcxr links a copy into every cell): the first copy leaks it and publishes its address.
fn stop_flag() -> &'static AtomicBool {
    const VAR: &str = "NEURUST_STUB_STOP_FLAG";
    let pid = std::process::id();
    let found = std::env::var(VAR).ok().and_then(|v| {
        let (p, addr) = v.split_once(':')?;
        (p.parse::<u32>().ok()? == pid).then(|| usize::from_str_radix(addr, 16).ok())?
    });
    match found {
        // SAFETY: published below by a copy of this crate in this process; never freed.
        Some(addr) => unsafe { &*(addr as *const AtomicBool) },
        None => {
            let flag: &'static AtomicBool = Box::leak(Box::new(AtomicBool::new(false)));
            let entry = format!("{pid}:{:x}", flag as *const AtomicBool as usize);
            // SAFETY: called at start-up, before any other thread reads the environment.
            unsafe { std::env::set_var(VAR, entry) };
            flag
        }
    }
}

pub mod notebook {
    use std::sync::atomic::{AtomicPtr, Ordering};

    unsafe extern "C" {
        fn signal(signum: i32, handler: usize) -> usize;
    }

    static FLAG: AtomicPtr<std::sync::atomic::AtomicBool> = AtomicPtr::new(std::ptr::null_mut());

    extern "C" fn on_interrupt(_: i32) {
        let flag = FLAG.load(Ordering::SeqCst);
        if !flag.is_null() {
            // SAFETY: a leaked, never-freed flag stored by `init`.
            unsafe { (*flag).store(true, Ordering::SeqCst) };
        }
    }

    /// What the real facade does too: SIGINT sets the stop flag instead of killing the process.
    pub fn init() {
        FLAG.store(std::ptr::from_ref(super::stop_flag()).cast_mut(), Ordering::SeqCst);
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

/// Runs "batches" of 10 ms until interrupted or `max_secs` pass; returns the batch count.
pub fn train_until_stopped(max_secs: u64) -> u64 {
    let stop = stop_flag();
    stop.store(false, Ordering::SeqCst);
    println!("training started");
    let start = Instant::now();
    let mut batches = 0;
    while start.elapsed() < Duration::from_secs(max_secs) {
        std::thread::sleep(Duration::from_millis(10));
        batches += 1;
        if stop.swap(false, Ordering::SeqCst) {
            println!("stopped after {batches} batches");
            break;
        }
    }
    batches
}

/// The kernel's output tag: only tagged protocol lines are displays (`neurust_stream::tag`).
fn tag() -> String {
    std::env::var("NEURUST_OUTPUT_TAG").unwrap_or_default()
}

/// Emits a display-protocol message showing `text`.
pub fn show(id: &str, text: &str) {
    println!(
        "{}NEURUST-DISPLAY-V1 {{\"action\":\"display\",\"data\":{{\"text/plain\":\"{text}\"}},\"metadata\":{{}},\"display_id\":\"{id}\"}}",
        tag()
    );
}

/// Emits a display-protocol update of display `id`.
pub fn update(id: &str, text: &str) {
    println!(
        "{}NEURUST-DISPLAY-V1 {{\"action\":\"update\",\"data\":{{\"text/plain\":\"{text}\"}},\"metadata\":{{}},\"display_id\":\"{id}\"}}",
        tag()
    );
}
