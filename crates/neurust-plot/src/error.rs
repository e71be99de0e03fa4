//! [`PlotError`]: everything that can go wrong when plotting user data.

use std::fmt;

/// Why a figure could not be built, rendered or saved.
///
/// Its `Display` is written to be read in a notebook cell.
///
/// ```
/// use neurust_plot::PlotError;
/// let e = PlotError::LengthMismatch { what: "plot", xs: 3, ys: 4 };
/// assert_eq!(e.to_string(), "plot: xs has 3 values but ys has 4; they must have the same length");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum PlotError {
    /// An input had no elements (or no finite values).
    Empty {
        /// What was empty, for example "imshow image" or "plot ys".
        what: &'static str,
    },
    /// xs and ys (or images and labels) differ in length.
    LengthMismatch {
        /// The call that failed.
        what: &'static str,
        /// Length of the x values.
        xs: usize,
        /// Length of the y values.
        ys: usize,
    },
    /// Images and labels have different counts.
    CountMismatch {
        /// The helper that failed.
        what: &'static str,
        /// Number of images.
        images: usize,
        /// Number of labels.
        labels: usize,
    },
    /// More grid cells were asked for than images were given.
    GridTooLarge {
        /// Rows asked for.
        rows: usize,
        /// Columns asked for.
        cols: usize,
        /// Images available.
        available: usize,
    },
    /// An index (subplot, label class) is out of range, or a shape is unusable.
    Invalid(String),
    /// `save` was given a path whose extension is not `.svg` or `.png`.
    UnsupportedFormat(String),
    /// Drawing failed inside the plotting backend.
    Render(String),
    /// Writing the file failed.
    Io(String),
}

impl fmt::Display for PlotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlotError::Empty { what } => write!(f, "{what}: the data is empty, nothing to draw"),
            PlotError::LengthMismatch { what, xs, ys } => write!(
                f,
                "{what}: xs has {xs} values but ys has {ys}; they must have the same length"
            ),
            PlotError::CountMismatch {
                what,
                images,
                labels,
            } => write!(
                f,
                "{what}: got {images} images but {labels} labels; give one label per image"
            ),
            PlotError::GridTooLarge {
                rows,
                cols,
                available,
            } => write!(
                f,
                "a {rows}×{cols} grid needs {} images but only {available} were given",
                rows.saturating_mul(*cols)
            ),
            PlotError::Invalid(msg) => f.write_str(msg),
            PlotError::UnsupportedFormat(path) => write!(
                f,
                "cannot save {path:?}: the file name must end in .svg or .png"
            ),
            PlotError::Render(msg) => write!(f, "drawing failed: {msg}"),
            PlotError::Io(msg) => write!(f, "could not write the file: {msg}"),
        }
    }
}

impl std::error::Error for PlotError {}

impl From<std::io::Error> for PlotError {
    fn from(e: std::io::Error) -> Self {
        PlotError::Io(e.to_string())
    }
}

/// Convert any plotters drawing error.
pub(crate) fn render<E: fmt::Display>(e: E) -> PlotError {
    PlotError::Render(e.to_string())
}

/// Shorthand for results in this crate.
///
/// ```
/// fn f() -> neurust_plot::Result<u8> { Ok(1) }
/// assert_eq!(f().unwrap(), 1);
/// ```
pub type Result<T, E = PlotError> = std::result::Result<T, E>;
