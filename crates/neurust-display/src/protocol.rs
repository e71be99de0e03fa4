//! The wire format between user code and the neurust kernel.
//!
//! # Protocol `NEURUST-DISPLAY-V1`
//!
//! User code asks the kernel to show something by writing **one line** on its
//! standard output:
//!
//! ```text
//! NEURUST-DISPLAY-V1 {"action":"display","data":{"text/plain":"hi"},"metadata":{}}\n
//! ```
//!
//! That is the marker [`MARKER`] (`NEURUST-DISPLAY-V1` and one space) at the very
//! start of the line, then one compact JSON object, then `\n`. In the neurust kernel the
//! line is written after the kernel's per-process tag ([`crate::TAG_ENV`]), which the
//! kernel's relay checks and removes: an untagged line is the user's text, shown as such. JSON escapes every
//! newline inside strings, so a message never spans lines, whatever text it carries.
//! A line that does not start with the marker is ordinary output.
//!
//! | field | type | when | meaning |
//! |---|---|---|---|
//! | `action` | `"display"`, `"update"` or `"clear"` | always | what to do |
//! | `data` | object: MIME type → string | display, update | the MIME bundle |
//! | `metadata` | object | display, update (may be `{}`) | Jupyter display metadata |
//! | `display_id` | string | optional for display, required for update | names an output so it can be updated later |
//! | `wait` | bool | clear (default `false`) | clear only when the next output arrives |
//!
//! MIME values are strings: `text/plain`, `text/html` and `image/svg+xml` hold the
//! text itself, binary types such as `image/png` hold standard base64 (with padding,
//! no line breaks), exactly as Jupyter's `display_data` carries them.
//!
//! The kernel maps the actions to Jupyter messages on the IOPub channel:
//!
//! * `display` → `display_data` (with `transient.display_id` when `display_id` is given),
//! * `update` → `update_display_data` for that `display_id`,
//! * `clear` → `clear_output` with `wait`.
//!
//! A kernel reads stdout line by line and passes each line to [`decode`]:
//! `None` means "not a protocol line, treat as text", `Some(Err(_))` means the
//! marker was there but the JSON was malformed (show the line as text and warn),
//! `Some(Ok(msg))` is a message. Unknown fields are ignored, so later versions can
//! add fields; a new incompatible format would use a new marker.
//!
//! The emitters write each message as one `write` of the whole line followed by a
//! flush, holding the stdout lock, so messages from several threads never
//! interleave. If user code left a partial line on stdout (`print!` without
//! `\n`) the marker will not start the line; [`decode_embedded`] recovers such
//! messages.
//!
//! ```
//! use neurust_display::{decode, encode, Message, MimeBundle};
//! let msg = Message::display(MimeBundle::new().text("hello"), None);
//! let line = encode(&msg);
//! assert!(line.starts_with("NEURUST-DISPLAY-V1 {"));
//! assert_eq!(decode(&line).unwrap().unwrap(), msg);
//! assert!(decode("plain output").is_none());
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::MimeBundle;

/// The marker that starts every protocol line, trailing space included.
///
/// ```
/// assert_eq!(neurust_display::MARKER, "NEURUST-DISPLAY-V1 ");
/// ```
pub const MARKER: &str = "NEURUST-DISPLAY-V1 ";

/// One request from user code to the kernel (see the [module docs](self)).
///
/// ```
/// use neurust_display::Message;
/// let json = serde_json::to_string(&Message::clear(true)).unwrap();
/// assert_eq!(json, r#"{"action":"clear","wait":true}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "lowercase")]
pub enum Message {
    /// Show a new output (Jupyter `display_data`).
    Display {
        /// MIME type → content (base64 for binary types).
        data: BTreeMap<String, String>,
        /// Jupyter display metadata.
        #[serde(default)]
        metadata: Map<String, Value>,
        /// Name of this output, for later updates.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        display_id: Option<String>,
    },
    /// Replace an earlier output in place (Jupyter `update_display_data`).
    Update {
        /// MIME type → content.
        data: BTreeMap<String, String>,
        /// Jupyter display metadata.
        #[serde(default)]
        metadata: Map<String, Value>,
        /// The output to replace.
        display_id: String,
    },
    /// Clear the cell's outputs (Jupyter `clear_output`).
    Clear {
        /// Wait for the next output before clearing (avoids flicker).
        #[serde(default)]
        wait: bool,
    },
}

impl Message {
    /// A `display` message for `bundle`, optionally named by `display_id`.
    ///
    /// ```
    /// # use neurust_display::{Message, MimeBundle};
    /// let m = Message::display(MimeBundle::new().html("<b>x</b>"), Some("bar".into()));
    /// assert_eq!(m.display_id(), Some("bar"));
    /// ```
    pub fn display(bundle: MimeBundle, display_id: Option<String>) -> Self {
        let (data, metadata) = bundle.into_parts();
        Message::Display {
            data,
            metadata,
            display_id,
        }
    }

    /// An `update` message replacing output `display_id` with `bundle`.
    ///
    /// ```
    /// # use neurust_display::{Message, MimeBundle};
    /// let m = Message::update(MimeBundle::new().text("50%"), "bar");
    /// assert_eq!(m.display_id(), Some("bar"));
    /// ```
    pub fn update(bundle: MimeBundle, display_id: impl Into<String>) -> Self {
        let (data, metadata) = bundle.into_parts();
        Message::Update {
            data,
            metadata,
            display_id: display_id.into(),
        }
    }

    /// A `clear` message.
    ///
    /// ```
    /// # use neurust_display::Message;
    /// assert_eq!(Message::clear(false), Message::Clear { wait: false });
    /// ```
    pub fn clear(wait: bool) -> Self {
        Message::Clear { wait }
    }

    /// The display id, if the message has one.
    ///
    /// ```
    /// # use neurust_display::Message;
    /// assert_eq!(Message::clear(true).display_id(), None);
    /// ```
    pub fn display_id(&self) -> Option<&str> {
        match self {
            Message::Display { display_id, .. } => display_id.as_deref(),
            Message::Update { display_id, .. } => Some(display_id),
            Message::Clear { .. } => None,
        }
    }

    /// The MIME bundle of a display or update message.
    ///
    /// ```
    /// # use neurust_display::{Message, MimeBundle};
    /// let m = Message::display(MimeBundle::new().text("t"), None);
    /// assert_eq!(m.bundle().unwrap().get("text/plain"), Some("t"));
    /// ```
    pub fn bundle(&self) -> Option<MimeBundle> {
        match self {
            Message::Display { data, metadata, .. } | Message::Update { data, metadata, .. } => {
                Some(MimeBundle::from_parts(data.clone(), metadata.clone()))
            }
            Message::Clear { .. } => None,
        }
    }
}

/// The full protocol line for `msg`: marker + compact JSON, without the newline.
///
/// ```
/// # use neurust_display::{encode, Message};
/// assert_eq!(encode(&Message::clear(false)),
///            r#"NEURUST-DISPLAY-V1 {"action":"clear","wait":false}"#);
/// ```
///
/// evcxr reads the user-code process's stdout itself and takes `EVCXR_BEGIN_CONTENT` anywhere
/// in a line as the start of a block that only `EVCXR_END_CONTENT` ends, so content quoting
/// that text would hang the cell. `EVCXR_` is therefore written as `EVCXR\u005f` (the same
/// string to any JSON reader); it can only occur inside JSON strings.
///
/// ```
/// # use neurust_display::{decode, encode, MimeBundle, Message};
/// let msg = Message::display(MimeBundle::new().text("EVCXR_BEGIN_CONTENT text/plain"), None);
/// let line = encode(&msg);
/// assert!(!line.contains("EVCXR_"));
/// assert_eq!(decode(&line).unwrap().unwrap(), msg);
/// ```
pub fn encode(msg: &Message) -> String {
    // Serialising maps of strings cannot fail.
    let json = serde_json::to_string(msg).unwrap_or_else(|_| String::from("{}"));
    let json = json.replace("EVCXR_", "EVCXR\\u005f");
    let mut line = String::with_capacity(MARKER.len() + json.len());
    line.push_str(MARKER);
    line.push_str(&json);
    line
}

/// Decode one stdout line (a trailing `\n` or `\r\n` is allowed).
///
/// Returns `None` when the line is not a protocol line, `Some(Err(_))` when it
/// starts with the marker but is not a valid message.
///
/// ```
/// # use neurust_display::decode;
/// assert!(decode("hello").is_none());
/// assert!(decode("NEURUST-DISPLAY-V1 {oops").unwrap().is_err());
/// ```
pub fn decode(line: &str) -> Option<Result<Message, DecodeError>> {
    let line = line.strip_suffix('\n').unwrap_or(line);
    let line = line.strip_suffix('\r').unwrap_or(line);
    let json = line.strip_prefix(MARKER)?;
    Some(serde_json::from_str(json).map_err(|e| DecodeError(e.to_string())))
}

/// Tolerant decoding for a kernel: a protocol message glued after a partial line.
///
/// If user code printed a partial line (`print!` without a newline) right before
/// a display, stdout holds `partial` + marker + JSON on one line. This finds the
/// first marker followed by a valid message and returns the text before it and
/// the message. [`decode`] (marker at the start) remains the protocol; a kernel
/// may fall back to this for lines [`decode`] rejects.
///
/// ```
/// use neurust_display::{decode_embedded, encode, Message};
/// let line = format!("50% done{}", encode(&Message::clear(true)));
/// let (prefix, msg) = decode_embedded(&line).unwrap();
/// assert_eq!((prefix, msg), ("50% done", Message::clear(true)));
/// assert!(decode_embedded("no marker here").is_none());
/// ```
pub fn decode_embedded(line: &str) -> Option<(&str, Message)> {
    let mut from = 0;
    while let Some(at) = line[from..].find(MARKER) {
        let at = from + at;
        if let Some(Ok(msg)) = decode(&line[at..]) {
            return Some((&line[..at], msg));
        }
        from = at + MARKER.len();
    }
    None
}

/// A line started with [`MARKER`] but its JSON was not a valid [`Message`].
///
/// ```
/// # use neurust_display::decode;
/// let err = decode(r#"NEURUST-DISPLAY-V1 {"action":"explode"}"#).unwrap().unwrap_err();
/// assert!(err.to_string().contains("invalid neurust display message"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(pub String);

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid neurust display message: {}", self.0)
    }
}

impl std::error::Error for DecodeError {}
