//! `Compiled`: the optimizer, loss and metrics a model holds once `compile` resolved them.

use crate::optimizers::OptimizerState;
use crate::{Loss, Metric};

/// The training configuration a compiled model holds.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub optimizer: OptimizerState,
    pub loss: Loss,
    /// As given ("accuracy" is resolved per call, by the labels).
    pub metrics: Vec<Metric>,
}
