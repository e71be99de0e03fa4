//! Where output goes: the neurust kernel, stock evcxr, or a plain program.

use std::io::{self, Write};

use crate::{Message, encode};

/// Environment variable the neurust kernel sets in the user-code process.
///
/// ```
/// assert_eq!(neurust_display::KERNEL_ENV, "NEURUST_KERNEL");
/// ```
pub const KERNEL_ENV: &str = "NEURUST_KERNEL";

/// Environment variable evcxr (0.22: `runtime::EVCXR_IS_RUNTIME_VAR`) sets in the
/// child process that runs user code, under evcxr_jupyter and evcxr_repl alike.
///
/// ```
/// assert_eq!(neurust_display::EVCXR_ENV, "EVCXR_IS_RUNTIME");
/// ```
pub const EVCXR_ENV: &str = "EVCXR_IS_RUNTIME";

/// Environment variable holding the neurust kernel's per-process output tag. In the kernel,
/// every protocol line and content-block marker is written after it: the kernel's relay takes
/// only tagged lines as the kernel's own, so a cell printing the same text shows it as text.
///
/// ```
/// assert_eq!(neurust_display::TAG_ENV, "NEURUST_OUTPUT_TAG");
/// ```
pub const TAG_ENV: &str = "NEURUST_OUTPUT_TAG";

/// The tag to write before a control line: empty outside the neurust kernel.
fn tag() -> String {
    std::env::var(TAG_ENV).unwrap_or_default()
}

/// The front end user code is running under, which decides how output is written.
///
/// ```
/// use neurust_display::Frontend;
/// // `cargo test` sets neither variable:
/// assert_eq!(Frontend::detect(), Frontend::Plain);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frontend {
    /// The neurust kernel: protocol lines (see [`crate::protocol`]).
    Neurust,
    /// Stock evcxr: `EVCXR_BEGIN_CONTENT mime` … `EVCXR_END_CONTENT` blocks, which
    /// evcxr keeps one per MIME type and shows when the cell ends.
    Evcxr,
    /// A plain program or terminal: text only.
    Plain,
}

impl Frontend {
    /// Detect from the environment: [`KERNEL_ENV`] wins over [`EVCXR_ENV`]
    /// (the neurust kernel is built on evcxr, so both may be set).
    ///
    /// ```
    /// let f = neurust_display::Frontend::detect();
    /// assert!(matches!(f, neurust_display::Frontend::Plain) || std::env::var("EVCXR_IS_RUNTIME").is_ok() || std::env::var("NEURUST_KERNEL").is_ok());
    /// ```
    pub fn detect() -> Self {
        if std::env::var_os(KERNEL_ENV).is_some() {
            Frontend::Neurust
        } else if std::env::var_os(EVCXR_ENV).is_some() {
            Frontend::Evcxr
        } else {
            Frontend::Plain
        }
    }

    /// True when outputs can be updated in place (only the neurust kernel).
    ///
    /// ```
    /// assert!(neurust_display::Frontend::Neurust.supports_update());
    /// assert!(!neurust_display::Frontend::Evcxr.supports_update());
    /// ```
    pub fn supports_update(self) -> bool {
        self == Frontend::Neurust
    }

    /// Write `msg` the way this front end understands it, then flush.
    ///
    /// `plain` replaces the `text/plain` content in [`Frontend::Plain`] mode (figures
    /// use it to say where they saved a file). Clear requests are dropped outside
    /// the neurust kernel.
    ///
    /// ```
    /// use neurust_display::{Frontend, Message, MimeBundle};
    /// let msg = Message::display(MimeBundle::new().text("hi").html("<b>hi</b>"), None);
    /// let mut out = Vec::new();
    /// Frontend::Evcxr.write(&msg, None, &mut out).unwrap();
    /// let out = String::from_utf8(out).unwrap();
    /// assert!(out.contains("EVCXR_BEGIN_CONTENT text/html\n<b>hi</b>\nEVCXR_END_CONTENT\n"));
    /// let mut out = Vec::new();
    /// Frontend::Plain.write(&msg, None, &mut out).unwrap();
    /// assert_eq!(out, b"hi\n");
    /// ```
    pub fn write(self, msg: &Message, plain: Option<&str>, out: &mut dyn Write) -> io::Result<()> {
        match (self, msg) {
            (Frontend::Neurust, _) => {
                out.write_all(format!("{}{}\n", tag(), encode(msg)).as_bytes())?;
            }
            (_, Message::Clear { .. }) => {}
            (Frontend::Evcxr, Message::Display { data, .. } | Message::Update { data, .. }) => {
                for (mime, content) in data {
                    write_evcxr_block(out, mime, content)?;
                }
            }
            (Frontend::Plain, Message::Display { data, .. } | Message::Update { data, .. }) => {
                let text = plain.or(data.get("text/plain").map(String::as_str));
                if let Some(text) = text {
                    out.write_all(text.as_bytes())?;
                    out.write_all(b"\n")?;
                }
            }
        }
        out.flush()
    }
}

/// Write one evcxr content block (`EVCXR_BEGIN_CONTENT mime` … `EVCXR_END_CONTENT`), its two
/// marker lines after the kernel's tag ([`TAG_ENV`]) if there is one.
///
/// ```
/// let mut out = Vec::new();
/// neurust_display::write_evcxr_block(&mut out, "text/plain", "a\nb").unwrap();
/// assert_eq!(out, b"EVCXR_BEGIN_CONTENT text/plain\na\nb\nEVCXR_END_CONTENT\n");
/// ```
pub fn write_evcxr_block(out: &mut dyn Write, mime: &str, content: &str) -> io::Result<()> {
    let tag = tag();
    writeln!(out, "{tag}EVCXR_BEGIN_CONTENT {mime}")?;
    out.write_all(content.as_bytes())?;
    write!(out, "\n{tag}EVCXR_END_CONTENT\n")
}
