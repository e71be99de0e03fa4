//! [`ProgressView`]: the progress bar's state and its HTML and text renderings.

use std::time::Duration;

use neurust_display::{Displayable, MimeBundle};
use neurust_nn::callbacks::{ProgbarLine, epoch_header, format_eta, format_per_step, format_value};

use crate::escape_html;

/// One finished epoch's summary line.
#[derive(Debug, Clone, PartialEq)]
///
/// ```
/// use std::time::Duration;
/// let l = neurust_plot::live::EpochLine { epoch: 1, steps: 1500, elapsed: Duration::from_secs(3),
///     per_step: Duration::from_millis(2), logs: vec![("loss".into(), 0.43)] };
/// ```
pub struct EpochLine {
    /// 1-based epoch.
    pub epoch: usize,
    /// Steps run.
    pub steps: usize,
    /// Time the epoch took.
    pub elapsed: Duration,
    /// Time per step, as Keras estimates it (the first step left out).
    pub per_step: Duration,
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
/// v.per_step = std::time::Duration::from_millis(4);
/// assert_eq!(v.text(), "Epoch 1/5\n 750/1500 ━━━━━━━━━━━━━━━━━━━━ 3s 4ms/step");
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
    /// Time per step in the running epoch, as Keras estimates it (the first step left out).
    pub per_step: Duration,
    /// Running means of the running epoch.
    pub logs: Vec<(String, f64)>,
    /// Epochs already finished.
    pub done: Vec<EpochLine>,
    /// Training has ended (no running epoch shown).
    pub finished: bool,
}

fn secs(d: Duration) -> String {
    format!("{:.0}s", d.as_secs_f64())
}

fn values(logs: &[(String, f64)]) -> String {
    logs.iter()
        .map(|(k, v)| format!("{k}: {}", format_value(*v)))
        .collect::<Vec<_>>()
        .join(" - ")
}

impl ProgressView {
    /// Estimated time left in the running epoch: Keras's time per step times the steps left.
    ///
    /// ```
    /// use std::time::Duration;
    /// let v = neurust_plot::live::ProgressView { steps: 100, step: 25,
    ///     per_step: Duration::from_millis(40), ..Default::default() };
    /// assert_eq!(v.eta(), Duration::from_secs(3));
    /// ```
    pub fn eta(&self) -> Duration {
        self.per_step
            .saturating_mul(u32::try_from(self.steps.saturating_sub(self.step)).unwrap_or(u32::MAX))
    }

    fn eta_text(&self) -> String {
        if self.step == 0 {
            "-".into()
        } else {
            format_eta(self.eta().as_secs_f64())
        }
    }

    fn header(&self, epoch: usize) -> Option<String> {
        epoch_header(epoch.saturating_sub(1), self.epochs)
    }

    fn waiting(&self) -> Option<String> {
        (!self.finished && self.epoch == 0 && self.done.is_empty())
            .then(|| format!("Training: {} epochs of {} steps", self.epochs, self.steps))
    }

    /// Keras's screen for the running epoch: its `Epoch` line, then the bar once a step
    /// is done.
    fn running_text(&self) -> Vec<String> {
        if self.finished || self.epoch == 0 {
            return self.waiting().into_iter().collect();
        }
        let mut lines: Vec<String> = self.header(self.epoch).into_iter().collect();
        if self.step > 0 {
            let line = ProgbarLine {
                current: self.step,
                target: self.steps,
                finished: false,
                seconds: self.eta().as_secs_f64(),
                per_step: self.per_step.as_secs_f64(),
                values: self.logs.clone(),
            };
            lines.push(line.plain());
        }
        lines
    }

    fn done_text(&self, l: &EpochLine) -> Vec<String> {
        let line = ProgbarLine {
            current: l.steps,
            target: l.steps,
            finished: true,
            seconds: l.elapsed.as_secs_f64(),
            per_step: l.per_step.as_secs_f64(),
            values: l.logs.clone(),
        };
        self.header(l.epoch)
            .into_iter()
            .chain([line.plain()])
            .collect()
    }

    /// What Keras 3 leaves on screen at this point of `fit` (verbose 1), line for line and
    /// without its colours: each finished epoch's `Epoch i/n` line (when there are several
    /// epochs) and final bar line, then the running epoch's. Without colours Keras's bar is
    /// always full (it shows progress by colour); the HTML form shows a `<progress>` bar.
    ///
    /// ```
    /// let v = neurust_plot::live::ProgressView { epochs: 5, steps: 100, ..Default::default() };
    /// assert_eq!(v.text(), "Training: 5 epochs of 100 steps");
    /// ```
    pub fn text(&self) -> String {
        let mut lines: Vec<String> = self.done.iter().flat_map(|l| self.done_text(l)).collect();
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
                format_per_step(l.per_step.as_secs_f64()),
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
                format_per_step(self.per_step.as_secs_f64()),
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
