//! `layer_outputs`: each layer's output at inference, as a Keras multi-output model gives it.

use ndarray::{Array2, Array4, Axis};
use neurust_nn::{Conv2D, Dense, Dropout, Flatten, Input, MaxPooling2D, Sequential};

fn images(n: usize) -> Array4<f32> {
    Array4::from_shape_fn((n, 8, 8, 1), |(i, r, c, _)| {
        ((i * 7 + r * 3 + c) % 11) as f32 / 10.0
    })
}

fn convnet() -> Sequential {
    let mut model = Sequential::with_seed(3);
    model.add(Input::new([8, 8, 1]));
    model.add(Conv2D::new(4, [3, 3]).activation("relu"));
    model.add(MaxPooling2D::new([2, 2]));
    model.add(Flatten::new());
    model.add(Dropout::new(0.5));
    model.add(Dense::new(3).activation("softmax"));
    model
}

#[test]
fn every_layer_gives_its_output_and_the_last_is_the_prediction() {
    let mut model = convnet();
    model
        .compile("adam", "sparse_categorical_crossentropy", &["accuracy"])
        .unwrap();
    // More samples than one forward pass takes, so the chunks are joined too.
    let x = images(300);
    let y = ndarray::Array1::from_shape_fn(300, |i| (i % 3) as u8);
    model.fit(&x, &y).epochs(1).run().unwrap();

    let outputs = model.layer_outputs(&x).unwrap();
    let shapes: Vec<Vec<usize>> = outputs.iter().map(|o| o.shape().to_vec()).collect();
    assert_eq!(
        shapes,
        [
            vec![300, 8, 8, 1],
            vec![300, 6, 6, 4],
            vec![300, 3, 3, 4],
            vec![300, 36],
            vec![300, 36],
            vec![300, 3]
        ]
    );
    assert_eq!(outputs[0], x.clone().into_dyn(), "Input gives x back");
    let predicted = model.predict(&x).unwrap();
    assert_eq!(
        outputs[5],
        predicted.into_dyn(),
        "the last output is predict's"
    );
    let pooled = outputs[2].to_shape((300, 36)).unwrap().to_owned();
    assert_eq!(outputs[3], pooled.clone().into_dyn(), "Flatten reshapes");
    assert_eq!(
        outputs[4],
        pooled.into_dyn(),
        "Dropout passes its input on at inference"
    );

    // The convolution's maps, from a model holding only that layer with the same weights.
    let mut first = Sequential::new();
    first.add(Input::new([8, 8, 1]));
    first.add(Conv2D::new(4, [3, 3]).activation("relu"));
    first.compile("adam", "mse", &["mae"]).unwrap();
    first
        .set_weights(model.get_weights()[..2].to_vec())
        .unwrap();
    let maps = first.predict(&x).unwrap();
    let from_model: Array2<f32> = outputs[1].to_shape((300, 144)).unwrap().to_owned();
    assert_eq!(from_model, maps);
    // Max pooling of those maps, by hand, for the first sample and channel.
    let m = outputs[1].index_axis(Axis(0), 0);
    let hand = (0..2)
        .flat_map(|a| (0..2).map(move |b| (a, b)))
        .map(|(a, b)| m[[a, b, 0]])
        .fold(f32::MIN, f32::max);
    assert_eq!(outputs[2][[0, 0, 0, 0]], hand);
}

#[test]
fn a_wrong_input_shape_is_an_error() {
    let mut model = convnet();
    model
        .compile("adam", "sparse_categorical_crossentropy", &["accuracy"])
        .unwrap();
    let err = model
        .layer_outputs(&Array4::<f32>::zeros((1, 28, 28, 1)))
        .unwrap_err();
    assert!(err.to_string().contains("28"), "{err}");
}
