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

#[cfg(test)]
mod tests {
    use super::super::update::{Update, flush};
    use super::Adam;
    use crate::Rng;

    /// The dispatched update (AVX-512 where the processor has it) equals the formulas written
    /// out here, bit for bit, including the runs of weights with zero gradient and moments
    /// that the vector path leaves alone.
    #[test]
    fn the_update_is_the_formula_bit_for_bit_with_or_without_gradients() {
        let mut rng = Rng::new(5);
        let n = 16 * 6 + 7;
        // Per run of 16: zero g, m and v; zero g only; random; and zero lanes within a run.
        let value = |i: usize, rng: &mut Rng| match (i / 16) % 4 {
            0 => 0.0,
            1 if i.is_multiple_of(3) => 0.0,
            _ => rng.uniform_in(-1.0, 1.0),
        };
        let g: Vec<f32> = (0..n).map(|i| value(i, &mut rng)).collect();
        let m: Vec<f32> = (0..n).map(|i| value(i, &mut rng) * 1e-2).collect();
        let mut v: Vec<f32> = (0..n).map(|i| value(i, &mut rng).abs() * 1e-4).collect();
        // A run with zero gradient and first moment but a second moment: it must be updated.
        let (mut g, mut m) = (g, m);
        g[48..64].fill(0.0);
        m[48..64].fill(0.0);
        let mut p: Vec<f32> = (0..n)
            .map(|i| if i == 2 { -0.0 } else { rng.uniform() })
            .collect();
        let (mut want_p, mut want_m, mut want_v) = (p.clone(), m.clone(), v.clone());
        let adam = Adam::new();
        let (c1, c2, eps, alpha) = (1.0 - adam.beta_1, 1.0 - adam.beta_2, adam.epsilon, 3e-4);
        for i in 0..n {
            want_m[i] = flush(want_m[i] + (g[i] - want_m[i]) * c1);
            want_v[i] = flush(want_v[i] + (g[i] * g[i] - want_v[i]) * c2);
            want_p[i] -= alpha * want_m[i] / (want_v[i].sqrt() + eps);
        }
        adam.update(
            alpha,
            Update {
                p: &mut p,
                g: &g,
                s: [&mut m, &mut v, &mut []],
            },
        );
        let bits = |x: &[f32]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&p), bits(&want_p));
        assert_eq!(bits(&m), bits(&want_m));
        assert_eq!(bits(&v), bits(&want_v));
        assert_eq!(p[2].to_bits(), (-0.0f32).to_bits(), "a −0 weight stays −0");
    }
}
