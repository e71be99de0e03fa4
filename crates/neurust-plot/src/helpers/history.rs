//! Training curves: each metric with its `val_` twin, epochs on x.

use std::collections::BTreeMap;

use crate::{Figure, PlotError, Result};

fn title_case(s: &str) -> String {
    let s = s.replace('_', " ");
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Metric names in display order: accuracy first, then loss, then the rest.
pub(crate) fn base_metrics(metrics: &BTreeMap<String, Vec<f64>>) -> Vec<String> {
    let mut names: Vec<String> = metrics
        .keys()
        .map(|k| k.strip_prefix("val_").unwrap_or(k).to_string())
        .collect();
    names.sort_by_key(|n| (n != "accuracy", n != "loss", n.clone()));
    names.dedup();
    names
}

/// Side-by-side curves for per-epoch metrics such as a Keras `history` dict:
/// `accuracy` with `val_accuracy`, `loss` with `val_loss`, any other metric
/// after. `epochs` gives the x values (1-based epoch numbers when `None`).
/// NaN values (a diverged loss) are skipped and noted in the legend.
///
/// ```
/// use std::collections::BTreeMap;
/// let mut m = BTreeMap::new();
/// m.insert("loss".to_string(), vec![0.5, 0.3, 0.2]);
/// m.insert("val_loss".to_string(), vec![0.4, 0.35, 0.3]);
/// let fig = neurust_plot::metrics_figure(&m, None)?;
/// assert_eq!(fig.len(), 1);
/// # Ok::<(), neurust_plot::PlotError>(())
/// ```
pub fn metrics_figure(
    metrics: &BTreeMap<String, Vec<f64>>,
    epochs: Option<&[usize]>,
) -> Result<Figure> {
    let names = base_metrics(metrics);
    if names.is_empty() || metrics.values().all(|v| v.is_empty()) {
        return Err(PlotError::Empty {
            what: "training history",
        });
    }
    let mut fig = Figure::new()
        .size(5.0 * names.len() as f64, 4.0)
        .subplots(1, names.len());
    for (i, name) in names.iter().enumerate() {
        let ax = fig.ax(i)?;
        for (key, label) in [
            (name.clone(), "training"),
            (format!("val_{name}"), "validation"),
        ] {
            let Some(ys) = metrics.get(&key).filter(|v| !v.is_empty()) else {
                continue;
            };
            let xs: Vec<f64> = match epochs {
                Some(e) if e.len() == ys.len() => e.iter().map(|&e| e as f64 + 1.0).collect(),
                _ => (1..=ys.len()).map(|e| e as f64).collect(),
            };
            match ax.plot(&xs, ys) {
                Ok(s) => {
                    s.label(label).markers();
                }
                Err(PlotError::Empty { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        ax.title(title_case(name))
            .xlabel("epoch")
            .ylabel(name.as_str())
            .legend()
            .grid(true);
    }
    Ok(fig)
}

/// The tutorial's curves for a `fit` result: accuracy with val_accuracy and loss
/// with val_loss side by side, epochs on x (see [`metrics_figure`]).
///
/// ```
/// let h = neurust_nn::History::default();
/// assert!(neurust_plot::plot_history(&h).is_err()); // nothing recorded yet
/// ```
pub fn plot_history(history: &neurust_nn::History) -> Result<Figure> {
    metrics_figure(&history.history, Some(&history.epoch))
}
