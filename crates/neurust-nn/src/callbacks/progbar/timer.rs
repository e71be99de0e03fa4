//! [`StepTimer`]: Keras's estimate of the time per step, which leaves the first step out.

/// Estimates seconds per step as Keras 3's progress bar does: after the first step, the time
/// since the first step ended over the steps since (the first step, which often compiles or
/// warms caches, would skew it); before, the time since the start over the steps done.
///
/// ```
/// use neurust_nn::callbacks::StepTimer;
/// let mut t = StepTimer::new(0.0);
/// assert_eq!(t.per_step(1, 0.5), 0.5);   // the first step: 0.5 s
/// assert_eq!(t.per_step(3, 0.75), 0.125); // two more in 0.25 s
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct StepTimer {
    start: f64,
    first_step_end: Option<f64>,
}

impl StepTimer {
    /// A timer for an epoch starting at `start` (seconds on any clock).
    ///
    /// ```
    /// let t = neurust_nn::callbacks::StepTimer::new(0.0);
    /// ```
    pub fn new(start: f64) -> Self {
        StepTimer {
            start,
            first_step_end: None,
        }
    }

    /// The epoch's start, as given.
    ///
    /// ```
    /// assert_eq!(neurust_nn::callbacks::StepTimer::new(2.0).start(), 2.0);
    /// ```
    pub fn start(&self) -> f64 {
        self.start
    }

    /// Seconds per step with `current` steps done at time `now` (0 before any step). Call it
    /// at each step: the time of step 1 is remembered.
    ///
    /// ```
    /// let mut t = neurust_nn::callbacks::StepTimer::new(0.0);
    /// assert_eq!(t.per_step(0, 1.0), 0.0);
    /// assert_eq!(t.per_step(4, 2.0), 0.5); // step 1 never seen: 2 s over 4 steps
    /// ```
    pub fn per_step(&mut self, current: usize, now: f64) -> f64 {
        if current == 0 {
            return 0.0;
        }
        let per_step = match self.first_step_end {
            Some(first) if current > 1 => (now - first) / (current - 1) as f64,
            _ => (now - self.start) / current as f64,
        };
        if current == 1 {
            self.first_step_end = Some(now);
        }
        per_step
    }
}
