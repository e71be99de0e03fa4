//! The connection file Jupyter hands to the kernel: where to bind and how to sign.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Clone, Deserialize)]
pub struct ConnectionInfo {
    #[serde(default = "default_transport")]
    pub transport: String,
    pub ip: String,
    pub shell_port: u16,
    pub iopub_port: u16,
    pub stdin_port: u16,
    pub control_port: u16,
    pub hb_port: u16,
    #[serde(default)]
    pub key: String,
    #[serde(default = "default_scheme")]
    pub signature_scheme: String,
}

fn default_transport() -> String {
    "tcp".to_owned()
}

fn default_scheme() -> String {
    "hmac-sha256".to_owned()
}

impl ConnectionInfo {
    pub fn read(path: &Path) -> Result<ConnectionInfo> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading connection file {}", path.display()))?;
        let info: ConnectionInfo = serde_json::from_str(&text)
            .with_context(|| format!("parsing connection file {}", path.display()))?;
        if info.signature_scheme != "hmac-sha256" {
            bail!(
                "unsupported signature scheme {:?} (only hmac-sha256)",
                info.signature_scheme
            );
        }
        if info.transport != "tcp" {
            bail!("unsupported transport {:?} (only tcp)", info.transport);
        }
        Ok(info)
    }

    pub fn endpoint(&self, port: u16) -> String {
        if self.ip.contains(':') {
            format!("{}://[{}]:{}", self.transport, self.ip, port)
        } else {
            format!("{}://{}:{}", self.transport, self.ip, port)
        }
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
        let info: ConnectionInfo = serde_json::from_str(text).expect("parses");
        assert_eq!(info.endpoint(info.hb_port), "tcp://127.0.0.1:5");
    }
}
