//! Arrays as a cell's result, the way numpy shows them: the elements (large arrays summarised to
//! their first and last three entries along each axis, columns aligned), then the shape and the
//! element type, with no strides or memory layout. HTML: a small table for one or two axes.

use std::collections::HashMap;
use std::fmt::Debug;

use ndarray::{ArrayBase, ArrayViewD, Data, Dimension, IxDyn};
use neurust_display::{Displayable, MimeBundle, escape_html};

/// Above this many elements an array is summarised (numpy's `threshold`).
const THRESHOLD: usize = 1000;
/// Entries kept at each end of a summarised axis (numpy's `edgeitems`).
const EDGE: usize = 3;
/// Text lines wrap at this width (numpy's `linewidth`).
const LINE_WIDTH: usize = 75;

/// The cell-result hook for ndarray arrays and views (evcxr calls `evcxr_display` on a cell's
/// last expression). It takes `&self`, so showing an array does not move it out of its variable.
///
/// ```
/// use ndarray::array;
/// use neurust_plot::{ArrayResult, array_text};
/// let labels = array![5u8, 0, 4];
/// assert_eq!(array_text(&labels), "array([5, 0, 4], shape=(3,), dtype=u8)");
/// labels.evcxr_display(); // in a notebook: the cell's result, as text and an HTML table
/// ```
pub trait ArrayResult {
    /// Prints the array as the cell's result (`text/plain` and `text/html`).
    fn evcxr_display(&self);
}

impl<A: Debug, S: Data<Elem = A>, D: Dimension> ArrayResult for ArrayBase<S, D> {
    fn evcxr_display(&self) {
        Displayable::evcxr_display(&array_bundle(self))
    }
}

/// What a cell ending in `array` shows: [`array_text`] and an HTML table (one or two axes; more
/// axes show the text).
///
/// ```
/// let bundle = neurust_plot::array_bundle(&ndarray::array![[1, 2], [3, 4]]);
/// assert!(bundle.get("text/html").unwrap().starts_with("<table>"));
/// ```
pub fn array_bundle<A: Debug, S: Data<Elem = A>, D: Dimension>(
    array: &ArrayBase<S, D>,
) -> MimeBundle {
    let shown = Shown::of(&array.view().into_dyn());
    MimeBundle::new().text(shown.text()).html(shown.html())
}

/// numpy's text form of an array: `array([...], shape=(...), dtype=...)`.
///
/// ```
/// use ndarray::Array1;
/// let ys = Array1::from_shape_fn(60000, |i| (i % 10) as u8);
/// assert_eq!(
///     neurust_plot::array_text(&ys),
///     "array([0, 1, 2, ..., 7, 8, 9], shape=(60000,), dtype=u8)"
/// );
/// ```
pub fn array_text<A: Debug, S: Data<Elem = A>, D: Dimension>(array: &ArrayBase<S, D>) -> String {
    Shown::of(&array.view().into_dyn()).text()
}

/// The entries of an array that are shown, formatted to one width.
struct Shown {
    shape: Vec<usize>,
    dtype: String,
    /// For each axis, the indices shown (`None` marks the elided middle).
    kept: Vec<Vec<Option<usize>>>,
    cells: HashMap<Vec<usize>, String>,
    width: usize,
}

impl Shown {
    fn of<A: Debug>(array: &ArrayViewD<'_, A>) -> Shown {
        let summarise = array.len() > THRESHOLD;
        let kept: Vec<Vec<Option<usize>>> = array
            .shape()
            .iter()
            .map(|&n| {
                if summarise && n > 2 * EDGE {
                    (0..EDGE)
                        .map(Some)
                        .chain([None])
                        .chain((n - EDGE..n).map(Some))
                        .collect()
                } else {
                    (0..n).map(Some).collect()
                }
            })
            .collect();
        let mut cells = HashMap::new();
        let mut index = vec![0; array.ndim()];
        collect(array, &kept, 0, &mut index, &mut cells);
        let width = cells.values().map(|s| s.chars().count()).max().unwrap_or(0);
        let dtype = std::any::type_name::<A>().to_owned();
        Shown {
            shape: array.shape().to_vec(),
            dtype,
            kept,
            cells,
            width,
        }
    }

    fn cell(&self, index: &[usize]) -> &str {
        self.cells.get(index).map_or("", String::as_str)
    }

    fn shape_text(&self) -> String {
        match self.shape.as_slice() {
            [n] => format!("({n},)"),
            dims => format!(
                "({})",
                dims.iter()
                    .map(usize::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    fn text(&self) -> String {
        let body = if self.shape.is_empty() {
            self.cell(&[]).to_owned()
        } else {
            let mut index = Vec::new();
            self.block(0, &mut index, "array(".len())
        };
        // The shape and type follow the last line, or go on a line of their own (as numpy's).
        let tail = format!("shape={}, dtype={})", self.shape_text(), self.dtype);
        let last_line = body.rsplit('\n').next().unwrap_or("");
        let column = if body.contains('\n') {
            0
        } else {
            "array(".len()
        };
        if column + last_line.chars().count() + 2 + tail.len() > LINE_WIDTH {
            format!("array({body},\n      {tail}")
        } else {
            format!("array({body}, {tail}")
        }
    }

    /// The bracketed text of the sub-array at `index` (its first `axis` coordinates), whose
    /// opening bracket sits at column `column`.
    fn block(&self, axis: usize, index: &mut Vec<usize>, column: usize) -> String {
        let last = axis + 1 == self.shape.len();
        let inner = " ".repeat(column + 1);
        let mut parts = Vec::new();
        for kept in &self.kept[axis] {
            match kept {
                None => parts.push("...".to_owned()),
                Some(i) => {
                    index.push(*i);
                    parts.push(if last {
                        format!("{:>w$}", self.cell(index), w = self.width)
                    } else {
                        self.block(axis + 1, index, column + 1)
                    });
                    index.pop();
                }
            }
        }
        if last {
            return format!("[{}]", wrap(&parts, column + 1));
        }
        let gap = "\n".repeat(self.shape.len() - axis - 1);
        format!("[{}]", parts.join(&format!(",{gap}{inner}")))
    }

    fn html(&self) -> String {
        let caption = format!(
            "<caption style=\"caption-side:bottom;text-align:left\">shape {}, dtype {}</caption>",
            self.shape_text(),
            escape_html(&self.dtype)
        );
        let (rows, columns): (Vec<Option<usize>>, Vec<Option<usize>>) = match self.kept.as_slice() {
            [columns] => (vec![Some(0)], columns.clone()),
            [rows, columns] => (rows.clone(), columns.clone()),
            _ => return format!("<pre>{}</pre>", escape_html(&self.text())),
        };
        let mut html = format!("<table>{caption}");
        for row in &rows {
            html.push_str("<tr>");
            for column in &columns {
                let text = match (row, column, self.shape.len()) {
                    (Some(_), Some(c), 1) => self.cell(&[*c]).to_owned(),
                    (Some(r), Some(c), _) => self.cell(&[*r, *c]).to_owned(),
                    (None, _, _) => "⋮".to_owned(),
                    (_, None, _) => "…".to_owned(),
                };
                html.push_str(&format!(
                    "<td style=\"text-align:right\">{}</td>",
                    escape_html(&text)
                ));
            }
            html.push_str("</tr>");
        }
        html + "</table>"
    }
}

fn collect<A: Debug>(
    array: &ArrayViewD<'_, A>,
    kept: &[Vec<Option<usize>>],
    axis: usize,
    index: &mut Vec<usize>,
    cells: &mut HashMap<Vec<usize>, String>,
) {
    if axis == array.ndim() {
        cells.insert(index.clone(), format!("{:?}", array[IxDyn(index)]));
        return;
    }
    for i in kept[axis].iter().flatten() {
        index[axis] = *i;
        collect(array, kept, axis + 1, index, cells);
    }
}

/// Joins a row's entries with ", ", breaking lines before `LINE_WIDTH`, continuation lines
/// indented to `column`.
fn wrap(parts: &[String], column: usize) -> String {
    let mut out = String::new();
    let mut at = column;
    for (k, part) in parts.iter().enumerate() {
        if k > 0 {
            if at + 2 + part.len() + 2 > LINE_WIDTH {
                out.push_str(",\n");
                out.push_str(&" ".repeat(column));
                at = column;
            } else {
                out.push_str(", ");
                at += 2;
            }
        }
        out.push_str(part);
        at += part.len();
    }
    out
}
