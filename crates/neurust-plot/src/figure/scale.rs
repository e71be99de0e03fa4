//! Data ranges, "nice" tick positions and the data → pixel mapping.

use crate::figure::axes::Axes;

/// A pixel rectangle: left, top, width, height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// Maps data coordinates to pixels inside a [`Rect`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Transform {
    pub rect: Rect,
    /// Data x at the left and right edges.
    pub x: (f64, f64),
    /// Data y at the bottom and top edges (reversed for images: row 0 on top).
    pub y: (f64, f64),
}

impl Transform {
    pub fn px(&self, x: f64) -> f64 {
        self.rect.x + (x - self.x.0) / (self.x.1 - self.x.0) * self.rect.w
    }
    pub fn py(&self, y: f64) -> f64 {
        self.rect.y + self.rect.h - (y - self.y.0) / (self.y.1 - self.y.0) * self.rect.h
    }
    pub fn point(&self, x: f64, y: f64) -> (i32, i32) {
        (self.px(x).round() as i32, self.py(y).round() as i32)
    }
}

fn extent(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

fn widen(lo: f64, hi: f64, margin: f64) -> (f64, f64) {
    if hi > lo {
        let pad = (hi - lo) * margin;
        (lo - pad, hi + pad)
    } else {
        let pad = if lo == 0.0 { 0.5 } else { lo.abs() * 0.1 };
        (lo - pad, hi + pad)
    }
}

/// The x and y data ranges of an axes: limits if set, else the data plus 5 %
/// margins (bars start at 0; images span their pixel edges, row 0 on top).
pub(crate) fn data_ranges(ax: &Axes) -> ((f64, f64), (f64, f64)) {
    if let Some(p) = &ax.picture {
        let x = ax.xlim.unwrap_or((-0.5, p.grid.cols as f64 - 0.5));
        let y = ax.ylim.unwrap_or((p.grid.rows as f64 - 0.5, -0.5));
        return (x, y);
    }
    let xs = ax.series.iter().flat_map(|s| s.xs.iter().cloned());
    let bar_x = ax
        .bars
        .iter()
        .flat_map(|b| b.lefts.iter().zip(&b.widths).flat_map(|(l, w)| [*l, l + w]));
    let note_x = ax.notes.iter().map(|n| n.x);
    let ys = ax.series.iter().flat_map(|s| s.ys.iter().cloned());
    let bar_y = ax
        .bars
        .iter()
        .flat_map(|b| b.heights.iter().cloned().chain([0.0]));
    let note_y = ax.notes.iter().map(|n| n.y);
    let x = extent(xs.chain(bar_x).chain(note_x)).unwrap_or((0.0, 1.0));
    let y = extent(ys.chain(bar_y).chain(note_y)).unwrap_or((0.0, 1.0));
    let mut yr = widen(y.0, y.1, 0.05);
    if !ax.bars.is_empty() && y.0 >= 0.0 {
        yr.0 = 0.0;
    }
    (
        ax.xlim.unwrap_or(widen(x.0, x.1, 0.05)),
        ax.ylim.unwrap_or(yr),
    )
}

/// About `target` round-numbered ticks inside `[lo, hi]` (either order), labelled.
pub(crate) fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<(f64, String)> {
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    let span = hi - lo;
    if span.is_nan() || span <= 0.0 || !span.is_finite() {
        return vec![];
    }
    let raw = span / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    // The round step whose tick count is closest to the target.
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .min_by(|a, b| {
            let da = (span / a - target as f64).abs();
            let db = (span / b - target as f64).abs();
            da.total_cmp(&db)
        })
        .unwrap_or(10.0 * mag);
    // A span in the subnormal range underflows the step to 0; no round ticks then.
    if !(step.is_finite() && step > 0.0) {
        return vec![];
    }
    let mag = 10f64.powf(step.log10().floor());
    let decimals = (-(step.log10().floor()) as i32).max(0) as usize
        + usize::from((step / mag - 2.5).abs() < 1e-9 && mag <= 1.0);
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    if last.saturating_sub(first) > 1000 {
        return vec![];
    }
    (first..=last)
        .map(|k| {
            let v = k as f64 * step;
            let label = format!("{:.*}", decimals, v);
            let label =
                if label.starts_with('-') && label.trim_start_matches(['-', '0', '.']).is_empty() {
                    label[1..].to_string()
                } else {
                    label
                };
            (v, label.replace('-', "−"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        let t: Vec<String> = nice_ticks(0.0, 1.0, 5).into_iter().map(|t| t.1).collect();
        assert_eq!(t, ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
        let t: Vec<String> = nice_ticks(0.8, 5.2, 5).into_iter().map(|t| t.1).collect();
        assert_eq!(t, ["1", "2", "3", "4", "5"]);
        let t: Vec<String> = nice_ticks(27.5, -0.5, 5).into_iter().map(|t| t.1).collect();
        assert_eq!(t, ["0", "5", "10", "15", "20", "25"]);
        assert!(nice_ticks(1.0, 1.0, 5).is_empty());
        // A subnormal span: the step underflows to 0 (it made an endless loop).
        assert!(nice_ticks(0.0, 1e-323, 5).is_empty());
    }
}
