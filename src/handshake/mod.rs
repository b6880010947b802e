// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The opening handshake (RFC 6455 §4), sans-I/O.
//!
//! - [`client::ClientHandshake`] builds the upgrade request and verifies the server's response
//!   as its bytes arrive.
//! - [`server::ServerHandshake`] reads and checks a client's request as its bytes arrive, then
//!   produces either the `101 Switching Protocols` response or a rejection (400, 403, 426, 431).
//!
//! Both sides read the HTTP header block incrementally under [`Limits`] (line length, number of
//! header lines, total size, like Qt's `MAX_HEADERLINE_LENGTH` and `MAX_HEADERLINES`), never
//! buffering more than the total limit, and report how many of the bytes passed in belonged to
//! the header block: the rest already belongs to the WebSocket stream.
//!
//! Errors are [`HandshakeError`]s; [`HandshakeError::kind`] maps each one to libsoup's
//! `SoupWebsocketError` domain.

pub mod client;
pub mod error;
pub mod header;
pub mod server;
pub mod url;

pub use client::{Accepted, ClientHandshake, ClientOptions};
pub use error::{HandshakeError, HandshakeErrorKind};
pub use header::ExtensionOffer;
pub use server::{
    OriginCheck, OriginPolicy, ProtocolPreference, Request, ServerAccepted, ServerHandshake,
    ServerOptions,
};
pub use url::{UrlError, WsUrl};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha1::{Digest, Sha1};

/// The GUID RFC 6455 §1.3 appends to the client's key before hashing.
pub const WEBSOCKET_GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// The only protocol version this crate speaks, as sent in `Sec-WebSocket-Version`.
pub const WEBSOCKET_VERSION: &str = "13";

/// Header fields as they appeared on the wire, names with their original case, in order.
pub type Headers = Vec<(String, String)>;

/// The `Sec-WebSocket-Accept` value for a `Sec-WebSocket-Key` value (RFC 6455 §4.2.2):
/// base64 of the SHA-1 of the key (as sent, base64 text) followed by [`WEBSOCKET_GUID`].
///
/// ```
/// use rswebsockets::handshake::derive_accept_key;
/// assert_eq!(derive_accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
/// ```
pub fn derive_accept_key(key: &str) -> String {
    let mut sha = Sha1::new();
    sha.update(key.as_bytes());
    sha.update(WEBSOCKET_GUID.as_bytes());
    STANDARD.encode(sha.finalize())
}

/// A fresh `Sec-WebSocket-Key`: base64 of 16 bytes from `rng` (RFC 6455 §4.1 asks for a
/// randomly selected nonce; pass a cryptographically secure generator).
pub fn generate_key<R: rand::CryptoRng + ?Sized>(rng: &mut R) -> String {
    let mut nonce = [0u8; 16];
    rng.fill_bytes(&mut nonce);
    STANDARD.encode(nonce)
}

/// Bounds on the HTTP header block, checked while its bytes arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The longest line (request/status line or header line), without its line ending.
    /// Default 8 KiB, Qt's `MAX_HEADERLINE_LENGTH`.
    pub max_line_length: usize,
    /// The most header lines after the request/status line. Default 100, Qt's
    /// `MAX_HEADERLINES`.
    pub max_headers: usize,
    /// The most bytes of the whole header block, line endings and the final empty line
    /// included. Default 16 KiB.
    pub max_total_size: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_line_length: 8 * 1024,
            max_headers: 100,
            max_total_size: 16 * 1024,
        }
    }
}

/// Collects an HTTP header block incrementally, enforcing [`Limits`] byte by byte, so that
/// nothing past the limits (and nothing past the empty line ending the block) is buffered.
#[derive(Debug)]
pub(crate) struct HeadReader {
    limits: Limits,
    buf: Vec<u8>,
    /// Where the line being read starts in `buf`.
    line_start: usize,
    /// Non-empty lines completed so far (the start line included).
    lines: usize,
}

impl HeadReader {
    pub(crate) fn new(limits: Limits) -> Self {
        HeadReader {
            limits,
            buf: Vec::new(),
            line_start: 0,
            lines: 0,
        }
    }

    /// Takes bytes until the header block is complete. Returns `Some(n)` when the block ended
    /// after the first `n` bytes of `bytes` (the block is then in [`HeadReader::block`]),
    /// `None` when all of `bytes` was taken and more is needed.
    pub(crate) fn push(&mut self, bytes: &[u8]) -> Result<Option<usize>, HandshakeError> {
        for (i, &b) in bytes.iter().enumerate() {
            if self.buf.len() >= self.limits.max_total_size {
                return Err(HandshakeError::HeadersTooLarge {
                    limit: self.limits.max_total_size,
                });
            }
            self.buf.push(b);
            if b != b'\n' {
                // A line may be followed by its '\r', hence the one byte of slack.
                if self.buf.len() - self.line_start > self.limits.max_line_length + 1 {
                    return Err(HandshakeError::LineTooLong {
                        limit: self.limits.max_line_length,
                    });
                }
                continue;
            }
            let line = &self.buf[self.line_start..self.buf.len() - 1];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.len() > self.limits.max_line_length {
                return Err(HandshakeError::LineTooLong {
                    limit: self.limits.max_line_length,
                });
            }
            self.line_start = self.buf.len();
            if line.is_empty() {
                if self.lines > 0 {
                    return Ok(Some(i + 1));
                }
                // Empty lines before the start line are tolerated (RFC 7230 §3.5); they
                // still count toward the total size.
                continue;
            }
            self.lines += 1;
            if self.lines > self.limits.max_headers + 1 {
                return Err(HandshakeError::TooManyHeaders {
                    limit: self.limits.max_headers,
                });
            }
        }
        Ok(None)
    }

    /// The complete header block (valid once [`HeadReader::push`] returned `Some`).
    pub(crate) fn block(&self) -> &[u8] {
        &self.buf
    }

    /// Room needed in httparse's header array: at least every header line read.
    pub(crate) fn header_slots(&self) -> usize {
        self.limits.max_headers.min(self.lines)
    }
}

/// Turns httparse's borrowed headers into owned pairs. Values that are not UTF-8 are read as
/// ISO-8859-1, the historical charset of HTTP field values (`obs-text`).
pub(crate) fn own_headers(headers: &[httparse::Header<'_>]) -> Headers {
    headers
        .iter()
        .map(|h| {
            let value = match std::str::from_utf8(h.value) {
                Ok(s) => s.trim_matches([' ', '\t']).to_owned(),
                Err(_) => h.value.iter().map(|&b| b as char).collect::<String>(),
            };
            (h.name.to_owned(), value)
        })
        .collect()
}

/// Appends `name: value\r\n`.
pub(crate) fn write_header(out: &mut Vec<u8>, name: &str, value: &str) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(value.as_bytes());
    out.extend_from_slice(b"\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn rfc6455_accept_vector() {
        assert_eq!(
            derive_accept_key("dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    }

    #[test]
    fn key_is_16_random_bytes() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let a = generate_key(&mut rng);
        let b = generate_key(&mut rng);
        assert_ne!(a, b);
        assert_eq!(STANDARD.decode(&a).unwrap().len(), 16);
        assert_eq!(a.len(), 24);
    }

    #[test]
    fn head_reader_stops_at_empty_line() {
        let mut r = HeadReader::new(Limits::default());
        assert_eq!(r.push(b"GET / HTTP/1.1\r\nHost: a\r").unwrap(), None);
        assert_eq!(r.push(b"\n\r\nrest").unwrap(), Some(3));
        assert_eq!(r.block(), b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    }

    #[test]
    fn head_reader_tolerates_leading_empty_lines_and_bare_lf() {
        let mut r = HeadReader::new(Limits::default());
        assert_eq!(r.push(b"\r\nGET / HTTP/1.1\nA: b\n\nX").unwrap(), Some(23));
    }

    #[test]
    fn head_reader_limits() {
        let limits = Limits {
            max_line_length: 10,
            max_headers: 2,
            max_total_size: 40,
        };
        let mut r = HeadReader::new(limits);
        assert!(r.push(b"0123456789\r\n").is_ok());
        for long in [&b"0123456789AB"[..], b"0123456789A\n", b"0123456789A\r\n"] {
            assert_eq!(
                HeadReader::new(limits).push(long).unwrap_err(),
                HandshakeError::LineTooLong { limit: 10 }
            );
        }
        assert_eq!(
            HeadReader::new(limits)
                .push(b"a\r\nb\r\nc\r\nd\r\n")
                .unwrap_err(),
            HandshakeError::TooManyHeaders { limit: 2 }
        );
        let mut r = HeadReader::new(limits);
        assert_eq!(
            r.push(&[b'\n'; 41]).unwrap_err(),
            HandshakeError::HeadersTooLarge { limit: 40 }
        );
        // Exactly at the limits is fine.
        let mut r = HeadReader::new(limits);
        assert_eq!(r.push(b"0123456789\r\n1\r\n2\r\n\r\n").unwrap(), Some(20));
    }
}
