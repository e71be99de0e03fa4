//! The kernel process: what runs when Jupyter starts the binary (and the `install`, `warm-cache`
//! and `standby` commands). Nothing here runs in the user-code process (`child/`).
//!
//! - `connection`, `wire`, `message` (from the `neurust-wire` crate), `sockets`, `outbox`: the
//!   Jupyter protocol plumbing; `replay`: drops a signed message seen before; `tcp_proxy`,
//!   `zmtp_guard`: the TCP ports, relayed to ZeroMQ's Unix sockets, which refuse frames too long
//!   to be a message.
//! - `dispatch`: routes requests; `is_complete`, `history`: answered without the engine.
//! - `engine`, `execute`, `complete`, `failure`: evcxr on its own thread; `trim_heap`: gives the
//!   kernel's freed memory back to the OS when the engine is idle.
//! - `output`, `display`: live stdout/stderr and the display protocol to iopub; `context`,
//!   `user_stderr`: evcxr started with the user-code process's stderr on the kernel's pipe.
//! - `stdin`: input from the notebook for a running cell.
//! - `interrupt`, `running_cell`: interrupts, their watchdog and the running cell's state,
//!   shared across the kernel's threads.
//! - `preload`, `facade`, `cache`: what runs at start-up, where the neurust facade comes from
//!   and where compiled dependencies live;
//!   `standby`: kernels prepared ahead of launch.
//! - `status`: every status the kernel publishes (busy and idle around each request, its own
//!   while the engine loads).
//! - `install`: the kernel spec; `run`: `neurust-kernel run`; `log`: the kernel's log lines.

mod cache;
mod complete;
mod context;
mod dispatch;
mod display;
mod engine;
mod execute;
mod facade;
mod failure;
mod history;
pub mod install;
mod interrupt;
mod is_complete;
mod log;
mod outbox;
mod output;
mod preload;
mod replay;
pub mod run;
mod running_cell;
mod sockets;
pub mod standby;
mod status;
mod stdin;
mod tcp_proxy;
mod trim_heap;
mod user_stderr;
mod vars;
mod zmtp_guard;

// The wire format is its own small crate (so it can be fuzzed without evcxr); these names keep
// `crate::kernel::message` and friends pointing at it.
use neurust_wire::{connection, message, wire};
