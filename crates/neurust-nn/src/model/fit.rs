//! `fit`: a builder with Keras's arguments and defaults; `run` trains.

use ndarray::{ArrayBase, CowArray, Data, Dimension, Ix2};

use super::sequential::Sequential;
use crate::callbacks::Callback;
use crate::data::{Labels, Targets, features};
use crate::{Result, StopHandle};

pub(crate) type Features<'d> = (CowArray<'d, f32, Ix2>, Vec<usize>);

/// The arguments of one `fit` call; [`run`](Fit::run) trains.
///
/// As TensorFlow's kernels do, training and inference read and write subnormal floats (below
/// `f32::MIN_POSITIVE`) as zero on x86-64, on every thread, callbacks included: the processor
/// handles them far more slowly, and Adam's moments of rarely active weights pass through them.
///
/// ```
/// use ndarray::{Array1, Array2};
/// use neurust_nn::{Dense, Flatten, Sequential};
/// let x = Array2::from_shape_fn((64, 4), |(i, j)| ((i * 7 + j) % 5) as f32 / 5.0);
/// let y = Array1::from_shape_fn(64, |i| (i % 3) as u8);
/// let mut model = Sequential::with_seed(1);
/// model.add(Flatten::new().input_shape([4])).add(Dense::new(3).activation("softmax"));
/// model.compile("adam", "sparse_categorical_crossentropy", &["accuracy"]).unwrap();
/// let history = model.fit(&x, &y).epochs(2).batch_size(16).validation_split(0.25).verbose(0).seed(7).run().unwrap();
/// assert_eq!(history.history["val_accuracy"].len(), 2);
/// ```
pub struct Fit<'m, 'd> {
    pub(crate) model: &'m mut Sequential,
    pub(crate) x: Result<Features<'d>>,
    pub(crate) y: Result<Targets>,
    pub(crate) epochs: usize,
    pub(crate) batch_size: usize,
    pub(crate) validation_split: f64,
    pub(crate) validation_data: Option<Result<(Features<'d>, Targets)>>,
    pub(crate) shuffle: bool,
    pub(crate) verbose: u8,
    pub(crate) callbacks: Vec<Box<dyn Callback + 'd>>,
    pub(crate) seed: Option<u64>,
    pub(crate) stop: Option<StopHandle>,
}

impl Sequential {
    /// Starts a training call on features `x` shaped `(n, ...)` and labels `y`; set options on
    /// the returned [`Fit`] and call [`run`](Fit::run). Calling `fit` again continues training.
    pub fn fit<'m, 'd, S, D>(&'m mut self, x: &'d ArrayBase<S, D>, y: &impl Labels) -> Fit<'m, 'd>
    where
        S: Data<Elem = f32>,
        D: Dimension,
    {
        Fit {
            model: self,
            x: features(x),
            y: y.to_targets(),
            epochs: 1,
            batch_size: 32,
            validation_split: 0.0,
            validation_data: None,
            shuffle: true,
            verbose: 1,
            callbacks: Vec::new(),
            seed: None,
            stop: None,
        }
    }
}

impl<'d> Fit<'_, 'd> {
    /// Passes over the training data (default 1).
    pub fn epochs(mut self, epochs: usize) -> Self {
        self.epochs = epochs;
        self
    }
    /// Samples per gradient update (default 32).
    pub fn batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size;
        self
    }
    /// The fraction of the data, taken from the end before shuffling, held out for validation.
    pub fn validation_split(mut self, fraction: f64) -> Self {
        self.validation_split = fraction;
        self
    }
    /// Validation data to evaluate at each epoch end (overrides `validation_split`).
    pub fn validation_data<S: Data<Elem = f32>, D: Dimension>(
        mut self,
        x: &'d ArrayBase<S, D>,
        y: &impl Labels,
    ) -> Self {
        self.validation_data = Some(features(x).and_then(|fx| Ok((fx, y.to_targets()?))));
        self
    }
    /// Reshuffle the training data before each epoch (default true).
    pub fn shuffle(mut self, shuffle: bool) -> Self {
        self.shuffle = shuffle;
        self
    }
    /// 0 silent, 1 progress (a live view in notebooks), 2 one line per epoch (default 1).
    pub fn verbose(mut self, verbose: u8) -> Self {
        self.verbose = verbose;
        self
    }
    /// Adds callbacks (a `Vec<Box<dyn Callback>>`, or boxes of `&mut` to keep access to them).
    pub fn callbacks(
        mut self,
        callbacks: impl IntoIterator<Item = Box<dyn Callback + 'd>>,
    ) -> Self {
        self.callbacks.extend(callbacks);
        self
    }
    /// Adds one callback; pass `&mut cb` to read it after training.
    pub fn callback(mut self, callback: impl Callback + 'd) -> Self {
        self.callbacks.push(Box::new(callback));
        self
    }
    /// Fixes shuffling and dropout, so the same seed gives the same History.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }
    /// A handle that stops training at the next batch boundary when set.
    pub fn stop_handle(mut self, handle: &StopHandle) -> Self {
        self.stop = Some(handle.clone());
        self
    }
}
