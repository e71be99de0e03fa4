//! Bad input gives a readable error, never a panic.

// Notebook style: pass data by reference, as users will.
#![allow(clippy::needless_borrows_for_generic_args)]

use ndarray::{Array1, Array2, Array3};
use neurust_plot::{Figure, PlotError, confusion_matrix, digit_grid, misclassified_grid};

#[test]
fn empty_arrays() {
    let mut fig = Figure::new();
    let ax = fig.ax(0).unwrap();
    let none: [f64; 0] = [];
    assert_eq!(
        ax.plot(none, none).unwrap_err(),
        PlotError::Empty { what: "plot" }
    );
    assert!(ax.imshow(&Array2::<f32>::zeros((0, 0))).is_err());
    assert!(ax.hist(none, 10).is_err());
    let e = digit_grid(&Array3::<u8>::zeros((0, 28, 28)), &Vec::<u8>::new(), 1, 1).unwrap_err();
    assert!(e.to_string().contains("empty"), "{e}");
    assert!(confusion_matrix(&Vec::<u8>::new(), &Vec::<u8>::new()).is_err());
}

#[test]
fn all_nan_curve_is_an_error() {
    let mut fig = Figure::new();
    assert!(
        fig.ax(0)
            .unwrap()
            .plot(&[1.0, 2.0], &[f64::NAN, f64::NAN])
            .is_err()
    );
}

#[test]
fn hist_with_absurdly_many_bins_is_an_error() {
    let mut fig = Figure::new();
    let e = fig
        .ax(0)
        .unwrap()
        .hist(&[1.0, 2.0, 3.0], usize::MAX)
        .unwrap_err();
    assert!(matches!(e, PlotError::Invalid(_)), "{e:?}");
    assert!(e.to_string().contains("bins"), "{e}");
}

#[test]
fn xs_ys_length_mismatch() {
    let mut fig = Figure::new();
    let e = fig.ax(0).unwrap().scatter(&[1, 2, 3], &[1, 2]).unwrap_err();
    assert_eq!(
        e,
        PlotError::LengthMismatch {
            what: "scatter",
            xs: 3,
            ys: 2
        }
    );
    assert!(confusion_matrix(&vec![1u8, 2], &vec![1u8]).is_err());
}

#[test]
fn confusion_matrix_with_a_huge_label_is_an_error() {
    let e = confusion_matrix(&vec![0i64, i64::MAX], &vec![0i64, 1]).unwrap_err();
    assert!(e.to_string().contains("0..100"), "{e}");
}

#[test]
fn grid_larger_than_images() {
    let images = Array3::<u8>::zeros((6, 28, 28));
    let labels = Array1::<u8>::zeros(6);
    let e = digit_grid(&images, &labels, 2, 5).unwrap_err();
    assert_eq!(
        e,
        PlotError::GridTooLarge {
            rows: 2,
            cols: 5,
            available: 6
        }
    );
    assert_eq!(
        e.to_string(),
        "a 2×5 grid needs 10 images but only 6 were given"
    );
}

#[test]
fn digit_grid_with_an_absurd_grid_is_an_error() {
    let images = Array3::<u8>::zeros((200, 4, 4));
    let labels = vec![1u8; 200];
    // rows × cols overflows usize.
    let e = digit_grid(&images, &labels, usize::MAX, 2).unwrap_err();
    assert!(e.to_string().contains("grid"), "{e}");
    // More columns than a figure holds (100): said plainly, not "subplot 100 does not exist".
    let e = digit_grid(&images, &labels, 1, 150).unwrap_err();
    assert!(e.to_string().contains("at most 100"), "{e}");
}

#[test]
fn labels_and_images_count_mismatch() {
    let images = Array3::<f32>::zeros((10, 28, 28));
    let e = digit_grid(&images, &vec![1u8; 9], 2, 5).unwrap_err();
    assert_eq!(
        e,
        PlotError::CountMismatch {
            what: "digit_grid",
            images: 10,
            labels: 9
        }
    );
    assert!(misclassified_grid(&images, &vec![1u8; 9], &vec![2u8; 9], 5).is_err());
}

/// Asking for 0 images drew "no misclassified images" even when there were some.
#[test]
fn misclassified_grid_of_zero_images_does_not_claim_there_are_none() {
    let images = Array3::<f32>::zeros((3, 4, 4));
    let e = misclassified_grid(&images, &vec![1u8, 2, 3], &vec![1u8, 0, 0], 0).unwrap_err();
    assert!(e.to_string().contains("at least 1"), "{e}");
}

#[test]
fn other_bad_input() {
    let mut fig = Figure::new().subplots(1, 2);
    assert!(fig.ax(2).is_err());
    assert!(fig.ax_at(1, 0).is_err());
    assert!(Figure::new().save("figure.gif").is_err());
    // Flattened rows must be square images.
    let flat = Array2::<f32>::zeros((10, 783));
    assert!(digit_grid(&flat, &vec![0u8; 10], 2, 5).is_err());
    assert!(confusion_matrix(&vec![-1i32, 0], &vec![0i32, 0]).is_err());
    assert!(digit_grid(&Array3::<u8>::zeros((4, 28, 28)), &vec![0u8; 4], 0, 2).is_err());
}
