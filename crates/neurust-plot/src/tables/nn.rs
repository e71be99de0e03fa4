//! Displays for the nn crate's results: [`History`] (curves + table), [`Summary`]
//! and [`Evaluation`] (HTML tables with the Keras text as fallback).
//!
//! Rust's orphan rule forbids implementing `neurust_display::Displayable` (a
//! foreign trait) for these foreign types here, so they get [`NnDisplay`], a
//! trait of this crate with the same methods, and [`Rich`] wraps any of them
//! into a `Displayable` for `display(&Rich(&history))`.

use neurust_display::{Displayable, MimeBundle};
use neurust_nn::{Evaluation, History, Summary};

use crate::Table;
use crate::helpers::history::plot_history;

/// Rich display for the nn crate's types: `.show()`, and the cell-result hook.
///
/// ```no_run
/// use neurust_plot::NnDisplay;
/// let history = neurust_nn::History::default();
/// history.show(); // after fit: the curves and a table of the epochs
/// ```
pub trait NnDisplay {
    /// All representations of the value.
    fn mime_bundle(&self) -> MimeBundle;

    /// Show the value now as its own output.
    fn show(&self) {
        neurust_display::display(&Rich(self))
    }

    /// Called by evcxr on a cell's last expression.
    fn evcxr_display(&self) {
        Rich(self).evcxr_display()
    }
}

/// Makes any [`NnDisplay`] value a [`Displayable`], e.g. for `display(&Rich(&summary))`.
///
/// ```no_run
/// use neurust_plot::Rich;
/// neurust_display::display(&Rich(&neurust_nn::History::default()));
/// ```
pub struct Rich<'a, T: NnDisplay + ?Sized>(pub &'a T);

impl<T: NnDisplay + ?Sized> Displayable for Rich<'_, T> {
    fn mime_bundle(&self) -> MimeBundle {
        self.0.mime_bundle()
    }
}

/// `203530` → `203,530`.
fn thousands(n: usize) -> String {
    let d = n.to_string();
    d.chars()
        .enumerate()
        .fold(String::new(), |mut out, (i, c)| {
            if i > 0 && (d.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
            out
        })
}

fn fmt4(v: f64) -> String {
    if v != 0.0 && v.abs() < 1e-3 {
        format!("{v:.4e}")
    } else {
        format!("{v:.4}")
    }
}

/// The epochs of a history as a table (one row per epoch).
///
/// ```
/// let t = neurust_plot::history_table(&neurust_nn::History::default());
/// assert!(t.text().starts_with("epoch"));
/// ```
pub fn history_table(h: &History) -> Table {
    let keys: Vec<&String> = h.history.keys().collect();
    let mut t =
        Table::new(std::iter::once("epoch".to_string()).chain(keys.iter().map(|k| k.to_string())));
    for (i, e) in h.epoch.iter().enumerate() {
        let cells = keys
            .iter()
            .map(|k| h.history[*k].get(i).map_or(String::new(), |v| fmt4(*v)));
        t = t.row(std::iter::once((e + 1).to_string()).chain(cells));
    }
    t
}

impl NnDisplay for History {
    /// HTML: the curves (as an SVG `<img>`) above the table; text: the table.
    fn mime_bundle(&self) -> MimeBundle {
        let table = history_table(self);
        let curves = plot_history(self).and_then(|f| f.img_html());
        let html = match curves {
            Ok(img) => format!("<div>{img}{}</div>", table.html()),
            Err(e) => format!(
                "<div><p>{}</p>{}</div>",
                crate::escape_html(&e.to_string()),
                table.html()
            ),
        };
        MimeBundle::new().html(html).text(table.text())
    }
}

/// The model summary as a [`Table`] (Keras's columns and totals).
///
/// ```no_run
/// # let summary: neurust_nn::Summary = todo!();
/// let t = neurust_plot::summary_table(&summary);
/// ```
pub fn summary_table(s: &Summary) -> Table {
    let mut t = Table::new(["Layer (type)", "Output Shape", "Param #"])
        .caption(format!("Model: \"{}\"", s.model_name));
    for r in s.rows() {
        t = t.row([
            format!("{} ({})", r.name, r.class_name),
            r.output_shape_text(),
            thousands(r.params),
        ]);
    }
    t.footer(format!("Total params: {}", thousands(s.total_params)))
        .footer(format!(
            "Trainable params: {}",
            thousands(s.trainable_params)
        ))
        .footer(format!(
            "Non-trainable params: {}",
            thousands(s.non_trainable_params)
        ))
}

impl NnDisplay for Summary {
    fn mime_bundle(&self) -> MimeBundle {
        MimeBundle::new()
            .html(summary_table(self).html())
            .text(self.to_string())
    }
}

/// Evaluation results as a two-column [`Table`].
///
/// ```
/// let e = neurust_nn::Evaluation::new(vec![("loss".into(), 0.07), ("accuracy".into(), 0.98)]);
/// assert!(neurust_plot::evaluation_table(&e).html().contains("0.9800"));
/// ```
pub fn evaluation_table(e: &Evaluation) -> Table {
    e.iter().fold(Table::new(["metric", "value"]), |t, (k, v)| {
        t.row([k.to_string(), fmt4(v)])
    })
}

impl NnDisplay for Evaluation {
    fn mime_bundle(&self) -> MimeBundle {
        MimeBundle::new()
            .html(evaluation_table(self).html())
            .text(self.to_string())
    }
}
