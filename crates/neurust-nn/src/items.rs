//! Every public item of neurust-nn except its [`Error`](crate::Error) and
//! [`Result`](crate::Result): what a crate that re-exports neurust-nn beside an error type of its
//! own (the `neurust` facade) globs, so the two lists cannot drift apart.
//!
//! ```
//! use neurust_nn::items::*;
//! let mut model = Sequential::new();
//! model.add(Dense::new(10).activation("softmax"));
//! ```

pub use crate::activation::{ACTIVATION_NAMES, Activation, ActivationSpec};
pub use crate::callbacks::{Callback, EarlyStopping, History, StopHandle, TerminateOnNaN};
pub use crate::categorical::to_categorical;
pub use crate::data::{Labels, Targets};
pub use crate::initializer::{INITIALIZER_NAMES, Initializer, IntoInitializer};
pub use crate::layers::{
    ActivationLayer, AveragePooling2D, BatchNormalization, Conv2D, Dense, Dropout, Flatten,
    GlobalAveragePooling2D, Input, Layer, MaxPooling2D, Padding, Reshape,
};
pub use crate::loss::{LOSS_NAMES, Loss};
pub use crate::metric::{METRIC_NAMES, Metric, argmax};
pub use crate::model::{
    Evaluation, Fit, IntoLoss, IntoMetric, Sequential, Summary, SummaryRow, load_model,
};
pub use crate::optimizers::{Adam, AdamW, IntoOptimizer, Optimizer, RmsProp, Sgd};
pub use crate::parallel::num_threads;
pub use crate::rng::{Rng, set_random_seed};
pub use crate::share::share_process_state;
pub use crate::{callbacks, layers, optimizers};
