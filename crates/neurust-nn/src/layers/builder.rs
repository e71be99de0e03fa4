//! The builder methods several layers share (`name`, `input_shape`, `activation`,
//! `kernel_initializer`, `bias_initializer`, `use_bias`, `strides`, `padding`), written once.

/// Writes the listed builder methods into a layer's `impl` block, each with the doc comment
/// written before its name (the doc says what the setting means for that layer). Each method
/// sets the layer's field of its name (`kernel_initializer` sets `kernel_init`,
/// `bias_initializer` sets `bias_init`) and returns the layer, so calls chain. A list that
/// starts with `self.0 =>` sets the fields of the struct the layer wraps instead (the pooling
/// layers wrap a `Pool`, which keeps its strides as an `Option`: `None` is the pool size).
///
/// ```text
/// impl Flatten {
///     builder_methods! {
///         /// Declares the per-sample input shape, e.g. `[28, 28]` for MNIST.
///         input_shape;
///         /// Names the layer.
///         name;
///     }
/// }
/// ```
macro_rules! builder_methods {
    (self.0 => $($(#[$doc:meta])* $method:ident;)*) => {
        $(builder_methods!(@one [.0] $(#[$doc])* $method);)*
    };
    (@one [$($at:tt)*] $(#[$doc:meta])* name) => {
        $(#[$doc])*
        pub fn name(mut self, name: impl Into<String>) -> Self {
            self$($at)*.name = name.into();
            self
        }
    };
    (@one [$($at:tt)*] $(#[$doc:meta])* input_shape) => {
        $(#[$doc])*
        pub fn input_shape(mut self, shape: impl AsRef<[usize]>) -> Self {
            self$($at)*.input_shape = Some(shape.as_ref().to_vec());
            self
        }
    };
    (@one [$($at:tt)*] $(#[$doc:meta])* activation) => {
        $(#[$doc])*
        pub fn activation(
            mut self,
            activation: impl Into<$crate::activation::ActivationSpec>,
        ) -> Self {
            self$($at)*.activation = activation.into();
            self
        }
    };
    (@one [$($at:tt)*] $(#[$doc:meta])* kernel_initializer) => {
        builder_methods!(@initializer [$($at)*] $(#[$doc])* kernel_initializer kernel_init);
    };
    (@one [$($at:tt)*] $(#[$doc:meta])* bias_initializer) => {
        builder_methods!(@initializer [$($at)*] $(#[$doc])* bias_initializer bias_init);
    };
    (@initializer [$($at:tt)*] $(#[$doc:meta])* $method:ident $field:ident) => {
        $(#[$doc])*
        pub fn $method(mut self, init: impl $crate::initializer::IntoInitializer) -> Self {
            self$($at)*.$field = init.into_initializer();
            self
        }
    };
    (@one [$($at:tt)*] $(#[$doc:meta])* use_bias) => {
        $(#[$doc])*
        pub fn use_bias(mut self, use_bias: bool) -> Self {
            self$($at)*.use_bias = use_bias;
            self
        }
    };
    (@one [$($at:tt)*] $(#[$doc:meta])* strides) => {
        $(#[$doc])*
        pub fn strides(mut self, strides: [usize; 2]) -> Self {
            self$($at)*.strides = strides.into();
            self
        }
    };
    (@one [$($at:tt)*] $(#[$doc:meta])* padding) => {
        $(#[$doc])*
        pub fn padding(mut self, padding: impl $crate::layers::spatial::IntoPadding) -> Self {
            self$($at)*.padding = padding.into_padding();
            self
        }
    };
    ($($(#[$doc:meta])* $method:ident;)*) => {
        $(builder_methods!(@one [] $(#[$doc])* $method);)*
    };
}

pub(crate) use builder_methods;
