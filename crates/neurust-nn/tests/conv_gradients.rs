//! Finite-difference checks of the convolutional layers: every weight's gradient through a
//! whole model, and each layer's input gradient on its own, for valid and same padding,
//! strides, overlapping windows and several channels.

mod common;

use common::gradcheck::{check_input_gradient_to, check_model, images, one_hot, random};
use neurust_nn::layers::Layer;
use neurust_nn::{
    AveragePooling2D, Conv2D, Dense, Flatten, GlobalAveragePooling2D, Input, MaxPooling2D, Reshape,
    Rng, Sequential,
};

/// Adds one layer to a model.
type AddLayer = Box<dyn Fn(&mut Sequential)>;

/// Builds, for `n` samples, `Input(shape) → layers → Flatten → Dense(3, softmax)` and checks
/// every weight.
fn check_stack(n: usize, shape: [usize; 3], layers: Vec<AddLayer>, what: &str) {
    let mut m = Sequential::with_seed(5);
    m.add(Input::new(shape));
    for add in &layers {
        add(&mut m);
    }
    m.add(Flatten::new());
    m.add(Dense::new(3).activation("softmax"));
    m.compile("sgd", "categorical_crossentropy", &["accuracy"])
        .unwrap();
    let err = check_model(&mut m, &images(n, shape, 21), &one_hot(n, 3));
    assert!(err < 2e-2, "{what}: relative error {err}");
}

#[test]
fn the_published_stack_backpropagates_correctly() {
    check_stack(
        4,
        [9, 9, 2],
        vec![
            Box::new(|m| {
                m.add(Conv2D::new(3, [3, 3]).activation("relu"));
            }),
            Box::new(|m| {
                m.add(MaxPooling2D::new([2, 2]));
            }),
            Box::new(|m| {
                m.add(Conv2D::new(4, [2, 2]).activation("relu"));
            }),
        ],
        "conv-pool-conv",
    );
}

/// A batch of several chunks (the first convolution cuts 12 samples into 10 + 2): the weight
/// gradient is the sum of the chunks' partial products. Tanh, not ReLU: ReLU's kinks make
/// finite differences over many samples unreliable.
#[test]
fn a_batch_of_several_chunks_backpropagates_correctly() {
    check_stack(
        12,
        [9, 9, 2],
        vec![
            Box::new(|m| {
                m.add(Conv2D::new(3, [3, 3]).activation("tanh"));
            }),
            Box::new(|m| {
                m.add(AveragePooling2D::new([2, 2]));
            }),
            Box::new(|m| {
                m.add(Conv2D::new(4, [2, 2]).activation("tanh"));
            }),
        ],
        "several chunks",
    );
}

#[test]
fn same_padding_strides_and_other_activations_backpropagate_correctly() {
    check_stack(
        4,
        [7, 6, 3],
        vec![
            Box::new(|m| {
                m.add(
                    Conv2D::new(4, [3, 2])
                        .strides([2, 1])
                        .padding("same")
                        .activation("tanh"),
                );
            }),
            Box::new(|m| {
                m.add(
                    AveragePooling2D::new([3, 3])
                        .strides([1, 2])
                        .padding("same"),
                );
            }),
            Box::new(|m| {
                m.add(Conv2D::new(2, [2, 2]).use_bias(false).activation("gelu"));
            }),
            Box::new(|m| {
                m.add(Conv2D::new(3, [1, 1]).activation("sigmoid"));
            }),
        ],
        "same/strided conv, average pool",
    );
    // Tanh rather than sigmoid before the max pool: sigmoid's flat outputs put near-ties in
    // the windows, where a finite difference of the weights crosses a switch of the maximum.
    check_stack(
        4,
        [6, 6, 2],
        vec![
            Box::new(|m| {
                m.add(Conv2D::new(5, [3, 3]).padding("same").activation("tanh"));
            }),
            Box::new(|m| {
                m.add(MaxPooling2D::new([3, 3]).strides([2, 2]).padding("same"));
            }),
            Box::new(|m| {
                m.add(GlobalAveragePooling2D::new());
            }),
        ],
        "overlapping max pool, global average",
    );
}

/// dL/dx of each layer alone, for L = Σ y·r with a fixed random r.
#[test]
fn layers_pass_correct_input_gradients() {
    let cases: Vec<(Box<dyn Layer>, [usize; 3])> = vec![
        (
            Box::new(Conv2D::new(3, [3, 3]).activation("tanh")),
            [5, 5, 2],
        ),
        (
            Box::new(Conv2D::new(2, [2, 3]).strides([2, 2]).padding("same")),
            [5, 6, 3],
        ),
        (Box::new(MaxPooling2D::new([2, 2])), [4, 6, 2]),
        (
            Box::new(MaxPooling2D::new([3, 3]).strides([2, 2]).padding("same")),
            [5, 5, 2],
        ),
        (
            Box::new(AveragePooling2D::new([2, 2]).strides([1, 1])),
            [4, 4, 3],
        ),
        (
            Box::new(
                AveragePooling2D::new([3, 3])
                    .strides([2, 2])
                    .padding("same"),
            ),
            [5, 4, 2],
        ),
        (Box::new(GlobalAveragePooling2D::new()), [3, 4, 5]),
    ];
    for (mut layer, shape) in cases {
        let out = layer.output_shape(&shape).unwrap();
        layer.build(&shape, &mut Rng::new(2)).unwrap();
        let x = random(3, shape.iter().product(), 13, 1.0);
        let err = check_input_gradient_to(layer.as_mut(), &x, out.iter().product());
        assert!(err < 2e-2, "{}: relative error {err}", layer.class_name());
    }
}

/// Reshape moves no data: a flat input reshaped into images trains like the images would.
#[test]
fn reshape_to_images_backpropagates_correctly() {
    let mut m = Sequential::with_seed(5);
    m.add(Reshape::new([6, 6, 1]).input_shape([36]));
    m.add(Conv2D::new(3, [3, 3]).activation("tanh"));
    m.add(Reshape::new([-1]));
    m.add(Dense::new(3).activation("softmax"));
    m.compile("sgd", "categorical_crossentropy", &["accuracy"])
        .unwrap();
    assert_eq!(m.summary().rows[2].output_shape, Some(vec![48]));
    let err = check_model(&mut m, &random(4, 36, 3, 1.0), &one_hot(4, 3));
    assert!(err < 2e-2, "relative error {err}");
    let mut bad = Sequential::with_seed(1);
    bad.add(Reshape::new([5, 7]).input_shape([36]));
    let msg = bad.compile("sgd", "mse", &["mae"]).unwrap_err().to_string();
    assert!(msg.contains("36 values per sample"), "{msg}");
}
