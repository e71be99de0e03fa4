//! neurust-kernel: a Jupyter kernel for Rust on evcxr, with the neurust crates preloaded.
//!
//! The binary is two processes. Started by Jupyter it is the kernel; re-executed by evcxr with
//! `EVCXR_IS_RUNTIME` set it is the user-code process, which loads and runs each cell's library.
//! `main` decides which in its first lines, and the layout follows that split:
//! - `kernel/`: everything the kernel process runs (the Jupyter protocol, the engine thread on
//!   evcxr, output forwarding, interrupts, the build cache, standbys, the kernel spec).
//! - `child/`: everything the user-code process runs (its command loop, the stdout relay, the
//!   trim of finished cells' code pages).
//! - `common/`: what both use: `contract` (what they agree on: a descriptor, a line, a file
//!   name) and `read_waits` (which thread waits in which read, from `/proc`).

mod child;
mod common;
mod kernel;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: neurust-kernel run --connection-file FILE\n       \
neurust-kernel warm-cache\n       \
neurust-kernel standby start|stop|status";

fn main() -> ExitCode {
    // When this binary is re-executed by evcxr as the user-code process or the rustc wrapper,
    // it never gets past these hooks. The user-code process first gets its stdout relay (so `?`
    // errors reach the kernel), then runs its own command loop (`child::command_loop`: user code
    // gets a stdin of its own); evcxr's loop is the fallback.
    if std::env::var_os("EVCXR_IS_RUNTIME").is_some() {
        child::relay::install();
        child::command_loop::hook();
    } else {
        // Before the kernel sets any variable of its own (the tag below, evcxr's).
        kernel::standby::record_launch_env();
        // The tag that marks the runtime's own output lines, chosen before evcxr starts the
        // user-code process, which inherits it (`neurust_stream::tag`).
        // SAFETY: no other thread has started yet.
        unsafe { neurust_stream::tag::ensure() };
    }
    evcxr::runtime_hook();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => match connection_file(&args[1..]) {
            Some(file) => kernel::run::run(&file),
            None => Err(anyhow::anyhow!("{USAGE}")),
        },
        Some("install") => kernel::install::parse(&args[1..]).and_then(|options| {
            kernel::install::install(&options)?;
            if options.warm {
                println!("Warming the build cache (the first time builds the neurust crates)...");
                kernel::run::warm_cache()?;
            }
            Ok(())
        }),
        Some("uninstall") => {
            kernel::install::parse(&args[1..]).and_then(|o| kernel::install::uninstall(&o))
        }
        Some("warm-cache") => kernel::run::warm_cache(),
        Some("standby") => match args.get(1).map(String::as_str) {
            Some("serve") => kernel::standby::serve(),
            Some("start") => kernel::standby::start_detached().map_err(Into::into),
            Some(what @ ("stop" | "status")) => {
                let answer = kernel::standby::ask(&serde_json::json!({ what: true }));
                println!(
                    "{}",
                    answer.unwrap_or_else(|| serde_json::json!({ "ok": false }))
                );
                Ok(())
            }
            _ => Err(anyhow::anyhow!("{USAGE}")),
        },
        _ => Err(anyhow::anyhow!("{USAGE}\n{}", kernel::install::USAGE)),
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
