//! Metrics reported beside the loss. "accuracy" is resolved as Keras does: by the loss, else
//! by the labels' and outputs' shapes.

use std::str::FromStr;

use ndarray::{ArrayView1, ArrayView2};

use crate::data::{TargetBuf, Targets};
use crate::{Error, Loss, Result};

/// A metric, by value or by Keras name.
///
/// ```
/// use neurust_nn::Metric;
/// assert_eq!("accuracy".parse::<Metric>().unwrap(), Metric::Accuracy);
/// assert_eq!("acc".parse::<Metric>().unwrap(), Metric::Accuracy);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Resolved to one of the three accuracies below when the labels are known.
    Accuracy,
    /// argmax of the output equals the class id.
    SparseCategoricalAccuracy,
    /// argmax of the output equals argmax of the one-hot label.
    CategoricalAccuracy,
    /// output > 0.5 agrees with label > 0.5, per output.
    BinaryAccuracy,
    /// Mean squared error.
    MeanSquaredError,
    /// Mean absolute error.
    MeanAbsoluteError,
}

/// The metric names a string may hold.
pub const METRIC_NAMES: &[&str] = &[
    "accuracy",
    "sparse_categorical_accuracy",
    "categorical_accuracy",
    "binary_accuracy",
    "mse",
    "mae",
];

impl FromStr for Metric {
    type Err = Error;
    fn from_str(name: &str) -> Result<Self> {
        Ok(match name.trim().to_ascii_lowercase().as_str() {
            "accuracy" | "acc" => Metric::Accuracy,
            "sparse_categorical_accuracy" => Metric::SparseCategoricalAccuracy,
            "categorical_accuracy" => Metric::CategoricalAccuracy,
            "binary_accuracy" => Metric::BinaryAccuracy,
            "mse" | "mean_squared_error" => Metric::MeanSquaredError,
            "mae" | "mean_absolute_error" => Metric::MeanAbsoluteError,
            _ => {
                return Err(Error::UnknownName {
                    kind: "metric",
                    name: name.into(),
                    valid: METRIC_NAMES,
                });
            }
        })
    }
}

impl Metric {
    /// The key in logs and History ("accuracy" stays "accuracy", as in Keras).
    pub fn key(self) -> &'static str {
        match self {
            Metric::Accuracy => "accuracy",
            Metric::SparseCategoricalAccuracy => "sparse_categorical_accuracy",
            Metric::CategoricalAccuracy => "categorical_accuracy",
            Metric::BinaryAccuracy => "binary_accuracy",
            Metric::MeanSquaredError => "mse",
            Metric::MeanAbsoluteError => "mae",
        }
    }

    /// Picks the accuracy that fits the loss, the labels and the output width.
    fn resolve(self, loss: Loss, sparse_labels: bool, outputs: usize) -> Metric {
        if self != Metric::Accuracy {
            return self;
        }
        match loss {
            Loss::SparseCategoricalCrossentropy => Metric::SparseCategoricalAccuracy,
            Loss::CategoricalCrossentropy => Metric::CategoricalAccuracy,
            Loss::BinaryCrossentropy => Metric::BinaryAccuracy,
            _ if sparse_labels => Metric::SparseCategoricalAccuracy,
            _ if outputs == 1 => Metric::BinaryAccuracy,
            _ => Metric::CategoricalAccuracy,
        }
    }

    /// Resolves the compiled metrics for these targets and the model's output width, refusing
    /// one that cannot compare them (it would report NaN for every batch).
    pub(crate) fn resolve_all(
        metrics: &[Metric],
        loss: Loss,
        targets: &Targets,
        outputs: usize,
    ) -> Result<Vec<Metric>> {
        let columns = match targets {
            Targets::Sparse(_) => None,
            Targets::Dense(t) => Some(t.ncols()),
        };
        let resolve = |&m: &Metric| {
            let m = m.resolve(loss, columns.is_none(), outputs);
            let key = m.key();
            match (m, columns) {
                (
                    Metric::MeanSquaredError
                    | Metric::MeanAbsoluteError
                    | Metric::CategoricalAccuracy,
                    None,
                ) => Err(Error::invalid(format!(
                    "metric \"{key}\" compares each prediction with a row of targets, but the \
                     labels are class ids (n,): use \"accuracy\" with class ids, or give one-hot \
                     labels (n, {outputs})"
                ))),
                (Metric::SparseCategoricalAccuracy, Some(c)) if c > 1 => {
                    Err(Error::invalid(format!(
                        "metric \"{key}\" needs class ids (n,), but the labels have {c} columns \
                         (one-hot?): use \"accuracy\" or \"categorical_accuracy\""
                    )))
                }
                _ => Ok(m),
            }
        };
        metrics.iter().map(resolve).collect()
    }

    /// The summed per-sample metric over a batch (the caller divides by the samples seen).
    pub(crate) fn batch_sum(self, pred: ArrayView2<f32>, targets: &TargetBuf) -> f64 {
        match (self, targets) {
            (Metric::SparseCategoricalAccuracy, TargetBuf::Sparse(ids)) => {
                pred.rows()
                    .into_iter()
                    .zip(ids)
                    .filter(|(p, y)| argmax(*p) == **y as usize)
                    .count() as f64
            }
            (Metric::CategoricalAccuracy, TargetBuf::Dense(t)) if t.ncols() > 1 => {
                pred.rows()
                    .into_iter()
                    .zip(t.rows())
                    .filter(|(p, t)| argmax(*p) == argmax(*t))
                    .count() as f64
            }
            (
                Metric::SparseCategoricalAccuracy | Metric::CategoricalAccuracy,
                TargetBuf::Dense(t),
            ) if t.ncols() == 1 => pred
                .rows()
                .into_iter()
                .zip(t.column(0))
                .filter(|(p, y)| argmax(*p) as f32 == **y)
                .count() as f64,
            (Metric::BinaryAccuracy, TargetBuf::Dense(t)) => {
                let width = pred.ncols() as f64;
                pred.iter()
                    .zip(t.iter())
                    .filter(|(p, t)| (**p > 0.5) == (**t > 0.5))
                    .count() as f64
                    / width
            }
            (Metric::BinaryAccuracy, TargetBuf::Sparse(ids)) => pred
                .column(0)
                .iter()
                .zip(ids)
                .filter(|(p, y)| (**p > 0.5) == (**y == 1))
                .count() as f64,
            (Metric::MeanSquaredError | Metric::MeanAbsoluteError, TargetBuf::Dense(t)) => {
                let width = pred.ncols() as f64;
                let sq = self == Metric::MeanSquaredError;
                pred.iter()
                    .zip(t.iter())
                    .map(|(p, t)| {
                        if sq {
                            ((p - t) * (p - t)) as f64
                        } else {
                            (p - t).abs() as f64
                        }
                    })
                    .sum::<f64>()
                    / width
            }
            _ => f64::NAN,
        }
    }
}

/// The index of the largest value (the first on ties), as Keras's argmax.
pub fn argmax(row: ArrayView1<f32>) -> usize {
    let mut best = 0;
    for (i, &v) in row.iter().enumerate() {
        if v > row[best] {
            best = i;
        }
    }
    best
}
