//! The image ([`Picture`]) and text labels ([`Annotation`]) of an [`Axes`](crate::Axes).

use crate::Colormap;
use crate::data::Grid;
use crate::figure::marks::Rgb;

/// An image from `imshow`, drawn with nearest-neighbour pixels. A colour image (RGB(A)) keeps
/// its own colours: [`cmap`](Picture::cmap) and [`range`](Picture::range) change only images
/// of scalars, as in matplotlib.
///
/// ```
/// use neurust_plot::{Colormap, Figure};
/// let img = ndarray::Array2::<u8>::zeros((28, 28));
/// let mut fig = Figure::new();
/// fig.ax(0).unwrap().imshow(&img).unwrap().cmap(Colormap::Gray).range(0.0, 255.0);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    pub(crate) grid: Grid,
    pub(crate) cmap: Colormap,
    pub(crate) vmin: f64,
    pub(crate) vmax: f64,
    /// The pixels of a colour image, row-major; `None` for an image of scalars.
    pub(crate) colors: Option<Vec<Rgb>>,
}

impl Picture {
    /// An image of scalars through viridis, scaled to its finite min..max.
    pub(crate) fn scalars(grid: Grid) -> Picture {
        let finite = grid.data.iter().filter(|v| v.is_finite());
        let vmin = finite.clone().cloned().fold(f64::INFINITY, f64::min);
        let vmax = finite.cloned().fold(f64::NEG_INFINITY, f64::max);
        let (vmin, vmax) = if vmin.is_finite() {
            (vmin, vmax)
        } else {
            (0.0, 1.0)
        };
        Picture {
            grid,
            cmap: Colormap::Viridis,
            vmin,
            vmax,
            colors: None,
        }
    }

    /// A colour image of `rows × cols` RGB pixels, row-major.
    pub(crate) fn colors(rows: usize, cols: usize, rgb: Vec<Rgb>) -> Picture {
        let data = Vec::new();
        Picture {
            grid: Grid { rows, cols, data },
            cmap: Colormap::Viridis,
            vmin: 0.0,
            vmax: 1.0,
            colors: Some(rgb),
        }
    }

    /// Colormap (default viridis, as in matplotlib).
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// # let img = ndarray::Array2::<f32>::zeros((2, 2));
    /// fig.ax(0).unwrap().imshow(&img).unwrap().cmap(neurust_plot::Colormap::Gray);
    /// ```
    pub fn cmap(&mut self, cmap: Colormap) -> &mut Self {
        self.cmap = cmap;
        self
    }

    /// Values mapped to the colormap's ends (default: the image's min and max).
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// # let img = ndarray::Array2::<f32>::zeros((2, 2));
    /// fig.ax(0).unwrap().imshow(&img).unwrap().range(0.0, 1.0);
    /// ```
    pub fn range(&mut self, vmin: f64, vmax: f64) -> &mut Self {
        self.vmin = vmin;
        self.vmax = vmax;
        self
    }

    /// The colour of pixel (row, col), as drawn.
    pub(crate) fn rgb(&self, r: usize, c: usize) -> Rgb {
        match &self.colors {
            Some(colors) => colors[r * self.grid.cols + c],
            None => self.cmap.level(self.level(r, c)),
        }
    }

    /// The colour level (0..=255) of pixel (row, col) of an image of scalars.
    fn level(&self, r: usize, c: usize) -> u8 {
        let v = self.grid.get(r, c);
        let span = self.vmax - self.vmin;
        let t = if span > 0.0 {
            (v - self.vmin) / span
        } else {
            0.0
        };
        let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
        ((t * 256.0) as usize).min(255) as u8
    }
}

/// Text placed at data coordinates (centred), from `Axes::text`.
///
/// ```
/// # let mut fig = neurust_plot::Figure::new();
/// fig.ax(0).unwrap().text(0.5, 0.5, "here").color([255, 255, 255]).size(9.0);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) text: String,
    pub(crate) color: Rgb,
    pub(crate) size: f64,
}

impl Annotation {
    /// Text colour (default black).
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// fig.ax(0).unwrap().text(0.0, 0.0, "x").color([200, 0, 0]);
    /// ```
    pub fn color(&mut self, color: Rgb) -> &mut Self {
        self.color = color;
        self
    }

    /// Font size in pixels (default 12).
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// fig.ax(0).unwrap().text(0.0, 0.0, "x").size(16.0);
    /// ```
    pub fn size(&mut self, size: f64) -> &mut Self {
        self.size = size;
        self
    }
}
