//! Which launches a standby can serve (its key: the executable, the facade and the launch
//! environment) and where its files live; whether standbys are on and how long one waits.
//! Apart from `mod.rs`, so that claiming, starting and serving a standby each use it without
//! using each other.

use sha2::{Digest, Sha256};
use std::ffi::OsString;
use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

/// `0`, `off`, `false` or `no` turn standbys off.
pub const ENABLE_ENV: &str = "NEURUST_STANDBY";
/// Seconds a standby waits to be claimed before it exits.
pub const LIFETIME_ENV: &str = "NEURUST_STANDBY_LIFETIME";
const DEFAULT_LIFETIME: Duration = Duration::from_secs(30 * 60);

static LAUNCH_ENV: OnceLock<Vec<(OsString, OsString)>> = OnceLock::new();

/// Records the environment the kernel was launched with, before it sets its own variables:
/// successors get this one, and the key is computed from it.
pub fn record_launch_env() {
    let _ = LAUNCH_ENV.set(std::env::vars_os().collect());
}

pub(super) fn launch_env() -> &'static [(OsString, OsString)] {
    LAUNCH_ENV.get_or_init(|| std::env::vars_os().collect())
}

pub fn enabled() -> bool {
    let value = launch_env()
        .iter()
        .find(|(name, _)| name == ENABLE_ENV)
        .map(|(_, value)| value.to_string_lossy().to_ascii_lowercase());
    !matches!(value.as_deref(), Some("0" | "off" | "false" | "no"))
}

pub(super) fn lifetime() -> Duration {
    std::env::var(LIFETIME_ENV)
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .map_or(DEFAULT_LIFETIME, Duration::from_secs)
}

/// Variables that differ between launches without changing what a kernel does: Jupyter's
/// per-kernel values and a shell's bookkeeping; and the standby's own lifetime.
fn volatile(name: &OsString) -> bool {
    let name = name.to_string_lossy();
    name.starts_with("JPY_") || matches!(&*name, "PWD" | "OLDPWD" | "SHLVL" | "_" | LIFETIME_ENV)
}

/// Identifies the launches a standby can serve: this executable (path, size and change time),
/// the facade, and every launch variable that is not [`volatile`].
fn key() -> String {
    let mut hash = Sha256::new();
    if let Ok(exe) = std::env::current_exe() {
        hash.update(exe.as_os_str().as_encoded_bytes());
        if let Ok(meta) = std::fs::metadata(&exe) {
            hash.update(meta.len().to_le_bytes());
            hash.update(meta.mtime().to_le_bytes());
            hash.update(meta.mtime_nsec().to_le_bytes());
        }
    }
    hash.update(b"\0facade\0");
    if let Some(facade) = crate::kernel::facade::Facade::find() {
        hash.update(facade.identity().as_bytes());
    }
    let mut vars: Vec<&(OsString, OsString)> =
        launch_env().iter().filter(|(n, _)| !volatile(n)).collect();
    vars.sort();
    for (name, value) in vars {
        hash.update(b"\0");
        hash.update(name.as_encoded_bytes());
        hash.update(b"=");
        hash.update(value.as_encoded_bytes());
    }
    hash.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `<cache root>/standby/<key>.<ext>` (the directory private to this user).
pub(super) fn path(ext: &str) -> std::io::Result<PathBuf> {
    let dir = crate::kernel::cache::root().join("standby");
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&dir)?;
    Ok(dir.join(format!("{}.{ext}", key())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jupyter_and_shell_variables_do_not_change_the_key() {
        for name in [
            "JPY_PARENT_PID",
            "JPY_SESSION_NAME",
            "PWD",
            "OLDPWD",
            "SHLVL",
            "_",
        ] {
            assert!(volatile(&OsString::from(name)), "{name}");
        }
        for name in ["PATH", "HOME", "NEURUST_DATA_DIR", "RUSTFLAGS", ENABLE_ENV] {
            assert!(!volatile(&OsString::from(name)), "{name}");
        }
    }
}
