//! HTML tables for the nn results, with text/plain fallbacks.

// Notebook style: pass data by reference, as users will.
#![allow(clippy::needless_borrows_for_generic_args)]

use std::collections::BTreeMap;

use neurust_nn::{Evaluation, History, Summary, SummaryRow};
use neurust_plot::{NnDisplay, evaluation_table, summary_table};

fn summary() -> Summary {
    let row = |name: &str, class: &str, shape: Option<Vec<usize>>, params| SummaryRow {
        name: name.into(),
        class_name: class.into(),
        output_shape: shape,
        params,
    };
    Summary {
        model_name: "sequential".into(),
        rows: vec![
            row("flatten", "Flatten", Some(vec![784]), 0),
            row("dense", "Dense", Some(vec![256]), 200_960),
            row("dense_1", "Dense", Some(vec![10]), 2_570),
        ],
        total_params: 203_530,
        trainable_params: 203_530,
        non_trainable_params: 0,
    }
}

#[test]
fn summary_is_an_html_table_with_keras_text_fallback() {
    let b = summary().mime_bundle();
    let html = b.get("text/html").unwrap();
    assert_eq!(html.matches("<tr>").count(), 4, "header + 3 layers");
    assert!(html.contains(
        "<td>dense (Dense)</td><td>(None, 256)</td><td style=\"text-align:right\">200,960</td>"
    ));
    assert!(html.contains("Total params: 203,530"));
    assert!(b.text_plain().contains("Total params: 203,530"));
    assert!(summary_table(&summary()).text().contains("dense_1 (Dense)"));
}

#[test]
fn evaluation_is_a_table() {
    let e = Evaluation::new(vec![("loss".into(), 0.0712), ("accuracy".into(), 0.9784)]);
    let b = e.mime_bundle();
    assert!(
        b.get("text/html")
            .unwrap()
            .contains("<td>accuracy</td><td style=\"text-align:right\">0.9784</td>")
    );
    assert_eq!(b.text_plain(), "accuracy: 0.9784 - loss: 0.0712");
    assert_eq!(
        evaluation_table(&e).text(),
        "metric     value\naccuracy  0.9784\nloss      0.0712"
    );
}

#[test]
fn history_displays_as_curves_and_table() {
    let mut h = History {
        history: BTreeMap::new(),
        epoch: vec![0, 1, 2],
    };
    h.history.insert("loss".into(), vec![0.4, 0.2, 0.1]);
    h.history.insert("val_loss".into(), vec![0.3, 0.25, 0.2]);
    h.history.insert("accuracy".into(), vec![0.88, 0.95, 0.97]);
    h.history
        .insert("val_accuracy".into(), vec![0.93, 0.95, 0.96]);
    let b = h.mime_bundle();
    let html = b.get("text/html").unwrap();
    assert!(html.contains("<img src=\"data:image/svg+xml;base64,"));
    assert_eq!(html.matches("<tr>").count(), 4);
    assert!(
        b.text_plain()
            .starts_with("epoch  accuracy    loss  val_accuracy  val_loss"),
        "{:?}",
        b.text_plain()
    );
    let fig = neurust_plot::plot_history(&h).unwrap();
    assert_eq!(fig.len(), 2);
}
