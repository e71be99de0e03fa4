//! Where a dataset can be downloaded from, and which URLs are acceptable.

use crate::Error;

/// What a [`Source`] serves under its base URL.
///
/// ```
/// use neurust_datasets::{mnist, Layout};
/// assert_eq!(mnist::dataset().sources[0].layout(), Layout::Npz);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// The four IDX files, gzipped: `<base>/train-images-idx3-ubyte.gz`, ...
    IdxGz,
    /// The dataset's single `.npz` archive: `<base>/mnist.npz`.
    Npz,
}

/// A download location: a base URL and the layout of the files under it.
///
/// Only `https://` URLs are accepted, except plain `http://` to a loopback host
/// (`127.0.0.0/8`, `localhost`, `[::1]`), which local test servers use.
///
/// ```
/// use neurust_datasets::{Layout, Source};
/// let s = Source::new("https://example.org/mnist/", Layout::IdxGz)?;
/// assert_eq!(s.url_for("t10k-labels-idx1-ubyte.gz"), "https://example.org/mnist/t10k-labels-idx1-ubyte.gz");
/// assert!(Source::new("http://example.org/", Layout::IdxGz).is_err());
/// assert!(Source::new("http://127.0.0.1:8000", Layout::Npz).is_ok());
/// # Ok::<(), neurust_datasets::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    base_url: String,
    layout: Layout,
}

impl Source {
    /// A source at `base_url` (trailing `/` optional); refuses insecure or unknown schemes.
    ///
    /// ```
    /// use neurust_datasets::{Layout, Source};
    /// let err = Source::new("ftp://example.org/", Layout::IdxGz).unwrap_err();
    /// assert!(err.to_string().contains("only https://"));
    /// ```
    pub fn new(base_url: &str, layout: Layout) -> Result<Source, Error> {
        check_url(base_url)?;
        Ok(Source {
            base_url: base_url.trim_end_matches('/').to_string(),
            layout,
        })
    }

    /// The base URL, without a trailing `/`.
    ///
    /// ```
    /// let s = neurust_datasets::Source::new("https://h/x/", neurust_datasets::Layout::Npz)?;
    /// assert_eq!(s.base_url(), "https://h/x");
    /// # Ok::<(), neurust_datasets::Error>(())
    /// ```
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The layout of the files under the base URL.
    ///
    /// ```
    /// use neurust_datasets::{Layout, Source};
    /// assert_eq!(Source::new("https://h", Layout::Npz)?.layout(), Layout::Npz);
    /// # Ok::<(), neurust_datasets::Error>(())
    /// ```
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// The URL of one file of this source.
    ///
    /// ```
    /// let s = neurust_datasets::Source::new("https://h", neurust_datasets::Layout::Npz)?;
    /// assert_eq!(s.url_for("mnist.npz"), "https://h/mnist.npz");
    /// # Ok::<(), neurust_datasets::Error>(())
    /// ```
    pub fn url_for(&self, file_name: &str) -> String {
        format!("{}/{file_name}", self.base_url)
    }

    /// Whether requests to this source must bypass any proxy (loopback hosts).
    pub(crate) fn is_loopback(&self) -> bool {
        self.base_url.starts_with("http://")
    }
}

fn check_url(url: &str) -> Result<(), Error> {
    let refuse = |reason: &str| {
        Err(Error::BadUrl {
            url: url.to_string(),
            reason: reason.to_string(),
        })
    };
    if let Some(rest) = url.strip_prefix("https://") {
        return if host_of(rest).is_empty() {
            refuse("it has no host")
        } else {
            Ok(())
        };
    }
    let Some(rest) = url.strip_prefix("http://") else {
        return refuse("only https:// URLs (or http:// to a loopback host) are supported");
    };
    let host = host_of(rest);
    let loopback = host == "localhost"
        || host == "[::1]"
        || host.strip_prefix("127.").is_some_and(|r| {
            r.split('.').all(|p| p.parse::<u8>().is_ok()) && r.split('.').count() == 3
        });
    if loopback {
        Ok(())
    } else {
        refuse(
            "plain http:// is allowed only for loopback hosts (127.0.0.1, localhost, [::1]); use https://",
        )
    }
}

/// The host of `rest` (a URL after its scheme), without port, path or user info.
fn host_of(rest: &str) -> &str {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    if host_port.starts_with('[') {
        return host_port.split_inclusive(']').next().unwrap_or("");
    }
    host_port.split(':').next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_loopback_http() {
        for ok in [
            "https://a.b/c",
            "http://127.0.0.1:9/x",
            "http://localhost/",
            "http://[::1]:80",
            "http://127.1.2.3",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://10.0.0.1/",
            "http://127.0.0.1.evil.com/",
            "http://user@evil.com",
            "ftp://h/",
            "https://",
            "file:///tmp",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
        assert!(check_url("http://localhost@evil.com/").is_err());
    }
}
