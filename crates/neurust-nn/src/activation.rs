//! Activation functions: each forward sits beside its backward.

use std::fmt;
use std::str::FromStr;

use ndarray::{ArrayView2, ArrayViewMut2, Axis, Zip};

use crate::{Error, Result};

/// An element-wise (or, for softmax, row-wise) activation.
///
/// Accepted wherever an activation is named, as a value or as its Keras name:
///
/// ```
/// use neurust_nn::Activation;
/// assert_eq!("relu".parse::<Activation>().unwrap(), Activation::Relu);
/// assert!("relux".parse::<Activation>().unwrap_err().to_string().contains("softmax"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Activation {
    /// The identity.
    Linear,
    /// `max(x, 0)`.
    Relu,
    /// `1 / (1 + e^-x)`.
    Sigmoid,
    /// The hyperbolic tangent.
    Tanh,
    /// `e^x_i / Σ e^x_j` over each row.
    Softmax,
    /// `x Φ(x)` (exact, with the error function, as Keras's default).
    Gelu,
    /// `x` for `x > 0`, else `negative_slope * x`.
    LeakyRelu(f32),
}

/// The activation names a string may hold.
pub const ACTIVATION_NAMES: &[&str] = &[
    "linear",
    "relu",
    "sigmoid",
    "tanh",
    "softmax",
    "gelu",
    "leaky_relu",
];

impl FromStr for Activation {
    type Err = Error;
    fn from_str(name: &str) -> Result<Self> {
        Ok(match name.trim().to_ascii_lowercase().as_str() {
            "linear" | "none" | "" => Activation::Linear,
            "relu" => Activation::Relu,
            "sigmoid" => Activation::Sigmoid,
            "tanh" => Activation::Tanh,
            "softmax" => Activation::Softmax,
            "gelu" => Activation::Gelu,
            "leaky_relu" | "leakyrelu" => Activation::LeakyRelu(0.2),
            _ => {
                return Err(Error::UnknownName {
                    kind: "activation",
                    name: name.to_string(),
                    valid: ACTIVATION_NAMES,
                });
            }
        })
    }
}

impl fmt::Display for Activation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Activation::Linear => "linear",
            Activation::Relu => "relu",
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Softmax => "softmax",
            Activation::Gelu => "gelu",
            Activation::LeakyRelu(_) => "leaky_relu",
        })
    }
}

/// An activation given by value or by name; a name is checked when the model is compiled.
#[derive(Debug, Clone, PartialEq)]
pub enum ActivationSpec {
    /// Already typed.
    Typed(Activation),
    /// A name still to be resolved.
    Named(String),
}

impl ActivationSpec {
    /// The typed activation, or the error that lists the valid names.
    pub fn resolve(&self) -> Result<Activation> {
        match self {
            ActivationSpec::Typed(a) => Ok(*a),
            ActivationSpec::Named(n) => n.parse(),
        }
    }
}

impl fmt::Display for ActivationSpec {
    /// The Keras name (or the name as given, if it is still unresolved).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActivationSpec::Typed(a) => a.fmt(f),
            ActivationSpec::Named(n) => f.write_str(n),
        }
    }
}

impl From<Activation> for ActivationSpec {
    fn from(a: Activation) -> Self {
        ActivationSpec::Typed(a)
    }
}
impl From<&str> for ActivationSpec {
    fn from(n: &str) -> Self {
        ActivationSpec::Named(n.to_string())
    }
}
impl From<String> for ActivationSpec {
    fn from(n: String) -> Self {
        ActivationSpec::Named(n)
    }
}

impl Activation {
    /// Whether [`Activation::backward`] needs the pre-activation values (else the output does).
    pub fn needs_input(self) -> bool {
        matches!(self, Activation::Gelu)
    }

    /// Applies the activation in place: `x` holds the pre-activation and becomes the output.
    pub fn forward(self, mut x: ArrayViewMut2<f32>) {
        match self {
            Activation::Linear => {}
            Activation::Relu => x.mapv_inplace(|v| v.max(0.0)),
            Activation::Sigmoid => x.mapv_inplace(sigmoid),
            Activation::Tanh => x.mapv_inplace(f32::tanh),
            Activation::Gelu => x.mapv_inplace(|v| v * normal_cdf(v)),
            Activation::LeakyRelu(slope) => x.mapv_inplace(|v| if v > 0.0 { v } else { slope * v }),
            Activation::Softmax => {
                for mut row in x.axis_iter_mut(Axis(0)) {
                    let max = row.fold(f32::NEG_INFINITY, |m, &v| m.max(v));
                    row.mapv_inplace(|v| (v - max).exp());
                    let sum = row.sum();
                    row.mapv_inplace(|v| v / sum);
                }
            }
        }
    }

    /// Turns `grad` (dL/d output) into dL/d input in place, given the output `y` and, for
    /// activations that [need it](Activation::needs_input), the pre-activation `x`.
    pub fn backward(
        self,
        x: Option<ArrayView2<f32>>,
        y: ArrayView2<f32>,
        mut grad: ArrayViewMut2<f32>,
    ) {
        match self {
            Activation::Linear => {}
            Activation::Relu => Zip::from(&mut grad).and(&y).for_each(|g, &y| {
                if y <= 0.0 {
                    *g = 0.0
                }
            }),
            Activation::Sigmoid => Zip::from(&mut grad)
                .and(&y)
                .for_each(|g, &y| *g *= y * (1.0 - y)),
            Activation::Tanh => Zip::from(&mut grad)
                .and(&y)
                .for_each(|g, &y| *g *= 1.0 - y * y),
            Activation::LeakyRelu(slope) => Zip::from(&mut grad).and(&y).for_each(|g, &y| {
                if y <= 0.0 {
                    *g *= slope
                }
            }),
            Activation::Gelu => {
                let x = x.expect("gelu's backward is given its input");
                Zip::from(&mut grad)
                    .and(&x)
                    .for_each(|g, &x| *g *= normal_cdf(x) + x * normal_pdf(x));
            }
            Activation::Softmax => {
                // dx_i = y_i (g_i - Σ_j g_j y_j) per row.
                for (mut g, y) in grad.axis_iter_mut(Axis(0)).zip(y.axis_iter(Axis(0))) {
                    let dot: f32 = g.iter().zip(y.iter()).map(|(a, b)| a * b).sum();
                    Zip::from(&mut g)
                        .and(&y)
                        .for_each(|g, &y| *g = y * (*g - dot));
                }
            }
        }
    }
}

#[inline]
fn sigmoid(v: f32) -> f32 {
    if v >= 0.0 {
        1.0 / (1.0 + (-v).exp())
    } else {
        let e = v.exp();
        e / (1.0 + e)
    }
}

fn normal_pdf(x: f32) -> f32 {
    const INV_SQRT_2PI: f32 = 0.398_942_3;
    INV_SQRT_2PI * (-0.5 * x * x).exp()
}

fn normal_cdf(x: f32) -> f32 {
    0.5 * (1.0 + erf(x as f64 / std::f64::consts::SQRT_2) as f32)
}

/// The error function, from the classic Chebyshev fit of erfc (fractional error < 1.2e-7
/// everywhere), ample for f32.
fn erf(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * poly.exp();
    if x >= 0.0 { 1.0 - erfc } else { erfc - 1.0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn erf_matches_known_values() {
        for (x, want) in [
            (0.0, 0.0),
            (0.5, 0.520_499_877_8),
            (1.0, 0.842_700_792_9),
            (-2.0, -0.995_322_265_0),
        ] {
            assert!((erf(x) - want).abs() < 2e-7, "erf({x}) = {}", erf(x));
        }
    }

    #[test]
    fn softmax_rows_sum_to_one_and_survive_large_inputs() {
        let mut x = array![[1.0f32, 2.0, 3.0], [1000.0, 1000.0, -1000.0]];
        Activation::Softmax.forward(x.view_mut());
        for row in x.rows() {
            assert!((row.sum() - 1.0).abs() < 1e-6);
        }
        assert!((x[[1, 0]] - 0.5).abs() < 1e-6 && x[[1, 2]] == 0.0);
    }

    #[test]
    fn unknown_name_lists_valid_ones() {
        let msg = "swish".parse::<Activation>().unwrap_err().to_string();
        assert!(
            msg.contains("unknown activation \"swish\"") && msg.contains("leaky_relu"),
            "{msg}"
        );
    }
}
