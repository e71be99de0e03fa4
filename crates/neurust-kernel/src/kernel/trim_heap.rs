//! Gives the kernel's freed heap memory back to the OS while it is idle.
//!
//! glibc's allocator keeps what the program frees for later use rather than returning it. The
//! kernel frees a lot: once start-up and the first cell are done, about a third of its heap is
//! free (evcxr's start-up work), and an output flood passes every line through the kernel's
//! queues, which drain only as fast as the client reads, long after the cell has ended.
//! How much that returns is in `docs/FIGURES.md` (`tests/kernel/test_memory.py` checks that
//! start-up and a first cell leave the kernel well under its start-up peak).
//!
//! A trim takes tens of milliseconds, so the engine trims once when start-up is done, then only
//! after [`IDLE`] without a request, never during a cell, and again each [`IDLE`] after that
//! while trimming still frees something.

use std::time::Duration;

/// How long the engine must be idle before it trims.
pub const IDLE: Duration = Duration::from_secs(1);

/// Hands free heap pages back to the OS. Returns whether that freed at least a MiB (so more may
/// follow, from queues that are still draining).
pub fn give_back() -> bool {
    let before = resident_kib();
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own heap under its locks; it takes no pointers.
    unsafe {
        libc::malloc_trim(0);
    }
    let (Some(before), Some(after)) = (before, resident_kib()) else {
        return false;
    };
    let freed = before.saturating_sub(after);
    if freed >= 64 << 10 {
        crate::kernel::log::log(&format!(
            "gave {} MiB of freed memory back to the OS ({} → {} MiB resident)",
            freed >> 10,
            before >> 10,
            after >> 10
        ));
    }
    freed >= 1 << 10
}

/// This process's resident memory in KiB, from `/proc/self/statm`.
fn resident_kib() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf has no preconditions.
    let page = u64::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).ok()?;
    Some((pages * page) >> 10)
}
