//! [`prediction_grid`]: TensorFlow's "Classify images of clothing" picture of predictions,
//! each image beside a bar chart of its class probabilities.

use ndarray::{ArrayBase, Data, Ix2};

use crate::data::{ImageStack, stack_image};
use crate::figure::MAX_SIDE;
use crate::figure::picture::Picture;
use crate::{Axes, Colormap, Figure, Labels, Num, PlotError, Result, Rgb};

/// matplotlib's named colours the tutorial uses: "blue" (correct), "red" (wrong), bar grey.
const BLUE: Rgb = [0, 0, 255];
const RED: Rgb = [255, 0, 0];
const GREY: Rgb = [0x77, 0x77, 0x77];

/// Each image beside a bar chart of its class probabilities, as TensorFlow's Fashion-MNIST
/// tutorial draws them: under the image (black on white) "{predicted} {p}% ({true})" in blue
/// when the prediction is right and red when it is wrong; in the chart the predicted class's
/// bar red and the true class's bar blue (only blue when they agree), y from 0 to 1.
/// The figure is `rows` × `cols` such pairs of the first `rows * cols` images,
/// 4 × 2 inches each (the tutorial's `figsize=(2*2*num_cols, 2*num_rows)`).
///
/// `images` are (n, h, w) or (n, h·w); `labels` the true classes (integers, or one-hot rows);
/// `predictions` one row of probabilities per image, as `model.predict` gives them after a
/// softmax; `class_names` one name per column (the facade's `FASHION_MNIST_CLASSES`, or
/// your own). Counts that differ, values that are NaN or outside 0..1 (logits: add a softmax),
/// a label with no class name and a grid larger than the images are errors.
///
/// ```
/// use ndarray::{Array2, Array3, array};
/// let images = Array3::<f32>::zeros((3, 28, 28));
/// let labels = array![9u8, 2, 1];
/// let mut predictions = Array2::<f32>::zeros((3, 10));
/// predictions[[0, 9]] = 0.9; predictions[[0, 7]] = 0.1; // right: Ankle boot
/// predictions[[1, 6]] = 1.0;                            // wrong: Shirt for a Pullover
/// predictions[[2, 1]] = 1.0;
/// let names = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
///              "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
/// let fig = neurust_plot::prediction_grid(&images, &labels, &predictions, &names, 1, 3)?;
/// assert_eq!(fig.len(), 6); // an image and a bar chart per prediction
/// assert!(fig.to_svg()?.contains("Ankle boot 90% (Ankle boot)"));
/// assert!(neurust_plot::prediction_grid(&images, &labels, &predictions, &names, 2, 2).is_err());
/// # Ok::<(), neurust_plot::PlotError>(())
/// ```
pub fn prediction_grid<S: Data<Elem = T>, T: Num>(
    images: &(impl ImageStack + ?Sized),
    labels: &(impl Labels + ?Sized),
    predictions: &ArrayBase<S, Ix2>,
    class_names: &[impl AsRef<str>],
    rows: usize,
    cols: usize,
) -> Result<Figure> {
    let truth = labels.class_labels();
    let (n, k) = predictions.dim();
    let names: Vec<&str> = class_names.iter().map(AsRef::as_ref).collect();
    check_counts(images.count(), truth.len(), n, k, names.len())?;
    let probs: Vec<Vec<f64>> = predictions
        .rows()
        .into_iter()
        .map(|row| row.iter().map(|v| v.to_f64()).collect())
        .collect();
    check_values(&probs, &truth, k)?;
    check_grid(rows, cols, n)?;
    let mut fig = Figure::new()
        .size(4.0 * cols as f64, 2.0 * rows as f64)
        .subplots(rows, 2 * cols);
    for (i, (p, &t)) in probs.iter().zip(&truth).take(rows * cols).enumerate() {
        let predicted = argmax(p);
        let t = t as usize;
        let ink = if predicted == t { BLUE } else { RED };
        // matplotlib's `cmap=plt.cm.binary`: white to black.
        let mut picture = Picture::scalars(stack_image(images, i)?);
        picture.cmap(Colormap::GrayR);
        let ax = fig.ax(2 * i)?;
        ax.picture = Some(picture);
        no_ticks(ax, false)
            .xlabel(format!(
                "{} {:2.0}% ({})",
                names[predicted],
                100.0 * p[predicted],
                names[t]
            ))
            .xlabel_color(ink);
        let chart = fig.ax(2 * i + 1)?;
        let xs: Vec<f64> = (0..k).map(|c| c as f64).collect();
        chart
            .bar(&xs, p)?
            .color(GREY)
            .bar_color(predicted, RED)?
            .bar_color(t, BLUE)?;
        let numbers: Vec<String> = (0..k).map(|c| c.to_string()).collect();
        no_ticks(chart, true).xticks(&xs, &numbers).ylim(0.0, 1.0);
    }
    Ok(fig)
}

fn no_ticks(ax: &mut Axes, keep_x: bool) -> &mut Axes {
    let none: [&str; 0] = [];
    if !keep_x {
        ax.xticks(&[], &none);
    }
    ax.yticks(&[], &none)
}

/// The first index of the largest value, as `np.argmax`.
fn argmax(row: &[f64]) -> usize {
    let mut best = 0;
    for (i, v) in row.iter().enumerate() {
        if *v > row[best] {
            best = i;
        }
    }
    best
}

fn check_counts(images: usize, labels: usize, n: usize, k: usize, names: usize) -> Result<()> {
    if images == 0 {
        return Err(PlotError::Empty {
            what: "prediction_grid images",
        });
    }
    if labels != images {
        return Err(PlotError::CountMismatch {
            what: "prediction_grid",
            images,
            labels,
        });
    }
    if n != images {
        return Err(PlotError::Invalid(format!(
            "prediction_grid: got {images} images but {n} rows of predictions; give one row of \
             class probabilities per image"
        )));
    }
    if k == 0 || names != k {
        return Err(PlotError::Invalid(format!(
            "prediction_grid: the predictions have {k} columns (one per class) but {names} class \
             names were given; give one name per class"
        )));
    }
    Ok(())
}

fn check_values(probs: &[Vec<f64>], truth: &[i64], k: usize) -> Result<()> {
    for (i, row) in probs.iter().enumerate() {
        if let Some(v) = row.iter().find(|v| !v.is_finite()) {
            return Err(PlotError::Invalid(format!(
                "prediction_grid: the predictions of image {i} hold {v}; probabilities must be \
                 finite numbers"
            )));
        }
        if let Some(v) = row.iter().find(|v| !(-1e-6..=1.0 + 1e-6).contains(*v)) {
            return Err(PlotError::Invalid(format!(
                "prediction_grid: the predictions of image {i} hold {v}, not a probability \
                 (0 to 1); if the model ends without a softmax these are logits: add \
                 `.activation(\"softmax\")` to the last layer or apply a softmax first"
            )));
        }
    }
    if let Some((i, t)) = truth
        .iter()
        .enumerate()
        .find(|(_, t)| !(0..k as i64).contains(*t))
    {
        return Err(PlotError::Invalid(format!(
            "prediction_grid: label {t} of image {i} is not a class: labels must be in 0..{k}, \
             one per class name"
        )));
    }
    Ok(())
}

fn check_grid(rows: usize, cols: usize, n: usize) -> Result<()> {
    if rows == 0 || cols == 0 {
        return Err(PlotError::Invalid(format!(
            "prediction_grid: a {rows}×{cols} grid has no cells"
        )));
    }
    if rows > MAX_SIDE || cols > MAX_SIDE / 2 {
        return Err(PlotError::Invalid(format!(
            "prediction_grid: a figure holds at most {MAX_SIDE} rows and {} columns of \
             predictions, got a {rows}×{cols} grid",
            MAX_SIDE / 2
        )));
    }
    if rows * cols > n {
        return Err(PlotError::GridTooLarge {
            rows,
            cols,
            available: n,
        });
    }
    Ok(())
}
