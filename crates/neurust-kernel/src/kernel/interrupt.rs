//! Interrupting a running cell. A watchdog follows the cell until it ends: a running cargo is
//! killed (the compile fails, nothing ran, every variable stays); once user code runs, the
//! user-code process gets SIGINT (the neurust facade turns that into "stop at the next batch");
//! if the cell is still running `GRACE` later, the process is killed and evcxr restarts it.
//! At shutdown, `kill_descendants` ends the whole tree below the kernel.

use crate::kernel::running_cell::RunningCell;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const GRACE: Duration = Duration::from_secs(2);
const POLL: Duration = Duration::from_millis(25);

pub fn request(shared: &Arc<RunningCell>) {
    let Some(generation) = shared.current_generation() else {
        return;
    };
    if shared.interrupted() {
        return; // a watchdog is already on it
    }
    shared.mark_interrupted();
    let shared = Arc::clone(shared);
    std::thread::spawn(move || watch(&shared, generation));
}

fn watch(shared: &RunningCell, generation: u64) {
    let mut signalled: Option<(u32, Instant)> = None;
    while shared.busy_with(generation) {
        if cancel_compilers() {
            std::thread::sleep(POLL);
            continue;
        }
        let pid = shared.child_pid();
        match signalled {
            None if pid != 0 && !waiting_for_command(pid) => {
                signal(pid, libc::SIGINT);
                signalled = Some((pid, Instant::now()));
            }
            Some((signalled_pid, at)) if at.elapsed() >= GRACE && signalled_pid == pid => {
                signal(pid, libc::SIGKILL);
                return;
            }
            _ => {}
        }
        std::thread::sleep(POLL);
    }
}

/// Whether the user-code process is idle, blocked reading its next command (so the kernel is
/// still analysing or compiling, and no user code is running).
fn waiting_for_command(pid: u32) -> bool {
    let syscall = std::path::PathBuf::from(format!("/proc/{pid}/syscall"));
    crate::common::read_waits::blocked_reading(&syscall, crate::common::contract::COMMAND_FD)
}

fn signal(pid: u32, sig: libc::c_int) {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return;
    };
    // SAFETY: kill(2) has no memory-safety preconditions; a stale pid only yields ESRCH.
    unsafe {
        libc::kill(pid, sig);
    }
}

/// Kills any cargo (and its rustc children) that this kernel is running. Returns whether it
/// found one.
fn cancel_compilers() -> bool {
    let cargos: Vec<u32> = children_of(std::process::id())
        .into_iter()
        .filter(|(_, name)| name == "cargo")
        .map(|(pid, _)| pid)
        .collect();
    for pid in &cargos {
        for (child, _) in children_of(*pid) {
            signal(child, libc::SIGKILL);
        }
        signal(*pid, libc::SIGKILL);
    }
    !cargos.is_empty()
}

/// Kills every process below this one: the user-code process, and any cargo or rustc still
/// compiling a cell, which would otherwise outlive a shutdown. The tree is frozen with SIGSTOP
/// first (until a pass finds nothing new), so nothing can spawn a child that escapes the kill.
/// The standby this kernel started (and what it runs) is spared: it serves the next launch.
pub fn kill_descendants() {
    let spare = crate::kernel::standby::successor::successor_pid();
    let mut stopped: Vec<u32> = Vec::new();
    for _ in 0..20 {
        let fresh: Vec<u32> = descendants(std::process::id(), spare)
            .into_iter()
            .filter(|pid| !stopped.contains(pid))
            .collect();
        if fresh.is_empty() {
            break;
        }
        for pid in fresh {
            signal(pid, libc::SIGSTOP);
            stopped.push(pid);
        }
    }
    for pid in stopped {
        signal(pid, libc::SIGKILL);
    }
}

/// Every process below `root`, except `spare` and the processes below it.
fn descendants(root: u32, spare: u32) -> Vec<u32> {
    let table = processes();
    let mut found = Vec::new();
    let mut todo = vec![root];
    while let Some(parent) = todo.pop() {
        for (pid, ppid, _) in &table {
            if *ppid == parent && *pid != spare && !found.contains(pid) {
                found.push(*pid);
                todo.push(*pid);
            }
        }
    }
    found
}

/// (pid, command name) of the direct children of `parent`, read from /proc.
fn children_of(parent: u32) -> Vec<(u32, String)> {
    processes()
        .into_iter()
        .filter(|(_, ppid, _)| *ppid == parent)
        .map(|(pid, _, name)| (pid, name))
        .collect()
}

/// (pid, parent pid, command name) of every process, read from /proc.
fn processes() -> Vec<(u32, u32, String)> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // Format: pid (comm) state ppid ...; comm may contain spaces and parentheses.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let ppid = stat[close + 1..]
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse::<u32>().ok());
        if let Some(ppid) = ppid {
            found.push((pid, ppid, stat[open + 1..close].to_owned()));
        }
    }
    found
}
