//! The neurust crates' sources, embedded in the kernel when it was built from a checkout
//! (`build.rs`): a kernel installed with `cargo install --path` loads them from here once the
//! checkout is gone. They are written out under the cache root, in a folder named after their
//! SHA-256, since cargo builds them from files; the root's ownership and privacy checks cover
//! them, as the kernel compiles and runs what is there.

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// `(path under the workspace root, contents)`, sorted by path; empty outside a checkout.
static FILES: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/facade_files.rs"));

/// Written last into a complete copy.
const COMPLETE: &str = ".complete";

/// The facade crate's folder in the written-out copy under the cache root, written now if it
/// is not there yet; `None` when the kernel embeds no sources.
pub fn written_out() -> Result<Option<PathBuf>> {
    if FILES.is_empty() {
        return Ok(None);
    }
    let root = super::root();
    super::private_dir(&root)?;
    let chosen = std::env::var_os(super::CACHE_DIR_ENV).is_some();
    // SAFETY: geteuid has no preconditions.
    super::owned_and_private(&root, unsafe { libc::geteuid() }, chosen)?;
    write_out(&root, FILES).map(Some)
}

/// Writes `files` under `root/facade-<hash>` unless a complete copy is there; returns the copy's
/// `crates/neurust`. Kernels starting at once each write a copy of their own and rename it into
/// place: the first rename wins and the others use its copy.
fn write_out(root: &Path, files: &[(&str, &[u8])]) -> Result<PathBuf> {
    let mut hash = Sha256::new();
    for (name, contents) in files {
        hash.update(name.as_bytes());
        hash.update((contents.len() as u64).to_le_bytes());
        hash.update(contents);
    }
    let digest = hex::encode(hash.finalize());
    let dir = root.join(format!("facade-{}", &digest[..16]));
    let facade = dir.join("crates").join("neurust");
    if dir.join(COMPLETE).is_file() {
        super::prune::mark_used(&dir);
        return Ok(facade);
    }
    let tmp = root.join(format!(".facade-{}-{}", std::process::id(), &digest[..8]));
    for _ in 0..2 {
        let _ = std::fs::remove_dir_all(&tmp);
        write_files(&tmp, files)?;
        if std::fs::rename(&tmp, &dir).is_ok() {
            return Ok(facade);
        }
        // Another kernel's copy is in the way (use it), or a broken one (replace it).
        let _ = std::fs::remove_dir_all(&tmp);
        if dir.join(COMPLETE).is_file() {
            return Ok(facade);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    bail!("could not write the neurust sources to {}", dir.display())
}

/// Writes `files` under `dir`, then the mark of a complete copy.
fn write_files(dir: &Path, files: &[(&str, &[u8])]) -> Result<()> {
    for (name, contents) in files {
        if name
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..")
        {
            bail!("embedded source {name:?} is not a plain relative path");
        }
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            super::private_dir(parent)?;
        }
        std::fs::write(&path, contents).with_context(|| path.display().to_string())?;
    }
    std::fs::write(dir.join(COMPLETE), b"").with_context(|| dir.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("neurust-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        dir
    }

    #[test]
    fn the_embedded_sources_are_the_facade_and_its_workspace_crates() {
        let names: Vec<&str> = FILES.iter().map(|(name, _)| *name).collect();
        for needed in [
            "Cargo.toml",
            "crates/neurust/Cargo.toml",
            "crates/neurust/src/lib.rs",
            "crates/neurust-nn/src/lib.rs",
            "crates/neurust-plot/Cargo.toml",
            "crates/neurust-datasets/src/lib.rs",
            "crates/neurust-display/src/lib.rs",
        ] {
            assert!(names.contains(&needed), "{needed} is not embedded");
        }
        assert!(
            names
                .iter()
                .any(|n| n.starts_with("crates/neurust-plot/assets/"))
        );
        let lib = FILES
            .iter()
            .find(|(n, _)| *n == "crates/neurust/src/lib.rs");
        let on_disk = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../neurust/src/lib.rs"
        ));
        assert_eq!(lib.map(|(_, c)| c.to_vec()), on_disk.ok());
    }

    #[test]
    fn a_copy_is_written_once_and_reused() {
        let root = scratch("facade-copy");
        let files: &[(&str, &[u8])] = &[
            ("Cargo.toml", b"[workspace]\n"),
            ("crates/neurust/src/lib.rs", b"pub fn f() {}\n"),
        ];
        let facade = write_out(&root, files).expect("written");
        assert!(facade.ends_with("crates/neurust"));
        let lib = facade.join("src/lib.rs");
        assert_eq!(std::fs::read(&lib).expect("lib.rs"), b"pub fn f() {}\n");
        // A second kernel finds the complete copy and writes nothing.
        std::fs::write(&lib, b"changed").expect("mark");
        assert_eq!(write_out(&root, files).expect("again"), facade);
        assert_eq!(std::fs::read(&lib).expect("lib.rs"), b"changed");
        // Reusing it stamps it, so the cache's pruning keeps it (`prune.rs`).
        let dir = facade.parent().and_then(Path::parent).expect("copy dir");
        assert!(dir.join("last-used").is_file());
        // Other sources get a folder of their own.
        let other: &[(&str, &[u8])] = &[("crates/neurust/src/lib.rs", b"pub fn g() {}\n")];
        assert_ne!(write_out(&root, other).expect("other"), facade);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn a_copy_without_its_mark_is_replaced() {
        let root = scratch("facade-unfinished");
        let files: &[(&str, &[u8])] = &[("crates/neurust/src/lib.rs", b"x")];
        let facade = write_out(&root, files).expect("written");
        let dir = facade.parent().and_then(Path::parent).expect("copy dir");
        std::fs::remove_file(dir.join(COMPLETE)).expect("unmark");
        assert_eq!(write_out(&root, files).expect("rewritten"), facade);
        assert!(dir.join(COMPLETE).is_file());
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn a_path_leaving_the_copy_is_refused() {
        let root = scratch("facade-escape");
        let files: &[(&str, &[u8])] = &[("../escape.rs", b"x")];
        assert!(write_out(&root, files).is_err());
        assert!(!root.parent().expect("parent").join("escape.rs").exists());
        let _ = std::fs::remove_dir_all(&root);
    }
}
