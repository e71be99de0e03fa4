//! The global generator's state, one per process.
//!
//! A plain `static` is not enough in a notebook: evcxr links a separate copy of this crate into
//! every cell, each with its own statics, so `set_random_seed(42)` in one cell would be unseen by
//! the next. Instead the first copy to need the state allocates it (never freed) and publishes
//! its address, with the process id, in an environment variable; every later copy in the same
//! process finds it there. The block is `#[repr(C)]` atomics, so its layout does not depend on
//! which copy reads it, and it starts with a magic word that is checked before use.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

const ENV: &str = "NEURUST_RNG_STATE_V1";
const MAGIC: u64 = 0x6e65_7572_7573_7431; // "neurust1"

#[repr(C)]
struct State {
    magic: u64,
    lock: AtomicBool,
    seeded: AtomicBool,
    words: [AtomicU64; 4],
}

fn state() -> &'static State {
    static THIS_COPY: OnceLock<&'static State> = OnceLock::new();
    THIS_COPY.get_or_init(|| published().unwrap_or_else(publish))
}

/// The block another copy of this crate published in this process, if any.
fn published() -> Option<&'static State> {
    let value = std::env::var(ENV).ok()?;
    let (pid, addr) = value.split_once(':')?;
    // An address inherited from a parent process is meaningless here.
    if pid.parse::<u32>().ok()? != std::process::id() {
        return None;
    }
    let addr = usize::from_str_radix(addr, 16).ok()?;
    if addr == 0 || !addr.is_multiple_of(std::mem::align_of::<State>()) {
        return None;
    }
    // SAFETY: the variable names this process, so a copy of this crate wrote it in `publish`
    // below: the address of a leaked, never-freed `State`, shared read-only apart from atomics.
    let state = unsafe { &*(addr as *const State) };
    (state.magic == MAGIC).then_some(state)
}

fn publish() -> &'static State {
    let state: &'static State = Box::leak(Box::new(State {
        magic: MAGIC,
        lock: AtomicBool::new(false),
        seeded: AtomicBool::new(false),
        words: Default::default(),
    }));
    let value = format!(
        "{}:{:x}",
        std::process::id(),
        state as *const State as usize
    );
    // SAFETY: set once per process, on first use of the generator (model creation or `fit`),
    // before this crate starts any thread; nothing in this crate reads the environment
    // concurrently.
    unsafe { std::env::set_var(ENV, value) };
    state
}

/// Runs `f` on the generator's state (`None` until a seed is set), under a spin lock: the
/// section is a few arithmetic operations.
pub(super) fn with<R>(f: impl FnOnce(&mut Option<[u64; 4]>) -> R) -> R {
    let state = state();
    while state
        .lock
        .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
        .is_err()
    {
        std::hint::spin_loop();
    }
    let mut value = state
        .seeded
        .load(Ordering::Relaxed)
        .then(|| [0, 1, 2, 3].map(|i| state.words[i].load(Ordering::Relaxed)));
    let result = f(&mut value);
    match value {
        Some(words) => {
            for (slot, word) in state.words.iter().zip(words) {
                slot.store(word, Ordering::Relaxed);
            }
            state.seeded.store(true, Ordering::Relaxed);
        }
        None => state.seeded.store(false, Ordering::Relaxed),
    }
    state.lock.store(false, Ordering::Release);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_is_published_for_this_process_and_found_again() {
        let first = state() as *const State;
        let found = published().expect("published");
        assert_eq!(found as *const State, first);
        let value = std::env::var(ENV).expect("set");
        assert!(value.starts_with(&format!("{}:", std::process::id())));
    }
}
