//! Standby engines: a kernel that is ready before Jupyter asks for one.
//!
//! Most of a kernel's start is evcxr's: its context, the neurust preload and rust-analyzer's
//! first analysis, all before the first cell can run. None of it depends on the connection
//! file, so it can be done ahead of time. A *standby* is a `neurust-kernel standby serve`
//! process that does it and then waits on a Unix socket. `neurust-kernel run` (what Jupyter
//! launches) first tries to *claim* one (`claim.rs`): the standby binds the connection file's
//! ports and serves as the kernel, and the launched process stays as its stand-in for Jupyter
//! (it forwards SIGINT and exits when the kernel does; the kernel exits when it goes away).
//! Without a standby the kernel starts in-process, as before.
//!
//! Each serving kernel leaves one successor (`successor.rs`), which waits until that kernel
//! has been idle for a moment or has exited before it prepares, so it does not compete with
//! the user's first cells. A standby serves only launches with the same executable, facade
//! and environment (its key, `launch.rs`), and exits after `NEURUST_STANDBY_LIFETIME` seconds
//! unclaimed (30 minutes by default) or when its executable is replaced. `NEURUST_STANDBY=0`
//! turns standbys off; `neurust-kernel standby stop` stops a waiting one and `standby status`
//! describes it.

pub mod claim;
mod launch;
pub mod successor;
mod wait;

pub use claim::ask;
pub use launch::record_launch_env;
pub use successor::start_detached;
pub use wait::serve;
