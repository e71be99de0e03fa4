//! The live chart: loss and accuracy per epoch, with the x axis fixed to all epochs.

use std::collections::BTreeMap;

use crate::{Figure, Result, metrics_figure};

/// Curves of the epochs finished so far, x fixed to `1..=epochs` so the chart
/// does not rescale as it grows.
///
/// ```
/// use std::collections::BTreeMap;
/// let mut m = BTreeMap::new();
/// m.insert("loss".to_string(), vec![0.4]);
/// let fig = neurust_plot::live::epoch_chart(&m, 5)?;
/// assert_eq!(fig.pixels(), (400, 280));
/// # Ok::<(), neurust_plot::PlotError>(())
/// ```
pub fn epoch_chart(metrics: &BTreeMap<String, Vec<f64>>, epochs: usize) -> Result<Figure> {
    let fig = metrics_figure(metrics, None)?;
    let n = fig.len();
    let mut fig = Figure {
        width: 400 * n as u32,
        height: 280,
        ..fig
    };
    for ax in fig.axes_mut() {
        ax.xlim(0.5, epochs.max(1) as f64 + 0.5);
        if epochs <= 12 {
            let ticks: Vec<f64> = (1..=epochs).map(|e| e as f64).collect();
            let names: Vec<String> = (1..=epochs).map(|e| e.to_string()).collect();
            ax.xticks(&ticks, &names);
        }
    }
    Ok(fig)
}
