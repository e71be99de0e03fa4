//! The persistent build cache. evcxr compiles into `EVCXR_TMPDIR/target`; two kernels must not
//! share one tmpdir (they would overwrite each other's sources and outputs), so the cache is a set
//! of slots, `<root>/<key>/slot-N`, each locked by the kernel using it. A kernel takes the first
//! free slot; a slot that was never built is seeded by copying a built slot's `target` (cargo's
//! fingerprints survive the copy because mtimes are preserved), so a second kernel does not
//! rebuild either. When nothing is built yet but another kernel is building, a new kernel waits
//! for that build and copies it rather than building the same crates beside it (on two cores two
//! cold builds at once take about twice as long each). The key covers the toolchain, evcxr, this kernel and where the facade comes from.
//! `<root>/<key>/.cargo/config.toml` asks cargo to optimise every dependency fully while the
//! per-cell crate keeps evcxr's own (low) opt-level.

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;

/// evcxr's own settings, read at start-up through `EVCXR_CONFIG_DIR` (changing them later can
/// make evcxr `cargo clean`). Cells compile unoptimised. Dependencies stay statically linked into
/// each cell: evcxr's dynamic mode fails on `#![no_std]` crates such as `cfg-if`, which the
/// neurust crates pull in; see neurust-nn's `process.rs` for how per-process state still reaches every cell.
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

/// The variable that chooses the cache root.
const CACHE_DIR_ENV: &str = "NEURUST_CACHE_DIR";

/// `NEURUST_CACHE_DIR`, else `$XDG_CACHE_HOME/neurust/kernel`, else
/// `~/.cache/neurust/kernel`; with neither variable set, a directory of this user's own in the
/// temporary directory (named after the user id: a shared name there could be made first by
/// someone else).
pub fn root() -> PathBuf {
    if let Some(dir) = std::env::var_os(CACHE_DIR_ENV) {
        return PathBuf::from(dir);
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")));
    match base {
        Some(base) => base.join("neurust").join("kernel"),
        // SAFETY: geteuid has no preconditions.
        None => std::env::temp_dir().join(format!("neurust-kernel-{}", unsafe { libc::geteuid() })),
    }
}

/// Identifies compatible builds: rustc's version, evcxr, this kernel and the facade's identity.
pub fn key(facade: Option<&str>) -> String {
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
        hash.update(facade.as_bytes());
    }
    let digest = hex::encode(hash.finalize());
    let version = rustc
        .lines()
        .find_map(|l| l.strip_prefix("release: "))
        .unwrap_or("unknown")
        .to_owned();
    format!("rustc-{version}-{}", &digest[..16])
}

/// Locks a slot under `<root>/<key>`; [`Slot::fill`] then seeds it if it is empty.
pub fn acquire(key: &str) -> Result<Slot> {
    acquire_in(&root(), key)
}

fn acquire_in(root: &Path, key: &str) -> Result<Slot> {
    private_dir(root)?;
    let chosen = std::env::var_os(CACHE_DIR_ENV).is_some();
    // SAFETY: geteuid has no preconditions.
    owned_and_private(root, unsafe { libc::geteuid() }, chosen)?;
    let base = root.join(key);
    let mut attempts = 0;
    let key_lock = loop {
        write_if_changed(&base.join(".cargo").join("config.toml"), CARGO_CONFIG)?;
        write_if_changed(&base.join("evcxr-config").join("evcxr.toml"), EVCXR_TOML)?;
        prune::mark_used(&base);
        if let Some(lock) = prune::hold_key(&base)? {
            break lock;
        }
        attempts += 1;
        if attempts == 3 {
            bail!("the build cache {} keeps being removed", base.display());
        }
    };
    for n in 0..MAX_SLOTS {
        let dir = base.join(format!("slot-{n}"));
        let Some(lock) = try_lock(&base.join(format!("slot-{n}.lock")))? else {
            continue;
        };
        private_dir(&dir)?;
        prune_cell_libraries(&dir);
        return Ok(Slot {
            dir,
            evcxr_config: base.join("evcxr-config"),
            base,
            index: n,
            _lock: lock,
            _key_lock: key_lock,
        });
    }
    bail!(
        "all {MAX_SLOTS} cache slots under {} are in use",
        base.display()
    )
}

impl Slot {
    /// Removes the other keys' caches that no kernel has used for [`STALE_AFTER`].
    /// Returns their names.
    pub fn prune_stale_keys(&self) -> Vec<String> {
        match (self.base.parent(), self.base.file_name()) {
            (Some(root), Some(key)) => {
                prune::prune_stale_keys(root, &key.to_string_lossy(), STALE_AFTER)
            }
            _ => Vec::new(),
        }
    }
}

/// Removes the cell libraries (`libcode_<n>.so`, one per cell, loaded once) that the slot's
/// previous session left in `target/<triple>/debug`. Nothing reads them again, and a long
/// session leaves hundreds; cargo's own outputs stay.
fn prune_cell_libraries(slot: &Path) {
    let Ok(triples) = std::fs::read_dir(slot.join("target")) else {
        return;
    };
    for triple in triples.flatten() {
        let Ok(files) = std::fs::read_dir(triple.path().join("debug")) else {
            continue;
        };
        for file in files.flatten() {
            if crate::common::contract::is_cell_library(&file.file_name().to_string_lossy()) {
                let _ = std::fs::remove_file(file.path());
            }
        }
    }
}

/// Writes through a temporary file and a rename, so a kernel starting at the same moment never
/// reads a half-written file; skips the write when the content is already there.
fn write_if_changed(path: &Path, content: &str) -> Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == content) {
        return Ok(());
    }
    let dir = path.parent().context("cache file without a parent")?;
    private_dir(dir)?;
    let tmp = dir.join(format!(".tmp-{}", std::process::id()));
    std::fs::write(&tmp, content)?;
    std::fs::rename(&tmp, path).with_context(|| path.display().to_string())?;
    Ok(())
}

/// Creates a directory (and missing parents) readable and writable by this user only: the
/// cache holds code that the kernel loads and runs.
fn private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| dir.display().to_string())
}

pub mod facade_source;
mod fill;
mod forget;
pub mod lock;
mod owner;
mod prune;
mod seed;
mod slot;
pub use fill::Filling;
pub use forget::forget_neurust;
use owner::owned_and_private;
pub use prune::STALE_AFTER;
pub use slot::Slot;
use slot::{MAX_SLOTS, try_lock};
#[cfg(test)]
mod tests;
