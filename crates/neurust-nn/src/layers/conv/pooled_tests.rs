//! A convolution that pools its own output (`pooled.rs`) against the two layers run one after
//! the other: every value and gradient must be bit-identical, on shapes that leave rows and
//! columns outside the last window, batches that end in a partial chunk, and values on a
//! coarse grid so that windows hold ties (ReLU's zeros included).

use ndarray::{Array2, ArrayD};

use super::layer::Conv2D;
use crate::layers::layer::{Layer, Mode};
use crate::{MaxPooling2D, Rng};

/// `n` values on a grid of quarters in `[-1, 1]`, fixed by `seed`.
fn grid(n: usize, seed: u64) -> Vec<f32> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| (rng.uniform_in(-4.0, 4.0).round()) / 4.0)
        .collect()
}

fn bits(a: &[f32]) -> Vec<u32> {
    a.iter().map(|v| v.to_bits()).collect()
}

/// Builds both layers for `input`, with kernel and bias values on the grid.
fn layers(input: [usize; 3], conv: Conv2D, pool: MaxPooling2D) -> (Conv2D, MaxPooling2D) {
    let (mut conv, mut pool) = (conv, pool);
    let mut rng = Rng::new(1);
    conv.build(&input, &mut rng).unwrap();
    pool.build(&conv.output_shape(&input).unwrap(), &mut rng)
        .unwrap();
    let kernel = conv.kernel.as_mut().unwrap();
    let n = kernel.value.len();
    kernel.value = ArrayD::from_shape_vec(kernel.value.shape(), grid(n, 2)).unwrap();
    if let Some(b) = conv.bias.as_mut() {
        b.value = ArrayD::from_shape_vec(b.value.shape(), grid(b.value.len(), 3)).unwrap();
    }
    (conv, pool)
}

/// Forward and backward both ways on `batch` samples of `input`; asserts equality.
fn compare(input: [usize; 3], batch: usize, conv: Conv2D, pool: MaxPooling2D, what: &str) {
    let (mut conv, pool) = layers(input, conv, pool);
    let mut pool = pool;
    let g = pool.geometry();
    assert!(conv.pools_with(&g), "{what}: the pair must fuse");
    let mut fused = conv.clone();
    let features: usize = input.iter().product();
    let conv_len = conv.geometry.positions() * conv.filters;
    let pooled_len = g.positions() * g.channels;
    let x = Array2::from_shape_vec((batch, features), grid(batch * features, 4)).unwrap();
    let mut rng = Rng::new(0);
    let mut mode = Mode {
        training: true,
        rng: &mut rng,
    };

    let mut conv_y = Array2::zeros((batch, conv_len));
    let mut y = Array2::zeros((batch, pooled_len));
    conv.forward(x.view(), conv_y.view_mut(), &mut mode);
    pool.forward(conv_y.view(), y.view_mut(), &mut mode);
    let mut own = Array2::from_elem((batch, conv_len), f32::NAN);
    let mut fused_y = Array2::from_elem((batch, pooled_len), f32::NAN);
    fused.forward_pooled(&g, x.view(), Some(own.view_mut()), fused_y.view_mut());
    assert_eq!(
        bits(own.as_slice().unwrap()),
        bits(conv_y.as_slice().unwrap()),
        "{what}"
    );
    assert_eq!(
        bits(fused_y.as_slice().unwrap()),
        bits(y.as_slice().unwrap()),
        "{what}"
    );
    let mut alone_y = Array2::from_elem((batch, pooled_len), f32::NAN);
    fused.forward_pooled(&g, x.view(), None, alone_y.view_mut());
    assert_eq!(
        bits(alone_y.as_slice().unwrap()),
        bits(y.as_slice().unwrap()),
        "{what}"
    );
    let ties = (0..batch * pooled_len).filter(|&i| y.as_slice().unwrap()[i] == 0.0);
    let relu = conv.resolved == crate::Activation::Relu;
    assert!(
        !relu || ties.count() > 0,
        "{what}: some windows must tie at ReLU's zero"
    );

    let dy = Array2::from_shape_vec((batch, pooled_len), grid(batch * pooled_len, 5)).unwrap();
    let mut dconv = Array2::from_elem((batch, conv_len), f32::NAN);
    pool.backward(
        conv_y.view(),
        y.view(),
        dy.clone().view_mut(),
        Some(dconv.view_mut()),
        false,
    );
    let mut dx = Array2::from_elem((batch, features), f32::NAN);
    conv.backward(
        x.view(),
        conv_y.view(),
        dconv.view_mut(),
        Some(dx.view_mut()),
        false,
    );
    let mut fused_dx = Array2::from_elem((batch, features), f32::NAN);
    fused.backward_pooled(&g, x.view(), y.view(), dy.view(), Some(fused_dx.view_mut()));
    assert_eq!(
        bits(fused_dx.as_slice().unwrap()),
        bits(dx.as_slice().unwrap()),
        "{what}"
    );
    for (a, b) in conv.params().iter().zip(fused.params()) {
        let (a, b) = (a.grad.as_slice().unwrap(), b.grad.as_slice().unwrap());
        assert_eq!(bits(a), bits(b), "{what}: {} gradient", conv.name);
    }
}

#[test]
fn pooling_inside_the_convolution_matches_the_two_layers_bit_for_bit() {
    let relu = |f, k| Conv2D::new(f, k).activation("relu");
    // One sample per chunk, an odd width left over, and a batch of three.
    compare(
        [30, 29, 1],
        3,
        relu(4, [3, 3]),
        MaxPooling2D::new([2, 2]),
        "per-sample chunks",
    );
    // 35 positions: 14 samples per chunk, so 31 samples end in a partial chunk; a 3×2 pool
    // leaves one row and one column over.
    compare(
        [9, 7, 2],
        31,
        relu(5, [3, 3]),
        MaxPooling2D::new([3, 2]),
        "3x2 windows",
    );
    // Linear activation and no bias; a 2×3 pool with strides 2×3 is also disjoint.
    let linear = Conv2D::new(3, [2, 2]).use_bias(false);
    let pool = MaxPooling2D::new([2, 3]).strides([2, 3]);
    compare([8, 10, 3], 7, linear, pool, "linear, no bias");
    // Strided convolution, many channels (wider than one vector).
    let strided = relu(37, [3, 3]).strides([2, 1]);
    compare(
        [13, 9, 2],
        5,
        strided,
        MaxPooling2D::new([2, 2]),
        "strided, 37 filters",
    );
    // Whole vectors of channels, as in keras.io's convnet (32 filters, 2×2 pools).
    compare(
        [12, 10, 3],
        6,
        relu(32, [3, 3]),
        MaxPooling2D::new([2, 2]),
        "32 filters",
    );
    // More than 64 channels (the bias gradient's widest sums, then single lanes), on an
    // 11×11 output whose last row and column no window covers, as the convnet's second layer.
    compare(
        [13, 13, 4],
        5,
        relu(70, [3, 3]),
        MaxPooling2D::new([2, 2]),
        "70 filters",
    );
}

#[test]
fn pairs_that_cannot_fuse_are_refused() {
    let input = [9, 9, 1];
    let (conv, pool) = layers(
        input,
        Conv2D::new(2, [3, 3]),
        MaxPooling2D::new([3, 3]).strides([2, 2]),
    );
    assert!(!conv.pools_with(&pool.geometry()), "overlapping windows");
    let (conv, pool) = layers(
        input,
        Conv2D::new(2, [3, 3]).activation("tanh"),
        MaxPooling2D::new([2, 2]),
    );
    assert!(!conv.pools_with(&pool.geometry()), "tanh");
    let same = MaxPooling2D::new([2, 2]).padding("same");
    let (conv, pool) = layers(input, Conv2D::new(2, [3, 3]), same);
    assert!(
        !conv.pools_with(&pool.geometry()),
        "same padding reads past the input"
    );
}
