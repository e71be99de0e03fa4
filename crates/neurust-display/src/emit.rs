//! Showing values: [`display`], [`Displayable::show`], updates and clearing.

use std::io::{self, Write};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::{Frontend, Message, MimeBundle, write_evcxr_block};

/// A value that can show itself in a notebook.
///
/// Implement [`mime_bundle`](Displayable::mime_bundle); [`show`](Displayable::show)
/// and [`evcxr_display`](Displayable::evcxr_display) come for free.
///
/// ```
/// use neurust_display::{Displayable, MimeBundle};
/// struct Greeting;
/// impl Displayable for Greeting {
///     fn mime_bundle(&self) -> MimeBundle {
///         MimeBundle::new().text("hello").html("<i>hello</i>")
///     }
/// }
/// Greeting.show(); // prints "hello" in a plain program
/// ```
pub trait Displayable {
    /// All representations of the value.
    fn mime_bundle(&self) -> MimeBundle;

    /// What a plain program prints. Defaults to `text/plain`; figures override it
    /// to save a file and say where it is.
    ///
    /// ```
    /// use neurust_display::{Displayable, MimeBundle};
    /// assert_eq!(MimeBundle::new().text("t").plain_text(), "t");
    /// ```
    fn plain_text(&self) -> String {
        self.mime_bundle().text_plain().to_owned()
    }

    /// Show the value now as its own output, like `plt.show()`.
    ///
    /// ```
    /// use neurust_display::{Displayable, MimeBundle};
    /// MimeBundle::new().text("some text").show();
    /// ```
    fn show(&self) {
        display(self)
    }

    /// The hook stock evcxr calls on a cell's last expression: prints the bundle as
    /// evcxr content blocks, which become the cell's result.
    ///
    /// ```
    /// use neurust_display::Displayable;
    /// neurust_display::MimeBundle::new().text("shown as the cell result under evcxr").evcxr_display();
    /// ```
    fn evcxr_display(&self) {
        let bundle = self.mime_bundle();
        let mut out = io::stdout().lock();
        for mime in bundle.mime_types() {
            let _ = write_evcxr_block(&mut out, mime, bundle.get(mime).unwrap_or(""));
        }
        let _ = out.flush();
    }
}

impl Displayable for MimeBundle {
    fn mime_bundle(&self) -> MimeBundle {
        self.clone()
    }
}

// No impl for `str` or `String`: with the trait in a notebook's prelude, evcxr would pick its
// `evcxr_display` for every string result and drop the quotes Rust users expect.

/// Show `value` now as a new output.
///
/// ```
/// neurust_display::display(&neurust_display::MimeBundle::new().text("42"));
/// ```
pub fn display<T: Displayable + ?Sized>(value: &T) {
    send(value, |b| Message::display(b, None))
}

/// Show `value` as a new output that can be replaced later through the handle.
///
/// ```
/// use neurust_display::MimeBundle;
/// let bar = neurust_display::display_updatable(&MimeBundle::new().text("0%"));
/// bar.update(&MimeBundle::new().text("100%"));
/// ```
pub fn display_updatable<T: Displayable + ?Sized>(value: &T) -> DisplayHandle {
    let handle = DisplayHandle::new();
    let id = handle.id.clone();
    send(value, |b| Message::display(b, Some(id)));
    handle
}

/// Replace the output named `display_id` with `value`.
///
/// Only the neurust kernel updates in place; stock evcxr keeps the last content
/// per MIME type (so the last update wins when the cell ends) and a plain program
/// prints the text again.
///
/// ```
/// neurust_display::update_display("progress", &neurust_display::MimeBundle::new().text("done"));
/// ```
pub fn update_display<T: Displayable + ?Sized>(display_id: &str, value: &T) {
    send(value, |b| Message::update(b, display_id))
}

/// Clear the cell's outputs; with `wait`, only when the next output arrives.
/// Does nothing outside the neurust kernel.
///
/// ```
/// neurust_display::clear_output(true);
/// ```
pub fn clear_output(wait: bool) {
    emit(&Message::clear(wait), None);
}

/// Write a prepared message for the current front end (see [`Frontend::write`]).
///
/// ```
/// use neurust_display::{emit, Message, MimeBundle};
/// emit(&Message::display(MimeBundle::new().text("raw"), None), None);
/// ```
pub fn emit(msg: &Message, plain: Option<&str>) {
    let mut out = io::stdout().lock();
    // Output errors (a closed stdout) are not the user's problem: ignore them.
    let _ = Frontend::detect().write(msg, plain, &mut out);
}

fn send<T: Displayable + ?Sized>(value: &T, make: impl FnOnce(MimeBundle) -> Message) {
    match Frontend::detect() {
        Frontend::Plain => {
            let text = value.plain_text();
            emit(&make(MimeBundle::new().text(text.as_str())), None);
        }
        _ => emit(&make(value.mime_bundle()), None),
    }
}

/// Names one output so it can be updated in place.
///
/// ```
/// let h = neurust_display::DisplayHandle::with_id("my-output");
/// assert_eq!(h.id(), "my-output");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayHandle {
    id: String,
}

impl DisplayHandle {
    /// A handle with a fresh id, unique within and across processes.
    ///
    /// ```
    /// use neurust_display::DisplayHandle;
    /// assert_ne!(DisplayHandle::new().id(), DisplayHandle::new().id());
    /// ```
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        Self {
            id: format!("neurust-{}-{nanos:x}-{n}", std::process::id()),
        }
    }

    /// A handle for a chosen id.
    ///
    /// ```
    /// # use neurust_display::DisplayHandle;
    /// assert_eq!(DisplayHandle::with_id("x").id(), "x");
    /// ```
    pub fn with_id(id: impl Into<String>) -> Self {
        Self { id: id.into() }
    }

    /// The display id.
    ///
    /// ```
    /// # use neurust_display::DisplayHandle;
    /// assert!(DisplayHandle::new().id().starts_with("neurust-"));
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Show `value` as a new output under this handle's id.
    ///
    /// ```
    /// # use neurust_display::DisplayHandle;
    /// DisplayHandle::new().display(&neurust_display::MimeBundle::new().text("first"));
    /// ```
    pub fn display<T: Displayable + ?Sized>(&self, value: &T) {
        send(value, |b| Message::display(b, Some(self.id.clone())))
    }

    /// Replace this handle's output with `value`.
    ///
    /// ```
    /// # use neurust_display::DisplayHandle;
    /// DisplayHandle::with_id("x").update(&neurust_display::MimeBundle::new().text("second"));
    /// ```
    pub fn update<T: Displayable + ?Sized>(&self, value: &T) {
        update_display(&self.id, value)
    }
}
