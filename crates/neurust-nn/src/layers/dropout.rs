//! `Dropout`: inverted dropout, active only while training.

use ndarray::{Array2, ArrayView2, ArrayViewMut2, Zip};
use serde_json::json;

use super::builder::builder_methods;
use super::json::name_from_json;
use super::layer::{Layer, Mode};
use crate::{Error, Result};

/// Sets a fraction `rate` of its inputs to zero while training and scales the rest by
/// `1 / (1 - rate)`, so inference needs no rescaling (Keras's inverted dropout).
///
/// ```
/// use neurust_nn::Dropout;
/// let drop = Dropout::new(0.2);
/// ```
#[derive(Debug, Clone)]
pub struct Dropout {
    rate: f32,
    name: String,
    /// 0 or 1/(1-rate) per element of the latest training batch.
    mask: Array2<f32>,
}

impl Dropout {
    /// Drops each input with probability `rate`, which must lie in `[0, 1)`.
    pub fn new(rate: f32) -> Self {
        Dropout {
            rate,
            name: String::new(),
            mask: Array2::zeros((0, 0)),
        }
    }

    builder_methods! {
        /// Names the layer.
        name;
    }

    pub(crate) fn from_config(c: &serde_json::Value) -> Result<Self> {
        let rate = c
            .get("rate")
            .and_then(|r| r.as_f64())
            .ok_or_else(|| Error::Io("Dropout config lacks rate".into()))?;
        Ok(Dropout::new(rate as f32).name(name_from_json(c)))
    }
}

/// `out = a * b` element-wise, in the widest vector instructions for contiguous rows.
fn multiply(a: ArrayView2<f32>, b: ArrayView2<f32>, mut out: ArrayViewMut2<f32>) {
    crate::simd::widest(
        #[inline(always)]
        || {
            for ((a, b), mut out) in a.rows().into_iter().zip(b.rows()).zip(out.rows_mut()) {
                match (a.as_slice(), b.as_slice(), out.as_slice_mut()) {
                    (Some(a), Some(b), Some(out)) => {
                        for ((o, &a), &b) in out.iter_mut().zip(a).zip(b) {
                            *o = a * b;
                        }
                    }
                    _ => Zip::from(&mut out)
                        .and(&a)
                        .and(&b)
                        .for_each(|o, &a, &b| *o = a * b),
                }
            }
        },
    )
}

impl Layer for Dropout {
    fn class_name(&self) -> &'static str {
        "Dropout"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn set_name(&mut self, name: String) {
        self.name = name;
    }

    fn output_shape(&self, input: &[usize]) -> Result<Vec<usize>> {
        if !(0.0..1.0).contains(&self.rate) {
            return Err(Error::invalid(format!(
                "{}: Dropout rate must be in [0, 1), got {}",
                self.name, self.rate
            )));
        }
        Ok(input.to_vec())
    }

    fn is_identity(&self, training: bool) -> bool {
        !training || self.rate == 0.0
    }

    fn forward(&mut self, x: ArrayView2<f32>, mut y: ArrayViewMut2<f32>, mode: &mut Mode) {
        if !mode.training {
            y.assign(&x);
            return;
        }
        if self.mask.dim() != x.dim() {
            self.mask = Array2::zeros(x.dim());
        }
        let keep = 1.0 / (1.0 - self.rate);
        // An element is dropped when a uniform 24-bit number is below `rate · 2²⁴` (as
        // `rng.uniform() < rate`, compared as integers). Each 64-bit draw gives two such
        // numbers, bits 40-63 for one element and 16-39 for the next: the generator's steps
        // were most of the layer's time.
        let below = (self.rate as f64 * (1u64 << 24) as f64).ceil() as u64;
        // Drawn from a local copy of the generator, handed back after: its state then stays
        // in registers instead of being stored and reloaded around every write to the mask
        // (the compiler cannot tell the two apart). The draws are the same.
        //
        // The 24-bit numbers are stored first, as the mask's bits, and turned into mask values
        // in a second, vectorised loop: the draws are random, so choosing each value right
        // after its draw compiles to a branch mispredicted about as often as an element is
        // dropped (the compiler makes a branch of any select there).
        let mut rng = mode.rng.clone();
        let mask = self.mask.as_slice_mut().expect("the mask is contiguous");
        let mut pairs = mask.chunks_exact_mut(2);
        for pair in &mut pairs {
            let draw = rng.next_u64();
            pair[0] = f32::from_bits((draw >> 40) as u32);
            pair[1] = f32::from_bits((draw >> 16) as u32 & 0xFF_FFFF);
        }
        for m in pairs.into_remainder() {
            *m = f32::from_bits((rng.next_u64() >> 40) as u32);
        }
        let below = below as u32;
        crate::simd::widest(
            #[inline(always)]
            || {
                for m in mask.iter_mut() {
                    *m = if m.to_bits() < below { 0.0 } else { keep };
                }
            },
        );
        *mode.rng = rng;
        multiply(x, self.mask.view(), y);
    }

    fn backward(
        &mut self,
        _x: ArrayView2<f32>,
        _y: ArrayView2<f32>,
        dy: ArrayViewMut2<f32>,
        dx: Option<ArrayViewMut2<f32>>,
        _: bool,
    ) {
        if let Some(dx) = dx {
            multiply(dy.view(), self.mask.view(), dx);
        }
    }

    fn config(&self) -> serde_json::Value {
        json!({ "name": self.name, "rate": self.rate })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Rng;

    /// Drops `rate` of the elements, each pair of neighbours (which share a draw) as two
    /// independent choices, and keeps the rest scaled by `1 / (1 - rate)`.
    #[test]
    fn drops_the_rate_independently_and_scales_the_rest() {
        for rate in [0.2f32, 0.5] {
            let (rows, cols) = (64, 1001);
            let x = Array2::<f32>::ones((rows, cols));
            let mut y = Array2::<f32>::zeros((rows, cols));
            let mut rng = Rng::new(3);
            let mut layer = Dropout::new(rate);
            let mut mode = Mode {
                training: true,
                rng: &mut rng,
            };
            layer.forward(x.view(), y.view_mut(), &mut mode);
            let keep = 1.0 / (1.0 - rate);
            assert!(y.iter().all(|&v| v == 0.0 || v == keep));
            let dropped: Vec<bool> = y.iter().map(|&v| v == 0.0).collect();
            let n = dropped.len() as f64;
            let fraction = dropped.iter().filter(|&&d| d).count() as f64 / n;
            assert!((fraction - rate as f64).abs() < 0.01, "{rate}: {fraction}");
            let both = dropped.chunks_exact(2).filter(|p| p[0] && p[1]).count() as f64;
            let want = (rate * rate) as f64;
            assert!(
                (both / (n / 2.0) - want).abs() < 0.01,
                "{rate}: pairs {}",
                both / (n / 2.0)
            );
        }
    }
}
