//! The `Optimizer` configuration: every optimizer by value, its Keras name, and the conversion
//! from a name or a typed config ([`IntoOptimizer`]).

use super::adam::{Adam, AdamW};
use super::rmsprop::RmsProp;
use super::sgd::Sgd;
use super::update::Update;
use crate::{Error, Result};

/// An optimizer configuration.
///
/// ```
/// use neurust_nn::{Adam, IntoOptimizer, Optimizer};
/// let by_name = "adam".into_optimizer().unwrap();
/// assert_eq!(by_name, Optimizer::Adam(Adam::default()));
/// let typed = Adam::new().learning_rate(3e-4).into_optimizer().unwrap();
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "name", rename_all = "lowercase")]
pub enum Optimizer {
    /// Adam.
    Adam(Adam),
    /// Adam with decoupled weight decay.
    AdamW(AdamW),
    /// Stochastic gradient descent, optionally with (Nesterov) momentum.
    Sgd(Sgd),
    /// RMSprop.
    RmsProp(RmsProp),
}

/// The optimizer names a string may hold.
pub const OPTIMIZER_NAMES: &[&str] = &["adam", "adamw", "sgd", "rmsprop"];

/// Something that names an optimizer: a config or its Keras name.
pub trait IntoOptimizer {
    /// The optimizer, or the error listing the valid names.
    fn into_optimizer(self) -> Result<Optimizer>;
}

impl IntoOptimizer for &str {
    fn into_optimizer(self) -> Result<Optimizer> {
        Ok(match self.trim().to_ascii_lowercase().as_str() {
            "adam" => Optimizer::Adam(Adam::default()),
            "adamw" => Optimizer::AdamW(AdamW::default()),
            "sgd" => Optimizer::Sgd(Sgd::default()),
            "rmsprop" => Optimizer::RmsProp(RmsProp::default()),
            _ => {
                return Err(Error::UnknownName {
                    kind: "optimizer",
                    name: self.into(),
                    valid: OPTIMIZER_NAMES,
                });
            }
        })
    }
}
impl IntoOptimizer for Optimizer {
    fn into_optimizer(self) -> Result<Optimizer> {
        Ok(self)
    }
}

impl IntoOptimizer for Adam {
    fn into_optimizer(self) -> Result<Optimizer> {
        Ok(Optimizer::Adam(self))
    }
}
impl IntoOptimizer for AdamW {
    fn into_optimizer(self) -> Result<Optimizer> {
        Ok(Optimizer::AdamW(self))
    }
}
impl IntoOptimizer for Sgd {
    fn into_optimizer(self) -> Result<Optimizer> {
        Ok(Optimizer::Sgd(self))
    }
}
impl IntoOptimizer for RmsProp {
    fn into_optimizer(self) -> Result<Optimizer> {
        Ok(Optimizer::RmsProp(self))
    }
}

impl Optimizer {
    /// The Keras name.
    pub fn name(&self) -> &'static str {
        match self {
            Optimizer::Adam(_) => "adam",
            Optimizer::AdamW(_) => "adamw",
            Optimizer::Sgd(_) => "sgd",
            Optimizer::RmsProp(_) => "rmsprop",
        }
    }

    /// The learning rate.
    pub fn learning_rate(&self) -> f32 {
        match self {
            Optimizer::Adam(o) => o.learning_rate,
            Optimizer::AdamW(o) => o.adam.learning_rate,
            Optimizer::Sgd(o) => o.learning_rate,
            Optimizer::RmsProp(o) => o.learning_rate,
        }
    }

    pub(super) fn slots(&self) -> usize {
        match self {
            Optimizer::Adam(_) | Optimizer::AdamW(_) => 2,
            Optimizer::Sgd(o) => usize::from(o.momentum != 0.0),
            Optimizer::RmsProp(o) => 1 + usize::from(o.momentum > 0.0) + usize::from(o.centered),
        }
    }

    /// Adam's step size for step `t` (from 1); 0 for the others.
    pub(super) fn alpha(&self, t: u64) -> f32 {
        match self {
            Optimizer::Adam(o) => o.alpha(t),
            Optimizer::AdamW(o) => o.adam.alpha(t),
            Optimizer::Sgd(_) | Optimizer::RmsProp(_) => 0.0,
        }
    }

    /// Applies one update to a chunk; `alpha` comes from [`Optimizer::alpha`].
    pub(super) fn update(&self, alpha: f32, u: Update) {
        crate::simd::widest(
            #[inline(always)]
            || match self {
                Optimizer::Adam(o) => o.update(alpha, u),
                Optimizer::AdamW(o) => o.update(alpha, u),
                Optimizer::Sgd(o) => o.update(u),
                Optimizer::RmsProp(o) => o.update(u),
            },
        )
    }
}
