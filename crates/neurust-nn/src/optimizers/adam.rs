//! Adam and AdamW, as Keras 3 computes them:
//! `α = lr·sqrt(1-β₂ᵗ)/(1-β₁ᵗ)`, `m += (g-m)(1-β₁)`, `v += (g²-v)(1-β₂)`, `p -= α·m/(sqrt(v)+ε)`;
//! AdamW first decays `p -= p·wd·lr`.

#[cfg(target_arch = "x86_64")]
use super::adam_avx512;
use super::update::{Update, flush};

/// Adam's settings; the defaults are Keras's.
///
/// ```
/// use neurust_nn::Adam;
/// let adam = Adam::new().learning_rate(1e-3).beta_1(0.9).beta_2(0.999).epsilon(1e-7);
/// assert_eq!(adam, Adam::default());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Adam {
    /// Step size (default 0.001).
    pub learning_rate: f32,
    /// Decay of the first moment (default 0.9).
    pub beta_1: f32,
    /// Decay of the second moment (default 0.999).
    pub beta_2: f32,
    /// Added to the denominator (default 1e-7).
    pub epsilon: f32,
}

impl Default for Adam {
    fn default() -> Self {
        Adam {
            learning_rate: 1e-3,
            beta_1: 0.9,
            beta_2: 0.999,
            epsilon: 1e-7,
        }
    }
}

impl Adam {
    /// Keras's defaults.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the learning rate.
    pub fn learning_rate(mut self, lr: f32) -> Self {
        self.learning_rate = lr;
        self
    }
    /// Sets β₁.
    pub fn beta_1(mut self, b: f32) -> Self {
        self.beta_1 = b;
        self
    }
    /// Sets β₂.
    pub fn beta_2(mut self, b: f32) -> Self {
        self.beta_2 = b;
        self
    }
    /// Sets ε.
    pub fn epsilon(mut self, e: f32) -> Self {
        self.epsilon = e;
        self
    }

    /// `α = lr·sqrt(1-β₂ᵗ)/(1-β₁ᵗ)` for step `t` (from 1).
    pub(super) fn alpha(&self, t: u64) -> f32 {
        let t = t as f64;
        (self.learning_rate as f64 * (1.0 - (self.beta_2 as f64).powf(t)).sqrt()
            / (1.0 - (self.beta_1 as f64).powf(t))) as f32
    }

    #[inline(always)]
    pub(super) fn update(&self, alpha: f32, u: Update) {
        let (c1, c2, eps) = (1.0 - self.beta_1, 1.0 - self.beta_2, self.epsilon);
        let [m, v, _] = u.s;
        #[cfg(target_arch = "x86_64")]
        if crate::simd::has_avx512() {
            let k = adam_avx512::Coefficients { alpha, c1, c2, eps };
            // SAFETY: `has_avx512` checked the processor.
            unsafe { adam_avx512::update(k, u.p, u.g, m, v) };
            return;
        }
        for (((p, &g), m), v) in u.p.iter_mut().zip(u.g).zip(m.iter_mut()).zip(v.iter_mut()) {
            *m = flush(*m + (g - *m) * c1);
            *v = flush(*v + (g * g - *v) * c2);
            *p -= alpha * *m / (v.sqrt() + eps);
        }
    }
}

/// AdamW's settings: Adam plus decoupled weight decay (default 0.004, as Keras).
///
/// ```
/// use neurust_nn::AdamW;
/// let opt = AdamW::new().weight_decay(0.01);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct AdamW {
    /// The Adam part.
    #[serde(flatten)]
    pub adam: Adam,
    /// Fraction of each weight removed per step, times the learning rate.
    pub weight_decay: f32,
}

impl Default for AdamW {
    fn default() -> Self {
        AdamW {
            adam: Adam::default(),
            weight_decay: 0.004,
        }
    }
}

impl AdamW {
    /// Keras's defaults.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the learning rate.
    pub fn learning_rate(mut self, lr: f32) -> Self {
        self.adam.learning_rate = lr;
        self
    }
    /// Sets the weight decay.
    pub fn weight_decay(mut self, wd: f32) -> Self {
        self.weight_decay = wd;
        self
    }

    #[inline(always)]
    pub(super) fn update(&self, alpha: f32, u: Update) {
        let keep = 1.0 - self.weight_decay * self.adam.learning_rate;
        u.p.iter_mut().for_each(|p| *p *= keep);
        self.adam.update(alpha, u);
    }
}
