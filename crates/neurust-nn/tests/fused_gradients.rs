//! Finite-difference checks of a Conv2D directly followed by a MaxPooling2D of disjoint
//! windows, which the model runs as one pass (the convolution pools its own output): every
//! weight's gradient, through odd shapes that leave rows and columns outside the last window,
//! batches that end in a partial chunk, linear and ReLU convolutions, and a second fused pair
//! whose input gradient feeds the first.

mod common;

use common::gradcheck::{check_model, images};
use ndarray::Array2;
use neurust_nn::{Conv2D, Dense, Flatten, Input, MaxPooling2D, Sequential, Targets};

/// One-hot targets: these (not `gradcheck::one_hot`'s) keep the partial-chunk case's finite
/// differences clear of max pooling's kinks.
fn one_hot(n: usize, classes: usize) -> Targets {
    Targets::Dense(Array2::from_shape_fn((n, classes), |(i, j)| {
        ((i * 5 + 2) % classes == j) as u8 as f32
    }))
}

/// `Input(shape) → Conv2D → MaxPooling2D → Conv2D → MaxPooling2D → Flatten → Dense(3)`,
/// checked on `n` samples.
fn check(n: usize, shape: [usize; 3], first: Conv2D, pools: [[usize; 2]; 2], what: &str) {
    let mut m = Sequential::with_seed(9);
    m.add(Input::new(shape));
    m.add(first);
    m.add(MaxPooling2D::new(pools[0]));
    m.add(Conv2D::new(3, [2, 2]));
    m.add(MaxPooling2D::new(pools[1]));
    m.add(Flatten::new());
    m.add(Dense::new(3).activation("softmax"));
    m.compile("sgd", "categorical_crossentropy", &["accuracy"])
        .unwrap();
    let err = check_model(&mut m, &images(n, shape, 31), &one_hot(n, 3));
    assert!(err < 2e-2, "{what}: relative error {err}");
}

#[test]
fn relu_convolutions_that_pool_their_output_backpropagate_correctly() {
    // 9×8 outputs pooled 2×2: a row left over; the second pair leaves a row and a column.
    let first = Conv2D::new(4, [3, 3]).activation("relu");
    check(3, [11, 10, 2], first, [[2, 2], [2, 2]], "relu, leftovers");
}

/// 15×14 = 210 positions make 2 samples per chunk, so 3 samples end in a partial chunk (few
/// samples: max pooling's kinks make finite differences over many unreliable).
#[test]
fn a_batch_ending_in_a_partial_chunk_backpropagates_correctly() {
    let first = Conv2D::new(3, [3, 3]);
    check(
        3,
        [17, 16, 1],
        first,
        [[3, 3], [1, 2]],
        "linear, partial chunk",
    );
}
