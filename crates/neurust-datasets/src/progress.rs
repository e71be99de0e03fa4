//! Download progress on stderr: `bytes / total`, redrawn at most a few times a second.

use std::io::Write;
use std::time::{Duration, Instant};

const EVERY: Duration = Duration::from_millis(250);

/// Progress of one transfer; silent when disabled.
pub(crate) struct Progress {
    label: String,
    total: Option<u64>,
    done: u64,
    last: Option<Instant>,
    enabled: bool,
}

impl Progress {
    pub(crate) fn new(label: &str, total: Option<u64>, enabled: bool) -> Self {
        Progress {
            label: label.to_string(),
            total,
            done: 0,
            last: None,
            enabled,
        }
    }

    /// Records `n` more bytes and redraws if the last redraw is old enough.
    pub(crate) fn add(&mut self, n: usize) {
        self.done += n as u64;
        if self.last.is_none_or(|t| t.elapsed() >= EVERY) {
            self.draw("");
        }
    }

    /// Draws the final state and ends the line.
    pub(crate) fn finish(&mut self) {
        self.draw("\n");
    }

    fn draw(&mut self, end: &str) {
        if !self.enabled {
            return;
        }
        self.last = Some(Instant::now());
        let line = match self.total {
            Some(total) if total > 0 => format!(
                "{}/{} ({}%)",
                human(self.done),
                human(total),
                self.done.saturating_mul(100) / total
            ),
            _ => human(self.done),
        };
        // Progress is best effort: a closed stderr must not fail the download.
        let _ = write!(
            std::io::stderr(),
            "\rDownloading {}: {line}{end}",
            self.label
        );
    }
}

fn human(bytes: u64) -> String {
    if bytes < 1_000_000 {
        format!("{:.1} kB", bytes as f64 / 1e3)
    } else {
        format!("{:.1} MB", bytes as f64 / 1e6)
    }
}
