//! Runs inside the user-code process (before evcxr's runtime loop takes over): relays its stdout
//! through a pipe so the kernel learns when a cell ended early through `?`.
//!
//! evcxr's generated code prints `EVCXR_ERROR_OCCURRED` when a `?` in a cell returns an error,
//! and evcxr consumes that line without telling its caller, so such a cell would be reported as
//! a success. The relay copies every byte to the real stdout as soon as it is read, and after
//! that line adds [`USER_ERROR_MARKER`] on a line of its own, which evcxr passes on as ordinary
//! output and the kernel's forwarder recognises. After evcxr's end-of-cell line it hands the
//! finished cell's code pages back to the OS (see `trim.rs`).

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, RawFd};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::{Duration, Instant};

use crate::trim;

/// The line the relay adds after evcxr's error line.
pub const USER_ERROR_MARKER: &str = "NEURUST-USER-ERROR-V1";
const EVCXR_ERROR_LINE: &[u8] = b"EVCXR_ERROR_OCCURRED";
const EVCXR_COMPLETE_LINE: &[u8] = b"EVCXR_EXECUTION_COMPLETE";

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

fn relay(mut reader: File, mut writer: File) {
    let mut buf = vec![0u8; 64 * 1024];
    let mut line = LineWatch::default();
    let marker = format!("{USER_ERROR_MARKER}\n");
    'copy: loop {
        let n = match reader.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        // Copies the bytes as read, with the marker after each error line; trims after a
        // cell's end once that line is passed on.
        let mut start = 0;
        for i in 0..n {
            let Some(seen) = line.push(buf[i]) else {
                continue;
            };
            let extra = match seen {
                Line::Error => marker.as_bytes(),
                Line::Complete => &[],
            };
            if [&buf[start..=i], extra]
                .iter()
                .any(|part| writer.write_all(part).is_err())
            {
                break 'copy;
            }
            start = i + 1;
            if seen == Line::Complete {
                trim::cell_finished();
            }
        }
        if writer.write_all(&buf[start..n]).is_err() {
            break;
        }
    }
    DRAINED.store(true, Ordering::SeqCst);
}

/// The evcxr lines the relay acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    /// A `?` in the cell returned an error.
    Error,
    /// The cell finished.
    Complete,
}

/// Keeps the start of the current line, enough to recognise evcxr's lines.
#[derive(Default)]
struct LineWatch {
    head: Vec<u8>,
    len: usize,
}

impl LineWatch {
    const KEEP: usize = 32;

    /// Feeds one byte; at the end of a line evcxr wrote, says which.
    fn push(&mut self, byte: u8) -> Option<Line> {
        if byte == b'\n' {
            let seen = match self.head.as_slice() {
                _ if self.len != self.head.len() => None, // longer than any line watched for
                EVCXR_ERROR_LINE => Some(Line::Error),
                EVCXR_COMPLETE_LINE => Some(Line::Complete),
                _ => None,
            };
            self.head.clear();
            self.len = 0;
            return seen;
        }
        if self.head.len() < Self::KEEP {
            self.head.push(byte);
        }
        self.len += 1;
        None
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

#[cfg(test)]
mod tests {
    use super::{Line, LineWatch};

    fn hits(text: &[u8]) -> usize {
        seen(text).iter().filter(|&&l| l == Line::Error).count()
    }

    fn seen(text: &[u8]) -> Vec<Line> {
        let mut watch = LineWatch::default();
        text.iter().filter_map(|&b| watch.push(b)).collect()
    }

    #[test]
    fn recognises_only_the_whole_error_line() {
        assert_eq!(hits(b"EVCXR_ERROR_OCCURRED\n"), 1);
        assert_eq!(hits(b"x\nEVCXR_ERROR_OCCURRED\nEVCXR_ERROR_OCCURRED\n"), 2);
        assert_eq!(hits(b"EVCXR_ERROR_OCCURRED"), 0);
        assert_eq!(hits(b"EVCXR_ERROR_OCCURRED!\n"), 0);
        assert_eq!(hits(b" EVCXR_ERROR_OCCURRED\n"), 0);
        assert_eq!(hits(b"EVCXR_ERROR\n"), 0);
        assert_eq!(hits(b"xEVCXR_ERROR_OCCURRED\n"), 0);
        let long = [b"EVCXR_ERROR_OCCURRED".as_slice(), &[b'x'; 40], b"\n"].concat();
        assert_eq!(hits(&long), 0);
    }

    #[test]
    fn recognises_the_end_of_a_cell() {
        assert_eq!(
            seen(b"out\nEVCXR_ERROR_OCCURRED\nEVCXR_EXECUTION_COMPLETE\n"),
            [Line::Error, Line::Complete]
        );
        assert_eq!(seen(b"EVCXR_EXECUTION_COMPLETE!\n"), []);
        assert_eq!(seen(b"EVCXR_EXECUTION_COMPLETE"), []);
    }
}
