//! What `fit`, `evaluate` and `predict` accept: features as any f32 ndarray shaped `(n, ...)`,
//! labels as integer class ids (sparse losses) or f32 rows (one-hot, binary, regression).

use ndarray::{Array2, ArrayBase, ArrayView2, CowArray, Data, Dimension, Ix2, IxDyn};

use crate::{Error, Result};

/// Borrows features as a `(n, features)` matrix, copying only when the layout demands it.
pub(crate) fn features<'a, S, D>(
    x: &'a ArrayBase<S, D>,
) -> Result<(CowArray<'a, f32, Ix2>, Vec<usize>)>
where
    S: Data<Elem = f32>,
    D: Dimension,
{
    let shape = x.shape().to_vec();
    if shape.is_empty() {
        return Err(Error::shape(
            "input",
            "(n, ...) with a sample axis first",
            "a scalar",
        ));
    }
    let n = shape[0];
    let per_sample: Vec<usize> = shape[1..].to_vec();
    let width = per_sample.iter().product::<usize>();
    let dyn_view = x.view().into_dyn();
    let cow: CowArray<'a, f32, IxDyn> = if dyn_view.is_standard_layout() {
        CowArray::from(dyn_view)
    } else {
        CowArray::from(dyn_view.as_standard_layout().into_owned())
    };
    let flat = cow
        .into_shape_with_order((n, width))
        .map_err(|e| Error::invalid(format!("cannot view the input as (n, features): {e}")))?;
    Ok((flat, per_sample))
}

/// Finds the first NaN or infinity, if any.
pub(crate) fn check_finite(what: &'static str, values: ArrayView2<f32>) -> Result<()> {
    let first = match values.as_slice() {
        // Blocks checked without an early exit, which the compiler vectorises; the position
        // is looked for only in a block that has one.
        Some(all) => crate::simd::widest(
            #[inline(always)]
            || {
                all.chunks(4096).enumerate().find_map(|(b, block)| {
                    let bad = block.iter().fold(false, |bad, v| bad | !v.is_finite());
                    bad.then(|| 4096 * b + block.iter().position(|v| !v.is_finite()).unwrap_or(0))
                })
            },
        ),
        None => values.iter().position(|v| !v.is_finite()),
    };
    match first {
        Some(index) => Err(Error::NonFinite { what, index }),
        None => Ok(()),
    }
}

/// Labels, converted once per call.
#[derive(Debug, Clone)]
pub enum Targets {
    /// One class id per sample.
    Sparse(Vec<u32>),
    /// A row of floats per sample (one-hot, probabilities, regression targets).
    Dense(Array2<f32>),
}

impl Targets {
    /// The number of samples.
    pub fn len(&self) -> usize {
        match self {
            Targets::Sparse(v) => v.len(),
            Targets::Dense(a) => a.nrows(),
        }
    }

    /// True when there are no samples.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The rows `idx`, in that order, into a reusable batch.
    pub(crate) fn gather(&self, idx: &[usize], out: &mut TargetBuf) {
        match (self, out) {
            (Targets::Sparse(v), TargetBuf::Sparse(b)) => {
                b.clear();
                b.extend(idx.iter().map(|&i| v[i]));
            }
            (Targets::Dense(a), TargetBuf::Dense(b)) => {
                if b.dim() != (idx.len(), a.ncols()) {
                    *b = Array2::zeros((idx.len(), a.ncols()));
                }
                for (r, &i) in idx.iter().enumerate() {
                    b.row_mut(r).assign(&a.row(i));
                }
            }
            (t, out) => *out = TargetBuf::for_targets(t),
        }
    }
}

/// A batch of labels, reused from batch to batch.
#[derive(Debug, Clone)]
pub enum TargetBuf {
    /// Class ids.
    Sparse(Vec<u32>),
    /// Rows of floats.
    Dense(Array2<f32>),
}

impl TargetBuf {
    pub(crate) fn for_targets(t: &Targets) -> Self {
        match t {
            Targets::Sparse(_) => TargetBuf::Sparse(Vec::new()),
            Targets::Dense(a) => TargetBuf::Dense(Array2::zeros((0, a.ncols()))),
        }
    }
}

/// Types usable as labels.
///
/// Integer arrays (`u8`, `u16`, `u32`, `i32`, `i64`, `usize`) shaped `(n,)` or `(n, 1)` are class
/// ids; `f32` arrays shaped `(n,)` or `(n, k)` are targets per sample.
///
/// ```
/// use ndarray::array;
/// use neurust_nn::Labels;
/// assert_eq!(array![3u8, 1, 4].to_targets().unwrap().len(), 3);
/// ```
pub trait Labels {
    /// The labels as [`Targets`], or a clear error for a bad shape or a negative id.
    fn to_targets(&self) -> Result<Targets>;
}

/// A label array's shape as an error shows it; a 0-d array (`y.slice(s![0])`) is a scalar.
fn labels_shape(shape: &[usize]) -> String {
    match shape.split_first() {
        Some((_, rest)) => crate::error::fmt_shape("n", rest),
        None => "a scalar (a 0-d array; slice a range such as s![0..1] to keep the axis)".into(),
    }
}

fn column_shape(shape: &[usize]) -> Result<usize> {
    match shape {
        [n] | [n, 1] => Ok(*n),
        _ => Err(Error::shape(
            "labels",
            "(n,) class ids",
            labels_shape(shape),
        )),
    }
}

/// Element types that labels may hold: integers are class ids, `f32` are target values.
pub trait LabelElem: Copy {
    /// Converts an array of labels of this type.
    fn targets(labels: ndarray::ArrayViewD<Self>) -> Result<Targets>;
}

impl<S, D> Labels for ArrayBase<S, D>
where
    S: Data,
    S::Elem: LabelElem,
    D: Dimension,
{
    fn to_targets(&self) -> Result<Targets> {
        S::Elem::targets(self.view().into_dyn())
    }
}

macro_rules! integer_labels {
    ($($t:ty),*) => {$(
        impl LabelElem for $t {
            fn targets(labels: ndarray::ArrayViewD<Self>) -> Result<Targets> {
                column_shape(labels.shape())?;
                labels
                    .iter()
                    .map(|&v| u32::try_from(v).map_err(|_| Error::Label(format!(
                        "labels must be class ids 0, 1, 2, ...; found {v}"))))
                    .collect::<Result<Vec<u32>>>()
                    .map(Targets::Sparse)
            }
        }
    )*};
}
integer_labels!(u8, u16, u32, u64, usize, i32, i64);

impl LabelElem for f32 {
    fn targets(labels: ndarray::ArrayViewD<Self>) -> Result<Targets> {
        let shape = labels.shape().to_vec();
        let rows = match shape.len() {
            1 => ndarray::Array1::from_iter(labels.iter().cloned())
                .into_shape_with_order((shape[0], 1)),
            2 => Ok(labels
                .into_dimensionality::<Ix2>()
                .map_err(|e| Error::invalid(e.to_string()))?
                .to_owned()),
            _ => {
                return Err(Error::shape(
                    "labels",
                    "(n,) or (n, classes)",
                    labels_shape(&shape),
                ));
            }
        };
        let rows = rows.map_err(|e| Error::invalid(e.to_string()))?;
        check_finite("labels", rows.view())?;
        Ok(Targets::Dense(rows))
    }
}

impl Labels for Targets {
    fn to_targets(&self) -> Result<Targets> {
        Ok(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_finite_reports_the_first_bad_value_in_any_block_or_layout() {
        let mut x = Array2::<f32>::ones((10, 2000));
        assert!(check_finite("input", x.view()).is_ok());
        x[[4, 1500]] = f32::INFINITY; // flat 9500, in the third block of 4096
        x[[7, 3]] = f32::NAN;
        let first = |v: ArrayView2<f32>| match check_finite("input", v) {
            Err(Error::NonFinite { index, .. }) => index,
            other => panic!("{other:?}"),
        };
        assert_eq!(first(x.view()), 9500);
        x[[2, 48]] = f32::NEG_INFINITY; // flat 4048, in the first block
        assert_eq!(first(x.view()), 4048);
        // A transposed view goes element by element, in its own order.
        assert_eq!(first(x.t()), 3 * 10 + 7);
    }
}
