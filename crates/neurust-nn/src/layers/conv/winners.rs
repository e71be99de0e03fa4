//! Max pooling over disjoint windows of one sample's convolution output, for a convolution
//! that pools its own output (`pooled.rs`). The forward pass records, per pooled value, which
//! window position won, so the backward pass needs neither the convolution's output nor a
//! second search of its windows.
//!
//! Both match `MaxPooling2D` bit for bit: the maximum is taken as `pooling/disjoint.rs` takes
//! it (the first value, then `f32::max` in row order), the winner is the first position
//! holding it, and the backward pass writes what the pooling's backward pass followed by the
//! convolution's ReLU mask writes, for finite gradients.

use crate::layers::spatial::Geometry;

/// The winner of a window no position equals (its maximum is NaN, which ReLU never outputs).
pub(super) const NONE: u8 = u8::MAX;

/// Whether the pooling `g` can record winners: disjoint windows inside the input, with fewer
/// positions than `NONE`.
pub(crate) fn fits(g: &Geometry) -> bool {
    let tiles = |a: &crate::layers::spatial::Axis1| {
        a.stride == a.window && a.pad == 0 && a.output > 0 && a.output * a.window <= a.input
    };
    tiles(&g.h) && tiles(&g.w) && g.h.window * g.w.window < NONE as usize
}

/// The flat offset (channel 0) of input row `iy`, column `ix`.
#[inline(always)]
fn at(g: &Geometry, iy: usize, ix: usize) -> usize {
    (iy * g.w.input + ix) * g.channels
}

/// The flat offset of position `k` (row-major in the window) of pooled position `p`.
#[inline(always)]
fn cell(g: &Geometry, p: usize, k: usize) -> usize {
    let (oy, ox) = (p / g.w.output, p % g.w.output);
    let (kh, kw) = (g.h.window, g.w.window);
    at(g, oy * kh + k / kw, ox * kw + k % kw)
}

/// `out` (one sample's pooled values) = the maximum of each window of `y` (its convolution
/// output), per channel; `won` = the first window position holding it, or `NONE`. With
/// `bias`, `y` holds the products alone, and each value gets the layer's epilogue
/// (`epilogue::bias_relu`'s operations: `+ bias`, then with `relu` the ReLU) as it is read,
/// while in cache; `y` itself is not written. Without NaNs (`relu`) the first position holding
/// the maximum is the last one greater than every position before it, found in the same loop;
/// otherwise in a second.
#[inline(always)]
pub(super) fn max_pool(
    g: &Geometry,
    y: &[f32],
    bias: Option<&[f32]>,
    pooled: (&mut [f32], &mut [u8]),
    relu: bool,
) {
    match bias {
        Some(bias) if relu => pool_with(g, y, bias, pooled, relu, |v, b| (v + b).max(0.0)),
        Some(bias) => pool_with(g, y, bias, pooled, relu, |v, b| v + b),
        // Any `c` values stand in for the bias the closure ignores.
        None => pool_with(g, y, &y[..g.channels], pooled, relu, |v, _| v),
    }
}

/// [`max_pool`] with each value of `y` read as `value(v, bias)`.
#[inline(always)]
fn pool_with(
    g: &Geometry,
    y: &[f32],
    bias: &[f32],
    (out, won): (&mut [f32], &mut [u8]),
    relu: bool,
    value: impl Fn(f32, f32) -> f32,
) {
    let c = g.channels;
    let n = g.h.window * g.w.window;
    for (p, (out, won)) in out
        .chunks_exact_mut(c)
        .zip(won.chunks_exact_mut(c))
        .enumerate()
    {
        let first = &y[cell(g, p, 0)..][..c];
        for ((o, &v), &b) in out.iter_mut().zip(first).zip(bias) {
            *o = value(v, b);
        }
        won.fill(0);
        for k in 1..n {
            let v = &y[cell(g, p, k)..][..c];
            for (((o, w), &v), &b) in out.iter_mut().zip(won.iter_mut()).zip(v).zip(bias) {
                let v = value(v, b);
                *w = if v > *o { k as u8 } else { *w };
                *o = o.max(v);
            }
        }
        if relu {
            continue;
        }
        won.fill(NONE);
        // Backwards, so that the first position holding the maximum is the last written.
        for k in (0..n).rev() {
            let v = &y[cell(g, p, k)..][..c];
            for (((w, &o), &v), &b) in won.iter_mut().zip(&*out).zip(v).zip(bias) {
                *w = if value(v, b) == o { k as u8 } else { *w };
            }
        }
    }
}

/// `dy` (one sample's convolution output gradient, overwritten) from the pooled values `out`,
/// their winners `won` and gradients `dout`: each window's gradient goes to its winner, and
/// with `relu` only where the pooled value is positive (the winner's output equals it, and the
/// ReLU passes no gradient elsewhere); every other position gets zero. Each row of `dy` (an
/// output position), in order, is then added to `bias_grad`: the bias gradient's sum, in the
/// order `epilogue::relu_backward_bias` takes it.
#[inline(always)]
pub(super) fn unpool(
    g: &Geometry,
    (out, won, dout): (&[f32], &[u8], &[f32]),
    relu: bool,
    dy: &mut [f32],
    bias_grad: &mut [f32],
) {
    let c = g.channels;
    let (kh, kw) = (g.h.window, g.w.window);
    // The rows and columns past the last window receive no gradient.
    let (covered_rows, covered_cols) = (g.h.output * kh, g.w.output * kw);
    for (iy, line) in dy.chunks_exact_mut(g.w.input * c).enumerate() {
        for (ix, dst) in line.chunks_exact_mut(c).enumerate() {
            if iy < covered_rows && ix < covered_cols {
                let p = (iy / kh * g.w.output + ix / kw) * c;
                let k = ((iy % kh) * kw + ix % kw) as u8;
                let lanes = dst.iter_mut().zip(&out[p..][..c]).zip(&won[p..][..c]);
                for (((dst, &o), &w), &d) in lanes.zip(&dout[p..][..c]) {
                    // `0.0 + d`, as the pooling's backward pass adds to zero (so -0 becomes 0).
                    let pass = w == k && (!relu || o > 0.0);
                    *dst = if pass { 0.0 + d } else { 0.0 };
                }
            } else {
                dst.fill(0.0);
            }
            bias_grad.iter_mut().zip(&*dst).for_each(|(b, &d)| *b += d);
        }
    }
}
