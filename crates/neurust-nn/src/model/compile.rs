//! `compile`: resolves the optimizer, loss and metric names into typed values, in one place,
//! and checks labels against them.

use ndarray::Array2;

use super::compiled::Compiled;
use super::sequential::Sequential;
use crate::data::Targets;
use crate::optimizers::{IntoOptimizer, OptimizerState};
use crate::{Error, Loss, Metric, Result};

/// Something that names a loss: a [`Loss`] or its Keras name.
pub trait IntoLoss {
    /// The loss, or the error listing the valid names.
    fn into_loss(self) -> Result<Loss>;
}
impl IntoLoss for Loss {
    fn into_loss(self) -> Result<Loss> {
        Ok(self)
    }
}
impl IntoLoss for &str {
    fn into_loss(self) -> Result<Loss> {
        self.parse()
    }
}

/// Something that names a metric: a [`Metric`] or its Keras name.
pub trait IntoMetric {
    /// The metric, or the error listing the valid names.
    fn into_metric(self) -> Result<Metric>;
}
impl IntoMetric for Metric {
    fn into_metric(self) -> Result<Metric> {
        Ok(self)
    }
}
impl IntoMetric for &str {
    fn into_metric(self) -> Result<Metric> {
        self.parse()
    }
}

impl Sequential {
    /// Sets the optimizer, loss and metrics, by value or by Keras name; builds the weights if
    /// the input shape is known. Recompiling keeps the weights and resets the optimizer.
    ///
    /// ```
    /// use neurust_nn::{Adam, Dense, Flatten, Loss, Metric, Sequential};
    /// let mut model = Sequential::new();
    /// model.add(Flatten::new().input_shape([4])).add(Dense::new(3).activation("softmax"));
    /// model.compile("adam", "sparse_categorical_crossentropy", &["accuracy"]).unwrap();
    /// model.compile(Adam::new().learning_rate(1e-2), Loss::SparseCategoricalCrossentropy, &[Metric::Accuracy]).unwrap();
    /// let err = model.compile("adam", "sparse_categorical_crossentropy", &["acuracy"]).unwrap_err();
    /// assert!(err.to_string().contains("valid metrics are: accuracy"));
    /// ```
    pub fn compile<M: IntoMetric + Copy>(
        &mut self,
        optimizer: impl IntoOptimizer,
        loss: impl IntoLoss,
        metrics: &[M],
    ) -> Result<()> {
        let optimizer = OptimizerState::new(optimizer.into_optimizer()?)?;
        let loss = loss.into_loss()?;
        let metrics = metrics
            .iter()
            .map(|m| m.into_metric())
            .collect::<Result<Vec<_>>>()?;
        match (&self.input_shape, self.input_shape()) {
            (Some(_), _) => {}
            (None, Some(declared)) => self.build_for(&declared, 0)?,
            (None, None) => {
                // Shapes come with the first fit; surface unknown names now.
                for layer in &self.layers {
                    if let Err(e @ Error::UnknownName { .. }) = layer.output_shape(&[1]) {
                        return Err(e);
                    }
                }
            }
        }
        self.compiled = Some(Compiled {
            optimizer,
            loss,
            metrics,
        });
        Ok(())
    }

    pub(crate) fn compiled(&self) -> Result<&Compiled> {
        self.compiled.as_ref().ok_or_else(|| {
            Error::invalid(
                "the model is not compiled: call model.compile(optimizer, loss, metrics) first",
            )
        })
    }

    /// Checks labels against the loss and the output width, converting where Keras would.
    pub(crate) fn prepare_targets(&self, targets: Targets) -> Result<Targets> {
        let loss = self.compiled()?.loss;
        let width = self.output_width().unwrap_or(0);
        match (loss.is_sparse(), targets) {
            (true, Targets::Sparse(ids)) => match ids.iter().position(|&y| y as usize >= width) {
                Some(i) => Err(Error::Label(format!(
                    "label {} (sample {i}) is out of range: the output layer has {width} units, so \
                     labels must be in 0..{width}",
                    ids[i]
                ))),
                None => Ok(Targets::Sparse(ids)),
            },
            (true, Targets::Dense(a)) => Err(Error::Label(format!(
                "{} expects integer class ids shaped (n,), got floats shaped (n, {}); use \
                 categorical_crossentropy for one-hot labels",
                loss.name(),
                a.ncols()
            ))),
            (false, Targets::Sparse(ids)) if loss == Loss::CategoricalCrossentropy => {
                Err(Error::Label(format!(
                    "categorical_crossentropy expects one-hot rows shaped (n, {width}), got {} class ids; \
                 use sparse_categorical_crossentropy for integer labels",
                    ids.len()
                )))
            }
            (false, Targets::Sparse(ids)) => {
                let col = Array2::from_shape_fn((ids.len(), 1), |(i, _)| ids[i] as f32);
                self.prepare_targets_dense(col)
            }
            (false, Targets::Dense(a)) => self.prepare_targets_dense(a),
        }
    }

    fn prepare_targets_dense(&self, a: Array2<f32>) -> Result<Targets> {
        let width = self.output_width().unwrap_or(0);
        if a.ncols() != width {
            return Err(Error::shape(
                "labels",
                format!("(n, {width}) to match the output layer"),
                format!("(n, {})", a.ncols()),
            ));
        }
        Ok(Targets::Dense(a))
    }
}
