//! The user-code process's stdout, made unambiguous: user text and control lines share one
//! stream, which evcxr and the kernel both parse line by line.
//!
//! - [`split`]: bytes into lines of valid UTF-8 (invalid bytes become U+FFFD; a character
//!   split across two writes stays whole).
//! - [`escape`]: user lines that could be read as a control line are escaped; the kernel
//!   unescapes them.
//! - [`sort`]: the relay's state machine: which lines are control lines (tagged by the
//!   kernel's own code, or evcxr's in the places evcxr writes them) and which are user text.
//! - [`tag`]: the per-process secret that marks the kernel's own lines.
//!
//! No processes, no I/O: the relay (`neurust-kernel/src/child/relay`) and the fuzz target
//! (`fuzz/fuzz_targets/fuzz_stream.rs`) drive these pieces.

pub mod escape;
pub mod sort;
pub mod split;
pub mod tag;

pub use escape::{Unescaped, escape_line, needs_escape, unescape};
pub use sort::{Output, Prompt, Sorter};
pub use split::{Piece, Splitter};
