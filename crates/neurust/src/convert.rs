//! `x.to_f32() / 255.0`: the tutorial's `x_train / 255` for integer pixel arrays.

use ndarray::{Array, ArrayBase, Data, Dimension};

/// Converts an integer array to `f32`, keeping its shape.
///
/// ```
/// use ndarray::array;
/// use neurust::ToF32;
/// let pixels = array![[0u8, 255], [51, 102]];
/// assert_eq!(pixels.to_f32() / 255.0, array![[0.0f32, 1.0], [0.2, 0.4]]);
/// ```
pub trait ToF32<D> {
    /// The values as `f32`.
    fn to_f32(&self) -> Array<f32, D>;
}

impl<S, D> ToF32<D> for ArrayBase<S, D>
where
    S: Data,
    S::Elem: Copy + Into<f32>,
    D: Dimension,
{
    fn to_f32(&self) -> Array<f32, D> {
        self.mapv(Into::into)
    }
}
