//! The model-file loader (`Sequential::load_from_bytes`, which `load_model` uses).
//!
//! Input: one flags byte, then data. Flag 1: the data is the model file itself. Else the
//! data is the `neurust` metadata (the architecture as JSON) and the harness wraps it in a
//! safetensors file holding the weights of a small 4-3-2 Dense model, so absurd
//! architectures reach the loader behind the safetensors framing.
//!
//! Checked: nothing panics or allocates beyond the data; a loaded model reports a summary
//! and, when it has an input shape, predicts one sample.
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use neurust_nn::Sequential;
use safetensors::{Dtype, tensor::TensorView};

fn wrap(metadata: &[u8]) -> Option<Vec<u8>> {
    let metadata = std::str::from_utf8(metadata).ok()?;
    let zeros = [0u8; 48];
    let tensors = [
        ("dense/kernel", vec![4, 3], &zeros[..48]),
        ("dense/bias", vec![3], &zeros[..12]),
        ("dense_1/kernel", vec![3, 2], &zeros[..24]),
        ("dense_1/bias", vec![2], &zeros[..8]),
    ];
    let views = tensors.into_iter().map(|(name, shape, data)| {
        let view = TensorView::new(Dtype::F32, shape, data).expect("consistent tensor");
        (name.to_string(), view)
    });
    let meta = HashMap::from([("neurust".to_string(), metadata.to_string())]);
    safetensors::serialize(views, Some(meta)).ok()
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let built;
    let file = if flags & 1 != 0 {
        rest
    } else {
        let Some(file) = wrap(rest) else { return };
        built = file;
        &built[..]
    };
    let Ok(mut model) = Sequential::load_from_bytes(file) else {
        return;
    };
    let summary = model.summary();
    let _ = summary.to_string();
    let _ = model.get_weights();
    // A model with an input shape was built (and its sizes checked) by the loader, so one
    // sample through it allocates no more than its weights; the sample itself is kept small.
    if let Some(shape) = model.input_shape()
        && shape
            .iter()
            .try_fold(1usize, |n, &d| n.checked_mul(d))
            .is_some_and(|n| n <= 1 << 16)
    {
        let mut dims = vec![1];
        dims.extend(shape);
        let x = ndarray::ArrayD::<f32>::zeros(dims);
        let _ = model.predict(&x);
    }
});
