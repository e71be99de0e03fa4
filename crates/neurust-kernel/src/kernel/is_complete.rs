//! is_complete, on Rust's own lexer (`rustc_lexer`, as rust-analyzer ships it): unclosed
//! brackets, strings or block comments mean "incomplete" (the client asks for another line); a
//! closing bracket that matches nothing, or a char literal left open, means "invalid".

use ra_ap_rustc_lexer::{FrontmatterAllowed, LiteralKind, RawStrError, TokenKind};
use serde_json::{Value, json};

pub fn reply(code: &str) -> Value {
    match scan(code) {
        Verdict::Complete => json!({ "status": "complete" }),
        Verdict::Incomplete(depth) => {
            json!({ "status": "incomplete", "indent": "    ".repeat(depth.max(1)) })
        }
        Verdict::Invalid => json!({ "status": "invalid" }),
    }
}

#[derive(Debug, PartialEq)]
pub enum Verdict {
    Complete,
    /// Open, with this many brackets still open.
    Incomplete(usize),
    Invalid,
}

pub fn scan(code: &str) -> Verdict {
    let mut open: Vec<TokenKind> = Vec::new();
    let mut at = 0usize;
    for token in ra_ap_rustc_lexer::tokenize(code, FrontmatterAllowed::No) {
        let text = &code[at..at + token.len as usize];
        at += token.len as usize;
        match token.kind {
            TokenKind::OpenParen | TokenKind::OpenBracket | TokenKind::OpenBrace => {
                open.push(token.kind)
            }
            TokenKind::CloseParen | TokenKind::CloseBracket | TokenKind::CloseBrace => {
                let opener = match token.kind {
                    TokenKind::CloseParen => TokenKind::OpenParen,
                    TokenKind::CloseBracket => TokenKind::OpenBracket,
                    _ => TokenKind::OpenBrace,
                };
                if open.pop() != Some(opener) {
                    return Verdict::Invalid;
                }
            }
            TokenKind::BlockComment {
                terminated: false, ..
            } => return Verdict::Incomplete(open.len()),
            TokenKind::Literal { kind, .. } => match literal(kind, text) {
                Verdict::Complete => {}
                Verdict::Incomplete(_) => return Verdict::Incomplete(open.len()),
                Verdict::Invalid => return Verdict::Invalid,
            },
            _ => {}
        }
    }
    if open.is_empty() {
        Verdict::Complete
    } else {
        Verdict::Incomplete(open.len())
    }
}

/// A literal token: an open string continues on the next line; an open char cannot.
fn literal(kind: LiteralKind, text: &str) -> Verdict {
    match kind {
        LiteralKind::Str { terminated }
        | LiteralKind::ByteStr { terminated }
        | LiteralKind::CStr { terminated } => open_if(!terminated),
        LiteralKind::Char { terminated } | LiteralKind::Byte { terminated } => {
            if terminated {
                Verdict::Complete
            } else {
                Verdict::Invalid
            }
        }
        LiteralKind::RawStr { n_hashes: None } => raw(text, 1),
        LiteralKind::RawByteStr { n_hashes: None } | LiteralKind::RawCStr { n_hashes: None } => {
            raw(text, 2)
        }
        _ => Verdict::Complete,
    }
}

/// A raw string the lexer could not close: open when its terminator is missing, invalid when
/// its opening is malformed.
fn raw(text: &str, prefix_len: u32) -> Verdict {
    match ra_ap_rustc_lexer::validate_raw_str(text, prefix_len) {
        Err(RawStrError::NoTerminator { .. }) => Verdict::Incomplete(0),
        Err(_) => Verdict::Invalid,
        Ok(()) => Verdict::Complete,
    }
}

fn open_if(open: bool) -> Verdict {
    if open {
        Verdict::Incomplete(0)
    } else {
        Verdict::Complete
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts() {
        assert_eq!(scan("let x = 1;"), Verdict::Complete);
        assert_eq!(scan("fn f() {"), Verdict::Incomplete(1));
        assert_eq!(scan("fn f() { g(["), Verdict::Incomplete(3));
        assert_eq!(scan(")"), Verdict::Invalid);
        assert_eq!(scan("(]"), Verdict::Invalid);
        assert_eq!(scan("let s = \"{\";"), Verdict::Complete);
        assert_eq!(scan("let s = \"abc"), Verdict::Incomplete(0));
        assert_eq!(scan("f(\"abc"), Verdict::Incomplete(1));
        assert_eq!(scan("// (\nlet c = '(';"), Verdict::Complete);
        assert_eq!(scan("fn f<'a>(x: &'a str) {}"), Verdict::Complete);
        assert_eq!(scan("let r = r#\"}\"#;"), Verdict::Complete);
        assert_eq!(scan("let r = r#\"}\"; {"), Verdict::Incomplete(0));
        assert_eq!(scan("/* ( "), Verdict::Incomplete(0));
        assert_eq!(scan("/* /* */ ( */ 1"), Verdict::Complete);
    }

    #[test]
    fn byte_and_raw_strings_end_where_rust_ends_them() {
        // A raw string has no escapes: `br"\"` is the one-character string `\`.
        assert_eq!(scan(r#"let b = br"\";"#), Verdict::Complete);
        assert_eq!(scan(r#"let b = b"\"";"#), Verdict::Complete);
        assert_eq!(scan(r#"let b = b"\";"#), Verdict::Incomplete(0));
        assert_eq!(scan(r##"let c = cr#"x"#;"##), Verdict::Complete);
        assert_eq!(scan("let b = b'{';"), Verdict::Complete);
        assert_eq!(scan("let c = '\\''; {"), Verdict::Incomplete(1));
        assert_eq!(scan("let c = '\\n"), Verdict::Invalid);
        assert_eq!(scan("let r = r#~\"x\"#;"), Verdict::Invalid);
    }
}
