//! The user-code process's stderr, read by the kernel itself.
//!
//! evcxr reads the child's stderr as UTF-8 lines and stops at the first invalid byte: every
//! later line of that process, the runtime's end-of-cell line included, was lost, and a write
//! to the closed pipe then killed the process. So the kernel gives each user-code process a
//! stderr of its own: a pipe whose read end only the kernel holds, put on fd 2 between fork and
//! exec (evcxr's public `with_subprocess_command`, which restarts a process with the same
//! command). The kernel reads it as the relay reads stdout (`neurust_stream::Splitter`): lines
//! of valid UTF-8, invalid bytes as U+FFFD, a character written in two pieces kept whole.
//!
//! The kernel holds the write end too, so the pipe outlives each process: what a process
//! writes just before it dies (the allocator's message before its abort) is still read.
//! [`UserStderr::settle`] waits until everything written so far has been passed on, which
//! lets the kernel publish a cell's stderr before its reply.

use crossbeam_channel::{Receiver, Sender, unbounded};
use neurust_stream::{Piece, Splitter};
use std::fs::File;
use std::io::Read;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::process::Command;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// The kernel's end of user code's stderr; dropping it closes the write end.
pub struct UserStderr {
    inner: Arc<Inner>,
    write_end: OwnedFd,
}

struct Inner {
    state: Mutex<State>,
    /// Signalled whenever the reader has passed a chunk on.
    passed: Condvar,
    read_fd: RawFd,
}

/// Held by the reader from each read until its pieces are sent, so that under this lock the
/// bytes still in the pipe are exactly those not passed on yet.
struct State {
    splitter: Splitter,
    /// Bytes read from the pipe (and passed on) so far.
    consumed: u64,
    sender: Sender<Piece>,
}

impl UserStderr {
    /// Makes the pipe and starts its reader; the receiver gets its lines in order.
    pub fn open() -> std::io::Result<(UserStderr, Receiver<Piece>)> {
        let mut ends = [0 as RawFd; 2];
        // SAFETY: pipe2 writes two new descriptors into the array; each is then owned once.
        if unsafe { libc::pipe2(ends.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: as above: both descriptors are new and owned here only.
        let (read_end, write_end) =
            unsafe { (File::from_raw_fd(ends[0]), OwnedFd::from_raw_fd(ends[1])) };
        // The reader reads only after poll says there is data, holding the lock; non-blocking
        // makes sure it never waits in `read` with the lock held.
        // SAFETY: fcntl on a descriptor owned by `read_end`.
        unsafe { libc::fcntl(ends[0], libc::F_SETFL, libc::O_NONBLOCK) };
        let (sender, receiver) = unbounded();
        let inner = Arc::new(Inner {
            state: Mutex::new(State {
                splitter: Splitter::default(),
                consumed: 0,
                sender,
            }),
            passed: Condvar::new(),
            read_fd: read_end.as_raw_fd(),
        });
        let reader = Arc::clone(&inner);
        std::thread::Builder::new()
            .name("user-stderr".into())
            .spawn(move || read_loop(read_end, &reader))?;
        Ok((UserStderr { inner, write_end }, receiver))
    }

    /// Makes `command`'s process write its stderr into the pipe.
    pub fn attach(&self, command: &mut Command) {
        let fd = self.write_end.as_raw_fd();
        // SAFETY: the closure only calls dup2, which is async-signal-safe. If it fails, the
        // process keeps the stderr evcxr gave it, whose lines `relay_evcxr` passes on.
        unsafe {
            command.pre_exec(move || {
                libc::dup2(fd, 2);
                Ok(())
            });
        }
    }

    /// Passes on what evcxr reads from a process's original stderr (nothing, unless
    /// [`attach`](Self::attach) could not move it).
    pub fn relay_evcxr(&self, lines: Receiver<String>) {
        let sender = self.inner.state.lock().map(|s| s.sender.clone());
        if let Ok(sender) = sender {
            std::thread::spawn(move || {
                for line in lines {
                    let _ = sender.send(Piece::Line(line));
                }
            });
        }
    }

    /// Waits, at most `limit`, until every byte written before the call has been passed on.
    pub fn settle(&self, limit: Duration) {
        let deadline = Instant::now() + limit;
        let Ok(mut state) = self.inner.state.lock() else {
            return;
        };
        let target = state.consumed + pending(self.inner.read_fd);
        while state.consumed < target {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            state = match self.inner.passed.wait_timeout(state, left) {
                Ok((state, _)) => state,
                Err(_) => return,
            };
        }
    }

    /// The process died: text it left without a newline is passed on as a line, not joined
    /// to the next process's first line.
    pub fn process_ended(&self, limit: Duration) {
        self.settle(limit);
        if let Ok(mut state) = self.inner.state.lock()
            && let Some(text) = state.splitter.take_held()
        {
            let _ = state.sender.send(Piece::Line(text));
        }
    }
}

fn read_loop(mut pipe: File, inner: &Inner) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let mut poll = libc::pollfd {
            fd: pipe.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: poll reads and writes one pollfd, valid for the call.
        if unsafe { libc::poll(&mut poll, 1, -1) } < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return;
        }
        let Ok(mut guard) = inner.state.lock() else {
            return;
        };
        let state = &mut *guard;
        match pipe.read(&mut buf) {
            Ok(0) => return, // never while the kernel holds the write end
            Ok(n) => {
                state.consumed += n as u64;
                let sender = &state.sender;
                state.splitter.feed(&buf[..n], &mut |piece| {
                    let _ = sender.send(piece);
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return,
        }
        drop(guard);
        inner.passed.notify_all();
    }
}

/// How many bytes wait in the pipe.
fn pending(fd: RawFd) -> u64 {
    let mut n: libc::c_int = 0;
    // SAFETY: FIONREAD writes one int, valid for the call.
    if unsafe { libc::ioctl(fd, libc::FIONREAD, &mut n) } < 0 {
        return 0;
    }
    u64::try_from(n).unwrap_or(0)
}

#[cfg(test)]
#[path = "user_stderr_tests.rs"]
mod tests;
