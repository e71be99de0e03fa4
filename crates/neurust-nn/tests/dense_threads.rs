//! The tutorial's MLP, whose 784-input kernel is split into two row panels across the thread
//! team (`linalg::panels`), trains to the same weights at any thread count, on digits with a
//! blank border as MNIST's, whose zero inputs the products leave out (`linalg::skip`).

mod common;

use common::threads::assert_same_weights_at_any_thread_count;
use ndarray::{Array1, Array3};
use neurust_nn::{Dense, Dropout, Flatten, Rng, Sequential};

#[test]
fn the_tutorial_mlp_trains_to_the_same_bits_at_any_thread_count() {
    assert_same_weights_at_any_thread_count(
        "the_tutorial_mlp_trains_to_the_same_bits_at_any_thread_count",
        || {
            let mut rng = Rng::new(8);
            // Ink in the middle 20×20 only, and not everywhere there.
            let x = Array3::from_shape_fn((96, 28, 28), |(_, i, j)| {
                let ink = (4..24).contains(&i) && (4..24).contains(&j);
                let v = rng.uniform();
                if ink && v > 0.3 { v } else { 0.0 }
            });
            let y = Array1::from_shape_fn(96, |i| (x[[i, 14, 14]] * 9.99) as u8);
            let mut m = Sequential::with_seed(4);
            m.add(Flatten::new().input_shape([28, 28]));
            m.add(Dense::new(72).activation("relu"));
            m.add(Dropout::new(0.2));
            m.add(Dense::new(10).activation("softmax"));
            m.compile("adam", "sparse_categorical_crossentropy", &["accuracy"])
                .unwrap();
            m.fit(&x, &y)
                .epochs(2)
                .batch_size(32)
                .verbose(0)
                .seed(6)
                .run()
                .unwrap();
            m
        },
    );
}
