//! [`ProgbarLine`]: one line of Keras 3's progress bar, as plain text, with Keras's terminal
//! colours, or in `verbose=2` form.

use super::format::{
    format_count, format_eta, format_per_step, format_value, format_value_verbose2,
};

/// Characters of the bar (Keras 3's default width).
pub const BAR_WIDTH: usize = 20;

/// Keras 3 draws the whole bar with this character; colour (green done, white to do) shows
/// the progress, so without colours the bar is always full.
pub const BAR_CHAR: char = '━';

const BOLD: &str = "\x1b[1m";
const GREEN: &str = "\x1b[32m";
const WHITE: &str = "\x1b[37m";
const RESET: &str = "\x1b[0m";

/// What one progress line shows.
///
/// ```
/// use neurust_nn::callbacks::ProgbarLine;
/// let line = ProgbarLine {
///     current: 20, target: 1500, finished: false, seconds: 3.2, per_step: 0.002,
///     values: vec![("accuracy".into(), 0.8123), ("loss".into(), 0.6012)],
/// };
/// assert_eq!(line.plain(),
///     "  20/1500 ━━━━━━━━━━━━━━━━━━━━ 3s 2ms/step - accuracy: 0.8123 - loss: 0.6012");
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProgbarLine {
    /// Steps done.
    pub current: usize,
    /// Steps in the epoch (0: unknown).
    pub target: usize,
    /// The epoch is over: `seconds` is the time it took, else the time left.
    pub finished: bool,
    /// Time left (running) or time taken (finished), in seconds.
    pub seconds: f64,
    /// Estimated seconds per step.
    pub per_step: f64,
    /// Values in display order.
    pub values: Vec<(String, f64)>,
}

impl ProgbarLine {
    fn count(&self) -> String {
        if self.target == 0 {
            format!("{:>7}/Unknown", self.current)
        } else {
            format_count(self.current, self.target)
        }
    }

    /// Bar cells shown done (green); may exceed [`BAR_WIDTH`] past the target, as in Keras.
    fn filled(&self) -> usize {
        let progress = self.current as f64 / self.target as f64;
        (BAR_WIDTH as f64 * progress) as usize
    }

    fn time(&self) -> String {
        if self.finished || self.target == 0 {
            format!("{:.0}s", self.seconds)
        } else {
            format_eta(self.seconds)
        }
    }

    fn values_text(&self, format: fn(f64) -> String) -> String {
        self.values
            .iter()
            .map(|(k, v)| format!(" - {k}: {}", format(*v)))
            .collect()
    }

    /// The line as a reader sees it in a terminal or notebook, without colours.
    ///
    /// ```
    /// use neurust_nn::callbacks::ProgbarLine;
    /// let line = ProgbarLine { current: 1500, target: 1500, finished: true, seconds: 4.2,
    ///     per_step: 0.0028, values: vec![("loss".into(), 0.00012345)] };
    /// assert_eq!(line.plain(), "1500/1500 ━━━━━━━━━━━━━━━━━━━━ 4s 3ms/step - loss: 1.2345e-04");
    /// ```
    pub fn plain(&self) -> String {
        let bar = if self.target == 0 {
            String::new()
        } else {
            let cells = self.filled() + BAR_WIDTH.saturating_sub(self.filled());
            format!(" {}", BAR_CHAR.to_string().repeat(cells))
        };
        format!(
            "{}{bar} {} {}{}",
            self.count(),
            self.time(),
            format_per_step(self.per_step),
            self.values_text(format_value)
        )
    }

    /// The line with Keras's terminal colours: bold count and time, the done part of the
    /// bar green, the rest white.
    ///
    /// ```
    /// use neurust_nn::callbacks::ProgbarLine;
    /// let line = ProgbarLine { current: 1, target: 2, seconds: 1.0, per_step: 1.0,
    ///     ..Default::default() };
    /// assert!(line.ansi().starts_with("\x1b[1m1/2\x1b[0m \x1b[32m━━━━━━━━━━\x1b[0m"));
    /// ```
    pub fn ansi(&self) -> String {
        let bar = if self.target == 0 {
            self.count()
        } else {
            let done = self.filled();
            let mut bar = format!("{BOLD}{}{RESET} ", self.count());
            if done > 0 {
                bar.push_str(&format!(
                    "{GREEN}{}{RESET}",
                    BAR_CHAR.to_string().repeat(done)
                ));
            }
            let rest = BAR_CHAR.to_string().repeat(BAR_WIDTH.saturating_sub(done));
            bar.push_str(&format!("{WHITE}{rest}{RESET}"));
            bar
        };
        format!(
            "{bar} {BOLD}{}{RESET} {}{}",
            self.time(),
            format_per_step(self.per_step),
            self.values_text(format_value)
        )
    }

    /// Characters the line takes on screen (its [`plain`](Self::plain) form).
    ///
    /// ```
    /// let line = neurust_nn::callbacks::ProgbarLine { current: 1, target: 9, ..Default::default() };
    /// assert_eq!(line.width(), line.plain().chars().count());
    /// ```
    pub fn width(&self) -> usize {
        self.plain().chars().count()
    }

    /// The `verbose=2` line: `1500/1500 - 4s - 3ms/step - accuracy: 0.9202 - loss: 0.2766`.
    ///
    /// ```
    /// use neurust_nn::callbacks::ProgbarLine;
    /// let line = ProgbarLine { current: 25, target: 25, finished: true, seconds: 0.854,
    ///     per_step: 0.03416, values: vec![("loss".into(), -0.5)] };
    /// assert_eq!(line.verbose2(), "25/25 - 1s - 34ms/step - loss: -5.0000e-01");
    /// ```
    pub fn verbose2(&self) -> String {
        format!(
            "{} - {:.0}s - {}{}",
            format_count(self.current, self.target),
            self.seconds,
            format_per_step(self.per_step),
            self.values_text(format_value_verbose2)
        )
    }
}
