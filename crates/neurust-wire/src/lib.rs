//! The Jupyter messaging protocol's wire format (5.3), as the neurust kernel speaks it.
//!
//! This crate holds everything that turns bytes from a ZeroMQ socket into a [`Message`] and
//! back, with no sockets and no engine, so it builds in seconds and can be fuzzed on its own.
//! The kernel (`neurust-kernel`) adds the sockets and the request handlers.
//!
//! # Contents
//!
//! * [`wire`]: [`wire::decode`] splits the multipart frames of one incoming message at
//!   `<IDS|MSG>`, checks its signature and parses its JSON parts; [`wire::encode`] is the
//!   reverse. Rejections are a [`WireError`].
//! * [`signer`]: [`Signer`], HMAC-SHA256 over the four JSON frames with the connection key.
//! * [`message`]: [`Message`], [`Header`] and [`Parent`]: what a request or reply holds.
//! * [`cursor`]: Jupyter's code-point cursor positions and byte offsets.
//! * [`connection`]: [`ConnectionInfo`], the connection file Jupyter hands a kernel.
//!
//! ```
//! use neurust_wire::{Message, Parent, Signer, wire};
//! let signer = Signer::new("secret");
//! let reply = Message::new("session", &Parent::none(), "status", serde_json::json!({"execution_state": "idle"}));
//! let frames = wire::encode(&reply, &signer);
//! let back = wire::decode(frames, &signer).unwrap();
//! assert_eq!(back.header.msg_type, "status");
//! ```

pub mod connection;
pub mod cursor;
pub mod message;
pub mod signer;
pub mod wire;

pub use connection::{ConnectionError, ConnectionInfo};
pub use message::{Header, Message, PROTOCOL_VERSION, Parent};
pub use signer::Signer;
pub use wire::WireError;
