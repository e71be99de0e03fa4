//! The persistent build cache. evcxr compiles into `EVCXR_TMPDIR/target`; two kernels must not
//! share one tmpdir (they would overwrite each other's sources and outputs), so the cache is a set
//! of slots, `<root>/<key>/slot-N`, each locked by the kernel using it. A kernel takes the first
//! free slot; a slot that was never built is seeded by copying a built slot's `target` (cargo's
//! fingerprints survive the copy because mtimes are preserved), so a second kernel does not
//! rebuild either. The key covers the toolchain, evcxr, this kernel and the facade path.
//! `<root>/<key>/.cargo/config.toml` asks cargo to optimise every dependency fully while the
//! per-cell crate keeps evcxr's own (low) opt-level.

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::Command;

const MAX_SLOTS: usize = 32;

/// evcxr's own settings, read at start-up through `EVCXR_CONFIG_DIR` (changing them later can
/// make evcxr `cargo clean`). Cells compile unoptimised. Dependencies stay statically linked into
/// each cell: evcxr's dynamic mode fails on `#![no_std]` crates such as `cfg-if`, which the
/// neurust crates pull in; see `execute.rs` for how per-process state still reaches every cell.
const EVCXR_TOML: &str = r#"# Written by neurust-kernel.
[evcxr]
opt_level = "0"
allow_static_linking = true
preserve_vars_on_panic = true
"#;

const CARGO_CONFIG: &str = r#"# Written by neurust-kernel: dependencies at full speed, debug checks off.
[profile.dev.package."*"]
opt-level = 3
debug-assertions = false
overflow-checks = false
"#;

/// A locked slot. The lock lasts as long as this value.
pub struct Slot {
    pub dir: PathBuf,
    /// Directory holding the evcxr.toml to use (for `EVCXR_CONFIG_DIR`).
    pub evcxr_config: PathBuf,
    pub seeded_from: Option<PathBuf>,
    _lock: File,
}

pub fn root() -> PathBuf {
    if let Some(dir) = std::env::var_os("NEURUST_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("neurust").join("kernel")
}

/// Identifies compatible builds: rustc's version, evcxr, this kernel and the facade location.
pub fn key(facade: Option<&Path>) -> String {
    let rustc = Command::new("rustc")
        .arg("-vV")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let mut hash = Sha256::new();
    hash.update(rustc.as_bytes());
    hash.update(b"evcxr 0.22.0\0");
    hash.update(env!("CARGO_PKG_VERSION").as_bytes());
    hash.update(CARGO_CONFIG.as_bytes());
    hash.update(EVCXR_TOML.as_bytes());
    if let Some(facade) = facade {
        hash.update(facade.to_string_lossy().as_bytes());
    }
    let digest = hex::encode(hash.finalize());
    let version = rustc
        .lines()
        .find_map(|l| l.strip_prefix("release: "))
        .unwrap_or("unknown")
        .to_owned();
    format!("rustc-{version}-{}", &digest[..16])
}

/// Locks a slot under `<root>/<key>`, seeding it from a built one when it is empty.
pub fn acquire(key: &str) -> Result<Slot> {
    acquire_in(&root(), key)
}

fn acquire_in(root: &Path, key: &str) -> Result<Slot> {
    let base = root.join(key);
    write_if_changed(&base.join(".cargo").join("config.toml"), CARGO_CONFIG)?;
    write_if_changed(&base.join("evcxr-config").join("evcxr.toml"), EVCXR_TOML)?;
    for n in 0..MAX_SLOTS {
        let dir = base.join(format!("slot-{n}"));
        let Some(lock) = try_lock(&base.join(format!("slot-{n}.lock")))? else {
            continue;
        };
        std::fs::create_dir_all(&dir)?;
        let mut seeded_from = None;
        if !dir.join("target").is_dir() {
            seeded_from = seed(&base, &dir, n);
        }
        return Ok(Slot {
            dir,
            evcxr_config: base.join("evcxr-config"),
            seeded_from,
            _lock: lock,
        });
    }
    bail!(
        "all {MAX_SLOTS} cache slots under {} are in use",
        base.display()
    )
}

/// Writes through a temporary file and a rename, so a kernel starting at the same moment never
/// reads a half-written file; skips the write when the content is already there.
fn write_if_changed(path: &Path, content: &str) -> Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == content) {
        return Ok(());
    }
    let dir = path.parent().context("cache file without a parent")?;
    std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
    let tmp = dir.join(format!(".tmp-{}", std::process::id()));
    std::fs::write(&tmp, content)?;
    std::fs::rename(&tmp, path).with_context(|| path.display().to_string())?;
    Ok(())
}

/// A slot is a seed source only once a kernel has finished its preload in it (a slot whose
/// first build was cut short may hold a partial `target`).
fn is_built(dir: &Path) -> bool {
    dir.join(READY_MARKER).is_file() && dir.join("target").is_dir()
}

const READY_MARKER: &str = ".neurust-ready";

impl Slot {
    /// Records that the preload finished here, so other kernels may copy this slot.
    pub fn mark_ready(&self) {
        let _ = std::fs::write(self.dir.join(READY_MARKER), b"");
    }
}

/// Copies `target` from a built slot: preferably an idle one (locked while copying).
fn seed(base: &Path, dir: &Path, own: usize) -> Option<PathBuf> {
    let built: Vec<usize> = (0..MAX_SLOTS)
        .filter(|n| *n != own && is_built(&base.join(format!("slot-{n}"))))
        .collect();
    let idle = built.iter().find_map(|n| {
        let lock = try_lock(&base.join(format!("slot-{n}.lock"))).ok()??;
        Some((*n, Some(lock)))
    });
    let (source, _lock) = idle.or_else(|| built.first().map(|n| (*n, None)))?;
    let from = base.join(format!("slot-{source}"));
    let tmp = dir.join("target.seeding");
    let _ = std::fs::remove_dir_all(&tmp);
    let copied = Command::new("cp")
        .arg("-a")
        .arg("--reflink=auto")
        .arg(from.join("target"))
        .arg(&tmp)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if copied && std::fs::rename(&tmp, dir.join("target")).is_ok() {
        let _ = std::fs::copy(from.join("Cargo.lock"), dir.join("Cargo.lock"));
        Some(from)
    } else {
        let _ = std::fs::remove_dir_all(&tmp);
        None
    }
}

fn try_lock(path: &Path) -> Result<Option<File>> {
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .with_context(|| path.display().to_string())?;
    // SAFETY: flock on a file descriptor we own; no memory is shared with the kernel.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    Ok((rc == 0).then_some(file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concurrent_kernels_get_separate_slots_and_seed_from_a_ready_one() {
        let root = std::env::temp_dir().join(format!("neurust-cache-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let first = acquire_in(&root, "k").expect("slot");
        assert!(first.dir.ends_with("slot-0"));
        std::fs::create_dir_all(first.dir.join("target/deps")).expect("target");
        std::fs::write(first.dir.join("target/deps/libdep.rlib"), b"built").expect("file");
        first.mark_ready();
        let second = acquire_in(&root, "k").expect("second slot while the first is held");
        assert!(second.dir.ends_with("slot-1"));
        assert_eq!(second.seeded_from.as_deref(), Some(first.dir.as_path()));
        let copied = std::fs::read(second.dir.join("target/deps/libdep.rlib")).expect("copied");
        assert_eq!(copied, b"built");
        drop(first);
        let third = acquire_in(&root, "k").expect("the freed slot is reused");
        assert!(third.dir.ends_with("slot-0"));
        assert!(third.seeded_from.is_none());
        drop((second, third));
        let _ = std::fs::remove_dir_all(&root);
    }
}
