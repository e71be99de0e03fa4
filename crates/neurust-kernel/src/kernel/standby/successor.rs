//! Starting standbys: the one a serving kernel leaves for the next launch, and one started by
//! hand (`neurust-kernel standby start`, which `scripts/lab` runs before opening JupyterLab).
//!
//! A standby reads its standard input before it prepares anything: a byte or the end of input
//! means "go". A serving kernel keeps the writing end and closes it once it has been idle for a
//! moment, so the standby's compiling does not slow the user's first cells; the end of input
//! also comes when the kernel exits (a restart then finds a standby already under way). A
//! standby started by hand gets no input at all and prepares at once.

use super::launch::{enabled, launch_env, path};
use crate::kernel::log::log;
use std::os::unix::process::CommandExt;
use std::process::{ChildStdin, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

/// The successor's process id while it is this kernel's child, so that a shutdown, which ends
/// every process below the kernel, spares it.
static SUCCESSOR_PID: AtomicU32 = AtomicU32::new(0);

pub fn successor_pid() -> u32 {
    SUCCESSOR_PID.load(Ordering::SeqCst)
}

/// The standby this kernel leaves behind, until it is told to go.
#[derive(Default)]
pub struct Successor {
    go: Mutex<Option<ChildStdin>>,
}

impl Successor {
    /// Starts the successor, waiting for its go (nothing when standbys are off, or when another
    /// standby for this environment exists already).
    pub fn spawn(&self) {
        if !enabled() || held() {
            return;
        }
        match command().stdin(Stdio::piped()).spawn() {
            Ok(mut child) => {
                SUCCESSOR_PID.store(child.id(), Ordering::SeqCst);
                if let Ok(mut go) = self.go.lock() {
                    *go = child.stdin.take();
                }
                // Reaps it when it exits (it may serve a later kernel and outlive this one).
                std::thread::spawn(move || child.wait());
            }
            Err(e) => log(&format!("could not start a standby engine: {e}")),
        }
    }

    /// Lets the successor prepare.
    pub fn go(&self) {
        if let Ok(mut go) = self.go.lock() {
            go.take();
        }
    }
}

/// Starts a standby that prepares at once and outlives this process.
pub fn start_detached() -> std::io::Result<()> {
    if held() {
        return Ok(());
    }
    command().stdin(Stdio::null()).spawn().map(drop)
}

/// A standby for this environment exists (its lock file is held).
fn held() -> bool {
    let Ok(lock) = path("lock") else {
        return false;
    };
    let Ok(file) = std::fs::File::open(lock) else {
        return false;
    };
    // SAFETY: flock on a descriptor this function owns.
    let free = unsafe {
        libc::flock(
            std::os::fd::AsRawFd::as_raw_fd(&file),
            libc::LOCK_SH | libc::LOCK_NB,
        )
    } == 0;
    !free
}

/// `neurust-kernel standby serve` in a session of its own (so a signal to the launching
/// kernel's process group spares it), with the launch environment, its log in
/// `<key>.log` beside its socket.
fn command() -> Command {
    let exe = std::env::current_exe().unwrap_or_else(|_| "neurust-kernel".into());
    let mut command = Command::new(exe);
    command
        .args(["standby", "serve"])
        .env_clear()
        .envs(launch_env().iter().map(|(n, v)| (n, v)))
        .stdout(Stdio::null());
    let log_file = path("log").and_then(|p| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(p)
    });
    command.stderr(log_file.map_or(Stdio::null(), Stdio::from));
    // SAFETY: setsid is async-signal-safe and touches no memory of the parent.
    unsafe {
        command.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    command
}
