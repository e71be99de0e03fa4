//! Rate limiting of live updates by time, with an injectable clock for tests.

use std::time::{Duration, Instant};

/// A source of monotonic time.
///
/// ```
/// use neurust_plot::live::{Clock, SystemClock};
/// let c = SystemClock::new();
/// assert!(c.now() <= c.now());
/// ```
pub trait Clock {
    /// Time since an arbitrary fixed start.
    fn now(&self) -> Duration;
}

/// The real clock ([`Instant`] based).
#[derive(Debug, Clone, Copy)]
///
/// ```
/// use neurust_plot::live::{Clock, SystemClock};
/// let t = SystemClock::new().now();
/// ```
pub struct SystemClock(Instant);

impl SystemClock {
    /// A clock starting now.
    ///
    /// ```
    /// let c = neurust_plot::live::SystemClock::new();
    /// ```
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        SystemClock(Instant::now())
    }
}

impl Clock for SystemClock {
    fn now(&self) -> Duration {
        self.0.elapsed()
    }
}

/// Lets an update through at most once per `interval`.
///
/// ```
/// use std::time::Duration;
/// use neurust_plot::live::Throttle;
/// let mut t = Throttle::new(Duration::from_millis(100));
/// assert!(t.ready(Duration::from_millis(0)));
/// assert!(!t.ready(Duration::from_millis(50)));
/// assert!(t.ready(Duration::from_millis(100)));
/// ```
#[derive(Debug, Clone)]
pub struct Throttle {
    interval: Duration,
    last: Option<Duration>,
}

impl Throttle {
    /// A throttle letting one update through per `interval`.
    ///
    /// ```
    /// let t = neurust_plot::live::Throttle::new(std::time::Duration::from_millis(100));
    /// ```
    pub fn new(interval: Duration) -> Self {
        Throttle {
            interval,
            last: None,
        }
    }

    /// True (and the time is recorded) if `interval` has passed since the last
    /// update let through.
    ///
    /// ```
    /// # use std::time::Duration;
    /// let mut t = neurust_plot::live::Throttle::new(Duration::from_millis(100));
    /// assert!(t.ready(Duration::ZERO) && !t.ready(Duration::from_millis(99)));
    /// ```
    pub fn ready(&mut self, now: Duration) -> bool {
        match self.last {
            Some(last) if now.saturating_sub(last) < self.interval => false,
            _ => {
                self.last = Some(now);
                true
            }
        }
    }

    /// Record an update made regardless of the throttle (epoch ends).
    ///
    /// ```
    /// # use std::time::Duration;
    /// let mut t = neurust_plot::live::Throttle::new(Duration::from_millis(100));
    /// t.mark(Duration::from_millis(10));
    /// assert!(!t.ready(Duration::from_millis(20)));
    /// ```
    pub fn mark(&mut self, now: Duration) {
        self.last = Some(now);
    }
}
