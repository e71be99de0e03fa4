//! Starts evcxr as `CommandContext::new` does, except that the user-code process writes its
//! stderr into the kernel's own pipe (`user_stderr.rs`), through evcxr's public
//! `EvalContext::with_subprocess_command`.

use crate::kernel::user_stderr::UserStderr;
use crossbeam_channel::Receiver;
use evcxr::{CommandContext, EvalContext};
use neurust_stream::Piece;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What the user-code process writes, as the kernel receives it.
pub struct Outputs {
    /// stdout lines, read by evcxr (through the relay in the user-code process).
    pub stdout: Receiver<String>,
    /// stderr, read by the kernel; the handle keeps the pipe open and can settle it.
    pub stderr: (UserStderr, Receiver<Piece>),
}

pub fn new() -> anyhow::Result<(CommandContext, Outputs)> {
    let exe = std::env::current_exe()?;
    add_cargo_beside(&exe);
    let (stderr, pieces) = UserStderr::open()?;
    let mut command = Command::new(exe);
    stderr.attach(&mut command);
    let (eval, outputs) =
        EvalContext::with_subprocess_command(command).map_err(|e| anyhow::anyhow!("{e}"))?;
    stderr.relay_evcxr(outputs.stderr);
    let stderr = (stderr, pieces);
    let outputs = Outputs {
        stdout: outputs.stdout,
        stderr,
    };
    Ok((CommandContext::with_eval_context(eval), outputs))
}

/// evcxr's own start-up finds `cargo` beside the kernel's executable when it is not on PATH
/// (an installation that ships both together); so does this one.
fn add_cargo_beside(exe: &Path) {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
    if dirs.iter().any(|dir| dir.join("cargo").is_file()) {
        return;
    }
    let Some(dir) = exe.parent().filter(|dir| dir.join("cargo").is_file()) else {
        return;
    };
    dirs.push(dir.to_owned());
    if let Ok(joined) = std::env::join_paths(dirs) {
        // SAFETY: only where cargo is not on PATH, before evcxr starts; evcxr's own start-up
        // makes the same change at the same point, with the kernel's other threads running.
        unsafe { std::env::set_var("PATH", joined) };
    }
}
