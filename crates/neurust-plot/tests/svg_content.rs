//! What the SVG of each figure must contain.

// Notebook style: pass data by reference, as users will.
#![allow(clippy::needless_borrows_for_generic_args)]

mod common;

use common::embedded_pngs;
use ndarray::Array2;
use neurust_plot::{Colormap, Figure, digit_grid};

/// The text content of every `<text>` element.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|s| {
            s.split_once('>')
                .and_then(|(_, r)| r.split_once("</text>"))
                .map(|(t, _)| t.trim().to_string())
        })
        .collect()
}

#[test]
fn digit_grid_2x5_has_10_images_and_10_titles() {
    let images = common::fake_digits(12);
    let labels = ndarray::Array1::from(vec![5u8, 0, 4, 1, 9, 2, 1, 3, 1, 4, 3, 5]);
    let svg = digit_grid(&images.view(), &labels, 2, 5)
        .unwrap()
        .to_svg()
        .unwrap();
    assert_eq!(svg.matches("<image ").count(), 10);
    assert_eq!(
        texts(&svg),
        ["5", "0", "4", "1", "9", "2", "1", "3", "1", "4"]
    );
    assert!(svg.contains("image-rendering:pixelated"));
    // Each embedded image is the digit, upscaled by a whole factor.
    for (i, png) in embedded_pngs(&svg).iter().enumerate() {
        assert_eq!(png.width() % 28, 0);
        let k = png.width() / 28;
        let v = images[[i, 14, 14]];
        let expected = Colormap::Viridis.level(v);
        assert_eq!(png.get_pixel(14 * k, 14 * k).0, expected);
    }
}

fn round_trip(cmap: Colormap) {
    let input = Array2::from_shape_fn((28, 28), |(r, c)| ((r * 37 + c * 101) % 256) as u8);
    let mut fig = Figure::new().size_px(300, 300);
    fig.ax(0)
        .unwrap()
        .imshow(&input)
        .unwrap()
        .cmap(cmap)
        .range(0.0, 255.0);
    let svg = fig.to_svg().unwrap();
    let pngs = embedded_pngs(&svg);
    assert_eq!(pngs.len(), 1);
    let png = &pngs[0];
    let k = png.width() / 28;
    assert_eq!((png.width(), png.height()), (28 * k, 28 * k));
    for ((r, c), v) in input.indexed_iter() {
        let expected = cmap.level(*v);
        // Every pixel of the block is the exact colour: nearest-neighbour, no blur.
        for (dy, dx) in [(0, 0), (k - 1, k - 1), (0, k - 1)] {
            let got = png.get_pixel(c as u32 * k + dx, r as u32 * k + dy).0;
            assert_eq!(got, expected, "pixel ({r}, {c}) with {cmap:?}");
        }
    }
    if cmap == Colormap::Gray {
        assert_eq!(cmap.level(200), [200, 200, 200]);
    }
    // The PNG rendering paints the same colours at cell centres.
    let out = image::load_from_memory(&fig.to_png().unwrap())
        .unwrap()
        .to_rgb8();
    let (x0, y0, w) = svg_image_rect(&svg);
    for (r, c) in [(0usize, 0usize), (5, 7), (27, 27), (13, 20)] {
        let px = (x0 + (c as f64 + 0.5) * w / 28.0) as u32;
        let py = (y0 + (r as f64 + 0.5) * w / 28.0) as u32;
        assert_eq!(out.get_pixel(px, py).0, cmap.level(input[[r, c]]));
    }
}

fn svg_image_rect(svg: &str) -> (f64, f64, f64) {
    let tag = &svg[svg.find("<image ").unwrap()..];
    let attr = |name: &str| -> f64 {
        let s = &tag[tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3..];
        s[..s.find('"').unwrap()].parse().unwrap()
    };
    assert!(
        (attr("width") - attr("height")).abs() < 1e-6,
        "square pixels"
    );
    (attr("x"), attr("y"), attr("width"))
}

#[test]
fn imshow_pixels_round_trip_viridis() {
    round_trip(Colormap::Viridis);
}

#[test]
fn imshow_pixels_round_trip_gray() {
    round_trip(Colormap::Gray);
}

#[test]
fn curve_svg_holds_series_axis_labels_and_legend() {
    let mut fig = Figure::new();
    let ax = fig.ax(0).unwrap();
    ax.plot(&[1, 2, 3, 4], &[0.5, 0.3, 0.2, 0.15])
        .unwrap()
        .label("training loss");
    ax.plot(&[1, 2, 3, 4], &[0.6, 0.45, 0.4, 0.38])
        .unwrap()
        .label("validation loss");
    ax.xlabel("epoch").ylabel("loss").title("Loss").legend();
    let svg = fig.to_svg().unwrap();
    let t = texts(&svg);
    for want in ["epoch", "loss", "Loss", "training loss", "validation loss"] {
        assert!(
            t.iter().any(|s| s == want),
            "missing text {want:?} in {t:?}"
        );
    }
    // Each series is one polyline of its 4 points in its tab10 colour.
    let lines: Vec<&str> = svg
        .split("<polyline")
        .skip(1)
        .filter(|s| s.contains("stroke-width=\"2\""))
        .collect();
    let with_points = |color: &str| {
        lines.iter().filter(|l| l.contains(color)).any(|l| {
            let pts = l.split("points=\"").nth(1).unwrap();
            pts[..pts.find('"').unwrap()].split_whitespace().count() == 4
        })
    };
    assert!(with_points("#1F77B4"), "blue series");
    assert!(with_points("#FF7F0E"), "orange series");
}

#[test]
fn nan_points_are_skipped_with_a_note() {
    let mut fig = Figure::new();
    let ax = fig.ax(0).unwrap();
    ax.plot(&[1.0, 2.0, 3.0, 4.0], &[0.5, f64::NAN, 0.3, f64::INFINITY])
        .unwrap()
        .label("loss");
    ax.legend();
    let svg = fig.to_svg().unwrap();
    assert!(texts(&svg).contains(&"loss (2 NaN skipped)".to_string()));
}
