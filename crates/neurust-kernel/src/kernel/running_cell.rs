//! State shared between the engine thread, the output forwarder and the interrupt handler.

use crate::common::contract::Ask;
use crate::kernel::message::Parent;
use crossbeam_channel::{Receiver, Sender, unbounded};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

pub struct RunningCell {
    /// The request whose outputs are being produced now.
    parent: Mutex<Parent>,
    /// The message of a panic seen in the current cell (reported by our panic hook).
    panic: Mutex<Option<String>>,
    /// Set when the relay reports that a `?` ended the current cell.
    user_error: AtomicBool,
    /// The last non-empty stderr line of the current cell (the `?` error's message).
    last_stderr: Mutex<String>,
    busy: AtomicBool,
    interrupted: AtomicBool,
    /// Counts executions, so a watchdog can tell whether "its" execution is still running.
    generation: AtomicU64,
    child_pid: AtomicU32,
    /// The relay's announcements that a cell waits on stdin (`stdin.rs` answers them).
    stdin_reads: (Sender<Ask>, Receiver<Ask>),
}

impl Default for RunningCell {
    fn default() -> Self {
        RunningCell {
            parent: Mutex::new(Parent::none()),
            panic: Mutex::new(None),
            user_error: AtomicBool::new(false),
            last_stderr: Mutex::new(String::new()),
            busy: AtomicBool::new(false),
            interrupted: AtomicBool::new(false),
            generation: AtomicU64::new(0),
            child_pid: AtomicU32::new(0),
            stdin_reads: unbounded(),
        }
    }
}

impl RunningCell {
    pub fn parent(&self) -> Parent {
        self.parent
            .lock()
            .map(|p| p.clone())
            .unwrap_or_else(|_| Parent::none())
    }

    pub fn set_parent(&self, parent: Parent) {
        if let Ok(mut slot) = self.parent.lock() {
            *slot = parent;
        }
    }

    pub fn record_panic(&self, message: String) {
        if let Ok(mut slot) = self.panic.lock() {
            slot.get_or_insert(message);
        }
    }

    pub fn take_panic(&self) -> Option<String> {
        self.panic.lock().ok().and_then(|mut slot| slot.take())
    }

    pub fn record_user_error(&self) {
        self.user_error.store(true, Ordering::SeqCst);
    }

    pub fn record_stderr_line(&self, line: &str) {
        if !line.trim().is_empty()
            && let Ok(mut slot) = self.last_stderr.lock()
        {
            line.clone_into(&mut slot);
        }
    }

    /// The message of a `?` error in the current cell, if one ended it.
    pub fn take_user_error(&self) -> Option<String> {
        let last = self
            .last_stderr
            .lock()
            .map(|mut s| std::mem::take(&mut *s))
            .unwrap_or_default();
        self.user_error
            .swap(false, Ordering::SeqCst)
            .then(|| last.trim().to_owned())
    }

    /// Marks the start of an execution: a new generation, so an interrupt watchdog left from
    /// an earlier cell never acts on this one.
    pub fn begin(&self) {
        self.take_user_error();
        self.interrupted.store(false, Ordering::SeqCst);
        self.busy.store(true, Ordering::SeqCst);
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    pub fn end(&self) {
        self.busy.store(false, Ordering::SeqCst);
    }

    pub fn busy_with(&self, generation: u64) -> bool {
        self.busy.load(Ordering::SeqCst) && self.generation.load(Ordering::SeqCst) == generation
    }

    pub fn current_generation(&self) -> Option<u64> {
        self.busy
            .load(Ordering::SeqCst)
            .then(|| self.generation.load(Ordering::SeqCst))
    }

    pub fn mark_interrupted(&self) {
        self.interrupted.store(true, Ordering::SeqCst);
    }

    pub fn interrupted(&self) -> bool {
        self.interrupted.load(Ordering::SeqCst)
    }

    pub fn child_pid(&self) -> u32 {
        self.child_pid.load(Ordering::SeqCst)
    }

    pub fn set_child_pid(&self, pid: u32) {
        self.child_pid.store(pid, Ordering::SeqCst);
    }

    /// The relay said a cell waits on stdin.
    pub fn stdin_read_announced(&self, ask: Ask) {
        let _ = self.stdin_reads.0.send(ask);
    }

    /// Waits at most `limit` for an announced read of stdin.
    pub fn wait_for_stdin_read(&self, limit: Duration) -> Option<Ask> {
        self.stdin_reads.1.recv_timeout(limit).ok()
    }

    /// Forgets announcements no cell took (one that came as its cell ended, or a marker line
    /// user code printed itself).
    pub fn forget_stdin_reads(&self) {
        while self.stdin_reads.1.try_recv().is_ok() {}
    }
}
