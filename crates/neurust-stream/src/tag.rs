//! The tag that marks the kernel's own lines in the user-code process's output: the end of a
//! cell, its start, the panic hook's line, displays, and the end of a cell's stderr.
//!
//! The kernel chooses it once, at random, before it starts evcxr, and passes it in the
//! environment ([`ENV`]), so the user-code process and the code of its cells (the panic hook,
//! `neurust-display`) write it and the kernel knows it. User text holding it by chance would
//! need to guess 128 random bits; code in a cell can read it, as it can do anything else.

use std::io::Read;

/// Where the tag is passed on.
pub const ENV: &str = "NEURUST_OUTPUT_TAG";
/// What every tag starts with (then 32 hex digits and a space).
pub const PREFIX: &str = "NEURUST-TAG-";

/// The tag from the environment, if it is a well-formed one.
pub fn from_env() -> Option<String> {
    std::env::var(ENV).ok().filter(|tag| well_formed(tag))
}

/// Makes sure the environment holds a tag; returns it.
///
/// # Safety
/// Changes the environment: call it while the process has a single thread.
pub unsafe fn ensure() -> String {
    if let Some(tag) = from_env() {
        return tag;
    }
    let tag = fresh();
    // SAFETY: the caller promises no other thread runs.
    unsafe { std::env::set_var(ENV, &tag) };
    tag
}

/// A new random tag.
pub fn fresh() -> String {
    let mut bytes = [0u8; 16];
    let random = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
    if random.is_err() {
        // No /dev/urandom: the clock and the process id are still never repeated by chance.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        bytes = (nanos ^ (u128::from(std::process::id()) << 96)).to_le_bytes();
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{PREFIX}{hex} ")
}

fn well_formed(tag: &str) -> bool {
    tag.strip_prefix(PREFIX)
        .and_then(|rest| rest.strip_suffix(' '))
        .is_some_and(|hex| hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn fresh_tags_are_well_formed_and_differ() {
        let (a, b) = (super::fresh(), super::fresh());
        assert!(super::well_formed(&a), "{a:?}");
        assert_ne!(a, b);
        assert!(!super::well_formed("NEURUST-TAG-xyz "));
    }
}
