//! The notebook crate's `Cargo.lock`. evcxr leaves the slot's lock holding almost nothing
//! before the facade is built: its first cell (`42`) has no dependencies, and it checks each
//! `:dep` by resolving that crate alone in the build directory. On its own, cargo would then
//! resolve the facade's whole graph afresh at every start, to the newest versions it can find.
//! So before each of the preload's `:dep`s the kernel restores the workspace's own lock,
//! embedded when the kernel is built: cargo keeps every locked version the cells' graph shares
//! with it (dropping the rest), so notebooks run the versions the project tested, and it builds
//! offline on the first try once `cargo fetch` has downloaded the workspace. A cell's own `:dep`
//! resolves afresh, as the user asks, and (through the same check) so does the rest of the
//! graph until the next start.

use std::path::Path;

/// The workspace's `Cargo.lock` when this kernel was built (or its package's: `build.rs`).
pub const TESTED: &str = include_str!(concat!(env!("OUT_DIR"), "/tested.lock"));

/// Writes the tested lock as the lock of the cell crate in `slot` (the directory evcxr builds
/// in).
pub fn start_from_tested(slot: &Path) -> std::io::Result<()> {
    std::fs::write(slot.join("Cargo.lock"), TESTED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tested_lock_is_the_workspaces_and_is_written_whole() {
        assert!(
            TESTED.contains("name = \"neurust-nn\"") && TESTED.contains("name = \"ndarray\""),
            "the embedded lock is the workspace's"
        );
        let dir = std::env::temp_dir().join(format!("neurust-lock-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(dir.join("Cargo.lock"), "version = 4\n").expect("pruned lock");
        start_from_tested(&dir).expect("write");
        let written = std::fs::read_to_string(dir.join("Cargo.lock")).expect("read");
        assert_eq!(written, TESTED);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
