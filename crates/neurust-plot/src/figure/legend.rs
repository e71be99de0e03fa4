//! The legend box: placed in the corner of the axes that covers the fewest points.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::Result;
use crate::error::render;
use crate::figure::axes::Axes;
use crate::figure::marks::Rgb;
use crate::figure::scale::Transform;
use crate::figure::series::pieces;
use crate::figure::style::*;
use crate::font::text_width;

struct Entry {
    text: String,
    color: Rgb,
    line: bool,
    dot: bool,
}

fn entries(ax: &Axes) -> Vec<Entry> {
    let series = ax.series.iter().filter_map(|s| {
        s.legend_text().map(|text| Entry {
            text,
            color: s.color,
            line: s.line,
            dot: s.marker,
        })
    });
    let bars = ax.bars.iter().filter_map(|b| {
        b.label.clone().map(|text| Entry {
            text,
            color: b.color,
            line: false,
            dot: false,
        })
    });
    series.chain(bars).collect()
}

/// Draw the legend of `ax` (nothing when no mark is labelled).
pub(crate) fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    ax: &Axes,
    t: &Transform,
) -> Result<()> {
    let entries = entries(ax);
    if entries.is_empty() {
        return Ok(());
    }
    let text_w = entries
        .iter()
        .map(|e| text_width(&e.text, LEGEND_FONT))
        .fold(0.0, f64::max);
    let row_h = LEGEND_FONT * 1.15;
    let sample = 22.0;
    let (w, h) = (
        PAD * 3.0 + sample + text_w,
        PAD * 2.0 + row_h * entries.len() as f64,
    );
    let r = t.rect;
    let m = PAD;
    let corners = [
        (r.x + r.w - w - m, r.y + m),           // upper right
        (r.x + m, r.y + m),                     // upper left
        (r.x + r.w - w - m, r.y + r.h - h - m), // lower right
        (r.x + m, r.y + r.h - h - m),           // lower left
    ];
    let points: Vec<(i32, i32)> = ax
        .series
        .iter()
        .flat_map(|s| pieces(s, t))
        .flatten()
        .collect();
    let bars: Vec<(f64, f64, f64, f64)> = ax
        .bars
        .iter()
        .flat_map(|b| b.lefts.iter().zip(&b.widths).zip(&b.heights))
        .map(|((l, bw), bh)| {
            let (xa, xb, ya, yb) = (t.px(*l), t.px(l + bw), t.py(0.0), t.py(*bh));
            (xa.min(xb), xa.max(xb), ya.min(yb), ya.max(yb))
        })
        .collect();
    let covered = |(cx, cy): (f64, f64)| {
        let pts = points
            .iter()
            .filter(|(px, py)| {
                let (px, py) = (*px as f64, *py as f64);
                px >= cx - 4.0 && px <= cx + w + 4.0 && py >= cy - 4.0 && py <= cy + h + 4.0
            })
            .count();
        let overlap = bars
            .iter()
            .map(|(x0, x1, y0, y1)| {
                let ox = (x1.min(cx + w) - x0.max(cx)).max(0.0);
                let oy = (y1.min(cy + h) - y0.max(cy)).max(0.0);
                ox * oy
            })
            .sum::<f64>();
        pts * 1000 + overlap as usize
    };
    let (bx, by) = corners
        .iter()
        .cloned()
        .min_by_key(|c| covered(*c))
        .expect("four corners");
    let (bx, by) = (bx.round() as i32, by.round() as i32);
    let (bw, bh) = (w.round() as i32, h.round() as i32);
    area.draw(&Rectangle::new(
        [(bx, by), (bx + bw, by + bh)],
        WHITE.mix(0.85).filled(),
    ))
    .map_err(render)?;
    area.draw(&Rectangle::new(
        [(bx, by), (bx + bw, by + bh)],
        rgb(EDGE_GRAY).stroke_width(1),
    ))
    .map_err(render)?;
    let style = text(LEGEND_FONT, INK, HPos::Left, VPos::Center, false);
    for (i, e) in entries.iter().enumerate() {
        let cy = (by as f64 + PAD + row_h * (i as f64 + 0.5)).round() as i32;
        let sx = bx + PAD as i32;
        let color = rgb(e.color);
        if e.line {
            area.draw(&PathElement::new(
                vec![(sx, cy), (sx + sample as i32, cy)],
                color.stroke_width(2),
            ))
            .map_err(render)?;
        }
        if e.dot {
            area.draw(&Circle::new(
                (sx + sample as i32 / 2, cy),
                3,
                color.filled(),
            ))
            .map_err(render)?;
        }
        if !e.line && !e.dot {
            let s = sample as i32;
            area.draw(&Rectangle::new(
                [(sx + s / 4, cy - 5), (sx + 3 * s / 4, cy + 5)],
                color.filled(),
            ))
            .map_err(render)?;
        }
        area.draw_text(&e.text, &style, (sx + sample as i32 + PAD as i32, cy))
            .map_err(render)?;
    }
    Ok(())
}
