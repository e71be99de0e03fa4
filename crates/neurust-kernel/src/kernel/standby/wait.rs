//! The standby's side (`neurust-kernel standby serve`): take this environment's lock, listen,
//! wait for the go, prepare a kernel, wait for a claim, then serve it as the kernel.
//!
//! While it waits it answers `{"stop": true}` (and exits) and claims; it exits by itself after
//! its lifetime, or once its executable has been replaced (a rebuilt kernel would not match the
//! launches it serves). A claim that cannot be served (an unreadable connection file) is
//! refused and the standby waits on; one whose ports cannot be bound is refused and the
//! standby exits, since its sockets may be half set up.

use super::launch::{lifetime, path};
use crate::kernel::engine::Job;
use crate::kernel::log::log;
use crate::kernel::run::{self, Prepared};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// How often a waiting standby checks its lifetime and executable.
const CHECK_EVERY: Duration = Duration::from_secs(5);

enum Event {
    Go,
    Connection(UnixStream),
}

/// A claim's request: the connection file, the launch directory, the launcher's process id.
struct Claim {
    stream: UnixStream,
    file: PathBuf,
    cwd: PathBuf,
    pid: u32,
}

pub fn serve() -> anyhow::Result<()> {
    let Some(lock) = take_lock()? else {
        return Ok(()); // another standby serves this environment
    };
    let socket = path("sock")?;
    let _ = std::fs::remove_file(&socket); // left by a standby that died; the lock is ours
    let listener = UnixListener::bind(&socket)?;
    let environment = run::prepare_environment()?;
    let born = Instant::now();
    log(&format!(
        "standby {} waiting (socket {})",
        std::process::id(),
        socket.display()
    ));
    let events = listen(listener);
    let mut claim = None;
    while claim.is_none() {
        match next(&events, born) {
            Ok(Event::Go) => break,
            Ok(Event::Connection(stream)) => claim = request(stream, "waiting"),
            Err(why) => {
                log(&format!("standby exits: {why}"));
                return Ok(());
            }
        }
    }
    let prepared = Prepared::start(environment, Instant::now())?;
    log("standby preparing");
    loop {
        let claim = match claim.take() {
            Some(claim) => claim,
            None => match next(&events, born) {
                Ok(Event::Connection(stream)) => match request(stream, prepared.state()) {
                    Some(claim) => claim,
                    None => continue,
                },
                Ok(Event::Go) => continue,
                Err(why) => {
                    log(&format!("standby exits: {why}"));
                    crate::kernel::dispatch::terminate(prepared.shared(), 0);
                }
            },
        };
        let info = match run::read_connection(&claim.file) {
            Ok(info) => info,
            Err(e) => {
                answer(
                    &claim.stream,
                    &json!({ "ok": false, "why": format!("{e:#}") }),
                );
                continue;
            }
        };
        // From here on this process is a kernel: the next standby may take the lock.
        let _ = std::fs::remove_file(&socket);
        drop(lock);
        adopt_output(claim.pid);
        let shared = std::sync::Arc::clone(prepared.shared());
        let jobs = prepared.engine.jobs.clone();
        let serving = match prepared.bind(&info) {
            Ok(serving) => serving,
            Err(e) => {
                answer(
                    &claim.stream,
                    &json!({ "ok": false, "why": format!("{e:#}") }),
                );
                crate::kernel::dispatch::terminate(&shared, 1);
            }
        };
        // Before any request can reach the engine.
        let _ = jobs.send(Job::Adopt(claim.cwd));
        answer(
            &claim.stream,
            &json!({ "ok": true, "pid": std::process::id() }),
        );
        log(&format!(
            "standby claimed by process {} for {}",
            claim.pid,
            claim.file.display()
        ));
        serving.run(Some(claim.stream));
        return Ok(());
    }
}

/// This environment's lock, or `None` when another standby holds it. A few tries: a kernel
/// checking whether a standby exists holds it shared for an instant.
fn take_lock() -> anyhow::Result<Option<std::fs::File>> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path("lock")?)?;
    for _ in 0..10 {
        // SAFETY: flock on a descriptor this function owns.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
            return Ok(Some(file));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(None)
}

/// The go (standard input: a byte or its end) and each connection, as events.
fn listen(listener: UnixListener) -> Receiver<Event> {
    let (tx, rx) = channel();
    let go = tx.clone();
    std::thread::spawn(move || {
        let mut byte = [0u8; 1];
        let _ = std::io::stdin().read(&mut byte);
        let _ = go.send(Event::Go);
    });
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            if tx.send(Event::Connection(stream)).is_err() {
                break;
            }
        }
    });
    rx
}

/// The next event; an error once the standby should exit.
fn next(events: &Receiver<Event>, born: Instant) -> Result<Event, String> {
    loop {
        match events.recv_timeout(CHECK_EVERY) {
            Ok(event) => return Ok(event),
            Err(RecvTimeoutError::Disconnected) => return Err("no more events".into()),
            Err(RecvTimeoutError::Timeout) => {}
        }
        if born.elapsed() >= lifetime() {
            return Err(format!("unclaimed for {} s", lifetime().as_secs()));
        }
        if executable_replaced() {
            return Err("its executable was replaced".into());
        }
    }
}

/// Reads one request from a connection: a claim is returned; a status request is answered
/// with `state` ("waiting" for its go, "preparing" or "ready"); a stop is answered and ends the
/// process; anything else is answered with a refusal.
fn request(stream: UnixStream, state: &str) -> Option<Claim> {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut line = String::new();
    BufReader::new(&stream).read_line(&mut line).ok()?;
    let request: Value = serde_json::from_str(&line).ok()?;
    if request["stop"] == true {
        answer(&stream, &json!({ "ok": true }));
        log("standby stopped on request");
        std::process::exit(0);
    }
    if request["status"] == true {
        let pid = std::process::id();
        answer(&stream, &json!({ "ok": true, "pid": pid, "state": state }));
        return None;
    }
    let (Some(file), Some(cwd), Some(pid)) = (
        request["claim"].as_str(),
        request["cwd"].as_str(),
        request["pid"].as_u64().and_then(|p| u32::try_from(p).ok()),
    ) else {
        answer(&stream, &json!({ "ok": false, "why": "not a claim" }));
        return None;
    };
    let _ = stream.set_read_timeout(None);
    Some(Claim {
        stream,
        file: file.into(),
        cwd: cwd.into(),
        pid,
    })
}

fn answer(mut stream: &UnixStream, value: &Value) {
    let _ = stream.write_all(format!("{value}\n").as_bytes());
}

/// Writes this process's stdout and stderr (the kernel's log) where the launched process's go,
/// so Jupyter shows them as the kernel's.
fn adopt_output(pid: u32) {
    for fd in [1, 2] {
        let target = std::fs::OpenOptions::new()
            .append(true)
            .open(format!("/proc/{pid}/fd/{fd}"));
        if let Ok(target) = target {
            // SAFETY: dup2 onto a standard descriptor from one this function owns.
            unsafe {
                libc::dup2(target.as_raw_fd(), fd);
            }
        }
    }
}

fn executable_replaced() -> bool {
    std::fs::read_link("/proc/self/exe")
        .is_ok_and(|exe| exe.to_string_lossy().ends_with(" (deleted)"))
}
