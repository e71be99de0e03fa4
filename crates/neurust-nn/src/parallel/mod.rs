//! A tiny persistent thread team for the training loop's hot path.
//!
//! A training step of the tutorial model lasts about 100 µs, so handing work to another core
//! must cost far less than a thread spawn or a sleeping pool's wake-up. [`run`] publishes a job
//! of `num_threads()` parts; every thread, the caller included, claims parts from one atomic
//! counter until none is left, so a worker that the OS has not scheduled (a busy machine) costs
//! nothing: the caller simply does its part too. Idle workers spin briefly, then park.
//! One job runs at a time; a nested or concurrent call runs its parts on the calling thread.

use std::cell::{Cell, UnsafeCell};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::thread::{self, Thread};

type Job = *const (dyn Fn(usize) + Sync);

/// Spins of an idle worker before it parks (a few tens of microseconds).
const IDLE_SPINS: u32 = 20_000;

struct Shared {
    /// The job's generation in the high 32 bits, the next unclaimed part in the low 32.
    claim: AtomicU64,
    /// Parts of the current job finished.
    done: AtomicUsize,
    parts: AtomicUsize,
    panicked: AtomicBool,
    job: UnsafeCell<Option<Job>>,
}

// SAFETY: `job` is written only by the thread holding `Team::busy`, before the Release store
// of a new generation into `claim`; a worker reads it only after claiming a part of that
// generation, and the job outlives the read because `run` waits until every part is done.
unsafe impl Sync for Shared {}
unsafe impl Send for Shared {}

struct Team {
    shared: &'static Shared,
    workers: Vec<Thread>,
    busy: Mutex<()>,
}

thread_local! {
    static IN_JOB: Cell<bool> = const { Cell::new(false) };
}

/// How many threads the team uses: `NEURUST_NUM_THREADS`, else the cores available.
pub fn num_threads() -> usize {
    team().workers.len() + 1
}

/// Starts the process's worker threads now, if no copy of this crate has yet.
pub(crate) fn start_team() {
    team();
}

/// The process's one team (see `crate::process`): every notebook cell links its own copy of this
/// crate, and each would otherwise start, and never stop, its own workers.
fn team() -> &'static Team {
    static THIS_COPY: OnceLock<&'static Team> = OnceLock::new();
    crate::process::shared(&THIS_COPY, "THREAD_TEAM", || {
        let n = std::env::var("NEURUST_NUM_THREADS")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or_else(|| thread::available_parallelism().map_or(1, |n| n.get()))
            .clamp(1, 64);
        let shared: &'static Shared = Box::leak(Box::new(Shared {
            claim: AtomicU64::new(0),
            done: AtomicUsize::new(0),
            parts: AtomicUsize::new(0),
            panicked: AtomicBool::new(false),
            job: UnsafeCell::new(None),
        }));
        let workers = (1..n)
            .filter_map(|i| {
                thread::Builder::new()
                    .name(format!("neurust-worker-{i}"))
                    .spawn(move || worker(shared))
                    .ok()
                    .map(|h| h.thread().clone())
            })
            .collect();
        Team {
            shared,
            workers,
            busy: Mutex::new(()),
        }
    })
}

/// Claims and runs parts of generation `generation` until none is left.
fn work(shared: &Shared, generation: u64) {
    let parts = shared.parts.load(Ordering::Acquire) as u64;
    let mut state = shared.claim.load(Ordering::Acquire);
    loop {
        if state >> 32 != generation || state & 0xFFFF_FFFF >= parts {
            return;
        }
        match shared.claim.compare_exchange_weak(
            state,
            state + 1,
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => {
                let part = (state & 0xFFFF_FFFF) as usize;
                // SAFETY: see `Shared`; our claimed part keeps the job alive.
                let job = unsafe {
                    (*shared.job.get()).expect("a job is published before its generation")
                };
                if catch_unwind(AssertUnwindSafe(|| unsafe { (*job)(part) })).is_err() {
                    shared.panicked.store(true, Ordering::Relaxed);
                }
                shared.done.fetch_add(1, Ordering::AcqRel);
                state = shared.claim.load(Ordering::Acquire);
            }
            Err(now) => state = now,
        }
    }
}

fn worker(shared: &'static Shared) {
    IN_JOB.with(|f| f.set(true));
    let mut seen = 0u64;
    loop {
        let mut spins = 0u32;
        let generation = loop {
            let g = shared.claim.load(Ordering::Acquire) >> 32;
            if g != seen {
                break g;
            }
            spins += 1;
            if spins < IDLE_SPINS {
                std::hint::spin_loop();
            } else {
                thread::park_timeout(std::time::Duration::from_secs(1));
            }
        };
        seen = generation;
        work(shared, generation);
    }
}

/// Runs `f(part)` for every `part` in `0..parts`, in parallel where cores are free, and
/// returns when all are done. Each part must touch data disjoint from the others'. More parts
/// than threads balance the load when a core is busy with other work: the threads that run
/// claim the parts of one that does not.
pub fn run_parts(parts: usize, f: &(dyn Fn(usize) + Sync)) {
    let team = team();
    let nested = IN_JOB.with(|flag| flag.get());
    let guard = if nested || team.workers.is_empty() {
        None
    } else {
        team.busy.try_lock().ok()
    };
    let Some(_guard) = guard else {
        (0..parts).for_each(f);
        return;
    };
    let shared = team.shared;
    // SAFETY: we hold `busy` and the previous job is complete; the lifetime is erased, which
    // is sound because we wait for every part before returning.
    unsafe {
        let erased: Job = std::mem::transmute::<&(dyn Fn(usize) + Sync), Job>(f);
        *shared.job.get() = Some(erased);
    }
    shared.parts.store(parts, Ordering::Release);
    shared.done.store(0, Ordering::Release);
    let generation = (shared.claim.load(Ordering::Acquire) >> 32) + 1;
    shared.claim.store(generation << 32, Ordering::Release);
    for w in &team.workers {
        w.unpark();
    }
    IN_JOB.with(|flag| flag.set(true));
    work(shared, generation);
    IN_JOB.with(|flag| flag.set(false));
    let mut spins = 0u32;
    while shared.done.load(Ordering::Acquire) != parts {
        spins += 1;
        if spins < 2_000 {
            std::hint::spin_loop();
        } else {
            thread::yield_now();
        }
    }
    if shared.panicked.swap(false, Ordering::Relaxed) {
        panic!("a neurust worker thread panicked");
    }
}

/// The half-open range of `0..len` that `part` of `parts` owns, in blocks of `align`.
pub fn split_range(len: usize, part: usize, parts: usize, align: usize) -> std::ops::Range<usize> {
    let blocks = len.div_ceil(align);
    let start = (blocks * part / parts * align).min(len);
    let end = (blocks * (part + 1) / parts * align).min(len);
    start..end
}

/// A mutable slice that parts of a [`run`] job may split by disjoint ranges.
pub struct SharedMut<'a, T> {
    ptr: *mut T,
    len: usize,
    _life: std::marker::PhantomData<&'a mut [T]>,
}

// SAFETY: access goes through `range`, whose caller promises disjoint ranges across threads.
unsafe impl<T: Send> Sync for SharedMut<'_, T> {}

impl<'a, T> SharedMut<'a, T> {
    /// Wraps a slice for the duration of one job.
    pub fn new(slice: &'a mut [T]) -> Self {
        SharedMut {
            ptr: slice.as_mut_ptr(),
            len: slice.len(),
            _life: std::marker::PhantomData,
        }
    }

    /// The elements `r` of the slice.
    ///
    /// # Safety
    /// No two live results may overlap (each part of a job takes its own range).
    #[allow(clippy::mut_from_ref)]
    pub unsafe fn range(&self, r: std::ops::Range<usize>) -> &mut [T] {
        assert!(r.start <= r.end && r.end <= self.len);
        unsafe { std::slice::from_raw_parts_mut(self.ptr.add(r.start), r.end - r.start) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_runs_once_and_results_are_visible() {
        let mut out = vec![0usize; 1000];
        for round in 0..200 {
            let shared = SharedMut::new(&mut out);
            let parts = num_threads();
            run_parts(num_threads(), &|part| {
                let r = split_range(1000, part, parts, 16);
                // SAFETY: split_range gives disjoint ranges.
                for v in unsafe { shared.range(r) } {
                    *v += round;
                }
            });
        }
        let want: usize = (0..200).sum();
        assert!(out.iter().all(|&v| v == want));
    }

    #[test]
    fn split_range_covers_everything_once() {
        for len in [0, 1, 15, 16, 17, 256, 1000] {
            for parts in 1..5 {
                let mut covered = vec![0; len];
                for p in 0..parts {
                    for i in split_range(len, p, parts, 16) {
                        covered[i] += 1;
                    }
                }
                assert!(covered.iter().all(|&c| c == 1), "len {len} parts {parts}");
            }
        }
    }

    #[test]
    fn nested_runs_do_not_deadlock() {
        let count = AtomicUsize::new(0);
        run_parts(num_threads(), &|_| {
            run_parts(num_threads(), &|_| {
                count.fetch_add(1, Ordering::Relaxed);
            })
        });
        assert_eq!(count.load(Ordering::Relaxed), num_threads() * num_threads());
    }
}
