//! BatchNormalization's arithmetic: a batch's per-channel statistics, the normalisation, its
//! exact gradient through those statistics, and the moving averages.
//!
//! With `x̂ = (x - mean) / sqrt(var + ε)` and `y = γ·x̂ + β` over the `m` values of a channel:
//! `dβ = Σ dy`, `dγ = Σ dy·x̂` and `dx = γ / sqrt(var + ε) · (dy - dβ/m - x̂·dγ/m)`.
//!
//! A batch is walked as a run of groups (see [`Layout`]) against per-channel values spread
//! over one group, so every loop is an element-wise pass over contiguous slices. Sums run in
//! f64, on one thread and in a fixed order: the result does not depend on the thread count,
//! and a channel of millions of values (a convolution's output over a batch) keeps its
//! precision.

use ndarray::{Array2, ArrayView2, ArrayViewMut2};

use super::layer::BatchNormalization;
use super::layout::Layout;
use super::stats::Stats;
use crate::layers::compute::standard;
use crate::layers::layer::Param;

/// A parameter's values, or `absent` for each channel when the layer has no such parameter.
fn values(p: &Option<Param>, channels: usize, absent: f32) -> Vec<f32> {
    p.as_ref()
        .and_then(|p| p.value.as_slice())
        .map_or_else(|| vec![absent; channels], <[f32]>::to_vec)
}

/// Mean, biased variance and `1 / sqrt(var + eps)` of each channel, in two passes (the
/// variance from deviations, not from `E[x²] - E[x]²`, which cancels for large means).
fn batch_stats(flat: &[f32], l: Layout, eps: f32) -> Stats {
    let count = flat.len() / l.channels.max(1);
    let n = count.max(1) as f64;
    let mut acc = vec![0.0f64; l.group()];
    for group in flat.chunks_exact(l.group()) {
        for (a, &v) in acc.iter_mut().zip(group) {
            *a += f64::from(v);
        }
    }
    let mean: Vec<f64> = l.total(&acc).iter().map(|s| s / n).collect();
    let spread = l.spread(&mean);
    acc.fill(0.0);
    for group in flat.chunks_exact(l.group()) {
        for ((a, &v), &m) in acc.iter_mut().zip(group).zip(&spread) {
            *a += (f64::from(v) - m).powi(2);
        }
    }
    let variance: Vec<f64> = l.total(&acc).iter().map(|d| d / n).collect();
    Stats {
        mean: mean.iter().map(|&m| m as f32).collect(),
        variance: variance.iter().map(|&v| v as f32).collect(),
        inv_std: variance
            .iter()
            .map(|&v| (1.0 / (v + f64::from(eps)).sqrt()) as f32)
            .collect(),
        count,
        pending: true,
    }
}

/// Fills `out` (contiguous or not) through a flat slice of its values.
fn write_flat(mut out: ArrayViewMut2<f32>, fill: impl FnOnce(&mut [f32])) {
    if let Some(flat) = out.as_slice_mut() {
        fill(flat);
        return;
    }
    let mut tmp = Array2::zeros(out.dim());
    fill(tmp.as_slice_mut().expect("a new array is contiguous"));
    out.assign(&tmp);
}

impl BatchNormalization {
    /// `y = (x - mean) · γ/sqrt(var + ε) + β` with the batch's statistics while training
    /// (kept for backward and the moving averages), else with the moving ones.
    pub(super) fn forward_rows(&mut self, x: ArrayView2<f32>, y: ArrayViewMut2<f32>, train: bool) {
        let (l, channels) = (self.layout, self.layout.channels);
        let x = standard(x);
        let xs = x.as_slice().expect("standard layout is contiguous");
        let (mean, inv_std) = if train {
            self.batch = batch_stats(xs, l, self.epsilon);
            (self.batch.mean.clone(), self.batch.inv_std.clone())
        } else {
            let eps = f64::from(self.epsilon);
            let var = values(&self.moving_variance, channels, 1.0);
            let inv = var
                .iter()
                .map(|&v| (1.0 / (f64::from(v) + eps).sqrt()) as f32);
            (values(&self.moving_mean, channels, 0.0), inv.collect())
        };
        let gamma = values(&self.gamma, channels, 1.0);
        let scale: Vec<f32> = gamma.iter().zip(&inv_std).map(|(g, i)| g * i).collect();
        let (m, s) = (l.spread(&mean), l.spread(&scale));
        let b = l.spread(&values(&self.beta, channels, 0.0));
        write_flat(y, |ys| {
            let groups = ys
                .chunks_exact_mut(l.group())
                .zip(xs.chunks_exact(l.group()));
            for (out, group) in groups {
                let params = m.iter().zip(&s).zip(&b);
                for ((o, &v), ((&m, &s), &b)) in out.iter_mut().zip(group).zip(params) {
                    *o = (v - m) * s + b;
                }
            }
        });
    }

    /// The gradients of γ and β, and `dx` when asked, through the batch's statistics.
    pub(super) fn backward_rows(
        &mut self,
        x: ArrayView2<f32>,
        dy: ArrayView2<f32>,
        dx: Option<ArrayViewMut2<f32>>,
    ) {
        let (l, s) = (self.layout, &self.batch);
        let (x, dy) = (standard(x), standard(dy));
        let xs = x.as_slice().expect("standard layout is contiguous");
        let dys = dy.as_slice().expect("standard layout is contiguous");
        let (m, inv) = (l.spread(&s.mean), l.spread(&s.inv_std));
        let (mut acc_dy, mut acc_dy_xhat) = (vec![0.0f64; l.group()], vec![0.0f64; l.group()]);
        for (group, dgroup) in xs.chunks_exact(l.group()).zip(dys.chunks_exact(l.group())) {
            let sums = acc_dy.iter_mut().zip(acc_dy_xhat.iter_mut());
            let stats = m.iter().zip(&inv);
            for (((a, ax), (&v, &d)), (&m, &inv)) in sums.zip(group.iter().zip(dgroup)).zip(stats) {
                *a += f64::from(d);
                *ax += f64::from(d * ((v - m) * inv));
            }
        }
        let (sum_dy, sum_dy_xhat) = (l.total(&acc_dy), l.total(&acc_dy_xhat));
        for (p, sums) in [(&mut self.gamma, &sum_dy_xhat), (&mut self.beta, &sum_dy)] {
            if let Some(p) = p {
                let grad = p.grad.as_slice_mut().expect("gradients are contiguous");
                for (g, &v) in grad.iter_mut().zip(sums.iter()) {
                    *g = v as f32;
                }
            }
        }
        let Some(dx) = dx else { return };
        // dx = k·(dy - dβ/m) - (x - mean)·c, with k = γ/sqrt(var + ε) and c = k/sqrt(var + ε)·dγ/m.
        let n = s.count.max(1) as f64;
        let gamma = values(&self.gamma, l.channels, 1.0);
        let per_channel =
            |f: &dyn Fn(usize) -> f32| l.spread(&(0..l.channels).map(f).collect::<Vec<_>>());
        let k = per_channel(&|c| gamma[c] * s.inv_std[c]);
        let a = per_channel(&|c| (sum_dy[c] / n) as f32);
        let cx =
            per_channel(&|c| gamma[c] * s.inv_std[c] * s.inv_std[c] * (sum_dy_xhat[c] / n) as f32);
        write_flat(dx, |out| {
            let groups = out
                .chunks_exact_mut(l.group())
                .zip(xs.chunks_exact(l.group()));
            for ((o, group), dgroup) in groups.zip(dys.chunks_exact(l.group())) {
                let params = k.iter().zip(&a).zip(m.iter().zip(&cx));
                let values = o.iter_mut().zip(group.iter().zip(dgroup));
                for ((o, (&v, &d)), ((&k, &a), (&m, &c))) in values.zip(params) {
                    *o = k * (d - a) - (v - m) * c;
                }
            }
        });
    }

    /// `moving = moving · momentum + batch · (1 - momentum)` (Keras 3), once per training
    /// batch.
    pub(super) fn update_moving_statistics(&mut self) {
        if !self.batch.pending {
            return;
        }
        self.batch.pending = false;
        let momentum = self.momentum;
        for (p, batch) in [
            (&mut self.moving_mean, &self.batch.mean),
            (&mut self.moving_variance, &self.batch.variance),
        ] {
            if let Some(p) = p {
                for (m, &b) in p.value.iter_mut().zip(batch) {
                    *m = *m * momentum + b * (1.0 - momentum);
                }
            }
        }
    }
}
