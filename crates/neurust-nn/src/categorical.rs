//! `to_categorical`: class ids to one-hot rows, as `keras.utils.to_categorical`.

use ndarray::Array2;

use crate::data::{Labels, Targets};
use crate::{Error, Result};

/// One row per label with a 1.0 in the label's column, `(n, num_classes)`, for
/// `"categorical_crossentropy"`. Labels are integer class ids shaped `(n,)` or `(n, 1)`; an id
/// of `num_classes` or more is an error.
///
/// ```
/// use ndarray::array;
/// use neurust_nn::to_categorical;
/// let y = to_categorical(&array![2u8, 0], 3)?;
/// assert_eq!(y, array![[0.0f32, 0.0, 1.0], [1.0, 0.0, 0.0]]);
/// assert!(to_categorical(&array![3u8], 3).is_err());
/// # Ok::<(), neurust_nn::Error>(())
/// ```
pub fn to_categorical(labels: &impl Labels, num_classes: usize) -> Result<Array2<f32>> {
    let ids = match labels.to_targets()? {
        Targets::Sparse(ids) => ids,
        Targets::Dense(a) => {
            return Err(Error::Label(format!(
                "to_categorical needs integer class ids shaped (n,), got floats shaped (n, {}); \
                 convert them with y.mapv(|v| v as u8)",
                a.ncols()
            )));
        }
    };
    if num_classes == 0 {
        return Err(Error::invalid(
            "to_categorical needs num_classes of at least 1",
        ));
    }
    if let Some(i) = ids.iter().position(|&y| y as usize >= num_classes) {
        return Err(Error::Label(format!(
            "label {} (sample {i}) is out of range for num_classes = {num_classes}: class ids \
             must be in 0..{num_classes}",
            ids[i]
        )));
    }
    let mut out = Array2::zeros((ids.len(), num_classes));
    for (mut row, &y) in out.rows_mut().into_iter().zip(&ids) {
        row[y as usize] = 1.0;
    }
    Ok(out)
}
