//! Drawing a [`Series`]: polylines broken at NaN, optional dashes and markers.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::Result;
use crate::error::render;
use crate::figure::marks::Series;
use crate::figure::scale::Transform;
use crate::figure::style::rgb;

type Area<DB> = DrawingArea<DB, Shift>;

/// Polyline pieces between non-finite points, in pixels.
pub(crate) fn pieces(s: &Series, t: &Transform) -> Vec<Vec<(i32, i32)>> {
    let mut out = vec![vec![]];
    for (x, y) in s.xs.iter().zip(&s.ys) {
        if x.is_finite() && y.is_finite() {
            out.last_mut().expect("never empty").push(t.point(*x, *y));
        } else if !out.last().expect("never empty").is_empty() {
            out.push(vec![]);
        }
    }
    out.retain(|p| !p.is_empty());
    out
}

pub(crate) fn draw_series<DB: DrawingBackend>(
    area: &Area<DB>,
    s: &Series,
    t: &Transform,
) -> Result<()> {
    let color = rgb(s.color);
    for piece in pieces(s, t) {
        if s.line {
            let style = color.stroke_width(2);
            if s.dashed {
                for seg in dashes(&piece, 7.0, 4.0) {
                    area.draw(&PathElement::new(seg, style)).map_err(render)?;
                }
            } else {
                area.draw(&PathElement::new(piece.clone(), style))
                    .map_err(render)?;
            }
        }
        if s.marker {
            for p in &piece {
                area.draw(&Circle::new(*p, 3, color.filled()))
                    .map_err(render)?;
            }
        }
    }
    Ok(())
}

/// Segments longer than this many pixels (twice the largest figure's diagonal) are not dashed.
const MAX_DASHED_LEN: f64 = 30_000.0;

/// Split a polyline into dashes of `on` pixels separated by `off`.
fn dashes(points: &[(i32, i32)], on: f64, off: f64) -> Vec<Vec<(i32, i32)>> {
    let mut out = Vec::new();
    let (mut pos, mut drawing, mut cur) = (0.0, true, vec![points[0]]);
    for w in points.windows(2) {
        let (a, b) = (
            (w[0].0 as f64, w[0].1 as f64),
            (w[1].0 as f64, w[1].1 as f64),
        );
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        if len > MAX_DASHED_LEN {
            // A segment far longer than any figure (limits zoomed far into the data, or equal
            // limits): drawn solid, not as hundreds of millions of dashes.
            if drawing && cur.len() > 1 {
                out.push(std::mem::take(&mut cur));
            }
            out.push(vec![w[0], w[1]]);
            (pos, drawing, cur) = (0.0, true, vec![w[1]]);
            continue;
        }
        let mut d = 0.0;
        while d < len {
            let left = if drawing { on } else { off } - pos;
            let step = left.min(len - d);
            d += step;
            pos += step;
            let p = (a.0 + (b.0 - a.0) * d / len, a.1 + (b.1 - a.1) * d / len);
            let p = (p.0.round() as i32, p.1.round() as i32);
            if drawing {
                cur.push(p);
            }
            if pos >= if drawing { on } else { off } {
                if drawing {
                    out.push(std::mem::take(&mut cur));
                } else {
                    cur = vec![p];
                }
                drawing = !drawing;
                pos = 0.0;
            }
        }
    }
    if drawing && cur.len() > 1 {
        out.push(cur);
    }
    out
}
