//! [`Progbar`]: Keras 3's progress bar as a state machine on a given clock, returning the
//! exact text Keras writes to standard output.

use super::line::ProgbarLine;
use super::timer::StepTimer;

/// Keras's minimum time between two redraws of the bar, in seconds.
pub const REDRAW_INTERVAL: f64 = 0.05;

/// One epoch's progress bar, as `keras.utils.Progbar` under `fit` (every value shown as
/// given, in the order first seen). Times are seconds on any clock; [`update`](Self::update)
/// returns what Keras would print, or `None` when it prints nothing.
///
/// With `verbose` 1 each shown update returns backspaces over the previous line, `\r`, the
/// line with Keras's colours, padding over a longer previous line, and `\n` when final:
/// what Keras writes on Linux (where it always redraws in place, notebooks included). With
/// `verbose` 2 only the final update returns a line. [`line`](Self::line) is the latest
/// state as plain text lines are made of.
///
/// ```
/// use neurust_nn::callbacks::Progbar;
/// let mut bar = Progbar::new(4, 1, 100.0);
/// let out = bar.update(1, [("loss", 0.5)], 100.25, false).unwrap();
/// assert!(out.starts_with('\r') && out.contains("250ms/step"));
/// assert!(bar.update(2, [("loss", 0.4)], 100.26, false).is_none()); // within 50 ms
/// assert_eq!(bar.line().plain(), "2/4 ━━━━━━━━━━━━━━━━━━━━ 0s 10ms/step - loss: 0.4000");
/// let end = bar.update(4, [("loss", 0.3)], 100.4, true).unwrap();
/// assert!(end.ends_with('\n') && end.trim_end().ends_with("loss: 0.3000"));
/// ```
#[derive(Debug, Clone)]
pub struct Progbar {
    target: usize,
    verbose: u8,
    timer: StepTimer,
    last_update: Option<f64>,
    prev_width: usize,
    current: usize,
    now: f64,
    per_step: f64,
    finished: bool,
    values: Vec<(String, f64)>,
}

impl Progbar {
    /// A bar of `target` steps (0: unknown) for verbosity `verbose`, started at `start`.
    ///
    /// ```
    /// let bar = neurust_nn::callbacks::Progbar::new(1500, 1, 0.0);
    /// ```
    pub fn new(target: usize, verbose: u8, start: f64) -> Self {
        Progbar {
            target,
            verbose,
            timer: StepTimer::new(start),
            last_update: None,
            prev_width: 0,
            current: 0,
            now: start,
            per_step: 0.0,
            finished: false,
            values: Vec::new(),
        }
    }

    /// Records `current` steps done at `now` with `values`; returns the text Keras would
    /// write then (`finalize`: the epoch's last update, always written).
    ///
    /// ```
    /// let mut bar = neurust_nn::callbacks::Progbar::new(2, 2, 0.0);
    /// assert!(bar.update(1, [("loss", 0.5)], 1.0, false).is_none());
    /// assert_eq!(bar.update(2, [("loss", 0.4)], 2.0, true).unwrap(),
    ///            "2/2 - 2s - 1s/step - loss: 0.4000\n");
    /// ```
    pub fn update<'a>(
        &mut self,
        current: usize,
        values: impl IntoIterator<Item = (&'a str, f64)>,
        now: f64,
        finalize: bool,
    ) -> Option<String> {
        for (key, value) in values {
            match self.values.iter_mut().find(|(k, _)| k == key) {
                Some(entry) => entry.1 = value,
                None => self.values.push((key.to_string(), value)),
            }
        }
        self.current = current;
        self.now = now;
        self.finished = finalize;
        self.per_step = self.timer.per_step(current, now);
        let out = match self.verbose {
            1 => {
                let recent = self
                    .last_update
                    .is_some_and(|last| now - last < REDRAW_INTERVAL);
                if recent && !finalize {
                    return None;
                }
                Some(self.redraw(finalize))
            }
            2 if finalize && self.target > 0 => Some(format!("{}\n", self.line().verbose2())),
            _ => None,
        };
        self.last_update = Some(now);
        out
    }

    fn redraw(&mut self, finalize: bool) -> String {
        let line = self.line();
        let width = line.width();
        let mut out = "\u{8}".repeat(self.prev_width);
        out.push('\r');
        out.push_str(&line.ansi());
        out.push_str(&" ".repeat(self.prev_width.saturating_sub(width)));
        if finalize {
            out.push('\n');
        }
        self.prev_width = width;
        out
    }

    /// The latest state as a line (shown or not): the time left while running, the time
    /// taken once final.
    ///
    /// ```
    /// let mut bar = neurust_nn::callbacks::Progbar::new(10, 1, 0.0);
    /// bar.update(1, [], 2.0, false);
    /// assert_eq!(bar.line().plain(), " 1/10 ━━━━━━━━━━━━━━━━━━━━ 18s 2s/step");
    /// ```
    pub fn line(&self) -> ProgbarLine {
        let running = !self.finished && self.target > 0;
        let seconds = if running {
            self.per_step * (self.target as f64 - self.current as f64)
        } else {
            self.now - self.timer.start()
        };
        ProgbarLine {
            current: self.current,
            target: self.target,
            finished: self.finished,
            seconds,
            per_step: self.per_step,
            values: self.values.clone(),
        }
    }
}
