//! [`Colormap`]: mapping scalar values to colours (viridis and gray).

use crate::viridis::VIRIDIS;

/// A colormap for [`crate::Axes::imshow`] and heatmaps.
///
/// ```
/// use neurust_plot::Colormap;
/// assert_eq!(Colormap::Gray.rgb(1.0), [255, 255, 255]);
/// assert_eq!(Colormap::Viridis.rgb(0.0), [68, 1, 84]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Colormap {
    /// matplotlib's default: perceptually uniform, dark purple → yellow.
    #[default]
    Viridis,
    /// Black → white (matplotlib's `gray`).
    Gray,
    /// White → black (matplotlib's `gray_r`, MNIST digits drawn as ink on paper).
    GrayR,
}

impl Colormap {
    /// Colour of `t` in `[0, 1]` (clamped; NaN maps to 0) using 256 levels.
    ///
    /// ```
    /// use neurust_plot::Colormap;
    /// assert_eq!(Colormap::Viridis.rgb(1.0), [253, 231, 36]);
    /// assert_eq!(Colormap::GrayR.rgb(0.0), [255, 255, 255]);
    /// ```
    pub fn rgb(self, t: f64) -> [u8; 3] {
        let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
        // matplotlib: index = floor(t * N), with t == 1 mapped to N - 1.
        let i = ((t * 256.0) as usize).min(255);
        self.level(i as u8)
    }

    /// Colour of level `i` (0..=255) of the 256-entry table.
    ///
    /// ```
    /// use neurust_plot::Colormap;
    /// assert_eq!(Colormap::Gray.level(7), [7, 7, 7]);
    /// ```
    pub fn level(self, i: u8) -> [u8; 3] {
        match self {
            Colormap::Viridis => VIRIDIS[i as usize],
            Colormap::Gray => [i, i, i],
            Colormap::GrayR => [255 - i, 255 - i, 255 - i],
        }
    }

    /// Relative luminance in 0..=1, to choose black or white text over a colour.
    ///
    /// ```
    /// use neurust_plot::Colormap;
    /// assert!(Colormap::luminance([255, 255, 255]) > 0.99);
    /// ```
    pub fn luminance(rgb: [u8; 3]) -> f64 {
        let [r, g, b] = rgb.map(|c| c as f64 / 255.0);
        0.2126 * r + 0.7152 * g + 0.0722 * b
    }
}
