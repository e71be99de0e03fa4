//! Arrays as cell results read like numpy's: elements, shape and element type, large arrays
//! summarised, columns aligned, no strides or layout.

use ndarray::{Array1, Array2, Array3, arr0, array, s};
use neurust_plot::{ArrayResult, array_text};

#[test]
fn small_arrays_show_every_element_with_shape_and_type() {
    assert_eq!(
        array_text(&array![5u8, 0, 4]),
        "array([5, 0, 4], shape=(3,), dtype=u8)"
    );
    assert_eq!(array_text(&arr0(5i32)), "array(5, shape=(), dtype=i32)");
    assert_eq!(
        array_text(&Array1::<f32>::zeros(0)),
        "array([], shape=(0,), dtype=f32)"
    );
    assert_eq!(
        array_text(&array![0.5f32, 1.0]),
        "array([0.5, 1.0], shape=(2,), dtype=f32)"
    );
    assert_eq!(
        array_text(&array![true, false]),
        "array([ true, false], shape=(2,), dtype=bool)"
    );
}

#[test]
fn rows_are_aligned_under_each_other() {
    assert_eq!(
        array_text(&array![[1i64, 10], [100, 2]]),
        "array([[  1,  10],\n       [100,   2]], shape=(2, 2), dtype=i64)"
    );
}

#[test]
fn large_arrays_keep_three_entries_at_each_end_of_each_axis() {
    let images = Array3::<u8>::from_shape_fn((60000, 28, 28), |(i, r, c)| ((i + r + c) % 7) as u8);
    let text = array_text(&images);
    assert!(
        text.ends_with(", shape=(60000, 28, 28), dtype=u8)"),
        "{text}"
    );
    let first_block = "array([[[0, 1, 2, ..., 4, 5, 6],\n        [1, 2, 3, ..., 5, 6, 0],\n        [2, 3, 4, ..., 6, 0, 1],\n        ...,\n";
    assert!(text.starts_with(first_block), "{text}");
    assert!(text.contains("]],\n\n       ...,\n\n       [["), "{text}");
    // 3 x 3 x 3 blocks of 7 x 7 entries at most, whatever the size.
    assert!(text.len() < 2000, "{} characters", text.len());
    assert_eq!(text.matches("...").count(), 6 * 7 + 1, "{text}");
}

#[test]
fn long_rows_wrap_within_75_columns() {
    let xs = Array1::from_shape_fn(100, |i| i as u32);
    let text = array_text(&xs);
    assert!(text.lines().all(|l| l.chars().count() <= 75), "{text}");
    assert!(
        text.lines().skip(1).all(|l| l.starts_with("      ")),
        "{text}"
    );
    assert!(
        text.ends_with("99],\n      shape=(100,), dtype=u32)"),
        "{text}"
    );
    let numbers: Vec<u32> = text["array([".len()..text.find(']').unwrap()]
        .split(',')
        .map(|n| n.trim().parse().unwrap())
        .collect();
    assert_eq!(numbers, (0..100).collect::<Vec<_>>());
}

#[test]
fn views_show_their_own_elements() {
    let a = Array2::from_shape_fn((3, 4), |(r, c)| 10 * r + c);
    assert_eq!(
        array_text(&a.slice(s![.., 1])),
        "array([ 1, 11, 21], shape=(3,), dtype=usize)"
    );
    assert_eq!(
        array_text(&a.t().slice(s![..2, ..])),
        "array([[ 0, 10, 20],\n       [ 1, 11, 21]], shape=(2, 3), dtype=usize)"
    );
}

#[test]
fn the_html_form_is_a_small_table_with_the_shape_and_type() {
    let pixels = Array2::<u8>::zeros((60000, 784));
    let bundle = neurust_plot::array_bundle(&pixels);
    let html = bundle.get("text/html").expect("html");
    assert!(html.starts_with("<table>"), "{html}");
    assert!(html.contains("shape (60000, 784), dtype u8"), "{html}");
    assert_eq!(
        html.matches("<tr>").count(),
        7,
        "3 rows, the elided one, 3 rows"
    );
    assert_eq!(html.matches("<td").count(), 49);
    assert!(html.contains("⋮") && html.contains("…"));
    assert_eq!(bundle.text_plain(), array_text(&pixels));
}

#[test]
fn showing_an_array_does_not_move_it() {
    let labels = array![1u8, 2, 3];
    labels.evcxr_display();
    labels.view().evcxr_display();
    assert_eq!(labels.len(), 3);
}
