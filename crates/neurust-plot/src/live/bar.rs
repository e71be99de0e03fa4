//! [`ProgressView`]: the progress bar's state and its HTML and text renderings.

use std::time::Duration;

use neurust_display::{Displayable, MimeBundle};

use crate::escape_html;

/// One finished epoch's summary line.
#[derive(Debug, Clone, PartialEq)]
///
/// ```
/// let l = neurust_plot::live::EpochLine { epoch: 1, steps: 1500,
///     elapsed: std::time::Duration::from_secs(3), logs: vec![("loss".into(), 0.43)] };
/// ```
pub struct EpochLine {
    /// 1-based epoch.
    pub epoch: usize,
    /// Steps run.
    pub steps: usize,
    /// Time the epoch took.
    pub elapsed: Duration,
    /// Final values (training and validation).
    pub logs: Vec<(String, f64)>,
}

/// What the live bar shows: finished epochs, then the running one.
///
/// ```
/// use neurust_plot::live::ProgressView;
/// let mut v = ProgressView { epochs: 5, steps: 1500, ..Default::default() };
/// v.epoch = 1;
/// v.step = 750;
/// v.elapsed = std::time::Duration::from_secs(3);
/// assert!(v.text().contains("750/1500"));
/// assert!(v.html().contains("<progress"));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProgressView {
    /// Epochs requested.
    pub epochs: usize,
    /// Steps per epoch.
    pub steps: usize,
    /// Running epoch (1-based); 0 before the first.
    pub epoch: usize,
    /// Steps done in the running epoch.
    pub step: usize,
    /// Time spent in the running epoch.
    pub elapsed: Duration,
    /// Running means of the running epoch.
    pub logs: Vec<(String, f64)>,
    /// Epochs already finished.
    pub done: Vec<EpochLine>,
    /// Training has ended (no running epoch shown).
    pub finished: bool,
}

fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 10.0 {
        format!("{s:.1}s")
    } else {
        format!("{s:.0}s")
    }
}

fn per_step(d: Duration, steps: usize) -> String {
    let s = d.as_secs_f64() / steps.max(1) as f64;
    if s >= 1.0 {
        format!("{s:.1}s/step")
    } else if s >= 1e-3 {
        format!("{:.0}ms/step", s * 1e3)
    } else {
        format!("{:.0}us/step", s * 1e6)
    }
}

fn values(logs: &[(String, f64)]) -> String {
    logs.iter()
        .map(|(k, v)| format!("{k}: {v:.4}"))
        .collect::<Vec<_>>()
        .join(" - ")
}

impl ProgressView {
    /// Estimated time left in the running epoch.
    ///
    /// ```
    /// use std::time::Duration;
    /// let v = neurust_plot::live::ProgressView { steps: 100, step: 25, elapsed: Duration::from_secs(1), ..Default::default() };
    /// assert_eq!(v.eta(), Duration::from_secs(3));
    /// ```
    pub fn eta(&self) -> Duration {
        if self.step == 0 {
            return Duration::ZERO;
        }
        self.elapsed
            .mul_f64(self.steps.saturating_sub(self.step) as f64 / self.step as f64)
    }

    fn eta_text(&self) -> String {
        if self.step == 0 {
            "ETA -".into()
        } else {
            format!("ETA {}", secs(self.eta()))
        }
    }

    fn waiting(&self) -> Option<String> {
        (!self.finished && self.epoch == 0 && self.done.is_empty())
            .then(|| format!("Training: {} epochs of {} steps", self.epochs, self.steps))
    }

    fn running_text(&self) -> Option<String> {
        if self.finished || self.epoch == 0 {
            return self.waiting();
        }
        let width = 20usize;
        let filled = (self.step * width)
            .checked_div(self.steps)
            .unwrap_or(0)
            .min(width);
        let bar = format!("{}{}", "━".repeat(filled), "─".repeat(width - filled));
        let mut s = format!(
            "Epoch {}/{}\n{}/{} {bar} {} - {}",
            self.epoch,
            self.epochs,
            self.step,
            self.steps,
            self.eta_text(),
            per_step(self.elapsed, self.step)
        );
        if !self.logs.is_empty() {
            s.push_str(" - ");
            s.push_str(&values(&self.logs));
        }
        Some(s)
    }

    fn done_text(l: &EpochLine, epochs: usize) -> String {
        format!(
            "Epoch {}/{}\n{}/{} - {} - {} - {}",
            l.epoch,
            epochs,
            l.steps,
            l.steps,
            secs(l.elapsed),
            per_step(l.elapsed, l.steps),
            values(&l.logs)
        )
    }

    /// Keras-like lines: each finished epoch, then the running bar.
    ///
    /// ```
    /// let v = neurust_plot::live::ProgressView { epochs: 5, steps: 100, ..Default::default() };
    /// assert_eq!(v.text(), "Training: 5 epochs of 100 steps");
    /// ```
    pub fn text(&self) -> String {
        let mut lines: Vec<String> = self
            .done
            .iter()
            .map(|l| Self::done_text(l, self.epochs))
            .collect();
        lines.extend(self.running_text());
        lines.join("\n")
    }

    /// HTML: a table of finished epochs and a `<progress>` bar for the running one.
    ///
    /// ```
    /// let v = neurust_plot::live::ProgressView { epochs: 5, steps: 100, epoch: 1, step: 10, ..Default::default() };
    /// assert!(v.html().contains("<progress value=\"10\" max=\"100\""));
    /// ```
    pub fn html(&self) -> String {
        let mut h = String::from(
            "<div class=\"neurust-progress\" style=\"font-family:monospace;font-size:12px\">",
        );
        for l in &self.done {
            h.push_str(&format!(
                "<div>Epoch {}/{} &nbsp; {}/{} - {} - {} - {}</div>",
                l.epoch,
                self.epochs,
                l.steps,
                l.steps,
                secs(l.elapsed),
                per_step(l.elapsed, l.steps),
                escape_html(&values(&l.logs))
            ));
        }
        if !self.finished && self.epoch > 0 {
            h.push_str(&format!(
                "<div>Epoch {}/{} <progress value=\"{}\" max=\"{}\" style=\"width:16em;vertical-align:middle\"></progress> \
                 {}/{} - {} - {} - {}</div>",
                self.epoch,
                self.epochs,
                self.step,
                self.steps.max(1),
                self.step,
                self.steps,
                self.eta_text(),
                per_step(self.elapsed, self.step),
                escape_html(&values(&self.logs))
            ));
        } else if let Some(w) = self.waiting() {
            h.push_str(&format!("<div>{}</div>", escape_html(&w)));
        }
        h.push_str("</div>");
        h
    }
}

impl Displayable for ProgressView {
    fn mime_bundle(&self) -> MimeBundle {
        MimeBundle::new().html(self.html()).text(self.text())
    }
}
