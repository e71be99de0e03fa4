//! HTTPS download of a dataset into a directory: each file goes to a private temporary
//! file next to its target and is renamed only after its checksum and structure are
//! verified. One download from one source must finish within a time limit.

use std::fs;
use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use ureq::Agent;

use crate::idx::Kind;
use crate::layout::{Found, load, read_checked};
use crate::partial::{self, TempFile};
use crate::progress::Progress;
use crate::{Dataset, Error, Layout, Source};

/// No file of these datasets is near this size; a larger response is refused.
const MAX_BYTES: u64 = 256 << 20;

/// How a download runs: whether progress is shown and by when it must be over.
pub(crate) struct Transfer {
    progress: bool,
    limit: Duration,
    /// `None` when the limit is too large to represent: no limit.
    deadline: Option<Instant>,
}

impl Transfer {
    /// A transfer that must be over `limit` from now.
    pub(crate) fn new(progress: bool, limit: Duration) -> Self {
        Transfer {
            progress,
            limit,
            deadline: Instant::now().checked_add(limit),
        }
    }

    /// The time left, `None` if unlimited.
    fn left(&self) -> Option<Duration> {
        self.deadline
            .map(|d| d.saturating_duration_since(Instant::now()))
    }
}

/// Downloads `ds` from `source` into `dir`, leaving only verified files under final names.
/// IDX files already in `dir` are not fetched again; the load that follows checks them.
pub(crate) fn fetch(
    source: &Source,
    ds: &Dataset,
    dir: &Path,
    transfer: &Transfer,
) -> Result<(), Error> {
    partial::create_private_dir(dir)?;
    partial::remove_stale(dir);
    let agent = agent(source);
    match source.layout() {
        Layout::IdxGz => {
            let kinds = [Kind::Images, Kind::Labels, Kind::Images, Kind::Labels];
            for (file, kind) in ds.idx_files().into_iter().zip(kinds) {
                let name = file.gz_name();
                if dir.join(&name).is_file() || dir.join(&file.name).is_file() {
                    continue;
                }
                let verify = |tmp: &Path| read_checked(file, tmp, kind, true).map(drop);
                let url = source.url_for(&name);
                fetch_one(&agent, &url, &dir.join(&name), transfer, verify)?;
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
            let url = source.url_for(&npz.name);
            fetch_one(&agent, &url, &dir.join(&npz.name), transfer, verify)
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
        // Plain http is allowed on loopback only, so a local mirror may not redirect elsewhere.
        config = config.proxy(None).max_redirects(0);
    }
    config.build().into()
}

/// Fetches `url` into a temporary file beside `target`, runs `verify` on it, then renames.
fn fetch_one(
    agent: &Agent,
    url: &str,
    target: &Path,
    transfer: &Transfer,
    verify: impl FnOnce(&Path) -> Result<(), Error>,
) -> Result<(), Error> {
    let net = |detail: String| {
        let detail = if transfer.left().is_some_and(|left| left.is_zero()) {
            format!(
                "not finished within {:?}, the time allowed for a download \
                 (Loader::download_timeout)",
                transfer.limit
            )
        } else {
            detail
        };
        Error::Network {
            url: url.to_string(),
            detail,
        }
    };
    let left = transfer.left();
    if left.is_some_and(|left| left.is_zero()) {
        return Err(net(String::new()));
    }
    let request = agent.get(url).config().timeout_global(left).build();
    let response = request.call().map_err(|e| net(e.to_string()))?;
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
    let mut bar = Progress::new(&name, body.content_length(), transfer.progress);
    let mut reader = body.into_with_config().limit(MAX_BYTES).reader();
    let (tmp, mut file) = TempFile::create(target)?;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = reader.read(&mut buf).map_err(|e| net(e.to_string()))?;
        if n == 0 {
            break;
        }
        file.write_all(&buf[..n])
            .map_err(|e| Error::io(&tmp.path, e))?;
        bar.add(n);
    }
    bar.finish();
    file.sync_all().map_err(|e| Error::io(&tmp.path, e))?;
    drop(file);
    verify(&tmp.path).map_err(|e| rejected(e, &tmp.path, url))?;
    fs::rename(&tmp.path, target).map_err(|e| Error::io(target, e))?;
    tmp.keep();
    Ok(())
}

/// A check that failed on the temporary file is a [`Error::BadDownload`] of its URL: the
/// file is gone, so the error must neither name it nor advise deleting it.
fn rejected(err: Error, tmp: &Path, url: &str) -> Error {
    let bad = |expected: String, found: String| Error::BadDownload {
        url: url.to_string(),
        expected,
        found,
    };
    let tmp_name = tmp.display().to_string();
    match err {
        Error::ChecksumMismatch {
            what,
            algorithm,
            expected,
            actual,
        } if what.starts_with(&tmp_name) => {
            // `what` is the path, perhaps followed by " (uncompressed)".
            let of = &what[tmp_name.len()..];
            bad(format!("{algorithm} {expected}{of}"), actual)
        }
        Error::Invalid {
            path,
            expected,
            found,
        } if path == tmp => bad(expected, found),
        Error::Gzip { path, source } if path == tmp => bad(
            "a gzip file".into(),
            format!("data that gzip cannot read ({source})"),
        ),
        other => other,
    }
}
