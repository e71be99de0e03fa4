//! The relay's view of stdout: whole lines, with every control line at the start of one.
//!
//! evcxr reads the user-code process's stdout line by line and recognises its control lines
//! (the end of a cell, a `?` error, a panic, a rich result) only at the start of a line; so
//! does the kernel with its panic line. User text without a final newline, flushed before one
//! (`print!("…")` and a flush), hid the control line after it: such a cell never ended, and an
//! interrupt could not help, because the process was already idle. The relay holds each line
//! until its newline (evcxr would hold it as long) and, where a control line follows user
//! text, passes the text on as a line of its own first.

use std::io;

/// What starts the lines that evcxr and the kernel's panic hook write. (Displays need no
/// line of their own: the kernel finds them anywhere in a line.)
const CONTROL: [&[u8]; 8] = [
    b"EVCXR_EXECUTION_COMPLETE",
    b"EVCXR_ERROR_OCCURRED",
    b"EVCXR_PANIC_NOTIFICATION",
    b"EVCXR_BEGIN_CONTENT ",
    b"EVCXR_END_CONTENT",
    b"EVCXR_INPUT_REQUEST",
    b"EVCXR_VARIABLE_CHANGED_TYPE:",
    b"NEURUST-PANIC-V1 ",
];
const ERROR_LINE: &[u8] = b"EVCXR_ERROR_OCCURRED\n";
const COMPLETE_LINE: &[u8] = b"EVCXR_EXECUTION_COMPLETE\n";
/// How `evcxr_input` starts the line that announces its prompt (a password's too).
const INPUT_START: &[u8] = b"EVCXR_INPUT_REQUEST";
/// A line longer than this is passed on before its newline (its end is then not checked).
const HOLD_AT_MOST: usize = 1 << 20;

/// The evcxr lines the relay acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A `?` in the cell returned an error.
    Error,
    /// The cell finished.
    Complete,
    /// `evcxr_input` is about to read stdin; the line gives the prompt.
    InputRequest,
}

/// Where [`Lines::feed`] passes bytes on: what to write, then the event it ends with, if any.
pub type Emit<'a> = dyn FnMut(&[u8], Option<Event>) -> io::Result<()> + 'a;

/// Splits the stream into lines, keeping the unfinished one.
#[derive(Default)]
pub struct Lines {
    held: Vec<u8>,
}

impl Lines {
    /// Takes bytes read from the pipe. `emit` gets what to pass on, in order, each time with
    /// the event of the control line it ends with, if any.
    pub fn feed(&mut self, chunk: &[u8], emit: &mut Emit) -> io::Result<()> {
        let mut out: Vec<u8> = Vec::with_capacity(chunk.len() + 1);
        let mut rest = chunk;
        while let Some(end) = rest.iter().position(|&b| b == b'\n') {
            let (piece, tail) = rest.split_at(end + 1);
            rest = tail;
            let line = if self.held.is_empty() {
                piece.to_vec()
            } else {
                self.held.extend_from_slice(piece);
                std::mem::take(&mut self.held)
            };
            let Some(at) = control_start(&line) else {
                out.extend_from_slice(&line);
                continue;
            };
            let (text, control) = line.split_at(at);
            out.extend_from_slice(text);
            if !text.is_empty() {
                out.push(b'\n');
            }
            out.extend_from_slice(control);
            let event = match control {
                ERROR_LINE => Some(Event::Error),
                COMPLETE_LINE => Some(Event::Complete),
                _ if control.starts_with(INPUT_START) => Some(Event::InputRequest),
                _ => None,
            };
            if event.is_some() {
                emit(&out, event)?;
                out.clear();
            }
        }
        self.held.extend_from_slice(rest);
        if self.held.len() > HOLD_AT_MOST {
            out.append(&mut self.held);
        }
        if out.is_empty() {
            Ok(())
        } else {
            emit(&out, None)
        }
    }

    /// The unfinished line, handed over (at the end of the stream, or as a prompt).
    pub fn take_held(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.held)
    }
}

/// Where the first control line starts in `line`, if one does.
fn control_start(line: &[u8]) -> Option<usize> {
    (0..line.len()).find(|&i| CONTROL.iter().any(|c| line[i..].starts_with(c)))
}

#[cfg(test)]
mod tests {
    use super::{Event, Lines};

    /// Feeds the chunks; returns what was passed on and the events, each after its bytes.
    fn relay(chunks: &[&[u8]]) -> (String, Vec<(usize, Event)>) {
        let mut lines = Lines::default();
        let mut out = Vec::new();
        let mut events = Vec::new();
        for chunk in chunks {
            lines
                .feed(chunk, &mut |bytes, event| {
                    out.extend_from_slice(bytes);
                    events.extend(event.map(|e| (out.len(), e)));
                    Ok(())
                })
                .unwrap();
        }
        out.extend(lines.take_held());
        (String::from_utf8(out).unwrap(), events)
    }

    #[test]
    fn passes_lines_on_unchanged_and_sees_the_control_lines() {
        let text = "out\nEVCXR_ERROR_OCCURRED\nmore\nEVCXR_EXECUTION_COMPLETE\n";
        let (out, events) = relay(&[text.as_bytes()]);
        assert_eq!(out, text);
        assert_eq!(events, [(25, Event::Error), (55, Event::Complete)]);
    }

    #[test]
    fn a_control_line_after_unfinished_text_gets_a_line_of_its_own() {
        let (out, events) = relay(&[b"0 1 2 ", b"EVCXR_EXEC", b"UTION_COMPLETE\n"]);
        assert_eq!(out, "0 1 2 \nEVCXR_EXECUTION_COMPLETE\n");
        assert_eq!(events, [(out.len(), Event::Complete)]);
        let (out, _) = relay(&[b"Name: NEURUST-PANIC-V1 \"boom\"\n"]);
        assert_eq!(out, "Name: \nNEURUST-PANIC-V1 \"boom\"\n");
        let (out, _) = relay(&[b"xEVCXR_BEGIN_CONTENT text/html\n<b>\nEVCXR_END_CONTENT\n"]);
        assert_eq!(
            out,
            "x\nEVCXR_BEGIN_CONTENT text/html\n<b>\nEVCXR_END_CONTENT\n"
        );
    }

    #[test]
    fn an_input_request_line_is_an_event() {
        let text = "EVCXR_INPUT_REQUEST:Name: \nEVCXR_INPUT_REQUEST_PASSWORD:Key: \n";
        let (out, events) = relay(&[text.as_bytes()]);
        assert_eq!(out, text);
        assert_eq!(
            events,
            [(27, Event::InputRequest), (62, Event::InputRequest)]
        );
    }

    #[test]
    fn only_whole_control_lines_are_events() {
        for text in [
            "EVCXR_EXECUTION_COMPLETE!\n",
            "EVCXR_ERROR_OCCURRED x\n",
            "EVCXR_ERROR\n",
            "EVCXR_EXECUTION_COMPLETE",
            "text with EVCXR_IS_RUNTIME in it\n",
        ] {
            let (out, events) = relay(&[text.as_bytes()]);
            assert_eq!(out, text);
            assert_eq!(events, [], "{text:?}");
        }
    }

    #[test]
    fn an_unfinished_line_is_held_until_its_newline() {
        let mut lines = Lines::default();
        let mut out = Vec::new();
        let mut feed = |chunk: &[u8]| {
            lines
                .feed(chunk, &mut |bytes, _| {
                    out.extend_from_slice(bytes);
                    Ok(())
                })
                .unwrap();
            String::from_utf8(out.clone()).unwrap()
        };
        assert_eq!(feed(b"a\npart"), "a\n");
        assert_eq!(feed(b"ial"), "a\n");
        assert_eq!(feed(b"!\n"), "a\npartial!\n");
    }

    #[test]
    fn a_very_long_line_is_passed_on_unfinished() {
        let long = vec![b'x'; super::HOLD_AT_MOST + 1];
        let (out, _) = relay(&[&long]);
        assert_eq!(out.len(), long.len());
        let mut lines = Lines::default();
        let mut passed = 0;
        lines
            .feed(&long, &mut |bytes, _| {
                passed += bytes.len();
                Ok(())
            })
            .unwrap();
        assert_eq!(passed, long.len());
    }
}
