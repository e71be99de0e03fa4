#![allow(clippy::needless_borrows_for_generic_args)] // the calls mirror notebook code: `imshow(&x)`
//! matplotlib's one-liners: one call, one figure that shows as a cell's result, and bad input a
//! clear error.

use ndarray::{Array2, Array3, array, s};
use neurust_plot::{Displayable, bar, hist, imshow, plot, plot_xy, scatter};

#[test]
fn each_one_liner_draws_its_mark_on_one_axes() {
    let digits = Array3::<u8>::from_shape_fn((2, 28, 28), |(i, r, c)| (i + r * c) as u8);
    let shown = imshow(&digits.slice(s![0, .., ..])).expect("imshow");
    assert_eq!(shown.len(), 1);
    assert!(
        shown.to_svg().expect("svg").contains("<image"),
        "the digit is an embedded image"
    );
    let bundle = shown.mime_bundle();
    assert!(bundle.get("image/svg+xml").is_some(), "shows as a figure");

    let line = plot(&[0.43, 0.13, 0.09])
        .expect("plot")
        .to_svg()
        .expect("svg");
    let line_xy = plot_xy(&[0, 1, 2], &[0.43, 0.13, 0.09])
        .expect("plot_xy")
        .to_svg()
        .expect("svg");
    assert_eq!(
        line, line_xy,
        "plot(ys) puts ys at x = 0, 1, 2, as matplotlib does"
    );

    let labels = array![5u8, 0, 4, 1, 9, 2, 1, 3, 1, 4];
    assert!(
        hist(&labels, 10)
            .expect("hist")
            .to_svg()
            .expect("svg")
            .contains("<rect")
    );
    let bars = bar(&["zero", "one"], &[3, 5])
        .expect("bar")
        .to_svg()
        .expect("svg");
    assert!(
        bars.contains("zero") && bars.contains("one"),
        "labels name the bars"
    );
    assert!(scatter(&[1.0, 2.0], &[3.0, 4.0]).is_ok());
}

#[test]
fn a_figure_from_a_one_liner_keeps_the_figure_api() {
    let mut fig = imshow(&Array2::<f32>::zeros((28, 28))).expect("imshow");
    fig.ax(0).expect("axes").title("five");
    assert!(fig.to_svg().expect("svg").contains("five"));
}

#[test]
fn bad_input_is_an_error_that_says_what_was_wrong() {
    let message = |e: neurust_plot::PlotError| e.to_string();
    assert!(plot(&[] as &[f64]).is_err(), "no points");
    assert!(plot(&[f64::NAN, f64::NAN]).is_err(), "no finite point");
    let e = message(plot_xy(&[1.0, 2.0], &[1.0]).unwrap_err());
    assert!(e.contains('2') && e.contains('1'), "{e}");
    let e = message(bar(&["a", "b", "c"], &[1, 2]).unwrap_err());
    assert!(e.contains("3 labels for 2 heights"), "{e}");
    assert!(hist(&[1.0, 2.0], 0).is_err(), "zero bins");
    assert!(
        imshow(&Array2::<f32>::zeros((0, 28))).is_err(),
        "an empty image"
    );
}
