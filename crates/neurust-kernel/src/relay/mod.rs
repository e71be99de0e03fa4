//! Runs inside the user-code process (before its command loop starts): relays its stdout
//! through a pipe so the kernel learns when a cell ended early through `?`, and so that user
//! text without a final newline cannot hide a control line (`lines.rs`).
//!
//! evcxr's generated code prints `EVCXR_ERROR_OCCURRED` when a `?` in a cell returns an error,
//! and evcxr consumes that line without telling its caller, so such a cell would be reported as
//! a success. The relay copies every line to the real stdout as soon as it is read, and after
//! that line adds [`USER_ERROR_MARKER`] on a line of its own, which evcxr passes on as ordinary
//! output and the kernel's forwarder recognises. After evcxr's end-of-cell line it hands the
//! finished cell's code pages back to the OS (see `trim.rs`). When a running cell waits on
//! stdin, it tells the kernel, after the cell's prompt (`reads.rs`).

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, RawFd};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::{Duration, Instant};

use crate::trim;
use lines::{Event, Lines};
pub use reads::{Ask, announced};
use reads::{Next, StdinReads};
use wait::Ready;
pub use wait::wake;

mod lines;
mod reads;
mod wait;

/// The line the relay adds after evcxr's error line.
pub const USER_ERROR_MARKER: &str = "NEURUST-USER-ERROR-V1";

/// How long output must pause before the relay looks for a read of stdin.
const PROMPT_WAIT: Duration = Duration::from_millis(10);

static ORIGINAL_STDOUT: AtomicI32 = AtomicI32::new(-1);
static DRAINED: AtomicBool = AtomicBool::new(false);

/// Puts the relay between fd 1 and the real stdout. On any failure stdout is left as it was
/// (a `?` error is then reported as before: its message on stderr, status "ok").
pub fn install() {
    // SAFETY: plain fd syscalls on descriptors this function owns; fd 1 is only replaced once
    // the pipe and the copy of the original are both open.
    unsafe {
        let original = libc::dup(1);
        if original < 0 {
            return;
        }
        let mut fds = [0 as RawFd; 2];
        if libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) != 0 {
            libc::close(original);
            return;
        }
        let [read_end, write_end] = fds;
        let reader = File::from_raw_fd(read_end);
        let writer = File::from_raw_fd(original);
        let spawned = std::thread::Builder::new()
            .name("stdout-relay".into())
            .spawn(move || relay(reader, writer));
        if spawned.is_err() || libc::dup2(write_end, 1) < 0 {
            libc::close(write_end);
            return;
        }
        libc::close(write_end);
        libc::fcntl(original, libc::F_SETFD, libc::FD_CLOEXEC);
        ORIGINAL_STDOUT.store(original, Ordering::SeqCst);
        libc::atexit(drain_at_exit);
    }
}

fn relay(mut reader: File, writer: File) {
    let mut buf = vec![0u8; 64 * 1024];
    let mut lines = Lines::default();
    let mut out = Out {
        writer,
        reads: StdinReads::default(),
    };
    let wake = wait::make_wake_pipe();
    loop {
        // While a cell runs and its output pauses, a read of stdin is looked for (`reads.rs`):
        // the text before it (a prompt) ends its line, as the answer's Enter would in a
        // terminal, and the kernel is told to ask the notebook.
        let limit = crate::runtime::cell_running().then_some(PROMPT_WAIT);
        match wait::wait(&reader, wake, limit) {
            Ready::Woken => continue,
            Ready::Quiet => {
                if let Next::Announce(announcement) = out.reads.on_pause() {
                    let mut text = lines.take_held();
                    if !text.is_empty() {
                        text.push(b'\n');
                    }
                    text.extend_from_slice(announcement.as_bytes());
                    if out.pass(&text, None).is_err() {
                        break;
                    }
                }
                continue;
            }
            Ready::Output => {}
        }
        let n = match reader.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if lines.feed(&buf[..n], &mut |b, e| out.pass(b, e)).is_err() {
            break;
        }
    }
    let _ = out.pass(&lines.take_held(), None);
    DRAINED.store(true, Ordering::SeqCst);
}

/// The relay's output side: the real stdout, and what the relay knows about reads of stdin.
struct Out {
    writer: File,
    reads: StdinReads,
}

impl Out {
    /// Passes bytes on as read, whole lines at a time: the marker after each error line, a
    /// trim after a cell's end once that line is passed on, and an `evcxr_input` prompt kept
    /// for the read that follows.
    fn pass(&mut self, bytes: &[u8], event: Option<Event>) -> std::io::Result<()> {
        self.writer.write_all(bytes)?;
        match event {
            Some(Event::Error) => {
                self.writer
                    .write_all(format!("{USER_ERROR_MARKER}\n").as_bytes())?;
            }
            Some(Event::Complete) => {
                self.reads.cell_finished();
                trim::cell_finished();
            }
            Some(Event::InputRequest) => self.reads.evcxr_input(bytes),
            None => {}
        }
        Ok(())
    }
}

/// At exit (the runtime's own or a cell's `std::process::exit`), hands fd 1 back to the real
/// stdout, which closes the pipe, and waits briefly for the relay to copy what is left.
extern "C" fn drain_at_exit() {
    let original = ORIGINAL_STDOUT.load(Ordering::SeqCst);
    if original < 0 {
        return;
    }
    // SAFETY: `original` is the duplicate made in `install`, still open.
    unsafe {
        libc::dup2(original, 1);
    }
    let deadline = Instant::now() + Duration::from_millis(500);
    while !DRAINED.load(Ordering::SeqCst) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(2));
    }
}
