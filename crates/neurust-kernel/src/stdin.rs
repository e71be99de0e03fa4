//! Input for a running cell: `std::io::stdin()` (or `evcxr_input`) in user code asks the notebook.
//!
//! The user-code process reads its stdin from a pipe with no writer (`runtime.rs`): a read ends
//! at once with end-of-file. While a cell of a client that allows input (`allow_stdin`) runs,
//! the kernel holds a writer, opened through `/proc/<pid>/fd/0`, so a read waits instead. A
//! watcher sees a thread of the process wait there with the pipe empty, sends `input_request`
//! on the stdin channel and writes the `input_reply`'s value and a newline into the pipe. An
//! interrupt or the end of the cell closes the writer: a waiting read gets end-of-file and the
//! cell goes on, so no variable is lost.

use crate::message::{Message, Parent};
use crate::outbox::{Channel, Outbox};
use crate::shared::Shared;
use serde_json::json;
use std::fs::File;
use std::io::Write;
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const POLL: Duration = Duration::from_millis(30);

/// The prompt an `evcxr_input` call announced, for the request its read will trigger.
pub type Prompt = Arc<Mutex<Option<(String, bool)>>>;

/// One cell's input: who asked (for the request's parent) and where replies arrive.
pub struct CellInput<'a> {
    pub outbox: &'a Outbox,
    pub parent: &'a Parent,
    pub shared: &'a Shared,
    pub replies: Receiver<Message>,
    pub prompt: &'a Prompt,
}

impl CellInput<'_> {
    /// Feeds the user-code process until `done` is set; gives the receiver back.
    pub fn serve(self, done: &AtomicBool) -> Receiver<Message> {
        while self.replies.try_recv().is_ok() {} // replies to an earlier cell's requests
        // Open before the cell's code can run: a read with no writer ends at once.
        let pid = self.shared.child_pid();
        let mut writer: Option<(u32, File)> = open_writer(pid).map(|file| (pid, file));
        let mut asked = false;
        let mut seen_waiting = 0u32;
        while !done.load(Ordering::SeqCst) {
            std::thread::sleep(POLL);
            if self.shared.interrupted() {
                // The waiting read gets end-of-file; nothing is fed until the cell ends.
                drop(writer.take());
                continue;
            }
            let pid = self.shared.child_pid();
            if writer.as_ref().is_none_or(|(p, _)| *p != pid) {
                writer = open_writer(pid).map(|file| (pid, file));
                asked = false;
            }
            let Some((_, file)) = &mut writer else {
                continue;
            };
            if asked {
                if let Ok(reply) = self.replies.try_recv() {
                    let value = reply.str_field("value").unwrap_or("");
                    if file.write_all(format!("{value}\n").as_bytes()).is_err() {
                        writer = None;
                    }
                    asked = false;
                }
            } else if waiting_on_stdin(pid) && unread(file) == 0 {
                // Asks on the third poll that sees the read: the user-code process passes on
                // the prompt it printed (`relay`) within about 20 ms of the read, so the text
                // usually shows above the input box (this is timing, not a guarantee).
                seen_waiting += 1;
                if seen_waiting >= 3 {
                    self.ask();
                    asked = true;
                    seen_waiting = 0;
                }
            } else {
                seen_waiting = 0;
            }
        }
        self.replies
    }

    /// Sends an input_request, with the prompt an `evcxr_input` call announced, if any.
    fn ask(&self) {
        let (prompt, password) = self
            .prompt
            .lock()
            .ok()
            .and_then(|mut p| p.take())
            .unwrap_or_default();
        self.outbox.reply(
            Channel::Stdin,
            self.parent,
            "input_request",
            json!({ "prompt": prompt, "password": password }),
        );
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

/// Bytes written to the pipe that user code has not read yet.
fn unread(file: &File) -> libc::c_int {
    let mut n: libc::c_int = 0;
    // SAFETY: FIONREAD writes one c_int through the pointer, which is valid for the call.
    let r = unsafe { libc::ioctl(file.as_raw_fd(), libc::FIONREAD, &mut n) };
    if r < 0 { 0 } else { n }
}

/// Whether any thread of `pid` is blocked reading fd 0.
pub fn waiting_on_stdin(pid: u32) -> bool {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return false;
    };
    tasks
        .flatten()
        .any(|task| blocked_reading(&task.path().join("syscall"), 0))
}

/// Whether the task whose `/proc/.../syscall` file this is, is blocked in read(2) on `fd`.
pub fn blocked_reading(syscall_file: &std::path::Path, fd: i32) -> bool {
    #[cfg(target_arch = "x86_64")]
    const READ: &str = "0";
    #[cfg(target_arch = "aarch64")]
    const READ: &str = "63";
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    return false;
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    match std::fs::read_to_string(syscall_file) {
        Ok(text) => {
            let mut fields = text.split_whitespace();
            fields.next() == Some(READ) && fields.next() == Some(format!("{fd:#x}").as_str())
        }
        Err(_) => false,
    }
}
