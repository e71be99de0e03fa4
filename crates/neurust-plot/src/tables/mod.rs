//! HTML tables with text/plain fallbacks; the nn types' displays.

pub(crate) mod array;
pub(crate) mod nn;
pub(crate) mod table;
