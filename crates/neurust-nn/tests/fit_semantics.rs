//! Keras's fit semantics: the validation split, shuffling, running means, continuation,
//! determinism, stopping and callbacks.

mod common;

use common::{blobs, small_model};
use ndarray::s;
use neurust_nn::callbacks::{Callback, CallbackContext, Logs};
use neurust_nn::{EarlyStopping, Error, Sgd, StopHandle};

#[test]
fn validation_rows_are_the_last_fraction_before_shuffling() {
    let (x, y) = blobs(100, 1);
    let mut model = small_model(2, 0.0);
    let history = model
        .fit(&x, &y)
        .epochs(1)
        .batch_size(8)
        .validation_split(0.2)
        .verbose(0)
        .seed(3)
        .run()
        .unwrap();
    let tail = model
        .evaluate(&x.slice(s![80.., .., ..]), &y.slice(s![80..]))
        .unwrap();
    assert_eq!(history.history["val_loss"][0], tail["loss"]);
    assert_eq!(history.history["val_accuracy"][0], tail["accuracy"]);
}

struct Batches(Vec<(usize, f64)>);
impl Callback for Batches {
    fn on_train_batch_end(&mut self, _ctx: &mut CallbackContext, batch: usize, logs: &Logs) {
        self.0.push((batch, logs.get("loss").unwrap()));
    }
}

#[test]
fn training_metrics_are_running_means_over_the_epoch() {
    let (x, y) = blobs(64, 4);
    let mut model = small_model(5, 0.0);
    // A learning rate so small the weights do not move: each batch's loss is then the loss of
    // the initial model, and the epoch's running mean must equal evaluate's.
    model
        .compile(
            Sgd::new().learning_rate(1e-30),
            "sparse_categorical_crossentropy",
            &["accuracy"],
        )
        .unwrap();
    let before = model.evaluate(&x, &y).unwrap();
    let mut batches = Batches(Vec::new());
    let history = model
        .fit(&x, &y)
        .epochs(1)
        .batch_size(10)
        .verbose(0)
        .callback(&mut batches)
        .run()
        .unwrap();
    assert_eq!(
        batches.0.len(),
        7,
        "64 samples in batches of 10 make 7 steps"
    );
    assert_eq!(batches.0.last().unwrap().1, history.history["loss"][0]);
    assert!((history.history["loss"][0] - before["loss"]).abs() < 1e-6);
    assert!((history.history["accuracy"][0] - before["accuracy"]).abs() < 1e-9);
}

#[test]
fn same_seed_same_history_bit_for_bit_and_shuffle_matters() {
    let (x, y) = blobs(120, 6);
    let run = |seed: u64, shuffle: bool| {
        let mut model = small_model(7, 0.2);
        let h = model
            .fit(&x, &y)
            .epochs(3)
            .validation_split(0.2)
            .verbose(0)
            .seed(seed)
            .shuffle(shuffle)
            .run()
            .unwrap();
        (h, model.get_weights())
    };
    let (a, wa) = run(1, true);
    let (b, wb) = run(1, true);
    assert_eq!(a, b);
    assert_eq!(wa, wb);
    let (c, _) = run(2, true);
    assert_ne!(
        a.history["loss"], c.history["loss"],
        "another seed shuffles and drops differently"
    );
    assert_eq!(a.epoch, vec![0, 1, 2]);
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        ["accuracy", "loss", "val_accuracy", "val_loss"]
    );
}

#[test]
fn fit_again_continues_with_weights_and_optimizer_state() {
    let (x, y) = blobs(40, 8);
    let mut once = small_model(9, 0.0);
    once.fit(&x, &y)
        .epochs(2)
        .batch_size(8)
        .shuffle(false)
        .verbose(0)
        .run()
        .unwrap();
    let mut twice = small_model(9, 0.0);
    twice
        .fit(&x, &y)
        .epochs(1)
        .batch_size(8)
        .shuffle(false)
        .verbose(0)
        .run()
        .unwrap();
    twice
        .fit(&x, &y)
        .epochs(1)
        .batch_size(8)
        .shuffle(false)
        .verbose(0)
        .run()
        .unwrap();
    assert_eq!(
        once.get_weights(),
        twice.get_weights(),
        "Adam's moments and step count carry over"
    );
}

/// Sets a stop handle after batch 2 of epoch 1 (0-based).
struct StopAt {
    handle: StopHandle,
    epoch: usize,
}
impl Callback for StopAt {
    fn on_epoch_begin(&mut self, _ctx: &mut CallbackContext, epoch: usize) {
        self.epoch = epoch;
    }
    fn on_train_batch_end(&mut self, _ctx: &mut CallbackContext, batch: usize, _logs: &Logs) {
        if self.epoch == 1 && batch == 2 {
            self.handle.stop();
        }
    }
}

#[test]
fn a_stop_handle_ends_fit_at_a_batch_boundary_keeping_weights_and_history() {
    let (x, y) = blobs(80, 10);
    let mut model = small_model(11, 0.0);
    let handle = StopHandle::new();
    let before = model.get_weights();
    let err = model
        .fit(&x, &y)
        .epochs(5)
        .batch_size(8)
        .verbose(0)
        .stop_handle(&handle)
        .callback(StopAt {
            handle: handle.clone(),
            epoch: 0,
        })
        .run()
        .unwrap_err();
    match &err {
        Error::Interrupted { history, at } => {
            assert_eq!(history.epoch, vec![0], "one complete epoch before the stop");
            assert_eq!(at, "epoch 2/5, batch 3/10");
        }
        other => panic!("expected an interruption, got {other}"),
    }
    assert!(err.to_string().contains("keeps the weights"), "{err}");
    assert_eq!(model.history().epoch, vec![0]);
    assert_ne!(model.get_weights(), before);
}

#[test]
fn early_stopping_stops_and_restores_the_best_weights() {
    let (x, y) = blobs(60, 14);
    let mut model = small_model(15, 0.0);
    // A learning rate far too large makes val_loss worsen quickly.
    model
        .compile(
            Sgd::new().learning_rate(5.0),
            "sparse_categorical_crossentropy",
            &["accuracy"],
        )
        .unwrap();
    let mut es = EarlyStopping::new("val_loss")
        .patience(1)
        .restore_best_weights(true);
    let history = model
        .fit(&x, &y)
        .epochs(50)
        .validation_split(0.25)
        .verbose(0)
        .seed(1)
        .callback(&mut es)
        .run()
        .unwrap();
    let stopped = es.stopped_epoch.expect("training should stop early");
    assert!(history.epoch.len() < 50 && history.epoch.len() == stopped + 1);
    let best = es.best_epoch.unwrap();
    let best_val = history.history["val_loss"][best];
    let now = model
        .evaluate(&x.slice(s![45.., .., ..]), &y.slice(s![45..]))
        .unwrap()["loss"];
    assert!(
        (now - best_val).abs() < 1e-6,
        "restored weights give val_loss {now}, best was {best_val}"
    );
}

#[test]
fn a_nan_loss_stops_training() {
    let (mut x, y) = blobs(40, 16);
    x *= 1e30;
    let mut model = small_model(17, 0.0);
    model
        .compile(
            Sgd::new().learning_rate(1e10),
            "sparse_categorical_crossentropy",
            &["accuracy"],
        )
        .unwrap();
    let history = model
        .fit(&x, &y)
        .epochs(5)
        .batch_size(4)
        .verbose(0)
        .run()
        .unwrap();
    assert_eq!(history.epoch.len(), 1, "stopped in the first epoch");
    assert!(!history.history["loss"][0].is_finite());
}

#[test]
fn training_learns_the_task_and_predict_is_probabilities() {
    let (x, y) = blobs(300, 18);
    let mut model = small_model(19, 0.2);
    let history = model
        .fit(&x, &y)
        .epochs(15)
        .validation_split(0.2)
        .verbose(0)
        .seed(4)
        .run()
        .unwrap();
    assert!(
        history.history["val_accuracy"].last().unwrap() > &0.95,
        "{history}"
    );
    let p = model.predict(&x).unwrap();
    for row in p.rows() {
        assert!((row.sum() - 1.0).abs() < 1e-5);
    }
}

#[test]
fn the_text_reporter_prints_one_keras_line_per_epoch_at_verbose_2() {
    let (x, y) = blobs(64, 20);
    let mut model = small_model(21, 0.0);
    let mut out = Vec::new();
    model
        .fit(&x, &y)
        .epochs(2)
        .validation_split(0.5)
        .verbose(0)
        .callback(neurust_nn::callbacks::ProgressLogger::to_writer(&mut out).verbose(2))
        .run()
        .unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert_eq!(lines[0], "Epoch 1/2");
    assert!(
        lines[1].starts_with("1/1 - ")
            && lines[1].contains("/step - accuracy: ")
            && lines[1].contains(" - val_loss: "),
        "{}",
        lines[1]
    );
}

#[test]
fn the_text_reporter_follows_the_verbosity() {
    let (x, y) = blobs(64, 20);
    let run = |logger: neurust_nn::callbacks::ProgressLogger| {
        let mut model = small_model(21, 0.0);
        model
            .fit(&x, &y)
            .epochs(1)
            .verbose(0)
            .callback(logger)
            .run()
            .unwrap();
    };
    // Silent with fit's verbose 0.
    let mut out = Vec::new();
    run(neurust_nn::callbacks::ProgressLogger::to_writer(&mut out));
    assert!(out.is_empty(), "{}", String::from_utf8_lossy(&out));
    // The bar at verbose 1: redrawn with `\r`, no `Epoch` line for a single epoch.
    let mut out = Vec::new();
    run(neurust_nn::callbacks::ProgressLogger::to_writer(&mut out).verbose(1));
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with('\r') && text.ends_with('\n'), "{text:?}");
    assert!(!text.contains("Epoch"), "{text:?}");
    let last = text.rsplit('\r').next().unwrap();
    assert!(
        last.starts_with("\x1b[1m2/2\x1b[0m \x1b[32m━━━━━━━━━━━━━━━━━━━━\x1b[0m")
            && last.contains("/step - accuracy: "),
        "{last:?}"
    );
}
