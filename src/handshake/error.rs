// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Handshake errors: each variant names one problem, maps to libsoup's `SoupWebsocketError`
//! domain ([`HandshakeError::kind`]) and, when a server rejects a request for it, to the HTTP
//! status it answers with ([`HandshakeError::status`]).

use crate::handshake::url::UrlError;

/// libsoup's `SoupWebsocketError` domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HandshakeErrorKind {
    /// `SOUP_WEBSOCKET_ERROR_FAILED`: a generic error (bad arguments, misuse of the API).
    Failed,
    /// `SOUP_WEBSOCKET_ERROR_NOT_WEBSOCKET`: the peer does not speak WebSocket (not HTTP, no
    /// upgrade, a status other than 101).
    NotWebSocket,
    /// `SOUP_WEBSOCKET_ERROR_BAD_HANDSHAKE`: a WebSocket handshake with an invalid detail
    /// (key, accept, version, subprotocol, extension, limits).
    BadHandshake,
    /// `SOUP_WEBSOCKET_ERROR_BAD_ORIGIN`: the `Origin` was refused.
    BadOrigin,
}

/// Everything that can go wrong in an opening handshake.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HandshakeError {
    // --- reading the header block (both sides) ---
    /// A line of the header block is longer than the limit.
    #[error("header line longer than {limit} bytes")]
    LineTooLong {
        /// The configured maximum line length.
        limit: usize,
    },
    /// The header block has more header lines than the limit.
    #[error("more than {limit} header lines")]
    TooManyHeaders {
        /// The configured maximum number of header lines.
        limit: usize,
    },
    /// The header block is larger than the limit.
    #[error("header block larger than {limit} bytes")]
    HeadersTooLarge {
        /// The configured maximum size of the header block.
        limit: usize,
    },
    /// The bytes are not a valid HTTP/1.x request or response head.
    #[error("malformed HTTP: {0}")]
    MalformedHttp(String),
    /// A header that must appear at most once appeared several times.
    #[error("duplicate {0} header")]
    DuplicateHeader(&'static str),
    /// A `Sec-WebSocket-Extensions` value does not follow RFC 6455 §9.1.
    #[error("malformed Sec-WebSocket-Extensions: {0}")]
    MalformedExtensions(String),
    /// A `Sec-WebSocket-Protocol` value is not a comma-separated list of tokens.
    #[error("malformed Sec-WebSocket-Protocol: {0:?}")]
    MalformedProtocol(String),
    /// A method was called in the wrong state (after the handshake finished or failed).
    #[error("handshake is {0}")]
    InvalidState(&'static str),

    // --- building a client request ---
    /// The URL cannot be used for a WebSocket connection.
    #[error("invalid WebSocket URL: {0}")]
    InvalidUrl(#[from] UrlError),
    /// A header given by the application is not a valid HTTP header (bad name, CR/LF or other
    /// control characters in the value).
    #[error("invalid header {name:?}: {reason}")]
    InvalidHeader {
        /// The header's name.
        name: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A header given by the application is one the handshake sets itself (or one that would
    /// break it, like `Content-Length`).
    #[error("header {0:?} is set by the handshake and cannot be given")]
    ForbiddenHeader(String),
    /// A subprotocol name given by the application is not an HTTP token.
    #[error("invalid subprotocol name {0:?}")]
    InvalidProtocolName(String),
    /// A rejection status outside 400–599.
    #[error("{0} is not an error status (400-599)")]
    InvalidStatus(u16),
    /// An extension offer from an `ExtensionConfig` has a name or parameter that is not a
    /// token.
    #[error("invalid extension offer: {0}")]
    InvalidExtensionOffer(String),

    // --- verifying a server response (client side) ---
    /// The server answered with a status other than 101.
    #[error("server answered {status} {reason} instead of 101 Switching Protocols{}",
        supported_versions.as_deref().map(|v| format!(" (supported versions: {v})")).unwrap_or_default())]
    UnexpectedStatus {
        /// The HTTP status code.
        status: u16,
        /// The reason phrase.
        reason: String,
        /// The server's `Sec-WebSocket-Version` header, if any (sent with 426).
        supported_versions: Option<String>,
    },
    /// The response was not HTTP/1.1.
    #[error("server answered with HTTP/1.{0}, not HTTP/1.1")]
    BadHttpVersion(u8),
    /// `Upgrade: websocket` is missing.
    #[error("missing \"Upgrade: websocket\" header")]
    MissingUpgrade,
    /// `Connection: Upgrade` is missing.
    #[error("missing \"Connection: Upgrade\" header")]
    MissingConnectionUpgrade,
    /// The server's `Sec-WebSocket-Accept` is missing.
    #[error("missing Sec-WebSocket-Accept header")]
    MissingAccept,
    /// The server's `Sec-WebSocket-Accept` does not match the key sent.
    #[error("Sec-WebSocket-Accept {got:?} does not match the expected {expected:?}")]
    AcceptMismatch {
        /// The value derived from the client's key.
        expected: String,
        /// The value the server sent.
        got: String,
    },
    /// The server chose a subprotocol the client did not offer.
    #[error("server chose subprotocol {0:?}, which was not offered")]
    UnexpectedProtocol(String),
    /// The server answered with an extension the client did not offer.
    #[error("server answered with extension {0:?}, which was not offered")]
    UnknownExtension(String),
    /// The server answered with the same extension twice.
    #[error("server answered with extension {0:?} more than once")]
    DuplicateExtension(String),
    /// The server's parameters for an extension were refused by its configuration, or two
    /// negotiated extensions claim the same reserved bit.
    #[error("extension {name:?} rejected: {reason}")]
    ExtensionRejected {
        /// The extension's name.
        name: String,
        /// Why (the `ExtensionConfig::verify` error, or the reserved-bit conflict).
        reason: String,
    },

    // --- checking a client request (server side) ---
    /// The request method is not GET.
    #[error("method {0} is not GET")]
    MethodNotGet(String),
    /// The request is HTTP/1.0.
    #[error("request is HTTP/1.0; WebSocket needs HTTP/1.1 or later")]
    HttpVersionTooOld,
    /// The request has no `Host` header.
    #[error("missing Host header")]
    MissingHost,
    /// `Sec-WebSocket-Version` is missing or not 13.
    #[error("unsupported WebSocket version {}; this server speaks 13",
        version.as_deref().map(|v| format!("{v:?}")).unwrap_or_else(|| "(none)".into()))]
    UnsupportedVersion {
        /// The version the client asked for, if any.
        version: Option<String>,
    },
    /// `Sec-WebSocket-Key` is missing.
    #[error("missing Sec-WebSocket-Key header")]
    MissingKey,
    /// `Sec-WebSocket-Key` is not the base64 of 16 bytes.
    #[error("Sec-WebSocket-Key {0:?} is not the base64 encoding of 16 bytes")]
    InvalidKey(String),
    /// The origin policy refused the request's `Origin` (or its absence).
    #[error("origin {} not allowed", origin.as_deref().map(|o| format!("{o:?}")).unwrap_or_else(|| "(none)".into()))]
    OriginRejected {
        /// The request's `Origin`, if any.
        origin: Option<String>,
    },
    /// The server requires a subprotocol and the client offered none it supports.
    #[error("no supported subprotocol offered (offered: {0:?})")]
    NoCommonProtocol(Vec<String>),
}

impl HandshakeError {
    /// The error's place in libsoup's domain.
    pub fn kind(&self) -> HandshakeErrorKind {
        use HandshakeError::*;
        use HandshakeErrorKind as K;
        match self {
            // libsoup: "Server rejected WebSocket handshake".
            UnexpectedStatus { status: 400, .. } => K::BadHandshake,
            InvalidState(_)
            | InvalidUrl(_)
            | InvalidHeader { .. }
            | ForbiddenHeader(_)
            | InvalidStatus(_)
            | InvalidProtocolName(_)
            | InvalidExtensionOffer(_) => K::Failed,
            MalformedHttp(_)
            | UnexpectedStatus { .. }
            | BadHttpVersion(_)
            | MissingUpgrade
            | MissingConnectionUpgrade
            | MethodNotGet(_)
            | HttpVersionTooOld => K::NotWebSocket,
            OriginRejected { .. } => K::BadOrigin,
            LineTooLong { .. }
            | TooManyHeaders { .. }
            | HeadersTooLarge { .. }
            | DuplicateHeader(_)
            | MalformedExtensions(_)
            | MalformedProtocol(_)
            | MissingAccept
            | AcceptMismatch { .. }
            | UnexpectedProtocol(_)
            | UnknownExtension(_)
            | DuplicateExtension(_)
            | ExtensionRejected { .. }
            | MissingHost
            | UnsupportedVersion { .. }
            | MissingKey
            | InvalidKey(_)
            | NoCommonProtocol(_) => K::BadHandshake,
        }
    }

    /// The HTTP status a server answers with when it rejects a request for this error:
    /// 431 for the header limits, 426 for the version (with `Sec-WebSocket-Version: 13`), 403
    /// for the origin, 400 for every other problem in a request. `None` for errors that only
    /// a client meets (building a request, verifying a response) or API misuse.
    pub fn status(&self) -> Option<u16> {
        use HandshakeError::*;
        match self {
            LineTooLong { .. } | TooManyHeaders { .. } | HeadersTooLarge { .. } => Some(431),
            UnsupportedVersion { .. } => Some(426),
            OriginRejected { .. } => Some(403),
            MalformedHttp(_)
            | DuplicateHeader(_)
            | MalformedExtensions(_)
            | MalformedProtocol(_)
            | MissingUpgrade
            | MissingConnectionUpgrade
            | MethodNotGet(_)
            | HttpVersionTooOld
            | MissingHost
            | MissingKey
            | InvalidKey(_)
            | NoCommonProtocol(_) => Some(400),
            InvalidState(_)
            | InvalidUrl(_)
            | InvalidHeader { .. }
            | ForbiddenHeader(_)
            | InvalidStatus(_)
            | InvalidProtocolName(_)
            | InvalidExtensionOffer(_)
            | UnexpectedStatus { .. }
            | BadHttpVersion(_)
            | MissingAccept
            | AcceptMismatch { .. }
            | UnexpectedProtocol(_)
            | UnknownExtension(_)
            | DuplicateExtension(_)
            | ExtensionRejected { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_and_status() {
        let e = HandshakeError::UnsupportedVersion {
            version: Some("8".into()),
        };
        assert_eq!(e.kind(), HandshakeErrorKind::BadHandshake);
        assert_eq!(e.status(), Some(426));
        assert_eq!(
            e.to_string(),
            "unsupported WebSocket version \"8\"; this server speaks 13"
        );
        let e = HandshakeError::OriginRejected { origin: None };
        assert_eq!(e.kind(), HandshakeErrorKind::BadOrigin);
        assert_eq!(e.status(), Some(403));
        assert_eq!(
            HandshakeError::MissingUpgrade.kind(),
            HandshakeErrorKind::NotWebSocket
        );
        assert_eq!(
            HandshakeError::HeadersTooLarge { limit: 1 }.status(),
            Some(431)
        );
        assert_eq!(
            HandshakeError::InvalidState("done").kind(),
            HandshakeErrorKind::Failed
        );
    }

    #[test]
    fn unexpected_status_message_names_versions() {
        let e = HandshakeError::UnexpectedStatus {
            status: 426,
            reason: "Upgrade Required".into(),
            supported_versions: Some("13, 8".into()),
        };
        assert_eq!(
            e.to_string(),
            "server answered 426 Upgrade Required instead of 101 Switching Protocols (supported versions: 13, 8)"
        );
        assert_eq!(e.kind(), HandshakeErrorKind::NotWebSocket);
        assert_eq!(e.status(), None);
    }
}
