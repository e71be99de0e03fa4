//! Turning a [`Picture`] into pixels: colour mapping, integer nearest-neighbour
//! upscaling and PNG encoding.
//!
//! In SVG an image is one `<image>` holding a PNG, not one `<rect>` per pixel:
//! a 2×5 MNIST grid is then a few kilobytes instead of ~8 000 elements, and
//! browsers draw no hairline seams between neighbouring rects. To stay sharp even
//! in renderers that ignore `image-rendering: pixelated`, the embedded PNG is
//! already upscaled by a whole factor with nearest-neighbour, so any smoothing a
//! renderer still applies only touches the last screen pixel of each block.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use image::{ImageBuffer, ImageFormat, Rgb as ImgRgb};

use crate::figure::picture::Picture;
use crate::figure::scale::Rect;
use crate::{PlotError, Result};

/// RGB pixels, row-major.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Raster {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<u8>,
}

impl Raster {
    /// The picture's pixels, each repeated `scale`×`scale` times.
    pub fn from_picture(p: &Picture, scale: u32) -> Raster {
        let (rows, cols) = (p.grid.rows, p.grid.cols);
        let s = scale.max(1) as usize;
        let (w, h) = (cols * s, rows * s);
        let mut rgb = Vec::with_capacity(w * h * 3);
        for y in 0..h {
            for x in 0..w {
                rgb.extend_from_slice(&p.rgb(y / s, x / s));
            }
        }
        Raster {
            width: w as u32,
            height: h as u32,
            rgb,
        }
    }

    pub fn to_png(&self) -> Result<Vec<u8>> {
        encode_png(self.width, self.height, &self.rgb)
    }
}

/// Encode RGB8 pixels as a PNG file.
pub(crate) fn encode_png(width: u32, height: u32, rgb: &[u8]) -> Result<Vec<u8>> {
    let buf: ImageBuffer<ImgRgb<u8>, &[u8]> = ImageBuffer::from_raw(width, height, rgb)
        .ok_or_else(|| PlotError::Render("pixel buffer has the wrong size".into()))?;
    let mut out = std::io::Cursor::new(Vec::new());
    buf.write_to(&mut out, ImageFormat::Png)
        .map_err(crate::error::render)?;
    Ok(out.into_inner())
}

/// The whole-number upscale for a picture of `cols`×`rows` shown in `target`.
pub(crate) fn upscale_factor(cols: usize, rows: usize, target: Rect) -> u32 {
    let fx = target.w / cols.max(1) as f64;
    let fy = target.h / rows.max(1) as f64;
    // At most 2048 pixels on a side: flat blocks compress to almost nothing.
    let cap = (2048 / cols.max(rows).max(1)).max(1) as u32;
    (fx.max(fy).ceil() as u32).clamp(1, cap)
}

/// The SVG `<image>` element for `p` drawn into `target`.
pub(crate) fn svg_image(p: &Picture, target: Rect) -> Result<String> {
    let scale = upscale_factor(p.grid.cols, p.grid.rows, target);
    let png = Raster::from_picture(p, scale).to_png()?;
    let uri = format!("data:image/png;base64,{}", STANDARD.encode(png));
    Ok(format!(
        "<image x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\" preserveAspectRatio=\"none\" \
         image-rendering=\"optimizeSpeed\" style=\"image-rendering:crisp-edges;image-rendering:pixelated\" \
         href=\"{uri}\"/>\n",
        target.x, target.y, target.w, target.h
    ))
}

/// Paint `p` into an RGB buffer of `width` pixels per row, nearest-neighbour.
pub(crate) fn blit(p: &Picture, target: Rect, buf: &mut [u8], width: u32, height: u32) {
    let (rows, cols) = (p.grid.rows, p.grid.cols);
    let x0 = target.x.round().max(0.0) as u32;
    let y0 = target.y.round().max(0.0) as u32;
    let x1 = ((target.x + target.w).round() as u32).min(width);
    let y1 = ((target.y + target.h).round() as u32).min(height);
    for py in y0..y1 {
        let r = (((py as f64 + 0.5 - target.y) / target.h * rows as f64) as usize).min(rows - 1);
        for px in x0..x1 {
            let c =
                (((px as f64 + 0.5 - target.x) / target.w * cols as f64) as usize).min(cols - 1);
            let i = (py as usize * width as usize + px as usize) * 3;
            buf[i..i + 3].copy_from_slice(&p.rgb(r, c));
        }
    }
}
