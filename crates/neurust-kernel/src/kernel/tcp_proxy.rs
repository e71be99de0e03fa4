//! The kernel's TCP ports. ZeroMQ listens on Unix sockets in a directory only this user can
//! enter; the ports of the connection file accept the clients and relay each connection to
//! those sockets, the client's bytes through a [`FrameGuard`] (see `zmtp_guard.rs` for why).

use crate::kernel::zmtp_guard::FrameGuard;
use anyhow::{Context, Result};
use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UnixStream};

/// Directory names: `neurust-kernel-<uid>-<pid>-<random>` in the temporary directory.
const PREFIX: &str = "neurust-kernel";

static SOCKET_DIR: OnceLock<PathBuf> = OnceLock::new();

/// Creates this kernel's private socket directory (mode 0700, a name nobody else holds), after
/// removing ones left by this user's kernels that are no longer running.
pub fn create_socket_dir() -> Result<&'static Path> {
    let base = std::env::temp_dir();
    // SAFETY: getuid has no preconditions.
    let uid = unsafe { libc::getuid() };
    remove_stale_dirs(&base, uid);
    let random = uuid::Uuid::new_v4().simple().to_string();
    let dir = base.join(format!(
        "{PREFIX}-{uid}-{}-{}",
        std::process::id(),
        &random[..8]
    ));
    // `create` (not `create_all`) fails if the name exists, so the directory is ours, 0700.
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(&dir)
        .with_context(|| format!("creating the socket directory {}", dir.display()))?;
    Ok(SOCKET_DIR.get_or_init(|| dir))
}

/// Removes the socket directory (before the process exits).
pub fn remove_socket_dir() {
    if let Some(dir) = SOCKET_DIR.get() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Socket directories of this user whose kernel process has gone.
fn remove_stale_dirs(base: &Path, uid: u32) {
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    let mine = format!("{PREFIX}-{uid}-");
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(&mine))
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<libc::pid_t>().ok())
        else {
            continue;
        };
        let owned = entry.metadata().is_ok_and(|m| m.is_dir() && m.uid() == uid);
        // SAFETY: kill with signal 0 only checks whether the process exists.
        let gone = unsafe { libc::kill(pid, 0) } != 0
            && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH);
        if owned && gone {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Listens on `host:port` for clients and returns the Unix listener ZeroMQ should adopt for the
/// socket called `name`.
pub async fn listen(
    dir: &Path,
    name: &'static str,
    host: &str,
    port: u16,
) -> Result<std::os::unix::net::UnixListener> {
    let tcp = TcpListener::bind((host, port))
        .await
        .with_context(|| format!("binding {name} to {host}:{port}"))?;
    let path = dir.join(format!("{name}.sock"));
    let unix = std::os::unix::net::UnixListener::bind(&path)
        .with_context(|| format!("binding {}", path.display()))?;
    tokio::spawn(async move {
        loop {
            match tcp.accept().await {
                Ok((client, _)) => {
                    tokio::spawn(relay(client, path.clone(), name));
                }
                // Out of descriptors, for instance: wait rather than spin.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    });
    Ok(unix)
}

/// Copies one client connection to and from ZeroMQ until either side closes or the client's
/// bytes are refused.
async fn relay(client: TcpStream, path: PathBuf, name: &'static str) {
    let inner = match UnixStream::connect(&path).await {
        Ok(inner) => inner,
        Err(error) => {
            eprintln!("neurust-kernel: could not relay a connection on {name}: {error}");
            return;
        }
    };
    let _ = client.set_nodelay(true);
    let (mut from_client, mut to_client) = client.into_split();
    let (mut from_kernel, mut to_kernel) = inner.into_split();
    let inbound = guarded_copy(&mut from_client, &mut to_kernel, name);
    let outbound = tokio::io::copy(&mut from_kernel, &mut to_client);
    // When either direction ends, both connections are dropped, which closes them.
    tokio::select! {
        _ = inbound => {}
        _ = outbound => {}
    }
}

/// Copies the client's bytes to ZeroMQ while the guard accepts them.
async fn guarded_copy(
    from: &mut (impl AsyncReadExt + Unpin),
    to: &mut (impl AsyncWriteExt + Unpin),
    name: &str,
) -> std::io::Result<()> {
    let mut guard = FrameGuard::default();
    let mut buffer = vec![0u8; 64 << 10];
    loop {
        let n = from.read(&mut buffer).await?;
        if n == 0 {
            return Ok(());
        }
        if let Err(why) = guard.check(&buffer[..n]) {
            eprintln!("neurust-kernel: closed a connection on {name}: {why}");
            return Ok(());
        }
        to.write_all(&buffer[..n]).await?;
    }
}
