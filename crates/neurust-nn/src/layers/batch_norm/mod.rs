//! `BatchNormalization`: each channel normalised by the batch's statistics while training and
//! by their moving averages at inference, then scaled by gamma and shifted by beta (Keras 3).

mod compute;
mod config;
mod layer;
mod layout;
mod stats;

pub use layer::BatchNormalization;
