//! Subnormal floats flushed to zero while neurust computes, as TensorFlow runs its kernels.
//!
//! Values below `f32::MIN_POSITIVE` are handled by x86 processors about a hundred times more
//! slowly than normal ones, as operands or as results. Training meets them steadily: the
//! optimizer's moments of a weight whose input is rarely non-zero (an MNIST border pixel)
//! decay by β₁ every step through that range, and `α·m` lands in it. With the processor's
//! flush-to-zero and denormals-are-zero modes (FTZ, DAZ) such values read and write as zero
//! at full speed. TensorFlow sets both on every thread that runs its kernels; neurust sets them
//! on its worker threads for good and on the calling thread while a model computes
//! ([`FlushSubnormals`], held by the model's workspace), so every part of a job sees the same
//! arithmetic whichever thread runs it. Elsewhere than on x86-64 nothing changes.

use std::marker::PhantomData;

/// The MXCSR bits: flush-to-zero (15) and denormals-are-zero (6).
#[cfg(target_arch = "x86_64")]
const FTZ_DAZ: u32 = (1 << 15) | (1 << 6);

/// Sets FTZ and DAZ on this thread until dropped, then restores the previous modes. Not
/// `Send`: the modes belong to the thread that set them.
pub(crate) struct FlushSubnormals {
    #[cfg(target_arch = "x86_64")]
    saved: u32,
    _thread_bound: PhantomData<*const ()>,
}

impl FlushSubnormals {
    /// Turns the modes on for this thread.
    pub fn new() -> Self {
        #[cfg(target_arch = "x86_64")]
        {
            let saved = read_mxcsr();
            write_mxcsr(saved | FTZ_DAZ);
            FlushSubnormals {
                saved,
                _thread_bound: PhantomData,
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        FlushSubnormals {
            _thread_bound: PhantomData,
        }
    }

    /// Turns the modes on for the rest of this thread's life (the worker threads').
    pub fn forever() {
        std::mem::forget(Self::new());
    }
}

impl Drop for FlushSubnormals {
    fn drop(&mut self) {
        #[cfg(target_arch = "x86_64")]
        write_mxcsr(self.saved);
    }
}

#[cfg(target_arch = "x86_64")]
fn read_mxcsr() -> u32 {
    let mut v: u32 = 0;
    // SAFETY: STMXCSR stores the SSE control register (part of x86-64) to the given address,
    // a live local.
    unsafe {
        std::arch::asm!("stmxcsr [{}]", in(reg) &mut v, options(nostack, preserves_flags));
    }
    v
}

#[cfg(target_arch = "x86_64")]
fn write_mxcsr(v: u32) {
    // SAFETY: LDMXCSR loads the control register from a live local; the value is one read
    // from the register with only the FTZ and DAZ mode bits changed, which are valid.
    unsafe {
        std::arch::asm!("ldmxcsr [{}]", in(reg) &v, options(nostack, preserves_flags, readonly));
    }
}

/// Whether this thread flushes subnormals now.
#[cfg(all(test, target_arch = "x86_64"))]
fn flushing() -> bool {
    read_mxcsr() & FTZ_DAZ == FTZ_DAZ
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subnormal_results_are_zero_while_held_and_come_back_after() {
        let (tiny, half) = (f32::MIN_POSITIVE, 0.5f32);
        let product = || std::hint::black_box(tiny) * std::hint::black_box(half);
        assert!(product().is_subnormal());
        {
            let _flush = FlushSubnormals::new();
            #[cfg(target_arch = "x86_64")]
            assert_eq!(product(), 0.0);
        }
        assert!(product().is_subnormal());
    }

    /// Every part of a job, whichever thread runs it, computes in the same mode as the
    /// caller holding the guard (a workspace), so results do not depend on the thread count.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn every_part_of_a_job_flushes_while_the_caller_holds_the_guard() {
        use std::sync::atomic::{AtomicBool, Ordering};
        // Workers started before the guard (new threads inherit the creator's modes).
        crate::parallel::start_team();
        let _flush = FlushSubnormals::new();
        for _ in 0..20 {
            let seen: Vec<AtomicBool> = (0..8).map(|_| AtomicBool::new(false)).collect();
            crate::parallel::run_parts(8, &|p| {
                // Long enough that the workers wake and take parts too.
                std::thread::sleep(std::time::Duration::from_millis(1));
                seen[p].store(flushing(), Ordering::Relaxed);
            });
            assert!(seen.iter().all(|s| s.load(Ordering::Relaxed)));
        }
    }
}
