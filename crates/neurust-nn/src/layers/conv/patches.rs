//! The patch matrix of a convolution ("im2col") and its adjoint ("col2im"): one row per
//! output position of each sample, holding the `kh × kw × c` input values under the kernel in
//! the order of the kernel's `(kh, kw, in)` axes, so that `patches · kernel` is the output.

use crate::layers::spatial::Geometry;

/// Writes the patch rows of `samples` (each `h·w·c` values, channels last) into `out`
/// (`samples · positions` rows of `kh·kw·c`); padding reads as zero.
pub(super) fn im2col(g: &Geometry, samples: &[f32], out: &mut [f32]) {
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
                        dst.copy_from_slice(&line[start..start + kw * c]);
                        continue;
                    }
                    for kx in 0..kw {
                        let ix = ix0 + kx as isize;
                        let d = &mut dst[kx * c..(kx + 1) * c];
                        if ix < 0 || ix >= g.w.input as isize {
                            d.fill(0.0);
                        } else {
                            d.copy_from_slice(&line[ix as usize * c..(ix as usize + 1) * c]);
                        }
                    }
                }
            }
        }
    }
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
