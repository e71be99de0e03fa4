//! Rich display for neurust: how user code asks a notebook to show things.
//!
//! This crate is deliberately tiny (serde, serde_json, base64) so the kernel can
//! decode display requests without building any plotting code.
//!
//! # Contents
//!
//! * [`protocol`]: the `NEURUST-DISPLAY-V1` line format — [`MARKER`], [`Message`], [`decode_embedded`],
//!   [`encode`], [`decode`], [`DecodeError`]. **Read its docs for the protocol.**
//! * [`bundle`]: [`MimeBundle`], one value in several MIME representations;
//!   [`bundle::jupyter_data`], its data as a Jupyter message carries it (JSON types as JSON).
//! * [`emit`](mod@emit): [`Displayable`] (with `.show()`), [`display`], [`display_updatable`],
//!   [`update_display`], [`clear_output`], [`DisplayHandle`], [`emit()`].
//! * [`frontend`]: [`Frontend`] routing.
//! * [`html`](mod@html): [`escape_html`], for HTML outputs.
//! * [`plain`]: [`PlainResult`], plain cell results (`1 + 1`) shown in one compile.
//!
//! # Routing
//!
//! Every output goes through [`Frontend::detect`]:
//!
//! 1. [`KERNEL_ENV`] (`NEURUST_KERNEL`) set → the neurust kernel: one protocol line
//!    on stdout after the kernel's output tag ([`TAG_ENV`]), flushed; displays, in-place
//!    updates and clears all work.
//! 2. else [`EVCXR_ENV`] (`EVCXR_IS_RUNTIME`, set by evcxr 0.22 in its user-code
//!    process) → stock evcxr: `EVCXR_BEGIN_CONTENT mime` … `EVCXR_END_CONTENT`
//!    blocks; evcxr keeps one output per MIME type per cell, shown at cell end.
//! 3. else → a plain program: the value's [`Displayable::plain_text`].
//!
//! A [`Displayable`] as the last expression of a cell becomes the cell's result
//! through [`Displayable::evcxr_display`], which evcxr (and so the neurust kernel)
//! calls on that value.
//!
//! ```
//! use neurust_display::{Displayable, MimeBundle, display};
//! let table = MimeBundle::new().text("a | b").html("<table><tr><td>a</td><td>b</td></tr></table>");
//! display(&table); // or table.show()
//! ```

pub mod bundle;
pub mod emit;
pub mod frontend;
pub mod html;
pub mod plain;
pub mod protocol;

pub use bundle::MimeBundle;
pub use emit::{
    DisplayHandle, Displayable, clear_output, display, display_updatable, emit, update_display,
};
pub use frontend::{EVCXR_ENV, Frontend, KERNEL_ENV, TAG_ENV, write_evcxr_block};
pub use html::escape_html;
pub use plain::{PlainResult, PlainScalar};
pub use protocol::{DecodeError, MARKER, Message, decode, decode_embedded, encode};
