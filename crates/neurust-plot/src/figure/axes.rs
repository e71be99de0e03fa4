//! [`Axes`]: one plotting area of a figure, with matplotlib's methods.

use crate::data::Values;
use crate::figure::marks::{Bars, Rgb, Series, TAB10};
use crate::figure::picture::{Annotation, Picture};
use crate::image::{ImageData, Shown, read};
use crate::{PlotError, Result};

/// One subplot: marks, titles, labels, legend, grid, ticks.
///
/// ```
/// use neurust_plot::Figure;
/// let mut fig = Figure::new();
/// let ax = fig.ax(0)?;
/// ax.plot(&[1, 2, 3], &[0.9, 0.5, 0.3])?.label("loss");
/// ax.title("Training").xlabel("epoch").ylabel("loss").legend().grid(true);
/// # Ok::<(), neurust_plot::PlotError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Axes {
    pub(crate) series: Vec<Series>,
    pub(crate) bars: Vec<Bars>,
    pub(crate) picture: Option<Picture>,
    pub(crate) notes: Vec<Annotation>,
    pub(crate) title: Option<String>,
    pub(crate) xlabel: Option<String>,
    pub(crate) xlabel_color: Option<Rgb>,
    pub(crate) ylabel: Option<String>,
    pub(crate) legend: bool,
    pub(crate) grid: bool,
    pub(crate) axis_off: bool,
    pub(crate) xlim: Option<(f64, f64)>,
    pub(crate) ylim: Option<(f64, f64)>,
    pub(crate) xticks: Option<Vec<(f64, String)>>,
    pub(crate) yticks: Option<Vec<(f64, String)>>,
}

/// The most bins `hist` draws: more are narrower than a pixel of the largest figure.
const MAX_BINS: usize = 100_000;

fn check_xy(what: &'static str, xs: Vec<f64>, ys: Vec<f64>) -> Result<(Vec<f64>, Vec<f64>, usize)> {
    if xs.len() != ys.len() {
        return Err(PlotError::LengthMismatch {
            what,
            xs: xs.len(),
            ys: ys.len(),
        });
    }
    let bad = xs
        .iter()
        .zip(&ys)
        .filter(|(x, y)| !x.is_finite() || !y.is_finite())
        .count();
    if xs.is_empty() || bad == xs.len() {
        return Err(PlotError::Empty { what });
    }
    Ok((xs, ys, bad))
}

impl Axes {
    fn next_color(&self) -> Rgb {
        TAB10[(self.series.len() + self.bars.len()) % TAB10.len()]
    }

    /// A line through the points `(xs[i], ys[i])`. NaN/infinite points are skipped (the line
    /// breaks there and the legend notes it); all-NaN input is an error.
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// let err = fig.ax(0).unwrap().plot(&[1, 2], &[1, 2, 3]).unwrap_err();
    /// assert!(err.to_string().contains("same length"));
    /// ```
    pub fn plot(&mut self, xs: impl Values, ys: impl Values) -> Result<&mut Series> {
        self.add_series("plot", xs.values(), ys.values(), true)
    }

    /// Points at `(xs[i], ys[i])`.
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// fig.ax(0).unwrap().scatter(vec![1.0, 2.0], vec![3.0, 1.0]).unwrap();
    /// ```
    pub fn scatter(&mut self, xs: impl Values, ys: impl Values) -> Result<&mut Series> {
        self.add_series("scatter", xs.values(), ys.values(), false)
    }

    fn add_series(
        &mut self,
        what: &'static str,
        xs: Vec<f64>,
        ys: Vec<f64>,
        line: bool,
    ) -> Result<&mut Series> {
        let (xs, ys, skipped) = check_xy(what, xs, ys)?;
        let color = self.next_color();
        self.series.push(Series {
            xs,
            ys,
            label: None,
            color,
            line,
            marker: !line,
            dashed: false,
            skipped,
        });
        Ok(self.series.last_mut().expect("just pushed"))
    }

    /// Bars of `heights` centred on `xs`, 0.8 wide (matplotlib's default).
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// fig.ax(0).unwrap().bar(&[0, 1, 2], &[5, 3, 4]).unwrap();
    /// ```
    pub fn bar(&mut self, xs: impl Values, heights: impl Values) -> Result<&mut Bars> {
        let (xs, heights, bad) = check_xy("bar", xs.values(), heights.values())?;
        if bad > 0 {
            return Err(PlotError::Invalid(format!(
                "bar: {bad} heights or positions are NaN or infinite"
            )));
        }
        let lefts = xs.iter().map(|x| x - 0.4).collect();
        let widths = vec![0.8; xs.len()];
        self.push_bars(lefts, widths, heights)
    }

    /// Histogram of `values` in `bins` equal-width bins (NaN values are skipped).
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// let bars = fig.ax(0).unwrap().hist(&[1.0, 2.0, 2.0, 3.0], 2).unwrap();
    /// ```
    pub fn hist(&mut self, values: impl Values, bins: usize) -> Result<&mut Bars> {
        let v: Vec<f64> = values
            .values()
            .into_iter()
            .filter(|v| v.is_finite())
            .collect();
        if v.is_empty() || bins == 0 {
            return Err(PlotError::Empty { what: "hist" });
        }
        if bins > MAX_BINS {
            return Err(PlotError::Invalid(format!(
                "hist: {bins} bins are more than a figure can show; use at most {MAX_BINS}"
            )));
        }
        let lo = v.iter().cloned().fold(f64::INFINITY, f64::min);
        let hi = v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = if hi > lo {
            (lo, hi)
        } else {
            (lo - 0.5, hi + 0.5)
        };
        let w = (hi - lo) / bins as f64;
        let mut counts = vec![0.0; bins];
        for x in v {
            counts[(((x - lo) / w) as usize).min(bins - 1)] += 1.0;
        }
        let lefts = (0..bins).map(|i| lo + i as f64 * w).collect();
        self.push_bars(lefts, vec![w; bins], counts)
    }

    fn push_bars(
        &mut self,
        lefts: Vec<f64>,
        widths: Vec<f64>,
        heights: Vec<f64>,
    ) -> Result<&mut Bars> {
        let color = self.next_color();
        self.bars.push(Bars {
            lefts,
            widths,
            heights,
            label: None,
            color,
            each: Vec::new(),
        });
        Ok(self.bars.last_mut().expect("just pushed"))
    }

    /// Show an array as an image, one square per pixel, nearest-neighbour, row 0 at the top.
    /// A 2-D array is coloured with viridis scaled to its min..max by default (NaN drawn as
    /// the lowest colour); an (h, w, 3) or (h, w, 4) array is an RGB(A) colour image, of
    /// integers 0–255 or floats 0–1, as in matplotlib. One axes shows one image: a stack
    /// (n, h, w) is an error here; the [`imshow`](crate::imshow) one-liner draws it as a grid.
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// let empty = ndarray::Array2::<u8>::zeros((0, 28));
    /// assert!(fig.ax(0).unwrap().imshow(&empty).is_err());
    /// let red = ndarray::Array3::from_shape_fn((4, 4, 3), |(_, _, c)| if c == 0 { 255u8 } else { 0 });
    /// fig.ax(0).unwrap().imshow(&red).unwrap();
    /// ```
    pub fn imshow(&mut self, image: impl ImageData) -> Result<&mut Picture> {
        self.show(read("imshow", &image)?)
    }

    /// Show an image already read by [`read`].
    pub(crate) fn show(&mut self, shown: Shown) -> Result<&mut Picture> {
        let picture = match shown {
            Shown::Gray(grid) => Picture::scalars(grid),
            Shown::Color { rows, cols, rgb } => Picture::colors(rows, cols, rgb),
            Shown::Stack { n, rows, cols, .. } => {
                return Err(PlotError::Invalid(format!(
                    "Axes::imshow: one axes shows one image, but this is a stack of {n} images \
                     of {rows}×{cols}; show one with `.slice(s![i, .., ..])`, or all of them \
                     as a grid with the one-liner `imshow(&images)`"
                )));
            }
        };
        self.picture = Some(picture);
        Ok(self.picture.as_mut().expect("just set"))
    }

    /// Text centred at data coordinates (x, y).
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// fig.ax(0).unwrap().text(1.0, 2.0, "peak");
    /// ```
    pub fn text(&mut self, x: f64, y: f64, text: impl Into<String>) -> &mut Annotation {
        let text = text.into();
        self.notes.push(Annotation {
            x,
            y,
            text,
            color: [0, 0, 0],
            size: 12.0,
        });
        self.notes.last_mut().expect("just pushed")
    }
}
