//! Everything the kernel sends goes through one `Outbox`: a cheap, cloneable handle whose
//! channels feed the socket tasks, so threads can publish in order without touching sockets.

use crate::kernel::message::{Message, Parent};
use serde_json::{Value, json};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Shell,
    Control,
    Stdin,
}

#[derive(Clone)]
pub struct Outbox {
    pub session: String,
    pub iopub: UnboundedSender<Message>,
    pub shell: UnboundedSender<Message>,
    pub control: UnboundedSender<Message>,
    pub stdin: UnboundedSender<Message>,
}

/// The receiving ends of an [`Outbox`]'s channels, handed to the socket tasks once the sockets
/// are bound; until then, what is sent waits here.
pub struct Outgoing {
    pub iopub: UnboundedReceiver<Message>,
    pub shell: UnboundedReceiver<Message>,
    pub control: UnboundedReceiver<Message>,
    pub stdin: UnboundedReceiver<Message>,
}

impl Outbox {
    /// An outbox for `session` and the receivers its messages go to.
    pub fn new(session: &str) -> (Outbox, Outgoing) {
        let (iopub, iopub_rx) = unbounded_channel();
        let (shell, shell_rx) = unbounded_channel();
        let (control, control_rx) = unbounded_channel();
        let (stdin, stdin_rx) = unbounded_channel();
        let outbox = Outbox {
            session: session.to_owned(),
            iopub,
            shell,
            control,
            stdin,
        };
        let outgoing = Outgoing {
            iopub: iopub_rx,
            shell: shell_rx,
            control: control_rx,
            stdin: stdin_rx,
        };
        (outbox, outgoing)
    }

    /// Broadcasts on iopub. The topic frame is the message type.
    pub fn publish(&self, parent: &Parent, msg_type: &str, content: Value) {
        let mut message = Message::new(&self.session, parent, msg_type, content);
        message.identities = vec![bytes::Bytes::from(msg_type.to_owned())];
        // A closed channel means the kernel is shutting down; nothing left to tell.
        let _ = self.iopub.send(message);
    }

    pub fn stream(&self, parent: &Parent, name: &str, text: String) {
        self.publish(parent, "stream", json!({ "name": name, "text": text }));
    }

    /// Sends a reply to `parent` on the channel its request came from.
    pub fn reply(&self, channel: Channel, parent: &Parent, msg_type: &str, content: Value) {
        let message = Message::new(&self.session, parent, msg_type, content);
        let sender = match channel {
            Channel::Shell => &self.shell,
            Channel::Control => &self.control,
            Channel::Stdin => &self.stdin,
        };
        let _ = sender.send(message);
    }
}
