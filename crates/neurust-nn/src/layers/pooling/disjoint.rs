//! Max pooling whose windows tile the input without overlapping: strides equal to the pool
//! size and no padding (Keras's default `MaxPooling2D`). Each input value then lies in at most
//! one window, so the backward pass writes every input gradient once, instead of zeroing them
//! all and adding, and the window loops have fixed bounds instead of a filtered iterator.
//!
//! Both functions visit a window's positions in the order of `window.rs` (rows, then
//! columns) and compute the same values as its general loops, bit for bit.

use crate::layers::spatial::{Axis1, Geometry};

/// Whether `g`'s windows are disjoint and lie wholly inside the input.
pub(super) fn disjoint(g: &Geometry) -> bool {
    let tiles = |a: &Axis1| a.stride == a.window && a.pad == 0 && a.output * a.window <= a.input;
    tiles(&g.h) && tiles(&g.w)
}

/// The flat offset (channel 0) of input row `iy`, column `ix`.
#[inline(always)]
fn at(g: &Geometry, iy: usize, ix: usize) -> usize {
    (iy * g.w.input + ix) * g.channels
}

/// `y` (one sample's outputs) = the maximum of each window of `x` (its inputs), per channel.
#[inline(always)]
pub(super) fn max_forward(g: &Geometry, x: &[f32], y: &mut [f32]) {
    let c = g.channels;
    let (kh, kw) = (g.h.window, g.w.window);
    for (p, out) in y.chunks_exact_mut(c).enumerate() {
        let (oy, ox) = (p / g.w.output, p % g.w.output);
        for ky in 0..kh {
            for kx in 0..kw {
                let start = at(g, oy * kh + ky, ox * kw + kx);
                let v = &x[start..start + c];
                if ky == 0 && kx == 0 {
                    out.copy_from_slice(v);
                } else {
                    out.iter_mut().zip(v).for_each(|(o, &v)| *o = o.max(v));
                }
            }
        }
    }
}

/// `dx` (one sample's input gradients, overwritten) from `dy`: each window's gradient goes to
/// the first of its positions holding the maximum, every other input gets zero. `done` is
/// scratch of one value per channel.
#[inline(always)]
pub(super) fn max_backward(
    g: &Geometry,
    (x, y, dy): (&[f32], &[f32], &[f32]),
    dx: &mut [f32],
    done: &mut [f32],
) {
    let c = g.channels;
    let (kh, kw) = (g.h.window, g.w.window);
    // The rows and columns past the last window receive no gradient.
    let (covered_rows, covered_cols) = (g.h.output * kh, g.w.output * kw);
    for (iy, line) in dx.chunks_exact_mut(g.w.input * c).enumerate() {
        let from = if iy < covered_rows {
            covered_cols * c
        } else {
            0
        };
        line[from..].fill(0.0);
    }
    for (p, (out, d)) in y.chunks_exact(c).zip(dy.chunks_exact(c)).enumerate() {
        let (oy, ox) = (p / g.w.output, p % g.w.output);
        done.fill(0.0);
        for ky in 0..kh {
            for kx in 0..kw {
                let start = at(g, oy * kh + ky, ox * kw + kx);
                let (xv, dst) = (&x[start..start + c], &mut dx[start..start + c]);
                let lanes = xv.iter().zip(dst.iter_mut()).zip(out.iter().zip(d));
                for (((&xv, dst), (&out, &d)), done) in lanes.zip(&mut *done) {
                    let hit = (xv == out) as u8 as f32 * (1.0 - *done);
                    // Added to zero, as the general loop does, so that zeros keep its sign.
                    *dst = 0.0 + hit * d;
                    *done += hit;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::spatial::Padding;

    /// One sample through both functions and through a direct reading of the definition,
    /// with many ties (values on a coarse grid) and inputs left over past the last window.
    #[test]
    fn matches_the_definition_with_ties_and_leftover_inputs() {
        let (h, w, c) = (7, 5, 3);
        let g = Geometry::new("t", "pool", &[h, w, c], [2, 2], [2, 2], Padding::Valid).unwrap();
        assert!(disjoint(&g));
        let x: Vec<f32> = (0..h * w * c).map(|i| ((i * 7919) % 5) as f32).collect();
        let dy: Vec<f32> = (0..g.positions() * c).map(|i| i as f32 - 20.0).collect();
        let mut y = vec![0.0; g.positions() * c];
        max_forward(&g, &x, &mut y);
        let mut dx = vec![f32::NAN; x.len()];
        max_backward(&g, (&x, &y, &dy), &mut dx, &mut vec![0.0; c]);
        let mut want_dx = vec![0.0; x.len()];
        for (oy, ox, ch) in
            (0..3).flat_map(|a| (0..2).flat_map(move |b| (0..c).map(move |k| (a, b, k))))
        {
            let p = (oy * 2 + ox) * c + ch;
            let cells = [(0, 0), (0, 1), (1, 0), (1, 1)]
                .map(|(dy, dx)| ((2 * oy + dy) * w + 2 * ox + dx) * c + ch);
            let max = cells.iter().map(|&i| x[i]).fold(f32::MIN, f32::max);
            assert_eq!(y[p], max);
            let first = cells.into_iter().find(|&i| x[i] == max).unwrap();
            want_dx[first] = dy[p];
        }
        assert_eq!(dx, want_dx);
    }
}
