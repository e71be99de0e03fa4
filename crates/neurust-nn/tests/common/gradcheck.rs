//! Finite-difference checks shared by the gradient tests.

use ndarray::{Array, Array2, Array4, ArrayD, ArrayView2, Dimension};
use neurust_nn::layers::{Layer, Mode};
use neurust_nn::{Rng, Sequential, Targets};

pub fn random(rows: usize, cols: usize, seed: u64, scale: f32) -> Array2<f32> {
    let mut rng = Rng::new(seed);
    Array2::from_shape_fn((rows, cols), |_| rng.uniform_in(-scale, scale))
}

/// `n` random images of `shape` (height, width, channels), seeded.
pub fn images(n: usize, shape: [usize; 3], seed: u64) -> Array4<f32> {
    random(n, shape.iter().product(), seed, 1.0)
        .into_shape_with_order((n, shape[0], shape[1], shape[2]))
        .unwrap()
}

/// One-hot targets for `n` samples spread over `classes`.
pub fn one_hot(n: usize, classes: usize) -> Targets {
    Targets::Dense(Array2::from_shape_fn((n, classes), |(i, j)| {
        ((i * 7 + 1) % classes == j) as u8 as f32
    }))
}

/// Compares every weight's analytic gradient with a central difference of the loss (in f64
/// around f32 weights). Returns the worst relative error. A coordinate where the left and
/// right slopes disagree sits on a kink (ReLU at 0) and is skipped; most must be checked.
pub fn check_model<D: Dimension>(model: &mut Sequential, x: &Array<f32, D>, y: &Targets) -> f64 {
    let (_, grads) = model.loss_and_gradients(x, y).unwrap();
    let weights = model.get_weights();
    let (mut worst, mut checked, mut skipped) = (0.0f64, 0usize, 0usize);
    for (w, (value, grad)) in weights.iter().zip(&grads).enumerate() {
        let n = value.len();
        let picks: Vec<usize> = (0..n).step_by((n / 12).max(1)).collect();
        for &i in &picks {
            let eps = 1e-2f32;
            let mut at = |delta: f32| {
                let mut ws: Vec<ArrayD<f32>> = weights.clone();
                ws[w].as_slice_mut().unwrap()[i] += delta;
                model.set_weights(ws).unwrap();
                model.loss_and_gradients(x, y).unwrap().0
            };
            let (up, mid, down) = (at(eps), at(0.0), at(-eps));
            let (right, left) = ((up - mid) / eps as f64, (mid - down) / eps as f64);
            if (right - left).abs() > 0.05 * (right.abs() + left.abs()) + 1e-3 {
                skipped += 1;
                continue;
            }
            checked += 1;
            let numeric = (up - down) / (2.0 * eps as f64);
            let analytic = grad.as_slice().unwrap()[i] as f64;
            let err = (numeric - analytic).abs() / (numeric.abs() + analytic.abs()).max(1e-2);
            worst = worst.max(err);
        }
    }
    assert!(
        checked > 4 * skipped,
        "too many kinks: {checked} checked, {skipped} skipped"
    );
    model.set_weights(weights).unwrap();
    worst
}

/// Checks dL/dx of a single layer for L = Σ y·r with a fixed random r.
pub fn check_input_gradient(layer: &mut dyn Layer, x: &Array2<f32>) -> f64 {
    check_input_gradient_to(layer, x, 3)
}

/// As [`check_input_gradient`] for a layer with `outputs` values per sample.
pub fn check_input_gradient_to(layer: &mut dyn Layer, x: &Array2<f32>, outputs: usize) -> f64 {
    let r = random(x.nrows(), outputs, 9, 1.0);
    let out = |layer: &mut dyn Layer, x: ArrayView2<f32>| {
        let mut y = Array2::zeros((x.nrows(), outputs));
        layer.forward(
            x,
            y.view_mut(),
            &mut Mode {
                training: true,
                rng: &mut Rng::new(0),
            },
        );
        y
    };
    let y = out(layer, x.view());
    let mut dy = r.clone();
    let mut dx = Array2::zeros(x.dim());
    layer.backward(
        x.view(),
        y.view(),
        dy.view_mut(),
        Some(dx.view_mut()),
        false,
    );
    let mut worst = 0.0f64;
    for i in 0..x.len() {
        let eps = 1e-2;
        let mut f = |d: f32| {
            let mut xp = x.clone();
            xp.as_slice_mut().unwrap()[i] += d;
            (&out(layer, xp.view()) * &r)
                .iter()
                .map(|&v| v as f64)
                .sum::<f64>()
        };
        let numeric = (f(eps) - f(-eps)) / (2.0 * eps as f64);
        let analytic = dx.as_slice().unwrap()[i] as f64;
        worst = worst.max((numeric - analytic).abs() / (numeric.abs() + analytic.abs()).max(1e-2));
    }
    worst
}
