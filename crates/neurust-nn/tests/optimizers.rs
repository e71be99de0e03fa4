//! Each optimizer's steps against the Keras 3 update formulas, computed by hand in f64 on the
//! loss L(w) = w² (one weight, input 1, target 0, mean squared error: dL/dw = 2w).

mod common;

use common::{blobs, message, small_model};
use ndarray::{array, s};
use neurust_nn::{Adam, AdamW, Dense, Flatten, IntoOptimizer, Optimizer, RmsProp, Sequential, Sgd};

fn steps(optimizer: impl IntoOptimizer, n: usize) -> Vec<f64> {
    let mut model = Sequential::with_seed(0);
    model.add(Flatten::new().input_shape([1]));
    model.add(Dense::new(1).use_bias(false).kernel_initializer("ones"));
    model.compile(optimizer, "mse", &["mae"]).unwrap();
    let (x, y) = (array![[1.0f32]], array![[0.0f32]]);
    (0..n)
        .map(|_| {
            model.train_on_batch(&x, &y).unwrap();
            model.get_weights()[0][[0, 0]] as f64
        })
        .collect()
}

fn assert_close(got: &[f64], want: &[f64]) {
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= 1e-5 * w.abs().max(1e-3),
            "step {}: got {g}, want {w}",
            i + 1
        );
    }
}

#[test]
fn adam_follows_keras() {
    let (lr, b1, b2, eps) = (1e-3, 0.9, 0.999, 1e-7);
    let (mut w, mut m, mut v) = (1.0f64, 0.0, 0.0);
    let want: Vec<f64> = (1..=5)
        .map(|t| {
            let g = 2.0 * w;
            let alpha = lr * (1.0 - f64::powi(b2, t)).sqrt() / (1.0 - f64::powi(b1, t));
            m += (g - m) * (1.0 - b1);
            v += (g * g - v) * (1.0 - b2);
            w -= alpha * m / (v.sqrt() + eps);
            w
        })
        .collect();
    assert_close(&steps("adam", 5), &want);
    assert_close(&steps(Adam::new(), 5), &want);
}

#[test]
fn adamw_decays_then_steps() {
    let (lr, wd, b1, b2, eps) = (1e-3, 0.004, 0.9, 0.999, 1e-7);
    let (mut w, mut m, mut v) = (1.0f64, 0.0, 0.0);
    let want: Vec<f64> = (1..=5)
        .map(|t| {
            let g = 2.0 * w;
            w -= w * wd * lr;
            let alpha = lr * (1.0 - f64::powi(b2, t)).sqrt() / (1.0 - f64::powi(b1, t));
            m += (g - m) * (1.0 - b1);
            v += (g * g - v) * (1.0 - b2);
            w -= alpha * m / (v.sqrt() + eps);
            w
        })
        .collect();
    assert_close(&steps(AdamW::new(), 5), &want);
}

#[test]
fn sgd_plain_momentum_and_nesterov_follow_keras() {
    let run = |mu: f64, nesterov: bool| {
        let (lr, mut w, mut m) = (0.1f64, 1.0f64, 0.0f64);
        (0..5)
            .map(|_| {
                let g = 2.0 * w;
                if mu == 0.0 {
                    w -= lr * g;
                } else {
                    m = mu * m - lr * g;
                    w += if nesterov { mu * m - lr * g } else { m };
                }
                w
            })
            .collect::<Vec<f64>>()
    };
    assert_close(&steps(Sgd::new().learning_rate(0.1), 5), &run(0.0, false));
    assert_close(
        &steps(Sgd::new().learning_rate(0.1).momentum(0.9), 5),
        &run(0.9, false),
    );
    assert_close(
        &steps(
            Sgd::new().learning_rate(0.1).momentum(0.9).nesterov(true),
            5,
        ),
        &run(0.9, true),
    );
    assert_eq!(
        steps("sgd", 1)[0] as f32,
        (1.0 - 0.01 * 2.0) as f32,
        "Keras's default SGD rate is 0.01"
    );
}

#[test]
fn rmsprop_plain_centered_and_momentum_follow_keras() {
    let run = |mu: f64, centered: bool| {
        let (lr, rho, eps) = (1e-3f64, 0.9, 1e-7);
        let (mut w, mut v, mut a, mut m) = (1.0f64, 0.0, 0.0, 0.0);
        (0..5)
            .map(|_| {
                let g = 2.0 * w;
                v = rho * v + (1.0 - rho) * g * g;
                let d = if centered {
                    a = rho * a + (1.0 - rho) * g;
                    v - a * a + eps
                } else {
                    v + eps
                };
                let inc = lr * g / d.sqrt();
                if mu > 0.0 {
                    m = mu * m + inc;
                    w -= m;
                } else {
                    w -= inc;
                }
                w
            })
            .collect::<Vec<f64>>()
    };
    assert_close(&steps("rmsprop", 5), &run(0.0, false));
    assert_close(&steps(RmsProp::new().centered(true), 5), &run(0.0, true));
    assert_close(&steps(RmsProp::new().momentum(0.5), 5), &run(0.5, false));
    assert_close(
        &steps(RmsProp::new().momentum(0.5).centered(true), 5),
        &run(0.5, true),
    );
}

#[test]
fn large_tensors_update_identically_on_every_thread_split() {
    // 300×200 = 60,000 weights: above the size at which updates are split across threads.
    let x =
        ndarray::Array2::from_shape_fn((4, 300), |(i, j)| ((i * 31 + j * 7) % 13) as f32 / 13.0);
    let y = ndarray::Array1::from_vec(vec![0u8, 1, 2, 3]);
    let mut a = Sequential::with_seed(5);
    a.add(Flatten::new().input_shape([300]))
        .add(Dense::new(200).activation("relu"))
        .add(Dense::new(4).activation("softmax"));
    a.compile("adam", "sparse_categorical_crossentropy", &["accuracy"])
        .unwrap();
    let before = a.get_weights()[0].clone();
    let (_, grads) = a.loss_and_gradients(&x, &y).unwrap();
    a.train_on_batch(&x, &y).unwrap();
    let after = &a.get_weights()[0];
    // First Adam step: every weight with a non-zero gradient moves by lr·sign(g) (to 1e-4).
    let mut moved = 0;
    for ((b, a), g) in before.iter().zip(after.iter()).zip(grads[0].iter()) {
        if g.abs() > 1e-4 {
            assert!(
                ((b - a) - 1e-3 * g.signum()).abs() < 1e-4,
                "before {b} after {a} grad {g}"
            );
            moved += 1;
        }
    }
    assert!(moved > 10_000, "only {moved} weights had gradients");
}

/// Optimizer settings outside their range turn every weight into NaN at the first step.
#[test]
fn optimizer_settings_out_of_range_are_refused_at_compile() {
    let (x, y) = blobs(16, 9);
    let mut model = small_model(10, 0.0);
    let before = model.get_weights();
    let cases: [(Optimizer, &str); 4] = [
        (Adam::new().beta_1(1.0).into_optimizer().unwrap(), "beta_1"),
        (
            Adam::new().beta_2(f32::NAN).into_optimizer().unwrap(),
            "beta_2",
        ),
        (
            Sgd::new().momentum(1.5).into_optimizer().unwrap(),
            "momentum",
        ),
        (RmsProp::new().rho(-0.1).into_optimizer().unwrap(), "rho"),
    ];
    for (opt, name) in cases {
        let msg = message(model.compile(opt, "sparse_categorical_crossentropy", &["accuracy"]));
        assert!(msg.contains(name), "{msg}");
    }
    model.fit(&x, &y).verbose(0).run().unwrap();
    assert_ne!(model.get_weights(), before);
    assert!(model.get_weights().iter().flatten().all(|v| v.is_finite()));
}

/// `add` after `fit` makes the next `fit` rebuild every layer with fresh weights, for the shape
/// of the data it is given. When that shape differs (the user re-ran the model cells and now
/// feeds 16 features instead of 8), the optimizer kept per-tensor state of the old sizes: a
/// length assert on AVX-512, an index out of bounds in RMSprop, silently no update for SGD
/// with momentum. Fresh weights need a fresh optimizer state.
#[test]
fn adding_a_layer_after_fit_then_fitting_new_shapes_trains_every_weight() {
    let (x, y) = blobs(24, 1);
    let wide = x.into_shape_with_order((24, 16)).unwrap();
    let narrow = wide.slice(s![.., ..8]).to_owned();
    let optimizers: [Optimizer; 4] = [
        "adam".into_optimizer().unwrap(),
        RmsProp::new().into_optimizer().unwrap(),
        RmsProp::new()
            .momentum(0.5)
            .centered(true)
            .into_optimizer()
            .unwrap(),
        Sgd::new().momentum(0.9).into_optimizer().unwrap(),
    ];
    for opt in optimizers {
        let mut model = Sequential::with_seed(1);
        model
            .add(Dense::new(8).activation("relu"))
            .add(Dense::new(3).activation("softmax"));
        model
            .compile(opt, "sparse_categorical_crossentropy", &["accuracy"])
            .unwrap();
        model
            .fit(&narrow, &y)
            .batch_size(8)
            .verbose(0)
            .run()
            .unwrap();
        model.add(Dense::new(3).activation("softmax"));
        model.predict(&wide).unwrap(); // builds the new stack for 16 features
        let fresh = model.get_weights();
        model
            .fit(&wide, &y)
            .batch_size(8)
            .verbose(0)
            .run()
            .unwrap_or_else(|e| panic!("{opt:?}: {e}"));
        for (i, (before, after)) in fresh.iter().zip(model.get_weights()).enumerate() {
            assert_ne!(before, &after, "{opt:?}: weight {i} was not trained");
        }
    }
}
