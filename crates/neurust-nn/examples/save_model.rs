//! Writes a trained model file and, as JSON on stdout, the inputs and the predictions neurust
//! computes for them, so that another implementation can check both the file and the maths.
//!
//! `cargo run -p neurust-nn --example save_model -- model.safetensors`

use ndarray::{Array1, Array2, Array3};
use neurust_nn::{Dense, Dropout, Flatten, Sequential};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: save_model OUT.safetensors")?;
    let x = Array3::from_shape_fn((64, 3, 4), |(i, r, c)| {
        ((i * 7 + (4 * r + c) * 3) % 11) as f32 / 11.0
    });
    let y = Array1::from_shape_fn(64, |i| (i % 4) as u8);
    let mut model = Sequential::with_seed(1);
    model.add(Flatten::new().input_shape([3, 4]));
    model.add(Dense::new(16).activation("relu"));
    model.add(Dropout::new(0.2));
    model.add(Dense::new(8).activation("tanh").use_bias(false));
    model.add(Dense::new(4).activation("softmax"));
    model.compile("adam", "sparse_categorical_crossentropy", &["accuracy"])?;
    model
        .fit(&x, &y)
        .epochs(3)
        .batch_size(16)
        .verbose(0)
        .seed(2)
        .run()?;
    model.save(&path)?;
    let probabilities = model.predict(&x)?;
    let rows = |a: &Array2<f32>| a.rows().into_iter().map(|r| r.to_vec()).collect::<Vec<_>>();
    let flat = x.to_shape((64, 12))?.to_owned();
    println!(
        "{}",
        serde_json::json!({ "x": rows(&flat), "predictions": rows(&probabilities) })
    );
    Ok(())
}
