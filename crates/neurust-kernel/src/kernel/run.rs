//! `neurust-kernel run`: hands the connection file to a standby engine if one waits (see
//! `standby/`); otherwise prepares the environment and the build cache, starts the engine,
//! binds the sockets and serves (the preload runs while requests are already answered), until
//! shutdown. A standby runs the same steps, with a wait for its claim before the binding.

use crate::kernel::cache;
use crate::kernel::connection::ConnectionInfo;
use crate::kernel::dispatch::Dispatcher;
use crate::kernel::engine::{self, Engine, EngineHandle};
use crate::kernel::facade::Facade;
use crate::kernel::history::History;
use crate::kernel::log::log;
use crate::kernel::outbox::{Outbox, Outgoing};
use crate::kernel::running_cell::RunningCell;
use crate::kernel::sockets::Inbox;
use crate::kernel::standby::claim;
use crate::kernel::standby::successor::Successor;
use crate::kernel::status::Status;
use crate::kernel::{interrupt, sockets};
use anyhow::Result;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Chooses the cache slot and sets the variables evcxr and its child read. Must run while the
/// process is still single-threaded; the returned slot holds the cache lock.
pub fn prepare_environment() -> Result<(cache::Slot, Option<Facade>)> {
    let facade = Facade::find();
    let slot = cache::acquire(&cache::key(
        facade.as_ref().map(Facade::identity).as_deref(),
    ))?;
    log(&format!("build cache: {}", slot.dir.display()));
    let library_path = std_library_path();
    // SAFETY: called from main before any other thread exists.
    unsafe {
        std::env::set_var("EVCXR_TMPDIR", &slot.dir);
        std::env::set_var("EVCXR_CONFIG_DIR", &slot.evcxr_config);
        std::env::set_var("NEURUST_KERNEL", "1");
        if let Some(path) = library_path {
            std::env::set_var("LD_LIBRARY_PATH", path);
        }
    }
    Ok((slot, facade))
}

pub fn run(connection_file: &Path) -> Result<()> {
    let started = Instant::now();
    if let Some(code) = claim::claim(connection_file) {
        std::process::exit(code);
    }
    let info = read_connection(connection_file)?;
    let environment = prepare_environment()?;
    let kernel = Prepared::start(environment, started)?;
    let serving = kernel.bind(&info)?;
    serving.run(None);
    Ok(())
}

/// Reads the connection file, warning about an empty key.
pub fn read_connection(file: &Path) -> Result<ConnectionInfo> {
    let info = ConnectionInfo::read(file)?;
    if info.key.is_empty() {
        log(
            "WARNING: the connection file has an empty key, so messages are NOT signed: any \
             local process that can reach these ports can run code as this user",
        );
    }
    Ok(info)
}

/// A kernel whose engine is loading (or loaded), not yet bound to a connection file.
pub struct Prepared {
    started: Instant,
    runtime: tokio::runtime::Runtime,
    outbox: Outbox,
    /// Taken by [`Prepared::bind`].
    outgoing: Option<Outgoing>,
    shared: Arc<RunningCell>,
    history: Arc<Mutex<History>>,
    status: Arc<Status>,
    successor: Arc<Successor>,
    pub engine: EngineHandle,
    rustc_version: String,
    _slot: Arc<cache::Slot>,
}

/// A kernel listening on its connection file's ports.
pub struct Serving {
    kernel: Prepared,
    inbox: Inbox,
}

impl Prepared {
    /// Starts the engine (evcxr and the preload) in the background.
    pub fn start(
        (slot, facade): (cache::Slot, Option<Facade>),
        started: Instant,
    ) -> Result<Prepared> {
        let rustc_version = rustc_version();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let session = uuid::Uuid::new_v4().to_string();
        let (outbox, outgoing) = Outbox::new(&session);
        let shared = Arc::new(RunningCell::default());
        let history = Arc::new(Mutex::new(History::default()));
        let status = Status::new(outbox.clone());
        let successor = Arc::new(Successor::default());
        let slot = Arc::new(slot);
        let pruning = Arc::clone(&slot);
        std::thread::spawn(move || {
            for key in pruning.prune_stale_keys() {
                let days = cache::STALE_AFTER.as_secs() / 86_400;
                log(&format!(
                    "removed the build cache {key}: unused for over {days} days"
                ));
            }
        });
        let hooks = {
            let (filling, marking) = (Arc::clone(&slot), Arc::clone(&slot));
            let (status, successor) = (Arc::clone(&status), Arc::clone(&successor));
            engine::Hooks {
                before: Box::new(move || fill(&filling)),
                ready: Box::new(move |ok, queued| {
                    marking.mark_ready(ok);
                    log(&format!(
                        "ready after {:.2} s",
                        started.elapsed().as_secs_f64()
                    ));
                    status.loaded(queued);
                }),
                idle: Box::new(move || successor.go()),
            }
        };
        let engine = engine::start(
            outbox.clone(),
            Arc::clone(&shared),
            Arc::clone(&history),
            Arc::clone(&status),
            facade,
            hooks,
        )?;
        Ok(Prepared {
            started,
            runtime,
            outbox,
            outgoing: Some(outgoing),
            shared,
            history,
            status,
            successor,
            engine,
            rustc_version,
            _slot: slot,
        })
    }

    /// Binds the connection file's ports; requests are served once [`Serving::run`] runs.
    pub fn bind(mut self, info: &ConnectionInfo) -> Result<Serving> {
        let outgoing = self
            .outgoing
            .take()
            .ok_or_else(|| anyhow::anyhow!("internal: the kernel is bound already"))?;
        let inbox = self.runtime.block_on(sockets::bind_all(info, outgoing))?;
        Ok(Serving {
            kernel: self,
            inbox,
        })
    }

    pub fn shared(&self) -> &Arc<RunningCell> {
        &self.shared
    }

    /// "preparing" while the engine loads, then "ready".
    pub fn state(&self) -> &'static str {
        if self.status.is_loaded() {
            "ready"
        } else {
            "preparing"
        }
    }
}

impl Serving {
    /// Serves requests until shutdown. `launcher`: the connection to the process Jupyter
    /// launched, when this kernel was a standby; its end shuts the kernel down.
    pub fn run(self, launcher: Option<std::os::unix::net::UnixStream>) {
        let Serving { kernel, inbox } = self;
        kernel.status.serving();
        kernel.successor.spawn();
        if let Some(mut launcher) = launcher {
            let shared = Arc::clone(&kernel.shared);
            std::thread::spawn(move || {
                let mut rest = Vec::new();
                let _ = std::io::Read::read_to_end(&mut launcher, &mut rest);
                log("the launched kernel process has gone; shutting down");
                crate::kernel::dispatch::terminate(&shared, 0);
            });
        }
        let started = kernel.started;
        let dispatcher = Dispatcher {
            outbox: kernel.outbox,
            engine: kernel.engine,
            shared: kernel.shared,
            history: kernel.history,
            status: kernel.status,
            rustc_version: kernel.rustc_version,
        };
        let signal_shared = Arc::clone(&dispatcher.shared);
        kernel.runtime.block_on(async move {
            tokio::spawn(async move {
                while tokio::signal::ctrl_c().await.is_ok() {
                    interrupt::request(&signal_shared);
                }
            });
            // Requests are served from here on; execute requests wait for the preload.
            log(&format!(
                "serving after {:.2} s",
                started.elapsed().as_secs_f64()
            ));
            dispatcher.run(inbox).await;
        });
    }
}

/// Builds the cache for the current toolchain and facade by running the whole preload once.
pub fn warm_cache() -> Result<()> {
    let started = Instant::now();
    let (slot, facade) = prepare_environment()?;
    fill(&slot);
    let (outbox, _outgoing) = Outbox::new("warm-up");
    let (_stdin_tx, stdin_rx) = std::sync::mpsc::channel();
    let shared = Arc::new(RunningCell::default());
    let history = Arc::new(Mutex::new(History::default()));
    let engine = Engine::new(outbox, shared, history, facade.as_ref(), stdin_rx)?;
    slot.mark_ready(engine.startup_note.is_none());
    if let Some(note) = &engine.startup_note {
        eprint!("{note}");
    }
    println!(
        "Warmed the build cache in {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Seeds an empty cache slot from a built one (waiting for a build in progress), logging it;
/// replaces a damaged `Cargo.lock` first.
fn fill(slot: &cache::Slot) {
    if let Some(what) = slot.repair_lock_file() {
        log(&what);
    }
    let from = slot.fill(|event| match event {
        cache::Filling::Waiting(builder) => log(&format!(
            "waiting for the kernel building {} (then copying it)",
            builder.display()
        )),
        cache::Filling::CopyFailed(from, why) => log(&format!(
            "copying the build cache from {} failed: {why}",
            from.display()
        )),
    });
    if let Some(from) = from {
        log(&format!("seeded the build cache from {}", from.display()));
    }
}

/// Cells are shared objects linked against the toolchain's `libstd-*.so`. evcxr loads a copy of
/// the one cargo uplifted out of `deps/`, whose relative RUNPATH then points one directory too
/// high; that only resolves by luck when the cache and the toolchain share no path prefix (it
/// fails under `~/.cache` with the toolchain in `~/.rustup`). So the user-code process also gets
/// the toolchain's library directory on LD_LIBRARY_PATH.
fn std_library_path() -> Option<std::ffi::OsString> {
    let out = std::process::Command::new("rustc")
        .args(["--print", "target-libdir"])
        .output()
        .ok()?;
    let dir = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    if dir.is_empty() {
        return None;
    }
    let mut paths = vec![std::path::PathBuf::from(dir)];
    if let Some(existing) = std::env::var_os("LD_LIBRARY_PATH") {
        paths.extend(std::env::split_paths(&existing));
    }
    std::env::join_paths(paths).ok()
}

fn rustc_version() -> String {
    std::process::Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.split_whitespace().nth(1).map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}
