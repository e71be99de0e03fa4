//! The Keras progress fixtures (`tests/fixtures/progbar`, made by `make_keras_progbar.py`):
//! what `fit`'s progress callback was told, what Keras printed, and how a terminal or
//! notebook shows that text. Shared by the tests of neurust-nn and neurust-plot.

#![allow(dead_code)]

/// One event of `fit`, with the clock reading (seconds) and the logs in Keras's order.
#[derive(Debug, Clone)]
pub enum Event {
    EpochBegin(usize, f64),
    Batch(usize, f64, Vec<(String, f64)>),
    EpochEnd(usize, f64, Vec<(String, f64)>),
}

/// A captured run: the `fit` parameters, its events and Keras's exact output.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: &'static str,
    pub verbose: u8,
    pub epochs: usize,
    pub steps: usize,
    pub events: Vec<Event>,
    pub keras_out: &'static str,
}

const FILES: [(&str, &str, &str); 4] = [
    (
        "fit_v1",
        include_str!("../fixtures/progbar/fit_v1.events"),
        include_str!("../fixtures/progbar/fit_v1.out"),
    ),
    (
        "fit_v2",
        include_str!("../fixtures/progbar/fit_v2.events"),
        include_str!("../fixtures/progbar/fit_v2.out"),
    ),
    (
        "edges_v1",
        include_str!("../fixtures/progbar/edges_v1.events"),
        include_str!("../fixtures/progbar/edges_v1.out"),
    ),
    (
        "edges_v2",
        include_str!("../fixtures/progbar/edges_v2.events"),
        include_str!("../fixtures/progbar/edges_v2.out"),
    ),
];

fn logs(fields: &[&str]) -> Vec<(String, f64)> {
    fields
        .iter()
        .map(|kv| {
            let (k, v) = kv.split_once('=').expect("key=value");
            (k.to_string(), v.parse().expect("a float"))
        })
        .collect()
}

fn parse(name: &'static str, events: &str, keras_out: &'static str) -> Scenario {
    let mut s = Scenario {
        name,
        verbose: 0,
        epochs: 0,
        steps: 0,
        events: Vec::new(),
        keras_out,
    };
    for line in events.lines() {
        let f: Vec<&str> = line.split(' ').collect();
        let num = |i: usize| f[i].parse::<usize>().expect("an integer");
        let time = || f[2].parse::<f64>().expect("a time");
        match f[0] {
            "params" => {
                let l = logs(&f[1..]);
                s.verbose = l[0].1 as u8;
                s.epochs = l[1].1 as usize;
                s.steps = l[2].1 as usize;
            }
            "epoch_begin" => s.events.push(Event::EpochBegin(num(1), time())),
            "batch" => s.events.push(Event::Batch(num(1), time(), logs(&f[3..]))),
            "epoch_end" => s
                .events
                .push(Event::EpochEnd(num(1), time(), logs(&f[3..]))),
            other => panic!("unknown event {other}"),
        }
    }
    s
}

/// Every captured scenario.
pub fn scenarios() -> Vec<Scenario> {
    FILES
        .iter()
        .map(|(name, events, out)| parse(name, events, out))
        .collect()
}

/// What a terminal or a notebook shows for `raw`: `\r` returns to the line's start, `\u{8}`
/// moves back one character, later text overwrites earlier, colour codes are dropped, and
/// the blanks Keras pads with are trimmed from line ends.
pub fn screen(raw: &str) -> String {
    let mut lines: Vec<Vec<char>> = vec![Vec::new()];
    let mut col = 0usize;
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        let line = lines.last_mut().expect("one line at least");
        match c {
            '\n' => {
                lines.push(Vec::new());
                col = 0;
            }
            '\r' => col = 0,
            '\u{8}' => col = col.saturating_sub(1),
            '\x1b' => {
                // CSI ... final byte (a letter).
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            c => {
                if col < line.len() {
                    line[col] = c;
                } else {
                    line.push(c);
                }
                col += 1;
            }
        }
    }
    lines
        .iter()
        .map(|l| l.iter().collect::<String>().trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Each frame Keras drew (the text after each `\r`, or each line), as plain text.
pub fn frames(raw: &str) -> Vec<String> {
    raw.split(['\r', '\n'])
        .map(screen)
        .filter(|f| !f.is_empty())
        .collect()
}
