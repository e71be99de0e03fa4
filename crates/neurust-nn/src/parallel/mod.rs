//! A tiny persistent thread team for the training loop's hot path.
//!
//! A training step of the tutorial model lasts about 100 µs, so handing work to another core
//! must cost far less than a thread spawn or a sleeping pool's wake-up. [`run_parts`] publishes
//! a job of parts; every thread, the caller included, claims parts from one atomic counter
//! until none is left, so a worker that the OS has not scheduled (a busy machine) costs
//! nothing: the caller simply does its part too. Idle workers spin briefly, then park.
//! One job runs at a time; a nested or concurrent call runs its parts on the calling thread.
//! Beside the jobs, one task at a time can run on a worker while the caller goes on
//! ([`with_background`]): the training loop copies the next batch that way.
//!
//! Each thread first claims its *home* part (the caller part 0, worker `i` part `i`), so a job
//! split the same way as the one before finds its data in the cache of the core that last
//! touched it: a Dense layer's forward product, its weight gradient and the optimizer's update
//! of those weights all split the kernel into the same blocks (`linalg::Partition`).

use std::cell::{Cell, UnsafeCell};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::thread::{self, Thread};

mod background;
mod split;
mod wait;
pub use split::{SharedMut, split_range};

type Job = *const (dyn Fn(usize) + Sync);

/// Spins of an idle worker before it parks (a few tens of microseconds).
const IDLE_SPINS: u32 = 20_000;

/// Parts below this have a home thread (bits of `Shared::homes`).
const HOMES: usize = 32;

struct Shared {
    /// The job's generation in the high 32 bits, the next unclaimed part in the low 32.
    claim: AtomicU64,
    /// The job's generation in the high 32 bits; bit `p` of the low 32 is set once part
    /// `p < HOMES` is claimed, by its home thread or from the counter.
    homes: AtomicU64,
    /// Parts of the current job finished.
    done: AtomicUsize,
    parts: AtomicUsize,
    panicked: AtomicBool,
    job: UnsafeCell<Option<Job>>,
    background: background::Slot,
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
            homes: AtomicU64::new(0),
            done: AtomicUsize::new(0),
            parts: AtomicUsize::new(0),
            panicked: AtomicBool::new(false),
            job: UnsafeCell::new(None),
            background: background::Slot::new(),
        }));
        let workers = (1..n)
            .filter_map(|i| {
                thread::Builder::new()
                    .name(format!("neurust-worker-{i}"))
                    .spawn(move || worker(shared, i))
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

/// Runs parts of generation `generation` until none is left: first part `home`, then those
/// the counter hands out.
fn work(shared: &Shared, generation: u64, home: usize) {
    let parts = shared.parts.load(Ordering::Acquire);
    if home < parts.min(HOMES) && claim_home(shared, generation, home) {
        run_claimed(shared, home);
    }
    let mut state = shared.claim.load(Ordering::Acquire);
    loop {
        if state >> 32 != generation || state & 0xFFFF_FFFF >= parts as u64 {
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
                if part >= HOMES || claim_home(shared, generation, part) {
                    run_claimed(shared, part);
                }
                state = shared.claim.load(Ordering::Acquire);
            }
            Err(now) => state = now,
        }
    }
}

/// Sets part `part`'s bit for generation `generation`; false if it was set (the part is
/// someone else's) or the job is over.
fn claim_home(shared: &Shared, generation: u64, part: usize) -> bool {
    let bit = 1u64 << part;
    let mut state = shared.homes.load(Ordering::Acquire);
    loop {
        if state >> 32 != generation || state & bit != 0 {
            return false;
        }
        match shared.homes.compare_exchange_weak(
            state,
            state | bit,
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => return true,
            Err(now) => state = now,
        }
    }
}

/// Runs `part`, which this thread has claimed, and counts it done.
fn run_claimed(shared: &Shared, part: usize) {
    // SAFETY: see `Shared`; our claimed part keeps the job alive.
    let job = unsafe { (*shared.job.get()).expect("a job is published before its generation") };
    if catch_unwind(AssertUnwindSafe(|| unsafe { (*job)(part) })).is_err() {
        shared.panicked.store(true, Ordering::Relaxed);
    }
    shared.done.fetch_add(1, Ordering::AcqRel);
}

fn worker(shared: &'static Shared, home: usize) {
    IN_JOB.with(|f| f.set(true));
    crate::subnormal::FlushSubnormals::forever();
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
        work(shared, generation, home);
        shared.background.after_job(generation);
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
    // `homes` first: a worker that sees the new generation in `claim` sees it here too.
    shared.homes.store(generation << 32, Ordering::Release);
    shared.claim.store(generation << 32, Ordering::Release);
    for w in &team.workers {
        w.unpark();
    }
    IN_JOB.with(|flag| flag.set(true));
    work(shared, generation, 0);
    IN_JOB.with(|flag| flag.set(false));
    wait::spin_until(|| shared.done.load(Ordering::Acquire) == parts);
    if shared.panicked.swap(false, Ordering::Relaxed) {
        panic!("a neurust worker thread panicked");
    }
}

/// Runs `body` here and `task` on a worker once it has done its share of the next job `body`
/// publishes (on this thread if none has taken it by the end of `body`); returns `body`'s
/// result after both have finished. Without a worker, from inside a job, or while another
/// background task waits, `task` runs first, here.
pub fn with_background<R>(task: &mut (dyn FnMut() + Send), body: impl FnOnce() -> R) -> R {
    let team = team();
    if IN_JOB.with(|flag| flag.get()) || team.workers.is_empty() {
        task();
        return body();
    }
    let next = (team.shared.claim.load(Ordering::Acquire) >> 32) + 1;
    team.shared.background.run_beside(next, task, body)
}

#[cfg(test)]
mod tests;
