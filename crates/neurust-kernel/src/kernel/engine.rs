//! The engine thread: owns evcxr's `CommandContext` (which is not `Send`), runs the preload, then
//! serves execute, complete and inspect jobs one at a time, in order.

use crate::kernel::facade::Facade;
use crate::kernel::history::History;
use crate::kernel::log::log;
use crate::kernel::message::{Message, Parent};
use crate::kernel::outbox::{Channel, Outbox};
use crate::kernel::output::Forwarder;
use crate::kernel::running_cell::RunningCell;
use crate::kernel::status::Status;
use anyhow::{Result, anyhow};
use evcxr::CommandContext;
use serde_json::json;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub enum Job {
    Execute(Message),
    Complete(Message),
    Inspect(Message),
    /// A standby engine was claimed by a kernel launched in this directory: user code runs
    /// there from now on. Sent before any request, so it is served first.
    Adopt(PathBuf),
}

/// Fault injection for the fault suite: an execute request whose code is exactly this
/// variable's value makes the engine panic, as a bug in evcxr would.
const PANIC_FAULT_ENV: &str = "NEURUST_FAULT_ENGINE_PANIC";

impl Job {
    /// The request this job answers (none for [`Job::Adopt`]).
    fn request(&self) -> Option<&Message> {
        match self {
            Job::Execute(request) | Job::Complete(request) | Job::Inspect(request) => Some(request),
            Job::Adopt(_) => None,
        }
    }

    fn reply_type(&self) -> &'static str {
        match self {
            Job::Execute(_) => "execute_reply",
            Job::Complete(_) => "complete_reply",
            Job::Inspect(_) => "inspect_reply",
            Job::Adopt(_) => "",
        }
    }
}

pub struct EngineHandle {
    pub jobs: Sender<Job>,
    pub stdin: Sender<Message>,
}

pub struct Engine {
    pub(crate) ctx: CommandContext,
    pub(crate) forwarder: Forwarder,
    pub(crate) outbox: Outbox,
    pub(crate) shared: Arc<RunningCell>,
    pub(crate) history: Arc<Mutex<History>>,
    pub(crate) count: i64,
    pub(crate) facade_loaded: bool,
    pub(crate) stdin: Receiver<Message>,
    /// A problem met during preload, shown with the first cell's output.
    pub(crate) startup_note: Option<String>,
    /// The directory user code runs in, when it is not the one the engine started in (a claimed
    /// standby); applied again to every new user-code process.
    pub(crate) workdir: Option<PathBuf>,
}

/// What the engine thread reports to the rest of the kernel.
pub struct Hooks {
    /// Runs first on the engine thread (it may wait for the build cache).
    pub before: Box<dyn FnOnce() + Send>,
    /// Runs once the preload is done: whether it succeeded, and whether a job was already
    /// waiting then.
    pub ready: Box<dyn FnOnce(bool, bool) + Send>,
    /// Runs once, the first time the engine has had nothing to do for [`IDLE_HOOK_AFTER`].
    pub idle: Box<dyn FnOnce() + Send>,
}

/// How long the engine must be idle before [`Hooks::idle`] runs.
pub const IDLE_HOOK_AFTER: std::time::Duration = std::time::Duration::from_secs(2);

/// Starts the engine thread and returns at once, so the kernel answers `kernel_info` while the
/// preload runs; jobs sent meanwhile wait in the queue. See [`Hooks`] for what runs when. If
/// evcxr itself cannot start, the kernel stays up and answers every cell with the reason.
pub fn start(
    outbox: Outbox,
    shared: Arc<RunningCell>,
    history: Arc<Mutex<History>>,
    status: Arc<Status>,
    facade: Option<Facade>,
    hooks: Hooks,
) -> Result<EngineHandle> {
    let (jobs_tx, jobs_rx) = channel();
    let (stdin_tx, stdin_rx) = channel();
    std::thread::Builder::new()
        .name("engine".into())
        .spawn(move || {
            (hooks.before)();
            let failed_outbox = outbox.clone();
            match Engine::new(outbox, shared, history, facade.as_ref(), stdin_rx) {
                Ok(engine) => {
                    let first = jobs_rx.try_recv().ok();
                    (hooks.ready)(engine.startup_note.is_none(), first.is_some());
                    engine.run(first, jobs_rx, &status, hooks.idle);
                }
                Err(error) => {
                    let why = format!("neurust-kernel could not start evcxr: {error:#}");
                    log(&why);
                    (hooks.ready)(false, false);
                    serve_failed(&failed_outbox, &status, &jobs_rx, &why);
                }
            }
        })?;
    Ok(EngineHandle {
        jobs: jobs_tx,
        stdin: stdin_tx,
    })
}

impl Engine {
    pub fn new(
        outbox: Outbox,
        shared: Arc<RunningCell>,
        history: Arc<Mutex<History>>,
        facade: Option<&Facade>,
        stdin: Receiver<Message>,
    ) -> Result<Engine> {
        let started = Instant::now();
        let (ctx, outputs) =
            crate::kernel::context::new().map_err(|e| anyhow!("starting evcxr: {e}"))?;
        log(&format!(
            "evcxr context: {:.2} s",
            started.elapsed().as_secs_f64()
        ));
        let forwarder = Forwarder::spawn(outputs, outbox.clone(), Arc::clone(&shared));
        let mut engine = Engine {
            ctx,
            forwarder,
            outbox,
            shared,
            history,
            count: 0,
            facade_loaded: false,
            stdin,
            startup_note: None,
            workdir: None,
        };
        engine.update_child_pid();
        engine.preload(facade);
        log(&format!(
            "ready in {:.2} s",
            started.elapsed().as_secs_f64()
        ));
        Ok(engine)
    }

    pub(crate) fn update_child_pid(&self) {
        if let Ok(child) = self.ctx.process_handle().lock() {
            self.shared.set_child_pid(child.id());
        }
    }

    /// Serves jobs until the kernel stops. After an error with stop_on_error, the execute
    /// requests that were queued when the error reply went out are answered with "aborted"
    /// (later ones run as usual); other requests among them are still served.
    fn run(
        mut self,
        first: Option<Job>,
        jobs: Receiver<Job>,
        status: &Arc<Status>,
        idle: Box<dyn FnOnce() + Send>,
    ) {
        let injected = std::env::var(PANIC_FAULT_ENV).ok();
        // Start-up leaves some of the heap free; a first cell may follow at once, so this trim
        // does not wait for idleness.
        let mut trim = crate::kernel::trim_heap::give_back();
        let mut idle = Some(idle);
        let mut last_job = Instant::now();
        let mut first = first;
        loop {
            let next = match first.take() {
                Some(job) => Ok(job),
                None => jobs.recv_timeout(crate::kernel::trim_heap::IDLE),
            };
            let job = match next {
                Ok(job) => job,
                Err(RecvTimeoutError::Timeout) => {
                    trim = trim && crate::kernel::trim_heap::give_back();
                    if last_job.elapsed() >= IDLE_HOOK_AFTER
                        && let Some(hook) = idle.take()
                    {
                        hook();
                    }
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => break,
            };
            trim = true;
            let queued = self.serve(job, &jobs, status, injected.as_deref(), false);
            for job in queued {
                self.serve(job, &jobs, status, None, true);
            }
            last_job = Instant::now();
        }
    }

    /// Serves one job, a request inside its [`Busy`](crate::kernel::status::Busy). `abort`: an
    /// execute request is answered with "aborted" instead of running. Returns the requests that
    /// were queued when an execute request's error reply went out, if they are to be aborted
    /// (see [`Engine::execute`]).
    ///
    /// A panic inside evcxr (or this engine) while serving a request is answered with an error
    /// reply, and the engine goes on with the next: the session's variables live in the
    /// user-code process, which a panic here does not touch.
    fn serve(
        &mut self,
        job: Job,
        jobs: &Receiver<Job>,
        status: &Arc<Status>,
        injected: Option<&str>,
        abort: bool,
    ) -> Vec<Job> {
        let Some(request) = job.request() else {
            if let Job::Adopt(dir) = job {
                self.adopt(dir);
            }
            return Vec::new();
        };
        let (parent, kind) = (Parent::of(request), job.reply_type());
        let _busy = status.busy(&parent);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            if let (Some(code), Job::Execute(request)) = (injected, &job)
                && request.str_field("code") == Some(code)
            {
                panic!("injected fault ({PANIC_FAULT_ENV})");
            }
            match job {
                Job::Execute(request) if abort => {
                    self.outbox.reply(
                        Channel::Shell,
                        &Parent::of(&request),
                        "execute_reply",
                        json!({ "status": "aborted", "execution_count": self.count }),
                    );
                    Vec::new()
                }
                Job::Execute(request) => self.execute(&request, jobs),
                Job::Complete(request) => {
                    self.complete(&request);
                    Vec::new()
                }
                Job::Inspect(request) => {
                    self.inspect(&request);
                    Vec::new()
                }
                Job::Adopt(dir) => {
                    self.adopt(dir);
                    Vec::new()
                }
            }
        }));
        outcome.unwrap_or_else(|panic| {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".to_owned());
            log(&format!("the engine panicked serving a {kind}: {why}"));
            let failure = crate::kernel::failure::Failure::new(
                "KernelInternalError",
                format!(
                    "the kernel failed while serving this request ({why}). Your variables \
                     are kept; run the cell again, or restart the kernel if this repeats"
                ),
            );
            answer_failed(&self.outbox, &parent, kind, &failure);
            Vec::new()
        })
    }
}

/// With no engine, answers every request with an error saying `why`, so the
/// notebook shows the reason instead of a kernel that restarts over and over.
fn serve_failed(outbox: &Outbox, status: &Arc<Status>, jobs: &Receiver<Job>, why: &str) {
    let failure = crate::kernel::failure::Failure::new("KernelStartError", why);
    while let Ok(job) = jobs.recv() {
        if let Some(request) = job.request() {
            let parent = Parent::of(request);
            let _busy = status.busy(&parent);
            answer_failed(outbox, &parent, job.reply_type(), &failure);
        }
    }
}

/// Answers one request with `failure`: an error output (for a cell), the error reply.
fn answer_failed(
    outbox: &Outbox,
    parent: &Parent,
    kind: &str,
    failure: &crate::kernel::failure::Failure,
) {
    if kind == "execute_reply" {
        outbox.publish(parent, "error", failure.content());
    }
    let mut reply = failure.content();
    reply["status"] = json!("error");
    reply["execution_count"] = json!(0);
    outbox.reply(Channel::Shell, parent, kind, reply);
}
