//! `summary()`: the model as Keras's table of layers, output shapes and parameter counts.

use std::fmt;

use super::sequential::Sequential;

/// One layer's line of a [`Summary`].
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    /// The layer's name ("dense_1").
    pub name: String,
    /// The layer's class ("Dense").
    pub class_name: String,
    /// The per-sample output shape, when the input shape is known.
    pub output_shape: Option<Vec<usize>>,
    /// Weights in the layer (0 while the shape is unknown).
    pub params: usize,
}

impl SummaryRow {
    /// The output shape as Keras prints it: `(None, 256)`, or `?` when unknown.
    pub fn output_shape_text(&self) -> String {
        match &self.output_shape {
            Some(s) => crate::error::fmt_shape("None", s),
            None => "?".into(),
        }
    }
}

/// A model's layers and parameter counts; `Display` draws Keras's table.
///
/// ```
/// use neurust_nn::{Dense, Flatten, Sequential};
/// let mut model = Sequential::new();
/// model.add(Flatten::new().input_shape([28, 28])).add(Dense::new(10));
/// let summary = model.summary();
/// assert_eq!(summary.total_params, 7_850);
/// assert!(summary.to_string().contains("Total params: 7,850"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The model's name.
    pub model_name: String,
    /// One row per layer.
    pub rows: Vec<SummaryRow>,
    /// All weights.
    pub total_params: usize,
    /// Weights that the optimizer trains.
    pub trainable_params: usize,
    /// Weights that it does not (BatchNormalization's moving statistics).
    pub non_trainable_params: usize,
}

impl Summary {
    /// The rows.
    pub fn rows(&self) -> &[SummaryRow] {
        &self.rows
    }
}

impl Sequential {
    /// The table of layers, output shapes and parameter counts.
    pub fn summary(&self) -> Summary {
        let mut shape = self.input_shape();
        let mut rows = Vec::new();
        let mut non_trainable = 0usize;
        for layer in &self.layers {
            if layer.class_name() == "InputLayer" {
                // Keras's summary does not list the input either.
                continue;
            }
            let params = shape.as_ref().map_or(0, |s| layer.param_count(s));
            let frozen = shape
                .as_ref()
                .map_or(0, |s| layer.non_trainable_param_count(s));
            non_trainable = non_trainable.saturating_add(frozen.min(params));
            shape = shape.and_then(|s| layer.output_shape(&s).ok());
            rows.push(SummaryRow {
                name: layer.name().to_string(),
                class_name: layer.class_name().to_string(),
                output_shape: shape.clone(),
                params,
            });
        }
        // Saturates, as each layer's count does, for sizes no machine could hold.
        let total = rows.iter().fold(0usize, |t, r| t.saturating_add(r.params));
        let non_trainable = non_trainable.min(total);
        Summary {
            model_name: self.name.clone(),
            rows,
            total_params: total,
            trainable_params: total - non_trainable,
            non_trainable_params: non_trainable,
        }
    }
}

/// `203530` → `203,530`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn bytes(params: usize) -> String {
    let b = params as f64 * 4.0;
    match b {
        b if b >= 1024.0 * 1024.0 => format!("{:.2} MB", b / (1024.0 * 1024.0)),
        b if b >= 1024.0 => format!("{:.2} KB", b / 1024.0),
        b => format!("{b:.2} B"),
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cells: Vec<[String; 3]> = self
            .rows
            .iter()
            .map(|r| {
                [
                    format!("{} ({})", r.name, r.class_name),
                    r.output_shape_text(),
                    thousands(r.params),
                ]
            })
            .collect();
        let head = ["Layer (type)", "Output Shape", "Param #"];
        let mut w = [29usize, 22, 13];
        for row in cells.iter().chain(std::iter::once(&head.map(String::from))) {
            for (k, c) in row.iter().enumerate() {
                w[k] = w[k].max(c.chars().count());
            }
        }
        let line = |l: &str, m: &str, r: &str, fill: &str| {
            format!(
                "{l}{}{m}{}{m}{}{r}",
                fill.repeat(w[0] + 2),
                fill.repeat(w[1] + 2),
                fill.repeat(w[2] + 2)
            )
        };
        writeln!(f, "Model: \"{}\"", self.model_name)?;
        writeln!(f, "{}", line("┏", "┳", "┓", "━"))?;
        let cells_line = |bar: &str, c: [&str; 3]| {
            format!(
                "{bar} {:<a$} {bar} {:<b$} {bar} {:>c$} {bar}",
                c[0],
                c[1],
                c[2],
                a = w[0],
                b = w[1],
                c = w[2]
            )
        };
        writeln!(f, "{}", cells_line("┃", head))?;
        writeln!(f, "{}", line("┡", "╇", "┩", "━"))?;
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                writeln!(f, "{}", line("├", "┼", "┤", "─"))?;
            }
            writeln!(f, "{}", cells_line("│", [&c[0], &c[1], &c[2]]))?;
        }
        writeln!(f, "{}", line("└", "┴", "┘", "─"))?;
        writeln!(
            f,
            " Total params: {} ({})",
            thousands(self.total_params),
            bytes(self.total_params)
        )?;
        writeln!(
            f,
            " Trainable params: {} ({})",
            thousands(self.trainable_params),
            bytes(self.trainable_params)
        )?;
        write!(
            f,
            " Non-trainable params: {} ({})",
            thousands(self.non_trainable_params),
            bytes(self.non_trainable_params)
        )
    }
}
