//! is_complete: a small scanner over Rust's brackets, strings and comments. Unclosed brackets,
//! strings or block comments mean "incomplete"; a closing bracket that matches nothing means
//! "invalid".

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
    Incomplete(usize),
    Invalid,
}

pub fn scan(code: &str) -> Verdict {
    let chars: Vec<char> = code.chars().collect();
    let mut stack: Vec<char> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '/' if next == Some('/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if next == Some('*') => {
                let mut depth = 1;
                i += 2;
                while depth > 0 {
                    match (chars.get(i), chars.get(i + 1)) {
                        (None, _) => return Verdict::Incomplete(stack.len()),
                        (Some('/'), Some('*')) => (depth += 1, i += 1).1,
                        (Some('*'), Some('/')) => (depth -= 1, i += 1).1,
                        _ => {}
                    }
                    i += 1;
                }
                continue;
            }
            'r' if matches!(next, Some('#') | Some('"')) && !ident_before(&chars, i) => {
                let mut hashes = 0;
                let mut j = i + 1;
                while chars.get(j) == Some(&'#') {
                    hashes += 1;
                    j += 1;
                }
                if chars.get(j) == Some(&'"') {
                    match find_raw_end(&chars, j + 1, hashes) {
                        Some(end) => i = end,
                        None => return Verdict::Incomplete(stack.len()),
                    }
                }
            }
            '"' => match find_string_end(&chars, i + 1) {
                Some(end) => i = end,
                None => return Verdict::Incomplete(stack.len()),
            },
            '\'' => {
                // A char literal ('a', '\n') or a lifetime ('a): skip only literals.
                if next == Some('\\') {
                    let mut j = i + 2;
                    while j < chars.len() && chars[j] != '\'' {
                        j += 1;
                    }
                    i = j;
                } else if chars.get(i + 2) == Some(&'\'') {
                    i += 2;
                }
            }
            '(' | '[' | '{' => stack.push(c),
            ')' | ']' | '}' => {
                let open = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                if stack.pop() != Some(open) {
                    return Verdict::Invalid;
                }
            }
            _ => {}
        }
        i += 1;
    }
    if stack.is_empty() {
        Verdict::Complete
    } else {
        Verdict::Incomplete(stack.len())
    }
}

fn ident_before(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

fn find_string_end(chars: &[char], mut i: usize) -> Option<usize> {
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

fn find_raw_end(chars: &[char], mut i: usize, hashes: usize) -> Option<usize> {
    while i < chars.len() {
        if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
            return Some(i + hashes);
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts() {
        assert_eq!(scan("let x = 1;"), Verdict::Complete);
        assert_eq!(scan("fn f() {"), Verdict::Incomplete(1));
        assert_eq!(scan(")"), Verdict::Invalid);
        assert_eq!(scan("let s = \"{\";"), Verdict::Complete);
        assert_eq!(scan("let s = \"abc"), Verdict::Incomplete(0));
        assert_eq!(scan("// (\nlet c = '(';"), Verdict::Complete);
        assert_eq!(scan("fn f<'a>(x: &'a str) {}"), Verdict::Complete);
        assert_eq!(scan("let r = r#\"}\"#;"), Verdict::Complete);
        assert_eq!(scan("/* ( "), Verdict::Incomplete(0));
    }
}
