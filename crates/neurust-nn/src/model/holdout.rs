//! The validation hold-out of `fit`: Keras takes the last `validation_split` fraction of the
//! rows, before any shuffling, or uses the `validation_data` given.

use ndarray::{Array2, ArrayView2, s};

use super::fit::Features;
use super::sequential::Sequential;
use crate::data::{Targets, check_finite};
use crate::error::fmt_shape;
use crate::{Error, Result};

/// Validation rows and their labels.
pub(crate) type Validation = (Array2<f32>, Targets);

/// The number of leading rows to train on, and the validation rows and labels, if any.
pub(crate) fn holdout(
    model: &Sequential,
    x: ArrayView2<f32>,
    per_sample: &[usize],
    targets: &Targets,
    validation_split: f64,
    validation_data: Option<Result<(Features<'_>, Targets)>>,
) -> Result<(usize, Option<Validation>)> {
    let n = x.nrows();
    Ok(match validation_data {
        Some(v) => {
            let ((vx, vshape), vy) = v?;
            if vshape != *per_sample {
                return Err(Error::shape(
                    "validation input",
                    fmt_shape("n", per_sample),
                    fmt_shape(&vx.nrows().to_string(), &vshape),
                ));
            }
            if vx.nrows() == 0 {
                return Err(Error::invalid(
                    "validation_data needs at least one sample, got an empty array",
                ));
            }
            if vy.len() != vx.nrows() {
                return Err(Error::invalid(format!(
                    "validation x has {} samples, y has {}",
                    vx.nrows(),
                    vy.len()
                )));
            }
            check_finite("validation input", vx.view())?;
            (n, Some((vx.to_owned(), model.prepare_targets(vy)?)))
        }
        None if validation_split > 0.0 => {
            let split_at = (n as f64 * (1.0 - validation_split)).floor() as usize;
            if split_at == 0 || split_at == n {
                return Err(Error::invalid(format!(
                    "validation_split {validation_split} leaves {split_at} of {n} samples for training; \
                     both parts need at least one sample"
                )));
            }
            let idx: Vec<usize> = (split_at..n).collect();
            (
                split_at,
                Some((
                    x.slice(s![split_at.., ..]).to_owned(),
                    select(targets, &idx),
                )),
            )
        }
        None => (n, None),
    })
}

fn select(t: &Targets, idx: &[usize]) -> Targets {
    match t {
        Targets::Sparse(v) => Targets::Sparse(idx.iter().map(|&i| v[i]).collect()),
        Targets::Dense(a) => Targets::Dense(a.select(ndarray::Axis(0), idx)),
    }
}
