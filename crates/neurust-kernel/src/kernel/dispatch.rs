//! Routes authenticated requests: the engine's jobs go to its queue; everything else (kernel
//! info, is_complete, history, comms, shutdown, interrupt, stdin replies) is answered here.

use crate::kernel::engine::{EngineHandle, Job};
use crate::kernel::facade::Facade;
use crate::kernel::history::History;
use crate::kernel::interrupt;
use crate::kernel::is_complete;
use crate::kernel::log::log;
use crate::kernel::message::{Message, PROTOCOL_VERSION, Parent};
use crate::kernel::outbox::{Channel, Outbox};
use crate::kernel::running_cell::RunningCell;
use crate::kernel::sockets::Inbox;
use crate::kernel::status::Status;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

pub struct Dispatcher {
    pub outbox: Outbox,
    pub engine: EngineHandle,
    pub shared: Arc<RunningCell>,
    pub history: Arc<Mutex<History>>,
    pub status: Arc<Status>,
    pub rustc_version: String,
}

impl Dispatcher {
    pub async fn run(self, mut inbox: Inbox) {
        while let Some((channel, request)) = inbox.recv().await {
            self.dispatch(channel, request).await;
        }
    }

    async fn dispatch(&self, channel: Channel, request: Message) {
        let parent = Parent::of(&request);
        let kind = request.header.msg_type.as_str();
        if channel == Channel::Stdin {
            if kind == "input_reply" {
                let _ = self.engine.stdin.send(request);
            }
            return;
        }
        // The engine's requests belong on shell, where their replies go; on control they get an
        // error reply below.
        let job = match kind {
            _ if channel != Channel::Shell => None,
            "execute_request" => Some(Job::Execute(request.clone())),
            "complete_request" => Some(Job::Complete(request.clone())),
            "inspect_request" => Some(Job::Inspect(request.clone())),
            _ => None,
        };
        if let Some(job) = job {
            if self.engine.jobs.send(job).is_err() {
                log("the engine has stopped; exiting");
                crate::kernel::tcp_proxy::remove_socket_dir();
                std::process::exit(1);
            }
            return;
        }
        let reply_type = match kind.strip_suffix("_request") {
            Some(stem) => format!("{stem}_reply"),
            None => {
                // comm_open, comm_msg, comm_close and unknown messages: no reply is due.
                log(&format!("ignored {kind} on {channel:?}"));
                return;
            }
        };
        let busy = self.status.busy(&parent);
        if kind == "history_request" {
            // A search over long cells can take a while: off the dispatcher, on a snapshot, so
            // kernel_info, interrupts and shutdown are never held up behind it.
            let snapshot = self.history.lock().map(|h| h.clone()).unwrap_or_default();
            let outbox = self.outbox.clone();
            tokio::task::spawn_blocking(move || {
                outbox.reply(channel, &parent, &reply_type, snapshot.reply(&request));
                drop(busy);
            });
            return;
        }
        let content = match kind {
            "kernel_info_request" => self.kernel_info(),
            "is_complete_request" => is_complete::reply(request.str_field("code").unwrap_or("")),
            "comm_info_request" => json!({ "status": "ok", "comms": {} }),
            "interrupt_request" => {
                interrupt::request(&self.shared);
                json!({ "status": "ok" })
            }
            "shutdown_request" => {
                let restart = request.bool_field("restart", false);
                self.outbox.reply(
                    channel,
                    &parent,
                    &reply_type,
                    json!({ "status": "ok", "restart": restart }),
                );
                self.status.stopping();
                drop(busy);
                shutdown(&self.shared).await;
            }
            "execute_request" | "complete_request" | "inspect_request" => json!({
                "status": "error", "ename": "WrongChannel",
                "evalue": format!("{kind} is served on the shell channel only"), "traceback": [],
            }),
            _ => json!({
                "status": "error", "ename": "UnsupportedRequest",
                "evalue": format!("{kind} is not supported"), "traceback": [],
            }),
        };
        self.outbox.reply(channel, &parent, &reply_type, content);
        drop(busy);
    }

    fn kernel_info(&self) -> Value {
        let facade = if Facade::find().is_some() {
            "The neurust crates are loaded: `use neurust::prelude::*;` is in effect."
        } else {
            "The neurust facade is not configured (set NEURUST_FACADE_PATH)."
        };
        json!({
            "status": "ok",
            "protocol_version": PROTOCOL_VERSION,
            "implementation": "neurust-kernel",
            "implementation_version": env!("CARGO_PKG_VERSION"),
            "language_info": {
                "name": "rust",
                "version": self.rustc_version,
                "mimetype": "text/rust",
                "file_extension": ".rs",
                "pygments_lexer": "rust",
                "codemirror_mode": "rust",
            },
            "banner": format!(
                "neurust-kernel {} (evcxr 0.22, {})\n{facade}",
                env!("CARGO_PKG_VERSION"), self.rustc_version
            ),
            "help_links": [
                { "text": "The Rust Programming Language", "url": "https://doc.rust-lang.org/book/" },
                { "text": "Rust standard library", "url": "https://doc.rust-lang.org/std/" },
                { "text": "evcxr commands (type :help)", "url": "https://github.com/evcxr/evcxr" },
            ],
            "debugger": false,
        })
    }
}

/// Stops the user-code process (with whatever it started, and any compiler still running for a
/// cell) and exits after the reply has had time to leave.
async fn shutdown(shared: &RunningCell) -> ! {
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    terminate(shared, 0)
}

/// Stops the user-code process and everything below the kernel, removes the socket directory
/// and exits with `code`.
pub fn terminate(shared: &RunningCell, code: i32) -> ! {
    // The whole tree first: once the user-code process dies, its children are no longer ours.
    interrupt::kill_descendants();
    let pid = shared.child_pid();
    if let Ok(pid) = libc::pid_t::try_from(pid)
        && pid > 0
    {
        // SAFETY: kill(2) has no memory-safety preconditions.
        unsafe {
            libc::kill(pid, libc::SIGKILL);
        }
    }
    crate::kernel::tcp_proxy::remove_socket_dir();
    std::process::exit(code)
}
