//! RMSprop as Keras 3 computes it: `v = ρv + (1-ρ)g²`; centered: `a = ρa + (1-ρ)g`,
//! `d = v - a² + ε`, else `d = v + ε`; `inc = lr·g/sqrt(d)`; with momentum `m = μm + inc`,
//! `p -= m`, else `p -= inc`.

use super::update::{Update, flush};

/// RMSprop's settings; the defaults are Keras's.
///
/// ```
/// use neurust_nn::RmsProp;
/// let opt = RmsProp::new().learning_rate(1e-3).rho(0.9).centered(true);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct RmsProp {
    /// Step size (default 0.001).
    pub learning_rate: f32,
    /// Decay of the squared-gradient average (default 0.9).
    pub rho: f32,
    /// Momentum (default 0).
    pub momentum: f32,
    /// Added inside the square root (default 1e-7).
    pub epsilon: f32,
    /// Normalise by the gradient's variance instead of its second moment (default false).
    pub centered: bool,
}

impl Default for RmsProp {
    fn default() -> Self {
        RmsProp {
            learning_rate: 1e-3,
            rho: 0.9,
            momentum: 0.0,
            epsilon: 1e-7,
            centered: false,
        }
    }
}

impl RmsProp {
    /// Keras's defaults.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the learning rate.
    pub fn learning_rate(mut self, lr: f32) -> Self {
        self.learning_rate = lr;
        self
    }
    /// Sets ρ.
    pub fn rho(mut self, rho: f32) -> Self {
        self.rho = rho;
        self
    }
    /// Sets the momentum.
    pub fn momentum(mut self, m: f32) -> Self {
        self.momentum = m;
        self
    }
    /// Turns centering on or off.
    pub fn centered(mut self, on: bool) -> Self {
        self.centered = on;
        self
    }

    #[inline(always)]
    pub(super) fn update(&self, u: Update) {
        let (lr, rho, eps, mu) = (self.learning_rate, self.rho, self.epsilon, self.momentum);
        let [v, second, third] = u.s;
        // Slots: the velocity, then the momentum if any, then the gradient average if centered.
        let (mom, avg) = if mu > 0.0 {
            (second, third)
        } else {
            (third, second)
        };
        for (i, (p, &g)) in u.p.iter_mut().zip(u.g).enumerate() {
            v[i] = flush(rho * v[i] + (1.0 - rho) * g * g);
            let denom = if self.centered {
                avg[i] = flush(rho * avg[i] + (1.0 - rho) * g);
                v[i] - avg[i] * avg[i] + eps
            } else {
                v[i] + eps
            };
            let inc = lr * g / denom.sqrt();
            if mu > 0.0 {
                mom[i] = flush(mu * mom[i] + inc);
                *p -= mom[i];
            } else {
                *p -= inc;
            }
        }
    }
}
