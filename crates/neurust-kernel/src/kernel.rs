//! `neurust-kernel run`: prepares the environment and the build cache, binds the sockets,
//! starts the engine, whose preload runs while requests are already served, until shutdown.

use crate::cache;
use crate::connection::ConnectionInfo;
use crate::engine::{self, Engine, log};
use crate::handlers::Dispatcher;
use crate::history::History;
use crate::message::Parent;
use crate::outbox::Outbox;
use crate::preload;
use crate::shared::Shared;
use crate::{interrupt, sockets};
use anyhow::Result;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::mpsc::unbounded_channel;

/// Chooses the cache slot and sets the variables evcxr and its child read. Must run while the
/// process is still single-threaded; the returned slot holds the cache lock.
fn prepare_environment() -> Result<(cache::Slot, Option<std::path::PathBuf>)> {
    let facade = preload::facade_path();
    let slot = cache::acquire(&cache::key(facade.as_deref()))?;
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
    let info = ConnectionInfo::read(connection_file)?;
    if info.key.is_empty() {
        log(
            "WARNING: the connection file has an empty key, so messages are NOT signed: any \
             local process that can reach these ports can run code as this user",
        );
    }
    let (slot, facade) = prepare_environment()?;
    let rustc_version = rustc_version();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let session = uuid::Uuid::new_v4().to_string();
        let (outbox, inbox) = sockets::bind_all(&info, &session).await?;
        outbox.status(&Parent::none(), "starting");
        let shared = Arc::new(Shared::default());
        let history = Arc::new(Mutex::new(History::default()));
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
        let engine = {
            let (outbox, shared, history) = (outbox.clone(), shared.clone(), history.clone());
            let (slot, filling, outbox_ready) =
                (Arc::clone(&slot), Arc::clone(&slot), outbox.clone());
            let before = move || fill(&filling);
            engine::start(outbox, shared, history, facade, before, move |ok| {
                slot.mark_ready(ok);
                log(&format!(
                    "ready after {:.2} s",
                    started.elapsed().as_secs_f64()
                ));
                outbox_ready.status(&Parent::none(), "idle");
            })?
        };
        let signal_shared = Arc::clone(&shared);
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
        let dispatcher = Dispatcher {
            outbox,
            engine,
            shared,
            history,
            rustc_version,
        };
        dispatcher.run(inbox).await;
        Ok(())
    })
}

/// Builds the cache for the current toolchain and facade by running the whole preload once.
pub fn warm_cache() -> Result<()> {
    let started = Instant::now();
    let (slot, facade) = prepare_environment()?;
    fill(&slot);
    let (iopub, _a) = unbounded_channel();
    let (shell, _b) = unbounded_channel();
    let (control, _c) = unbounded_channel();
    let (stdin, _d) = unbounded_channel();
    let outbox = Outbox {
        session: "warm-up".into(),
        iopub,
        shell,
        control,
        stdin,
    };
    let (_stdin_tx, stdin_rx) = std::sync::mpsc::channel();
    let shared = Arc::new(Shared::default());
    let history = Arc::new(Mutex::new(History::default()));
    let engine = Engine::new(outbox, shared, history, facade.as_deref(), stdin_rx)?;
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
    let from = slot.fill(|builder| {
        log(&format!(
            "waiting for the kernel building {} (then copying it)",
            builder.display()
        ));
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
