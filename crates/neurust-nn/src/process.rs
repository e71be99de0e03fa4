//! Values that must exist once per process, not once per copy of this crate.
//!
//! A plain `static` is not enough in a notebook: evcxr links a separate copy of this crate into
//! every cell, each with its own statics. So the random seed set in one cell would be unseen by
//! the next, SIGINT would stop only the `fit` of the cell that installed the handler, and every
//! cell that trains would start its own worker threads. Instead, the first copy that needs such
//! a value allocates it (never freed) and publishes its address, with the process id, in an
//! environment variable named after the value, its size and this crate's version; every later
//! copy in the same process finds it there. In a notebook the copies are built from one compiled
//! crate, so they agree on the value's layout; a magic word in front of it is checked before use.
//!
//! This module knows none of the values: each module that keeps one calls [`shared`] with a
//! `static` slot of its own. When they are published is decided in one place, `share.rs`.

use std::sync::OnceLock;

const MAGIC: u64 = 0x6e65_7572_7573_7432; // "neurust2"

#[repr(C)]
struct Tagged<T> {
    magic: u64,
    value: T,
}

/// The variable for the value `name` of type `T`: named after this crate's version and the
/// value's size too, so a copy built differently never takes another's value for its own.
fn variable<T>(name: &str) -> String {
    format!(
        "NEURUST_{name}_V{}_{}",
        env!("CARGO_PKG_VERSION").replace('.', "_"),
        std::mem::size_of::<T>()
    )
}

/// The process's one `T` named `name`: this copy's `slot` if set, else the value another copy
/// published, else `init()` published now. `slot` is a `static` of the caller, one per value.
pub(crate) fn shared<T: Sync + 'static>(
    slot: &'static OnceLock<&'static T>,
    name: &str,
    init: impl FnOnce() -> T,
) -> &'static T {
    slot.get_or_init(|| {
        let var = variable::<T>(name);
        // SAFETY: only this module writes these variables, with the address of a leaked
        // `Tagged<T>` for the same `name` (so the same `T`) made by a copy of this version.
        unsafe { published::<T>(&var) }.unwrap_or_else(|| publish(&var, init()))
    })
}

/// # Safety
/// If `var` names this process, it must hold the address of a live `Tagged<T>`.
unsafe fn published<T>(var: &str) -> Option<&'static T> {
    let value = std::env::var(var).ok()?;
    let (pid, addr) = value.split_once(':')?;
    // An address inherited from a parent process is meaningless here.
    if pid.parse::<u32>().ok()? != std::process::id() {
        return None;
    }
    let addr = usize::from_str_radix(addr, 16).ok()?;
    if addr == 0 || !addr.is_multiple_of(std::mem::align_of::<Tagged<T>>()) {
        return None;
    }
    // SAFETY: by the caller's promise; the value is never freed.
    let tagged = unsafe { &*(addr as *const Tagged<T>) };
    (tagged.magic == MAGIC).then_some(&tagged.value)
}

fn publish<T>(var: &str, value: T) -> &'static T {
    let tagged: &'static Tagged<T> = Box::leak(Box::new(Tagged {
        magic: MAGIC,
        value,
    }));
    let entry = format!(
        "{}:{:x}",
        std::process::id(),
        tagged as *const Tagged<T> as usize
    );
    // SAFETY: set once per value and process, at its first use (see the module comment); this
    // crate reads the environment nowhere concurrently with it.
    unsafe { std::env::set_var(var, entry) };
    &tagged.value
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[test]
    fn a_second_copy_finds_the_value_the_first_published() {
        // Two slots stand for the statics of two copies of this crate.
        static FIRST: OnceLock<&'static AtomicU32> = OnceLock::new();
        static SECOND: OnceLock<&'static AtomicU32> = OnceLock::new();
        let a = shared(&FIRST, "TEST_COUNTER", || AtomicU32::new(7));
        let b = shared(&SECOND, "TEST_COUNTER", || AtomicU32::new(99));
        assert!(std::ptr::eq(a, b));
        a.store(8, Ordering::Relaxed);
        assert_eq!(b.load(Ordering::Relaxed), 8);
        let entry = std::env::var(variable::<AtomicU32>("TEST_COUNTER")).expect("published");
        assert!(entry.starts_with(&format!("{}:", std::process::id())));
    }

    #[test]
    fn an_entry_from_another_process_or_without_the_magic_is_ignored() {
        let var = variable::<u64>("TEST_FOREIGN");
        // SAFETY: test-only variables, not read concurrently by anything else.
        unsafe { std::env::set_var(&var, format!("{}:1000", std::process::id() + 1)) };
        assert!(unsafe { published::<u64>(&var) }.is_none());
        let untagged: &'static [u64; 2] = Box::leak(Box::new([0, 5]));
        let entry = format!("{}:{:x}", std::process::id(), untagged.as_ptr() as usize);
        unsafe { std::env::set_var(&var, entry) };
        assert!(unsafe { published::<u64>(&var) }.is_none());
    }
}
