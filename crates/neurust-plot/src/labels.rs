//! [`Labels`]: class labels as integers, or score rows reduced by argmax.

use ndarray::{ArrayBase, Data, Ix1, Ix2};

use crate::Num;

/// Class labels: integers, or a 2-D array of scores/one-hot rows (argmax is taken,
/// so `model.predict(&x)` can be passed directly).
///
/// ```
/// use neurust_plot::Labels;
/// assert_eq!(vec![7u8, 2].class_labels(), [7, 2]);
/// let scores = ndarray::array![[0.1f32, 0.9], [0.8, 0.2]];
/// assert_eq!(scores.class_labels(), [1, 0]);
/// ```
pub trait Labels {
    /// The class indices.
    fn class_labels(&self) -> Vec<i64>;
}

/// An integer class label.
///
/// ```
/// use neurust_plot::LabelNum;
/// assert_eq!(9u8.to_i64(), 9);
/// ```
pub trait LabelNum: Copy {
    /// The label as `i64`.
    fn to_i64(self) -> i64;
}

macro_rules! label_num {
    ($($t:ty),*) => {$(impl LabelNum for $t { fn to_i64(self) -> i64 { self as i64 } })*};
}
label_num!(u8, u16, u32, u64, usize, i8, i16, i32, i64);

impl<T: LabelNum> Labels for [T] {
    fn class_labels(&self) -> Vec<i64> {
        self.iter().map(|v| v.to_i64()).collect()
    }
}
impl<T: LabelNum> Labels for Vec<T> {
    fn class_labels(&self) -> Vec<i64> {
        self.as_slice().class_labels()
    }
}
impl<T: LabelNum, const N: usize> Labels for [T; N] {
    fn class_labels(&self) -> Vec<i64> {
        self.as_slice().class_labels()
    }
}
impl<S: Data<Elem = T>, T: LabelNum> Labels for ArrayBase<S, Ix1> {
    fn class_labels(&self) -> Vec<i64> {
        self.iter().map(|v| v.to_i64()).collect()
    }
}

impl<S: Data<Elem = T>, T: Num> Labels for ArrayBase<S, Ix2> {
    fn class_labels(&self) -> Vec<i64> {
        self.rows()
            .into_iter()
            .map(|row| {
                let mut best = (0usize, f64::NEG_INFINITY);
                for (i, v) in row.iter().enumerate() {
                    if v.to_f64() > best.1 {
                        best = (i, v.to_f64());
                    }
                }
                best.0 as i64
            })
            .collect()
    }
}
impl<L: Labels + ?Sized> Labels for &L {
    fn class_labels(&self) -> Vec<i64> {
        (**self).class_labels()
    }
}
