//! BatchNormalization's arguments: their checks against an input shape, and their Keras-like
//! JSON for saving and loading.

use serde_json::{Value, json};

use super::layer::BatchNormalization;
use super::layout::Layout;
use crate::error::fmt_shape;
use crate::layers::json::{name_from_json, shape_from_json};
use crate::{Error, Initializer, Result};

impl BatchNormalization {
    /// The index of the channel axis in a per-sample shape of `rank` axes, if `axis` names
    /// one: Keras counts the batch axis as 0, which is never a channel axis.
    fn sample_axis(&self, rank: usize) -> Option<usize> {
        let full = isize::try_from(rank).ok()? + 1;
        let axis = if self.axis < 0 {
            self.axis + full
        } else {
            self.axis
        };
        (1..full)
            .contains(&axis)
            .then(|| usize::try_from(axis - 1).ok())
            .flatten()
    }

    /// The number of channels for a per-sample input shape, if the axis fits it.
    pub(super) fn channels(&self, input: &[usize]) -> Option<usize> {
        Some(input[self.sample_axis(input.len())?])
    }

    /// Checks the arguments and lays out the channels of a per-sample input shape.
    pub(super) fn layout_for(&self, input: &[usize]) -> Result<Layout> {
        let name = &self.name;
        for init in [
            &self.gamma_init,
            &self.beta_init,
            &self.moving_mean_init,
            &self.moving_variance_init,
        ] {
            init.clone()?;
        }
        if !(self.epsilon.is_finite() && self.epsilon > 0.0) {
            return Err(Error::invalid(format!(
                "{name}: BatchNormalization's epsilon must be a positive number, got {}",
                self.epsilon
            )));
        }
        if !(0.0..1.0).contains(&self.momentum) {
            return Err(Error::invalid(format!(
                "{name}: BatchNormalization's momentum must be in [0, 1), got {}",
                self.momentum
            )));
        }
        let rank = input.len();
        let k = self.sample_axis(rank).ok_or_else(|| {
            let valid = match rank {
                0 => "none: the input has no axis besides the batch".to_string(),
                1 => "1 or -1".to_string(),
                r => format!("1 to {r} or -1 to -{r}"),
            };
            Error::invalid(format!(
                "{name}: BatchNormalization's axis {} is out of range for its input {}: use \
                 {valid} (axis 0 is the batch axis)",
                self.axis,
                fmt_shape("None", input)
            ))
        })?;
        let product = |dims: &[usize]| dims.iter().try_fold(1usize, |n, &d| n.checked_mul(d));
        let too_big = || Error::invalid(format!("{name}: its input is too large"));
        product(input).ok_or_else(too_big)?;
        Ok(Layout {
            channels: input[k],
            inner: product(&input[k + 1..]).ok_or_else(too_big)?,
        })
    }

    pub(crate) fn from_config(c: &Value) -> Result<Self> {
        let bad = |key: &str, want: &str| {
            Error::Io(format!("BatchNormalization config: {key} must be {want}"))
        };
        let number = |key: &str, default: f32| -> Result<f32> {
            c.get(key).map_or(Ok(default), |v| {
                v.as_f64()
                    .map(|v| v as f32)
                    .ok_or_else(|| bad(key, "a number"))
            })
        };
        let flag = |key: &str| -> Result<bool> {
            c.get(key).map_or(Ok(true), |v| {
                v.as_bool().ok_or_else(|| bad(key, "true or false"))
            })
        };
        let text = |k: &str, d: &str| c.get(k).and_then(|v| v.as_str()).unwrap_or(d).to_string();
        let axis = match c.get("axis") {
            None => -1,
            Some(v) => v
                .as_i64()
                .and_then(|a| isize::try_from(a).ok())
                .ok_or_else(|| bad("axis", "an integer"))?,
        };
        let mut layer = BatchNormalization::new()
            .axis(axis)
            .momentum(number("momentum", 0.99)?)
            .epsilon(number("epsilon", 1e-3)?)
            .center(flag("center")?)
            .scale(flag("scale")?)
            .gamma_initializer(text("gamma_initializer", "ones").as_str())
            .beta_initializer(text("beta_initializer", "zeros").as_str())
            .moving_mean_initializer(text("moving_mean_initializer", "zeros").as_str())
            .moving_variance_initializer(text("moving_variance_initializer", "ones").as_str());
        layer.input_shape = shape_from_json(c.get("input_shape"));
        layer.name = name_from_json(c);
        Ok(layer)
    }

    pub(super) fn to_config(&self) -> Value {
        let name =
            |init: &Result<Initializer>, default| init.as_ref().map_or(default, |i| i.name());
        json!({
            "name": self.name,
            "axis": self.axis,
            "momentum": shortest(self.momentum),
            "epsilon": shortest(self.epsilon),
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": name(&self.beta_init, "zeros"),
            "gamma_initializer": name(&self.gamma_init, "ones"),
            "moving_mean_initializer": name(&self.moving_mean_init, "zeros"),
            "moving_variance_initializer": name(&self.moving_variance_init, "ones"),
            "input_shape": self.input_shape,
        })
    }
}

/// `v` as the shortest decimal that reads back as the same f32 (0.99, not 0.9900000095…), so
/// the file says what the user wrote.
fn shortest(v: f32) -> f64 {
    v.to_string().parse().unwrap_or(f64::from(v))
}
