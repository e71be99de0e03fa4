//! The session's input history, answering history_request (tail, range, search).

use crate::kernel::message::Message;
use serde_json::{Value, json};
use std::sync::Arc;

const SESSION: i64 = 1;

/// Inputs are shared, so the snapshot a history request works on costs a pointer per cell,
/// however long the cells.
#[derive(Default, Clone)]
pub struct History {
    entries: Vec<(i64, Arc<str>)>,
}

impl History {
    pub fn push(&mut self, line: i64, input: &str) {
        self.entries.push((line, input.into()));
    }

    pub fn reply(&self, request: &Message) -> Value {
        let output = request.bool_field("output", false);
        let n = request
            .int_field("n")
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(usize::MAX);
        let chosen: Vec<&(i64, Arc<str>)> = match request.str_field("hist_access_type") {
            Some("tail") => tail(self.entries.iter().collect(), n),
            Some("range") => {
                let start = request.int_field("start").unwrap_or(0);
                let stop = request.int_field("stop").unwrap_or(i64::MAX);
                let stop = if stop <= 0 { i64::MAX } else { stop };
                self.entries
                    .iter()
                    .filter(|(line, _)| *line >= start && *line < stop)
                    .collect()
            }
            Some("search") => {
                let pattern = request.str_field("pattern").unwrap_or("*");
                let unique = request.bool_field("unique", false);
                let mut found: Vec<&(i64, Arc<str>)> = self
                    .entries
                    .iter()
                    .filter(|(_, input)| glob_match(pattern, input))
                    .collect();
                if unique {
                    let mut seen = std::collections::HashSet::new();
                    found.reverse();
                    found.retain(|(_, input)| seen.insert(input.as_ref()));
                    found.reverse();
                }
                tail(found, n)
            }
            _ => Vec::new(),
        };
        let history: Vec<Value> = chosen
            .into_iter()
            .map(|(line, input)| {
                let input: &str = input;
                if output {
                    json!([SESSION, line, [input, Value::Null]])
                } else {
                    json!([SESSION, line, input])
                }
            })
            .collect();
        json!({ "status": "ok", "history": history })
    }
}

fn tail<T>(mut items: Vec<T>, n: usize) -> Vec<T> {
    let skip = items.len().saturating_sub(n);
    items.drain(..skip);
    items
}

/// Shell-style glob over the whole input: `*` any run, `?` any one character.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("*", "anything"));
        assert!(glob_match("let *= 1", "let x = 1"));
        assert!(glob_match("a?c", "abc"));
        assert!(!glob_match("a?c", "abbc"));
    }
}
