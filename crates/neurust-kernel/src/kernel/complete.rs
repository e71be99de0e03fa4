//! complete_request and inspect_request, answered by evcxr's rust-analyzer support.

use crate::kernel::engine::Engine;
use crate::kernel::message::{Message, Parent};
use crate::kernel::outbox::Channel;
use neurust_wire::cursor::{byte_to_char, char_to_byte};
use serde_json::json;

impl Engine {
    pub(crate) fn complete(&mut self, request: &Message) {
        let code = request.str_field("code").unwrap_or("");
        let chars = request
            .int_field("cursor_pos")
            .and_then(|p| usize::try_from(p).ok())
            .unwrap_or_else(|| code.chars().count());
        let position = char_to_byte(code, chars);
        let content = match self.ctx.completions(code, position) {
            Ok(found) => {
                let start = byte_to_char(code, found.start_offset);
                let end = byte_to_char(code, found.end_offset);
                let mut matches = Vec::new();
                let mut types = Vec::new();
                for c in &found.completions {
                    matches.push(c.code.clone());
                    types.push(json!({ "start": start, "end": end, "text": c.code,
                                       "type": c.kind, "signature": c.label }));
                }
                json!({
                    "status": "ok", "matches": matches,
                    "cursor_start": start, "cursor_end": end,
                    "metadata": { "_jupyter_types_experimental": types },
                })
            }
            Err(_) => json!({
                "status": "ok", "matches": [], "cursor_start": chars, "cursor_end": chars,
                "metadata": {},
            }),
        };
        self.outbox.reply(
            Channel::Shell,
            &Parent::of(request),
            "complete_reply",
            content,
        );
    }

    pub(crate) fn inspect(&mut self, request: &Message) {
        let code = request.str_field("code").unwrap_or("");
        let chars = request
            .int_field("cursor_pos")
            .and_then(|p| usize::try_from(p).ok())
            .unwrap_or_else(|| code.chars().count());
        let position = extend_to_word_end(code, char_to_byte(code, chars));
        let content = match self.ctx.hover_at(code, position) {
            Ok((plain, html)) if !plain.is_empty() && plain != "No documentation found" => json!({
                "status": "ok", "found": true,
                "data": { "text/plain": plain, "text/html": html },
                "metadata": {},
            }),
            _ => json!({ "status": "ok", "found": false, "data": {}, "metadata": {} }),
        };
        self.outbox.reply(
            Channel::Shell,
            &Parent::of(request),
            "inspect_reply",
            content,
        );
    }
}

/// Hover looks at the code up to the cursor, so a cursor inside a name moves to its end.
fn extend_to_word_end(code: &str, mut position: usize) -> usize {
    while let Some(c) = code[position..].chars().next() {
        if c.is_alphanumeric() || c == '_' {
            position += c.len_utf8();
        } else {
            break;
        }
    }
    position
}
