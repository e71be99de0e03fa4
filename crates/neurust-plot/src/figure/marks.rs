//! What an [`Axes`](crate::Axes) plots: curves and point clouds ([`Series`]) and bars
//! ([`Bars`]); images and text are in `picture.rs`.

/// An RGB colour.
///
/// ```
/// let red: neurust_plot::Rgb = [255, 0, 0];
/// ```
pub type Rgb = [u8; 3];

/// matplotlib's default colour cycle (`tab10`): blue, orange, green, red, …
///
/// ```
/// assert_eq!(neurust_plot::TAB10[0], [0x1f, 0x77, 0xb4]);
/// ```
pub const TAB10: [Rgb; 10] = [
    [0x1f, 0x77, 0xb4],
    [0xff, 0x7f, 0x0e],
    [0x2c, 0xa0, 0x2c],
    [0xd6, 0x27, 0x28],
    [0x94, 0x67, 0xbd],
    [0x8c, 0x56, 0x4b],
    [0xe3, 0x77, 0xc2],
    [0x7f, 0x7f, 0x7f],
    [0xbc, 0xbd, 0x22],
    [0x17, 0xbe, 0xcf],
];

/// A curve (from `plot`) or a point cloud (from `scatter`).
///
/// NaN or infinite points are skipped: a curve breaks at them, and the legend
/// entry says how many were skipped.
///
/// ```
/// let mut fig = neurust_plot::Figure::new();
/// let ax = fig.ax(0).unwrap();
/// ax.plot(&[1.0, 2.0], &[3.0, 4.0]).unwrap().label("loss").color([255, 0, 0]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub(crate) xs: Vec<f64>,
    pub(crate) ys: Vec<f64>,
    pub(crate) label: Option<String>,
    pub(crate) color: Rgb,
    pub(crate) line: bool,
    pub(crate) marker: bool,
    pub(crate) dashed: bool,
    pub(crate) skipped: usize,
}

impl Series {
    /// Name shown in the legend.
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// fig.ax(0).unwrap().scatter(&[1, 2], &[2, 1]).unwrap().label("points");
    /// ```
    pub fn label(&mut self, label: impl Into<String>) -> &mut Self {
        self.label = Some(label.into());
        self
    }

    /// Colour (default: the next of [`TAB10`]).
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// fig.ax(0).unwrap().plot(&[1, 2], &[2, 1]).unwrap().color(neurust_plot::TAB10[3]);
    /// ```
    pub fn color(&mut self, color: Rgb) -> &mut Self {
        self.color = color;
        self
    }

    /// Draw a dot at every point (like matplotlib's `marker="o"`).
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// fig.ax(0).unwrap().plot(&[1, 2], &[2, 1]).unwrap().markers();
    /// ```
    pub fn markers(&mut self) -> &mut Self {
        self.marker = true;
        self
    }

    /// Draw the line dashed (like `linestyle="--"`).
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// fig.ax(0).unwrap().plot(&[1, 2], &[2, 1]).unwrap().dashed();
    /// ```
    pub fn dashed(&mut self) -> &mut Self {
        self.dashed = true;
        self
    }

    /// How many NaN/infinite points were skipped.
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// let s = fig.ax(0).unwrap().plot(&[1.0, 2.0, 3.0], &[1.0, f64::NAN, 2.0]).unwrap();
    /// assert_eq!(s.skipped(), 1);
    /// ```
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// Legend text: the label plus a note on skipped points.
    pub(crate) fn legend_text(&self) -> Option<String> {
        let label = self.label.as_ref()?;
        Some(match self.skipped {
            0 => label.clone(),
            1 => format!("{label} (1 NaN skipped)"),
            n => format!("{label} ({n} NaN skipped)"),
        })
    }
}

/// Bars from `bar` or `hist`: each spans `[left, left + width]` up to `height`.
///
/// ```
/// # let mut fig = neurust_plot::Figure::new();
/// fig.ax(0).unwrap().bar(&[0, 1, 2], &[5, 3, 4]).unwrap().label("counts");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Bars {
    pub(crate) lefts: Vec<f64>,
    pub(crate) widths: Vec<f64>,
    pub(crate) heights: Vec<f64>,
    pub(crate) label: Option<String>,
    pub(crate) color: Rgb,
    /// Colours of single bars set by [`Bars::bar_color`], indexed by bar.
    pub(crate) each: Vec<Option<Rgb>>,
}

impl Bars {
    /// Name shown in the legend.
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// fig.ax(0).unwrap().hist(&[1.0, 2.0, 2.5], 3).unwrap().label("values");
    /// ```
    pub fn label(&mut self, label: impl Into<String>) -> &mut Self {
        self.label = Some(label.into());
        self
    }

    /// Fill colour.
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// fig.ax(0).unwrap().bar(&[0, 1], &[1, 2]).unwrap().color([0, 128, 0]);
    /// ```
    pub fn color(&mut self, color: Rgb) -> &mut Self {
        self.color = color;
        self.each.clear();
        self
    }

    /// Colour of bar `i` alone, as matplotlib's `bars[i].set_color(..)`; the others keep
    /// theirs. A bar that does not exist is an error.
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// let bars = fig.ax(0)?.bar(&[0, 1, 2], &[0.1, 0.7, 0.2])?.color([0x77, 0x77, 0x77]);
    /// bars.bar_color(1, [255, 0, 0])?;
    /// assert!(bars.bar_color(3, [0, 0, 255]).is_err());
    /// # Ok::<(), neurust_plot::PlotError>(())
    /// ```
    pub fn bar_color(&mut self, i: usize, color: Rgb) -> crate::Result<&mut Self> {
        let n = self.heights.len();
        if i >= n {
            return Err(crate::PlotError::Invalid(format!(
                "bar {i} does not exist: there are {n} bars (0..{n})"
            )));
        }
        self.each.resize(n, None);
        self.each[i] = Some(color);
        Ok(self)
    }

    /// The colour bar `i` is drawn in.
    pub(crate) fn color_of(&self, i: usize) -> Rgb {
        self.each.get(i).copied().flatten().unwrap_or(self.color)
    }
}
