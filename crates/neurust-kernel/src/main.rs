//! neurust-kernel: a Jupyter kernel for Rust on evcxr, with the neurust crates preloaded.
//!
//! Contents:
//! - `connection`, `wire`, `message` (from the `neurust-wire` crate), `sockets`, `outbox`: the
//!   Jupyter protocol plumbing; `replay`: drops a signed message seen before; `front`,
//!   `zmtp_guard`: the TCP ports, which refuse frames too long to be a message.
//! - `handlers`: routes requests; `is_complete`, `history`: answered without the engine.
//! - `engine`, `execute`, `complete`, `report`: evcxr on its own thread; `heap`: gives freed
//!   memory back to the OS when the engine is idle.
//! - `output`, `display`: live stdout/stderr and the display protocol to iopub; `context`,
//!   `user_stderr`: evcxr started with the user-code process's stderr on the kernel's pipe.
//! - `runtime`: the user-code process's command loop; `stdin`: input from the notebook for it.
//! - `relay`: inside the user-code process, makes its stdout unambiguous (user text escaped,
//!   the kernel's own lines tagged: the `neurust-stream` crate), tells the kernel when `?`
//!   ended a cell and when a cell waits on stdin; `blocked`: which thread waits in which read.
//! - `trim`: inside the user-code process, hands finished cells' code pages back to the OS.
//! - `interrupt`, `shared`: interrupts, the 2 s watchdog and cross-thread state.
//! - `preload`, `cache`: what runs at start-up and where compiled dependencies live;
//!   `loading`: the status clients see meanwhile; `standby`: kernels prepared ahead of launch.
//! - `install`: the kernel spec; `kernel`: `run`.

mod blocked;
mod cache;
mod complete;
mod context;
mod display;
mod engine;
mod execute;
mod front;
mod handlers;
mod heap;
mod history;
mod install;
mod interrupt;
mod is_complete;
mod kernel;
mod loading;
mod outbox;
mod output;
mod preload;
mod relay;
mod replay;
mod report;
mod runtime;
mod shared;
mod sockets;
mod standby;
mod stdin;
mod trim;
mod user_stderr;
mod vars;
mod zmtp_guard;

// The wire format is its own small crate (so it can be fuzzed without evcxr); these names keep
// `crate::message` and friends pointing at it.
use neurust_wire::{connection, message, wire};

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: neurust-kernel run --connection-file FILE\n       \
neurust-kernel warm-cache\n       \
neurust-kernel standby start|stop|status";

fn main() -> ExitCode {
    // When this binary is re-executed by evcxr as the user-code process or the rustc wrapper,
    // it never gets past these hooks. The user-code process first gets its stdout relay (so `?`
    // errors reach the kernel), then runs its own command loop (`runtime`: user code gets a
    // stdin of its own); evcxr's loop is the fallback.
    if std::env::var_os("EVCXR_IS_RUNTIME").is_some() {
        relay::install();
        runtime::hook();
    } else {
        // Before the kernel sets any variable of its own (the tag below, evcxr's).
        standby::record_launch_env();
        // The tag that marks the runtime's own output lines, chosen before evcxr starts the
        // user-code process, which inherits it (`neurust_stream::tag`).
        // SAFETY: no other thread has started yet.
        unsafe { neurust_stream::tag::ensure() };
    }
    evcxr::runtime_hook();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => match connection_file(&args[1..]) {
            Some(file) => kernel::run(&file),
            None => Err(anyhow::anyhow!("{USAGE}")),
        },
        Some("install") => install::parse(&args[1..]).and_then(|options| {
            install::install(&options)?;
            if options.warm {
                println!("Warming the build cache (the first time builds the neurust crates)...");
                kernel::warm_cache()?;
            }
            Ok(())
        }),
        Some("uninstall") => install::parse(&args[1..]).and_then(|o| install::uninstall(&o)),
        Some("warm-cache") => kernel::warm_cache(),
        Some("standby") => match args.get(1).map(String::as_str) {
            Some("serve") => standby::serve(),
            Some("start") => standby::start_detached().map_err(Into::into),
            Some(what @ ("stop" | "status")) => {
                let answer = standby::ask(&serde_json::json!({ what: true }));
                println!(
                    "{}",
                    answer.unwrap_or_else(|| serde_json::json!({ "ok": false }))
                );
                Ok(())
            }
            _ => Err(anyhow::anyhow!("{USAGE}")),
        },
        _ => Err(anyhow::anyhow!("{USAGE}\n{}", install::USAGE)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("neurust-kernel: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn connection_file(args: &[String]) -> Option<PathBuf> {
    match args {
        [flag, file, ..] if flag == "--connection-file" || flag == "-f" => Some(file.into()),
        [file] if !file.starts_with('-') => Some(file.into()),
        _ => None,
    }
}
