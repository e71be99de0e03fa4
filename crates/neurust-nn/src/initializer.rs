//! Weight initialisers, by value or by Keras name.

use std::str::FromStr;

use crate::{Error, Result, Rng};

/// How a weight tensor is filled before training.
///
/// ```
/// use neurust_nn::Initializer;
/// let init: Initializer = "he_normal".parse().unwrap();
/// assert_eq!(init, Initializer::HeNormal);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Initializer {
    /// Uniform in ±sqrt(6 / (fan_in + fan_out)): Keras's default for kernels.
    GlorotUniform,
    /// Truncated normal with stddev sqrt(2 / (fan_in + fan_out)).
    GlorotNormal,
    /// Uniform in ±sqrt(6 / fan_in).
    HeUniform,
    /// Truncated normal with stddev sqrt(2 / fan_in).
    HeNormal,
    /// Uniform in ±sqrt(3 / fan_in).
    LecunUniform,
    /// Truncated normal with stddev sqrt(1 / fan_in).
    LecunNormal,
    /// All zeros: Keras's default for biases.
    Zeros,
    /// All ones.
    Ones,
    /// Uniform in `[low, high)`.
    RandomUniform(f32, f32),
    /// Normal with the given mean and stddev.
    RandomNormal(f32, f32),
}

/// The initialiser names a string may hold.
pub const INITIALIZER_NAMES: &[&str] = &[
    "glorot_uniform",
    "glorot_normal",
    "he_uniform",
    "he_normal",
    "lecun_uniform",
    "lecun_normal",
    "zeros",
    "ones",
    "random_uniform",
    "random_normal",
];

impl FromStr for Initializer {
    type Err = Error;
    fn from_str(name: &str) -> Result<Self> {
        Ok(match name.trim().to_ascii_lowercase().as_str() {
            "glorot_uniform" | "xavier_uniform" => Initializer::GlorotUniform,
            "glorot_normal" | "xavier_normal" => Initializer::GlorotNormal,
            "he_uniform" => Initializer::HeUniform,
            "he_normal" => Initializer::HeNormal,
            "lecun_uniform" => Initializer::LecunUniform,
            "lecun_normal" => Initializer::LecunNormal,
            "zeros" | "zero" => Initializer::Zeros,
            "ones" | "one" => Initializer::Ones,
            "random_uniform" | "uniform" => Initializer::RandomUniform(-0.05, 0.05),
            "random_normal" | "normal" => Initializer::RandomNormal(0.0, 0.05),
            _ => {
                return Err(Error::UnknownName {
                    kind: "initializer",
                    name: name.into(),
                    valid: INITIALIZER_NAMES,
                });
            }
        })
    }
}

impl Initializer {
    /// Fills `out` for a tensor with the given fans.
    pub fn fill(self, out: &mut [f32], fan_in: usize, fan_out: usize, rng: &mut Rng) {
        let (fi, fo) = (fan_in.max(1) as f32, fan_out.max(1) as f32);
        let uniform = |out: &mut [f32], limit: f32, rng: &mut Rng| {
            out.iter_mut()
                .for_each(|v| *v = rng.uniform_in(-limit, limit));
        };
        // Keras draws a normal truncated at two stddevs and rescales so the stddev holds.
        let truncated = |out: &mut [f32], std: f32, rng: &mut Rng| {
            let s = std / 0.879_625_7;
            for v in out.iter_mut() {
                *v = loop {
                    let z = rng.normal();
                    if z.abs() <= 2.0 {
                        break z * s;
                    }
                };
            }
        };
        match self {
            Initializer::GlorotUniform => uniform(out, (6.0 / (fi + fo)).sqrt(), rng),
            Initializer::GlorotNormal => truncated(out, (2.0 / (fi + fo)).sqrt(), rng),
            Initializer::HeUniform => uniform(out, (6.0 / fi).sqrt(), rng),
            Initializer::HeNormal => truncated(out, (2.0 / fi).sqrt(), rng),
            Initializer::LecunUniform => uniform(out, (3.0 / fi).sqrt(), rng),
            Initializer::LecunNormal => truncated(out, (1.0 / fi).sqrt(), rng),
            Initializer::Zeros => out.fill(0.0),
            Initializer::Ones => out.fill(1.0),
            Initializer::RandomUniform(lo, hi) => {
                out.iter_mut().for_each(|v| *v = rng.uniform_in(lo, hi))
            }
            Initializer::RandomNormal(mean, std) => {
                out.iter_mut().for_each(|v| *v = mean + std * rng.normal())
            }
        }
    }

    /// The Keras name, for summaries and saved configs.
    pub fn name(self) -> &'static str {
        match self {
            Initializer::GlorotUniform => "glorot_uniform",
            Initializer::GlorotNormal => "glorot_normal",
            Initializer::HeUniform => "he_uniform",
            Initializer::HeNormal => "he_normal",
            Initializer::LecunUniform => "lecun_uniform",
            Initializer::LecunNormal => "lecun_normal",
            Initializer::Zeros => "zeros",
            Initializer::Ones => "ones",
            Initializer::RandomUniform(..) => "random_uniform",
            Initializer::RandomNormal(..) => "random_normal",
        }
    }
}

/// Something that names an initialiser: an [`Initializer`] or its Keras name.
pub trait IntoInitializer {
    /// The initialiser, or the error listing the valid names.
    fn into_initializer(self) -> Result<Initializer>;
}
impl IntoInitializer for Initializer {
    fn into_initializer(self) -> Result<Initializer> {
        Ok(self)
    }
}
impl IntoInitializer for &str {
    fn into_initializer(self) -> Result<Initializer> {
        self.parse()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glorot_uniform_stays_within_its_limit_and_fills_it() {
        let mut w = vec![0.0; 784 * 256];
        Initializer::GlorotUniform.fill(&mut w, 784, 256, &mut Rng::new(1));
        let limit = (6.0f32 / 1040.0).sqrt();
        let max = w.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        assert!(
            max <= limit && max > 0.99 * limit,
            "max {max} limit {limit}"
        );
    }

    #[test]
    fn he_normal_has_the_requested_stddev() {
        let mut w = vec![0.0; 100_000];
        Initializer::HeNormal.fill(&mut w, 50, 10, &mut Rng::new(2));
        let var = w.iter().map(|v| (v * v) as f64).sum::<f64>() / w.len() as f64;
        assert!((var.sqrt() - 0.2).abs() < 0.004, "std {}", var.sqrt());
    }
}
