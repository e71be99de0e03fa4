//! Everything a notebook needs, in one `use neurust::prelude::*;`.
//!
//! ```
//! use neurust::prelude::*;
//! let mut modelo = Sequential::new();
//! modelo.add(Flatten::new().input_shape([28, 28])).add(Dense::new(10).activation("softmax"));
//! let zeros: Array2<f32> = Array2::zeros((2, 3));
//! assert_eq!(zeros.sum_axis(Axis(0)), array![0.0, 0.0, 0.0]);
//! ```

pub use crate::{Error, FASHION_MNIST_CLASSES, Result, ToF32, fashion_mnist, mnist};
pub use ndarray::{
    Array, Array1, Array2, Array3, Array4, ArrayD, ArrayView, ArrayView1, ArrayView2, ArrayView3,
    Axis, Ix1, Ix2, Ix3, Ix4, IxDyn, array, s,
};
pub use neurust_display::{Displayable, PlainResult, clear_output, display};
pub use neurust_nn::callbacks::Callback;
pub use neurust_nn::{
    Activation, ActivationLayer, Adam, AdamW, AveragePooling2D, BatchNormalization, Conv2D, Dense,
    Dropout, EarlyStopping, Evaluation, Flatten, GlobalAveragePooling2D, History, Initializer,
    Input, Loss, MaxPooling2D, Metric, Padding, Reshape, RmsProp, Sequential, Sgd, StopHandle,
    argmax, load_model, set_random_seed, to_categorical,
};
pub use neurust_plot::{
    ArrayResult, Colormap, Figure, NnDisplay, Rich, Table, bar, confusion_matrix, digit_grid, hist,
    imshow, misclassified_grid, plot, plot_history, plot_xy, prediction_grid, scatter,
};
