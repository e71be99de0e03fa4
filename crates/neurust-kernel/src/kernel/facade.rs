//! Where the notebook crate's `neurust` dependency comes from: the facade every notebook
//! preloads (`use neurust::prelude::*;`). In order:
//! 1. `NEURUST_FACADE_PATH`, when set (empty: no facade at all);
//! 2. the checkout this kernel was built in, if it was (`crates/neurust` there), so an edit
//!    there shows in the next kernel;
//! 3. the sources the kernel embeds when built from a checkout, written out under the cache root
//!    (`cache::facade_source`): a kernel installed with `cargo install --path` whose checkout is
//!    gone;
//! 4. the crate registry, at exactly this kernel's version: a kernel installed from a published
//!    crate, which embeds no sources. `cargo install` of the kernel's package locks the facade's
//!    graph too (the kernel's dev-dependency on it), so the tested lock covers it.

use crate::kernel::cache::facade_source;
use crate::kernel::log::log;
use std::path::PathBuf;
use std::sync::OnceLock;

/// Environment variable that overrides where the facade is found.
pub const ENV: &str = "NEURUST_FACADE_PATH";

/// A source of the facade crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Facade {
    /// A folder holding the facade crate.
    Path(PathBuf),
    /// The crate registry, at this exact version.
    Registry(&'static str),
}

impl Facade {
    /// The facade this kernel loads; `None` when `NEURUST_FACADE_PATH` is set but empty, or the
    /// embedded sources could not be written out (logged).
    pub fn find() -> Option<Facade> {
        match std::env::var_os(ENV) {
            Some(value) if value.is_empty() => None,
            Some(value) => {
                let path = PathBuf::from(value);
                Some(Facade::Path(path.canonicalize().unwrap_or(path)))
            }
            None => {
                // Empty when the kernel was built from a package (`build.rs`).
                let checkout = env!("NEURUST_KERNEL_CHECKOUT");
                let built_in = PathBuf::from(checkout).join("crates/neurust");
                if !checkout.is_empty() && built_in.join("Cargo.toml").is_file() {
                    return Some(Facade::Path(built_in.canonicalize().unwrap_or(built_in)));
                }
                static EMBEDDED: OnceLock<Option<Facade>> = OnceLock::new();
                EMBEDDED.get_or_init(embedded_or_registry).clone()
            }
        }
    }

    /// What follows `:dep neurust = ` in the cell that loads it.
    pub fn dependency(&self) -> String {
        match self {
            Facade::Path(path) => {
                let path = path
                    .to_string_lossy()
                    .replace('\\', "\\\\")
                    .replace('"', "\\\"");
                format!("{{ path = \"{path}\" }}")
            }
            Facade::Registry(version) => format!("\"={version}\""),
        }
    }

    /// What tells this facade from any other in cache keys (a path as it always was).
    pub fn identity(&self) -> String {
        match self {
            Facade::Path(path) => path.to_string_lossy().into_owned(),
            Facade::Registry(version) => format!("registry: neurust ={version}"),
        }
    }
}

impl std::fmt::Display for Facade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Facade::Path(path) => write!(f, "{}", path.display()),
            Facade::Registry(version) => write!(f, "neurust ={version} from the crate registry"),
        }
    }
}

fn embedded_or_registry() -> Option<Facade> {
    match facade_source::written_out() {
        Ok(Some(path)) => Some(Facade::Path(path)),
        Ok(None) => Some(Facade::Registry(env!("CARGO_PKG_VERSION"))),
        Err(e) => {
            log(&format!("the embedded neurust sources: {e:#}"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_read_as_cargo_wants_them() {
        let path = Facade::Path(PathBuf::from("/a \"b\"\\c"));
        assert_eq!(path.dependency(), r#"{ path = "/a \"b\"\\c" }"#);
        assert_eq!(path.identity(), "/a \"b\"\\c");
        let registry = Facade::Registry("0.1.0");
        assert_eq!(registry.dependency(), "\"=0.1.0\"");
        assert_eq!(
            registry.to_string(),
            "neurust =0.1.0 from the crate registry"
        );
        assert_ne!(registry.identity(), Facade::Path("0.1.0".into()).identity());
    }
}
