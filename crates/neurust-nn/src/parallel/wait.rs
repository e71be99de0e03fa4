//! How a thread waits for another within a training step: a step's jobs last microseconds, so
//! it spins, and yields its core only once the wait has outlasted a short spin.

/// Spins until `done()` holds, yielding the core after the first couple of thousand tries.
pub(super) fn spin_until(done: impl Fn() -> bool) {
    let mut spins = 0u32;
    while !done() {
        spins += 1;
        if spins < 2_000 {
            std::hint::spin_loop();
        } else {
            std::thread::yield_now();
        }
    }
}
