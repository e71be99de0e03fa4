//! A Conv2D that pools its own output: the layer's forward and backward passes with a
//! following `MaxPooling2D` of disjoint windows done per chunk, while the chunk's output is
//! still in cache (the model decides when, in `model/fusion.rs`). The convolution's output
//! and its gradient live only in per-thread scratch; what the backward pass needs of them is
//! the pooled values and each window's winner (`winners.rs`), kept in `Work::winners`.
//!
//! Chunks, products and the order of every sum are those of `compute.rs`, and the pooling is
//! `MaxPooling2D`'s, so results are bit-identical to running the two layers one after the
//! other (for finite gradients), at any thread count.

use std::cell::RefCell;
use std::sync::Mutex;

use ndarray::{ArrayView2, ArrayViewMut2, Axis};

use super::chunk::{gradients, product};
use super::layer::Conv2D;
use super::winners::{fits, max_pool, unpool};
use crate::Activation;
use crate::layers::compute::{chunk_lock as take, standard};
use crate::layers::spatial::Geometry;
use crate::linalg::epilogue;
use crate::parallel;

thread_local! {
    /// One chunk's convolution output, then its gradient; grown as needed and kept.
    static OUTPUT: RefCell<Vec<f32>> = const { RefCell::new(Vec::new()) };
}

impl Conv2D {
    /// Whether this built layer can pool its own output with the pooling geometry `pool`: a
    /// ReLU or linear activation, and disjoint windows tiling this layer's output.
    pub(crate) fn pools_with(&self, pool: &Geometry) -> bool {
        let g = &self.geometry;
        let same_input =
            (pool.h.input, pool.w.input, pool.channels) == (g.h.output, g.w.output, self.filters);
        let act = matches!(self.resolved, Activation::Relu | Activation::Linear);
        act && same_input && fits(pool) && self.kernel.is_some()
    }

    /// The forward pass followed by max pooling of geometry `pool` (see
    /// [`pools_with`](Self::pools_with)): `y` gets the pooled values and `conv_y`, when given,
    /// the convolution's own output; the winners are kept for `backward_pooled`.
    pub(crate) fn forward_pooled(
        &mut self,
        pool: &Geometry,
        x: ArrayView2<f32>,
        mut conv_y: Option<ArrayViewMut2<f32>>,
        mut y: ArrayViewMut2<f32>,
    ) {
        debug_assert!(self.pools_with(pool));
        let x = standard(x);
        let (g, filters, per) = (self.geometry, self.filters, self.chunk_samples());
        let relu = self.resolved == Activation::Relu;
        let pooled_len = pool.positions() * filters;
        let mut winners = std::mem::take(&mut self.work.winners);
        winners.resize(x.nrows() * pooled_len, 0);
        {
            let (kernel, bias) = (self.kernel_matrix(), self.bias_vector());
            let bias_slice = bias.as_ref().and_then(|b| b.as_slice());
            let xs: Vec<ArrayView2<f32>> = x.axis_chunks_iter(Axis(0), per).collect();
            let ys = locked_chunks(&mut y, per);
            let conv_ys = conv_y.as_mut().map(|c| locked_chunks(c, per));
            let wons: Vec<Mutex<&mut [u8]>> = winners
                .chunks_mut(per * pooled_len)
                .map(Mutex::new)
                .collect();
            parallel::run_parts(xs.len(), &|i| {
                let rows = xs[i].nrows() * g.positions();
                let x = xs[i].as_slice().expect("standard layout");
                let mut own = conv_ys.as_ref().map(|c| take(&c[i]));
                // Without the convolution's own output to fill, its bias and ReLU are applied
                // by the pooling, window by window, while the values are in cache.
                let late_bias = own.is_none().then_some(bias_slice).flatten();
                let (mut yc, mut wc) = (take(&ys[i]), take(&wons[i]));
                let yc = yc.as_slice_mut().expect("standard layout");
                OUTPUT.with_borrow_mut(|scratch| {
                    let out = match own.as_mut() {
                        Some(c) => c.as_slice_mut().expect("standard layout"),
                        None => {
                            scratch.resize(rows * filters, 0.0);
                            &mut scratch[..rows * filters]
                        }
                    };
                    let mut o =
                        ArrayViewMut2::from_shape((rows, filters), &mut *out).expect("sized");
                    product(&g, kernel, x, o.view_mut());
                    if late_bias.is_none() {
                        let done = epilogue::bias_relu(o, bias, relu);
                        debug_assert!(done, "scratch rows are contiguous");
                    }
                    let samples = out
                        .chunks_exact(g.positions() * filters)
                        .zip(yc.chunks_exact_mut(pooled_len))
                        .zip(wc.chunks_exact_mut(pooled_len));
                    crate::simd::widest(
                        #[inline(always)]
                        || {
                            for ((o, y), w) in samples {
                                max_pool(pool, o, late_bias, (y, w), relu);
                            }
                        },
                    );
                });
            });
        }
        self.work.winners = winners;
    }

    /// Kernel and bias gradients, and `dx` when asked, from the pooled values `y` and their
    /// gradient `dy`, after [`forward_pooled`](Self::forward_pooled) on the same batch.
    pub(crate) fn backward_pooled(
        &mut self,
        pool: &Geometry,
        x: ArrayView2<f32>,
        y: ArrayView2<f32>,
        dy: ArrayView2<f32>,
        mut dx: Option<ArrayViewMut2<f32>>,
    ) {
        let (x, y, dy) = (standard(x), standard(y), standard(dy));
        let (g, filters, per) = (self.geometry, self.filters, self.chunk_samples());
        let k = self.fan_in(&g);
        let relu = self.resolved == Activation::Relu;
        let pooled_len = pool.positions() * filters;
        let kernel_t_buf = self.transposed_kernel();
        let kernel_t = ArrayView2::from_shape((filters, k), &kernel_t_buf[..]).expect("sized");
        let part_len = k * filters + filters;
        let chunks = x.nrows().div_ceil(per);
        let mut partials = std::mem::take(&mut self.work.partials);
        partials.resize(chunks * part_len, 0.0);
        {
            let winners = &self.work.winners[..x.nrows() * pooled_len];
            let lens = (per * pooled_len, per * pooled_len, per * pooled_len);
            let (ys, dys, wons): (Vec<_>, Vec<_>, Vec<_>) = (
                flat(&y).chunks(lens.0).collect(),
                flat(&dy).chunks(lens.1).collect(),
                winners.chunks(lens.2).collect(),
            );
            let xs: Vec<ArrayView2<f32>> = x.axis_chunks_iter(Axis(0), per).collect();
            let dxs = dx.as_mut().map(|d| locked_chunks(d, per));
            let parts: Vec<Mutex<&mut [f32]>> =
                partials.chunks_mut(part_len).map(Mutex::new).collect();
            parallel::run_parts(chunks, &|i| {
                let rows = xs[i].nrows() * g.positions();
                let mut part = take(&parts[i]);
                let (gk, gb) = part.split_at_mut(k * filters);
                let gk = ArrayViewMut2::from_shape((k, filters), gk).expect("sized");
                let mut dxc = dxs.as_ref().map(|d| take(&d[i]));
                let dxc = dxc.as_mut().map(|d| d.as_slice_mut().expect("contiguous"));
                OUTPUT.with_borrow_mut(|scratch| {
                    scratch.resize(rows * filters, 0.0);
                    let dconv = &mut scratch[..rows * filters];
                    let samples = ys[i]
                        .chunks_exact(pooled_len)
                        .zip(wons[i].chunks_exact(pooled_len))
                        .zip(dys[i].chunks_exact(pooled_len))
                        .zip(dconv.chunks_exact_mut(g.positions() * filters));
                    gb.fill(0.0);
                    crate::simd::widest(
                        #[inline(always)]
                        || {
                            for (((y, w), d), dc) in samples {
                                unpool(pool, (y, w, d), relu, dc, gb);
                            }
                        },
                    );
                    let dconv = ArrayViewMut2::from_shape((rows, filters), dconv).expect("sized");
                    gradients(
                        &g,
                        kernel_t,
                        xs[i].as_slice().expect("standard"),
                        dconv.view(),
                        gk,
                        dxc,
                    );
                });
            });
        }
        self.sum_partials(&partials, part_len);
        self.work.partials = partials;
        self.work.kernel_t = kernel_t_buf;
    }
}

/// The rows of `a` in chunks of `per` samples, each behind its own lock for one part.
fn locked_chunks<'a>(
    a: &'a mut ArrayViewMut2<'_, f32>,
    per: usize,
) -> Vec<Mutex<ArrayViewMut2<'a, f32>>> {
    a.axis_chunks_iter_mut(Axis(0), per)
        .map(Mutex::new)
        .collect()
}

/// The values of a standard-layout array.
fn flat<'a>(a: &'a ndarray::CowArray<'_, f32, ndarray::Ix2>) -> &'a [f32] {
    a.as_slice().expect("standard layout")
}
