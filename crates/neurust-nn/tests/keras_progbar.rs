//! neurust's progress text against Keras 3's, captured from Keras on a fake clock
//! (`tests/fixtures/progbar/make_keras_progbar.py`): the same events give the same bytes.

#[path = "support/keras_events.rs"]
mod keras_events;

use keras_events::{Event, Scenario, frames, scenarios, screen};
use neurust_nn::callbacks::{Progbar, epoch_header};

/// Replays a scenario as Keras's ProgbarLogger does; returns the bytes written and the
/// plain form of every line drawn.
fn replay(s: &Scenario) -> (String, Vec<String>) {
    let (mut out, mut drawn) = (String::new(), Vec::new());
    let mut bar = None;
    for event in &s.events {
        let (text, bar_now) = match event {
            Event::EpochBegin(epoch, t) => {
                if let Some(h) = epoch_header(*epoch, s.epochs) {
                    out.push_str(&format!("{h}\n"));
                    drawn.push(h);
                }
                bar = Some(Progbar::new(s.steps, s.verbose, *t));
                continue;
            }
            Event::Batch(batch, t, logs) if s.verbose == 1 => {
                let bar = bar.as_mut().unwrap();
                (
                    bar.update(
                        batch + 1,
                        logs.iter().map(|(k, v)| (k.as_str(), *v)),
                        *t,
                        false,
                    ),
                    bar.line(),
                )
            }
            Event::Batch(..) => continue,
            Event::EpochEnd(_, t, logs) => {
                let bar = bar.as_mut().unwrap();
                (
                    bar.update(
                        s.steps,
                        logs.iter().map(|(k, v)| (k.as_str(), *v)),
                        *t,
                        true,
                    ),
                    bar.line(),
                )
            }
        };
        if let Some(text) = text {
            out.push_str(&text);
            drawn.push(if s.verbose == 1 {
                bar_now.plain()
            } else {
                bar_now.verbose2()
            });
        }
    }
    (out, drawn)
}

#[test]
fn progress_bytes_match_keras() {
    for s in scenarios() {
        let (ours, _) = replay(&s);
        assert_eq!(
            ours, s.keras_out,
            "{}: bytes differ:\nours:  {ours:?}\nkeras: {:?}",
            s.name, s.keras_out
        );
    }
}

#[test]
fn each_drawn_line_reads_as_keras_without_colours() {
    for s in scenarios() {
        let (_, drawn) = replay(&s);
        assert_eq!(drawn, frames(s.keras_out), "{}", s.name);
    }
}

#[test]
fn what_stays_on_screen_is_one_final_line_per_epoch() {
    let fit = scenarios()
        .into_iter()
        .find(|s| s.name == "fit_v1")
        .unwrap();
    let shown = screen(fit.keras_out);
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines.len(), 4, "{shown}");
    assert_eq!(lines[0], "Epoch 1/2");
    assert_eq!(
        lines[1],
        "25/25 ━━━━━━━━━━━━━━━━━━━━ 1s 23ms/step - accuracy: 0.5650 - loss: 1.4903 \
         - val_accuracy: 0.7700 - val_loss: 0.8477"
    );
}

#[test]
fn the_fixture_covers_the_formats_the_issue_names() {
    let edges = scenarios()
        .into_iter()
        .find(|s| s.name == "edges_v1")
        .unwrap();
    let all = frames(edges.keras_out).join("\n");
    for part in [
        "1.2345e-04",
        "0.0000e+00",
        "us/step",
        "ms/step",
        " 5s/step",
        " 1s ",
        " 2:04 ",
        " 1:15:07 ",
    ] {
        assert!(all.contains(part), "{part} missing from\n{all}");
    }
}
