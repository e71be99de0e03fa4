//! The user-code process's command loop, in place of evcxr's own (same commands, same replies).
//!
//! evcxr sends commands on the process's stdin. Its loop reads them from fd 0, which is also
//! where a cell's `std::io::stdin()` reads: such a read waited for the next command, which
//! never came, and an interrupt could not tell it from an idle process, so the kernel hung
//! until a restart cost every variable. This loop moves the commands to [`COMMAND_FD`] and
//! gives user code a stdin of its own: a pipe with no writer, where a read ends at once with
//! end-of-file, unless the kernel is feeding it input from the notebook (`kernel/stdin.rs`).

use std::ffi::{CStr, CString, c_void};
use std::io::{BufRead, BufReader};
use std::os::fd::{FromRawFd, RawFd};

use crate::child::cell::{self, flush_user_stdout};
use crate::child::relay;
use crate::common::contract::COMMAND_FD;
// What the loop writes to stderr after each cell, after the per-process tag. evcxr reads stderr
// by lines, so text a cell left there without a newline (`eprint!`) waited for the next
// newline, cells later; this line ends it, and the kernel removes the marker
// (`kernel/output.rs`). The tag makes it the runtime's: a cell printing the marker's name ends
// nothing.
use neurust_stream::sort::STDERR_END;
use neurust_stream::sort::{CELL_END, CELL_START};

/// What evcxr sends to run a cell: `LOAD_AND_RUN <library path> <function name>`.
const LOAD_AND_RUN: &str = "LOAD_AND_RUN ";

type CellFn = extern "C" fn(*mut c_void) -> *mut c_void;

/// Runs the loop if this process is evcxr's user-code process; otherwise returns.
pub fn hook() {
    if std::env::var_os("EVCXR_IS_RUNTIME").is_none() {
        return;
    }
    let commands = match move_commands() {
        Ok(fd) => fd,
        Err(e) => {
            // Without the move, evcxr's own loop still works (stdin reads then hang, as before);
            // it tags nothing, so the relay must pass its lines on as they are.
            eprintln!("neurust-kernel: user code keeps evcxr's stdin ({e})");
            relay::trust_untagged();
            return;
        }
    };
    // The relay and the kernel know the runtime's lines by this tag (`neurust_stream::tag`).
    let tag = neurust_stream::tag::from_env().unwrap_or_default();
    // SAFETY: `commands` is a descriptor `move_commands` opened and nothing else owns.
    let commands = BufReader::new(unsafe { std::fs::File::from_raw_fd(commands) });
    let mut variables: *mut c_void = std::ptr::null_mut();
    for line in commands.lines() {
        let Ok(line) = line else { break };
        // Anything else (the answer evcxr sends to an `evcxr_input` prompt, which `kernel/stdin.rs`
        // has already delivered on fd 0) is not a command.
        let Some(rest) = line.strip_prefix(LOAD_AND_RUN) else {
            continue;
        };
        let Some((library, function)) = rest.rsplit_once(' ') else {
            continue;
        };
        match load(library, function) {
            Ok(function) => {
                // In the stream, so the relay knows which output came during the cell.
                println!("{tag}{CELL_START}");
                cell::set_running(true);
                relay::wake();
                variables = function(variables);
                cell::set_running(false);
            }
            Err(e) => {
                eprintln!("While processing instruction `{line}`, got error: {e}");
                std::process::exit(99);
            }
        }
        // Text the cell printed without a newline shows now, not with the next cell's output.
        flush_user_stdout();
        eprintln!("{tag}{STDERR_END}");
        println!("{tag}{CELL_END}"); // a line: stdout passes it on at once
    }
    std::process::exit(0);
}

/// Copies the command pipe to [`COMMAND_FD`] and puts a writer-less pipe on fd 0.
fn move_commands() -> std::io::Result<RawFd> {
    let check = |r: libc::c_int| {
        if r < 0 {
            Err(std::io::Error::last_os_error())
        } else {
            Ok(r)
        }
    };
    // SAFETY: plain descriptor syscalls; fd 0 is replaced only once the copy exists.
    unsafe {
        let commands = check(libc::fcntl(0, libc::F_DUPFD_CLOEXEC, COMMAND_FD))?;
        let mut ends = [0 as RawFd; 2];
        check(libc::pipe2(ends.as_mut_ptr(), libc::O_CLOEXEC))?;
        let moved = check(libc::dup2(ends[0], 0));
        libc::close(ends[0]);
        libc::close(ends[1]);
        moved?;
        Ok(commands)
    }
}

/// Loads a cell's library (never unloaded: values and code of later cells may point into it)
/// and finds its entry point.
fn load(library: &str, function: &str) -> Result<CellFn, String> {
    let path = CString::new(library).map_err(|e| e.to_string())?;
    let name = CString::new(function).map_err(|e| e.to_string())?;
    // SAFETY: dlopen/dlsym with valid C strings; the library stays loaded for the process's
    // life, so the function pointer stays valid; its signature is the one evcxr generates.
    unsafe {
        let handle = libc::dlopen(path.as_ptr(), libc::RTLD_LAZY | libc::RTLD_LOCAL);
        if handle.is_null() {
            return Err(dl_error());
        }
        let symbol = libc::dlsym(handle, name.as_ptr());
        if symbol.is_null() {
            return Err(dl_error());
        }
        Ok(std::mem::transmute::<*mut c_void, CellFn>(symbol))
    }
}

fn dl_error() -> String {
    // SAFETY: dlerror returns null or a C string valid until the next dl* call on this thread.
    unsafe {
        let text = libc::dlerror();
        if text.is_null() {
            "unknown dynamic-loader error".to_owned()
        } else {
            CStr::from_ptr(text).to_string_lossy().into_owned()
        }
    }
}
