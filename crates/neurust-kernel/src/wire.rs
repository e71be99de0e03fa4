//! Jupyter wire format: splitting multipart frames into a message and HMAC-SHA256 signing.

use crate::message::{Header, Message};
use bytes::Bytes;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use std::fmt;

const DELIMITER: &[u8] = b"<IDS|MSG>";

/// Signs and verifies messages with the connection file's key. An empty key disables signing,
/// as the protocol specifies.
#[derive(Clone)]
pub struct Signer {
    mac: Option<Hmac<Sha256>>,
}

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

impl Signer {
    pub fn new(key: &str) -> Signer {
        let mac = if key.is_empty() {
            None
        } else {
            Hmac::<Sha256>::new_from_slice(key.as_bytes()).ok()
        };
        Signer { mac }
    }

    fn digest(&self, parts: &[&[u8]]) -> Option<Hmac<Sha256>> {
        let mut mac = self.mac.clone()?;
        for part in parts {
            mac.update(part);
        }
        Some(mac)
    }

    /// Hex signature of the four JSON frames ("" when signing is disabled).
    pub fn sign(&self, parts: &[&[u8]]) -> String {
        match self.digest(parts) {
            Some(mac) => hex::encode(mac.finalize().into_bytes()),
            None => String::new(),
        }
    }

    /// Constant-time check of a hex signature.
    pub fn verify(&self, signature: &[u8], parts: &[&[u8]]) -> bool {
        let Some(mac) = self.digest(parts) else {
            return true;
        };
        match hex::decode(signature) {
            Ok(raw) => mac.verify_slice(&raw).is_ok(),
            Err(_) => false,
        }
    }
}

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
}
