//! Reads of stdin, as the relay sees them: when a running cell's output pauses and one of its
//! threads waits on stdin, the relay flushes the cell's stdout (a prompt printed with `print!`
//! sits in its buffer), passes the prompt on as a line and then announces the read on a line of
//! its own (`common/contract.rs`). The kernel answers that line with an `input_request`
//! (`kernel/stdin.rs`), so the prompt always leaves the kernel before the request. Each read is
//! announced once. A read by `evcxr_input` is announced with the prompt that crate printed
//! (the sorter keeps that line from evcxr, whose own reading of it drops everything from a
//! second `:` on, "Name: " included).

use crate::common::read_waits::{self, ReadId};
use std::sync::mpsc::{self, Sender, SyncSender};
use std::time::Duration;

/// How long the relay waits for user code's stdout to be flushed. The flush waits for stdout's
/// lock, which a cell may hold across its read; the relay must go on reading the pipe then,
/// or a cell that writes more than the pipe holds would wait on the relay, and the relay on it.
const FLUSH_WAIT: Duration = Duration::from_millis(50);

/// What the relay does next about a read of stdin.
#[derive(Debug)]
pub enum Next {
    /// Nothing: no read, or one already announced.
    Nothing,
    /// User stdout was flushed: pass on what that brings, then look again.
    LookAgain,
    /// Pass on the held prompt as a line, then announce the read.
    Announce,
}

#[derive(Default)]
pub struct StdinReads {
    flushed: Option<ReadId>,
    announced: Option<ReadId>,
    flusher: Option<SyncSender<Sender<()>>>,
}

impl StdinReads {
    /// Called when a running cell's output has paused.
    pub fn on_pause(&mut self) -> Next {
        let Some(read) = read_waits::read_under_way(0) else {
            return Next::Nothing;
        };
        if self.announced == Some(read) {
            Next::Nothing
        } else if self.flushed != Some(read) {
            self.flushed = Some(read);
            self.flush();
            Next::LookAgain
        } else {
            self.announced = Some(read);
            Next::Announce
        }
    }

    /// Flushes user stdout on a thread of its own, waiting for it at most [`FLUSH_WAIT`].
    fn flush(&mut self) {
        let flusher = self.flusher.get_or_insert_with(|| {
            let (requests, incoming) = mpsc::sync_channel::<Sender<()>>(1);
            let _ = std::thread::Builder::new()
                .name("stdout-flush".into())
                .spawn(move || {
                    for done in incoming {
                        crate::child::cell::flush_user_stdout();
                        let _ = done.send(());
                    }
                });
            requests
        });
        let (done, flushed) = mpsc::channel();
        // A full queue means a flush is still waiting for the lock: no second one is needed.
        if flusher.try_send(done).is_ok() {
            let _ = flushed.recv_timeout(FLUSH_WAIT);
        }
    }
}
