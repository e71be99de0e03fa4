//! Repairing a slot whose neurust outputs are damaged but look up to date.

use std::path::Path;

/// Makes cargo rebuild the neurust crates in a slot (`dir`): removes their fingerprints,
/// outputs and incremental state under `target/` (rustc hard-links a crate's `.rmeta` from its
/// incremental session, so a damaged one would come back from there). For outputs that are
/// damaged but look up to date (a truncated `.rlib` with its old modification time), which
/// cargo would otherwise keep. Returns how many entries it removed.
pub fn forget_neurust(dir: &Path) -> usize {
    let mut removed = 0;
    let mut todo = vec![dir.join("target")];
    while let Some(dir) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            let ours = ["neurust-", "neurust_", "libneurust"]
                .iter()
                .any(|p| name.starts_with(p));
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if ours {
                let gone = if is_dir {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
                removed += usize::from(gone.is_ok());
            } else if is_dir
                && (matches!(
                    name.as_str(),
                    "debug" | "deps" | ".fingerprint" | "incremental"
                ) || name.contains("-linux-"))
            {
                todo.push(path);
            }
        }
    }
    removed
}
