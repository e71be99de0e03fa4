//! Every status the kernel publishes, and nothing else publishes one.
//!
//! A request is served inside a [`Busy`]: `busy` goes out when it is made, `idle` when it is
//! dropped, as ipykernel publishes both around its dispatch. The dispatcher makes one for each
//! request it answers, the engine thread for each request it serves (an execute request
//! aborted after an error included); handlers publish no status themselves.
//!
//! The kernel's own statuses, without a parent, tell clients about its engine loading: what
//! they see between launch and the moment the first cell can run. Requests that need no engine
//! (kernel_info, is_complete, …) are answered at once, each with its own busy and idle. While
//! the engine still loads, each such idle is followed by a parentless `busy`, so a client that
//! shows the last status it saw (JupyterLab) shows the kernel as busy, not idle, until it can
//! run cells. When loading ends, a parentless `idle` follows only if no request is waiting for
//! the engine: a request queued during the load gets its own `busy` as the next status, never
//! an `idle` first.

use crate::kernel::message::Parent;
use crate::kernel::outbox::Outbox;
use serde_json::json;
use std::sync::{Arc, Mutex};

pub struct Status {
    outbox: Outbox,
    /// Publishing happens under this lock, so a `busy` sent because the engine still loads
    /// can never follow the `idle` sent when it finished.
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// The sockets are bound: statuses reach clients.
    serving: bool,
    /// The engine has finished loading (successfully or not).
    loaded: bool,
    /// The kernel shuts down: its last idle is not followed by a `busy`, loaded or not.
    stopping: bool,
}

/// A request being served: `busy` was published for it, `idle` is published when this is
/// dropped (after its reply).
#[must_use = "idle is published when the request's Busy is dropped"]
pub struct Busy {
    status: Arc<Status>,
    parent: Parent,
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.status.idle(&self.parent);
    }
}

impl Status {
    pub fn new(outbox: Outbox) -> Arc<Status> {
        Arc::new(Status {
            outbox,
            state: Mutex::default(),
        })
    }

    /// Publishes `busy` for the request `parent`; `idle` follows when the result is dropped.
    pub fn busy(self: &Arc<Self>, parent: &Parent) -> Busy {
        self.publish(parent, "busy");
        Busy {
            status: Arc::clone(self),
            parent: parent.clone(),
        }
    }

    /// The sockets are bound: announces the kernel, busy if it still loads.
    pub fn serving(&self) {
        let mut state = self.lock();
        state.serving = true;
        self.publish(&Parent::none(), "starting");
        let now = if state.loaded { "idle" } else { "busy" };
        self.publish(&Parent::none(), now);
    }

    /// The engine has loaded. `queued`: a request is already waiting for it (it will publish its
    /// own `busy` next, so no `idle` goes out in between).
    pub fn loaded(&self, queued: bool) {
        let mut state = self.lock();
        state.loaded = true;
        if state.serving && !queued {
            self.publish(&Parent::none(), "idle");
        }
    }

    /// The kernel shuts down (see [`State::stopping`]).
    pub fn stopping(&self) {
        self.lock().stopping = true;
    }

    pub fn is_loaded(&self) -> bool {
        self.lock().loaded
    }

    /// Publishes `idle` for a request, then `busy` again while the engine still loads.
    fn idle(&self, parent: &Parent) {
        let state = self.lock();
        self.publish(parent, "idle");
        if state.serving && !state.loaded && !state.stopping {
            self.publish(&Parent::none(), "busy");
        }
    }

    fn publish(&self, parent: &Parent, state: &str) {
        self.outbox
            .publish(parent, "status", json!({ "execution_state": state }));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}
