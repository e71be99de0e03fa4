//! Everything the kernel sends goes through one `Outbox`: a cheap, cloneable handle whose
//! channels feed the socket tasks, so threads can publish in order without touching sockets.

use crate::message::{Message, Parent};
use serde_json::{Value, json};
use tokio::sync::mpsc::UnboundedSender;

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

impl Outbox {
    /// Broadcasts on iopub. The topic frame is the message type.
    pub fn publish(&self, parent: &Parent, msg_type: &str, content: Value) {
        let mut message = Message::new(&self.session, parent, msg_type, content);
        message.identities = vec![bytes::Bytes::from(msg_type.to_owned())];
        // A closed channel means the kernel is shutting down; nothing left to tell.
        let _ = self.iopub.send(message);
    }

    pub fn status(&self, parent: &Parent, state: &str) {
        self.publish(parent, "status", json!({ "execution_state": state }));
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
