//! One-call figures for the MNIST tutorial.

pub(crate) mod confusion;
pub(crate) mod digits;
pub(crate) mod history;
