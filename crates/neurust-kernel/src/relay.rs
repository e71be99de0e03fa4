//! Runs inside the user-code process (before evcxr's runtime loop takes over): relays its stdout
//! through a pipe so the kernel learns when a cell ended early through `?`.
//!
//! evcxr's generated code prints `EVCXR_ERROR_OCCURRED` when a `?` in a cell returns an error,
//! and evcxr consumes that line without telling its caller, so such a cell would be reported as
//! a success. The relay copies every byte to the real stdout as soon as it is read, and after
//! that line adds [`USER_ERROR_MARKER`] on a line of its own, which evcxr passes on as ordinary
//! output and the kernel's forwarder recognises.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, RawFd};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::{Duration, Instant};

/// The line the relay adds after evcxr's error line.
pub const USER_ERROR_MARKER: &str = "NEURUST-USER-ERROR-V1";
const EVCXR_ERROR_LINE: &[u8] = b"EVCXR_ERROR_OCCURRED";

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
        // Copies the bytes as read, with the marker after each error line.
        let mut start = 0;
        for i in 0..n {
            if line.push(buf[i]) {
                let parts = [&buf[start..=i], marker.as_bytes()];
                if parts.iter().any(|part| writer.write_all(part).is_err()) {
                    break 'copy;
                }
                start = i + 1;
            }
        }
        if writer.write_all(&buf[start..n]).is_err() {
            break;
        }
    }
    DRAINED.store(true, Ordering::SeqCst);
}

/// Tracks the current line just far enough to recognise evcxr's error line.
#[derive(Default)]
struct LineWatch {
    len: usize,
    matches: bool,
}

impl LineWatch {
    /// Feeds one byte; true when it ends an `EVCXR_ERROR_OCCURRED` line.
    fn push(&mut self, byte: u8) -> bool {
        if byte == b'\n' {
            let hit = self.matches && self.len == EVCXR_ERROR_LINE.len();
            *self = LineWatch::default();
            return hit;
        }
        self.matches =
            (self.len == 0 || self.matches) && EVCXR_ERROR_LINE.get(self.len) == Some(&byte);
        self.len += 1;
        false
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
    use super::LineWatch;

    fn hits(text: &[u8]) -> usize {
        let mut watch = LineWatch::default();
        text.iter().filter(|&&b| watch.push(b)).count()
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
    }
}
