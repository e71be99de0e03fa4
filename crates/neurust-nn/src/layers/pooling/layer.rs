//! `MaxPooling2D` and `AveragePooling2D`: one macro makes both from the `Pool` they wrap.

use ndarray::{ArrayView2, ArrayViewMut2};

use super::pool::{Kind, Pool};
use crate::Result;
use crate::layers::builder::builder_methods;
use crate::layers::layer::{Layer, Mode};

macro_rules! pooling_layer {
    ($(#[$doc:meta])* $name:ident, $kind:expr, $class:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name(Pool);

        impl $name {
            /// Windows of `pool_size`; strides default to the pool size, padding to "valid".
            pub fn new(pool_size: [usize; 2]) -> Self {
                $name(Pool::new($kind, pool_size))
            }
            builder_methods! { self.0 =>
                /// The step between windows (default: the pool size).
                strides;
                /// `"valid"` (default) or `"same"` (the padding is never part of a window's
                /// value).
                padding;
                /// Declares the per-sample input shape `[height, width, channels]` of a first
                /// layer.
                input_shape;
                /// Names the layer.
                name;
            }
            pub(crate) fn from_config(c: &serde_json::Value) -> Result<Self> {
                Pool::from_config($kind, c).map($name)
            }
        }

        impl Layer for $name {
            fn class_name(&self) -> &'static str {
                $class
            }
            fn name(&self) -> &str {
                &self.0.name
            }
            fn set_name(&mut self, name: String) {
                self.0.name = name;
            }
            fn declared_input_shape(&self) -> Option<&[usize]> {
                self.0.input_shape.as_deref()
            }
            fn output_shape(&self, input: &[usize]) -> Result<Vec<usize>> {
                self.0.output_shape(input)
            }
            fn build(&mut self, input: &[usize], _rng: &mut crate::Rng) -> Result<()> {
                self.0.geometry = self.0.geometry_for(input)?;
                Ok(())
            }
            fn forward(&mut self, x: ArrayView2<f32>, y: ArrayViewMut2<f32>, _mode: &mut Mode) {
                self.0.forward(x, y);
            }
            fn backward(
                &mut self,
                x: ArrayView2<f32>,
                y: ArrayView2<f32>,
                dy: ArrayViewMut2<f32>,
                dx: Option<ArrayViewMut2<f32>>,
                _: bool,
            ) {
                if let Some(dx) = dx {
                    self.0.backward(x, y, dy.view(), dx);
                }
            }
            fn config(&self) -> serde_json::Value {
                self.0.config()
            }
            fn as_any_mut(&mut self) -> Option<&mut dyn std::any::Any> {
                Some(self)
            }
        }
    };
}

pooling_layer!(
    /// Keeps the largest value of each window, per channel, like
    /// `keras.layers.MaxPooling2D`; the gradient goes to that value's position.
    ///
    /// ```
    /// use neurust_nn::MaxPooling2D;
    /// let pool = MaxPooling2D::new([2, 2]);
    /// let overlapping = MaxPooling2D::new([3, 3]).strides([2, 2]).padding("same");
    /// ```
    MaxPooling2D,
    Kind::Max,
    "MaxPooling2D"
);

impl MaxPooling2D {
    /// The windows of the built layer.
    pub(crate) fn geometry(&self) -> crate::layers::spatial::Geometry {
        self.0.geometry
    }
}

pooling_layer!(
    /// Keeps the mean of each window, per channel, like `keras.layers.AveragePooling2D`
    /// (with "same" padding the mean is over the window's values inside the input).
    ///
    /// ```
    /// use neurust_nn::AveragePooling2D;
    /// let pool = AveragePooling2D::new([2, 2]).strides([1, 1]);
    /// ```
    AveragePooling2D,
    Kind::Average,
    "AveragePooling2D"
);
