//! The live training display: throttled bar updates, per-epoch chart updates.

// Notebook style: pass data by reference, as users will.
#![allow(clippy::needless_borrows_for_generic_args)]

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use neurust_nn::callbacks::{FitParams, Logs};
use neurust_plot::live::{Clock, LiveEvent, LiveProgress};

#[derive(Clone, Default)]
struct FakeClock(Rc<Cell<Duration>>);

impl Clock for FakeClock {
    fn now(&self) -> Duration {
        self.0.get()
    }
}

fn params(epochs: usize, steps: usize) -> FitParams {
    FitParams {
        epochs,
        steps,
        samples: steps * 32,
        batch_size: 32,
        verbose: 1,
        do_validation: true,
        metrics: vec!["loss".into(), "accuracy".into()],
    }
}

/// Run `epochs` epochs of `steps` batches, each batch taking `per_batch`.
fn run(epochs: usize, steps: usize, per_batch: Duration) -> Vec<LiveEvent> {
    let clock = FakeClock::default();
    let mut live = LiveProgress::with_clock(Vec::<LiveEvent>::new(), clock.clone());
    live.train_begin(&params(epochs, steps));
    for e in 0..epochs {
        live.epoch_begin(e);
        let mut logs = Logs::new(&["loss", "accuracy"]);
        for b in 0..steps {
            clock.0.set(clock.0.get() + per_batch);
            logs.set("loss", 1.0 / (b + 2) as f64);
            logs.set("accuracy", 0.9);
            live.batch_end(b, &logs);
        }
        logs.set("val_loss", 0.2);
        logs.set("val_accuracy", 0.95);
        live.epoch_end(e, &logs);
    }
    live.train_end();
    live.sink().clone()
}

#[test]
fn bar_updates_are_throttled_to_ten_per_second() {
    // 1500 steps of 2 ms: 3 s per epoch, 2 epochs.
    let events = run(2, 1500, Duration::from_millis(2));
    let bar_id = events[0].id.clone();
    let bar: Vec<&LiveEvent> = events.iter().filter(|e| e.id == bar_id).collect();
    // Per epoch: 3 s at ≤ 10/s → ≤ 30 batch updates, + begin + end; + train begin/end.
    assert!(bar.len() <= 2 * (30 + 2) + 2, "{} bar updates", bar.len());
    assert!(bar.len() >= 2 * 25, "too few updates: {}", bar.len());
    assert!(
        bar[0].first && bar[1..].iter().all(|e| !e.first),
        "one display then updates"
    );
    // Fast batches: far fewer updates than batches.
    let fast = run(1, 10_000, Duration::from_micros(50));
    assert!(fast.len() <= 5 + 5, "{} updates for 0.5 s", fast.len());
}

#[test]
fn chart_is_shown_once_then_updated_each_epoch() {
    let events = run(3, 20, Duration::from_millis(1));
    let bar_id = &events[0].id;
    let chart: Vec<&LiveEvent> = events.iter().filter(|e| &e.id != bar_id).collect();
    assert_eq!(chart.len(), 3);
    assert!(chart[0].first && !chart[1].first && !chart[2].first);
    assert!(chart.iter().all(|e| e.id == chart[0].id));
    let svg = chart[2].bundle.get("image/svg+xml").unwrap();
    assert!(svg.contains("validation") && svg.contains("Accuracy"));
}

#[test]
fn final_bar_lists_every_epoch_without_a_running_bar() {
    let events = run(2, 50, Duration::from_millis(5));
    let last_bar = events.iter().rev().find(|e| e.id == events[0].id).unwrap();
    let text = last_bar.bundle.text_plain();
    assert!(
        text.contains("Epoch 1/2") && text.contains("Epoch 2/2"),
        "{text}"
    );
    assert!(
        text.contains("50/50 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - accuracy: 0.9000"),
        "{text:?}"
    );
    assert!(text.contains("val_loss: 0.2000"));
    let html = last_bar.bundle.get("text/html").unwrap();
    assert!(!html.contains("<progress"));
    // A running bar shows step, time left (Keras's `0s`) and running values.
    let mid = events.iter().find(|e| {
        e.bundle.text_plain().contains("/50 ━") && e.bundle.text_plain().contains("loss: ")
    });
    let mid = mid.expect("a running bar with values");
    assert!(mid.bundle.get("text/html").unwrap().contains("<progress"));
    assert!(
        mid.bundle.text_plain().contains(" 0s 5ms/step - "),
        "{}",
        mid.bundle.text_plain()
    );
}

#[path = "../../neurust-nn/tests/support/keras_events.rs"]
mod keras_events;

/// Replays the `fit` captured from Keras through the live display: its text/plain form reads
/// as what Keras leaves in a notebook, line for line.
#[test]
fn text_form_reads_as_keras_in_a_notebook() {
    use keras_events::{Event, frames, scenarios, screen};
    let fit = scenarios()
        .into_iter()
        .find(|s| s.name == "fit_v1")
        .unwrap();
    let clock = FakeClock::default();
    let mut live = LiveProgress::with_clock(Vec::<LiveEvent>::new(), clock.clone());
    live.train_begin(&params(fit.epochs, fit.steps));
    let to_logs = |values: &[(String, f64)]| {
        let mut logs = Logs::default();
        values.iter().for_each(|(k, v)| logs.set(k, *v));
        logs
    };
    let mut shown_after_epoch = Vec::new();
    for event in &fit.events {
        match event {
            Event::EpochBegin(e, t) => {
                clock.0.set(Duration::from_secs_f64(*t));
                live.epoch_begin(*e);
            }
            Event::Batch(b, t, values) => {
                clock.0.set(Duration::from_secs_f64(*t));
                live.batch_end(*b, &to_logs(values));
            }
            Event::EpochEnd(e, t, values) => {
                clock.0.set(Duration::from_secs_f64(*t));
                live.epoch_end(*e, &to_logs(values));
                let bar = live
                    .sink()
                    .iter()
                    .rev()
                    .find(|ev| ev.id == live.sink()[0].id);
                shown_after_epoch.push(bar.unwrap().bundle.text_plain().to_string());
            }
        }
    }
    // After each epoch: what Keras's output shows once that epoch's final line is written.
    let keras = screen(fit.keras_out);
    let keras: Vec<&str> = keras.lines().collect();
    assert_eq!(shown_after_epoch[0], keras[..2].join("\n"));
    assert_eq!(shown_after_epoch[1], keras[..4].join("\n"));
    // While running: a bar drawn by both at the same step is the same line.
    let keras_frames = frames(fit.keras_out);
    let mut compared = 0;
    for event in live.sink() {
        let text = event.bundle.text_plain();
        let Some(running) = text
            .lines()
            .last()
            .filter(|l| l.contains("ms/step") && !l.contains("val_"))
        else {
            continue;
        };
        // Keras's frames of the same epoch: after its `Epoch` line, before the next.
        let header = text.lines().rev().nth(1).unwrap();
        let from = keras_frames.iter().position(|f| f == header).unwrap();
        let epoch_frames = keras_frames[from + 1..]
            .iter()
            .take_while(|f| !f.starts_with("Epoch"));
        let count = running.split(' ').find(|w| !w.is_empty()).unwrap();
        let same_step = epoch_frames
            .filter(|f| !f.contains("val_"))
            .find(|f| f.trim_start().starts_with(&format!("{count} ")));
        if let Some(k) = same_step {
            assert_eq!(running, k);
            compared += 1;
        }
    }
    assert!(compared >= 2, "only {compared} running lines compared");
}
