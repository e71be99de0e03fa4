//! `Stats`: the per-channel statistics of a BatchNormalization layer's latest training batch.

/// Per-channel statistics of the latest training batch.
#[derive(Debug, Clone, Default)]
pub(super) struct Stats {
    pub(super) mean: Vec<f32>,
    /// The biased variance (divided by the count, as Keras's).
    pub(super) variance: Vec<f32>,
    /// `1 / sqrt(variance + epsilon)`.
    pub(super) inv_std: Vec<f32>,
    /// Values per channel in the batch.
    pub(super) count: usize,
    /// Set by a training forward; cleared once the moving statistics have taken it in.
    pub(super) pending: bool,
}
