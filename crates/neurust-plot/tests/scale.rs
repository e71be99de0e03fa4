//! Axes' scales at the extremes: a data range in the subnormals, equal limits, points far
//! outside the limits or at infinity. Each figure still draws, in bounded time, instead of
//! looping, allocating without end or panicking.

// Notebook style: pass data by reference, as users will.
#![allow(clippy::needless_borrows_for_generic_args)]

use std::sync::mpsc;
use std::time::Duration;

use neurust_plot::Figure;

/// Runs `f` on another thread and fails (instead of hanging the test run) if it takes longer
/// than a few seconds.
fn within_seconds<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(20))
        .expect("did not finish: an endless loop or a runaway allocation")
}

/// A curve whose values differ only in the subnormal range (say, a quantity that decayed to
/// ~1e-320) made the tick step 0: an endless tick loop with 2-GB labels.
#[test]
fn a_curve_with_a_subnormal_range_renders() {
    let svg = within_seconds(|| {
        let mut fig = Figure::new();
        fig.ax(0)
            .unwrap()
            .plot(&[0.0, 1.0, 2.0], &[0.0, 5e-324, 1e-323])
            .unwrap();
        fig.to_svg()
    })
    .unwrap();
    assert!(svg.contains("</svg>"));
}

/// Equal limits (or limits zoomed far into the data) put points ~2^31 pixels away: a dashed
/// line to them was cut into hundreds of millions of dashes (gigabytes, then an abort).
#[test]
fn a_dashed_curve_with_equal_limits_renders() {
    let (svg, png) = within_seconds(|| {
        let mut fig = Figure::new();
        let ax = fig.ax(0).unwrap();
        ax.plot(&[0.0, 1.0, 2.0], &[1.0, 2.0, 3.0])
            .unwrap()
            .dashed()
            .label("val_loss");
        ax.xlim(1.0, 1.0).ylim(3.0, 3.0).legend().grid(true);
        (fig.to_svg(), fig.to_png())
    });
    assert!(svg.unwrap().contains("</svg>"));
    assert!(png.unwrap().starts_with(b"\x89PNG"));
}

/// Text at an infinite coordinate, or far outside zoomed limits, landed near i32::MAX and
/// overflowed the bitmap backend's glyph arithmetic (a panic with overflow checks on).
#[test]
fn text_at_infinity_or_far_outside_the_limits_renders() {
    let mut fig = Figure::new();
    let ax = fig.ax(0).unwrap();
    ax.plot(&[1, 2], &[1, 2]).unwrap();
    ax.text(f64::NAN, f64::INFINITY, "nowhere");
    ax.text(9.0, 9.0, "far away");
    ax.xlim(0.0, 1e-12);
    assert!(fig.to_png().unwrap().starts_with(b"\x89PNG"));
    assert!(fig.to_svg().unwrap().contains("</svg>"));
}
