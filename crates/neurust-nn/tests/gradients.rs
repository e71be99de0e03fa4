//! Finite-difference checks of every layer, activation and loss: the analytic gradients that
//! training uses must match the slope of the loss itself.

mod common;

use common::gradcheck::{check_input_gradient, check_model, random};
use ndarray::Array2;
use neurust_nn::layers::Layer;
use neurust_nn::{
    Activation, ActivationLayer, Dense, Dropout, Flatten, Loss, Rng, Sequential, Targets,
};

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
