//! Splits the bytes user code writes into lines of valid UTF-8.
//!
//! evcxr reads the stream as `String` lines and gives up on the whole process's output at the
//! first invalid byte, so every line is made valid here: invalid bytes become U+FFFD, as
//! `String::from_utf8_lossy` (and ipykernel's `errors="replace"`) do. Only whole lines are
//! converted, so a character written in two pieces (two `write` calls, two reads of the pipe)
//! is whole again by then. A line longer than [`HOLD_AT_MOST`] is passed on in pieces, each
//! cut at a character boundary.

/// By default, a line longer than this is passed on before its newline, as a [`Piece::Part`].
pub const HOLD_AT_MOST: usize = 1 << 20;

/// What the splitter hands on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// A whole line, without its newline.
    Line(String),
    /// The start of a line too long to hold; the rest follows.
    Part(String),
}

/// Splits the stream into lines, keeping the unfinished one.
pub struct Splitter {
    held: Vec<u8>,
    limit: usize,
}

impl Default for Splitter {
    fn default() -> Self {
        Splitter::with_limit(HOLD_AT_MOST)
    }
}

impl Splitter {
    /// A splitter that holds at most `limit` bytes of a line (tests and fuzzing use small ones).
    pub fn with_limit(limit: usize) -> Self {
        Splitter {
            held: Vec::new(),
            limit,
        }
    }

    /// Takes bytes as read; `out` gets each finished line (or long piece) in order.
    pub fn feed(&mut self, chunk: &[u8], out: &mut dyn FnMut(Piece)) {
        let mut rest = chunk;
        while let Some(end) = rest.iter().position(|&b| b == b'\n') {
            let (line, tail) = (&rest[..end], &rest[end + 1..]);
            rest = tail;
            if self.held.is_empty() {
                out(Piece::Line(lossy(line)));
            } else {
                self.held.extend_from_slice(line);
                out(Piece::Line(lossy(&std::mem::take(&mut self.held))));
            }
        }
        self.held.extend_from_slice(rest);
        if self.held.len() > self.limit {
            let keep = incomplete_tail(&self.held);
            let tail = self.held.split_off(self.held.len() - keep);
            out(Piece::Part(lossy(&std::mem::replace(&mut self.held, tail))));
        }
    }

    /// The unfinished line, if there is one (for a prompt, or at the end of the stream).
    pub fn take_held(&mut self) -> Option<String> {
        (!self.held.is_empty()).then(|| lossy(&std::mem::take(&mut self.held)))
    }
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// How many bytes at the end of `bytes` start a character that is not complete yet.
fn incomplete_tail(bytes: &[u8]) -> usize {
    for back in 1..=bytes.len().min(3) {
        let byte = bytes[bytes.len() - back];
        if byte & 0xC0 == 0x80 {
            continue; // a continuation byte: look further back for the lead
        }
        let needs = match byte {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => return 0,
        };
        return if back < needs { back } else { 0 };
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(chunks: &[&[u8]]) -> (Vec<Piece>, Option<String>) {
        let mut splitter = Splitter::default();
        let mut pieces = Vec::new();
        for chunk in chunks {
            splitter.feed(chunk, &mut |p| pieces.push(p));
        }
        (pieces, splitter.take_held())
    }

    #[test]
    fn lines_come_whole_and_the_unfinished_one_is_held() {
        let (pieces, held) = split(&[b"a\npart", b"ial\n", b"rest"]);
        assert_eq!(
            pieces,
            [Piece::Line("a".into()), Piece::Line("partial".into())]
        );
        assert_eq!(held.as_deref(), Some("rest"));
    }

    #[test]
    fn a_character_split_across_writes_stays_whole() {
        let e = "é".as_bytes();
        let (pieces, _) = split(&[b"caf", &e[..1], &e[1..], b"\n"]);
        assert_eq!(pieces, [Piece::Line("café".into())]);
    }

    #[test]
    fn invalid_bytes_become_replacement_characters() {
        let (pieces, _) = split(&[b"a\xffb\xe2\x82\n"]);
        assert_eq!(pieces, [Piece::Line("a\u{FFFD}b\u{FFFD}".into())]);
    }

    #[test]
    fn a_very_long_line_goes_in_pieces_cut_between_characters() {
        let mut long = vec![b'x'; HOLD_AT_MOST];
        long.extend_from_slice(&"€".as_bytes()[..2]);
        let (pieces, held) = split(&[&long, &"€".as_bytes()[2..], b"!\n"]);
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[0], Piece::Part("x".repeat(HOLD_AT_MOST)));
        assert_eq!(pieces[1], Piece::Line("€!".into()));
        assert_eq!(held, None);
    }
}
