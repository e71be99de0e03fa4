//! [`Figure`]: a canvas of one or more [`Axes`] in a grid, like matplotlib's.

pub(crate) mod axes;
pub(crate) mod axes_style;
pub(crate) mod draw;
pub(crate) mod legend;
pub(crate) mod marks;
pub(crate) mod output;
pub(crate) mod picture;
pub(crate) mod raster;
pub(crate) mod scale;
pub(crate) mod series;
pub(crate) mod style;
pub(crate) mod vegalite;

use crate::{Axes, PlotError, Result};

/// The most subplots a figure has on a side.
pub(crate) const MAX_SIDE: usize = 100;

/// A figure: a size in pixels and a grid of subplots.
///
/// Sizes follow matplotlib: [`size`](Figure::size) takes inches at 100 dots per
/// inch, so `size(10.0, 4.0)` is 1000 × 400 pixels.
///
/// ```
/// use neurust_plot::Figure;
/// let mut fig = Figure::new().size(10.0, 4.0).subplots(1, 2);
/// fig.ax(0)?.plot(&[1, 2, 3], &[0.9, 0.95, 0.97])?.label("accuracy");
/// fig.ax(1)?.plot(&[1, 2, 3], &[0.3, 0.2, 0.1])?.label("loss");
/// let svg = fig.to_svg()?;
/// assert!(svg.starts_with("<svg"));
/// # Ok::<(), neurust_plot::PlotError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) rows: usize,
    pub(crate) cols: usize,
    pub(crate) axes: Vec<Axes>,
    pub(crate) suptitle: Option<String>,
}

impl Default for Figure {
    fn default() -> Self {
        Self::new()
    }
}

impl Figure {
    /// A 640 × 480 figure with one axes (matplotlib's default 6.4 × 4.8 inches).
    ///
    /// ```
    /// assert_eq!(neurust_plot::Figure::new().pixels(), (640, 480));
    /// ```
    pub fn new() -> Self {
        Self {
            width: 640,
            height: 480,
            rows: 1,
            cols: 1,
            axes: vec![Axes::default()],
            suptitle: None,
        }
    }

    /// Size in inches at 100 dpi (matplotlib's `figsize`), clamped to 0.5–100.
    ///
    /// ```
    /// assert_eq!(neurust_plot::Figure::new().size(10.0, 4.0).pixels(), (1000, 400));
    /// ```
    pub fn size(self, width: f64, height: f64) -> Self {
        let px = |v: f64| {
            if v.is_finite() {
                (v.clamp(0.5, 100.0) * 100.0).round() as u32
            } else {
                640
            }
        };
        self.size_px(px(width), px(height))
    }

    /// Size in pixels, clamped to 50–10 000.
    ///
    /// ```
    /// assert_eq!(neurust_plot::Figure::new().size_px(300, 200).pixels(), (300, 200));
    /// ```
    pub fn size_px(mut self, width: u32, height: u32) -> Self {
        self.width = width.clamp(50, 10_000);
        self.height = height.clamp(50, 10_000);
        self
    }

    /// Replace the axes by a `rows` × `cols` grid (each at least 1), numbered row by row.
    ///
    /// ```
    /// assert_eq!(neurust_plot::Figure::new().subplots(2, 5).len(), 10);
    /// ```
    pub fn subplots(mut self, rows: usize, cols: usize) -> Self {
        self.rows = rows.clamp(1, MAX_SIDE);
        self.cols = cols.clamp(1, MAX_SIDE);
        self.axes = vec![Axes::default(); self.rows * self.cols];
        self
    }

    /// A title above all subplots.
    ///
    /// ```
    /// let fig = neurust_plot::Figure::new().suptitle("Training");
    /// ```
    pub fn suptitle(mut self, title: impl Into<String>) -> Self {
        self.suptitle = Some(title.into());
        self
    }

    /// Subplot `i` (row-major), or an error if there is no such subplot.
    ///
    /// ```
    /// let mut fig = neurust_plot::Figure::new().subplots(1, 2);
    /// assert!(fig.ax(1).is_ok());
    /// assert!(fig.ax(2).is_err());
    /// ```
    pub fn ax(&mut self, i: usize) -> Result<&mut Axes> {
        let n = self.axes.len();
        self.axes.get_mut(i).ok_or_else(|| {
            PlotError::Invalid(format!(
                "subplot {i} does not exist: this figure has {n} (0..{n})"
            ))
        })
    }

    /// Subplot at (row, col).
    ///
    /// ```
    /// let mut fig = neurust_plot::Figure::new().subplots(2, 5);
    /// fig.ax_at(1, 4)?.title("last");
    /// # Ok::<(), neurust_plot::PlotError>(())
    /// ```
    pub fn ax_at(&mut self, row: usize, col: usize) -> Result<&mut Axes> {
        if col >= self.cols || row >= self.rows {
            return Err(PlotError::Invalid(format!(
                "subplot ({row}, {col}) does not exist: this figure is {}×{}",
                self.rows, self.cols
            )));
        }
        self.ax(row * self.cols + col)
    }

    /// All subplots, row-major.
    ///
    /// ```
    /// let mut fig = neurust_plot::Figure::new().subplots(1, 3);
    /// for ax in fig.axes_mut() { ax.grid(true); }
    /// ```
    pub fn axes_mut(&mut self) -> &mut [Axes] {
        &mut self.axes
    }

    /// Number of subplots.
    ///
    /// ```
    /// assert_eq!(neurust_plot::Figure::new().len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.axes.len()
    }

    /// Always false: a figure has at least one axes.
    ///
    /// ```
    /// assert!(!neurust_plot::Figure::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.axes.is_empty()
    }

    /// (width, height) in pixels.
    ///
    /// ```
    /// assert_eq!(neurust_plot::Figure::new().size_px(800, 600).pixels(), (800, 600));
    /// ```
    pub fn pixels(&self) -> (u32, u32) {
        (self.width, self.height)
    }
}
