//! One-call figures: the MNIST tutorial's, and matplotlib's one-liners.

pub(crate) mod confusion;
pub(crate) mod digits;
pub(crate) mod history;
pub(crate) mod predictions;
pub(crate) mod pyplot;
pub(crate) mod stack;
