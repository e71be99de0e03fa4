//! Jupyter messages: headers, and building replies and broadcasts from a request.

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

pub const PROTOCOL_VERSION: &str = "5.3";

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Header {
    pub msg_id: String,
    #[serde(default)]
    pub session: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub date: String,
    pub msg_type: String,
    #[serde(default)]
    pub version: String,
}

impl Header {
    pub fn new(session: &str, msg_type: &str) -> Header {
        Header {
            msg_id: uuid::Uuid::new_v4().to_string(),
            session: session.to_owned(),
            username: "kernel".to_owned(),
            date: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            msg_type: msg_type.to_owned(),
            version: PROTOCOL_VERSION.to_owned(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Message {
    pub identities: Vec<Bytes>,
    pub header: Header,
    pub parent_header: Value,
    pub metadata: Value,
    pub content: Value,
    pub buffers: Vec<Bytes>,
}

/// What an outgoing message answers: the request's routing identities and header.
#[derive(Clone, Debug)]
pub struct Parent {
    pub identities: Vec<Bytes>,
    pub header: Value,
}

impl Parent {
    pub fn of(request: &Message) -> Parent {
        Parent {
            identities: request.identities.clone(),
            header: serde_json::to_value(&request.header).unwrap_or(Value::Null),
        }
    }

    /// A parent for messages that answer no request (start-up status).
    pub fn none() -> Parent {
        Parent {
            identities: Vec::new(),
            header: json!({}),
        }
    }
}

impl Message {
    pub fn new(session: &str, parent: &Parent, msg_type: &str, content: Value) -> Message {
        Message {
            identities: parent.identities.clone(),
            header: Header::new(session, msg_type),
            parent_header: parent.header.clone(),
            metadata: json!({}),
            content,
            buffers: Vec::new(),
        }
    }

    pub fn str_field(&self, name: &str) -> Option<&str> {
        self.content.get(name).and_then(Value::as_str)
    }

    pub fn bool_field(&self, name: &str, default: bool) -> bool {
        self.content
            .get(name)
            .and_then(Value::as_bool)
            .unwrap_or(default)
    }

    pub fn int_field(&self, name: &str) -> Option<i64> {
        self.content.get(name).and_then(Value::as_i64)
    }
}

/// Jupyter counts cursor positions in Unicode code points; evcxr wants byte offsets.
pub fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map(|(i, _)| i)
        .unwrap_or(text.len())
}

pub fn byte_to_char(text: &str, byte: usize) -> usize {
    let byte = byte.min(text.len());
    text.char_indices().take_while(|(i, _)| *i < byte).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_convert_both_ways() {
        let s = "é = 1";
        assert_eq!(char_to_byte(s, 1), 2);
        assert_eq!(byte_to_char(s, 2), 1);
        assert_eq!(char_to_byte(s, 99), s.len());
    }
}
