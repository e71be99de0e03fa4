//! The relay's reading of stdout: which lines are control lines and which are user text.
//!
//! The relay sees every line before evcxr and the kernel do. Control lines come from three
//! places, and everything else is user text, escaped where it could be read as a control line
//! ([`crate::escape`]), so text a cell prints never ends a cell, fails it or draws anything:
//! - the kernel's own code writes its lines after the per-process tag ([`crate::tag`]): the
//!   start and end of a cell (the runtime), the panic hook's line, displays and content blocks
//!   (`neurust-display`). The relay removes the tag. Tagged content blocks pass whole.
//! - evcxr's generated code cannot be tagged. It writes `EVCXR_ERROR_OCCURRED`,
//!   `EVCXR_PANIC_NOTIFICATION` and the final expression's `EVCXR_BEGIN_CONTENT` …
//!   `EVCXR_END_CONTENT` blocks after the cell's code: such lines count as control lines only
//!   as the very last lines before the cell's end. Its `EVCXR_VARIABLE_CHANGED_TYPE:` lines come
//!   instead of the cell's code (which then does not run): they count only as the whole of a
//!   cell's output, and not for a name that counted in the cell just before (evcxr drops that
//!   variable and runs the cell again, whose checks no longer name it; a printed copy would
//!   make it run the cell again without end). Lines that may be evcxr's are held until the next
//!   line (then they were user text) or the end of the cell (then they were evcxr's).
//! - an `evcxr_input` prompt line counts only when a read of stdin follows it at once; its
//!   prompt then goes with the read's announcement (the relay's own line).
//!
//! Output written while no cell runs (a thread the cell left behind) goes to the kernel on
//! stderr, as tagged [`SIDE`] lines, which evcxr reads at any time (it reads stdout only while
//! a cell runs), so the kernel can show it under the last cell.

use crate::escape::{escape_line, escape_part, needs_escape};
use crate::split::Piece;

/// Tagged by the runtime before it calls a cell (removed by the relay).
pub const CELL_START: &str = "NEURUST-CELL-START-V1";
/// Tagged by the runtime after each cell; evcxr gets it untagged.
pub const CELL_END: &str = "EVCXR_EXECUTION_COMPLETE";
/// After the tag on stderr: a stdout line written while no cell ran.
pub const SIDE: &str = "NEURUST-STDOUT-V1 ";
/// The relay's line after evcxr's `?` error line (evcxr consumes that one silently).
pub const USER_ERROR_MARKER: &str = "NEURUST-USER-ERROR-V1";
/// After the tag on stderr, written by the runtime after each cell
/// (`neurust-kernel/src/child/command_loop.rs`).
pub const STDERR_END: &str = "NEURUST-STDERR-END-V1";

const ERROR: &str = "EVCXR_ERROR_OCCURRED";
const PANIC_NOTE: &str = "EVCXR_PANIC_NOTIFICATION";
const BEGIN: &str = "EVCXR_BEGIN_CONTENT ";
const END: &str = "EVCXR_END_CONTENT";
const CHANGED_TYPE: &str = "EVCXR_VARIABLE_CHANGED_TYPE:";
const INPUT: &str = "EVCXR_INPUT_REQUEST";
const PANIC: &str = "NEURUST-PANIC-V1 ";
const DISPLAY: &str = "NEURUST-DISPLAY-V1 ";

/// What the relay writes, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Lines for evcxr's reading of stdout, each with its newline.
    Evcxr(String),
    /// A line for stderr (with its newline): stdout from while no cell ran.
    Side(String),
    /// The cell's end line has been passed on.
    CellEnd,
}

/// An `evcxr_input` prompt, for the announcement of the read that follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub text: String,
    pub password: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Block {
    None,
    /// A tagged `EVCXR_BEGIN_CONTENT` came: lines pass as they are up to the tagged end.
    Ours,
    /// An untagged one came: held, with its lines, up to `EVCXR_END_CONTENT`.
    Evcxr,
}

/// A held line and where its control part starts (text before that was left by `print!`).
struct Held {
    line: String,
    at: usize,
}

/// Sorts the stream's lines; see the module docs.
pub struct Sorter {
    tag: String,
    trusting: bool,
    in_cell: bool,
    leading: bool,
    block: Block,
    held: Vec<Held>,
    /// The held lines are variable checks (from the start of the cell), not an ending.
    checks_held: bool,
    /// The variables named by the checks that counted in the last cell.
    last_checks: Vec<String>,
    prompt: Option<String>,
    /// The last piece was the start of a long line: its end is still to come.
    in_part: bool,
    out: Vec<Output>,
}

impl Sorter {
    /// A sorter for the kernel's runtime, which tags its lines with `tag`.
    pub fn new(tag: &str) -> Self {
        Sorter {
            tag: tag.to_owned(),
            trusting: false,
            in_cell: false,
            leading: false,
            block: Block::None,
            held: Vec::new(),
            checks_held: false,
            last_checks: Vec::new(),
            prompt: None,
            in_part: false,
            out: Vec::new(),
        }
    }

    /// A sorter for evcxr's own command loop (the fallback when the runtime's cannot start),
    /// which tags nothing: lines pass unchanged, as before this module existed.
    pub fn trusting() -> Self {
        Sorter {
            trusting: true,
            in_cell: true,
            ..Sorter::new("")
        }
    }

    /// What to write, in order, since the last call.
    pub fn outputs(&mut self) -> std::vec::Drain<'_, Output> {
        self.out.drain(..)
    }

    /// Takes the next piece of the stream.
    pub fn piece(&mut self, piece: Piece) {
        self.in_part = matches!(piece, Piece::Part(_));
        match piece {
            Piece::Line(line) => self.line(line),
            Piece::Part(part) if self.trusting => self.write(part, false),
            Piece::Part(part) => {
                self.release();
                self.write(escape_part(&part), true);
            }
        }
    }

    /// A running cell waits on stdin: what came before is passed on (`unfinished`, text
    /// without a newline, as a line of its own); returns the prompt of an `evcxr_input` line
    /// that came just before, which is not passed on.
    pub fn read_announced(&mut self, unfinished: Option<String>) -> Option<Prompt> {
        let unfinished = self.end_of_part(unfinished);
        let prompt = match (
            self.held.is_empty(),
            self.prompt.as_deref().and_then(prompt),
        ) {
            (true, Some(found)) => {
                self.prompt = None;
                Some(found)
            }
            _ => None,
        };
        if let Some(text) = unfinished {
            self.line(text);
        }
        self.release();
        prompt
    }

    /// A line of the relay's own (the announcement of a read), passed on as a control line.
    pub fn own_line(&mut self, line: &str) {
        self.raw(line);
    }

    /// The end of the stream: everything held is passed on.
    pub fn finish(&mut self, unfinished: Option<String>) {
        let unfinished = self.end_of_part(unfinished);
        if let Some(text) = unfinished {
            self.line(text);
        }
        self.release();
    }

    /// The text that ends the line now: `unfinished`, or nothing after the start of a long
    /// line (whose pieces are not lines of their own).
    fn end_of_part(&mut self, unfinished: Option<String>) -> Option<String> {
        let in_part = std::mem::replace(&mut self.in_part, false);
        unfinished.or_else(|| (in_part && !self.trusting).then(String::new))
    }

    fn line(&mut self, line: String) {
        if self.trusting {
            self.raw(&line);
            if line == ERROR {
                self.raw(USER_ERROR_MARKER);
            } else if line == CELL_END {
                self.out.push(Output::CellEnd);
            }
            return;
        }
        if let Some(at) = line.find(&self.tag)
            && self.tagged(&line, at)
        {
            return;
        }
        match self.block {
            Block::Ours => return self.raw(&line),
            Block::Evcxr => {
                if line == END || line == PANIC_NOTE {
                    self.block = Block::None;
                }
                return self.held.push(Held { line, at: 0 });
            }
            Block::None => {}
        }
        if !self.in_cell {
            return self.user(&line);
        }
        let leading = std::mem::replace(&mut self.leading, false);
        if leading && line.starts_with(CHANGED_TYPE) {
            self.leading = true;
            self.checks_held = true;
            return self.held.push(Held { line, at: 0 });
        }
        if let Some(at) = evcxr_ending(&line) {
            if self.prompt.is_some() || self.checks_held {
                self.release();
            }
            if line[at..].starts_with(BEGIN) {
                self.block = Block::Evcxr;
            }
            return self.held.push(Held { line, at });
        }
        self.release();
        if line.starts_with(INPUT) {
            self.prompt = Some(line);
        } else {
            self.user(&line);
        }
    }

    /// A line holding the tag at `at`; false if what follows the tag is none of the kernel's
    /// lines (the line is then user text).
    fn tagged(&mut self, line: &str, at: usize) -> bool {
        let (before, payload) = (&line[..at], &line[at + self.tag.len()..]);
        if payload == CELL_END {
            if before.is_empty() && self.block != Block::Evcxr && self.prompt.is_none() {
                self.evcxr_ending_is_genuine();
            } else {
                self.last_checks.clear();
                self.release();
                self.text_before(before);
            }
            self.block = Block::None;
            self.in_cell = true; // the end line always goes to evcxr
            self.raw(CELL_END);
            self.out.push(Output::CellEnd);
            self.in_cell = false;
            return true;
        }
        let known = payload == CELL_START
            || [PANIC, DISPLAY, BEGIN]
                .iter()
                .any(|p| payload.starts_with(p))
            || payload == END;
        if !known {
            return false;
        }
        self.release();
        self.leading = false;
        if payload == CELL_START {
            self.text_before(before);
            (self.in_cell, self.leading, self.block) = (true, true, Block::None);
        } else if payload.starts_with(DISPLAY) && !before.is_empty() && !needs_escape(before) {
            // Text left by `print!` stays on the display's line; the kernel splits it off.
            self.raw(&format!("{before}{payload}"));
        } else {
            self.text_before(before);
            self.raw(payload);
            if payload.starts_with(BEGIN) {
                self.block = Block::Ours;
            } else if payload == END {
                self.block = Block::None;
            }
        }
        true
    }

    /// The end of a cell right after held lines: they were evcxr's (variable checks only if
    /// none names a variable that the last cell's checks named).
    fn evcxr_ending_is_genuine(&mut self) {
        let checks: Vec<String> = if self.checks_held {
            let names = self.held.iter().map(|h| {
                h.line
                    .strip_prefix(CHANGED_TYPE)
                    .unwrap_or_default()
                    .to_owned()
            });
            names.collect()
        } else {
            Vec::new()
        };
        if checks.iter().any(|name| self.last_checks.contains(name)) {
            self.last_checks.clear();
            return self.release();
        }
        self.last_checks = checks;
        self.checks_held = false;
        for Held { line, at } in std::mem::take(&mut self.held) {
            self.text_before(&line[..at]);
            self.raw(&line[at..]);
            if &line[at..] == ERROR {
                self.raw(USER_ERROR_MARKER);
            }
        }
    }

    /// Held lines turned out to be user text: pass them on as such.
    fn release(&mut self) {
        if let Some(line) = self.prompt.take() {
            self.user(&line);
        }
        self.checks_held = false;
        for held in std::mem::take(&mut self.held) {
            self.user(&held.line);
        }
        if self.block == Block::Evcxr {
            self.block = Block::None;
        }
    }

    fn text_before(&mut self, text: &str) {
        if !text.is_empty() {
            self.user(text);
        }
    }

    fn user(&mut self, line: &str) {
        self.write(escape_line(line), true);
    }

    fn raw(&mut self, line: &str) {
        self.write(line.to_owned(), true);
    }

    fn write(&mut self, mut text: String, newline: bool) {
        if newline {
            text.push('\n');
        }
        if !self.in_cell {
            let line = text.strip_suffix('\n').unwrap_or(&text);
            self.out
                .push(Output::Side(format!("{}{SIDE}{line}\n", self.tag)));
        } else if let Some(Output::Evcxr(last)) = self.out.last_mut() {
            last.push_str(&text);
        } else {
            self.out.push(Output::Evcxr(text));
        }
    }
}

/// Where a line that may end a cell as evcxr's generated code does starts its control part.
fn evcxr_ending(line: &str) -> Option<usize> {
    // evcxr looks for a content block anywhere in a line, for the other two at its start; the
    // relay splits off text a `print!` left before them.
    line.find(BEGIN)
        .or_else(|| line.strip_suffix(ERROR).map(str::len))
        .or_else(|| line.strip_suffix(PANIC_NOTE).map(str::len))
}

/// The prompt of an `evcxr_input` line (`EVCXR_INPUT_REQUEST[_PASSWORD]:<prompt>`).
fn prompt(line: &str) -> Option<Prompt> {
    let (command, text) = line.split_once(':')?;
    let password = match command {
        "EVCXR_INPUT_REQUEST" => false,
        "EVCXR_INPUT_REQUEST_PASSWORD" => true,
        _ => return None,
    };
    Some(Prompt {
        text: text.to_owned(),
        password,
    })
}

#[cfg(test)]
#[path = "sort_tests.rs"]
mod tests;
