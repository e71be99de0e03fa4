//! One task that a worker runs while the caller goes on with other work: the training loop
//! copies the next batch's rows this way while the main thread does a step's serial work (the
//! loss, the small layers), when the worker would otherwise only spin.
//!
//! The task waits for the next job of parts that the caller publishes: a worker takes it only
//! after it has done its share of that job, so the task never delays a job that the caller is
//! about to share. If no worker has taken it by the time the caller's own work is done, the
//! caller runs it itself; either way [`Slot::run_beside`] returns only after it has finished.
//! The team (`mod.rs`) decides when a task may be posted at all (`with_background`).

use std::cell::UnsafeCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};

use super::wait::spin_until;

type Task = *mut (dyn FnMut() + Send);

const EMPTY: u8 = 0;
const POSTED: u8 = 1;
const RUNNING: u8 = 2;
const DONE: u8 = 3;

/// The team's one background task.
pub(super) struct Slot {
    state: AtomicU8,
    /// A worker may take the task once it has worked on a job of this generation or later.
    after: AtomicU64,
    panicked: AtomicBool,
    task: UnsafeCell<Option<Task>>,
}

// SAFETY: `task` is written only by the caller that moved `state` from EMPTY, before the
// Release store of POSTED; it is read, and the task run (it is `Send`), only by the one thread
// that moved `state` from POSTED to RUNNING; the caller waits for DONE before the task's
// borrow ends.
unsafe impl Sync for Slot {}
unsafe impl Send for Slot {}

impl Slot {
    pub(super) const fn new() -> Self {
        Slot {
            state: AtomicU8::new(EMPTY),
            after: AtomicU64::new(0),
            panicked: AtomicBool::new(false),
            task: UnsafeCell::new(None),
        }
    }

    /// Called by a worker after its share of job `generation`: takes the task if it waits for
    /// that job or an earlier one.
    pub(super) fn after_job(&self, generation: u64) {
        if self.state.load(Ordering::Acquire) == POSTED
            && self.after.load(Ordering::Acquire) <= generation
        {
            self.take();
        }
    }

    /// Runs `body` here while `task` waits for a worker that has done its share of job
    /// `after` (or a later one); runs `task` here if none took it by the end of `body`, and
    /// returns `body`'s result once both have finished. While another task waits, `task`
    /// runs first, here.
    pub(super) fn run_beside<R>(
        &self,
        after: u64,
        task: &mut (dyn FnMut() + Send),
        body: impl FnOnce() -> R,
    ) -> R {
        if self
            .state
            .compare_exchange(EMPTY, RUNNING, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            task();
            return body();
        }
        // SAFETY: the lifetime is erased; `Finish` waits for the task before this frame ends,
        // on return and on unwinding alike.
        unsafe {
            let erased: Task = std::mem::transmute::<&mut (dyn FnMut() + Send), Task>(task);
            *self.task.get() = Some(erased);
        }
        self.after.store(after, Ordering::Release);
        self.panicked.store(false, Ordering::Relaxed);
        self.state.store(POSTED, Ordering::Release);
        let finish = Finish(self);
        let result = body();
        drop(finish);
        if self.panicked.swap(false, Ordering::Relaxed) {
            panic!("a neurust background task panicked");
        }
        result
    }

    /// Runs the task if it is posted and this thread may take it; false if it did not.
    fn take(&self) -> bool {
        if self
            .state
            .compare_exchange(POSTED, RUNNING, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return false;
        }
        // SAFETY: see `Slot`; we moved the state to RUNNING, so the task is alive and ours.
        let task = unsafe { (*self.task.get()).expect("a task is set before it is posted") };
        if catch_unwind(AssertUnwindSafe(|| unsafe { (&mut *task)() })).is_err() {
            self.panicked.store(true, Ordering::Relaxed);
        }
        self.state.store(DONE, Ordering::Release);
        true
    }
}

/// Waits for the posted task (running it here if no worker took it), then empties the slot.
struct Finish<'a>(&'a Slot);

impl Drop for Finish<'_> {
    fn drop(&mut self) {
        let slot = self.0;
        if !slot.take() {
            spin_until(|| slot.state.load(Ordering::Acquire) == DONE);
        }
        // SAFETY: the task is done and no one reads the pointer until the next post.
        unsafe { *slot.task.get() = None };
        slot.state.store(EMPTY, Ordering::Release);
    }
}
