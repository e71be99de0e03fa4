//! Embeds what a kernel needs from the checkout it was built in, so that it works once the
//! checkout is gone:
//! - the sources of the neurust crates that notebooks load (the facade and what it depends on in
//!   this workspace): `src/kernel/cache/facade_source.rs` writes them out when the checkout's own
//!   copy is missing. Outside a checkout (a packaged kernel crate) nothing is embedded, and the
//!   kernel loads the facade from the crate registry (`src/kernel/facade.rs`).
//! - the tested `Cargo.lock` (`src/kernel/cache/lock.rs`): the workspace's in a checkout, else
//!   the one `cargo package` put in the kernel's package, which locks the facade's graph too
//!   (the kernel's dev-dependency on it).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The workspace crates the facade needs, and which of their folders a build of them reads.
const CRATES: &[&str] = &[
    "neurust",
    "neurust-nn",
    "neurust-datasets",
    "neurust-display",
    "neurust-plot",
];
const FOLDERS: &[&str] = &["src", "assets"];

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let workspace = manifest.join("../..");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"));
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    println!("cargo:rerun-if-changed=build.rs");
    // `cargo package` leaves `Cargo.toml.orig` in every package: a packaged kernel (from a
    // registry, or vendored beside a copy of the facade) is never taken for a checkout.
    let packaged = manifest.join("Cargo.toml.orig").is_file();
    let in_checkout = !packaged && workspace.join("crates/neurust/Cargo.toml").is_file();
    let checkout = match in_checkout {
        true => workspace.canonicalize().expect("the workspace folder"),
        false => PathBuf::new(),
    };
    // Where the kernel looks for the checkout's facade at start (`src/kernel/facade.rs`).
    println!(
        "cargo:rustc-env=NEURUST_KERNEL_CHECKOUT={}",
        checkout.display()
    );
    let lock = if in_checkout {
        workspace.join("Cargo.lock")
    } else {
        manifest.join("Cargo.lock")
    };
    println!("cargo:rerun-if-changed={}", lock.display());
    let tested = std::fs::read(&lock).expect("a Cargo.lock beside the workspace or the package");
    std::fs::write(out.join("tested.lock"), tested).expect("writing tested.lock");
    if in_checkout {
        let root_manifest = workspace.join("Cargo.toml");
        println!("cargo:rerun-if-changed={}", root_manifest.display());
        files.push(("Cargo.toml".into(), root_manifest));
        for name in CRATES {
            let dir = workspace.join("crates").join(name);
            // The whole crate folder: a path that does not exist would count as changed at
            // every build, and a folder added later (assets) is then noticed too.
            println!("cargo:rerun-if-changed={}", dir.display());
            files.push((format!("crates/{name}/Cargo.toml"), dir.join("Cargo.toml")));
            for folder in FOLDERS {
                collect(
                    &dir.join(folder),
                    &format!("crates/{name}/{folder}"),
                    &mut files,
                );
            }
        }
    }
    files.sort();
    let mut code = String::from("&[\n");
    for (name, path) in &files {
        let path = path.canonicalize().expect("an embedded file");
        writeln!(
            code,
            "    ({name:?}, include_bytes!({:?})),",
            path.display().to_string()
        )
        .expect("writing to a String");
    }
    code.push(']');
    std::fs::write(out.join("facade_files.rs"), code).expect("writing facade_files.rs");
}

/// Every file under `dir`, named `prefix/<relative path>`.
fn collect(dir: &Path, prefix: &str, files: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = format!("{prefix}/{}", entry.file_name().to_string_lossy());
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => collect(&path, &name, files),
            Ok(kind) if kind.is_file() => files.push((name, path)),
            _ => {}
        }
    }
}
