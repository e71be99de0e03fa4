//! Inputs that `scripts/fuzz fuzz_display` once found to break a property of the protocol.

use neurust_display::{decode, encode};

/// A decoded message encodes to a line that decodes to the same message. Found by fuzzing:
/// `283333333330000000000016923147567684212052` reads as the float printed `2.8333333333e41`,
/// but without serde_json's `float_roundtrip` that text read back one bit lower, so such
/// metadata changed on every relay.
#[test]
fn float_metadata_survives_a_round_trip() {
    let line = br#"NEURUST-DISPLAY-V1 {"action":"display","data":{"image/png":"iVBORw="},"metadata":{"image/png":{"width":283333333330000000000016923147567684212052}}}"#;
    let line = std::str::from_utf8(line).unwrap();
    let message = decode(line).unwrap().unwrap();
    let again = decode(&encode(&message)).unwrap().unwrap();
    assert_eq!(again, message);
}
