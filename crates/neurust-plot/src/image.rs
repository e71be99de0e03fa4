//! [`ImageData`]: what `imshow` accepts, and how its shape is read the way matplotlib reads it.
//!
//! - (h, w): one image of scalars, coloured by a colormap;
//! - (h, w, 3) or (h, w, 4): one RGB(A) colour image, integers 0–255 or floats 0–1;
//! - (n, h, w) with a last axis other than 3 or 4: a stack of n images (the `imshow`
//!   one-liner draws them as a grid).
//!
//! Anything else (1-D, 4-D, an axis of length 0, NaN in a colour image) is a [`PlotError`].

use ndarray::{ArrayBase, Data, Dimension};

use crate::data::Grid;
use crate::figure::marks::Rgb;
use crate::{Num, PlotError, Result};

/// The most images one `imshow` call draws from a stack (a 16 × 16 grid).
pub(crate) const MAX_STACK: usize = 256;

/// An array `imshow` can show: any `ndarray` array or view of numbers, owned or borrowed.
/// Its shape decides how, as in matplotlib: (h, w) is one image through a colormap,
/// (h, w, 3) or (h, w, 4) an RGB(A) colour image, (n, h, w) a stack of n images.
/// Other shapes are accepted by the compiler and refused by `imshow` with a message.
///
/// ```
/// use neurust_plot::ImageData;
/// let stack = ndarray::Array3::<u8>::zeros((16, 28, 28));
/// assert_eq!(stack.image_dims(), [16, 28, 28]);
/// assert!(stack.integer());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an array of pixels",
    label = "an ndarray array of numbers is expected here: (h, w), (h, w, 3|4) or (n, h, w)",
    note = "an `ndarray` array or view of `u8`, integers or floats can be shown"
)]
pub trait ImageData {
    /// The array's shape, one entry per axis.
    fn image_dims(&self) -> Vec<usize>;
    /// All values, row-major (last axis fastest).
    fn image_values(&self) -> Vec<f64>;
    /// Whether the values are integers (colour images are then 0–255, else 0–1).
    fn integer(&self) -> bool;
}

impl<S: Data<Elem = T>, T: Num, D: Dimension> ImageData for ArrayBase<S, D> {
    fn image_dims(&self) -> Vec<usize> {
        self.shape().to_vec()
    }
    fn image_values(&self) -> Vec<f64> {
        self.iter().map(|v| v.to_f64()).collect()
    }
    fn integer(&self) -> bool {
        T::INTEGER
    }
}

impl<I: ImageData + ?Sized> ImageData for &I {
    fn image_dims(&self) -> Vec<usize> {
        (**self).image_dims()
    }
    fn image_values(&self) -> Vec<f64> {
        (**self).image_values()
    }
    fn integer(&self) -> bool {
        (**self).integer()
    }
}

/// What an array passed to `imshow` is, read from its shape.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shown {
    /// One image of scalars.
    Gray(Grid),
    /// One colour image: `rows × cols` RGB pixels, alpha already blended onto white.
    Color {
        rows: usize,
        cols: usize,
        rgb: Vec<Rgb>,
    },
    /// `n` images of `rows × cols` scalars, one after another.
    Stack {
        n: usize,
        rows: usize,
        cols: usize,
        data: Vec<f64>,
    },
}

fn shape_text(dims: &[usize]) -> String {
    let inner: Vec<String> = dims.iter().map(usize::to_string).collect();
    match inner.len() {
        1 => format!("({},)", inner[0]),
        _ => format!("({})", inner.join(", ")),
    }
}

/// Read `image`'s shape as matplotlib does; `what` names the call in messages.
pub(crate) fn read(what: &str, image: &(impl ImageData + ?Sized)) -> Result<Shown> {
    let dims = image.image_dims();
    let shape = shape_text(&dims);
    if dims.contains(&0) {
        return Err(PlotError::Empty {
            what: "imshow image",
        });
    }
    match dims[..] {
        [rows, cols] => Ok(Shown::Gray(Grid {
            rows,
            cols,
            data: image.image_values(),
        })),
        [rows, cols, c @ (3 | 4)] => color(what, image, rows, cols, c),
        // Refused before its values are copied: all of x_train would be ~400 MB of f64.
        [n, _, _] if n > MAX_STACK => Err(PlotError::Invalid(format!(
            "{what}: a stack of {n} images is more than one figure shows (at most \
             {MAX_STACK}); show the first few with `imshow(&images.slice(s![..16, .., ..]))`, \
             or give a colour image the shape (h, w, 3)"
        ))),
        [n, rows, cols] => Ok(Shown::Stack {
            n,
            rows,
            cols,
            data: image.image_values(),
        }),
        [_, _, _, _] => Err(PlotError::Invalid(format!(
            "{what}: cannot show a 4-D array of shape {shape}: give one image (h, w), a colour \
             image (h, w, 3 or 4) or a stack (n, h, w); for a batch with a channel axis take \
             the channel, e.g. `.slice(s![.., .., .., 0])`"
        ))),
        _ => Err(PlotError::Invalid(format!(
            "{what}: cannot show an array of shape {shape} ({} axes): give one image (h, w), a \
             colour image (h, w, 3 or 4) or a stack (n, h, w)",
            dims.len()
        ))),
    }
}

fn color(
    what: &str,
    image: &(impl ImageData + ?Sized),
    rows: usize,
    cols: usize,
    channels: usize,
) -> Result<Shown> {
    let values = image.image_values();
    let bad = values.iter().filter(|v| !v.is_finite()).count();
    if bad > 0 {
        return Err(PlotError::Invalid(format!(
            "{what}: {bad} values of the colour image are NaN or infinite; colours must be \
             finite numbers"
        )));
    }
    // matplotlib: integers are 0..=255, floats 0..=1; values outside are clipped.
    let full = if image.integer() { 255.0 } else { 1.0 };
    let unit = |v: f64| (v / full).clamp(0.0, 1.0);
    let rgb = values
        .chunks_exact(channels)
        .map(|px| {
            let alpha = if channels == 4 { unit(px[3]) } else { 1.0 };
            // Over the white background of the axes, as matplotlib composites it.
            let blend = |v: f64| ((unit(v) * alpha + (1.0 - alpha)) * 255.0).round() as u8;
            [blend(px[0]), blend(px[1]), blend(px[2])]
        })
        .collect();
    Ok(Shown::Color { rows, cols, rgb })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array1, Array3, Array4, array};

    #[test]
    fn shapes_are_read_as_matplotlib_reads_them() {
        assert!(matches!(
            read("t", &Array3::<u8>::zeros((5, 28, 28))),
            Ok(Shown::Stack { n: 5, .. })
        ));
        assert!(matches!(
            read("t", &Array3::<u8>::zeros((28, 28, 3))),
            Ok(Shown::Color { rows: 28, .. })
        ));
        // A stack of 3 images is (3, h, w): the last axis decides.
        assert!(matches!(
            read("t", &Array3::<u8>::zeros((3, 28, 28))),
            Ok(Shown::Stack { n: 3, .. })
        ));
        let e = read("t", &Array4::<f32>::zeros((2, 28, 28, 1))).unwrap_err();
        assert!(e.to_string().contains("(2, 28, 28, 1)"), "{e}");
        let e = read("t", &Array1::<f32>::zeros(3)).unwrap_err();
        assert!(e.to_string().contains("(3,)"), "{e}");
    }

    #[test]
    fn alpha_blends_onto_white() {
        let px = array![[[255u8, 0, 0, 0], [0, 0, 255, 255]]];
        let Ok(Shown::Color { rgb, .. }) = read("t", &px) else {
            panic!("colour")
        };
        assert_eq!(rgb, [[255, 255, 255], [0, 0, 255]]);
        let half = array![[[0.0f32, 0.0, 0.0, 0.5]]];
        let Ok(Shown::Color { rgb, .. }) = read("t", &half) else {
            panic!("colour")
        };
        assert_eq!(rgb, [[128, 128, 128]]);
    }
}
