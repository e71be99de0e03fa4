//! The geometry shared by convolutions and pooling: Keras's `"valid"`/`"same"` padding, the
//! output size along each spatial axis, and the checks that turn a bad window, stride or
//! input shape into an error that says what to change.

use crate::error::fmt_shape;
use crate::{Error, Result};

/// How a window treats the border, as Keras's `padding` argument.
///
/// ```
/// use neurust_nn::layers::Padding;
/// assert_eq!("same".parse::<Padding>().unwrap(), Padding::Same);
/// assert!("full".parse::<Padding>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Padding {
    /// No padding: windows lie inside the input.
    Valid,
    /// Zero padding (ignored by pooling) so that the output has `ceil(input / stride)`
    /// positions; an odd total goes one more to the bottom/right, as TensorFlow and JAX do.
    Same,
}

impl std::str::FromStr for Padding {
    type Err = Error;
    fn from_str(name: &str) -> Result<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "valid" => Ok(Padding::Valid),
            "same" => Ok(Padding::Same),
            _ => Err(Error::UnknownName {
                kind: "padding",
                name: name.into(),
                valid: &["valid", "same"],
            }),
        }
    }
}

impl Padding {
    /// The Keras name.
    pub fn name(self) -> &'static str {
        match self {
            Padding::Valid => "valid",
            Padding::Same => "same",
        }
    }
}

/// One spatial axis of a sliding window: input size, window, stride, padding before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Axis1 {
    pub input: usize,
    pub window: usize,
    pub stride: usize,
    pub pad: usize,
    pub output: usize,
}

impl Axis1 {
    /// The input index of window position `o`, offset `k` (negative or past the end: padding).
    #[inline(always)]
    pub fn at(&self, o: usize, k: usize) -> isize {
        (o * self.stride + k) as isize - self.pad as isize
    }
}

/// A window sliding over a channels-last `(h, w, c)` sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Geometry {
    pub h: Axis1,
    pub w: Axis1,
    pub channels: usize,
}

impl Geometry {
    /// Positions of the window (rows of the patch matrix).
    pub fn positions(&self) -> usize {
        self.h.output * self.w.output
    }

    /// Checks `window`, `strides` and `padding` against a per-sample `input` shape and lays
    /// them out. `layer` and `what` ("kernel", "pool") name things in errors.
    pub fn new(
        layer: &str,
        what: &str,
        input: &[usize],
        window: [usize; 2],
        strides: [usize; 2],
        padding: Padding,
    ) -> Result<Geometry> {
        let [h, w, c] = match *input {
            [h, w, c] => [h, w, c],
            [h, w] => {
                return Err(Error::shape(
                    format!("the input of {layer}"),
                    format!(
                        "(n, height, width, channels), channels last; for grayscale images \
                         shaped (n, {h}, {w}) add the channel axis: x.insert_axis(Axis(3)) \
                         gives (n, {h}, {w}, 1)"
                    ),
                    fmt_shape("n", input),
                ));
            }
            _ => {
                return Err(Error::shape(
                    format!("the input of {layer}"),
                    "(n, height, width, channels), channels last",
                    fmt_shape("n", input),
                ));
            }
        };
        if [h, w, c].contains(&0) {
            return Err(Error::invalid(format!(
                "{layer}: the input shape {} has a dimension of 0",
                fmt_shape("n", input)
            )));
        }
        if window.contains(&0) {
            return Err(Error::invalid(format!(
                "{layer}: the {what} size must be at least 1 × 1, got {} × {}",
                window[0], window[1]
            )));
        }
        if strides.contains(&0) {
            return Err(Error::invalid(format!(
                "{layer}: strides must be at least 1, got ({}, {})",
                strides[0], strides[1]
            )));
        }
        if padding == Padding::Same && (0..2).any(|i| strides[i] > 1 && strides[i] > window[i]) {
            return Err(Error::invalid(format!(
                "{layer}: padding=\"same\" with strides ({}, {}) larger than the {what} \
                 ({} × {}) is ambiguous: where the padding goes decides which input rows and \
                 columns are skipped, and frameworks differ; use padding=\"valid\", or \
                 strides no larger than the {what}",
                strides[0], strides[1], window[0], window[1]
            )));
        }
        if padding == Padding::Valid && (window[0] > h || window[1] > w) {
            return Err(Error::invalid(format!(
                "{layer}: the {what} ({} × {}) is larger than its input ({h} × {w}) with \
                 padding=\"valid\"; use a smaller {what}, padding=\"same\", or fewer \
                 pooling layers before it",
                window[0], window[1]
            )));
        }
        let axis = |input: usize, window: usize, stride: usize| {
            let (output, pad) = match padding {
                Padding::Valid => ((input - window) / stride + 1, 0),
                Padding::Same => {
                    let output = input.div_ceil(stride);
                    let total = ((output - 1) * stride + window).saturating_sub(input);
                    (output, total / 2)
                }
            };
            Axis1 {
                input,
                window,
                stride,
                pad,
                output,
            }
        };
        Ok(Geometry {
            h: axis(h, window[0], strides[0]),
            w: axis(w, window[1], strides[1]),
            channels: c,
        })
    }
}

/// Something that names a padding: a [`Padding`] or its Keras name.
pub trait IntoPadding {
    /// The padding, or the error listing the valid names.
    fn into_padding(self) -> Result<Padding>;
}
impl IntoPadding for Padding {
    fn into_padding(self) -> Result<Padding> {
        Ok(self)
    }
}
impl IntoPadding for &str {
    fn into_padding(self) -> Result<Padding> {
        self.parse()
    }
}
impl IntoPadding for String {
    fn into_padding(self) -> Result<Padding> {
        self.parse()
    }
}

/// Reads a `[a, b]` pair (window or strides) from a saved config.
pub(crate) fn pair_from_json(v: Option<&serde_json::Value>) -> Option<[usize; 2]> {
    match super::json::shape_from_json(v)?.as_slice() {
        &[a, b] => Some([a, b]),
        _ => None,
    }
}
