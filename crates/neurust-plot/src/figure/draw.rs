//! Drawing one [`Axes`] with plotters primitives in pixel coordinates.
//!
//! Layout, ticks and the legend are computed here rather than with plotters'
//! `ChartBuilder`, so SVG and PNG share one layout and images keep square pixels.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::Result;
use crate::error::render;
use crate::figure::axes::Axes;
use crate::figure::legend::draw_legend;
use crate::figure::picture::Picture;
use crate::figure::scale::{Rect, Transform, data_ranges, nice_ticks};
use crate::figure::series::draw_series;
use crate::figure::style::*;
use crate::font::text_width;

type Area<DB> = DrawingArea<DB, Shift>;

/// Pixels beyond which a text position is clamped: far outside the largest figure.
const FAR: i32 = 1_000_000;

/// Where the axes' image (if any) must be painted; drawn by the caller.
pub(crate) struct Placement<'a> {
    pub picture: &'a Picture,
    pub rect: Rect,
}

/// Compute the layout of `ax` inside `cell`, returning the data → pixel transform.
/// Tick positions with their labels.
type Ticks = Vec<(f64, String)>;

fn layout(ax: &Axes, cell: Rect) -> (Transform, Ticks, Ticks) {
    let (xr, yr) = data_ranges(ax);
    let xt = ax
        .xticks
        .clone()
        .unwrap_or_else(|| nice_ticks(xr.0, xr.1, 6));
    let yt = ax
        .yticks
        .clone()
        .unwrap_or_else(|| nice_ticks(yr.0, yr.1, 5));
    let title_h = if ax.title.is_some() {
        TITLE_FONT * 1.1 + PAD
    } else {
        0.0
    };
    let (left, right, top, bottom) = if ax.axis_off {
        (PAD * 0.5, PAD * 0.5, title_h + PAD * 0.5, PAD * 0.5)
    } else {
        let ytw = yt
            .iter()
            .map(|(_, l)| text_width(l, TICK_FONT))
            .fold(0.0, f64::max);
        let left = PAD
            + ytw
            + TICK_LEN
            + 4.0
            + if ax.ylabel.is_some() {
                LABEL_FONT + 4.0
            } else {
                0.0
            };
        let bottom = PAD
            + TICK_LEN
            + TICK_FONT
            + 2.0
            + if ax.xlabel.is_some() {
                LABEL_FONT + 6.0
            } else {
                0.0
            };
        let half_tick = xt
            .last()
            .map(|(_, l)| text_width(l, TICK_FONT) / 2.0)
            .unwrap_or(0.0);
        (
            left,
            (PAD * 2.0).max(half_tick + 2.0),
            title_h + PAD * 2.0,
            bottom,
        )
    };
    let mut rect = Rect {
        x: cell.x + left,
        y: cell.y + top,
        w: (cell.w - left - right).max(1.0),
        h: (cell.h - top - bottom).max(1.0),
    };
    if ax.picture.is_some() {
        // Square pixels: shrink to the data's aspect, centred.
        let aspect = (xr.1 - xr.0).abs() / (yr.1 - yr.0).abs();
        if rect.w / rect.h > aspect {
            let w = rect.h * aspect;
            rect.x += (rect.w - w) / 2.0;
            rect.w = w;
        } else {
            let h = rect.w / aspect;
            rect.y += (rect.h - h) / 2.0;
            rect.h = h;
        }
    }
    (Transform { rect, x: xr, y: yr }, xt, yt)
}

/// Where the image of `ax` (if any) goes when the axes fills `cell`.
pub(crate) fn placement(ax: &Axes, cell: Rect) -> Option<Placement<'_>> {
    let rect = layout(ax, cell).0.rect;
    ax.picture
        .as_ref()
        .map(|picture| Placement { picture, rect })
}

/// Draw everything of `ax` except its image (see [`placement`]).
pub(crate) fn draw_axes<DB: DrawingBackend>(area: &Area<DB>, ax: &Axes, cell: Rect) -> Result<()> {
    let (t, xt, yt) = layout(ax, cell);
    let r = t.rect;
    let (x0, y0, x1, y1) = (
        r.x.round() as i32,
        r.y.round() as i32,
        (r.x + r.w).round() as i32,
        (r.y + r.h).round() as i32,
    );
    let in_x = |v: f64| v >= t.x.0.min(t.x.1) - 1e-9 && v <= t.x.0.max(t.x.1) + 1e-9;
    let in_y = |v: f64| v >= t.y.0.min(t.y.1) - 1e-9 && v <= t.y.0.max(t.y.1) + 1e-9;
    if ax.grid && !ax.axis_off {
        let style = rgb(GRID_GRAY).stroke_width(1);
        for (v, _) in xt.iter().filter(|(v, _)| in_x(*v)) {
            let px = t.px(*v).round() as i32;
            area.draw(&PathElement::new(vec![(px, y0), (px, y1)], style))
                .map_err(render)?;
        }
        for (v, _) in yt.iter().filter(|(v, _)| in_y(*v)) {
            let py = t.py(*v).round() as i32;
            area.draw(&PathElement::new(vec![(x0, py), (x1, py)], style))
                .map_err(render)?;
        }
    }
    for b in &ax.bars {
        for (i, ((l, w), h)) in b.lefts.iter().zip(&b.widths).zip(&b.heights).enumerate() {
            let (a, c) = (t.point(*l, 0.0), t.point(l + w, *h));
            area.draw(&Rectangle::new([a, c], rgb(b.color_of(i)).filled()))
                .map_err(render)?;
        }
    }
    for s in &ax.series {
        draw_series(area, s, &t)?;
    }
    for n in ax
        .notes
        .iter()
        .filter(|n| n.x.is_finite() && n.y.is_finite())
    {
        let style = text(n.size, n.color, HPos::Center, VPos::Center, false);
        // Text far outside the figure is invisible either way; a position near i32::MAX
        // (limits zoomed far away from it) overflows the backend's glyph arithmetic.
        let (x, y) = t.point(n.x, n.y);
        let at = (x.clamp(-FAR, FAR), y.clamp(-FAR, FAR));
        area.draw_text(&n.text, &style, at).map_err(render)?;
    }
    if !ax.axis_off {
        let frame = rgb(INK).stroke_width(1);
        area.draw(&PathElement::new(
            vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)],
            frame,
        ))
        .map_err(render)?;
        let tl = TICK_LEN as i32;
        let st = text(TICK_FONT, INK, HPos::Center, VPos::Top, false);
        for (v, l) in xt.iter().filter(|(v, _)| in_x(*v)) {
            let px = t.px(*v).round() as i32;
            area.draw(&PathElement::new(vec![(px, y1), (px, y1 + tl)], frame))
                .map_err(render)?;
            area.draw_text(l, &st, (px, y1 + tl + 3)).map_err(render)?;
        }
        let st = text(TICK_FONT, INK, HPos::Right, VPos::Center, false);
        for (v, l) in yt.iter().filter(|(v, _)| in_y(*v)) {
            let py = t.py(*v).round() as i32;
            area.draw(&PathElement::new(vec![(x0 - tl, py), (x0, py)], frame))
                .map_err(render)?;
            area.draw_text(l, &st, (x0 - tl - 3, py)).map_err(render)?;
        }
        let cx = ((x0 + x1) / 2, (y0 + y1) / 2);
        if let Some(xl) = &ax.xlabel {
            // Just under the tick labels, as matplotlib places it.
            let y = y1 + tl + 3 + (TICK_FONT + 4.0).round() as i32;
            let ink = ax.xlabel_color.unwrap_or(INK);
            area.draw_text(
                xl,
                &text(LABEL_FONT, ink, HPos::Center, VPos::Top, false),
                (cx.0, y),
            )
            .map_err(render)?;
        }
        if let Some(yl) = &ax.ylabel {
            // Just left of the widest tick label.
            let ytw = yt
                .iter()
                .filter(|(v, _)| in_y(*v))
                .map(|(_, l)| text_width(l, TICK_FONT))
                .fold(0.0, f64::max);
            let x = x0 - tl - 4 - (ytw + 4.0 + LABEL_FONT).round() as i32;
            area.draw_text(
                yl,
                &text(LABEL_FONT, INK, HPos::Center, VPos::Top, true),
                (x, cx.1),
            )
            .map_err(render)?;
        }
    }
    if let Some(title) = &ax.title {
        let style = text(TITLE_FONT, INK, HPos::Center, VPos::Bottom, false);
        area.draw_text(title, &style, ((x0 + x1) / 2, y0 - PAD.round() as i32))
            .map_err(render)?;
    }
    if ax.legend {
        draw_legend(area, ax, &t)?;
    }
    Ok(())
}
