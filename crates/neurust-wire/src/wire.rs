//! Multipart frames: splitting one incoming message at `<IDS|MSG>`, authenticating it and
//! parsing its JSON parts; serialising and signing an outgoing one.
//!
//! An incoming message is `identities… <IDS|MSG> signature header parent_header metadata
//! content buffers…`. The four JSON frames must be signed by the connection key, the header
//! must hold at least `msg_id` and `msg_type`, and the content must be an object.

use crate::message::{Header, Message};
use crate::signer::Signer;
use bytes::Bytes;
use serde_json::Value;
use std::fmt;

/// The frame between the routing identities and the message proper.
pub const DELIMITER: &[u8] = b"<IDS|MSG>";

/// Why an incoming message was rejected.
#[derive(Debug)]
pub enum WireError {
    NoDelimiter,
    MissingFrames,
    BadSignature,
    BadJson(&'static str, String),
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WireError::NoDelimiter => write!(f, "no <IDS|MSG> delimiter"),
            WireError::MissingFrames => write!(f, "fewer than five frames after the delimiter"),
            WireError::BadSignature => write!(f, "missing or wrong HMAC signature"),
            WireError::BadJson(part, err) => write!(f, "malformed {part}: {err}"),
        }
    }
}

impl std::error::Error for WireError {}

fn parse_json(part: &'static str, bytes: &[u8]) -> Result<Value, WireError> {
    serde_json::from_slice(bytes).map_err(|e| WireError::BadJson(part, e.to_string()))
}

/// Parses and authenticates the frames of one incoming message.
pub fn decode(frames: Vec<Bytes>, signer: &Signer) -> Result<Message, WireError> {
    let split = frames
        .iter()
        .position(|f| f.as_ref() == DELIMITER)
        .ok_or(WireError::NoDelimiter)?;
    let mut rest = frames.into_iter();
    let identities: Vec<Bytes> = rest.by_ref().take(split).collect();
    rest.next(); // the delimiter
    let body: Vec<Bytes> = rest.collect();
    if body.len() < 5 {
        return Err(WireError::MissingFrames);
    }
    let parts: [&[u8]; 4] = [&body[1], &body[2], &body[3], &body[4]];
    if !signer.verify(&body[0], &parts) {
        return Err(WireError::BadSignature);
    }
    let header: Header = serde_json::from_value(parse_json("header", &body[1])?)
        .map_err(|e| WireError::BadJson("header", e.to_string()))?;
    let parent_header = parse_json("parent_header", &body[2])?;
    let metadata = parse_json("metadata", &body[3])?;
    let content = parse_json("content", &body[4])?;
    if !content.is_object() {
        return Err(WireError::BadJson("content", "not an object".into()));
    }
    Ok(Message {
        identities,
        header,
        parent_header,
        metadata,
        content,
        buffers: body.into_iter().skip(5).collect(),
    })
}

/// Serialises and signs one outgoing message.
pub fn encode(message: &Message, signer: &Signer) -> Vec<Bytes> {
    let to_bytes =
        |v: &Value| Bytes::from(serde_json::to_vec(v).unwrap_or_else(|_| b"{}".to_vec()));
    let header = to_bytes(&serde_json::to_value(&message.header).unwrap_or(Value::Null));
    let parent = to_bytes(&message.parent_header);
    let metadata = to_bytes(&message.metadata);
    let content = to_bytes(&message.content);
    let signature = signer.sign(&[&header, &parent, &metadata, &content]);
    let mut frames = message.identities.clone();
    frames.push(Bytes::from_static(DELIMITER));
    frames.push(Bytes::from(signature));
    frames.extend([header, parent, metadata, content]);
    frames.extend(message.buffers.iter().cloned());
    frames
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(signer: &Signer, content: &str) -> Vec<Bytes> {
        let header = br#"{"msg_id":"1","session":"s","username":"u","date":"","msg_type":"kernel_info_request","version":"5.3"}"#;
        let parts: [&[u8]; 4] = [header, b"{}", b"{}", content.as_bytes()];
        let sig = signer.sign(&parts);
        let mut out = vec![Bytes::from_static(b"id"), Bytes::from_static(DELIMITER)];
        out.push(Bytes::from(sig));
        out.extend(parts.iter().map(|p| Bytes::copy_from_slice(p)));
        out
    }

    #[test]
    fn round_trip_and_rejection() {
        let signer = Signer::new("secret");
        let msg = decode(frames(&signer, "{}"), &signer).expect("valid message");
        assert_eq!(msg.header.msg_type, "kernel_info_request");
        assert_eq!(msg.identities.len(), 1);
        let other = Signer::new("other");
        assert!(matches!(
            decode(frames(&other, "{}"), &signer),
            Err(WireError::BadSignature)
        ));
        let mut unsigned = frames(&signer, "{}");
        unsigned[2] = Bytes::new();
        assert!(decode(unsigned, &signer).is_err());
        assert!(decode(vec![Bytes::from_static(b"x")], &signer).is_err());
        let encoded = encode(&msg, &signer);
        assert!(decode(encoded, &signer).is_ok());
    }

    #[test]
    fn content_must_be_an_object_and_frames_complete() {
        let signer = Signer::new("secret");
        assert!(matches!(
            decode(frames(&signer, "[1]"), &signer),
            Err(WireError::BadJson("content", _))
        ));
        let mut short = frames(&signer, "{}");
        short.truncate(5);
        assert!(matches!(
            decode(short, &signer),
            Err(WireError::MissingFrames)
        ));
    }
}
