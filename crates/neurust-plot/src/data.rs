//! Input traits: what counts as a series, an image, a stack of images, labels.
//!
//! They accept `Vec`s, slices, arrays and `ndarray` arrays (owned or views), of
//! `u8`, integer or float elements, by value or by reference.

use ndarray::{ArrayBase, Data, Ix1, Ix2, Ix3};

use crate::{PlotError, Result};

/// A number that can be plotted.
///
/// ```
/// use neurust_plot::Num;
/// assert_eq!(3u8.to_f64(), 3.0);
/// assert!(u8::INTEGER && !f32::INTEGER);
/// ```
pub trait Num: Copy {
    /// Whether the type holds whole numbers: colour images of integers are 0–255, of
    /// floats 0–1, as in matplotlib.
    const INTEGER: bool = false;
    /// The value as `f64`.
    fn to_f64(self) -> f64;
}

macro_rules! num {
    ($int:literal: $($t:ty),*) => {$(impl Num for $t {
        const INTEGER: bool = $int;
        fn to_f64(self) -> f64 { self as f64 }
    })*};
}
num!(true: u8, u16, u32, u64, usize, i8, i16, i32, i64, isize);
num!(false: f32, f64);

/// A 1-D sequence of numbers: `xs`/`ys` of a curve, bar heights, histogram samples.
///
/// ```
/// use neurust_plot::Values;
/// assert_eq!(vec![1u8, 2].values(), [1.0, 2.0]);
/// assert_eq!(ndarray::array![0.5f32].values(), [0.5]);
/// ```
pub trait Values {
    /// The numbers as `f64`.
    fn values(&self) -> Vec<f64>;
}

impl<T: Num> Values for [T] {
    fn values(&self) -> Vec<f64> {
        self.iter().map(|v| v.to_f64()).collect()
    }
}
impl<T: Num> Values for Vec<T> {
    fn values(&self) -> Vec<f64> {
        self.as_slice().values()
    }
}
impl<T: Num, const N: usize> Values for [T; N] {
    fn values(&self) -> Vec<f64> {
        self.as_slice().values()
    }
}
impl<S: Data<Elem = T>, T: Num> Values for ArrayBase<S, Ix1> {
    fn values(&self) -> Vec<f64> {
        self.iter().map(|v| v.to_f64()).collect()
    }
}
impl<V: Values + ?Sized> Values for &V {
    fn values(&self) -> Vec<f64> {
        (**self).values()
    }
}

/// A 2-D image of scalars, row-major, as `f64`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Grid {
    pub rows: usize,
    pub cols: usize,
    pub data: Vec<f64>,
}

impl Grid {
    pub fn get(&self, r: usize, c: usize) -> f64 {
        self.data[r * self.cols + c]
    }
}

/// A stack of images: shape (n, h, w), or (n, h·w) with square images (MNIST
/// flattened to 784 columns).
///
/// ```
/// use neurust_plot::ImageStack;
/// let flat = ndarray::Array2::<f32>::zeros((5, 784));
/// assert_eq!(flat.count(), 5);
/// assert_eq!(flat.image_shape().unwrap(), (28, 28));
/// ```
pub trait ImageStack {
    /// Number of images.
    fn count(&self) -> usize;
    /// (height, width) of each image, or an error if not square-reshapable.
    fn image_shape(&self) -> Result<(usize, usize)>;
    /// Pixels of image `i`, row-major.
    fn image_pixels(&self, i: usize) -> Vec<f64>;
}

impl<S: Data<Elem = T>, T: Num> ImageStack for ArrayBase<S, Ix3> {
    fn count(&self) -> usize {
        self.dim().0
    }
    fn image_shape(&self) -> Result<(usize, usize)> {
        let (_, h, w) = self.dim();
        Ok((h, w))
    }
    fn image_pixels(&self, i: usize) -> Vec<f64> {
        self.index_axis(ndarray::Axis(0), i)
            .iter()
            .map(|v| v.to_f64())
            .collect()
    }
}

impl<S: Data<Elem = T>, T: Num> ImageStack for ArrayBase<S, Ix2> {
    fn count(&self) -> usize {
        self.dim().0
    }
    fn image_shape(&self) -> Result<(usize, usize)> {
        let n = self.dim().1;
        let side = (n as f64).sqrt().round() as usize;
        if side * side != n || n == 0 {
            return Err(PlotError::Invalid(format!(
                "images of {n} values per row are not square: pass an (n, height, width) array"
            )));
        }
        Ok((side, side))
    }
    fn image_pixels(&self, i: usize) -> Vec<f64> {
        self.row(i).iter().map(|v| v.to_f64()).collect()
    }
}

impl<I: ImageStack + ?Sized> ImageStack for &I {
    fn count(&self) -> usize {
        (**self).count()
    }
    fn image_shape(&self) -> Result<(usize, usize)> {
        (**self).image_shape()
    }
    fn image_pixels(&self, i: usize) -> Vec<f64> {
        (**self).image_pixels(i)
    }
}

pub(crate) fn stack_image(stack: &(impl ImageStack + ?Sized), i: usize) -> Result<Grid> {
    let (rows, cols) = stack.image_shape()?;
    if rows == 0 || cols == 0 {
        return Err(PlotError::Empty { what: "images" });
    }
    Ok(Grid {
        rows,
        cols,
        data: stack.image_pixels(i),
    })
}
