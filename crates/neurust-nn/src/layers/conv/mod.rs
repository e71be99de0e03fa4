//! `Conv2D`: a 2-D convolution over channels-last images, `y = activation(x ⋆ kernel + bias)`,
//! computed as one matrix product of the patch matrix with the kernel (see `compute.rs`).

mod chunk;
mod compute;
#[cfg(target_arch = "x86_64")]
mod implicit;
mod layer;
mod patches;
mod pooled;
#[cfg(test)]
mod pooled_tests;
mod winners;
mod work;

pub use layer::Conv2D;
