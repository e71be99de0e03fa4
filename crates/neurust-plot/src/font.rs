//! The embedded font used to measure text and to draw it in PNG output.
//!
//! SVG output leaves text to the browser (`font-family="sans-serif"`); PNG output
//! rasterises DejaVu Sans (embedded, see `assets/DejaVuSans-LICENSE.txt`) through
//! plotters' pure-Rust `ab_glyph` backend: no system fonts, fontconfig or freetype.

use std::sync::Once;

use plotters::style::FontStyle;

static DEJAVU_SANS: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

/// Register the embedded font with plotters (idempotent, cheap after the first call).
pub(crate) fn ensure_registered() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The embedded file is a valid font; a failure would only degrade PNG text.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, DEJAVU_SANS);
    });
}
