//! [`digit_grid`] and [`misclassified_grid`]: tiles of images titled with labels.

use crate::Labels;
use crate::data::{ImageStack, stack_image};
use crate::figure::MAX_SIDE;
use crate::{Axes, Figure, PlotError, Result};

fn tile(ax: &mut Axes, images: &(impl ImageStack + ?Sized), i: usize, title: String) -> Result<()> {
    let grid = stack_image(images, i)?;
    let arr = ndarray::Array2::from_shape_vec((grid.rows, grid.cols), grid.data)
        .map_err(|e| PlotError::Invalid(e.to_string()))?;
    ax.imshow(&arr)?;
    ax.title(title).axis_off();
    Ok(())
}

fn grid_figure(rows: usize, cols: usize) -> Figure {
    Figure::new()
        .size(2.0 * cols as f64, 2.1 * rows as f64)
        .subplots(rows, cols)
}

/// The first `rows × cols` images in a grid, each titled with its label, like the
/// tutorial's 2×5 grid. Images are (n, h, w) or (n, h·w) arrays, owned or views,
/// of `u8` or floats; labels are integers (or score rows, argmax taken).
///
/// ```
/// use ndarray::{Array1, Array3};
/// let images = Array3::<u8>::zeros((10, 28, 28));
/// let labels = Array1::from(vec![5u8, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
/// let fig = neurust_plot::digit_grid(&images, &labels, 2, 5)?;
/// assert_eq!(fig.len(), 10);
/// assert!(neurust_plot::digit_grid(&images, &labels, 3, 5).is_err());
/// # Ok::<(), neurust_plot::PlotError>(())
/// ```
pub fn digit_grid(
    images: &(impl ImageStack + ?Sized),
    labels: &(impl Labels + ?Sized),
    rows: usize,
    cols: usize,
) -> Result<Figure> {
    let labels = labels.class_labels();
    let n = images.count();
    if n == 0 {
        return Err(PlotError::Empty {
            what: "digit_grid images",
        });
    }
    if labels.len() != n {
        return Err(PlotError::CountMismatch {
            what: "digit_grid",
            images: n,
            labels: labels.len(),
        });
    }
    if rows == 0 || cols == 0 {
        return Err(PlotError::Invalid(format!(
            "digit_grid: a {rows}×{cols} grid has no cells"
        )));
    }
    if rows > MAX_SIDE || cols > MAX_SIDE {
        return Err(PlotError::Invalid(format!(
            "digit_grid: a figure holds at most {MAX_SIDE} rows and at most {MAX_SIDE} columns \
             of images, got a {rows}×{cols} grid"
        )));
    }
    if rows * cols > n {
        return Err(PlotError::GridTooLarge {
            rows,
            cols,
            available: n,
        });
    }
    let mut fig = grid_figure(rows, cols);
    for (i, label) in labels.iter().take(rows * cols).enumerate() {
        tile(fig.ax(i)?, images, i, label.to_string())?;
    }
    Ok(fig)
}

/// Up to `n` images whose prediction is wrong, titled "true → predicted".
/// With no mistakes the figure says so.
///
/// ```
/// use ndarray::Array3;
/// let images = Array3::<f32>::zeros((4, 28, 28));
/// let fig = neurust_plot::misclassified_grid(&images, &vec![1u8, 2, 3, 4], &vec![1u8, 7, 3, 9], 10)?;
/// assert_eq!(fig.len(), 2);
/// # Ok::<(), neurust_plot::PlotError>(())
/// ```
pub fn misclassified_grid(
    images: &(impl ImageStack + ?Sized),
    y_true: &(impl Labels + ?Sized),
    y_pred: &(impl Labels + ?Sized),
    n: usize,
) -> Result<Figure> {
    let (t, p) = (y_true.class_labels(), y_pred.class_labels());
    if n == 0 {
        return Err(PlotError::Invalid(
            "misclassified_grid: n (how many images to show) must be at least 1".into(),
        ));
    }
    if t.len() != p.len() {
        return Err(PlotError::LengthMismatch {
            what: "misclassified_grid y_true/y_pred",
            xs: t.len(),
            ys: p.len(),
        });
    }
    if images.count() == 0 {
        return Err(PlotError::Empty {
            what: "misclassified_grid images",
        });
    }
    if images.count() != t.len() {
        return Err(PlotError::CountMismatch {
            what: "misclassified_grid",
            images: images.count(),
            labels: t.len(),
        });
    }
    let wrong: Vec<usize> = (0..t.len()).filter(|&i| t[i] != p[i]).take(n).collect();
    if wrong.is_empty() {
        let mut fig = Figure::new().size(4.0, 1.0);
        let ax = fig.ax(0)?;
        ax.axis_off().xlim(0.0, 1.0).ylim(0.0, 1.0);
        ax.text(
            0.5,
            0.5,
            format!("no misclassified images among {}", t.len()),
        )
        .size(16.0);
        return Ok(fig);
    }
    let cols = wrong.len().min(5);
    let rows = wrong.len().div_ceil(cols);
    let mut fig = grid_figure(rows, cols);
    for (k, &i) in wrong.iter().enumerate() {
        tile(fig.ax(k)?, images, i, format!("{} → {}", t[i], p[i]))?;
    }
    for k in wrong.len()..rows * cols {
        fig.ax(k)?.axis_off();
    }
    Ok(fig)
}
