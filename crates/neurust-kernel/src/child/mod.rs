//! The user-code process: what runs when evcxr re-executes the binary with `EVCXR_IS_RUNTIME`
//! set, in the process that loads each cell's library. Nothing here runs in the kernel
//! (`kernel/`).
//!
//! - `relay`: installed first; makes the process's stdout unambiguous (user text escaped, the
//!   kernel's own lines tagged: the `neurust-stream` crate), tells the kernel when `?` ended a
//!   cell and when a cell waits on stdin.
//! - `command_loop`: the process's command loop, in place of evcxr's, so that user code gets a
//!   stdin of its own.
//! - `cell`: whether a cell runs now, and a flush of its stdout (the loop and the relay share
//!   them).
//! - `trim_cell_code`: hands finished cells' code pages back to the OS.

mod cell;
pub mod command_loop;
pub mod relay;
mod trim_cell_code;
