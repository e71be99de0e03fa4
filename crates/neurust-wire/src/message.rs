//! Jupyter messages: headers, and building replies and broadcasts from a request.

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The version of the messaging protocol this kernel speaks.
pub const PROTOCOL_VERSION: &str = "5.3";

/// A message header. Only `msg_id` and `msg_type` are required on input; clients that omit
/// the rest are accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    /// A fresh header from the kernel: a new id, the current time, this protocol version.
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

/// One message: routing identities, the four JSON parts and any binary buffers.
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
    /// The parent of every reply and broadcast caused by `request`.
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
    /// A new message of `msg_type` answering `parent`, with empty metadata.
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

    /// A string field of the content.
    pub fn str_field(&self, name: &str) -> Option<&str> {
        self.content.get(name).and_then(Value::as_str)
    }

    /// A boolean field of the content, or `default` when absent or not a boolean.
    pub fn bool_field(&self, name: &str, default: bool) -> bool {
        self.content
            .get(name)
            .and_then(Value::as_bool)
            .unwrap_or(default)
    }

    /// An integer field of the content.
    pub fn int_field(&self, name: &str) -> Option<i64> {
        self.content.get(name).and_then(Value::as_i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_carry_the_request_as_parent() {
        let request = Message::new(
            "s",
            &Parent::none(),
            "execute_request",
            json!({"code": "1", "silent": true, "n": 3}),
        );
        let reply = Message::new("s", &Parent::of(&request), "execute_reply", json!({}));
        assert_eq!(
            reply.parent_header["msg_id"],
            request.header.msg_id.as_str()
        );
        assert_eq!(reply.header.version, PROTOCOL_VERSION);
        assert_ne!(reply.header.msg_id, request.header.msg_id);
        assert_eq!(request.str_field("code"), Some("1"));
        assert!(request.bool_field("silent", false));
        assert!(request.bool_field("absent", true));
        assert_eq!(request.int_field("n"), Some(3));
    }
}
