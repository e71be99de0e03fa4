//! The embedded font used to measure text and to draw it in PNG output.
//!
//! SVG output leaves text to the browser (`font-family="sans-serif"`); PNG output
//! rasterises DejaVu Sans (embedded, see `assets/DejaVuSans-LICENSE.txt`) through
//! plotters' pure-Rust `ab_glyph` backend: no system fonts, fontconfig or freetype.

use std::sync::Once;

use plotters::style::{FontStyle, IntoFont};

static DEJAVU_SANS: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

/// Register the embedded font with plotters (idempotent, cheap after the first call).
pub(crate) fn ensure_registered() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The embedded file is a valid font; a failure would only degrade PNG text.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, DEJAVU_SANS);
    });
}

/// Width in pixels of `s` at `size`, measured with the embedded font.
pub(crate) fn text_width(s: &str, size: f64) -> f64 {
    ensure_registered();
    let font = ("sans-serif", size).into_font();
    font.box_size(s)
        .map(|(w, _)| w as f64)
        .unwrap_or(s.chars().count() as f64 * size * 0.5)
}
