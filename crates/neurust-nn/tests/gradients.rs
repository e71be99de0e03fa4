//! Finite-difference checks of every layer, activation and loss: the analytic gradients that
//! training uses must match the slope of the loss itself.

use ndarray::{Array2, ArrayD, ArrayView2};
use neurust_nn::layers::{Layer, Mode};
use neurust_nn::{
    Activation, ActivationLayer, Dense, Dropout, Flatten, Loss, Rng, Sequential, Targets,
};

fn random(rows: usize, cols: usize, seed: u64, scale: f32) -> Array2<f32> {
    let mut rng = Rng::new(seed);
    Array2::from_shape_fn((rows, cols), |_| rng.uniform_in(-scale, scale))
}

/// Compares every weight's analytic gradient with a central difference of the loss (in f64
/// around f32 weights). Returns the worst relative error. A coordinate where the left and
/// right slopes disagree sits on a kink (ReLU at 0) and is skipped; most must be checked.
fn check_model(model: &mut Sequential, x: &Array2<f32>, y: &Targets) -> f64 {
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

fn model(
    input: usize,
    hidden: Activation,
    out: usize,
    out_act: Activation,
    loss: Loss,
    dropout: bool,
) -> Sequential {
    let mut m = Sequential::with_seed(11);
    m.add(Flatten::new().input_shape([input]));
    m.add(Dense::new(6).activation(hidden));
    if dropout {
        m.add(Dropout::new(0.3));
    }
    m.add(Dense::new(out).activation(out_act));
    m.compile("sgd", loss, &["accuracy"]).unwrap();
    m
}

#[test]
fn every_activation_backpropagates_correctly() {
    let x = random(5, 4, 1, 1.5);
    let y = Targets::Dense(random(5, 3, 2, 1.0));
    for act in [
        Activation::Linear,
        Activation::Relu,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Softmax,
        Activation::Gelu,
        Activation::LeakyRelu(0.2),
    ] {
        let mut m = model(4, act, 3, act, Loss::MeanSquaredError, false);
        let err = check_model(&mut m, &x, &y);
        assert!(err < 2e-2, "{act}: relative error {err}");
    }
}

#[test]
fn every_loss_backpropagates_correctly_fused_or_not() {
    let x = random(6, 4, 3, 1.0);
    let ids = Targets::Sparse(vec![0, 2, 1, 2, 0, 1]);
    let one_hot = Targets::Dense(Array2::from_shape_fn((6, 3), |(i, j)| {
        if [0, 2, 1, 2, 0, 1][i] == j { 1.0 } else { 0.0 }
    }));
    let bits = Targets::Dense(Array2::from_shape_fn((6, 2), |(i, j)| ((i + j) % 2) as f32));
    let reals = Targets::Dense(random(6, 2, 4, 1.0));
    let cases: Vec<(Loss, Activation, usize, &Targets)> = vec![
        (
            Loss::SparseCategoricalCrossentropy,
            Activation::Softmax,
            3,
            &ids,
        ),
        (
            Loss::SparseCategoricalCrossentropy,
            Activation::Sigmoid,
            3,
            &ids,
        ),
        (
            Loss::CategoricalCrossentropy,
            Activation::Softmax,
            3,
            &one_hot,
        ),
        (Loss::BinaryCrossentropy, Activation::Sigmoid, 2, &bits),
        (Loss::BinaryCrossentropy, Activation::Softmax, 2, &bits),
        (Loss::MeanSquaredError, Activation::Linear, 2, &reals),
        (Loss::MeanAbsoluteError, Activation::Tanh, 2, &reals),
    ];
    for (loss, act, out, y) in cases {
        let mut m = model(4, Activation::Tanh, out, act, loss, false);
        let err = check_model(&mut m, &x, y);
        assert!(err < 2e-2, "{loss:?} after {act}: relative error {err}");
    }
}

#[test]
fn dropout_and_the_tutorial_stack_backpropagate_correctly() {
    let x = random(8, 12, 5, 1.0);
    let y = Targets::Sparse(vec![0, 1, 2, 3, 0, 1, 2, 3]);
    let mut m = model(
        12,
        Activation::Relu,
        4,
        Activation::Softmax,
        Loss::SparseCategoricalCrossentropy,
        true,
    );
    let err = check_model(&mut m, &x, &y);
    assert!(err < 2e-2, "relative error {err}");
}

/// Checks dL/dx of a single layer for L = Σ y·r with a fixed random r.
fn check_input_gradient(layer: &mut dyn Layer, x: &Array2<f32>) -> f64 {
    let r = random(x.nrows(), 3, 9, 1.0);
    let out = |layer: &mut dyn Layer, x: ArrayView2<f32>| {
        let mut y = Array2::zeros((x.nrows(), 3));
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

#[test]
fn layers_pass_correct_input_gradients() {
    let x = random(4, 3, 7, 1.0);
    let mut dense = Dense::new(3).activation("tanh");
    dense.build(&[3], &mut Rng::new(1)).unwrap();
    assert!(check_input_gradient(&mut dense, &x) < 2e-2);
    let mut softmax = ActivationLayer::new("softmax");
    softmax.build(&[3], &mut Rng::new(1)).unwrap();
    assert!(check_input_gradient(&mut softmax, &x) < 2e-2);
    let mut gelu = ActivationLayer::new(Activation::Gelu);
    gelu.build(&[3], &mut Rng::new(1)).unwrap();
    assert!(check_input_gradient(&mut gelu, &x) < 2e-2);
    let mut dropout = Dropout::new(0.5);
    assert!(check_input_gradient(&mut dropout, &x) < 2e-2);
}
