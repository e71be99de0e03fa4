//! The display protocol spoken by user code (`neurust_display`): one stdout line per message,
//! `NEURUST-DISPLAY-V1 ` and a compact JSON object. Each becomes one iopub message.

use neurust_display::Message;
use neurust_display::bundle::jupyter_data;
use serde_json::{Value, json};

/// `None` for an ordinary line; `Some(Err(why))` for a marked line that is not a valid message;
/// otherwise the iopub message type and content.
pub fn decode(line: &str) -> Option<Result<(&'static str, Value), String>> {
    neurust_display::decode(line).map(|decoded| decoded.map(to_iopub).map_err(|e| e.to_string()))
}

/// A valid display message glued after a partial line of text (`print!` without a newline just
/// before a display): the text before it, then the message as [`decode`] returns it.
pub fn decode_embedded(line: &str) -> Option<(&str, (&'static str, Value))> {
    neurust_display::decode_embedded(line).map(|(text, message)| (text, to_iopub(message)))
}

fn to_iopub(message: Message) -> (&'static str, Value) {
    match message {
        Message::Display {
            data,
            metadata,
            display_id,
        } => {
            let transient = match display_id {
                Some(id) => json!({ "display_id": id }),
                None => json!({}),
            };
            (
                "display_data",
                json!({ "data": jupyter_data(data), "metadata": metadata,
                        "transient": transient }),
            )
        }
        Message::Update {
            data,
            metadata,
            display_id,
        } => (
            "update_display_data",
            json!({ "data": jupyter_data(data), "metadata": metadata,
                    "transient": { "display_id": display_id } }),
        ),
        Message::Clear { wait } => ("clear_output", json!({ "wait": wait })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_the_three_actions() {
        assert!(decode("hello").is_none());
        let show =
            r#"NEURUST-DISPLAY-V1 {"action":"display","data":{"text/plain":"x"},"display_id":"d"}"#;
        let (kind, content) = decode(show).and_then(Result::ok).expect("valid");
        assert_eq!(kind, "display_data");
        assert_eq!(content["transient"]["display_id"], "d");
        assert_eq!(content["data"]["text/plain"], "x");
        let update = decode(r#"NEURUST-DISPLAY-V1 {"action":"update","data":{}}"#);
        assert!(matches!(update, Some(Err(_))));
        let clear = decode(r#"NEURUST-DISPLAY-V1 {"action":"clear","wait":true}"#);
        let (kind, content) = clear.and_then(Result::ok).expect("valid");
        assert_eq!((kind, content), ("clear_output", json!({ "wait": true })));
        assert!(matches!(decode("NEURUST-DISPLAY-V1 {nope"), Some(Err(_))));
    }

    #[test]
    fn finds_a_display_after_a_partial_line() {
        let line = r#"Training… NEURUST-DISPLAY-V1 {"action":"clear","wait":false}"#;
        assert!(decode(line).is_none());
        let (text, (kind, _)) = decode_embedded(line).expect("embedded display");
        assert_eq!((text, kind), ("Training… ", "clear_output"));
        assert!(decode_embedded("no display here").is_none());
    }
}
