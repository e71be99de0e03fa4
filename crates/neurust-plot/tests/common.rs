//! Shared test data: synthetic "digits" and a place to write files for people to look at.

#![allow(dead_code)]

use std::path::PathBuf;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use ndarray::Array3;

/// Ten 28×28 u8 images: a ring of radius 4 + i, with a stroke whose angle depends on i.
pub fn fake_digits(n: usize) -> Array3<u8> {
    Array3::from_shape_fn((n, 28, 28), |(i, r, c)| {
        let (y, x) = (r as f64 - 13.5, c as f64 - 13.5);
        let ring = ((x * x + y * y).sqrt() - (4.0 + (i % 8) as f64)).abs() < 1.5;
        let a = i as f64 * 0.6;
        let stroke = (x * a.sin() - y * a.cos()).abs() < 1.2 && (x * x + y * y) < 100.0;
        if ring || stroke {
            255
        } else {
            ((r * 3 + c) % 7) as u8
        }
    })
}

/// `<target dir>/neurust-plot`, created.
pub fn out_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("neurust-plot");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The decoded PNG of every embedded `<image>` of an SVG, in drawing order.
pub fn embedded_pngs(svg: &str) -> Vec<image::RgbImage> {
    svg.split("href=\"data:image/png;base64,")
        .skip(1)
        .map(|s| {
            let b64 = &s[..s.find('"').unwrap()];
            image::load_from_memory(&STANDARD.decode(b64).unwrap())
                .unwrap()
                .to_rgb8()
        })
        .collect()
}
