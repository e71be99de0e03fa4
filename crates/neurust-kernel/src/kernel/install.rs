//! `install` and `uninstall`: write or remove the Jupyter kernel spec (kernel.json and logos).

use crate::kernel::facade;
use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

// `kernel-spec` here links to the workspace's `kernel-spec/`; `cargo package` copies the files
// in, so a packaged kernel has them too.
const TEMPLATE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/kernel-spec/kernel.json"
));
const LOGO_32: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/kernel-spec/logo-32x32.png"
));
const LOGO_64: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/kernel-spec/logo-64x64.png"
));

pub const USAGE: &str = "usage: neurust-kernel install [--user | --sys-prefix | --prefix DIR] \
[--name NAME] [--display-name TEXT] [--no-warm]\n       neurust-kernel uninstall [--user | \
--sys-prefix | --prefix DIR] [--name NAME]";

pub struct Options {
    pub location: Location,
    pub name: String,
    pub display_name: String,
    pub warm: bool,
}

pub enum Location {
    User,
    SysPrefix,
    Prefix(PathBuf),
}

pub fn parse(args: &[String]) -> Result<Options> {
    let mut options = Options {
        location: Location::User,
        name: "neurust".to_owned(),
        display_name: "Rust (neurust)".to_owned(),
        warm: true,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .cloned()
                .with_context(|| format!("{arg} needs a value"))
        };
        match arg.as_str() {
            "--user" => options.location = Location::User,
            "--sys-prefix" => options.location = Location::SysPrefix,
            "--prefix" => options.location = Location::Prefix(PathBuf::from(value()?)),
            "--name" => options.name = value()?,
            "--display-name" => options.display_name = value()?,
            "--no-warm" => options.warm = false,
            other => bail!("unknown option {other}\n{USAGE}"),
        }
    }
    if matches!(options.name.as_str(), "" | "." | "..")
        || !options
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        bail!("kernel names may only use letters, digits, '-', '_' and '.' (and are not . or ..)");
    }
    Ok(options)
}

fn kernels_dir(location: &Location) -> Result<PathBuf> {
    Ok(match location {
        Location::User => match std::env::var_os("JUPYTER_DATA_DIR") {
            Some(dir) => PathBuf::from(dir).join("kernels"),
            None => {
                let data = std::env::var_os("XDG_DATA_HOME")
                    .map(PathBuf::from)
                    .or_else(|| {
                        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share"))
                    })
                    .context("HOME is not set")?;
                data.join("jupyter").join("kernels")
            }
        },
        Location::SysPrefix => sys_prefix()?.join("share/jupyter/kernels"),
        Location::Prefix(dir) => dir.join("share/jupyter/kernels"),
    })
}

/// The active Python environment: $VIRTUAL_ENV, $CONDA_PREFIX, else python3's sys.prefix.
fn sys_prefix() -> Result<PathBuf> {
    for var in ["VIRTUAL_ENV", "CONDA_PREFIX"] {
        if let Some(dir) = std::env::var_os(var).filter(|v| !v.is_empty()) {
            return Ok(PathBuf::from(dir));
        }
    }
    let out = std::process::Command::new("python3")
        .args(["-c", "import sys; print(sys.prefix)"])
        .output()
        .context("running python3 to find sys.prefix")?;
    Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

pub fn kernel_json(binary: &Path, display_name: &str) -> Result<Value> {
    let mut spec: Value = serde_json::from_str(TEMPLATE).context("kernel-spec/kernel.json")?;
    spec["argv"] = json!([
        binary.to_string_lossy(),
        "run",
        "--connection-file",
        "{connection_file}"
    ]);
    spec["display_name"] = json!(display_name);
    // A facade chosen at install time is kept; otherwise the kernel finds its own at start
    // (its checkout's, else the sources it embeds), so an installed kernel keeps working when
    // the checkout it was built from is moved or removed.
    let mut env = serde_json::Map::new();
    if let Some(facade) = std::env::var_os(facade::ENV).filter(|v| !v.is_empty()) {
        let path = PathBuf::from(facade);
        let path = path.canonicalize().unwrap_or(path);
        env.insert(facade::ENV.to_owned(), json!(path.to_string_lossy()));
    }
    spec["env"] = Value::Object(env);
    Ok(spec)
}

pub fn install(options: &Options) -> Result<PathBuf> {
    let binary = std::env::current_exe()?.canonicalize()?;
    let dir = kernels_dir(&options.location)?.join(&options.name);
    // Writable by this user only, whatever the umask or an earlier install left (Jupyter runs
    // what kernel.json says).
    std::os::unix::fs::DirBuilderExt::mode(std::fs::DirBuilder::new().recursive(true), 0o755)
        .create(&dir)
        .with_context(|| dir.display().to_string())?;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755))
        .with_context(|| dir.display().to_string())?;
    let spec = kernel_json(&binary, &options.display_name)?;
    let json = serde_json::to_string_pretty(&spec)? + "\n";
    write_spec_file(&dir.join("kernel.json"), json.as_bytes())?;
    write_spec_file(&dir.join("logo-32x32.png"), LOGO_32)?;
    write_spec_file(&dir.join("logo-64x64.png"), LOGO_64)?;
    println!(
        "Installed kernel spec {:?} in {}",
        options.name,
        dir.display()
    );
    Ok(dir)
}

/// Replaces `path` with a new file, mode 0644 whatever the umask (an old file, or whatever
/// else had that name, is removed first rather than written through).
fn write_spec_file(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(e).with_context(|| path.display().to_string());
        }
        _ => {}
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o644)
        .open(path)
        .with_context(|| path.display().to_string())?;
    file.write_all(bytes)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644))
        .with_context(|| path.display().to_string())
}

pub fn uninstall(options: &Options) -> Result<()> {
    let dir = kernels_dir(&options.location)?.join(&options.name);
    if dir.join("kernel.json").is_file() {
        std::fs::remove_dir_all(&dir).with_context(|| dir.display().to_string())?;
        println!(
            "Removed kernel spec {:?} from {}",
            options.name,
            dir.display()
        );
    } else {
        println!("No kernel spec {:?} in {}", options.name, dir.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn names_that_are_not_a_directory_of_their_own_are_refused() {
        for bad in [".", "..", "", "a/b", "x y"] {
            let err = parse(&args(&["--name", bad])).err();
            assert!(
                err.is_some_and(|e| e.to_string().contains("kernel names")),
                "{bad:?}"
            );
        }
        assert!(parse(&args(&["--name", "neurust-0.1"])).is_ok());
    }

    #[test]
    fn a_reinstall_leaves_the_spec_writable_by_its_owner_only() {
        let prefix = std::env::temp_dir().join(format!("neurust-install-{}", std::process::id()));
        let dir = prefix.join("share/jupyter/kernels/loose");
        std::fs::create_dir_all(&dir).expect("dir");
        // What an install under umask 0 (or someone in the group) could have left.
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).expect("chmod");
        let old = dir.join("kernel.json");
        std::fs::write(&old, "{}").expect("old spec");
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o666)).expect("chmod");
        let options = parse(&args(&[
            "--prefix",
            &prefix.to_string_lossy(),
            "--name",
            "loose",
            "--no-warm",
        ]))
        .expect("options");
        install(&options).expect("install");
        let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o7777;
        assert_eq!(mode(&dir), 0o755);
        for file in ["kernel.json", "logo-32x32.png", "logo-64x64.png"] {
            assert_eq!(mode(&dir.join(file)), 0o644, "{file}");
        }
        let spec = std::fs::read_to_string(&old).expect("spec");
        assert!(spec.contains("--connection-file"), "{spec}");
        std::fs::remove_dir_all(&prefix).expect("clean up");
    }
}
