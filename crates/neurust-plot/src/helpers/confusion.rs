//! [`confusion_matrix`]: an annotated heatmap of true vs predicted classes.

use crate::Labels;
use crate::{Colormap, Figure, PlotError, Result};

/// Counts of (true, predicted) pairs as a viridis heatmap with each count written
/// in its cell (white on dark, black on light), rows = true label, columns =
/// predicted label, like scikit-learn's `ConfusionMatrixDisplay`.
///
/// ```
/// let fig = neurust_plot::confusion_matrix(&vec![0u8, 1, 1, 2], &vec![0u8, 1, 2, 2])?;
/// assert!(fig.to_svg()?.contains("Predicted label"));
/// # Ok::<(), neurust_plot::PlotError>(())
/// ```
pub fn confusion_matrix(
    y_true: &(impl Labels + ?Sized),
    y_pred: &(impl Labels + ?Sized),
) -> Result<Figure> {
    let (t, p) = (y_true.class_labels(), y_pred.class_labels());
    if t.len() != p.len() {
        return Err(PlotError::LengthMismatch {
            what: "confusion_matrix y_true/y_pred",
            xs: t.len(),
            ys: p.len(),
        });
    }
    if t.is_empty() {
        return Err(PlotError::Empty {
            what: "confusion_matrix labels",
        });
    }
    let lo = t.iter().chain(&p).min().copied().unwrap_or(0);
    let hi = t.iter().chain(&p).max().copied().unwrap_or(0);
    if lo < 0 || hi >= 100 {
        return Err(PlotError::Invalid(format!(
            "confusion_matrix: labels must be class numbers 0..100, got values from {lo} to {hi}"
        )));
    }
    let k = hi as usize + 1;
    let mut counts = ndarray::Array2::<u64>::zeros((k, k));
    for (a, b) in t.iter().zip(&p) {
        counts[[*a as usize, *b as usize]] += 1;
    }
    let max = counts.iter().copied().max().unwrap_or(0) as f64;
    let side = (3.0 + 0.3 * k as f64).min(10.0);
    let mut fig = Figure::new().size(side + 0.6, side);
    let ax = fig.ax(0)?;
    let pic = ax
        .imshow(&counts)?
        .cmap(Colormap::Viridis)
        .range(0.0, max.max(1.0));
    let pic = pic.clone();
    let font = (19.0 - 0.3 * k as f64).max(9.0);
    for ((r, c), v) in counts.indexed_iter() {
        let rgb = pic.rgb(r, c);
        let ink = if Colormap::luminance(rgb) < 0.5 {
            [255, 255, 255]
        } else {
            [0, 0, 0]
        };
        ax.text(c as f64, r as f64, v.to_string())
            .color(ink)
            .size(font);
    }
    let ticks: Vec<f64> = (0..k).map(|i| i as f64).collect();
    let names: Vec<String> = (0..k).map(|i| i.to_string()).collect();
    ax.xticks(&ticks, &names).yticks(&ticks, &names);
    ax.title("Confusion matrix")
        .xlabel("Predicted label")
        .ylabel("True label");
    Ok(fig)
}
