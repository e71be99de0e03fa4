//! The patch matrix of a convolution ("im2col") and its adjoint ("col2im"): one row per
//! output position of each sample, holding the `kh × kw × c` input values under the kernel in
//! the order of the kernel's `(kh, kw, in)` axes, so that `patches · kernel` is the output.

use crate::layers::spatial::{Axis1, Geometry};

/// Writes the patch rows of `samples` (each `h·w·c` values, channels last) into `out`
/// (`samples · positions` rows of `kh·kw·c`); padding reads as zero.
pub(super) fn im2col(g: &Geometry, samples: &[f32], out: &mut [f32]) {
    if inside(&g.h) && inside(&g.w) {
        im2col_inside(g, samples, out);
        return;
    }
    let c = g.channels;
    let (kh, kw) = (g.h.window, g.w.window);
    let row_len = kh * kw * c;
    let sample_len = g.h.input * g.w.input * c;
    let mut rows = out.chunks_exact_mut(row_len);
    for x in samples.chunks_exact(sample_len) {
        for oy in 0..g.h.output {
            for ox in 0..g.w.output {
                let row = rows.next().expect("the caller sizes `out`");
                for ky in 0..kh {
                    let iy = g.h.at(oy, ky);
                    let dst = &mut row[ky * kw * c..(ky + 1) * kw * c];
                    if iy < 0 || iy >= g.h.input as isize {
                        dst.fill(0.0);
                        continue;
                    }
                    let line = &x[iy as usize * g.w.input * c..(iy as usize + 1) * g.w.input * c];
                    let ix0 = g.w.at(ox, 0);
                    if ix0 >= 0 && ix0 as usize + kw <= g.w.input {
                        // The whole kernel row lies inside: one contiguous copy.
                        let start = ix0 as usize * c;
                        copy(dst, &line[start..start + kw * c]);
                        continue;
                    }
                    for kx in 0..kw {
                        let ix = ix0 + kx as isize;
                        let d = &mut dst[kx * c..(kx + 1) * c];
                        if ix < 0 || ix >= g.w.input as isize {
                            d.fill(0.0);
                        } else {
                            copy(d, &line[ix as usize * c..(ix as usize + 1) * c]);
                        }
                    }
                }
            }
        }
    }
}

/// Whether every window along `a` lies wholly inside the input (no padding is read).
fn inside(a: &Axis1) -> bool {
    a.pad == 0 && a.output > 0 && (a.output - 1) * a.stride + a.window <= a.input
}

/// [`im2col`] when no window reads padding: the patch rows of one output line are filled a
/// kernel row at a time from one input line, each a contiguous segment, with no bounds tests.
fn im2col_inside(g: &Geometry, samples: &[f32], out: &mut [f32]) {
    let c = g.channels;
    let (kh, seg) = (g.h.window, g.w.window * c);
    let row_len = kh * seg;
    let (line_len, step) = (g.w.input * c, g.w.stride * c);
    let mut blocks = out.chunks_exact_mut(g.w.output * row_len);
    for x in samples.chunks_exact(g.h.input * line_len) {
        for oy in 0..g.h.output {
            let block = blocks.next().expect("the caller sizes `out`");
            for ky in 0..kh {
                let iy = oy * g.h.stride + ky;
                let line = &x[iy * line_len..(iy + 1) * line_len];
                for (ox, row) in block.chunks_exact_mut(row_len).enumerate() {
                    let src = &line[ox * step..ox * step + seg];
                    copy(&mut row[ky * seg..(ky + 1) * seg], src);
                }
            }
        }
    }
}

/// `dst = src` (equal lengths). A first layer's segments are a few values long (a 3-wide
/// kernel over 1 or 3 channels); those are copied inline, as a call to `memcpy` per segment
/// would cost more than the copy itself.
#[inline(always)]
fn copy(dst: &mut [f32], src: &[f32]) {
    if dst.len() >= 32 {
        dst.copy_from_slice(src);
        return;
    }
    let (mut dst, mut src) = (dst, src);
    while dst.len() >= 8 {
        copy_n::<8>(dst, src);
        (dst, src) = (&mut dst[8..], &src[8..]);
    }
    match dst.len() {
        0 => {}
        1 => copy_n::<1>(dst, src),
        2 => copy_n::<2>(dst, src),
        3 => copy_n::<3>(dst, src),
        4 => copy_n::<4>(dst, src),
        5 => copy_n::<5>(dst, src),
        6 => copy_n::<6>(dst, src),
        _ => copy_n::<7>(dst, src),
    }
}

/// The first `N` values of `src` into `dst`, as fixed-size moves.
#[inline(always)]
fn copy_n<const N: usize>(dst: &mut [f32], src: &[f32]) {
    let v: [f32; N] = src[..N].try_into().expect("the caller checks the length");
    dst[..N].copy_from_slice(&v);
}

/// Adds each patch row's gradient back onto the input values it was copied from: `dx` (the
/// samples' input gradients, overwritten) from `dpatches` (laid out as [`im2col`] writes).
pub(super) fn col2im(g: &Geometry, dpatches: &[f32], dx: &mut [f32]) {
    dx.fill(0.0);
    let c = g.channels;
    let (kh, kw) = (g.h.window, g.w.window);
    let row_len = kh * kw * c;
    let sample_len = g.h.input * g.w.input * c;
    let mut rows = dpatches.chunks_exact(row_len);
    for x in dx.chunks_exact_mut(sample_len) {
        for oy in 0..g.h.output {
            for ox in 0..g.w.output {
                let row = rows.next().expect("the caller sizes `dpatches`");
                for ky in 0..kh {
                    let iy = g.h.at(oy, ky);
                    if iy < 0 || iy >= g.h.input as isize {
                        continue;
                    }
                    let line = &mut x[iy as usize * g.w.input * c..][..g.w.input * c];
                    for kx in 0..kw {
                        let ix = g.w.at(ox, kx);
                        if ix < 0 || ix >= g.w.input as isize {
                            continue;
                        }
                        let src = &row[(ky * kw + kx) * c..][..c];
                        let dst = &mut line[ix as usize * c..][..c];
                        dst.iter_mut().zip(src).for_each(|(d, &s)| *d += s);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::spatial::Padding;

    /// Both paths of `im2col` against the definition: row `(sample, oy, ox)`, column
    /// `(ky, kx, ch)` holds input `(oy·sy + ky − pad, ox·sx + kx − pad, ch)`, or zero outside.
    #[test]
    fn patch_rows_match_the_definition() {
        for (input, window, strides, padding) in [
            ([7, 6, 1], [3, 3], [1, 1], Padding::Valid),
            ([7, 6, 3], [3, 2], [2, 1], Padding::Valid),
            ([5, 5, 2], [3, 3], [1, 1], Padding::Same),
            ([6, 7, 4], [2, 3], [2, 2], Padding::Valid),
        ] {
            let g = Geometry::new("t", "kernel", &input, window, strides, padding).unwrap();
            let [h, w, c] = input;
            let x: Vec<f32> = (0..2 * h * w * c).map(|i| i as f32 + 1.0).collect();
            let row_len = window[0] * window[1] * c;
            let mut out = vec![f32::NAN; 2 * g.positions() * row_len];
            im2col(&g, &x, &mut out);
            let mut want = Vec::new();
            for n in 0..2 {
                for (oy, ox) in (0..g.h.output).flat_map(|a| (0..g.w.output).map(move |b| (a, b))) {
                    for (ky, kx, ch) in (0..window[0]).flat_map(|a| {
                        (0..window[1]).flat_map(move |b| (0..c).map(move |k| (a, b, k)))
                    }) {
                        let (iy, ix) = (g.h.at(oy, ky), g.w.at(ox, kx));
                        let outside = iy < 0 || ix < 0 || iy >= h as isize || ix >= w as isize;
                        want.push(if outside {
                            0.0
                        } else {
                            x[((n * h + iy as usize) * w + ix as usize) * c + ch]
                        });
                    }
                }
            }
            assert_eq!(out, want, "{input:?} {window:?} {strides:?} {padding:?}");
        }
    }
}
