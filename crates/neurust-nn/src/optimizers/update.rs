//! What every optimizer's update formula works on: one chunk of a parameter tensor with its
//! gradient and state slots, and the flush-to-zero its moments go through.

/// What one update of one parameter tensor needs: its values, gradient and state slots.
pub(crate) struct Update<'a> {
    pub p: &'a mut [f32],
    pub g: &'a [f32],
    pub s: [&'a mut [f32]; 3],
}

/// Zero for values too small for a normal f32. Moments of weights whose gradient stays zero
/// (an always-black MNIST pixel) decay geometrically into subnormals, which x86 processes about
/// 100 times slower. On x86-64 the processor's flush-to-zero mode (`subnormal.rs`) already
/// zeroes every subnormal result while a model computes; this keeps the stored moments out of
/// the subnormal range on processors without that mode.
#[inline(always)]
pub(crate) fn flush(x: f32) -> f32 {
    if x.abs() < f32::MIN_POSITIVE { 0.0 } else { x }
}
