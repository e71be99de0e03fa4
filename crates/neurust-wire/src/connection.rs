//! The connection file Jupyter hands to the kernel: where to bind and how to sign.

use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// The fields of a connection file this kernel uses (others, such as `kernel_name`, are
/// ignored). Its `Debug` output never shows the key.
#[derive(Clone, Deserialize)]
pub struct ConnectionInfo {
    #[serde(default = "default_transport")]
    pub transport: String,
    pub ip: String,
    pub shell_port: u16,
    pub iopub_port: u16,
    pub stdin_port: u16,
    pub control_port: u16,
    pub hb_port: u16,
    #[serde(default, deserialize_with = "key_string")]
    pub key: String,
    #[serde(default = "default_scheme")]
    pub signature_scheme: String,
}

impl fmt::Debug for ConnectionInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectionInfo")
            .field("transport", &self.transport)
            .field("ip", &self.ip)
            .field("shell_port", &self.shell_port)
            .field("iopub_port", &self.iopub_port)
            .field("stdin_port", &self.stdin_port)
            .field("control_port", &self.control_port)
            .field("hb_port", &self.hb_port)
            .field(
                "key",
                &if self.key.is_empty() {
                    ""
                } else {
                    "<redacted>"
                },
            )
            .field("signature_scheme", &self.signature_scheme)
            .finish()
    }
}

/// Why a connection file was not usable.
#[derive(Debug)]
pub enum ConnectionError {
    /// The file could not be read.
    Read(PathBuf, std::io::Error),
    /// The text is not a connection file (bad JSON or a missing field).
    Parse(String),
    /// A transport or signature scheme this kernel does not speak.
    Unsupported(String),
}

impl fmt::Display for ConnectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectionError::Read(path, e) => {
                write!(f, "reading connection file {}: {e}", path.display())
            }
            ConnectionError::Parse(e) => write!(f, "parsing connection file: {e}"),
            ConnectionError::Unsupported(what) => write!(f, "connection file: {what}"),
        }
    }
}

impl std::error::Error for ConnectionError {}

/// The key as a string. Anything else is refused with a message that does not quote it
/// (serde's own would, and the message is logged).
fn key_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(key) => Ok(key),
        _ => Err(serde::de::Error::custom("\"key\" must be a string")),
    }
}

fn default_transport() -> String {
    "tcp".to_owned()
}

fn default_scheme() -> String {
    "hmac-sha256".to_owned()
}

impl ConnectionInfo {
    /// Reads and checks the connection file at `path`.
    pub fn read(path: &Path) -> Result<ConnectionInfo, ConnectionError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConnectionError::Read(path.to_path_buf(), e))?;
        ConnectionInfo::parse(&text).map_err(|e| match e {
            ConnectionError::Parse(e) => ConnectionError::Parse(format!("{}: {e}", path.display())),
            other => other,
        })
    }

    /// Parses and checks the text of a connection file.
    ///
    /// ```
    /// let text = r#"{"ip": "::1", "shell_port": 1, "iopub_port": 2, "stdin_port": 3,
    ///     "control_port": 4, "hb_port": 5, "transport": "udp"}"#;
    /// let err = neurust_wire::ConnectionInfo::parse(text).unwrap_err();
    /// assert!(err.to_string().contains("unsupported transport"));
    /// ```
    pub fn parse(text: &str) -> Result<ConnectionInfo, ConnectionError> {
        let info: ConnectionInfo =
            serde_json::from_str(text).map_err(|e| ConnectionError::Parse(e.to_string()))?;
        if info.signature_scheme != "hmac-sha256" {
            return Err(ConnectionError::Unsupported(format!(
                "unsupported signature scheme {:?} (only hmac-sha256)",
                info.signature_scheme
            )));
        }
        if info.transport != "tcp" {
            return Err(ConnectionError::Unsupported(format!(
                "unsupported transport {:?} (only tcp)",
                info.transport
            )));
        }
        Ok(info)
    }

    /// The host to bind the ports on: the connection file's `ip`, with Jupyter's `*` ("every
    /// interface") written as `0.0.0.0`.
    ///
    /// ```
    /// let text = r#"{"ip": "*", "shell_port": 1, "iopub_port": 2, "stdin_port": 3,
    ///     "control_port": 4, "hb_port": 5}"#;
    /// let info = neurust_wire::ConnectionInfo::parse(text).unwrap();
    /// assert_eq!(info.bind_host(), "0.0.0.0");
    /// ```
    pub fn bind_host(&self) -> &str {
        if self.ip == "*" { "0.0.0.0" } else { &self.ip }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_typical_file() {
        let text = r#"{"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4,
            "hb_port": 5, "ip": "127.0.0.1", "key": "k", "transport": "tcp",
            "signature_scheme": "hmac-sha256", "kernel_name": "neurust"}"#;
        let info = ConnectionInfo::parse(text).expect("parses");
        assert_eq!(info.bind_host(), "127.0.0.1");
        assert_eq!(info.key, "k");
        let shown = format!("{info:?}");
        assert!(
            shown.contains("<redacted>") && !shown.contains("\"k\""),
            "{shown}"
        );
    }

    #[test]
    fn rejects_other_schemes_and_missing_ports() {
        let base =
            r#""shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "ip": "::1""#;
        let sha1 = format!(r#"{{{base}, "hb_port": 5, "signature_scheme": "hmac-sha1"}}"#);
        assert!(
            ConnectionInfo::parse(&sha1)
                .unwrap_err()
                .to_string()
                .contains("hmac-sha1")
        );
        let no_hb = format!("{{{base}}}");
        assert!(matches!(
            ConnectionInfo::parse(&no_hb),
            Err(ConnectionError::Parse(_))
        ));
        let numeric_key = format!(r#"{{{base}, "hb_port": 5, "key": 123456789}}"#);
        let err = ConnectionInfo::parse(&numeric_key).unwrap_err().to_string();
        assert!(
            err.contains("\"key\" must be a string") && !err.contains("123456789"),
            "{err}"
        );
        let ok = ConnectionInfo::parse(&format!(r#"{{{base}, "hb_port": 5}}"#)).unwrap();
        assert_eq!(ok.bind_host(), "::1");
    }
}
