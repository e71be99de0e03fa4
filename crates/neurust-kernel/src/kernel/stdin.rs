//! Input for a running cell: `std::io::stdin()` (or `evcxr_input`) in user code asks the notebook.
//!
//! The user-code process reads its stdin from a pipe with no writer (`child/command_loop.rs`): a
//! read ends at once with end-of-file. While a cell of a client that allows input (`allow_stdin`)
//! runs, the kernel holds a writer, opened through `/proc/<pid>/fd/0`, so a read waits instead.
//! The user-code process announces each such read after the cell's prompt
//! (`child/relay/reads.rs`); the kernel then sends `input_request` on the stdin channel and
//! writes the `input_reply`'s value and a newline into the pipe. An interrupt or the end of the
//! cell closes the writer: a waiting read gets end-of-file and the cell goes on, so no variable
//! is lost.

use crate::kernel::message::{Message, Parent};
use crate::kernel::outbox::{Channel, Outbox};
use crate::kernel::running_cell::RunningCell;
use serde_json::json;
use std::fs::File;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

/// How often the watcher looks at the cell's end and at interrupts.
const POLL: Duration = Duration::from_millis(30);

/// One cell's input: who asked (for the request's parent) and where replies arrive.
pub struct CellInput<'a> {
    pub outbox: &'a Outbox,
    pub parent: &'a Parent,
    pub shared: &'a RunningCell,
    pub replies: Receiver<Message>,
}

impl CellInput<'_> {
    /// Feeds the user-code process until `done` is set; gives the receiver back.
    pub fn serve(self, done: &AtomicBool) -> Receiver<Message> {
        while self.replies.try_recv().is_ok() {} // replies to an earlier cell's requests
        self.shared.forget_stdin_reads();
        // Open before the cell's code can run: a read with no writer ends at once.
        let pid = self.shared.child_pid();
        let mut writer: Option<(u32, File)> = open_writer(pid).map(|file| (pid, file));
        while !done.load(Ordering::SeqCst) {
            if self.shared.interrupted() {
                // The waiting read gets end-of-file; nothing is fed until the cell ends.
                drop(writer.take());
                std::thread::sleep(POLL);
                continue;
            }
            let pid = self.shared.child_pid();
            if writer.as_ref().is_none_or(|(p, _)| *p != pid) {
                writer = open_writer(pid).map(|file| (pid, file)); // a new user-code process
            }
            let Some(ask) = self.shared.wait_for_stdin_read(POLL) else {
                continue;
            };
            let Some((_, file)) = &mut writer else {
                continue;
            };
            self.outbox.reply(
                Channel::Stdin,
                self.parent,
                "input_request",
                json!({ "prompt": ask.prompt, "password": ask.password }),
            );
            if let Some(reply) = self.reply(done)
                && file
                    .write_all(format!("{}\n", reply.str_field("value").unwrap_or("")).as_bytes())
                    .is_err()
            {
                writer = None;
            }
        }
        self.replies
    }

    /// The reply to the request just sent; None if the cell ends or is interrupted first.
    fn reply(&self, done: &AtomicBool) -> Option<Message> {
        while !done.load(Ordering::SeqCst) && !self.shared.interrupted() {
            match self.replies.recv_timeout(POLL) {
                Ok(reply) => return Some(reply),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
        None
    }
}

/// A writer on the user-code process's stdin pipe, or None if there is no such process.
fn open_writer(pid: u32) -> Option<File> {
    if pid == 0 {
        return None;
    }
    // Non-blocking: the open fails at once if the process is gone. A write of one answer never
    // fills the pipe, so the writes may stay non-blocking too.
    std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(format!("/proc/{pid}/fd/0"))
        .ok()
}
