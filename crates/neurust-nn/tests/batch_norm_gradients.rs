//! BatchNormalization's gradients against finite differences: gamma, beta and the weights
//! before it through whole models, and dL/dx through the batch statistics for every layout of
//! the channel axis.

mod common;

use common::gradcheck::{check_input_gradient_to, check_model, one_hot, random};
use neurust_nn::layers::Layer;
use neurust_nn::{BatchNormalization, Conv2D, Dense, Flatten, Input, Rng, Sequential};

/// Replaces every BatchNormalization gamma and beta (found by their shapes' place in the
/// weight list) with values far from 1 and 0, so gradients depend on them.
fn randomise_gamma_beta(m: &mut Sequential, positions: &[usize]) {
    let mut w = m.get_weights();
    let mut rng = Rng::new(17);
    for &i in positions {
        w[i].mapv_inplace(|_| rng.uniform_in(0.5, 1.5) * if i % 2 == 0 { 1.0 } else { 0.4 });
    }
    m.set_weights(w).unwrap();
}

#[test]
fn model_gradients_of_gamma_beta_and_upstream_weights_match_finite_differences() {
    // Dense features: kernel, bias, gamma, beta, moving mean, moving variance, kernel, bias.
    let mut m = Sequential::with_seed(3);
    m.add(Dense::new(5).activation("tanh").input_shape([6]));
    m.add(BatchNormalization::new());
    m.add(Dense::new(3).activation("softmax"));
    m.compile("sgd", "categorical_crossentropy", &["accuracy"])
        .unwrap();
    randomise_gamma_beta(&mut m, &[2, 3]);
    let err = check_model(&mut m, &random(6, 6, 4, 1.0), &one_hot(6, 3));
    assert!(err < 2e-2, "dense stack: relative error {err}");

    // Channels of a convolution: statistics over batch, height and width.
    let mut m = Sequential::with_seed(5);
    m.add(Input::new([5, 5, 2]));
    m.add(Conv2D::new(3, [2, 2]).activation("tanh"));
    m.add(BatchNormalization::new().momentum(0.5));
    m.add(Flatten::new());
    m.add(Dense::new(3).activation("softmax"));
    m.compile("sgd", "categorical_crossentropy", &["accuracy"])
        .unwrap();
    randomise_gamma_beta(&mut m, &[2, 3]);
    let x = random(3, 50, 8, 1.0)
        .into_shape_with_order((3, 5, 5, 2))
        .unwrap();
    let err = check_model(&mut m, &x, &one_hot(3, 3));
    assert!(err < 2e-2, "conv stack: relative error {err}");
}

/// dL/dx through the batch statistics, for L = Σ y·r, for each layout of the channel axis.
#[test]
fn input_gradients_match_finite_differences_for_every_axis() {
    let cases = [
        (BatchNormalization::new(), vec![4]),
        (BatchNormalization::new(), vec![3, 2, 3]),
        (BatchNormalization::new().axis(1), vec![3, 4]),
        (BatchNormalization::new().axis(-2), vec![2, 3, 2]),
        (
            BatchNormalization::new().center(false).scale(false),
            vec![2, 3],
        ),
        (BatchNormalization::new().epsilon(0.5), vec![3]),
    ];
    for (mut layer, shape) in cases {
        layer.build(&shape, &mut Rng::new(2)).unwrap();
        let mut rng = Rng::new(8);
        layer.visit_params(&mut |p| {
            if p.trainable {
                p.value.mapv_inplace(|_| rng.uniform_in(-1.5, 1.5));
            }
        });
        let x = random(5, shape.iter().product(), 13, 2.0);
        let err = check_input_gradient_to(&mut layer, &x, shape.iter().product());
        assert!(err < 2e-2, "shape {shape:?}: relative error {err}");
    }
}
