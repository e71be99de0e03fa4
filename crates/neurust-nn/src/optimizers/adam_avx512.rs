//! Adam's element-wise update on AVX-512, 16 weights at a time.
//!
//! Written out with intrinsics (rather than left to the auto-vectoriser) so that the loop is
//! one pass with masked tails and no bounds checks; the arithmetic is the portable loop's,
//! operation for operation (exact `sqrt` and division), so both give the same bits.

use std::arch::x86_64::*;

/// Per-step constants: `α`, `1-β₁`, `1-β₂`, `ε`.
#[derive(Clone, Copy)]
pub struct Coefficients {
    pub alpha: f32,
    pub c1: f32,
    pub c2: f32,
    pub eps: f32,
}

/// `m += (g-m)c1`, `v += (g²-v)c2` (each flushed to zero below the normal range), then
/// `p -= α·m/(sqrt(v)+ε)`, for equally long slices.
///
/// A vector whose `g`, `m` and `v` are all zero (a pixel no image has lit, whose weights never
/// had a gradient) is left as it is, without its `sqrt` and division, which are what the
/// update waits on: with `α` finite and `ε > 0` its update is `m = v = 0` and `p -= 0/ε`,
/// which changes no bit (the moments are never −0: they start at +0 and a flush gives +0).
///
/// # Safety
/// [`has_avx512`](crate::simd::has_avx512) returned true.
#[target_feature(enable = "avx512f")]
pub unsafe fn update(k: Coefficients, p: &mut [f32], g: &[f32], m: &mut [f32], v: &mut [f32]) {
    let n = p.len();
    assert!(g.len() == n && m.len() == n && v.len() == n);
    let (c1, c2) = (_mm512_set1_ps(k.c1), _mm512_set1_ps(k.c2));
    let (alpha, eps) = (_mm512_set1_ps(k.alpha), _mm512_set1_ps(k.eps));
    let tiny = _mm512_set1_ps(f32::MIN_POSITIVE);
    let zero = _mm512_setzero_ps();
    let may_skip = k.alpha.is_finite() && k.eps > 0.0;
    let mut i = 0;
    while i < n {
        let mask = crate::simd::first_lanes((n - i).min(16));
        // SAFETY: the mask limits every access to the first `n` elements of each slice.
        unsafe {
            let gv = _mm512_maskz_loadu_ps(mask, g.as_ptr().add(i));
            let mut mv = _mm512_maskz_loadu_ps(mask, m.as_ptr().add(i));
            let mut vv = _mm512_maskz_loadu_ps(mask, v.as_ptr().add(i));
            let lit = _mm512_cmp_ps_mask::<_CMP_NEQ_UQ>(gv, zero)
                | _mm512_cmp_ps_mask::<_CMP_NEQ_UQ>(mv, zero)
                | _mm512_cmp_ps_mask::<_CMP_NEQ_UQ>(vv, zero);
            if may_skip && lit == 0 {
                i += 16;
                continue;
            }
            let pv = _mm512_maskz_loadu_ps(mask, p.as_ptr().add(i));
            // The scalar formulas' operations in their order (no fused multiply-adds), so the
            // results equal the portable loop's bit for bit.
            mv = _mm512_add_ps(mv, _mm512_mul_ps(_mm512_sub_ps(gv, mv), c1));
            mv = _mm512_maskz_mov_ps(
                _mm512_cmp_ps_mask::<_CMP_NLT_UQ>(_mm512_abs_ps(mv), tiny),
                mv,
            );
            let g2 = _mm512_mul_ps(gv, gv);
            vv = _mm512_add_ps(vv, _mm512_mul_ps(_mm512_sub_ps(g2, vv), c2));
            vv = _mm512_maskz_mov_ps(
                _mm512_cmp_ps_mask::<_CMP_NLT_UQ>(_mm512_abs_ps(vv), tiny),
                vv,
            );
            let d = _mm512_add_ps(_mm512_sqrt_ps(vv), eps);
            let step = _mm512_div_ps(_mm512_mul_ps(alpha, mv), d);
            _mm512_mask_storeu_ps(p.as_mut_ptr().add(i), mask, _mm512_sub_ps(pv, step));
            _mm512_mask_storeu_ps(m.as_mut_ptr().add(i), mask, mv);
            _mm512_mask_storeu_ps(v.as_mut_ptr().add(i), mask, vv);
        }
        i += 16;
    }
}
