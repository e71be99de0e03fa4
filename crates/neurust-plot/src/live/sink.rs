//! [`Sink`]: where the live display's outputs go (the kernel, or a test recorder).

use neurust_display::{Message, MimeBundle, emit};

/// Where live outputs go: shown first, then updated in place by id.
///
/// ```
/// use neurust_plot::live::{LiveEvent, Sink};
/// let mut events: Vec<LiveEvent> = Vec::new();
/// events.output("bar", neurust_display::MimeBundle::new().text("x"), true);
/// assert!(events[0].first);
/// ```
pub trait Sink {
    /// Show `bundle` as output `id`: a new output if `first`, else an update.
    fn output(&mut self, id: &str, bundle: MimeBundle, first: bool);
}

/// The notebook: protocol lines for the neurust kernel.
#[derive(Debug, Clone, Copy, Default)]
///
/// ```
/// use neurust_plot::live::{KernelSink, Sink};
/// KernelSink.output("bar", neurust_display::MimeBundle::new().text("10%"), true);
/// ```
pub struct KernelSink;

impl Sink for KernelSink {
    fn output(&mut self, id: &str, bundle: MimeBundle, first: bool) {
        let msg = if first {
            Message::display(bundle, Some(id.to_string()))
        } else {
            Message::update(bundle, id)
        };
        emit(&msg, None);
    }
}

/// One recorded output, for tests.
#[derive(Debug, Clone, PartialEq)]
///
/// ```
/// let e = neurust_plot::live::LiveEvent { id: "bar".into(), first: true,
///     bundle: neurust_display::MimeBundle::new() };
/// ```
pub struct LiveEvent {
    /// Output id.
    pub id: String,
    /// New output (true) or update (false).
    pub first: bool,
    /// What was shown.
    pub bundle: MimeBundle,
}

impl Sink for Vec<LiveEvent> {
    fn output(&mut self, id: &str, bundle: MimeBundle, first: bool) {
        self.push(LiveEvent {
            id: id.to_string(),
            first,
            bundle,
        });
    }
}
