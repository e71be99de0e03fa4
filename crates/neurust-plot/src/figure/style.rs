//! Font sizes, colours and spacing shared by all drawing code.

use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontTransform, IntoFont, RGBColor, TextStyle};

use crate::figure::marks::Rgb;

/// Font sizes in plotters units (SVG `font-size` is this / 1.24 px).
pub(crate) const TICK_FONT: f64 = 15.0;
pub(crate) const LABEL_FONT: f64 = 16.0;
pub(crate) const TITLE_FONT: f64 = 18.0;
pub(crate) const LEGEND_FONT: f64 = 15.0;
pub(crate) const TICK_LEN: f64 = 5.0;
pub(crate) const PAD: f64 = 6.0;

pub(crate) const INK: Rgb = [0, 0, 0];
pub(crate) const GRID_GRAY: Rgb = [0xd0, 0xd0, 0xd0];
pub(crate) const EDGE_GRAY: Rgb = [0xcc, 0xcc, 0xcc];

pub(crate) fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c[0], c[1], c[2])
}

/// A sans-serif text style anchored at (h, v), optionally rotated for y labels.
pub(crate) fn text(size: f64, color: Rgb, h: HPos, v: VPos, rotate: bool) -> TextStyle<'static> {
    let font = ("sans-serif", size).into_font();
    let font = if rotate {
        font.transform(FontTransform::Rotate270)
    } else {
        font
    };
    font.color(&rgb(color)).pos(Pos::new(h, v))
}
