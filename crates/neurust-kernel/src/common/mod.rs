//! What both processes use.
//!
//! - `contract`: what they agree on beside `neurust-stream`'s lines: the command descriptor, the
//!   announcement of a read of stdin, the name of a cell's library.
//! - `read_waits`: which thread waits in read(2) on which descriptor, from `/proc`: the kernel
//!   asks it of the user-code process (does it wait for its next command?), the relay of its own
//!   process (does a cell wait on stdin?).

pub mod contract;
pub mod read_waits;
