//! End to end in a child process: `.show()` and `fit`'s live display under the
//! neurust kernel (protocol lines), stock evcxr (content blocks) and a plain program.
//!
//! Each test re-runs this test binary on one `child_*` test with the front end's
//! environment variable set, and inspects what it printed.

// Notebook style: pass data by reference, as users will.
#![allow(clippy::needless_borrows_for_generic_args)]

use std::process::Command;

use ndarray::{Array1, Array2};
use neurust_display::{Displayable, Message, decode};
use neurust_nn::{Dense, Flatten, Sequential};
use neurust_plot::{Figure, live};

/// Run test `name` in a child with `env` set; return its stdout.
fn child(name: &str, env: &[(&str, &str)]) -> String {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        name,
        "--exact",
        "--nocapture",
        "--ignored",
        "--test-threads=1",
    ]);
    cmd.env_remove("NEURUST_KERNEL")
        .env_remove("EVCXR_IS_RUNTIME");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn messages(stdout: &str) -> Vec<Message> {
    stdout
        .lines()
        .filter_map(decode)
        .map(|m| m.expect("valid protocol line"))
        .collect()
}

#[test]
#[ignore = "run by the routing tests in a child process"]
fn child_show_figure() {
    println!(); // end libtest's "test child_show_figure ... " line
    let mut fig = Figure::new().size_px(200, 150);
    fig.ax(0)
        .unwrap()
        .plot(&[1, 2, 3], &[3, 1, 2])
        .unwrap()
        .label("curve");
    fig.ax(0).unwrap().legend();
    fig.show();
    fig.evcxr_display();
}

#[test]
#[ignore = "run by the routing tests in a child process"]
fn child_fit() {
    println!(); // end libtest's "test child_fit ... " line
    live::install();
    let x = Array2::from_shape_fn((256, 4), |(i, j)| ((i * 7 + j) % 5) as f32 / 5.0);
    let y = Array1::from_shape_fn(256, |i| (i % 3) as u8);
    let mut model = Sequential::with_seed(1);
    model
        .add(Flatten::new().input_shape([4]))
        .add(Dense::new(3).activation("softmax"));
    model
        .compile("adam", "sparse_categorical_crossentropy", &["accuracy"])
        .unwrap();
    model
        .fit(&x, &y)
        .epochs(3)
        .batch_size(16)
        .validation_split(0.25)
        .run()
        .unwrap();
    println!("after fit");
}

#[test]
fn figure_under_the_neurust_kernel() {
    let out = child("child_show_figure", &[("NEURUST_KERNEL", "1")]);
    let msgs = messages(&out);
    assert_eq!(msgs.len(), 1, "{out}");
    let b = msgs[0].bundle().unwrap();
    assert!(b.get("image/svg+xml").unwrap().contains("curve"));
    // The cell-result hook uses evcxr's blocks even here (evcxr collects them).
    assert!(out.contains("EVCXR_BEGIN_CONTENT image/svg+xml\n<svg"));
}

#[test]
fn figure_under_stock_evcxr() {
    let out = child("child_show_figure", &[("EVCXR_IS_RUNTIME", "1")]);
    assert!(messages(&out).is_empty());
    assert_eq!(
        out.matches("EVCXR_BEGIN_CONTENT image/svg+xml\n").count(),
        2,
        "show + result"
    );
    assert!(out.contains(
        "EVCXR_BEGIN_CONTENT text/plain\n<Figure size 200x150 with 1 Axes>\nEVCXR_END_CONTENT"
    ));
}

#[test]
fn figure_in_a_plain_program_says_where_it_is_saved() {
    let out = child("child_show_figure", &[]);
    let line = out.lines().find(|l| l.contains("saved to")).expect(&out);
    let path = line
        .split("saved to ")
        .nth(1)
        .unwrap()
        .split(" (open")
        .next()
        .unwrap();
    assert!(std::fs::read_to_string(path).unwrap().starts_with("<svg"));
}

#[test]
fn fit_shows_live_bar_and_chart_under_the_neurust_kernel() {
    let out = child("child_fit", &[("NEURUST_KERNEL", "1")]);
    let msgs = messages(&out);
    let ids: Vec<&str> = msgs.iter().filter_map(|m| m.display_id()).collect();
    let bar = ids[0];
    let chart = ids.iter().find(|i| **i != bar).expect("a chart");
    let displays: Vec<&Message> = msgs
        .iter()
        .filter(|m| matches!(m, Message::Display { .. }))
        .collect();
    assert_eq!(displays.len(), 2, "bar and chart each displayed once");
    assert_eq!(
        msgs.iter()
            .filter(|m| m.display_id() == Some(chart))
            .count(),
        3,
        "one per epoch"
    );
    let last_bar = msgs
        .iter()
        .rev()
        .find(|m| m.display_id() == Some(bar))
        .unwrap()
        .bundle()
        .unwrap();
    assert!(last_bar.text_plain().contains("Epoch 3/3"));
    assert!(last_bar.text_plain().contains("val_accuracy"));
    assert!(out.contains("\nafter fit\n"));
}

#[test]
fn fit_prints_keras_lines_elsewhere() {
    for env in [&[("EVCXR_IS_RUNTIME", "1")][..], &[]] {
        let out = child("child_fit", env);
        assert!(messages(&out).is_empty());
        assert_eq!(
            out.lines().filter(|l| l.starts_with("Epoch ")).count(),
            3,
            "{out}"
        );
        assert_eq!(
            out.lines()
                .filter(|l| l.contains(" - val_accuracy: "))
                .count(),
            3,
            "{out}"
        );
    }
}

#[test]
fn figure_bundle_falls_back_to_text_on_error_free_path() {
    let b = Figure::new().mime_bundle();
    assert!(b.get("image/svg+xml").is_some());
    assert_eq!(b.text_plain(), "<Figure size 640x480 with 1 Axes>");
}
