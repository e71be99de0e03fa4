//! Helpers for download tests: the fixture as server routes, a loader pointed at a
//! local server, and directory listings.

use std::fs;
use std::path::Path;

use neurust_datasets::{Layout, Loader, Source};

use super::server::{Reply, Server};
use super::{FILES, fixture_gz};

/// Routes serving the fixture's gzip files under `/<prefix>/`.
pub fn fixture_routes(prefix: &str) -> Vec<(String, Reply)> {
    (0..4)
        .map(|i| {
            (
                format!("/{prefix}/{}.gz", FILES[i]),
                Reply::Body(fixture_gz(i)),
            )
        })
        .collect()
}

pub fn loader(cache: &Path, server: &Server, prefix: &str, layout: Layout) -> Loader {
    let source = Source::new(&format!("{}/{prefix}", server.base), layout).unwrap();
    Loader::new()
        .cache_root(cache)
        .sources(vec![source])
        .progress(false)
}

/// The names in a directory, sorted (to check that no temporary file is left).
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir).map_or(Vec::new(), |rd| {
        rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    });
    names.sort();
    names
}
