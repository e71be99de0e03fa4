//! Runs an element-wise loop compiled for the widest vector extension the processor has.
//!
//! The crate is compiled for baseline x86-64 (SSE2: 4 floats per instruction); the optimizer
//! updates touch every weight every step, so they are worth running 16 floats at a time where
//! AVX-512 exists. The closure is inlined into a function compiled with those features, and
//! LLVM vectorises it there.

/// Calls `f`, compiled for AVX-512 or AVX2 when the running processor has them.
#[inline(always)]
pub fn widest<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    {
        if has_avx512() {
            // SAFETY: the processor supports the features the function is compiled for.
            return unsafe { avx512(f) };
        }
        if has_avx2_fma() {
            // SAFETY: as above.
            return unsafe { avx2(f) };
        }
    }
    f()
}

/// `dst.copy_from_slice(src)`, by 16-float loads and stores where the AVX-512 paths run. For a
/// training batch's rows, copied on a worker while the other core computes, the C library's
/// `memcpy` (`rep movsb` at these sizes) was measured far slower on an AMD EPYC than this loop,
/// though not when timed alone.
pub fn copy(dst: &mut [f32], src: &[f32]) {
    assert_eq!(
        dst.len(),
        src.len(),
        "copy between slices of different lengths"
    );
    #[cfg(target_arch = "x86_64")]
    if has_avx512() {
        // SAFETY: the processor has AVX-512F; the lengths are equal.
        unsafe { copy_avx512(dst, src) };
        return;
    }
    dst.copy_from_slice(src);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn copy_avx512(dst: &mut [f32], src: &[f32]) {
    use std::arch::x86_64::{_mm512_loadu_ps, _mm512_storeu_ps};
    let mut d = dst.chunks_exact_mut(16);
    let mut s = src.chunks_exact(16);
    for (d, s) in (&mut d).zip(&mut s) {
        // SAFETY: both chunks hold 16 floats.
        unsafe { _mm512_storeu_ps(d.as_mut_ptr(), _mm512_loadu_ps(s.as_ptr())) };
    }
    d.into_remainder().copy_from_slice(s.remainder());
}

/// Whether the AVX-512 paths run: built with the `avx512` feature (the default) and the
/// processor has AVX-512F.
#[cfg(target_arch = "x86_64")]
pub fn has_avx512() -> bool {
    cfg!(feature = "avx512") && std::arch::is_x86_feature_detected!("avx512f")
}

/// Whether the processor has AVX2 and FMA (the AVX2 paths).
#[cfg(target_arch = "x86_64")]
pub fn has_avx2_fma() -> bool {
    std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512vl,avx2,fma")]
unsafe fn avx512<R>(f: impl FnOnce() -> R) -> R {
    f()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn avx2<R>(f: impl FnOnce() -> R) -> R {
    f()
}

/// The mask of the first `n` lanes (at most 16) of a vector of 16 floats: the valid lanes of a
/// loop's last, partial vector.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub fn first_lanes(n: usize) -> std::arch::x86_64::__mmask16 {
    debug_assert!(n <= 16, "a vector has 16 lanes, not {n}");
    ((1u32 << n) - 1) as std::arch::x86_64::__mmask16
}
