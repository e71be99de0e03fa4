//! Runs inside the user-code process (before its command loop starts): relays its stdout
//! through a pipe, so that what reaches evcxr and the kernel is unambiguous.
//!
//! User code and the control lines of evcxr and the kernel share stdout. The relay reads it
//! line by line (`neurust_stream::Splitter`: valid UTF-8, a character split across writes kept
//! whole) and sorts the lines (`neurust_stream::Sorter`): user text that could be read as a
//! control line is escaped (the kernel's forwarder unescapes it), the kernel's own lines come
//! tagged with the per-process tag, and evcxr's own lines count only where evcxr's generated
//! code writes them. Text without a final newline cannot hide a control line: the sorter splits
//! it off. Output written while no cell runs goes to the kernel on stderr, which evcxr reads
//! all the time (it reads stdout only during a cell), so it shows under the last cell.
//!
//! evcxr consumes its `?` error line without telling its caller; the relay adds
//! `neurust_stream::sort::USER_ERROR_MARKER` after it. After a cell's end line it hands the
//! finished cell's code pages back to the OS (see `trim_cell_code.rs`). When a running cell
//! waits on stdin, it tells the kernel, after the cell's prompt (`reads.rs`).

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, RawFd};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::{Duration, Instant};

use crate::child::trim_cell_code;
use crate::common::contract::{Ask, announcement};
use neurust_stream::{Output, Sorter, Splitter};
use reads::{Next, StdinReads};
use wait::Ready;
pub use wait::wake;

mod reads;
mod wait;

/// How long output must pause before the relay looks for a read of stdin.
const PROMPT_WAIT: Duration = Duration::from_millis(10);

static ORIGINAL_STDOUT: AtomicI32 = AtomicI32::new(-1);
static DRAINED: AtomicBool = AtomicBool::new(false);
/// Set when evcxr's own command loop runs instead of the runtime's, which tags nothing.
static TRUSTING: AtomicBool = AtomicBool::new(false);

/// evcxr's own command loop runs (`command_loop.rs` could not start its own): its untagged lines
/// are passed on unchanged, as before the relay sorted them.
pub fn trust_untagged() {
    TRUSTING.store(true, Ordering::SeqCst);
}

/// Puts the relay between fd 1 and the real stdout. On any failure stdout is left as it was
/// (a `?` error is then reported as before: its message on stderr, status "ok").
pub fn install() {
    // SAFETY: install runs first thing in main, while the process has one thread.
    let tag = unsafe { neurust_stream::tag::ensure() };
    // SAFETY: plain fd syscalls on descriptors this function owns; fd 1 is only replaced once
    // the pipe and the copies of the originals are all open.
    unsafe {
        let original = libc::dup(1);
        if original < 0 {
            return;
        }
        let stderr = libc::fcntl(2, libc::F_DUPFD_CLOEXEC, 3);
        if stderr < 0 {
            libc::close(original);
            return;
        }
        let mut fds = [0 as RawFd; 2];
        if libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) != 0 {
            libc::close(original);
            libc::close(stderr);
            return;
        }
        let [read_end, write_end] = fds;
        let reader = File::from_raw_fd(read_end);
        let writer = File::from_raw_fd(original);
        let side = File::from_raw_fd(stderr);
        let spawned = std::thread::Builder::new()
            .name("stdout-relay".into())
            .spawn(move || relay(reader, writer, side, tag));
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

fn relay(mut reader: File, writer: File, side: File, tag: String) {
    let mut buf = vec![0u8; 64 * 1024];
    let mut splitter = Splitter::default();
    let mut out = Out {
        writer,
        side,
        sorter: Sorter::new(&tag),
        reads: StdinReads::default(),
    };
    let wake = wait::make_wake_pipe();
    loop {
        if TRUSTING.swap(false, Ordering::SeqCst) {
            out.sorter = Sorter::trusting();
        }
        // While a cell runs and its output pauses, a read of stdin is looked for (`reads.rs`):
        // the text before it (a prompt) ends its line, as the answer's Enter would in a
        // terminal, and the kernel is told to ask the notebook.
        let limit = crate::child::cell::cell_running().then_some(PROMPT_WAIT);
        match wait::wait(&reader, wake, limit) {
            Ready::Woken => continue,
            Ready::Quiet => {
                if let Next::Announce = out.reads.on_pause() {
                    let prompt = out.sorter.read_announced(splitter.take_held());
                    let ask = prompt.map(|p| Ask {
                        prompt: p.text,
                        password: p.password,
                    });
                    out.sorter.own_line(&announcement(ask.as_ref()));
                    if out.flush().is_err() {
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
        splitter.feed(&buf[..n], &mut |piece| out.sorter.piece(piece));
        if out.flush().is_err() {
            break;
        }
    }
    out.sorter.finish(splitter.take_held());
    let _ = out.flush();
    DRAINED.store(true, Ordering::SeqCst);
}

/// The relay's output side: the real stdout (evcxr), the real stderr (for stdout written while
/// no cell runs), the sorter, and what the relay knows about reads of stdin.
struct Out {
    writer: File,
    side: File,
    sorter: Sorter,
    reads: StdinReads,
}

impl Out {
    /// Writes what the sorter has passed on, in order; after a cell's end line, hands the
    /// finished cell's code pages back to the OS.
    fn flush(&mut self) -> std::io::Result<()> {
        for output in self.sorter.outputs() {
            match output {
                Output::Evcxr(text) => self.writer.write_all(text.as_bytes())?,
                // A stderr line the kernel does not get is lost output, not a reason to stop.
                Output::Side(line) => {
                    let _ = self.side.write_all(line.as_bytes());
                }
                Output::CellEnd => {
                    trim_cell_code::cell_finished();
                }
            }
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
