//! HMAC-SHA256 signing of the four JSON frames of a message, with the connection file's key.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// Signs and verifies messages with the connection file's key. An empty key disables signing,
/// as the protocol specifies.
///
/// ```
/// use neurust_wire::Signer;
/// let signer = Signer::new("key");
/// let parts: [&[u8]; 4] = [b"{}", b"{}", b"{}", b"{}"];
/// let signature = signer.sign(&parts);
/// assert_eq!(signature.len(), 64);
/// assert!(signer.verify(signature.as_bytes(), &parts));
/// assert!(!Signer::new("other").verify(signature.as_bytes(), &parts));
/// assert!(Signer::new("").verify(b"", &parts));
/// ```
#[derive(Clone)]
pub struct Signer {
    mac: Option<Hmac<Sha256>>,
}

impl Signer {
    /// A signer for `key`; `""` signs nothing and accepts everything.
    pub fn new(key: &str) -> Signer {
        // HMAC takes keys of any length, so this never fails; were it to, the signer must
        // not quietly become one that accepts everything.
        let mac = (!key.is_empty()).then(|| {
            Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC accepts any key length")
        });
        Signer { mac }
    }

    fn digest(&self, parts: &[&[u8]]) -> Option<Hmac<Sha256>> {
        let mut mac = self.mac.clone()?;
        for part in parts {
            mac.update(part);
        }
        Some(mac)
    }

    /// Hex signature of the four JSON frames ("" when signing is disabled).
    pub fn sign(&self, parts: &[&[u8]]) -> String {
        match self.digest(parts) {
            Some(mac) => hex::encode(mac.finalize().into_bytes()),
            None => String::new(),
        }
    }

    /// Constant-time check of a hex signature.
    pub fn verify(&self, signature: &[u8], parts: &[&[u8]]) -> bool {
        let Some(mac) = self.digest(parts) else {
            return true;
        };
        match hex::decode(signature) {
            Ok(raw) => mac.verify_slice(&raw).is_ok(),
            Err(_) => false,
        }
    }
}
