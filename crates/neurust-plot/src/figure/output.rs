//! Rendering a [`Figure`] to SVG or PNG, and saving it.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::error::render;
use crate::figure::draw::{Placement, draw_axes, placement};
use crate::figure::raster::{blit, encode_png, svg_image};
use crate::figure::scale::Rect;
use crate::figure::style::{INK, TITLE_FONT, text};
use crate::{Figure, PlotError, Result};

impl Figure {
    /// The pixel rectangle of each subplot, row-major.
    fn cells(&self) -> Vec<Rect> {
        let top = if self.suptitle.is_some() {
            TITLE_FONT * 1.6
        } else {
            0.0
        };
        let w = self.width as f64 / self.cols as f64;
        let h = (self.height as f64 - top) / self.rows as f64;
        (0..self.axes.len())
            .map(|i| Rect {
                x: (i % self.cols) as f64 * w,
                y: top + (i / self.cols) as f64 * h,
                w,
                h,
            })
            .collect()
    }

    fn placements(&self) -> Vec<Placement<'_>> {
        self.axes
            .iter()
            .zip(self.cells())
            .filter_map(|(ax, cell)| placement(ax, cell))
            .collect()
    }

    fn draw_on<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, plotters::coord::Shift>,
    ) -> Result<()> {
        crate::font::ensure_registered();
        for (ax, cell) in self.axes.iter().zip(self.cells()) {
            draw_axes(root, ax, cell)?;
        }
        if let Some(t) = &self.suptitle {
            let style = text(TITLE_FONT * 1.1, INK, HPos::Center, VPos::Top, false);
            root.draw_text(t, &style, (self.width as i32 / 2, 4))
                .map_err(render)?;
        }
        root.present().map_err(render)
    }

    /// Render as an SVG document (text left to the browser's sans-serif font,
    /// images embedded as nearest-neighbour PNGs).
    ///
    /// ```
    /// let svg = neurust_plot::Figure::new().to_svg().unwrap();
    /// assert!(svg.contains("</svg>"));
    /// ```
    pub fn to_svg(&self) -> Result<String> {
        let mut svg = String::new();
        {
            let root =
                SVGBackend::with_string(&mut svg, (self.width, self.height)).into_drawing_area();
            self.draw_on(&root)?;
        }
        // Background and images go first, under the axes drawn by plotters.
        let mut under = String::from(
            "<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"#FFFFFF\"/>\n",
        );
        for p in self.placements() {
            under.push_str(&svg_image(p.picture, p.rect)?);
        }
        let at = svg
            .find("<svg")
            .and_then(|s| svg[s..].find('>').map(|e| s + e + 1))
            .ok_or_else(|| PlotError::Render("the SVG backend produced no <svg> element".into()))?;
        svg.insert_str(at, &format!("\n{under}"));
        Ok(svg)
    }

    /// Render as a PNG file (text drawn with the embedded DejaVu Sans).
    ///
    /// ```
    /// let png = neurust_plot::Figure::new().size_px(100, 80).to_png().unwrap();
    /// assert_eq!(&png[1..4], b"PNG");
    /// ```
    pub fn to_png(&self) -> Result<Vec<u8>> {
        let (w, h) = (self.width, self.height);
        let mut buf = vec![255u8; w as usize * h as usize * 3];
        for p in self.placements() {
            blit(p.picture, p.rect, &mut buf, w, h);
        }
        {
            let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
            self.draw_on(&root)?;
        }
        encode_png(w, h, &buf)
    }

    /// Save as `.svg` or `.png`, chosen by the file name's extension.
    ///
    /// ```
    /// let dir = std::env::temp_dir();
    /// neurust_plot::Figure::new().save(dir.join("neurust-doc.svg"))?;
    /// assert!(neurust_plot::Figure::new().save(dir.join("x.jpg")).is_err());
    /// # Ok::<(), neurust_plot::PlotError>(())
    /// ```
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let bytes = match ext.as_deref() {
            Some("svg") => self.to_svg()?.into_bytes(),
            Some("png") => self.to_png()?,
            _ => return Err(PlotError::UnsupportedFormat(path.display().to_string())),
        };
        std::fs::write(path, bytes).map_err(|e| PlotError::Io(format!("{}: {e}", path.display())))
    }
}
