//! `Dense`: `y = activation(x · kernel + bias)`.

mod compute;
mod layer;

pub use layer::Dense;
