//! The kernel's status while its engine loads: what clients see between launch and the moment
//! the first cell can run.
//!
//! Requests that need no engine (kernel_info, is_complete, …) are answered at once, each with
//! its own busy and idle. While the engine still loads, each such idle is followed by a
//! parentless `busy`, so a client that shows the last status it saw (JupyterLab) shows the
//! kernel as busy, not idle, until it can run cells. When loading ends, a parentless `idle`
//! follows only if no request is waiting for the engine: a request queued during the load gets
//! its own `busy` as the next status, never an `idle` first.

use crate::kernel::message::Parent;
use crate::kernel::outbox::Outbox;
use std::sync::Mutex;

#[derive(Default)]
pub struct Loading {
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
}

impl Loading {
    /// The sockets are bound: announces the kernel, busy if it still loads.
    pub fn serving(&self, outbox: &Outbox) {
        let mut state = self.lock();
        state.serving = true;
        outbox.status(&Parent::none(), "starting");
        let now = if state.loaded { "idle" } else { "busy" };
        outbox.status(&Parent::none(), now);
    }

    /// The engine has loaded. `queued`: a request is already waiting for it (it will publish its
    /// own `busy` next, so no `idle` goes out in between).
    pub fn loaded(&self, outbox: &Outbox, queued: bool) {
        let mut state = self.lock();
        state.loaded = true;
        if state.serving && !queued {
            outbox.status(&Parent::none(), "idle");
        }
    }

    /// Publishes `idle` for a request answered without the engine, then `busy` again while the
    /// engine still loads.
    pub fn idle(&self, outbox: &Outbox, parent: &Parent) {
        let state = self.lock();
        outbox.status(parent, "idle");
        if state.serving && !state.loaded {
            outbox.status(&Parent::none(), "busy");
        }
    }

    pub fn is_loaded(&self) -> bool {
        self.lock().loaded
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}
