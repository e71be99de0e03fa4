//! The display protocol decoder: `decode` and `decode_embedded` on each line of the input.
//!
//! Checked: nothing panics; a decoded message encodes to a line that decodes to it again, and
//! `decode_embedded` returns a prefix of the line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use neurust_display::{decode, decode_embedded, encode};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for line in text.split_inclusive('\n') {
        if let Some(Ok(message)) = decode(line) {
            let again = decode(&encode(&message)).expect("an encoded line has the marker");
            assert_eq!(again.expect("an encoded line decodes"), message);
            let _ = message.bundle();
        }
        if let Some((prefix, message)) = decode_embedded(line) {
            assert!(line.starts_with(prefix));
            let _ = message.display_id();
        }
    }
});
