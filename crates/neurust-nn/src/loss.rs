//! Losses: the mean over the batch of a per-sample loss, and its gradient. Cross-entropy after
//! softmax (and binary cross-entropy after sigmoid) is fused: the gradient with respect to the
//! logits is `(p - t) / n`, exact and stable where the chain rule through softmax is not.

use std::str::FromStr;

use ndarray::{ArrayView2, ArrayViewMut2, Zip};

use crate::data::TargetBuf;
use crate::{Activation, Error, Result};

/// Keras clips probabilities to `[EPSILON, 1 - EPSILON]` before taking logs.
const EPSILON: f32 = 1e-7;

/// A training objective, by value or by Keras name.
///
/// ```
/// use neurust_nn::Loss;
/// let loss: Loss = "sparse_categorical_crossentropy".parse().unwrap();
/// assert_eq!(loss, Loss::SparseCategoricalCrossentropy);
/// assert_eq!("mse".parse::<Loss>().unwrap(), Loss::MeanSquaredError);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loss {
    /// Class ids against class probabilities.
    SparseCategoricalCrossentropy,
    /// One-hot (or probability) rows against class probabilities.
    CategoricalCrossentropy,
    /// 0/1 targets against probabilities, per output.
    BinaryCrossentropy,
    /// Mean squared error.
    MeanSquaredError,
    /// Mean absolute error.
    MeanAbsoluteError,
}

/// The loss names a string may hold.
pub const LOSS_NAMES: &[&str] = &[
    "sparse_categorical_crossentropy",
    "categorical_crossentropy",
    "binary_crossentropy",
    "mean_squared_error (mse)",
    "mean_absolute_error (mae)",
];

impl FromStr for Loss {
    type Err = Error;
    fn from_str(name: &str) -> Result<Self> {
        Ok(match name.trim().to_ascii_lowercase().as_str() {
            "sparse_categorical_crossentropy" => Loss::SparseCategoricalCrossentropy,
            "categorical_crossentropy" => Loss::CategoricalCrossentropy,
            "binary_crossentropy" => Loss::BinaryCrossentropy,
            "mse" | "mean_squared_error" => Loss::MeanSquaredError,
            "mae" | "mean_absolute_error" => Loss::MeanAbsoluteError,
            _ => {
                return Err(Error::UnknownName {
                    kind: "loss",
                    name: name.into(),
                    valid: LOSS_NAMES,
                });
            }
        })
    }
}

impl Loss {
    /// The Keras name.
    pub fn name(self) -> &'static str {
        match self {
            Loss::SparseCategoricalCrossentropy => "sparse_categorical_crossentropy",
            Loss::CategoricalCrossentropy => "categorical_crossentropy",
            Loss::BinaryCrossentropy => "binary_crossentropy",
            Loss::MeanSquaredError => "mean_squared_error",
            Loss::MeanAbsoluteError => "mean_absolute_error",
        }
    }

    /// Whether the loss wants class ids (else rows of floats).
    pub fn is_sparse(self) -> bool {
        self == Loss::SparseCategoricalCrossentropy
    }

    /// Whether the gradient can skip the output activation (`(p - t) / n` on the logits).
    pub fn fuses_with(self, activation: Option<Activation>) -> bool {
        matches!(
            (self, activation),
            (
                Loss::SparseCategoricalCrossentropy | Loss::CategoricalCrossentropy,
                Some(Activation::Softmax)
            ) | (Loss::BinaryCrossentropy, Some(Activation::Sigmoid))
        )
    }

    /// The summed per-sample losses of a batch; with `grad`, also writes dLoss/d(output) (or,
    /// with `fused`, dLoss/d(logits)) of the batch-mean loss.
    pub fn compute(
        self,
        pred: ArrayView2<f32>,
        targets: &TargetBuf,
        grad: Option<ArrayViewMut2<f32>>,
        fused: bool,
    ) -> f64 {
        let (n, width) = pred.dim();
        let scale = 1.0 / n.max(1) as f32;
        let mut total = 0.0f64;
        match (self, targets) {
            (Loss::SparseCategoricalCrossentropy, TargetBuf::Sparse(ids)) => {
                for (p, &y) in pred.rows().into_iter().zip(ids) {
                    total -= (p[y as usize].clamp(EPSILON, 1.0 - EPSILON) as f64).ln();
                }
                if let Some(mut g) = grad {
                    for ((mut g, p), &y) in g.rows_mut().into_iter().zip(pred.rows()).zip(ids) {
                        let y = y as usize;
                        if fused {
                            Zip::from(&mut g).and(&p).for_each(|g, &p| *g = p * scale);
                            g[y] -= scale;
                        } else {
                            g.fill(0.0);
                            g[y] = -scale / p[y].clamp(EPSILON, 1.0 - EPSILON);
                        }
                    }
                }
            }
            (Loss::CategoricalCrossentropy, TargetBuf::Dense(t)) => {
                Zip::from(&pred)
                    .and(t)
                    .for_each(|&p, &t| total -= (t * p.clamp(EPSILON, 1.0 - EPSILON).ln()) as f64);
                if let Some(mut g) = grad {
                    for ((mut g, p), t) in g.rows_mut().into_iter().zip(pred.rows()).zip(t.rows()) {
                        let mass = t.sum();
                        Zip::from(&mut g).and(&p).and(&t).for_each(|g, &p, &t| {
                            *g = if fused {
                                (p * mass - t) * scale
                            } else {
                                -t * scale / p.clamp(EPSILON, 1.0 - EPSILON)
                            }
                        });
                    }
                }
            }
            (Loss::BinaryCrossentropy, TargetBuf::Dense(t)) => {
                let per = scale / width as f32;
                Zip::from(&pred).and(t).for_each(|&p, &t| {
                    let p = p.clamp(EPSILON, 1.0 - EPSILON);
                    total -= ((t * p.ln() + (1.0 - t) * (1.0 - p).ln()) / width as f32) as f64;
                });
                if let Some(mut g) = grad {
                    Zip::from(&mut g).and(&pred).and(t).for_each(|g, &p, &t| {
                        *g = if fused {
                            (p - t) * per
                        } else {
                            let p = p.clamp(EPSILON, 1.0 - EPSILON);
                            (p - t) / (p * (1.0 - p)) * per
                        }
                    });
                }
            }
            (Loss::MeanSquaredError, TargetBuf::Dense(t)) => {
                Zip::from(&pred)
                    .and(t)
                    .for_each(|&p, &t| total += ((p - t) * (p - t) / width as f32) as f64);
                if let Some(mut g) = grad {
                    let per = 2.0 * scale / width as f32;
                    Zip::from(&mut g)
                        .and(&pred)
                        .and(t)
                        .for_each(|g, &p, &t| *g = (p - t) * per);
                }
            }
            (Loss::MeanAbsoluteError, TargetBuf::Dense(t)) => {
                Zip::from(&pred)
                    .and(t)
                    .for_each(|&p, &t| total += ((p - t).abs() / width as f32) as f64);
                if let Some(mut g) = grad {
                    let per = scale / width as f32;
                    Zip::from(&mut g)
                        .and(&pred)
                        .and(t)
                        .for_each(|g, &p, &t| *g = sign(p - t) * per);
                }
            }
            _ => unreachable!("targets are converted to the loss's kind before training"),
        }
        total
    }
}

fn sign(v: f32) -> f32 {
    if v > 0.0 {
        1.0
    } else if v < 0.0 {
        -1.0
    } else {
        0.0
    }
}
