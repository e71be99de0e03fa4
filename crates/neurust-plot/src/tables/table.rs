//! [`Table`]: a small HTML table with a text/plain twin.

use neurust_display::{Displayable, MimeBundle, escape_html};

/// A table with a caption, a header row, body rows and footer lines.
/// Columns whose cells all look numeric are right-aligned.
///
/// ```
/// use neurust_plot::Table;
/// let t = Table::new(["metric", "value"]).row(["accuracy", "0.9784"]).caption("Test");
/// assert!(t.html().contains("<td style=\"text-align:right\">0.9784</td>"));
/// assert!(t.text().contains("accuracy"));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    caption: Option<String>,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    footer: Vec<String>,
}

fn numeric(s: &str) -> bool {
    let t = s.trim_start_matches(['(', '-', '−']).trim_end_matches(')');
    !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || ",.e+-% ".contains(c))
}

impl Table {
    /// A table with these column headers.
    ///
    /// ```
    /// let t = neurust_plot::Table::new(["a", "b"]);
    /// ```
    pub fn new<S: ToString>(header: impl IntoIterator<Item = S>) -> Self {
        Table {
            header: header.into_iter().map(|s| s.to_string()).collect(),
            ..Self::default()
        }
    }

    /// Add a row.
    ///
    /// ```
    /// let t = neurust_plot::Table::new(["a"]).row(["1"]);
    /// ```
    pub fn row<S: ToString>(mut self, cells: impl IntoIterator<Item = S>) -> Self {
        self.rows
            .push(cells.into_iter().map(|s| s.to_string()).collect());
        self
    }

    /// Set the caption shown above the table.
    ///
    /// ```
    /// let t = neurust_plot::Table::new(["a"]).caption("Model: \"sequential\"");
    /// ```
    pub fn caption(mut self, caption: impl Into<String>) -> Self {
        self.caption = Some(caption.into());
        self
    }

    /// Add a line under the table (e.g. "Total params: 203,530").
    ///
    /// ```
    /// let t = neurust_plot::Table::new(["a"]).footer("2 rows");
    /// ```
    pub fn footer(mut self, line: impl Into<String>) -> Self {
        self.footer.push(line.into());
        self
    }

    fn right_aligned(&self) -> Vec<bool> {
        (0..self.header.len())
            .map(|c| {
                !self.rows.is_empty()
                    && self
                        .rows
                        .iter()
                        .all(|r| r.get(c).is_none_or(|s| numeric(s)))
            })
            .collect()
    }

    /// The table as HTML (styled to match Jupyter's rendered dataframes).
    ///
    /// ```
    /// assert!(neurust_plot::Table::new(["x"]).html().starts_with("<div"));
    /// ```
    pub fn html(&self) -> String {
        let right = self.right_aligned();
        let align = |c: usize| {
            if right.get(c).copied().unwrap_or(false) {
                " style=\"text-align:right\""
            } else {
                ""
            }
        };
        let mut h = String::from("<div class=\"neurust-table\">");
        if let Some(c) = &self.caption {
            h.push_str(&format!(
                "<div style=\"font-weight:bold;margin:0.3em 0\">{}</div>",
                escape_html(c)
            ));
        }
        h.push_str("<table><thead><tr>");
        for (i, c) in self.header.iter().enumerate() {
            h.push_str(&format!("<th{}>{}</th>", align(i), escape_html(c)));
        }
        h.push_str("</tr></thead><tbody>");
        for r in &self.rows {
            h.push_str("<tr>");
            for (i, c) in r.iter().enumerate() {
                h.push_str(&format!("<td{}>{}</td>", align(i), escape_html(c)));
            }
            h.push_str("</tr>");
        }
        h.push_str("</tbody></table>");
        for f in &self.footer {
            h.push_str(&format!("<div>{}</div>", escape_html(f)));
        }
        h.push_str("</div>");
        h
    }

    /// The table as aligned plain text.
    ///
    /// ```
    /// let t = neurust_plot::Table::new(["k", "v"]).row(["loss", "0.07"]);
    /// assert_eq!(t.text(), "k        v\nloss  0.07");
    /// ```
    pub fn text(&self) -> String {
        let right = self.right_aligned();
        let ncol = self
            .header
            .len()
            .max(self.rows.iter().map(Vec::len).max().unwrap_or(0));
        let mut w = vec![0; ncol];
        for r in std::iter::once(&self.header).chain(&self.rows) {
            for (i, c) in r.iter().enumerate() {
                w[i] = w[i].max(c.chars().count());
            }
        }
        let line = |r: &Vec<String>| {
            let cells: Vec<String> = r
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    if right.get(i).copied().unwrap_or(false) {
                        format!("{c:>0$}", w[i])
                    } else {
                        format!("{c:<0$}", w[i])
                    }
                })
                .collect();
            cells.join("  ").trim_end().to_string()
        };
        let mut lines: Vec<String> = self.caption.iter().cloned().collect();
        lines.push(line(&self.header));
        lines.extend(self.rows.iter().map(line));
        lines.extend(self.footer.iter().cloned());
        lines.join("\n")
    }
}

impl Displayable for Table {
    fn mime_bundle(&self) -> MimeBundle {
        MimeBundle::new().html(self.html()).text(self.text())
    }
}
