//! The launched side of a claim: `neurust-kernel run` hands its connection file to a standby,
//! then stays as the process Jupyter knows until that kernel exits.
//!
//! The exchange is one JSON line each way on the standby's socket: the request names the
//! connection file, the launch directory and this process's id; the answer says whether the
//! standby now serves (with its process id) or why not. The connection then stays open for the
//! kernel's lifetime: its end tells this process that the kernel exited, and this process's end
//! (however it dies) tells the kernel to shut down.

use super::launch::{enabled, path};
use crate::kernel::log::log;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

/// How long the standby may take to bind the ports and answer.
const ANSWER_WITHIN: Duration = Duration::from_secs(20);

/// Hands `connection_file` to a waiting standby. `None` when there is none (or it refused):
/// the caller starts the kernel itself. Otherwise returns, with the exit code to use, only once
/// the kernel that took over has exited.
pub fn claim(connection_file: &Path) -> Option<i32> {
    if !enabled() {
        return None;
    }
    let socket = path("sock").ok()?;
    let stream = UnixStream::connect(&socket).ok()?;
    let file = connection_file
        .canonicalize()
        .unwrap_or_else(|_| connection_file.to_owned());
    let cwd = std::env::current_dir().ok()?;
    let request = json!({
        "claim": file.to_str()?,
        "cwd": cwd.to_str()?,
        "pid": std::process::id(),
    });
    let answer = match exchange(&stream, &request) {
        Ok(answer) => answer,
        Err(e) => {
            log(&format!(
                "the standby engine did not answer ({e}); starting here"
            ));
            return None;
        }
    };
    let Some(pid) = answer["pid"].as_i64().filter(|_| answer["ok"] == true) else {
        let why = answer["why"].as_str().unwrap_or("no reason given");
        log(&format!(
            "the standby engine refused ({why}); starting here"
        ));
        return None;
    };
    log(&format!(
        "a standby engine (process {pid}) serves this kernel"
    ));
    forward_interrupts(pid);
    let _ = stream.set_read_timeout(None);
    let mut rest = Vec::new();
    let _ = (&stream).read_to_end(&mut rest);
    Some(0)
}

/// Sends `request` (`{"stop": true}` or `{"status": true}`) to the standby waiting for this
/// environment; `None` when there is none.
pub fn ask(request: &Value) -> Option<Value> {
    let socket = path("sock").ok()?;
    let stream = UnixStream::connect(&socket).ok()?;
    exchange(&stream, request).ok()
}

fn exchange(mut stream: &UnixStream, request: &Value) -> std::io::Result<Value> {
    stream.set_read_timeout(Some(ANSWER_WITHIN))?;
    stream.write_all(format!("{request}\n").as_bytes())?;
    let mut line = String::new();
    BufReader::new(stream).read_line(&mut line)?;
    serde_json::from_str(&line).map_err(|e| std::io::Error::other(format!("bad answer: {e}")))
}

/// Passes SIGINT on to the serving kernel (a terminal's Ctrl-C, or Jupyter's `signal`
/// interrupt mode, reach this process, not that one).
fn forward_interrupts(pid: i64) {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return;
    };
    // SAFETY: plain signal-mask calls on a local, initialised set. SIGINT is blocked on this
    // thread before the forwarding thread exists, so both inherit the mask and only `sigwait`
    // receives it.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGINT);
        if libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) != 0 {
            return;
        }
        std::thread::spawn(move || {
            loop {
                let mut signal = 0;
                if libc::sigwait(&set, &mut signal) == 0 {
                    libc::kill(pid, libc::SIGINT);
                }
            }
        });
    }
}
