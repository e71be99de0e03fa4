//! `MaxPooling2D` and `AveragePooling2D`: the largest or the mean value of each window, per
//! channel, over channels-last images. Both share their configuration and geometry here; the
//! arithmetic is in `window.rs` (with a fast path for disjoint max windows in `disjoint.rs`), `GlobalAveragePooling2D` in `global.rs`.

mod disjoint;
mod global;
mod layer;
mod pool;
mod window;

pub use global::GlobalAveragePooling2D;
pub use layer::{AveragePooling2D, MaxPooling2D};
