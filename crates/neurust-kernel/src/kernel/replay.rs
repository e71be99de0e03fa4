//! Replay protection. A signature proves who wrote a message, not that it is fresh: frames
//! captured off the wire verify just as well the second time. So, when messages are signed, an
//! authenticated message whose signature was already seen (on any channel) is dropped, as
//! ipykernel does. The signature, not the msg_id, is the key: jupyter_client's sessions number
//! their messages `<session>_<pid>_<n>` from 0 in every clone, so a client that reconnects
//! reuses msg_ids, while its headers (with their dates) and thus its signatures differ.
//! Only the most recent `CAPACITY` signatures are remembered, as 64-bit keyed hashes, so memory
//! stays bounded (about 1.5 MB) whatever the frames hold.

use bytes::Bytes;
use std::collections::{HashSet, VecDeque};
use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;

/// How many recent signatures are remembered (ipykernel's digest history is as long).
pub const CAPACITY: usize = 1 << 16;

/// Recent signatures, shared by the incoming tasks of every channel.
pub struct ReplayGuard {
    seen: Option<Mutex<Seen>>,
}

struct Seen {
    hasher: RandomState,
    order: VecDeque<u64>,
    set: HashSet<u64>,
    capacity: usize,
}

/// The signature frame of a multipart message (the one after `<IDS|MSG>`), if any.
pub fn signature(frames: &[Bytes]) -> Bytes {
    frames
        .iter()
        .position(|f| f.as_ref() == neurust_wire::wire::DELIMITER)
        .and_then(|i| frames.get(i + 1))
        .cloned()
        .unwrap_or_default()
}

impl ReplayGuard {
    /// A guard that is active only when messages are signed (a non-empty key): without a key
    /// anyone may write any message, and replays prove nothing.
    pub fn new(signed: bool) -> ReplayGuard {
        ReplayGuard::with_capacity(signed, CAPACITY)
    }

    fn with_capacity(signed: bool, capacity: usize) -> ReplayGuard {
        let seen = signed.then(|| {
            Mutex::new(Seen {
                hasher: RandomState::new(),
                order: VecDeque::new(),
                set: HashSet::new(),
                capacity: capacity.max(1),
            })
        });
        ReplayGuard { seen }
    }

    /// Records the (verified) signature of a message and says whether the message may pass:
    /// false when the same signature was seen recently. Hex digits are compared without case,
    /// since the verifier accepts either.
    pub fn admits(&self, signature: &[u8]) -> bool {
        let Some(seen) = &self.seen else {
            return true;
        };
        let Ok(mut seen) = seen.lock() else {
            return true;
        };
        let key = seen.hasher.hash_one(signature.to_ascii_lowercase());
        if !seen.set.insert(key) {
            return false;
        }
        seen.order.push_back(key);
        if seen.order.len() > seen.capacity
            && let Some(oldest) = seen.order.pop_front()
        {
            seen.set.remove(&oldest);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_signature_is_refused_until_it_leaves_the_window() {
        let guard = ReplayGuard::with_capacity(true, 2);
        assert!(guard.admits(b"aa"));
        assert!(!guard.admits(b"aa"));
        assert!(!guard.admits(b"AA"));
        assert!(guard.admits(b"bb"));
        assert!(guard.admits(b"cc")); // "aa" falls out of the window of two
        assert!(!guard.admits(b"cc"));
        assert!(guard.admits(b"aa"));
    }

    #[test]
    fn without_signing_everything_passes() {
        let guard = ReplayGuard::new(false);
        assert!(guard.admits(b"aa"));
        assert!(guard.admits(b"aa"));
    }

    #[test]
    fn finds_the_signature_frame() {
        let frames = [
            Bytes::from_static(b"id"),
            Bytes::from_static(neurust_wire::wire::DELIMITER),
        ];
        assert_eq!(signature(&frames), Bytes::new());
        let mut frames = frames.to_vec();
        frames.push(Bytes::from_static(b"abc"));
        assert_eq!(signature(&frames), Bytes::from_static(b"abc"));
    }
}
