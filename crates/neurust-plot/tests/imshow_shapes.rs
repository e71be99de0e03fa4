//! `imshow` reads an array's shape as matplotlib does: (h, w) one image through a colormap,
//! (h, w, 3|4) a colour image, (n, h, w) a stack drawn as a grid; other shapes are errors.

// Notebook style: pass data by reference, as users will.
#![allow(clippy::needless_borrows_for_generic_args)]

mod common;

use common::embedded_pngs;
use ndarray::{Array1, Array2, Array3, Array4, s};
use neurust_plot::{Colormap, Figure, PlotError, imshow};

/// Image `i` of a stack: every value 0..=255 occurs, so its own min..max is 0..255.
fn stack(n: usize) -> Array3<u8> {
    Array3::from_shape_fn((n, 28, 28), |(i, r, c)| ((r * 28 + c + 37 * i) % 256) as u8)
}

#[test]
fn a_stack_is_a_near_square_grid_of_its_images_in_order() {
    let images = stack(5);
    let fig = imshow(&images).unwrap();
    assert_eq!(fig.len(), 6, "5 images on a 2 × 3 grid");
    let svg = fig.to_svg().unwrap();
    let pngs = embedded_pngs(&svg);
    assert_eq!(pngs.len(), 5, "one tile per image, the sixth cell blank");
    for (i, png) in pngs.iter().enumerate() {
        let k = png.width() / 28;
        assert_eq!((png.width(), png.height()), (28 * k, 28 * k));
        for (r, c) in [(0u32, 0u32), (5, 17), (27, 27)] {
            let expected = Colormap::Viridis.level(images[[i, r as usize, c as usize]]);
            assert_eq!(png.get_pixel(c * k, r * k).0, expected, "image {i}");
        }
    }
    // 16 images are 4 × 4, as digit grids are laid out.
    assert_eq!(imshow(&stack(16)).unwrap().len(), 16);
}

#[test]
fn stacks_come_as_views_owned_arrays_and_floats() {
    let x_train = stack(40);
    let fig = imshow(&x_train.slice(s![0..16, .., ..])).unwrap();
    assert_eq!(embedded_pngs(&fig.to_svg().unwrap()).len(), 16);
    let floats = x_train.mapv(|v| v as f32 / 255.0);
    let fig = imshow(&floats.slice(s![..3, .., ..])).unwrap();
    assert_eq!(fig.len(), 4, "3 images on a 2 × 2 grid");
    assert_eq!(embedded_pngs(&fig.to_svg().unwrap()).len(), 3);
    assert_eq!(
        imshow(floats.view()).unwrap().len(),
        42,
        "40 images on 6 rows of 7"
    );
}

/// An RGB image whose pixel (r, c) has a colour of its own.
fn rgb_u8() -> Array3<u8> {
    Array3::from_shape_fn((4, 6, 3), |(r, c, ch)| match ch {
        0 => (r * 60) as u8,
        1 => (c * 40) as u8,
        _ => 255 - (r * 10 + c * 7) as u8,
    })
}

fn pixel(img: &Array3<u8>, r: usize, c: usize) -> [u8; 3] {
    [img[[r, c, 0]], img[[r, c, 1]], img[[r, c, 2]]]
}

#[test]
fn rgb_u8_is_drawn_in_its_own_colours() {
    let input = rgb_u8();
    let svg = imshow(&input).unwrap().to_svg().unwrap();
    let pngs = embedded_pngs(&svg);
    assert_eq!(pngs.len(), 1, "one colour image, not a stack of 4");
    let png = &pngs[0];
    let k = png.width() / 6;
    assert_eq!((png.width(), png.height()), (6 * k, 4 * k));
    for r in 0..4 {
        for c in 0..6 {
            let at = png.get_pixel(c as u32 * k + k / 2, r as u32 * k + k / 2).0;
            assert_eq!(at, pixel(&input, r, c), "pixel ({r}, {c})");
        }
    }
}

#[test]
fn rgb_floats_are_0_to_1_and_the_png_output_has_the_same_colours() {
    let input = rgb_u8();
    let floats = input.mapv(|v| v as f32 / 255.0);
    let png = imshow(&floats).unwrap().to_png().unwrap();
    let png = image::load_from_memory(&png).unwrap().to_rgb8();
    // Where each input colour lands in the figure: it must be there, in the input's order.
    let centre = |want: [u8; 3]| {
        let hits: Vec<(u32, u32)> = png
            .enumerate_pixels()
            .filter(|(_, _, p)| p.0 == want)
            .map(|(x, y, _)| (x, y))
            .collect();
        assert!(!hits.is_empty(), "colour {want:?} is not drawn");
        let n = hits.len() as u32;
        (
            hits.iter().map(|h| h.0).sum::<u32>() / n,
            hits.iter().map(|h| h.1).sum::<u32>() / n,
        )
    };
    let top_left = centre(pixel(&input, 0, 0));
    let top_right = centre(pixel(&input, 0, 5));
    let bottom_left = centre(pixel(&input, 3, 0));
    assert!(top_right.0 > top_left.0 && top_right.1 == top_left.1);
    assert!(bottom_left.1 > top_left.1 && bottom_left.0 == top_left.0);
}

#[test]
fn rgba_blends_onto_white_and_out_of_range_values_are_clipped() {
    // Transparent red, opaque blue, integers above 255 and floats above 1 clipped.
    let rgba = Array3::from_shape_vec((1, 2, 4), vec![255u8, 0, 0, 0, 0, 0, 255, 255]).unwrap();
    let clipped_int = Array3::from_shape_vec((1, 1, 3), vec![300i32, -5, 128]).unwrap();
    let clipped_float = Array3::from_shape_vec((1, 1, 3), vec![1.5f64, -0.2, 0.0]).unwrap();
    let first = |fig: Figure| embedded_pngs(&fig.to_svg().unwrap())[0].clone();
    let png = first(imshow(&rgba).unwrap());
    let k = png.width() / 2;
    assert_eq!(png.get_pixel(0, 0).0, [255, 255, 255]);
    assert_eq!(png.get_pixel(k, 0).0, [0, 0, 255]);
    assert_eq!(
        first(imshow(&clipped_int).unwrap()).get_pixel(0, 0).0,
        [255, 0, 128]
    );
    assert_eq!(
        first(imshow(&clipped_float).unwrap()).get_pixel(0, 0).0,
        [255, 0, 0]
    );
}

#[test]
fn axes_imshow_takes_colour_images_but_not_stacks() {
    let mut fig = Figure::new();
    let ax = fig.ax(0).unwrap();
    ax.imshow(&rgb_u8()).unwrap();
    let e = ax.imshow(&stack(3)).unwrap_err();
    assert!(e.to_string().contains("stack of 3 images"), "{e}");
}

#[test]
fn shapes_imshow_cannot_show_are_errors_that_name_the_shape() {
    let invalid = |e: PlotError| match e {
        PlotError::Invalid(m) => m,
        other => panic!("expected Invalid, got {other:?}"),
    };
    let m = invalid(imshow(&Array4::<f32>::zeros((2, 28, 28, 1))).unwrap_err());
    assert!(m.contains("4-D") && m.contains("(2, 28, 28, 1)"), "{m}");
    let m = invalid(imshow(&Array1::<f32>::zeros(5)).unwrap_err());
    assert!(m.contains("(5,)"), "{m}");
    let empty = |e: PlotError| assert!(matches!(e, PlotError::Empty { .. }), "{e:?}");
    empty(imshow(&Array3::<u8>::zeros((0, 28, 28))).unwrap_err());
    empty(imshow(&Array3::<u8>::zeros((28, 28, 0))).unwrap_err());
    empty(imshow(&Array2::<u8>::zeros((28, 0))).unwrap_err());
    let mut nan = Array3::<f32>::zeros((2, 2, 3));
    nan[[1, 0, 2]] = f32::NAN;
    nan[[0, 1, 1]] = f32::INFINITY;
    let m = invalid(imshow(&nan).unwrap_err());
    assert!(m.contains("2 values") && m.contains("NaN"), "{m}");
    let m = invalid(imshow(&Array3::<u8>::zeros((300, 2, 2))).unwrap_err());
    assert!(m.contains("300 images") && m.contains("256"), "{m}");
}
