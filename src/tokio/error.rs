// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The error type of the tokio transport: the engine's errors plus I/O and the handshake.

use crate::handshake::HandshakeError;

/// What can go wrong on a tokio WebSocket.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading from or writing to the transport failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The opening handshake failed (for a server, the rejection was already sent).
    #[error("handshake failed: {0}")]
    Handshake(#[from] HandshakeError),
    /// The connection failed (a protocol violation by the peer, a timeout), or a command was
    /// refused (sending after Close, a too long reason, …). For failures, the engine already
    /// queued the Close frame with [`crate::Error::close_code`].
    #[error(transparent)]
    Protocol(#[from] crate::Error),
    /// The transport ended without a closing handshake (close code 1006).
    #[error("connection closed without a closing handshake")]
    AbnormalClosure,
    /// The URL cannot be used by [`super::connect`] (for example `wss://`: pass a TLS stream
    /// to [`super::connect_with`] instead).
    #[error("unsupported URL: {0}")]
    UnsupportedUrl(String),
}

/// `Result` with the transport's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_keep_the_cause() {
        let e: Error = std::io::Error::from(std::io::ErrorKind::BrokenPipe).into();
        assert!(matches!(e, Error::Io(ref io) if io.kind() == std::io::ErrorKind::BrokenPipe));
        let e: Error = crate::Error::InvalidUtf8.into();
        assert_eq!(e.to_string(), crate::Error::InvalidUtf8.to_string());
        assert!(matches!(e, Error::Protocol(crate::Error::InvalidUtf8)));
    }
}
