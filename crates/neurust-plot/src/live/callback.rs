//! [`LiveProgress`]: the nn crate's progress hook, driving the live bar and chart.

use std::collections::BTreeMap;
use std::time::Duration;

use neurust_display::{DisplayHandle, Displayable, Frontend};
use neurust_nn::callbacks::{
    Callback, CallbackContext, FitParams, Logs, ProgressLogger, StepTimer,
};

use crate::live::bar::{EpochLine, ProgressView};
use crate::live::chart::epoch_chart;
use crate::live::sink::{KernelSink, Sink};
use crate::live::throttle::{Clock, SystemClock, Throttle};

/// Live training display: a progress bar updated in place at most every
/// `interval` (100 ms: ≤ 10 updates a second), and a chart of the per-epoch
/// metrics updated at each epoch end. Both stay as the cell's outputs.
///
/// ```
/// use neurust_nn::callbacks::{FitParams, Logs};
/// use neurust_plot::live::{LiveEvent, LiveProgress};
/// let mut live = LiveProgress::new(Vec::<LiveEvent>::new());
/// let params = FitParams { epochs: 1, steps: 2, samples: 64, batch_size: 32, verbose: 1,
///                          do_validation: false, metrics: vec!["loss".into()] };
/// live.train_begin(&params);
/// live.epoch_begin(0);
/// let mut logs = Logs::new(&["loss"]);
/// logs.set("loss", 0.5);
/// live.batch_end(0, &logs);
/// live.batch_end(1, &logs);
/// live.epoch_end(0, &logs);
/// live.train_end();
/// assert!(live.sink().iter().any(|e| e.bundle.get("image/svg+xml").is_some()));
/// ```
pub struct LiveProgress<S: Sink = KernelSink, C: Clock = SystemClock> {
    sink: S,
    clock: C,
    throttle: Throttle,
    view: ProgressView,
    bar_id: String,
    chart_id: String,
    bar_shown: bool,
    chart_shown: bool,
    epoch_start: Duration,
    timer: StepTimer,
    metrics: BTreeMap<String, Vec<f64>>,
}

impl<S: Sink> LiveProgress<S, SystemClock> {
    /// A live display writing to `sink`, on the real clock.
    ///
    /// ```
    /// let live = neurust_plot::live::LiveProgress::new(neurust_plot::live::KernelSink);
    /// ```
    pub fn new(sink: S) -> Self {
        Self::with_clock(sink, SystemClock::new())
    }
}

impl<S: Sink, C: Clock> LiveProgress<S, C> {
    /// A live display on a given clock (tests use a fake one).
    ///
    /// ```
    /// use neurust_plot::live::{LiveEvent, LiveProgress, SystemClock};
    /// let live = LiveProgress::with_clock(Vec::<LiveEvent>::new(), SystemClock::new());
    /// ```
    pub fn with_clock(sink: S, clock: C) -> Self {
        LiveProgress {
            sink,
            clock,
            throttle: Throttle::new(Duration::from_millis(100)),
            view: ProgressView::default(),
            bar_id: DisplayHandle::new().id().to_string(),
            chart_id: DisplayHandle::new().id().to_string(),
            bar_shown: false,
            chart_shown: false,
            epoch_start: Duration::ZERO,
            timer: StepTimer::new(0.0),
            metrics: BTreeMap::new(),
        }
    }

    /// The sink (recorded events in tests).
    ///
    /// ```
    /// let live = neurust_plot::live::LiveProgress::new(Vec::<neurust_plot::live::LiveEvent>::new());
    /// assert!(live.sink().is_empty());
    /// ```
    pub fn sink(&self) -> &S {
        &self.sink
    }

    fn show_bar(&mut self) {
        let first = !self.bar_shown;
        self.bar_shown = true;
        self.sink
            .output(&self.bar_id, self.view.mime_bundle(), first);
    }

    /// Training starts: show an empty bar.
    ///
    /// ```
    /// # use neurust_nn::callbacks::{FitParams, Logs};
    /// # let params = FitParams { epochs: 1, steps: 1, samples: 32, batch_size: 32, verbose: 1,
    /// #                          do_validation: false, metrics: vec!["loss".into()] };
    /// let mut live = neurust_plot::live::LiveProgress::new(Vec::<neurust_plot::live::LiveEvent>::new());
    /// live.train_begin(&params);
    /// assert!(live.sink()[0].first);
    /// ```
    pub fn train_begin(&mut self, p: &FitParams) {
        self.view = ProgressView {
            epochs: p.epochs,
            steps: p.steps,
            ..ProgressView::default()
        };
        self.metrics.clear();
        self.show_bar();
    }

    /// Epoch `epoch` (0-based) starts.
    ///
    /// ```
    /// # use neurust_nn::callbacks::{FitParams, Logs};
    /// # let params = FitParams { epochs: 2, steps: 1, samples: 32, batch_size: 32, verbose: 1,
    /// #                          do_validation: false, metrics: vec!["loss".into()] };
    /// let mut live = neurust_plot::live::LiveProgress::new(Vec::<neurust_plot::live::LiveEvent>::new());
    /// live.train_begin(&params);
    /// live.epoch_begin(0);
    /// assert_eq!(live.sink()[1].bundle.text_plain(), "Epoch 1/2");
    /// ```
    pub fn epoch_begin(&mut self, epoch: usize) {
        self.epoch_start = self.clock.now();
        self.timer = StepTimer::new(self.epoch_start.as_secs_f64());
        self.view.epoch = epoch + 1;
        self.view.step = 0;
        self.view.per_step = Duration::ZERO;
        self.view.logs.clear();
        self.throttle.mark(self.epoch_start);
        self.show_bar();
    }

    /// Batch `batch` (0-based) ended with running means `logs`; the bar is
    /// redrawn only if the throttle allows.
    ///
    /// ```
    /// # use neurust_nn::callbacks::{FitParams, Logs};
    /// # let params = FitParams { epochs: 1, steps: 1, samples: 32, batch_size: 32, verbose: 1,
    /// #                          do_validation: false, metrics: vec!["loss".into()] };
    /// let mut live = neurust_plot::live::LiveProgress::new(Vec::<neurust_plot::live::LiveEvent>::new());
    /// live.train_begin(&params);
    /// live.epoch_begin(0);
    /// live.batch_end(0, &Logs::new(&["loss"]));
    /// ```
    pub fn batch_end(&mut self, batch: usize, logs: &Logs) {
        let now = self.clock.now();
        self.view.step = batch + 1;
        // Every step, as Keras: its estimate remembers when the first step ended.
        let per_step = self.timer.per_step(batch + 1, now.as_secs_f64());
        if self.throttle.ready(now) {
            self.view.elapsed = now.saturating_sub(self.epoch_start);
            self.view.per_step = seconds(per_step);
            self.view.logs = logs.iter().map(|(k, v)| (k.to_string(), v)).collect();
            self.show_bar();
        }
    }

    /// Epoch ended: record its line, redraw the bar and the chart.
    ///
    /// ```
    /// # use neurust_nn::callbacks::{FitParams, Logs};
    /// # let params = FitParams { epochs: 1, steps: 1, samples: 32, batch_size: 32, verbose: 1,
    /// #                          do_validation: false, metrics: vec!["loss".into()] };
    /// let mut live = neurust_plot::live::LiveProgress::new(Vec::<neurust_plot::live::LiveEvent>::new());
    /// live.train_begin(&params);
    /// live.epoch_begin(0);
    /// let mut logs = Logs::new(&["loss"]);
    /// logs.set("loss", 0.5);
    /// live.epoch_end(0, &logs);
    /// assert!(live.sink().last().unwrap().bundle.get("image/svg+xml").is_some());
    /// ```
    pub fn epoch_end(&mut self, epoch: usize, logs: &Logs) {
        let now = self.clock.now();
        let values: Vec<(String, f64)> = logs.iter().map(|(k, v)| (k.to_string(), v)).collect();
        for (k, v) in &values {
            self.metrics.entry(k.clone()).or_default().push(*v);
        }
        let elapsed = now.saturating_sub(self.epoch_start);
        // Keras ends the bar at the epoch's steps, even when training stopped early.
        let steps = self.view.steps;
        self.view.done.push(EpochLine {
            epoch: epoch + 1,
            steps,
            elapsed,
            per_step: seconds(self.timer.per_step(steps, now.as_secs_f64())),
            logs: values,
        });
        self.view.epoch = 0;
        self.throttle.mark(now);
        self.show_bar();
        if let Ok(fig) = epoch_chart(&self.metrics, self.view.epochs) {
            let first = !self.chart_shown;
            self.chart_shown = true;
            self.sink.output(&self.chart_id, fig.mime_bundle(), first);
        }
    }

    /// Training ended (normally, early stop or interrupt): final bar.
    ///
    /// ```
    /// # use neurust_nn::callbacks::{FitParams, Logs};
    /// # let params = FitParams { epochs: 1, steps: 1, samples: 32, batch_size: 32, verbose: 1,
    /// #                          do_validation: false, metrics: vec!["loss".into()] };
    /// let mut live = neurust_plot::live::LiveProgress::new(Vec::<neurust_plot::live::LiveEvent>::new());
    /// live.train_begin(&params);
    /// live.train_end();
    /// assert!(!live.sink().last().unwrap().first);
    /// ```
    pub fn train_end(&mut self) {
        self.view.finished = true;
        self.show_bar();
    }
}

/// A duration from seconds (zero if negative or not a number).
fn seconds(s: f64) -> Duration {
    Duration::try_from_secs_f64(s).unwrap_or_default()
}

impl<S: Sink, C: Clock> Callback for LiveProgress<S, C> {
    fn on_train_begin(&mut self, ctx: &mut CallbackContext) {
        self.train_begin(ctx.params())
    }
    fn on_epoch_begin(&mut self, _ctx: &mut CallbackContext, epoch: usize) {
        self.epoch_begin(epoch)
    }
    fn on_train_batch_end(&mut self, _ctx: &mut CallbackContext, batch: usize, logs: &Logs) {
        self.batch_end(batch, logs)
    }
    fn on_epoch_end(&mut self, _ctx: &mut CallbackContext, epoch: usize, logs: &Logs) {
        self.epoch_end(epoch, logs)
    }
    fn on_train_end(&mut self, _ctx: &mut CallbackContext, _logs: &Logs) {
        self.train_end()
    }
}

/// The progress factory for `neurust_nn::callbacks::set_progress_factory`:
/// verbose 0 → none; 1 → the live display under the neurust kernel, else Keras's bar on
/// standard output; 2 → Keras's line per epoch on standard output.
///
/// ```
/// assert!(neurust_plot::live::progress_factory(0).is_none());
/// assert!(neurust_plot::live::progress_factory(1).is_some());
/// ```
pub fn progress_factory(verbose: u8) -> Option<Box<dyn Callback>> {
    match verbose {
        0 => None,
        1 if Frontend::detect() == Frontend::Neurust => {
            Some(Box::new(LiveProgress::new(KernelSink)))
        }
        _ => Some(Box::new(ProgressLogger::stdout())),
    }
}

/// Register [`progress_factory`] so every later `fit` shows live progress by
/// default (the notebook prelude calls this).
///
/// ```
/// neurust_plot::live::install();
/// ```
pub fn install() {
    neurust_nn::callbacks::set_progress_factory(progress_factory);
}
