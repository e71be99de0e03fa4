//! `prediction_grid`: TensorFlow's Fashion-MNIST picture of predictions, each image with its
//! predicted and true class (blue when right, red when wrong) beside a bar chart of the
//! probabilities (predicted bar red, true bar blue).

// Notebook style: pass data by reference, as users will.
#![allow(clippy::needless_borrows_for_generic_args)]

mod common;

use ndarray::{Array2, Array3, array, s};
use neurust_plot::{PlotError, prediction_grid};

const NAMES: [&str; 10] = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
];

/// Four images with true labels 0, 1, 2, 3: the first and third predicted right, the second
/// as a Sandal (60 %), the fourth as a Bag (55 %).
fn case() -> (Array3<u8>, Array2<f32>, ndarray::Array1<u8>) {
    let images = common::fake_digits(4);
    let mut p = Array2::<f32>::zeros((4, 10));
    p[[0, 0]] = 0.9;
    p[[0, 6]] = 0.1;
    p[[1, 5]] = 0.6;
    p[[1, 1]] = 0.3;
    p[[1, 7]] = 0.1;
    p[[2, 2]] = 1.0;
    p[[3, 8]] = 0.55;
    p[[3, 3]] = 0.45;
    (images, p, array![0u8, 1, 2, 3])
}

/// The `<text>` elements as (fill colour, text).
fn texts(svg: &str) -> Vec<(String, String)> {
    svg.split("<text")
        .skip(1)
        .filter_map(|s| {
            let (attrs, rest) = s.split_once('>')?;
            let fill = attrs
                .split("fill=\"")
                .nth(1)?
                .split('"')
                .next()?
                .to_string();
            let text = rest.split_once("</text>")?.0.trim().to_string();
            Some((fill, text))
        })
        .collect()
}

fn rects_filled(svg: &str, fill: &str) -> usize {
    svg.split("<rect")
        .skip(1)
        .filter(|r| {
            r.split('>')
                .next()
                .unwrap()
                .contains(&format!("fill=\"{fill}\""))
        })
        .count()
}

#[test]
fn labels_say_predicted_percent_and_true_class_in_blue_or_red() {
    let (images, p, labels) = case();
    let fig = prediction_grid(&images, &labels, &p, &NAMES, 2, 2).unwrap();
    assert_eq!(
        fig.len(),
        8,
        "an image and a chart for each of 4 predictions"
    );
    let svg = fig.to_svg().unwrap();
    let colour_of = |label: &str| {
        texts(&svg)
            .into_iter()
            .find(|(_, t)| t == label)
            .unwrap_or_else(|| panic!("no label {label:?} in {:?}", texts(&svg)))
            .0
            .to_ascii_uppercase()
    };
    assert_eq!(colour_of("T-shirt/top 90% (T-shirt/top)"), "#0000FF");
    assert_eq!(colour_of("Sandal 60% (Trouser)"), "#FF0000");
    assert_eq!(colour_of("Pullover 100% (Pullover)"), "#0000FF");
    assert_eq!(colour_of("Bag 55% (Dress)"), "#FF0000");
    assert_eq!(
        svg.matches("<image ").count(),
        4,
        "the four images, not more"
    );
}

#[test]
fn the_predicted_bar_is_red_the_true_bar_blue_and_the_rest_grey() {
    let (images, p, labels) = case();
    let svg = prediction_grid(&images, &labels, &p, &NAMES, 2, 2)
        .unwrap()
        .to_svg()
        .unwrap();
    // Two wrong predictions have a red bar; every image has a blue (true) bar.
    assert_eq!(rects_filled(&svg, "#FF0000"), 2);
    assert_eq!(rects_filled(&svg, "#0000FF"), 4);
    assert_eq!(rects_filled(&svg, "#777777"), 4 * 10 - 6);
}

#[test]
fn only_the_first_rows_times_cols_images_are_drawn() {
    let (images, p, labels) = case();
    // Views, and class names as owned strings.
    let names: Vec<String> = NAMES.iter().map(|n| n.to_string()).collect();
    let svg = prediction_grid(&images.view(), &labels, &p.view(), &names, 1, 2)
        .unwrap()
        .to_svg()
        .unwrap();
    assert_eq!(svg.matches("<image ").count(), 2);
    assert!(!svg.contains("Pullover 100%"));
    // One-hot labels work as integer ones (argmax taken).
    let one_hot = Array2::from_shape_fn((4, 10), |(i, c)| f32::from(u8::from(i == c)));
    assert!(prediction_grid(&images, &one_hot, &p, &NAMES, 2, 2).is_ok());
}

#[test]
fn bad_input_is_an_error_that_says_what_was_wrong() {
    let (images, p, labels) = case();
    let message = |r: Result<_, PlotError>| r.map(|_| ()).unwrap_err().to_string();
    let m = message(prediction_grid(
        &images,
        &labels.slice(s![..3]),
        &p,
        &NAMES,
        1,
        1,
    ));
    assert!(m.contains("4 images but 3 labels"), "{m}");
    let m = message(prediction_grid(
        &images,
        &labels,
        &p.slice(s![..3, ..]),
        &NAMES,
        1,
        1,
    ));
    assert!(m.contains("3 rows of predictions"), "{m}");
    let m = message(prediction_grid(&images, &labels, &p, &NAMES[..9], 1, 1));
    assert!(
        m.contains("10 columns") && m.contains("9 class names"),
        "{m}"
    );
    let m = message(prediction_grid(&images, &labels, &p, &NAMES, 3, 2));
    assert!(m.contains("needs 6 images but only 4"), "{m}");
    let m = message(prediction_grid(&images, &labels, &p, &NAMES, 0, 2));
    assert!(m.contains("no cells"), "{m}");
    let mut nan = p.clone();
    nan[[2, 4]] = f32::NAN;
    let m = message(prediction_grid(&images, &labels, &nan, &NAMES, 1, 1));
    assert!(m.contains("image 2") && m.contains("NaN"), "{m}");
    let logits = p.mapv(|v| 5.0 * v - 1.0);
    let m = message(prediction_grid(&images, &labels, &logits, &NAMES, 1, 1));
    assert!(m.contains("logits") && m.contains("softmax"), "{m}");
    let m = message(prediction_grid(
        &images,
        &array![0u8, 1, 2, 10],
        &p,
        &NAMES,
        1,
        1,
    ));
    assert!(m.contains("label 10 of image 3"), "{m}");
    let none = Array3::<u8>::zeros((0, 28, 28));
    let m = message(prediction_grid(
        &none,
        &Vec::<u8>::new(),
        &Array2::<f32>::zeros((0, 10)),
        &NAMES,
        1,
        1,
    ));
    assert!(m.contains("empty"), "{m}");
}

/// For a person to look at: `<target>/neurust-plot/prediction_grid.{svg,png}`.
#[test]
fn writes_the_figure_to_target() {
    let (images, p, labels) = case();
    let fig = prediction_grid(&images, &labels, &p, &NAMES, 2, 2).unwrap();
    for ext in ["svg", "png"] {
        fig.save(common::out_dir().join(format!("prediction_grid.{ext}")))
            .unwrap();
    }
}
