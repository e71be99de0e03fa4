//! How the relay waits: for output, for a cell to start (so it can look for reads of stdin
//! while the cell runs), or for a pause in the output.

use std::fs::File;
use std::os::fd::{AsRawFd, RawFd};
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Duration;

/// The write end of the pipe that wakes the relay; -1 without one.
static WAKE: AtomicI32 = AtomicI32::new(-1);

/// What ended a wait.
pub enum Ready {
    /// Output (or the end of it) is there to read.
    Output,
    /// A cell started.
    Woken,
    /// Nothing came for the time given.
    Quiet,
}

/// Makes the wake-up pipe; returns its read end (-1 if there is none: the relay then only
/// wakes for output).
pub fn make_wake_pipe() -> RawFd {
    let mut ends = [0 as RawFd; 2];
    // SAFETY: pipe2 writes two descriptors into the array, valid for the call.
    if unsafe { libc::pipe2(ends.as_mut_ptr(), libc::O_CLOEXEC | libc::O_NONBLOCK) } != 0 {
        return -1;
    }
    WAKE.store(ends[1], Ordering::SeqCst);
    ends[0]
}

/// Wakes the relay (a cell has started).
pub fn wake() {
    let fd = WAKE.load(Ordering::SeqCst);
    if fd >= 0 {
        // SAFETY: writes one byte from a valid buffer; a full pipe (EAGAIN) is as good.
        unsafe {
            libc::write(fd, [1u8].as_ptr().cast(), 1);
        }
    }
}

/// Waits for output on `reader` or a wake-up on `wake`, at most `limit` (None: no limit).
pub fn wait(reader: &File, wake: RawFd, limit: Option<Duration>) -> Ready {
    let mut fds = [
        libc::pollfd {
            fd: reader.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        },
        libc::pollfd {
            fd: wake,
            events: libc::POLLIN,
            revents: 0,
        },
    ];
    let millis = limit.map_or(-1, |d| {
        libc::c_int::try_from(d.as_millis()).unwrap_or(i32::MAX)
    });
    // SAFETY: poll reads and writes the two pollfds, valid for the call; a negative fd is
    // ignored by poll.
    let n = unsafe { libc::poll(fds.as_mut_ptr(), 2, millis) };
    if n == 0 {
        return Ready::Quiet;
    }
    if n < 0 || fds[0].revents != 0 {
        return Ready::Output; // the read that follows reports an error, or the data
    }
    let mut drain = [0u8; 64];
    // SAFETY: reads into a valid buffer from the non-blocking wake pipe.
    while unsafe { libc::read(wake, drain.as_mut_ptr().cast(), drain.len()) } > 0 {}
    Ready::Woken
}
