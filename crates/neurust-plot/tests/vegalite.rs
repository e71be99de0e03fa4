//! Figures as Vega-Lite specs: what each chart of the spec holds, and which figures have none.

use neurust_display::Displayable;
use neurust_plot::{Figure, TAB10, bar, hist, imshow, plot, plot_history, plot_xy, scatter};
use serde_json::{Value, json};

const MIME: &str = "application/vnd.vegalite.v5+json";

fn spec(fig: &Figure) -> Value {
    let text = fig.vegalite().expect("the figure has a spec");
    serde_json::from_str(&text).expect("the spec is JSON")
}

/// The (x, y) points of a layer's data.
fn points(layer: &Value) -> Vec<(f64, f64)> {
    layer["data"]["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["x"].as_f64().unwrap(), v["y"].as_f64().unwrap()))
        .collect()
}

fn history() -> neurust_nn::History {
    let mut h = neurust_nn::History {
        epoch: vec![0, 1, 2],
        ..Default::default()
    };
    for (key, values) in [
        ("accuracy", [0.91, 0.95, 0.97]),
        ("val_accuracy", [0.93, 0.96, 0.965]),
        ("loss", [0.3, 0.15, 0.1]),
        ("val_loss", [0.25, 0.14, 0.12]),
    ] {
        h.history.insert(key.to_string(), values.to_vec());
    }
    h
}

#[test]
fn training_curves_are_two_charts_of_the_recorded_values() {
    let fig = plot_history(&history()).unwrap();
    let spec = spec(&fig);
    assert_eq!(
        spec["$schema"],
        "https://vega.github.io/schema/vega-lite/v5.json"
    );
    assert_eq!(spec["columns"], 2);
    let charts = spec["concat"].as_array().unwrap();
    assert_eq!(charts.len(), 2);
    assert_eq!(charts[0]["title"], "Accuracy");
    assert_eq!(charts[1]["title"], "Loss");
    let layers = charts[0]["layer"].as_array().unwrap();
    let shared = &charts[0]["encoding"];
    assert_eq!(layers.len(), 2);
    assert_eq!(
        points(&layers[0]),
        vec![(1.0, 0.91), (2.0, 0.95), (3.0, 0.97)]
    );
    assert_eq!(
        points(&layers[1]),
        vec![(1.0, 0.93), (2.0, 0.96), (3.0, 0.965)]
    );
    assert_eq!(layers[0]["mark"]["type"], "line");
    assert_eq!(layers[0]["mark"]["point"], true);
    let color = &shared["color"];
    assert_eq!(color["scale"]["domain"], json!(["training", "validation"]));
    assert_eq!(color["scale"]["range"], json!(["#1f77b4", "#ff7f0e"]));
    assert_eq!(shared["x"]["axis"]["title"], "epoch");
    assert_eq!(
        shared["x"]["axis"]["tickMinStep"], 1,
        "epochs are whole numbers"
    );
    assert_eq!(shared["y"]["axis"]["title"], "accuracy");
    assert_eq!(layers[0]["data"]["values"][0]["series"], "training");
    let tips: Vec<&str> = shared["tooltip"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["field"].as_str().unwrap())
        .collect();
    assert_eq!(tips, ["series", "x", "y"]);
}

#[test]
fn a_skipped_point_breaks_the_line_and_never_reaches_the_json() {
    let mut fig = Figure::new();
    fig.ax(0)
        .unwrap()
        .plot([1.0, 2.0, 3.0, 4.0], [1.0, f64::NAN, 3.0, 4.0])
        .unwrap()
        .label("loss");
    let spec = spec(&fig);
    // Only the finite points, each with numbers (JSON has no NaN; serde_json would write null).
    assert_eq!(
        points(&spec["layer"][0]),
        vec![(1.0, 1.0), (3.0, 3.0), (4.0, 4.0)]
    );
    let values = spec["layer"][0]["data"]["values"].as_array().unwrap();
    let parts: Vec<i64> = values.iter().map(|v| v["part"].as_i64().unwrap()).collect();
    assert_eq!(parts, [0, 1, 1], "the line breaks where the NaN was");
    assert_eq!(values[0]["series"], "loss (1 NaN skipped)");
    assert_eq!(spec["layer"][0]["encoding"]["detail"]["field"], "part");
    // A curve with nothing skipped needs no parts.
    let whole = plot([1.0, 2.0]).unwrap().vegalite().unwrap();
    assert!(!whole.contains("part"), "{whole}");
}

#[test]
fn the_one_liners_have_specs_of_their_marks() {
    let line = spec(&plot([3.0, 1.0, 2.0]).unwrap());
    assert_eq!(line["layer"][0]["mark"]["type"], "line");
    assert_eq!(
        points(&line["layer"][0]),
        vec![(0.0, 3.0), (1.0, 1.0), (2.0, 2.0)]
    );
    // Unlabelled: a fixed colour and no legend.
    assert_eq!(line["layer"][0]["mark"]["color"], "#1f77b4");
    assert!(line["encoding"].get("color").is_none());
    assert!(
        line["layer"][0]["data"]["values"][0]
            .get("series")
            .is_none()
    );

    let xy = spec(&plot_xy([10.0, 20.0], [1.0, 2.0]).unwrap());
    let halves = spec(&plot_xy([0.5, 1.0], [1.0, 2.0]).unwrap());
    assert!(halves["encoding"]["x"]["axis"].get("tickMinStep").is_none());
    assert_eq!(points(&xy["layer"][0]), vec![(10.0, 1.0), (20.0, 2.0)]);

    let dots = spec(&scatter([1.0, 2.0], [2.0, 1.0]).unwrap());
    assert_eq!(dots["layer"][0]["mark"]["type"], "point");

    let h = spec(&hist([0.0, 0.0, 1.0, 2.0], 2).unwrap());
    let layer = &h["layer"][0];
    assert_eq!(layer["mark"]["type"], "rect");
    let heights: Vec<f64> = layer["data"]["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["y"].as_f64().unwrap())
        .collect();
    assert_eq!(heights, [2.0, 2.0]);
    assert_eq!(h["encoding"]["y"]["scale"]["zero"], true);
}

#[test]
fn bar_labels_become_the_axis_labels_quoted_for_vega() {
    let b = spec(&bar(&["cat", "it's"], [3.0, 5.0]).unwrap());
    let axis = &b["encoding"]["x"]["axis"];
    assert_eq!(axis["values"], json!([0.0, 1.0]));
    assert_eq!(
        axis["labelExpr"],
        "datum.value == 0 ? 'cat' : datum.value == 1 ? 'it\\'s' : ''"
    );
    let fills: Vec<&str> = b["layer"][0]["data"]["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["fill"].as_str().unwrap())
        .collect();
    assert_eq!(fills, ["#1f77b4", "#1f77b4"]);
}

#[test]
fn edits_after_the_call_show_in_the_spec() {
    let mut fig = plot([1.0, 2.0]).unwrap();
    fig.ax(0)
        .unwrap()
        .title("Loss")
        .xlabel("step")
        .ylim(0.0, 5.0)
        .grid(true);
    fig.ax(0)
        .unwrap()
        .plot([0.0, 1.0], [2.0, 2.0])
        .unwrap()
        .label("b")
        .dashed();
    let s = spec(&fig);
    assert_eq!(s["title"], "Loss");
    let second = &s["layer"][1];
    assert_eq!(second["mark"]["strokeDash"], json!([6, 4]));
    assert_eq!(s["encoding"]["color"]["scale"]["domain"], json!(["b"]));
    assert_eq!(s["encoding"]["color"]["scale"]["range"], json!(["#ff7f0e"]));
    // The first curve has no label: its own colour, over the legend's scale.
    assert_eq!(s["layer"][0]["encoding"]["color"]["value"], "#1f77b4");
    assert_eq!(s["encoding"]["x"]["axis"]["title"], "step");
    assert_eq!(s["encoding"]["x"]["axis"]["grid"], true);
    assert_eq!(s["encoding"]["y"]["scale"]["domain"], json!([0.0, 5.0]));
    assert_eq!(TAB10[1], [0xff, 0x7f, 0x0e]);
}

#[test]
fn images_annotations_and_empty_subplots_have_no_spec() {
    assert!(
        imshow(&ndarray::array![[0.0, 1.0], [1.0, 0.0]])
            .unwrap()
            .vegalite()
            .is_none()
    );
    let mut noted = plot([1.0, 2.0]).unwrap();
    noted.ax(0).unwrap().text(0.5, 1.5, "note");
    assert!(noted.vegalite().is_none());
    let mut half = Figure::new().subplots(1, 2);
    half.ax(0).unwrap().plot([1.0], [1.0]).unwrap();
    assert!(half.vegalite().is_none(), "the second subplot is empty");
}

#[test]
fn the_display_bundle_carries_the_spec_beside_the_svg() {
    let curves = plot([1.0, 2.0]).unwrap().mime_bundle();
    assert!(curves.get("image/svg+xml").is_some());
    let spec: Value = serde_json::from_str(curves.get(MIME).unwrap()).unwrap();
    assert_eq!(spec["layer"][0]["mark"]["type"], "line");
    let picture = imshow(&ndarray::array![[0.0, 1.0], [1.0, 0.0]])
        .unwrap()
        .mime_bundle();
    assert!(picture.get("image/svg+xml").is_some());
    assert!(picture.get(MIME).is_none());
}
