//! The `Sequential` model: a stack of layers, compiled with an optimizer, a loss and metrics,
//! trained by `fit`, queried by `evaluate` and `predict`, saved to one file.

pub(crate) mod atomic;
mod batch;
mod compile;
mod compiled;
mod fit;
mod fusion;
mod holdout;
mod inference;
mod layer_outputs;
mod load;
mod save;
mod sequential;
mod step;
mod summary;
mod trainer;

pub use compile::{IntoLoss, IntoMetric};
pub use fit::Fit;
pub use inference::Evaluation;
pub use load::load_model;
pub use sequential::Sequential;
pub use summary::{Summary, SummaryRow};
