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

/// The flat offset (channel 0) of the top left of each pooled position's window, with the
/// offset of each window position (row-major) from it: the same cells for every window,
/// found without a division per cell.
fn windows(
    g: &Geometry,
) -> (
    impl Iterator<Item = usize>,
    impl DoubleEndedIterator<Item = usize> + Clone,
) {
    let (kh, kw, c, row) = (g.h.window, g.w.window, g.channels, g.w.input * g.channels);
    let (oh, ow) = (g.h.output, g.w.output);
    let tops = (0..oh).flat_map(move |oy| (0..ow).map(move |ox| (oy * kh * row) + ox * kw * c));
    let cells = (0..kh).flat_map(move |ky| (0..kw).map(move |kx| ky * row + kx * c));
    (tops, cells)
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
    let (tops, cells) = windows(g);
    let chunks = out.chunks_exact_mut(c).zip(won.chunks_exact_mut(c));
    for ((out, won), top) in chunks.zip(tops) {
        // Sixteen channels at a time (a vector), each one's maximum and winner kept in
        // registers over the window: storing them after every window position would chain
        // each position to the one before through memory.
        let groups = c / LANES * LANES;
        for at in (0..groups).step_by(LANES) {
            let pooled = (&mut out[at..], &mut won[at..]);
            pool_lanes::<LANES>(&y[top + at..], cells.clone(), &bias[at..], pooled, &value);
        }
        for at in groups..c {
            let pooled = (&mut out[at..], &mut won[at..]);
            pool_lanes::<1>(&y[top + at..], cells.clone(), &bias[at..], pooled, &value);
        }
        if relu {
            continue;
        }
        won.fill(NONE);
        // Backwards, so that the first position holding the maximum is the last written.
        for (k, cell) in (0..n).rev().zip(cells.clone().rev()) {
            let v = &y[top + cell..][..c];
            for (((w, &o), &v), &b) in won.iter_mut().zip(&*out).zip(v).zip(bias) {
                *w = if value(v, b) == o { k as u8 } else { *w };
            }
        }
    }
}

/// Channels pooled together, a vector of `f32` under AVX-512.
const LANES: usize = 16;

/// The first `N` channels of one window: `out` = their maximum, `won` = the first window
/// position holding it (the last one greater than every position before it), with `y` from the
/// window's top left, `cells` the offsets of its positions and each value read as
/// `value(v, bias)`.
#[inline(always)]
fn pool_lanes<const N: usize>(
    y: &[f32],
    mut cells: impl Iterator<Item = usize>,
    bias: &[f32],
    (out, won): (&mut [f32], &mut [u8]),
    value: &impl Fn(f32, f32) -> f32,
) {
    let bias: &[f32; N] = bias[..N].try_into().expect("N channels");
    let mut max = read(
        y,
        cells.next().expect("a window has positions"),
        bias,
        value,
    );
    let mut winner = [0u8; N];
    for (k, cell) in (1u8..).zip(cells) {
        let v = read(y, cell, bias, value);
        for i in 0..N {
            winner[i] = if v[i] > max[i] { k } else { winner[i] };
            max[i] = max[i].max(v[i]);
        }
    }
    out[..N].copy_from_slice(&max);
    won[..N].copy_from_slice(&winner);
}

/// `N` values of `y` from `cell`, each read as `value(v, bias)`.
#[inline(always)]
fn read<const N: usize>(
    y: &[f32],
    cell: usize,
    bias: &[f32; N],
    value: &impl Fn(f32, f32) -> f32,
) -> [f32; N] {
    let v: &[f32; N] = y[cell..][..N].try_into().expect("N channels");
    let mut read = [0.0; N];
    for i in 0..N {
        read[i] = value(v[i], bias[i]);
    }
    read
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
    let mut lines = dy.chunks_exact_mut(g.w.input * c);
    for oy in 0..g.h.output {
        for ky in 0..kh {
            let line = lines.next().expect("pooled windows lie inside the input");
            // The columns past the last window receive no gradient (nor do the rows, below).
            let (covered, rest) = line.split_at_mut(g.w.output * kw * c);
            for (ox, window) in covered.chunks_exact_mut(kw * c).enumerate() {
                let p = (oy * g.w.output + ox) * c;
                for (kx, dst) in window.chunks_exact_mut(c).enumerate() {
                    let k = (ky * kw + kx) as u8;
                    let lanes = dst.iter_mut().zip(&out[p..][..c]).zip(&won[p..][..c]);
                    for (((dst, &o), &w), &d) in lanes.zip(&dout[p..][..c]) {
                        // `0.0 + d`, as the pooling's backward pass adds to zero (so -0
                        // becomes 0).
                        let pass = w == k && (!relu || o > 0.0);
                        *dst = if pass { 0.0 + d } else { 0.0 };
                    }
                }
            }
            rest.fill(0.0);
        }
    }
    lines.for_each(|line| line.fill(0.0));
    // Up to 64 channels at a time (four vectors, four independent sums), kept in registers
    // over all rows: adding each row to `bias_grad` in memory would chain every row to the
    // one before through a store and a load.
    let mut at = 0;
    while at < c {
        let (rows, sum) = (&dy[at..], &mut bias_grad[at..]);
        at += match c - at {
            64.. => sum_rows::<64>(rows, c, sum),
            32.. => sum_rows::<32>(rows, c, sum),
            16.. => sum_rows::<16>(rows, c, sum),
            _ => sum_rows::<1>(rows, c, sum),
        };
    }
}

/// `sum[..N] +=` the first `N` values of each row of `rows` (rows `c` apart), in order;
/// returns `N`.
#[inline(always)]
fn sum_rows<const N: usize>(rows: &[f32], c: usize, sum: &mut [f32]) -> usize {
    let mut acc: [f32; N] = sum[..N].try_into().expect("N channels");
    for row in rows.chunks(c) {
        let row: &[f32; N] = row[..N].try_into().expect("N channels");
        for i in 0..N {
            acc[i] += row[i];
        }
    }
    sum[..N].copy_from_slice(&acc);
    N
}
