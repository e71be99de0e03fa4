//! Reads of stdin, as the relay sees them: when a running cell's output pauses and one of its
//! threads waits on stdin, the relay flushes the cell's stdout (a prompt printed with `print!`
//! sits in its buffer), passes the prompt on as a line and then announces the read on a line of
//! its own, [`STDIN_READ_MARKER`]. The kernel answers that line with an `input_request`
//! (`stdin.rs`), so the prompt always leaves the kernel before the request. Each read is
//! announced once. A read by `evcxr_input` is announced with the prompt that crate printed
//! (the sorter keeps that line from evcxr, whose own reading of it drops everything from a
//! second `:` on, "Name: " included).

use crate::blocked::{self, ReadId};
use std::sync::mpsc::{self, Sender, SyncSender};
use std::time::Duration;

/// The line that tells the kernel a cell waits on stdin. An `evcxr_input` read adds
/// ` text:<prompt>` or ` password:<prompt>`.
pub const STDIN_READ_MARKER: &str = "NEURUST-STDIN-READ-V1";

/// What the input box shows, from an `evcxr_input` call; empty for a plain read of stdin.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ask {
    pub prompt: String,
    pub password: bool,
}

/// The announcement of a read, as a line (without its newline).
pub fn announcement(ask: Option<&Ask>) -> String {
    match ask {
        None => STDIN_READ_MARKER.to_owned(),
        Some(ask) => {
            let kind = if ask.password { "password" } else { "text" };
            format!("{STDIN_READ_MARKER} {kind}:{}", ask.prompt)
        }
    }
}

/// What an output line announces: None if it is not an announcement.
pub fn announced(line: &str) -> Option<Ask> {
    let rest = line.strip_prefix(STDIN_READ_MARKER)?;
    if rest.is_empty() {
        return Some(Ask::default());
    }
    let (kind, prompt) = rest.strip_prefix(' ')?.split_once(':')?;
    let password = match kind {
        "text" => false,
        "password" => true,
        _ => return None,
    };
    Some(Ask {
        prompt: prompt.to_owned(),
        password,
    })
}

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
        let Some(read) = blocked::read_under_way(0) else {
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
                        crate::runtime::flush_user_stdout();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_announcement_reads_back_as_it_was_written() {
        assert_eq!(announced(&announcement(None)), Some(Ask::default()));
        for (prompt, password) in [("Name: ", false), ("Key: a:b ", true), ("", false)] {
            let ask = Ask {
                prompt: prompt.to_owned(),
                password,
            };
            let line = announcement(Some(&ask));
            assert_eq!(announced(&line), Some(ask), "{line:?}");
        }
        for not_one in [
            "NEURUST-STDIN-READ-V1x",
            "NEURUST-STDIN-READ-V1 other:x",
            "text:x",
        ] {
            assert_eq!(announced(not_one), None, "{not_one}");
        }
    }
}
