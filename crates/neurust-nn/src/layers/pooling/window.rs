//! The arithmetic of 2-D pooling: per window and channel, the maximum or the mean over the window's positions inside the input.
//! Samples are independent, so chunks of samples run in parallel with results that do not
//! depend on the thread count.

use std::sync::Mutex;

use ndarray::{Array2, ArrayView2, ArrayViewMut2, Axis};

use super::disjoint::{disjoint, max_backward, max_forward};
use super::pool::{Kind, Pool};
use crate::layers::compute::{chunk_lock, standard};
use crate::layers::spatial::Geometry;
use crate::parallel;

/// Samples per parallel part.
const CHUNK: usize = 8;

impl Pool {
    pub(super) fn forward(&mut self, x: ArrayView2<f32>, mut y: ArrayViewMut2<f32>) {
        if !y.is_standard_layout() {
            let mut owned = Array2::zeros(y.dim());
            self.forward(x, owned.view_mut());
            y.assign(&owned);
            return;
        }
        let x = standard(x);
        let (g, kind) = (self.geometry, self.kind);
        let c = g.channels;
        let tiled = kind == Kind::Max && disjoint(&g);
        let xs: Vec<ArrayView2<f32>> = x.axis_chunks_iter(Axis(0), CHUNK).collect();
        let ys: Vec<Mutex<ArrayViewMut2<f32>>> = y
            .axis_chunks_iter_mut(Axis(0), CHUNK)
            .map(Mutex::new)
            .collect();
        parallel::run_parts(xs.len(), &|i| {
            let mut yc = chunk_lock(&ys[i]);
            let x = xs[i].as_slice().expect("standard layout");
            let y = yc.as_slice_mut().expect("standard layout");
            let (x_len, y_len) = (g.h.input * g.w.input * c, g.positions() * c);
            crate::simd::widest(
                #[inline(always)]
                || {
                    for (x, y) in x.chunks_exact(x_len).zip(y.chunks_exact_mut(y_len)) {
                        if tiled {
                            max_forward(&g, x, y);
                            continue;
                        }
                        for (p, out) in y.chunks_exact_mut(c).enumerate() {
                            let mut count = 0usize;
                            for at in window(&g, p) {
                                let v = &x[at..at + c];
                                match (count, kind) {
                                    (0, _) => out.copy_from_slice(v),
                                    (_, Kind::Max) => {
                                        out.iter_mut().zip(v).for_each(|(o, &v)| *o = o.max(v))
                                    }
                                    (_, Kind::Average) => {
                                        out.iter_mut().zip(v).for_each(|(o, &v)| *o += v)
                                    }
                                }
                                count += 1;
                            }
                            if kind == Kind::Average {
                                let scale = 1.0 / count.max(1) as f32;
                                out.iter_mut().for_each(|o| *o *= scale);
                            }
                        }
                    }
                },
            );
        });
    }

    /// `dx` from `dy`: max pooling sends each gradient to the first position of its window
    /// holding the maximum (found again from `x` and `y`), average pooling spreads it evenly.
    pub(super) fn backward(
        &self,
        x: ArrayView2<f32>,
        y: ArrayView2<f32>,
        dy: ArrayView2<f32>,
        mut dx: ArrayViewMut2<f32>,
    ) {
        if !dx.is_standard_layout() {
            let mut owned = Array2::zeros(dx.dim());
            self.backward(x, y, dy, owned.view_mut());
            dx.assign(&owned);
            return;
        }
        let (x, y, dy) = (standard(x), standard(y), standard(dy));
        let (g, kind) = (self.geometry, self.kind);
        let c = g.channels;
        let tiled = kind == Kind::Max && disjoint(&g);
        let (xs, ys, dys) = (sample_chunks(&x), sample_chunks(&y), sample_chunks(&dy));
        let dxs: Vec<Mutex<ArrayViewMut2<f32>>> = dx
            .axis_chunks_iter_mut(Axis(0), CHUNK)
            .map(Mutex::new)
            .collect();
        parallel::run_parts(dxs.len(), &|i| {
            let mut dxc = chunk_lock(&dxs[i]);
            let dx = dxc.as_slice_mut().expect("standard layout");
            if !tiled {
                dx.fill(0.0);
            }
            let (x_len, y_len) = (g.h.input * g.w.input * c, g.positions() * c);
            let samples = xs[i]
                .chunks_exact(x_len)
                .zip(ys[i].chunks_exact(y_len))
                .zip(dys[i].chunks_exact(y_len))
                .zip(dx.chunks_exact_mut(x_len));
            // Each window's input offsets, listed once per part rather than per sample.
            let windows: Vec<Vec<usize>> = if tiled {
                Vec::new()
            } else {
                (0..g.positions())
                    .map(|p| window(&g, p).collect())
                    .collect()
            };
            // Per channel, 1.0 once its window's maximum has been found (branch-free, so the
            // channel loops vectorise).
            let mut done = vec![0.0f32; c];
            crate::simd::widest(
                #[inline(always)]
                || {
                    for (((x, y), dy), dx) in samples {
                        if tiled {
                            max_backward(&g, (x, y, dy), dx, &mut done);
                            continue;
                        }
                        for (p, offsets) in windows.iter().enumerate() {
                            let (out, d) = (&y[p * c..][..c], &dy[p * c..][..c]);
                            if kind == Kind::Average {
                                let scale = 1.0 / offsets.len().max(1) as f32;
                                for &at in offsets {
                                    let dst = &mut dx[at..at + c];
                                    dst.iter_mut().zip(d).for_each(|(x, &d)| *x += d * scale);
                                }
                                continue;
                            }
                            done.fill(0.0);
                            for &at in offsets {
                                let (xv, dst) = (&x[at..at + c], &mut dx[at..at + c]);
                                let lanes = xv.iter().zip(dst.iter_mut()).zip(out.iter().zip(d));
                                for (((&xv, dst), (&out, &d)), done) in lanes.zip(&mut done) {
                                    let hit = (xv == out) as u8 as f32 * (1.0 - *done);
                                    *dst += hit * d;
                                    *done += hit;
                                }
                            }
                        }
                    }
                },
            );
        });
    }
}

/// The values of `CHUNK` samples at a time.
fn sample_chunks<'a>(a: &'a ndarray::CowArray<'_, f32, ndarray::Ix2>) -> Vec<&'a [f32]> {
    let len = (a.ncols() * CHUNK).max(1);
    a.as_slice().expect("standard layout").chunks(len).collect()
}

/// The flat offsets (channel 0) of the input positions inside window `p`, in row order.
fn window(g: &Geometry, p: usize) -> impl Iterator<Item = usize> + Clone + '_ {
    let (oy, ox) = (p / g.w.output, p % g.w.output);
    let rows = (0..g.h.window)
        .map(move |k| g.h.at(oy, k))
        .filter(|&i| i >= 0 && i < g.h.input as isize);
    rows.flat_map(move |iy| {
        (0..g.w.window)
            .map(move |k| g.w.at(ox, k))
            .filter(|&i| i >= 0 && i < g.w.input as isize)
            .map(move |ix| (iy as usize * g.w.input + ix as usize) * g.channels)
    })
}
