//! Checks the bytes a client sends before ZeroMQ reads them: a ZMTP 3 greeting, then frames
//! whose declared length is at most [`MAX_FRAME`].
//!
//! The `zeromq` crate (0.7) reserves memory for a frame's declared length as soon as it has
//! read the frame's header, before any signature can be checked, and a failed allocation
//! aborts the process. Without this guard, nine bytes from any local process (a header
//! declaring 4 EiB) would end the kernel and every variable of the session. The guard follows
//! the stream's framing without buffering it and refuses the connection at the first header
//! over the limit.

/// The longest frame a client may send: 256 MiB (a Jupyter message's largest frame is its
/// content, such as a cell's code).
pub const MAX_FRAME: u64 = 256 << 20;

/// A ZMTP 3 greeting's length: signature, version, mechanism, as-server flag, filler.
const GREETING: usize = 64;

/// Why a connection was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The first bytes are not a ZMTP 3 greeting.
    NotZmtp3,
    /// A frame header declared more than [`MAX_FRAME`] bytes.
    TooLong(u64),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::NotZmtp3 => write!(f, "it did not start with a ZMTP 3 greeting"),
            Refusal::TooLong(n) => write!(
                f,
                "it declared a frame of {n} bytes (at most {} MiB are accepted)",
                MAX_FRAME >> 20
            ),
        }
    }
}

enum State {
    /// Greeting bytes seen so far.
    Greeting(usize),
    /// Next byte: a frame's flags.
    Flags,
    /// A frame's length field: its size (1 or 8 bytes), the bytes read so far and their count.
    Length {
        size: usize,
        bytes: [u8; 8],
        got: usize,
    },
    /// Bytes of a frame's body still to pass.
    Body(u64),
}

/// Follows one client-to-kernel byte stream.
pub struct FrameGuard {
    state: State,
}

impl Default for FrameGuard {
    fn default() -> Self {
        FrameGuard {
            state: State::Greeting(0),
        }
    }
}

impl FrameGuard {
    /// Checks the next bytes of the stream (any split into chunks gives the same answer).
    pub fn check(&mut self, mut bytes: &[u8]) -> Result<(), Refusal> {
        while let Some(&first) = bytes.first() {
            match &mut self.state {
                State::Greeting(seen) => {
                    let take = (GREETING - *seen).min(bytes.len());
                    for (at, &byte) in (*seen..).zip(&bytes[..take]) {
                        // Signature 0xFF … 0x7F, then the major version.
                        let bad = match at {
                            0 => byte != 0xFF,
                            9 => byte != 0x7F,
                            10 => byte < 3,
                            _ => false,
                        };
                        if bad {
                            return Err(Refusal::NotZmtp3);
                        }
                    }
                    *seen += take;
                    bytes = &bytes[take..];
                    if *seen == GREETING {
                        self.state = State::Flags;
                    }
                }
                State::Flags => {
                    let size = if first & 0b10 != 0 { 8 } else { 1 };
                    self.state = State::Length {
                        size,
                        bytes: [0; 8],
                        got: 0,
                    };
                    bytes = &bytes[1..];
                }
                State::Length {
                    size,
                    bytes: field,
                    got,
                } => {
                    let take = (*size - *got).min(bytes.len());
                    field[*got..*got + take].copy_from_slice(&bytes[..take]);
                    *got += take;
                    bytes = &bytes[take..];
                    if *got == *size {
                        let len = field[..*size]
                            .iter()
                            .fold(0u64, |n, &b| (n << 8) | u64::from(b));
                        if len > MAX_FRAME {
                            return Err(Refusal::TooLong(len));
                        }
                        self.state = if len == 0 {
                            State::Flags
                        } else {
                            State::Body(len)
                        };
                    }
                }
                State::Body(rest) => {
                    let take = (*rest).min(bytes.len() as u64);
                    // `take` is at most `bytes.len()`, so it fits in usize.
                    bytes = &bytes[take as usize..];
                    *rest -= take;
                    if *rest == 0 {
                        self.state = State::Flags;
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn greeting() -> Vec<u8> {
        let mut g = vec![0u8; GREETING];
        g[0] = 0xFF;
        g[9] = 0x7F;
        g[10] = 3;
        g[11] = 1;
        g[12..16].copy_from_slice(b"NULL");
        g
    }

    fn short_frame(body: &[u8]) -> Vec<u8> {
        let mut f = vec![0b01, u8::try_from(body.len()).expect("short")];
        f.extend_from_slice(body);
        f
    }

    fn long_header(len: u64) -> Vec<u8> {
        let mut f = vec![0b10];
        f.extend_from_slice(&len.to_be_bytes());
        f
    }

    /// The same stream checked whole and one byte at a time.
    fn both_ways(stream: &[u8]) -> (Result<(), Refusal>, Result<(), Refusal>) {
        let whole = FrameGuard::default().check(stream);
        let mut guard = FrameGuard::default();
        let bytewise = stream.iter().try_for_each(|b| guard.check(&[*b]));
        (whole, bytewise)
    }

    #[test]
    fn passes_well_formed_frames_however_the_stream_is_split() {
        let mut stream = greeting();
        stream.extend(short_frame(b"<IDS|MSG>"));
        stream.extend(short_frame(b""));
        let body = vec![7u8; 1000];
        stream.extend(long_header(1000));
        stream.extend(&body);
        stream.extend(long_header(MAX_FRAME));
        assert_eq!(both_ways(&stream), (Ok(()), Ok(())));
    }

    #[test]
    fn refuses_a_header_over_the_limit_even_split_across_reads() {
        let mut stream = greeting();
        stream.extend(short_frame(b"x"));
        stream.extend(long_header(0x4000_0000_0000_0009));
        let refused = Err(Refusal::TooLong(0x4000_0000_0000_0009));
        assert_eq!(both_ways(&stream), (refused.clone(), refused));
        let mut stream = greeting();
        stream.extend(long_header(MAX_FRAME + 1));
        assert_eq!(
            FrameGuard::default().check(&stream),
            Err(Refusal::TooLong(MAX_FRAME + 1))
        );
    }

    #[test]
    fn a_body_that_looks_like_a_huge_header_is_only_data() {
        let mut stream = greeting();
        let body = long_header(u64::MAX);
        stream.extend(short_frame(&body));
        assert_eq!(both_ways(&stream), (Ok(()), Ok(())));
    }

    #[test]
    fn refuses_what_is_not_a_zmtp3_greeting() {
        assert_eq!(
            FrameGuard::default().check(b"GET / HTTP/1.1\r\n"),
            Err(Refusal::NotZmtp3)
        );
        let mut old = greeting();
        old[10] = 2;
        assert_eq!(FrameGuard::default().check(&old), Err(Refusal::NotZmtp3));
        assert!(Refusal::TooLong(1 << 40).to_string().contains("256 MiB"));
    }
}
