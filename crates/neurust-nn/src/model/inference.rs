//! `evaluate`, `predict` and the `*_on_batch` calls.

use std::ops::Index;

use ndarray::{Array2, ArrayBase, ArrayView2, Data, Dimension, s};

use super::sequential::Sequential;
use super::step::Workspace;
use crate::data::{Labels, TargetBuf, Targets, check_finite, features};
use crate::{Error, Metric, Result, Rng};

/// Rows per chunk when predicting or evaluating: large enough for efficient products, small
/// enough to keep the activations in cache.
const CHUNK: usize = 1024;

/// Loss and metric values by name, as `evaluate` returns them.
///
/// ```
/// use neurust_nn::Evaluation;
/// let r = Evaluation::new(vec![("loss".into(), 0.07), ("accuracy".into(), 0.98)]);
/// assert_eq!(r["accuracy"], 0.98);
/// assert_eq!(r.to_string(), "accuracy: 0.9800 - loss: 0.0700");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    values: crate::callbacks::Logs,
}

impl Evaluation {
    /// Values by name.
    pub fn new(values: Vec<(String, f64)>) -> Self {
        let mut logs = crate::callbacks::Logs::default();
        for (k, v) in values {
            logs.set(&k, v);
        }
        Evaluation { values: logs }
    }
    /// A value, if present.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.values.get(name)
    }
    /// All values, in Keras's order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, f64)> {
        self.values.iter()
    }
}

impl Index<&str> for Evaluation {
    type Output = f64;
    /// The value of a name; panics, listing the names, if there is none (use `get` to test).
    fn index(&self, name: &str) -> &f64 {
        self.values.get_ref(name).unwrap_or_else(|| {
            let names: Vec<&str> = self.iter().map(|(k, _)| k).collect();
            panic!(
                "no value named \"{name}\"; this evaluation has: {}",
                names.join(", ")
            )
        })
    }
}

impl std::fmt::Display for Evaluation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.values.fmt(f)
    }
}

/// The mean loss and metrics of a built, compiled model on rows `x`, in the order
/// `["loss", metrics...]`.
pub(crate) fn evaluate_rows(
    model: &mut Sequential,
    x: ArrayView2<f32>,
    targets: &Targets,
    metrics: &[Metric],
) -> Result<Vec<f64>> {
    let loss = model.compiled()?.loss;
    let mut ws = Workspace::new(model, CHUNK.min(x.nrows().max(1)), false)?;
    let mut rng = Rng::new(0);
    let mut tb = TargetBuf::for_targets(targets);
    let mut sums = vec![0.0; 1 + metrics.len()];
    let idx: Vec<usize> = (0..x.nrows()).collect();
    for chunk in idx.chunks(CHUNK) {
        let rows = chunk[0]..chunk[0] + chunk.len();
        targets.gather(chunk, &mut tb);
        let pred = ws.forward(model, x.slice(s![rows, ..]), &mut rng);
        sums[0] += loss.compute(pred, &tb, None, false);
        for (m, sum) in metrics.iter().zip(&mut sums[1..]) {
            *sum += m.batch_sum(pred, &tb);
        }
    }
    let n = x.nrows().max(1) as f64;
    Ok(sums.into_iter().map(|s| s / n).collect())
}

impl Sequential {
    /// `x` as rows of features, checked against the shape the model was built for. A model not
    /// built yet is built for `x`'s shape, as Keras does on a first `predict`.
    pub(super) fn inputs<'a, S: Data<Elem = f32>, D: Dimension>(
        &mut self,
        x: &'a ArrayBase<S, D>,
    ) -> Result<ndarray::CowArray<'a, f32, ndarray::Ix2>> {
        let (x, per_sample) = features(x)?;
        self.build_for(&per_sample, x.nrows())?;
        check_finite("input", x.view())?;
        Ok(x)
    }

    /// The model's outputs for `x` (class probabilities for a softmax model), `(n, outputs)`.
    pub fn predict<S: Data<Elem = f32>, D: Dimension>(
        &mut self,
        x: &ArrayBase<S, D>,
    ) -> Result<Array2<f32>> {
        let x = self.inputs(x)?;
        let width = self.output_width().unwrap_or(0);
        let mut out = Array2::zeros((x.nrows(), width));
        let mut ws = Workspace::new(self, CHUNK.min(x.nrows().max(1)), false)?;
        let mut rng = Rng::new(0);
        for start in (0..x.nrows()).step_by(CHUNK) {
            let end = (start + CHUNK).min(x.nrows());
            let pred = ws.forward(self, x.slice(s![start..end, ..]), &mut rng);
            out.slice_mut(s![start..end, ..]).assign(&pred);
        }
        Ok(out)
    }

    /// The loss and metrics on `(x, y)`, with dropout off.
    pub fn evaluate<S: Data<Elem = f32>, D: Dimension>(
        &mut self,
        x: &ArrayBase<S, D>,
        y: &impl Labels,
    ) -> Result<Evaluation> {
        let x = self.inputs(x)?;
        let targets = self.prepare_targets(y.to_targets()?)?;
        if targets.len() != x.nrows() {
            return Err(Error::invalid(format!(
                "x and y differ in length: x has {} samples, y has {}",
                x.nrows(),
                targets.len()
            )));
        }
        if x.nrows() == 0 {
            return Err(Error::invalid(
                "evaluate needs at least one sample, got an empty array",
            ));
        }
        let compiled = self.compiled()?;
        let width = self.output_width().unwrap_or(0);
        let metrics = Metric::resolve_all(&compiled.metrics, compiled.loss, &targets, width)?;
        let keys: Vec<String> = std::iter::once("loss")
            .chain(compiled.metrics.iter().map(|m| m.key()))
            .map(String::from)
            .collect();
        let values = evaluate_rows(self, x.view(), &targets, &metrics)?;
        Ok(Evaluation::new(keys.into_iter().zip(values).collect()))
    }

    /// The outputs for one batch (no chunking; same as `predict`).
    pub fn predict_on_batch<S: Data<Elem = f32>, D: Dimension>(
        &mut self,
        x: &ArrayBase<S, D>,
    ) -> Result<Array2<f32>> {
        self.predict(x)
    }

    /// The loss and metrics on one batch.
    pub fn test_on_batch<S: Data<Elem = f32>, D: Dimension>(
        &mut self,
        x: &ArrayBase<S, D>,
        y: &impl Labels,
    ) -> Result<Evaluation> {
        self.evaluate(x, y)
    }

    /// One gradient update on one batch; returns the batch's loss and metrics (before the
    /// update, as Keras reports them).
    pub fn train_on_batch<S: Data<Elem = f32>, D: Dimension>(
        &mut self,
        x: &ArrayBase<S, D>,
        y: &impl Labels,
    ) -> Result<Evaluation> {
        // One step of fit, without replacing the History of the latest fit.
        let latest = std::mem::take(&mut self.history);
        let step = self
            .fit(x, y)
            .epochs(1)
            .batch_size(usize::MAX)
            .shuffle(false)
            .verbose(0)
            .run();
        self.history = latest;
        let history = step?;
        Ok(Evaluation::new(
            history
                .history
                .into_iter()
                .filter_map(|(k, v)| Some((k, *v.first()?)))
                .collect(),
        ))
    }
}
