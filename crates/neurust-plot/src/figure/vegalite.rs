//! A figure as a Vega-Lite spec, for front ends that draw charts themselves (JupyterLab renders
//! `application/vnd.vegalite.v5+json` with hover tooltips). The spec is derived from the figure
//! each time it is shown, so it always says what the SVG says. Figures with images or text
//! annotations have no spec: the SVG alone shows them.

use serde_json::{Map, Value, json};

use crate::Axes;
use crate::figure::Figure;
use crate::figure::marks::{Bars, Rgb, Series};

/// The MIME type of a Vega-Lite 5 spec.
pub(crate) const VEGALITE_MIME: &str = "application/vnd.vegalite.v5+json";

/// Room around each chart's plot area for its axes, title and legend, in pixels.
const FRAME: u32 = 90;

impl Figure {
    /// The figure as a Vega-Lite 5 spec (JSON), or `None` when it holds something a spec does
    /// not draw (an image, a text annotation, an empty subplot).
    ///
    /// ```
    /// let fig = neurust_plot::plot(&[0.5, 0.3, 0.2])?;
    /// let spec = fig.vegalite().expect("a curve has a spec");
    /// assert!(spec.contains("\"mark\""));
    /// assert!(neurust_plot::imshow(&ndarray::array![[0.0, 1.0], [1.0, 0.0]])?.vegalite().is_none());
    /// # Ok::<(), neurust_plot::PlotError>(())
    /// ```
    pub fn vegalite(&self) -> Option<String> {
        if self.axes.iter().any(|ax| !drawable(ax)) {
            return None;
        }
        let width = (self.width / self.cols as u32)
            .saturating_sub(FRAME)
            .max(60);
        let height = (self.height / self.rows as u32)
            .saturating_sub(FRAME)
            .max(60);
        let charts: Vec<Value> = self
            .axes
            .iter()
            .map(|ax| chart(ax, width, height))
            .collect();
        let mut spec = Map::new();
        spec.insert(
            "$schema".into(),
            json!("https://vega.github.io/schema/vega-lite/v5.json"),
        );
        if let Some(title) = &self.suptitle {
            spec.insert("title".into(), json!(title));
        }
        match <[Value; 1]>::try_from(charts) {
            Ok([Value::Object(one)]) => spec.extend(one),
            Ok(_) => return None,
            Err(charts) => {
                spec.insert("columns".into(), json!(self.cols));
                spec.insert("concat".into(), Value::Array(charts));
            }
        }
        serde_json::to_string(&Value::Object(spec)).ok()
    }
}

/// Whether a spec can draw everything the axes shows.
fn drawable(ax: &Axes) -> bool {
    ax.picture.is_none() && ax.notes.is_empty() && !(ax.series.is_empty() && ax.bars.is_empty())
}

/// One subplot: its marks as layers over shared axes, which the layers inherit from the
/// chart's encoding (so each layer holds only its data and what differs).
fn chart(ax: &Axes, width: u32, height: u32) -> Value {
    let frame = Frame::new(ax);
    let mut layers: Vec<Value> = ax.bars.iter().map(|b| bars_layer(b, &frame)).collect();
    layers.extend(ax.series.iter().map(|s| series_layer(s, &frame)));
    let mut encoding = json!({ "x": frame.x, "y": frame.y, "tooltip": frame.tooltip() });
    if let Some(color) = &frame.color {
        encoding["color"] = color.clone();
    }
    let mut chart =
        json!({ "width": width, "height": height, "encoding": encoding, "layer": layers });
    if let Some(title) = &ax.title {
        chart["title"] = json!(title);
    }
    chart
}

/// What every layer of one subplot shares: the axes' scales, axis titles and legend.
struct Frame {
    x: Value,
    y: Value,
    /// The colour scale of the labelled marks (legend text → colour), if any.
    color: Option<Value>,
}

impl Frame {
    fn new(ax: &Axes) -> Self {
        let zero = !ax.bars.is_empty();
        let mut x = json!({
            "field": "x", "type": "quantitative",
            "scale": scale(ax.xlim, false),
            "axis": axis(ax, ax.xlabel.as_deref(), ax.xticks.as_deref(), ax.xlabel_color),
        });
        // Epochs and indices: whole-number ticks only, as the SVG draws them.
        if ax.xticks.is_none() && ax.bars.is_empty() && whole_xs(ax) && x["axis"].is_object() {
            x["axis"]["tickMinStep"] = json!(1);
            x["axis"]["format"] = json!("d");
        }
        let y = json!({
            "field": "y", "type": "quantitative",
            "scale": scale(ax.ylim, zero),
            "axis": axis(ax, ax.ylabel.as_deref(), ax.yticks.as_deref(), None),
        });
        let labelled: Vec<(String, Rgb)> = ax
            .series
            .iter()
            .filter_map(|s| Some((s.legend_text()?, s.color)))
            .chain(
                ax.bars
                    .iter()
                    .filter_map(|b| Some((b.label.clone()?, b.color))),
            )
            .collect();
        let color = (!labelled.is_empty()).then(|| {
            let (domain, range): (Vec<_>, Vec<_>) =
                labelled.into_iter().map(|(l, c)| (l, hex(c))).unzip();
            let legend = if ax.legend {
                json!({ "title": null })
            } else {
                Value::Null
            };
            json!({
                "field": "series", "type": "nominal",
                "scale": { "domain": domain, "range": range },
                "legend": legend,
            })
        });
        Frame { x, y, color }
    }

    fn tooltip(&self) -> Value {
        let title = |enc: &Value, field: &str| {
            enc["axis"]["title"]
                .as_str()
                .map_or(json!(field), |t| json!(t))
        };
        let mut tips = vec![
            json!({ "field": "x", "type": "quantitative", "title": title(&self.x, "x"), "format": ".4~g" }),
            json!({ "field": "y", "type": "quantitative", "title": title(&self.y, "y"), "format": ".4~g" }),
        ];
        if self.color.is_some() {
            tips.insert(
                0,
                json!({ "field": "series", "type": "nominal", "title": null }),
            );
        }
        Value::Array(tips)
    }
}

/// Whether every finite x of the axes' curves is a whole number.
fn whole_xs(ax: &Axes) -> bool {
    ax.series
        .iter()
        .flat_map(|s| &s.xs)
        .filter(|x| x.is_finite())
        .all(|x| x.fract() == 0.0)
}

fn scale(limits: Option<(f64, f64)>, zero: bool) -> Value {
    match limits {
        Some((lo, hi)) if lo.is_finite() && hi.is_finite() => {
            json!({ "domain": [lo, hi], "zero": zero })
        }
        _ => json!({ "zero": zero }),
    }
}

fn axis(
    ax: &Axes,
    title: Option<&str>,
    ticks: Option<&[(f64, String)]>,
    color: Option<Rgb>,
) -> Value {
    if ax.axis_off {
        return Value::Null;
    }
    let mut axis = json!({ "title": title, "grid": ax.grid });
    if let Some(color) = color {
        axis["titleColor"] = json!(hex(color));
    }
    if let Some(ticks) = ticks.filter(|t| !t.is_empty()) {
        let values: Vec<f64> = ticks.iter().map(|(v, _)| *v).collect();
        // Each tick's own text, by position; Vega's expression language has no lookup table.
        let label = ticks
            .iter()
            .rev()
            .fold(String::from("''"), |rest, (v, text)| {
                format!("datum.value == {v} ? {} : {rest}", quote(text))
            });
        axis["values"] = json!(values);
        axis["labelExpr"] = json!(label);
    }
    axis
}

/// A curve or point cloud: its finite points, split where non-finite ones were skipped so the
/// line breaks there as in the SVG.
fn series_layer(s: &Series, frame: &Frame) -> Value {
    let name = s.legend_text();
    let mut part = 0;
    let mut values = Vec::with_capacity(s.xs.len());
    for (&x, &y) in s.xs.iter().zip(&s.ys) {
        if !(x.is_finite() && y.is_finite()) {
            part += 1;
            continue;
        }
        let mut point = json!({ "x": x, "y": y });
        if let Some(name) = &name {
            point["series"] = json!(name);
        }
        if s.skipped > 0 {
            point["part"] = json!(part);
        }
        values.push(point);
    }
    let mut mark = if s.line {
        json!({ "type": "line", "point": s.marker, "strokeWidth": 2 })
    } else {
        json!({ "type": "point", "filled": true, "opacity": 0.8 })
    };
    if s.dashed {
        mark["strokeDash"] = json!([6, 4]);
    }
    let mut layer = json!({ "data": { "values": values }, "mark": mark });
    if s.skipped > 0 {
        layer["encoding"]["detail"] = json!({ "field": "part" });
    }
    match (&name, &frame.color) {
        (Some(_), Some(_)) => {}
        // Not in the legend: its own colour, over the chart's colour scale if there is one.
        (None, Some(_)) => layer["encoding"]["color"] = json!({ "value": hex(s.color) }),
        (_, None) => layer["mark"]["color"] = json!(hex(s.color)),
    }
    layer
}

/// Bars from `bar` or `hist`: rectangles from `left` to `left + width`, up from zero.
fn bars_layer(b: &Bars, frame: &Frame) -> Value {
    let values: Vec<Value> = (0..b.heights.len())
        .filter(|&i| b.lefts[i].is_finite() && b.widths[i].is_finite() && b.heights[i].is_finite())
        .map(|i| {
            let color = b.each.get(i).copied().flatten().unwrap_or(b.color);
            let mut bar = json!({
                "x": b.lefts[i] + b.widths[i] / 2.0,
                "left": b.lefts[i], "right": b.lefts[i] + b.widths[i],
                "y": b.heights[i], "fill": hex(color),
            });
            if let Some(label) = &b.label {
                bar["series"] = json!(label);
            }
            bar
        })
        .collect();
    let mut x = frame.x.clone();
    x["field"] = json!("left");
    let encoding = json!({
        "x": x, "x2": { "field": "right" }, "y2": { "datum": 0 },
        // Its own channel: the colour scale is the labelled marks' (shared by all layers).
        "fill": { "field": "fill", "type": "nominal", "scale": null },
    });
    json!({
        "data": { "values": values },
        "mark": { "type": "rect", "stroke": "white", "strokeWidth": 0.5 },
        "encoding": encoding,
    })
}

fn hex([r, g, b]: Rgb) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// A string literal of Vega's expression language.
fn quote(text: &str) -> String {
    let mut out = String::from("'");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}
