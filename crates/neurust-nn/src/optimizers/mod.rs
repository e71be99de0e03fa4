//! Optimizers with Keras 3's defaults and update formulas. Names such as "adam" resolve to
//! typed configs here, in one place; the per-parameter state lives in [`OptimizerState`].

mod adam;
#[cfg(target_arch = "x86_64")]
mod adam_avx512;
mod check;
mod optimizer;
mod rmsprop;
mod sgd;
mod state;
mod update;

pub use adam::{Adam, AdamW};
pub use optimizer::{IntoOptimizer, OPTIMIZER_NAMES, Optimizer};
pub use rmsprop::RmsProp;
pub use sgd::Sgd;
pub use state::OptimizerState;
