//! SGD as Keras 3 computes it: `m = μ·m - lr·g`; then `p += m`, or with Nesterov
//! `p += μ·m - lr·g`; without momentum `p -= lr·g`.

use super::update::{Update, flush};

/// SGD's settings; the defaults are Keras's (learning rate 0.01, no momentum).
///
/// ```
/// use neurust_nn::Sgd;
/// let sgd = Sgd::new().learning_rate(0.1).momentum(0.9).nesterov(true);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Sgd {
    /// Step size (default 0.01).
    pub learning_rate: f32,
    /// Momentum μ (default 0).
    pub momentum: f32,
    /// Nesterov momentum (default false).
    pub nesterov: bool,
}

impl Default for Sgd {
    fn default() -> Self {
        Sgd {
            learning_rate: 0.01,
            momentum: 0.0,
            nesterov: false,
        }
    }
}

impl Sgd {
    /// Keras's defaults.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the learning rate.
    pub fn learning_rate(mut self, lr: f32) -> Self {
        self.learning_rate = lr;
        self
    }
    /// Sets the momentum.
    pub fn momentum(mut self, m: f32) -> Self {
        self.momentum = m;
        self
    }
    /// Turns Nesterov momentum on or off.
    pub fn nesterov(mut self, on: bool) -> Self {
        self.nesterov = on;
        self
    }

    #[inline(always)]
    pub(super) fn update(&self, u: Update) {
        let (lr, mu) = (self.learning_rate, self.momentum);
        if mu == 0.0 {
            u.p.iter_mut().zip(u.g).for_each(|(p, &g)| *p -= lr * g);
            return;
        }
        let [m, _, _] = u.s;
        for ((p, &g), m) in u.p.iter_mut().zip(u.g).zip(m.iter_mut()) {
            *m = flush(mu * *m - lr * g);
            *p += if self.nesterov { mu * *m - lr * g } else { *m };
        }
    }
}
