//! HTTPS download of a dataset into a directory: each file goes to a temporary name next
//! to its target and is renamed only after its checksum (and structure) is verified.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ureq::Agent;

use crate::idx::Kind;
use crate::layout::{Found, load, read_checked};
use crate::progress::Progress;
use crate::{Dataset, Error, Layout, Source};

/// No file of these datasets is near this size; a larger response is refused.
const MAX_BYTES: u64 = 256 << 20;

/// Downloads `ds` from `source` into `dir`, leaving only verified files under final names.
pub(crate) fn fetch(
    source: &Source,
    ds: &Dataset,
    dir: &Path,
    progress: bool,
) -> Result<(), Error> {
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let agent = agent(source);
    match source.layout() {
        Layout::IdxGz => {
            let kinds = [Kind::Images, Kind::Labels, Kind::Images, Kind::Labels];
            for (file, kind) in ds.idx_files().into_iter().zip(kinds) {
                let name = file.gz_name();
                if dir.join(&name).is_file() || dir.join(&file.name).is_file() {
                    continue; // verified when it was downloaded
                }
                let verify = |tmp: &Path| read_checked(file, tmp, kind, true).map(drop);
                fetch_one(
                    &agent,
                    &source.url_for(&name),
                    &dir.join(&name),
                    progress,
                    verify,
                )?;
            }
            Ok(())
        }
        Layout::Npz => {
            let Some(npz) = &ds.npz else {
                let reason = format!("{} has no .npz form; use an IdxGz source", ds.title);
                return Err(Error::BadUrl {
                    url: source.base_url().to_string(),
                    reason,
                });
            };
            let verify = |tmp: &Path| load(ds, &Found::Npz(tmp.to_path_buf()), true).map(drop);
            fetch_one(
                &agent,
                &source.url_for(&npz.name),
                &dir.join(&npz.name),
                progress,
                verify,
            )
        }
    }
}

fn agent(source: &Source) -> Agent {
    let mut config = Agent::config_builder()
        .http_status_as_error(false)
        .https_only(!source.is_loopback())
        .timeout_connect(Some(Duration::from_secs(30)))
        .timeout_recv_response(Some(Duration::from_secs(60)))
        .timeout_per_read(Some(Duration::from_secs(60)))
        .user_agent(concat!("neurust-datasets/", env!("CARGO_PKG_VERSION")));
    if source.is_loopback() {
        config = config.proxy(None);
    }
    config.build().into()
}

/// Fetches `url` into a temporary file beside `target`, runs `verify` on it, then renames.
fn fetch_one(
    agent: &Agent,
    url: &str,
    target: &Path,
    progress: bool,
    verify: impl FnOnce(&Path) -> Result<(), Error>,
) -> Result<(), Error> {
    let tmp = TempFile::beside(target);
    let net = |detail: String| Error::Network {
        url: url.to_string(),
        detail,
    };
    let response = agent.get(url).call().map_err(|e| net(e.to_string()))?;
    let status = response.status().as_u16();
    if status != 200 {
        return Err(Error::HttpStatus {
            url: url.to_string(),
            status,
        });
    }
    let body = response.into_body();
    let name = target
        .file_name()
        .map_or_else(|| url.into(), |n| n.to_string_lossy().into_owned());
    let mut bar = Progress::new(&name, body.content_length(), progress);
    let mut reader = body.into_with_config().limit(MAX_BYTES).reader();
    let mut file = File::create(&tmp.0).map_err(|e| Error::io(&tmp.0, e))?;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = reader.read(&mut buf).map_err(|e| net(e.to_string()))?;
        if n == 0 {
            break;
        }
        file.write_all(&buf[..n])
            .map_err(|e| Error::io(&tmp.0, e))?;
        bar.add(n);
    }
    bar.finish();
    file.sync_all().map_err(|e| Error::io(&tmp.0, e))?;
    drop(file);
    verify(&tmp.0).map_err(|e| rename_in_error(e, &tmp.0, url))?;
    fs::rename(&tmp.0, target).map_err(|e| Error::io(target, e))?;
    tmp.keep();
    Ok(())
}

/// Errors about the temporary file are reported against the URL it came from.
fn rename_in_error(err: Error, tmp: &Path, url: &str) -> Error {
    match err {
        Error::ChecksumMismatch {
            what,
            algorithm,
            expected,
            actual,
        } => {
            let what = what.replace(&tmp.display().to_string(), url);
            Error::ChecksumMismatch {
                what,
                algorithm,
                expected,
                actual,
            }
        }
        Error::Invalid {
            path,
            expected,
            found,
        } if path == tmp => Error::Invalid {
            path: PathBuf::from(url),
            expected,
            found,
        },
        Error::Gzip { path, source } if path == tmp => Error::Gzip {
            path: PathBuf::from(url),
            source,
        },
        other => other,
    }
}

/// A temporary path, deleted on drop unless [`TempFile::keep`] was called.
struct TempFile(PathBuf, bool);

impl TempFile {
    fn beside(target: &Path) -> TempFile {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let name = target
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        TempFile(
            target.with_file_name(format!(".part-{}-{n}-{name}", std::process::id())),
            false,
        )
    }

    fn keep(mut self) {
        self.1 = true;
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.1 {
            // It may never have been created; there is nothing to report either way.
            let _ = fs::remove_file(&self.0);
        }
    }
}
