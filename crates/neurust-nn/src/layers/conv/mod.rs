//! `Conv2D`: a 2-D convolution over channels-last images, `y = activation(x ⋆ kernel + bias)`,
//! computed as one matrix product of the patch matrix with the kernel (see `compute.rs`).

mod compute;
mod layer;
mod patches;
mod work;

pub use layer::Conv2D;
