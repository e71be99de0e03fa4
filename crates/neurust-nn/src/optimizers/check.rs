//! The ranges of the optimizers' settings, checked when a model is compiled (or loaded).

use super::adam::AdamW;
use super::optimizer::Optimizer;
use crate::{Error, Result};

/// `setting` of optimizer `name` is fine when `ok`; else an error saying what it must be.
fn range(name: &str, setting: &str, value: f32, ok: bool, want: &str) -> Result<()> {
    if ok {
        return Ok(());
    }
    Err(Error::invalid(format!(
        "{name}'s {setting} must be {want}, got {value}"
    )))
}

fn unit_open(v: f32) -> bool {
    (0.0..1.0).contains(&v)
}

fn unit_closed(v: f32) -> bool {
    (0.0..=1.0).contains(&v)
}

fn positive(v: f32) -> bool {
    v.is_finite() && v > 0.0
}

impl Optimizer {
    /// Settings outside these ranges turn every weight into NaN (or freeze it) at the first
    /// step; they are refused before training instead of after the model is ruined.
    pub(super) fn check(&self) -> Result<()> {
        let lr = self.learning_rate();
        if !positive(lr) {
            return Err(Error::invalid(format!(
                "the learning rate must be a positive number, got {lr}"
            )));
        }
        let name = self.name();
        match self {
            Optimizer::Adam(o) | Optimizer::AdamW(AdamW { adam: o, .. }) => {
                range(name, "beta_1", o.beta_1, unit_open(o.beta_1), "in [0, 1)")?;
                range(name, "beta_2", o.beta_2, unit_open(o.beta_2), "in [0, 1)")?;
                let eps = o.epsilon;
                range(name, "epsilon", eps, positive(eps), "a positive number")?;
            }
            Optimizer::Sgd(o) => {
                let mu = o.momentum;
                range(name, "momentum", mu, unit_closed(mu), "in [0, 1]")?;
            }
            Optimizer::RmsProp(o) => {
                range(name, "rho", o.rho, unit_open(o.rho), "in [0, 1)")?;
                let mu = o.momentum;
                range(name, "momentum", mu, unit_closed(mu), "in [0, 1]")?;
                let eps = o.epsilon;
                range(name, "epsilon", eps, positive(eps), "a positive number")?;
            }
        }
        if let Optimizer::AdamW(o) = self {
            let wd = o.weight_decay;
            let ok = wd.is_finite() && wd >= 0.0;
            range(name, "weight_decay", wd, ok, "a number >= 0")?;
        }
        Ok(())
    }
}
