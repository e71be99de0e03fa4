//! Escaping of user lines that could be read as a control line.
//!
//! evcxr recognises its control lines by `EVCXR_` names (one of them, `EVCXR_BEGIN_CONTENT `,
//! anywhere in a line) and the kernel its own by `NEURUST-` names (a display anywhere in a
//! line). A user line holding either, or ending in `\r` (which evcxr's line reader drops), is
//! written as [`LINE`] followed by the line with `\`, `_`, `-` and `\r` escaped: the escaped
//! text holds no `_` or `-`, so no name of either side, and no line of its own starts with the
//! prefix unescaped (it holds `NEURUST-`). Every other line passes unchanged, so ordinary
//! output costs nothing.

/// Starts an escaped line.
pub const LINE: &str = "NEURUST-ESC-V1 ";
/// Starts an escaped piece of a line too long to hold: the line goes on in the next piece.
pub const PART: &str = "NEURUST-ESC-V1+";

/// Whether `line` (without its newline) must be escaped.
pub fn needs_escape(line: &str) -> bool {
    line.contains("EVCXR_") || line.contains("NEURUST-") || line.ends_with('\r')
}

/// `line` as it goes to evcxr (without the newline): escaped if it needs to be.
pub fn escape_line(line: &str) -> String {
    if needs_escape(line) {
        encode(LINE, line)
    } else {
        line.to_owned()
    }
}

/// A piece of a long line (always escaped: its end is not a line's end).
pub fn escape_part(piece: &str) -> String {
    encode(PART, piece)
}

fn encode(prefix: &str, text: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + text.len() + 8);
    out.push_str(prefix);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '_' => out.push_str("\\u"),
            '-' => out.push_str("\\m"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

/// An escaped line, read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unescaped {
    pub text: String,
    /// The user's line goes on in the next piece (no newline after this one).
    pub continues: bool,
}

/// The user's text, if `line` was escaped; None for any other line.
pub fn unescape(line: &str) -> Option<Unescaped> {
    let (body, continues) = match line.strip_prefix(LINE) {
        Some(body) => (body, false),
        None => (line.strip_prefix(PART)?, true),
    };
    let mut text = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            text.push(c);
            continue;
        }
        match chars.next() {
            Some('u') => text.push('_'),
            Some('m') => text.push('-'),
            Some('r') => text.push('\r'),
            Some(other) => text.push(other),
            None => text.push('\\'),
        }
    }
    Some(Unescaped { text, continues })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_lines_pass_unchanged() {
        for line in ["", "hello", "a_b-c \\ é", "EVCXR", "NEURUST_"] {
            assert_eq!(escape_line(line), line);
            assert_eq!(unescape(line), None);
        }
    }

    #[test]
    fn marked_lines_read_back_as_written_and_hold_no_name() {
        for line in [
            "EVCXR_EXECUTION_COMPLETE",
            "x EVCXR_BEGIN_CONTENT text/html",
            "NEURUST-PANIC-V1 \"boom\"",
            "NEURUST-ESC-V1 NEURUST-ESC-V1 \\u\\m",
            "progress\r",
            "a\\NEURUST-\\",
        ] {
            let escaped = escape_line(line);
            let body = escaped.strip_prefix(LINE).expect("escaped");
            assert!(!body.contains(['_', '-', '\r']), "{escaped:?}");
            let back = unescape(&escaped).expect("unescapes");
            assert_eq!((back.text.as_str(), back.continues), (line, false));
        }
        let part = unescape(&escape_part("EVCXR_")).expect("a part");
        assert_eq!((part.text.as_str(), part.continues), ("EVCXR_", true));
    }
}
