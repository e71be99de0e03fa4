//! Writes the tutorial's figures as SVG and PNG to `<target>/neurust-plot/` so a
//! person can look at them (run `cargo test -p neurust-plot --test look`).

// Notebook style: pass data by reference, as users will.
#![allow(clippy::needless_borrows_for_generic_args)]

mod common;

use std::collections::BTreeMap;

use neurust_plot::{Figure, confusion_matrix, digit_grid, metrics_figure, misclassified_grid};

fn write(fig: &Figure, name: &str) {
    let dir = common::out_dir();
    for ext in ["svg", "png"] {
        let path = dir.join(format!("{name}.{ext}"));
        fig.save(&path).unwrap();
        assert!(
            std::fs::metadata(&path).unwrap().len() > 100,
            "{path:?} is too small"
        );
    }
}

#[test]
fn writes_figures_to_target() {
    let images = common::fake_digits(20);
    let labels: Vec<u8> = (0..20).map(|i| (i * 7 % 10) as u8).collect();
    write(&digit_grid(&images, &labels, 2, 5).unwrap(), "digit_grid");

    let mut m = BTreeMap::new();
    m.insert(
        "accuracy".to_string(),
        vec![0.8788, 0.9612, 0.9745, 0.9811, 0.9860],
    );
    m.insert(
        "val_accuracy".to_string(),
        vec![0.9578, 0.9680, 0.9717, 0.9742, 0.9751],
    );
    m.insert(
        "loss".to_string(),
        vec![0.4323, 0.1331, 0.0868, 0.0630, 0.0470],
    );
    m.insert(
        "val_loss".to_string(),
        vec![0.1481, 0.1102, 0.0958, 0.0891, 0.0860],
    );
    write(&metrics_figure(&m, None).unwrap(), "history");

    let y_true: Vec<u8> = (0..500).map(|i| (i % 10) as u8).collect();
    let y_pred: Vec<u8> = y_true
        .iter()
        .enumerate()
        .map(|(i, &t)| if i % 13 == 0 { (t + 3) % 10 } else { t })
        .collect();
    write(
        &confusion_matrix(&y_true, &y_pred).unwrap(),
        "confusion_matrix",
    );
    write(
        &misclassified_grid(
            &images,
            &labels,
            &labels
                .iter()
                .map(|l| (l + i_shift()) % 10)
                .collect::<Vec<u8>>(),
            8,
        )
        .unwrap(),
        "misclassified",
    );

    // imshow of a stack (a grid) and of an RGB array (colours, not a colormap).
    write(
        &neurust_plot::imshow(&images.slice(ndarray::s![..10, .., ..])).unwrap(),
        "imshow_stack",
    );
    let rgb = ndarray::Array3::from_shape_fn((24, 32, 3), |(r, c, ch)| match ch {
        0 => r as f32 / 23.0,
        1 => c as f32 / 31.0,
        _ => 0.5,
    });
    write(&neurust_plot::imshow(&rgb).unwrap(), "imshow_rgb");

    let mut fig = Figure::new().size(12.0, 3.5).subplots(1, 3);
    let ax = fig.ax(0).unwrap();
    ax.scatter(&[1.0, 2.0, 3.0, 4.0], &[2.0, 1.0, 4.0, 3.0])
        .unwrap()
        .label("points");
    ax.plot(&[1.0, 2.0, 3.0, 4.0], &[1.0, f64::NAN, 3.5, 4.0])
        .unwrap()
        .label("with gap")
        .dashed();
    ax.title("scatter + line").xlabel("x").ylabel("y").legend();
    let ax = fig.ax(1).unwrap();
    ax.bar(&[0, 1, 2, 3], &[5, 3, 4, 7])
        .unwrap()
        .label("counts");
    ax.title("bar").legend();
    let ax = fig.ax(2).unwrap();
    let samples: Vec<f64> = (0..1000)
        .map(|i| ((i as f64 * 0.37).sin() + (i as f64 * 0.11).cos()) * 2.0)
        .collect();
    ax.hist(&samples, 20).unwrap();
    ax.title("hist").grid(true);
    write(&fig, "marks");

    let history = neurust_nn::History {
        history: m.clone(),
        epoch: (0..5).collect(),
    };
    write(
        &neurust_plot::plot_history(&history).unwrap(),
        "plot_history",
    );
    let partial: BTreeMap<String, Vec<f64>> = m
        .iter()
        .map(|(k, v)| (k.clone(), v[..2].to_vec()))
        .collect();
    write(
        &neurust_plot::live::epoch_chart(&partial, 5).unwrap(),
        "live_chart",
    );

    // Tables and the progress bar as one HTML page.
    use neurust_plot::NnDisplay;
    let eval =
        neurust_nn::Evaluation::new(vec![("loss".into(), 0.0712), ("accuracy".into(), 0.9784)]);
    let mut view = neurust_plot::live::ProgressView {
        epochs: 5,
        steps: 1500,
        epoch: 3,
        step: 750,
        ..Default::default()
    };
    view.elapsed = std::time::Duration::from_millis(1500);
    view.logs = vec![("accuracy".into(), 0.9712), ("loss".into(), 0.0951)];
    let page = format!(
        "<html><body>{}<hr>{}<hr>{}</body></html>",
        history.mime_bundle().get("text/html").unwrap(),
        eval.mime_bundle().get("text/html").unwrap(),
        view.html()
    );
    std::fs::write(common::out_dir().join("tables.html"), page).unwrap();
}

fn i_shift() -> u8 {
    1
}
