//! Forwards the user-code process's stdout and stderr to iopub as they arrive, in batches of
//! whole lines, turning display-protocol lines into display messages in order with the
//! streams, and noticing the panic marker printed by the kernel's panic hook, the relay's
//! markers for a `?` error and a read of stdin, and the runtime's end-of-cell line on stderr.
//!
//! The relay in the user-code process has escaped every user line that could be read as one of
//! these (`neurust_stream`): such a line is unescaped here and is text, whatever it holds. The
//! stderr marker carries the per-process tag, so user stderr cannot end anything either. Stdout
//! written while no cell runs arrives on stderr, tagged; it goes out under the last cell, as
//! all output does while no cell runs (ipykernel does the same). stderr comes from the kernel's
//! own reader (`user_stderr.rs`), already valid UTF-8 and split into lines.

use crate::common::contract::announced;
use crate::kernel::display;
use crate::kernel::message::Parent;
use crate::kernel::outbox::Outbox;
use crate::kernel::running_cell::RunningCell;
use crate::kernel::user_stderr::UserStderr;
use crossbeam_channel::{Receiver, Sender, bounded, select};
use neurust_stream::Piece;
use neurust_stream::sort::{SIDE, STDERR_END, USER_ERROR_MARKER};
use std::cell::Cell;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const PANIC_MARKER: &str = "NEURUST-PANIC-V1 ";
/// Lines go out in batches, one stream message each, like ipykernel's buffered streams: a
/// batch takes what is queued, waiting up to [`LINGER`] for each next line, until it is
/// [`BATCH_AGE`] old or holds [`BATCH_LINES`] lines or [`BATCH_BYTES`] bytes. A client (and
/// JupyterLab's renderer) then handles a flood of `println!` as a few hundred messages a
/// second rather than tens of thousands.
const LINGER: Duration = Duration::from_millis(5);
const BATCH_AGE: Duration = Duration::from_millis(50);
const BATCH_LINES: usize = 10_000;
const BATCH_BYTES: usize = 1 << 20;
/// How long a flush waits for the kernel's stderr reader to pass on what was written before it
/// (a bound in case the reader is gone; a thread flooding stderr does not extend it).
const SETTLE_LIMIT: Duration = Duration::from_secs(1);

pub struct Forwarder {
    barrier: Sender<Sender<()>>,
    stderr: Arc<UserStderr>,
}

impl Forwarder {
    pub fn spawn(
        outputs: crate::kernel::context::Outputs,
        outbox: Outbox,
        shared: Arc<RunningCell>,
    ) -> Self {
        let (barrier, barrier_rx) = bounded::<Sender<()>>(4);
        let tag = neurust_stream::tag::from_env().unwrap_or_default();
        let (stderr, pieces) = outputs.stderr;
        let state = Pump {
            outbox,
            shared,
            stdout: outputs.stdout,
            stderr: pieces,
            stderr_end: format!("{tag}{STDERR_END}"),
            side: format!("{tag}{SIDE}"),
            in_part: Cell::new(false),
        };
        std::thread::spawn(move || state.run(barrier_rx));
        Forwarder {
            barrier,
            stderr: Arc::new(stderr),
        }
    }

    /// Returns once every line printed so far has been published. evcxr has passed a cell's
    /// stdout on before it returns; the kernel's stderr reader may still be at work.
    pub fn flush(&self) {
        self.stderr.settle(SETTLE_LIMIT);
        let (ack, done) = bounded(1);
        if self.barrier.send(ack).is_ok() {
            let _ = done.recv_timeout(Duration::from_secs(2));
        }
    }

    /// The user-code process died: its last stderr is published, an unfinished line as a line.
    pub fn process_ended(&self) {
        self.stderr.process_ended(SETTLE_LIMIT);
    }
}

struct Pump {
    outbox: Outbox,
    shared: Arc<RunningCell>,
    stdout: Receiver<String>,
    stderr: Receiver<Piece>,
    /// The runtime's end-of-cell line on stderr, and what starts a stdout line sent there.
    stderr_end: String,
    side: String,
    /// The last stderr piece was the start of a long line, whose end is still to come.
    in_part: Cell<bool>,
}

impl Pump {
    fn run(self, barrier: Receiver<Sender<()>>) {
        loop {
            select! {
                recv(self.stdout) -> line => match line {
                    Ok(line) => self.stdout_batch(line),
                    Err(_) => return,
                },
                recv(self.stderr) -> line => match line {
                    Ok(line) => self.stderr_batch(line),
                    Err(_) => return,
                },
                recv(barrier) -> ack => match ack {
                    Ok(ack) => {
                        while let Ok(line) = self.stdout.try_recv() {
                            self.stdout_batch(line);
                        }
                        while let Ok(line) = self.stderr.try_recv() {
                            self.stderr_batch(line);
                        }
                        let _ = ack.send(());
                    }
                    Err(_) => return,
                },
            }
        }
    }

    fn drain<T>(first: T, channel: &Receiver<T>, len: fn(&T) -> usize) -> Vec<T> {
        let started = Instant::now();
        let mut bytes = len(&first);
        let mut lines = vec![first];
        while lines.len() < BATCH_LINES && bytes < BATCH_BYTES {
            let next = channel.try_recv().or_else(|_| {
                channel.recv_timeout(LINGER.min(BATCH_AGE.saturating_sub(started.elapsed())))
            });
            let Ok(line) = next else { break };
            bytes += len(&line);
            lines.push(line);
        }
        lines
    }

    fn stdout_batch(&self, first: String) {
        let parent = self.shared.parent();
        let mut text = String::new();
        for line in Self::drain(first, &self.stdout, String::len) {
            self.stdout_line(&parent, &mut text, &line, false);
        }
        if !text.is_empty() {
            self.outbox.stream(&parent, "stdout", text);
        }
    }

    /// One line of stdout: user text goes into `text`, which goes out before anything else
    /// does. `late`: written while no cell ran (a panic is then shown, not recorded).
    fn stdout_line(&self, parent: &Parent, text: &mut String, line: &str, late: bool) {
        if let Some(user) = neurust_stream::unescape(line) {
            text.push_str(&user.text);
            if !user.continues {
                text.push('\n');
            }
        } else if let Some(message) = line.strip_prefix(PANIC_MARKER) {
            if late {
                let text = format!("a thread panicked: {}\n", unescape(message));
                self.outbox.stream(parent, "stderr", text);
            } else {
                self.shared.record_panic(unescape(message));
            }
        } else if line == USER_ERROR_MARKER {
            self.shared.record_user_error();
        } else if let Some(ask) = announced(line) {
            // The prompt goes out before the request that the announcement triggers.
            self.send_text(parent, text);
            self.shared.stdin_read_announced(ask);
        } else if let Some(decoded) = display::decode(line) {
            self.send_text(parent, text);
            match decoded {
                Ok((kind, content)) => self.outbox.publish(parent, kind, content),
                Err(why) => {
                    // Show the line as text, and say why it was not a display.
                    self.outbox.stream(parent, "stdout", format!("{line}\n"));
                    self.outbox.stream(
                        parent,
                        "stderr",
                        format!("neurust-kernel: ignored a display message: {why}\n"),
                    );
                }
            }
        } else if let Some((before, (kind, content))) = display::decode_embedded(line) {
            // `print!` without a newline just before a display: the text, then the display.
            text.push_str(before);
            self.send_text(parent, text);
            self.outbox.publish(parent, kind, content);
        } else {
            text.push_str(line);
            text.push('\n');
        }
    }

    fn send_text(&self, parent: &Parent, text: &mut String) {
        if !text.is_empty() {
            self.outbox.stream(parent, "stdout", std::mem::take(text));
        }
    }

    fn stderr_batch(&self, first: Piece) {
        let parent = self.shared.parent();
        let (mut text, mut late) = (String::new(), String::new());
        for piece in Self::drain(first, &self.stderr, piece_len) {
            let line = match piece {
                Piece::Part(part) => {
                    // The start of a line too long to hold: text, whatever it holds.
                    self.send_text(&parent, &mut late);
                    text.push_str(&part);
                    self.in_part.set(true);
                    continue;
                }
                Piece::Line(line) => line,
            };
            let after_part = self.in_part.replace(false);
            if !after_part && let Some(stdout) = line.strip_prefix(self.side.as_str()) {
                if !text.is_empty() {
                    self.outbox
                        .stream(&parent, "stderr", std::mem::take(&mut text));
                }
                self.stdout_line(&parent, &mut late, stdout, true);
                continue;
            }
            self.send_text(&parent, &mut late);
            // The end of a cell: what is before the marker is text the cell left unfinished.
            let line = match line.strip_suffix(self.stderr_end.as_str()) {
                Some("") if !after_part => continue,
                Some(unfinished) => unfinished,
                None => &line,
            };
            self.shared.record_stderr_line(line);
            text.push_str(line);
            text.push('\n');
        }
        self.send_text(&parent, &mut late);
        if !text.is_empty() {
            self.outbox.stream(&parent, "stderr", text);
        }
    }
}

fn piece_len(piece: &Piece) -> usize {
    match piece {
        Piece::Line(text) | Piece::Part(text) => text.len(),
    }
}

/// Undoes Rust's `{:?}` quoting of a string, as printed by the panic hook.
pub fn unescape(quoted: &str) -> String {
    let inner = quoted
        .trim()
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(quoted);
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('u') => {
                let hex: String = chars
                    .by_ref()
                    .skip_while(|c| *c == '{')
                    .take_while(|c| *c != '}')
                    .collect();
                if let Some(c) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    out.push(c);
                }
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_tag_has_one_name_everywhere() {
        // The display crate, the panic hook (`preload.rs`) and the relay read the same variable.
        assert_eq!(neurust_display::TAG_ENV, neurust_stream::tag::ENV);
        assert!(crate::kernel::preload::PANIC_HOOK.contains(neurust_stream::tag::ENV));
    }

    #[test]
    fn unescape_reverses_debug_quoting() {
        let original = "boom \"x\"\n\ttab \u{1} \\ é";
        assert_eq!(super::unescape(&format!("{original:?}")), original);
    }
}
