//! One batch through the model: the forward pass, the loss, the backward pass and the update,
//! on buffers allocated once per `fit` (nothing is allocated per batch).

use ndarray::{Array2, ArrayView2, s};

use super::fusion;
use super::sequential::Sequential;
use crate::data::TargetBuf;
use crate::layers::Geometry;
use crate::layers::Mode;
use crate::subnormal::FlushSubnormals;
use crate::{Error, Loss, Metric, Result, Rng};

/// Activations (and, for training, their gradients) of the layers that compute something in
/// one mode; identity layers (Flatten, Dropout at inference) are skipped.
pub(crate) struct Workspace {
    training: bool,
    active: Vec<usize>,
    acts: Vec<Array2<f32>>,
    grads: Vec<Array2<f32>>,
    fused: bool,
    /// Per active layer, the pooling it runs for the next one (`fusion.rs`). Such a
    /// convolution's own output buffer is written only with `every_output`.
    pools: Vec<Option<Geometry>>,
    /// Whether [`outputs`](Self::outputs) will be read: every layer's output is written.
    every_output: bool,
    /// Subnormals read and written as zero on this thread while the workspace lives, as on
    /// the worker threads (`subnormal.rs`).
    _flush: FlushSubnormals,
}

impl Workspace {
    /// Buffers for batches of up to `rows` rows of a built, compiled model.
    pub fn new(model: &mut Sequential, rows: usize, training: bool) -> Result<Self> {
        let input = model
            .input_shape
            .clone()
            .ok_or_else(|| Error::invalid("the model is not built"))?;
        let shapes = model.output_shapes(&input)?;
        let active: Vec<usize> = (0..model.layers.len())
            .filter(|&i| !model.layers[i].is_identity(training))
            .collect();
        if active.is_empty() {
            return Err(Error::invalid(
                "the model has no layer that computes anything: add a Dense layer",
            ));
        }
        let width = |i: usize| shapes[i].iter().product::<usize>();
        let acts: Vec<Array2<f32>> = active
            .iter()
            .map(|&i| Array2::zeros((rows, width(i))))
            .collect();
        let grads = if training { acts.clone() } else { Vec::new() };
        let last = *active.last().expect("checked non-empty");
        let fused = model
            .compiled
            .as_ref()
            .is_some_and(|c| c.loss.fuses_with(model.layers[last].output_activation()))
            && last == model.layers.len() - 1;
        let pools = fusion::plan(&mut model.layers, &active);
        Ok(Workspace {
            training,
            active,
            acts,
            grads,
            fused,
            pools,
            every_output: false,
            _flush: FlushSubnormals::new(),
        })
    }

    /// This workspace, writing every layer's output for [`outputs`](Self::outputs).
    pub fn with_every_output(mut self) -> Self {
        self.every_output = true;
        self
    }

    /// Runs the layers on `x` (at most the capacity's rows); returns the predictions.
    pub fn forward(
        &mut self,
        model: &mut Sequential,
        x: ArrayView2<f32>,
        rng: &mut Rng,
    ) -> ArrayView2<'_, f32> {
        let rows = x.nrows();
        let mut mode = Mode {
            training: self.training,
            rng,
        };
        let mut j = 0;
        while j < self.active.len() {
            let (done, rest) = self.acts.split_at_mut(j);
            let input = if j == 0 {
                x
            } else {
                done[j - 1].slice(s![..rows, ..])
            };
            let layer = model.layers[self.active[j]].as_mut();
            if let Some(pool) = &self.pools[j] {
                fusion::forward(layer, pool, input, rest, rows, self.every_output);
                j += 2;
                continue;
            }
            layer.forward(input, rest[0].slice_mut(s![..rows, ..]), &mut mode);
            j += 1;
        }
        self.acts
            .last()
            .expect("checked non-empty")
            .slice(s![..rows, ..])
    }

    /// After [`forward`](Self::forward), on a workspace built
    /// [`with_every_output`](Self::with_every_output) (else a pooled convolution's own output
    /// is never written): the output of each layer that computes something, by the layer's
    /// index in the model, `rows` rows of it.
    pub fn outputs(&self, rows: usize) -> impl Iterator<Item = (usize, ArrayView2<'_, f32>)> {
        debug_assert!(self.every_output, "outputs() needs with_every_output()");
        self.active
            .iter()
            .zip(&self.acts)
            .map(move |(&layer, act)| (layer, act.slice(s![..rows, ..])))
    }

    /// Back-propagates the loss's gradient (already in the last gradient buffer).
    fn backward(&mut self, model: &mut Sequential, x: ArrayView2<f32>) {
        let rows = x.nrows();
        let last = self.active.len() - 1;
        for j in (0..=last).rev() {
            let (lower, upper) = self.grads.split_at_mut(j);
            let input = if j == 0 {
                x
            } else {
                self.acts[j - 1].slice(s![..rows, ..])
            };
            let mut dx = (j > 0).then(|| lower[j - 1].slice_mut(s![..rows, ..]));
            let layer = model.layers[self.active[j]].as_mut();
            if fusion::backward(&self.pools, j, layer, input, &self.acts, upper, &mut dx) {
                continue;
            }
            let y = self.acts[j].slice(s![..rows, ..]);
            layer.backward(
                input,
                y,
                upper[0].slice_mut(s![..rows, ..]),
                dx,
                self.fused && j == last,
            );
        }
    }

    /// Forward, loss and backward on a batch, leaving the gradients in the layers; returns the
    /// summed loss and adds each metric's sum to `metric_sums`.
    pub fn gradients(
        &mut self,
        model: &mut Sequential,
        x: ArrayView2<f32>,
        targets: &TargetBuf,
        rng: &mut Rng,
        metrics: &[Metric],
        metric_sums: &mut [f64],
    ) -> f64 {
        let rows = x.nrows();
        let loss: Loss = model.compiled.as_ref().expect("callers check compile").loss;
        self.forward(model, x, rng);
        let pred = self
            .acts
            .last()
            .expect("checked non-empty")
            .slice(s![..rows, ..]);
        let grad = self
            .grads
            .last_mut()
            .expect("training has gradients")
            .slice_mut(s![..rows, ..]);
        let loss_sum = loss.compute(pred, targets, Some(grad), self.fused);
        for (m, sum) in metrics.iter().zip(metric_sums.iter_mut()) {
            *sum += m.batch_sum(pred, targets);
        }
        self.backward(model, x);
        loss_sum
    }
}

impl Sequential {
    /// The batch-mean loss on `(x, y)` and its gradient for every weight (in
    /// [`get_weights`](Sequential::get_weights) order; zero for the non-trainable ones), in
    /// training mode (dropout on, with a fixed mask; batch statistics), without updating
    /// anything, moving statistics included: for checking gradients and for learning.
    ///
    /// ```
    /// use ndarray::array;
    /// use neurust_nn::{Dense, Flatten, Sequential};
    /// let mut model = Sequential::with_seed(3);
    /// model.add(Flatten::new().input_shape([2])).add(Dense::new(1));
    /// model.compile("sgd", "mse", &["mae"]).unwrap();
    /// let (loss, grads) = model.loss_and_gradients(&array![[1.0f32, 2.0]], &array![[0.5f32]]).unwrap();
    /// assert_eq!(grads.len(), 2);
    /// ```
    pub fn loss_and_gradients<S, D>(
        &mut self,
        x: &ndarray::ArrayBase<S, D>,
        y: &impl crate::Labels,
    ) -> Result<(f64, Vec<ndarray::ArrayD<f32>>)>
    where
        S: ndarray::Data<Elem = f32>,
        D: ndarray::Dimension,
    {
        let (x, per_sample) = crate::data::features(x)?;
        self.compiled()?;
        self.build_for(&per_sample, x.nrows())?;
        let targets = self.prepare_targets(y.to_targets()?)?;
        if targets.len() != x.nrows() || x.nrows() == 0 {
            return Err(Error::invalid(format!(
                "x has {} samples and y has {}; both need the same, non-zero count",
                x.nrows(),
                targets.len()
            )));
        }
        let mut tb = TargetBuf::for_targets(&targets);
        let idx: Vec<usize> = (0..x.nrows()).collect();
        targets.gather(&idx, &mut tb);
        let mut ws = Workspace::new(self, x.nrows(), true)?;
        let loss = ws.gradients(self, x.view(), &tb, &mut Rng::new(0), &[], &mut []);
        let grads = self
            .layers
            .iter()
            .flat_map(|l| l.params())
            .map(|p| p.grad.clone())
            .collect();
        Ok((loss / x.nrows() as f64, grads))
    }
}
