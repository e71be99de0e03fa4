//! BatchNormalization's statistics: outputs with the batch's statistics while training and
//! the moving ones at inference, and the moving statistics after training steps, computed by
//! hand.

mod common;

use common::gradcheck::random;
use ndarray::{Array2, ArrayD, array};
use neurust_nn::layers::{Layer, Mode};
use neurust_nn::{AdamW, BatchNormalization, Dense, Rng, Sequential};

fn run(layer: &mut BatchNormalization, x: &Array2<f32>, training: bool) -> Array2<f32> {
    let mut y = Array2::zeros(x.dim());
    let mode = &mut Mode {
        training,
        rng: &mut Rng::new(0),
    };
    layer.forward(x.view(), y.view_mut(), mode);
    y
}

#[test]
fn training_normalises_with_the_batch_and_inference_with_the_moving_statistics() {
    let mut layer = BatchNormalization::new().epsilon(0.01);
    layer.build(&[2], &mut Rng::new(0)).unwrap();
    let weights = [[2.0, 0.5], [0.1, -0.2], [1.0, -3.0], [4.0, 0.25]];
    let mut k = 0;
    layer.visit_params(&mut |p| {
        p.value = ArrayD::from_shape_vec(vec![2], weights[k].to_vec()).unwrap();
        k += 1;
    });
    let x = array![[1.0f32, 10.0], [2.0, 20.0], [3.0, 30.0], [6.0, 0.0]];
    // Batch: mean (3, 15), biased variance (3.5, 125).
    let train = run(&mut layer, &x, true);
    let infer = run(&mut layer, &x, false);
    for ((i, j), &v) in x.indexed_iter() {
        let v = f64::from(v);
        let (g, b) = (f64::from(weights[0][j]), f64::from(weights[1][j]));
        let (mean, var) = ([3.0, 15.0][j], [3.5, 125.0][j]);
        let want = g * (v - mean) / (var + 0.01f64).sqrt() + b;
        assert!(
            (f64::from(train[[i, j]]) - want).abs() < 1e-5,
            "train {i},{j}"
        );
        let (mm, mv) = (f64::from(weights[2][j]), f64::from(weights[3][j]));
        let want = g * (v - mm) / (mv + 0.01f64).sqrt() + b;
        assert!(
            (f64::from(infer[[i, j]]) - want).abs() < 1e-5,
            "infer {i},{j}"
        );
    }
    // Per channel, over batch and positions: mean 0 and variance var/(var+eps) with γ=1, β=0.
    for (axis, shape, channels) in [(-1, [2, 3, 4], 4), (2, [2, 3, 4], 3), (-3, [2, 3, 4], 2)] {
        let mut layer = BatchNormalization::new().axis(axis);
        layer.build(&shape, &mut Rng::new(0)).unwrap();
        let x = random(6, 24, 5, 3.0) + 7.0;
        let y = run(&mut layer, &x, true)
            .into_shape_with_order((6, 2, 3, 4))
            .unwrap();
        let y = y.permuted_axes(match axis {
            -1 => [3, 0, 1, 2],
            2 => [2, 0, 1, 3],
            _ => [1, 0, 2, 3],
        });
        for c in 0..channels {
            let values: Vec<f64> = y
                .index_axis(ndarray::Axis(0), c)
                .iter()
                .map(|&v| v as f64)
                .collect();
            let mean = values.iter().sum::<f64>() / values.len() as f64;
            let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64;
            assert!(
                mean.abs() < 1e-5 && (var - 1.0).abs() < 2e-3,
                "axis {axis} channel {c}: {mean} {var}"
            );
        }
    }
}

/// Features of four samples: mean (3, 15) and biased variance (3.5, 125) over all four; rows
/// 0-1 have mean (1.5, 15), variance (0.25, 25); rows 2-3 mean (4.5, 15), variance (2.25, 225).
fn four() -> (Array2<f32>, Array2<f32>) {
    let x = array![[1.0f32, 10.0], [2.0, 20.0], [3.0, 30.0], [6.0, 0.0]];
    (x, Array2::zeros((4, 1)))
}

fn bn_then_dense(momentum: f32) -> Sequential {
    let mut m = Sequential::with_seed(1);
    m.add(
        BatchNormalization::new()
            .momentum(momentum)
            .input_shape([2]),
    );
    m.add(Dense::new(1));
    // AdamW decays every weight it visits, here by 5% a step: the moving statistics must not
    // be among them.
    let decay = AdamW::new().learning_rate(0.1).weight_decay(0.5);
    m.compile(decay, "mse", &["mae"]).unwrap();
    m
}

fn assert_close(got: &ArrayD<f32>, want: &[f64], what: &str) {
    for (g, w) in got.iter().zip(want) {
        assert!(
            (*g as f64 - w).abs() < 1e-5 * w.abs().max(1.0),
            "{what}: {got} != {want:?}"
        );
    }
}

#[test]
fn moving_statistics_after_training_steps_equal_the_hand_computed_values() {
    let (x, y) = four();
    // One step (a batch of all four; validation runs at inference and changes nothing):
    // mean 0·0.9 + (3, 15)·0.1, variance 1·0.9 + (3.5, 125)·0.1.
    let mut m = bn_then_dense(0.9);
    let (vx, vy) = (x.clone() * 5.0, y.clone());
    m.fit(&x, &y)
        .batch_size(4)
        .validation_data(&vx, &vy)
        .verbose(0)
        .run()
        .unwrap();
    let w = m.get_weights();
    assert_close(&w[2], &[0.3, 1.5], "moving mean");
    assert_close(&w[3], &[1.25, 13.4], "moving variance");
    assert_ne!(w[0], ArrayD::<f32>::ones(vec![2]), "gamma trains");
    // Two steps of two rows in order: (0.15, 1.5) then (0.15·0.9 + 0.45, 1.5·0.9 + 1.5);
    // (0.925, 3.4) then (0.925·0.9 + 0.225, 3.4·0.9 + 22.5).
    let mut m = bn_then_dense(0.9);
    m.fit(&x, &y)
        .batch_size(2)
        .shuffle(false)
        .verbose(0)
        .run()
        .unwrap();
    let w = m.get_weights();
    assert_close(&w[2], &[0.585, 2.85], "moving mean");
    assert_close(&w[3], &[1.0575, 25.56], "moving variance");
    // train_on_batch is one step too; with Keras's default momentum 0.99.
    let mut m = bn_then_dense(0.99);
    m.train_on_batch(&x, &y).unwrap();
    let w = m.get_weights();
    assert_close(&w[2], &[0.03, 0.15], "moving mean");
    assert_close(&w[3], &[1.025, 2.24], "moving variance");
    // Gradients, predictions and evaluations change nothing.
    let before = m.get_weights();
    m.loss_and_gradients(&x, &y).unwrap();
    m.predict(&x).unwrap();
    m.evaluate(&x, &y).unwrap();
    assert_eq!(m.get_weights(), before);
}

#[test]
fn evaluate_predict_and_validation_use_the_moving_statistics() {
    let (x, y) = four();
    let mut m = bn_then_dense(0.9);
    let h = m
        .fit(&x, &y)
        .epochs(3)
        .batch_size(2)
        .validation_data(&x, &y)
        .verbose(0)
        .seed(4)
        .run()
        .unwrap();
    // Validation ran after the epoch's last update, as evaluate does now.
    let val = *h.history["val_loss"].last().unwrap();
    let eval = m.evaluate(&x, &y).unwrap()["loss"];
    assert!(
        (val - eval).abs() < 1e-6,
        "val_loss {val} vs evaluate {eval}"
    );
    let p = m.predict(&x).unwrap();
    let mse = p.iter().map(|&v| (v as f64).powi(2)).sum::<f64>() / 4.0;
    assert!((mse - eval).abs() < 1e-5, "{mse} vs {eval}");
    // In training mode the same batch gives another loss: its own statistics.
    let (train_loss, _) = m.loss_and_gradients(&x, &y).unwrap();
    assert!((train_loss - eval).abs() > 1e-3, "{train_loss} vs {eval}");
}
