//! Layers: each is a config until the model builds it for an input shape, then it owns its
//! weights and gradients and runs forward and backward on batches of rows.

mod activation;
mod batch_norm;
mod builder;
mod compute;
mod conv;
mod dense;
mod dropout;
mod flatten;
mod from_config;
mod input;
mod json;
mod layer;
mod pooling;
mod reshape;
mod spatial;

pub use activation::ActivationLayer;
pub use batch_norm::BatchNormalization;
pub use conv::Conv2D;
pub use dense::Dense;
pub use dropout::Dropout;
pub use flatten::Flatten;
pub use from_config::from_config;
pub use input::Input;
pub(crate) use json::shape_from_json;
pub use layer::{Layer, Mode, Param};
pub use pooling::{AveragePooling2D, GlobalAveragePooling2D, MaxPooling2D};
pub use reshape::Reshape;
pub(crate) use spatial::Geometry;
pub use spatial::{IntoPadding, Padding};
