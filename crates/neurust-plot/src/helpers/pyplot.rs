//! matplotlib's one-call plots (`plt.imshow(x_train[0])`, `plt.plot(ys)`, `plt.hist(v)`): each
//! makes a one-axes [`Figure`], draws one mark on it and returns the figure, which shows as a
//! cell's result. The figure keeps its whole API, so `fig.ax(0)?.title(..)` still labels it.
//! Bad input (empty data, NaN only, lengths that differ) is the same error the [`Axes`] call
//! gives.
//!
//! [`Axes`]: crate::Axes

use crate::helpers::stack::stack_figure;
use crate::image::{ImageData, Shown, read};
use crate::{Figure, Result, Values};

/// An image, as `plt.imshow(image)`. The array's shape decides what is drawn:
///
/// - (h, w): one image through the viridis colormap, with its own aspect ratio;
/// - (h, w, 3) or (h, w, 4): one RGB(A) colour image, integers 0–255 or floats 0–1
///   (values outside are clipped, NaN is an error), as matplotlib reads it;
/// - (n, h, w), any other last axis: the n images as a near-square grid (16 → 4 × 4),
///   each scaled to its own min..max, at most 256 of them.
///
/// An axis of length 0, a 1-D or 4-D array is an error that says which shapes work.
///
/// ```
/// use ndarray::{Array2, Array3, Array4, s};
/// let digit = Array2::<u8>::zeros((28, 28));
/// assert_eq!(neurust_plot::imshow(&digit)?.len(), 1);
/// let x_train = Array3::<u8>::zeros((100, 28, 28));
/// assert_eq!(neurust_plot::imshow(&x_train.slice(s![0..16, .., ..]))?.len(), 16);
/// let photo = Array3::<f32>::from_elem((32, 32, 3), 0.5);
/// assert_eq!(neurust_plot::imshow(&photo)?.len(), 1);
/// assert!(neurust_plot::imshow(&Array4::<f32>::zeros((2, 28, 28, 1))).is_err());
/// # Ok::<(), neurust_plot::PlotError>(())
/// ```
pub fn imshow(image: impl ImageData) -> Result<Figure> {
    match read("imshow", &image)? {
        Shown::Stack {
            n,
            rows,
            cols,
            data,
        } => stack_figure(n, rows, cols, data),
        shown => {
            let mut fig = Figure::new().size(4.0, 4.0);
            fig.ax(0)?.show(shown)?;
            Ok(fig)
        }
    }
}

/// A line through `ys` at x = 0, 1, 2, ..., as `plt.plot(ys)`.
///
/// ```
/// let fig = neurust_plot::plot(&[0.43, 0.13, 0.09])?;
/// assert!(fig.to_svg()?.contains("<svg"));
/// # Ok::<(), neurust_plot::PlotError>(())
/// ```
pub fn plot(ys: impl Values) -> Result<Figure> {
    let ys = ys.values();
    let xs: Vec<f64> = (0..ys.len()).map(|i| i as f64).collect();
    plot_xy(xs, ys)
}

/// A line through the points (`xs[i]`, `ys[i]`), as `plt.plot(xs, ys)`.
///
/// ```
/// let fig = neurust_plot::plot_xy(&[1, 2, 3], &[0.5, 0.3, 0.2])?;
/// assert_eq!(fig.len(), 1);
/// # Ok::<(), neurust_plot::PlotError>(())
/// ```
pub fn plot_xy(xs: impl Values, ys: impl Values) -> Result<Figure> {
    let mut fig = Figure::new();
    fig.ax(0)?.plot(xs, ys)?;
    Ok(fig)
}

/// Points at (`xs[i]`, `ys[i]`), as `plt.scatter(xs, ys)`.
///
/// ```
/// assert!(neurust_plot::scatter(&[1.0, 2.0], &[3.0]).is_err()); // lengths differ
/// let fig = neurust_plot::scatter(&[1.0, 2.0], &[3.0, 4.0])?;
/// # Ok::<(), neurust_plot::PlotError>(())
/// ```
pub fn scatter(xs: impl Values, ys: impl Values) -> Result<Figure> {
    let mut fig = Figure::new();
    fig.ax(0)?.scatter(xs, ys)?;
    Ok(fig)
}

/// A histogram of `values` in `bins` equal bins, as `plt.hist(values, bins)`.
///
/// ```
/// let labels = ndarray::array![5u8, 0, 4, 1, 9, 2, 1, 3, 1, 4];
/// let fig = neurust_plot::hist(&labels, 10)?;
/// # Ok::<(), neurust_plot::PlotError>(())
/// ```
pub fn hist(values: impl Values, bins: usize) -> Result<Figure> {
    let mut fig = Figure::new();
    fig.ax(0)?.hist(values, bins)?;
    Ok(fig)
}

/// One bar per label, as `plt.bar(labels, heights)`: bar `i` at x = i, named by `labels[i]`.
///
/// ```
/// let fig = neurust_plot::bar(&["cat", "dog"], &[3, 5])?;
/// assert!(neurust_plot::bar(&["cat"], &[3, 5]).is_err()); // one label per bar
/// # Ok::<(), neurust_plot::PlotError>(())
/// ```
pub fn bar(labels: &[impl ToString], heights: impl Values) -> Result<Figure> {
    let heights = heights.values();
    if labels.len() != heights.len() {
        return Err(crate::PlotError::Invalid(format!(
            "bar: {} labels for {} heights; give one label per bar",
            labels.len(),
            heights.len()
        )));
    }
    let xs: Vec<f64> = (0..heights.len()).map(|i| i as f64).collect();
    let mut fig = Figure::new();
    let ax = fig.ax(0)?;
    ax.bar(&xs, heights)?;
    ax.xticks(&xs, labels);
    Ok(fig)
}
