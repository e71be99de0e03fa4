//! Download progress on stderr: `bytes / total`. On a terminal one line is redrawn (`\r`)
//! a few times a second; elsewhere, such as a notebook kernel that forwards stderr line by
//! line, a whole line is written every few seconds, so progress shows while it happens.

use std::io::{self, IsTerminal, Write};
use std::time::{Duration, Instant};

/// How often a terminal line is redrawn.
const REDRAW_EVERY: Duration = Duration::from_millis(250);
/// How often a new line is written when stderr is not a terminal.
const LINE_EVERY: Duration = Duration::from_secs(5);

/// Progress of one transfer; silent when disabled.
pub(crate) struct Progress<W: Write = io::Stderr> {
    label: String,
    total: Option<u64>,
    done: u64,
    last: Option<Instant>,
    /// Where progress goes; `None` when disabled.
    out: Option<W>,
    /// Redraw one line with `\r` (a terminal) rather than write whole lines.
    redraw: bool,
}

impl Progress {
    /// Progress of a transfer of `total` bytes (if known) on stderr, if `enabled`.
    pub(crate) fn new(label: &str, total: Option<u64>, enabled: bool) -> Self {
        let out = enabled.then(io::stderr);
        let redraw = io::stderr().is_terminal();
        Progress::to(out, label, total, redraw)
    }
}

impl<W: Write> Progress<W> {
    fn to(out: Option<W>, label: &str, total: Option<u64>, redraw: bool) -> Self {
        Progress {
            label: label.to_string(),
            total,
            done: 0,
            last: None,
            out,
            redraw,
        }
    }

    /// Records `n` more bytes and reports if the last report is old enough.
    pub(crate) fn add(&mut self, n: usize) {
        self.done += n as u64;
        let every = if self.redraw {
            REDRAW_EVERY
        } else {
            LINE_EVERY
        };
        if self.last.is_none_or(|t| t.elapsed() >= every) {
            self.draw(false);
        }
    }

    /// Reports the final state and ends the line.
    pub(crate) fn finish(&mut self) {
        self.draw(true);
    }

    fn draw(&mut self, last: bool) {
        let Some(out) = &mut self.out else {
            return;
        };
        self.last = Some(Instant::now());
        let amount = match self.total {
            Some(total) if total > 0 => format!(
                "{}/{} ({}%)",
                human(self.done),
                human(total),
                self.done.saturating_mul(100) / total
            ),
            _ => human(self.done),
        };
        let (start, end) = match (self.redraw, last) {
            (true, false) => ("\r", ""),
            (true, true) => ("\r", "\n"),
            (false, _) => ("", "\n"),
        };
        // Progress is best effort: a closed stderr must not fail the download.
        let _ = write!(out, "{start}Downloading {}: {amount}{end}", self.label);
        let _ = out.flush();
    }
}

fn human(bytes: u64) -> String {
    if bytes < 1_000_000 {
        format!("{:.1} kB", bytes as f64 / 1e3)
    } else {
        format!("{:.1} MB", bytes as f64 / 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::Progress;

    fn report(redraw: bool) -> String {
        let mut p = Progress::to(Some(Vec::new()), "mnist.npz", Some(2_000_000), redraw);
        p.add(1_000_000);
        p.add(1_000_000);
        p.finish();
        String::from_utf8(p.out.take().unwrap_or_default()).unwrap_or_default()
    }

    #[test]
    fn whole_lines_unless_on_a_terminal() {
        // A reader that forwards complete lines sees each report when it is written.
        assert_eq!(
            report(false),
            "Downloading mnist.npz: 1.0 MB/2.0 MB (50%)\n\
             Downloading mnist.npz: 2.0 MB/2.0 MB (100%)\n"
        );
        assert_eq!(
            report(true),
            "\rDownloading mnist.npz: 1.0 MB/2.0 MB (50%)\
             \rDownloading mnist.npz: 2.0 MB/2.0 MB (100%)\n"
        );
    }
}
