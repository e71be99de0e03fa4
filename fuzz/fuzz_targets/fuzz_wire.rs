//! The Jupyter wire format: multipart frames, HMAC signature, JSON parts, connection files.
//!
//! Input: one flags byte, then frames separated by 0xFF bytes.
//! * flag 1: the harness signs the four frames after `<IDS|MSG>` with the key (so the JSON
//!   parsing behind the signature check is reached), else the signature frame is as given;
//! * flag 2: the key is empty (signing disabled), else it is `fuzz-key`;
//! * flag 4: the bytes after the flags are also parsed as a connection file.
//!
//! Checked: nothing panics; a decoded message encodes to frames that decode to the same
//! header, identities and buffers.
#![no_main]

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use neurust_wire::{ConnectionInfo, Signer, wire};

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    if flags & 4 != 0
        && let Ok(text) = std::str::from_utf8(rest)
        && let Ok(info) = ConnectionInfo::parse(text)
    {
        let _ = info.bind_host();
    }
    let signer = Signer::new(if flags & 2 != 0 { "" } else { "fuzz-key" });
    let mut frames: Vec<Bytes> = rest
        .split(|&b| b == 0xFF)
        .map(Bytes::copy_from_slice)
        .collect();
    if flags & 1 != 0
        && let Some(at) = frames.iter().position(|f| f.as_ref() == wire::DELIMITER)
        && frames.len() >= at + 6
    {
        let parts: Vec<&[u8]> = frames[at + 2..at + 6].iter().map(|f| f.as_ref()).collect();
        frames[at + 1] = Bytes::from(signer.sign(&parts));
    }
    if let Ok(message) = wire::decode(frames, &signer) {
        let again = wire::decode(wire::encode(&message, &signer), &signer)
            .expect("an encoded message decodes");
        assert_eq!(again.header, message.header);
        assert_eq!(again.identities, message.identities);
        assert_eq!(again.buffers, message.buffers);
        let _ = message.str_field("code");
        let _ = message.int_field("cursor_pos");
    }
});
