//! `Work`: the buffers a Conv2D layer keeps between batches.

use ndarray::Array2;

/// Buffers a Conv2D layer keeps between batches.
#[derive(Debug, Clone, Default)]
pub(super) struct Work {
    /// Per chunk, the partial kernel gradient then the partial bias gradient.
    pub(super) partials: Vec<f32>,
    /// The kernel transposed to `(filters, kh·kw·in)`, for the input gradient.
    pub(super) kernel_t: Vec<f32>,
    /// The pre-activation, kept only for activations whose backward needs it.
    pub(super) z: Array2<f32>,
    /// When the layer pools its own output (`pooled.rs`): per pooled value of the latest
    /// forward pass, the window position that won.
    pub(super) winners: Vec<u8>,
}
