// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The one error type of the engine. Every variant names the violation and knows the close code
//! it maps to ([`Error::close_code`]): this is the only place where errors become close codes.
//!
//! Errors come in three groups:
//! - protocol violations by the peer: the connection fails with the variant's close code
//!   (1002, 1007, 1009, …) and reports the error in an `Event::Failed`;
//! - failures the engine detects on its own (keepalive or close timeouts);
//! - misuse of the API (sending after Close, a too long Close reason, …): returned by the call
//!   and the connection carries on untouched.

use crate::handshake::HandshakeError;
use crate::protocol::CloseCode;

/// Everything that can go wrong in the engine.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // --- extensions --------------------------------------------------------------------------
    /// An extension could not be negotiated or configured (bad parameters, unknown extension
    /// in a server response, a required extension missing).
    #[error("extension negotiation failed: {0}")]
    ExtensionNegotiationFailed(String),
    /// A compressed payload could not be decompressed.
    #[error("invalid compressed data: {0}")]
    InvalidCompressedData(String),

    // --- framing (1002) ----------------------------------------------------------------------
    /// A reserved bit (RSV1–RSV3) is set that no negotiated extension owns.
    #[error("reserved bits set without a negotiated extension")]
    ReservedBitsSet,
    /// The frame uses a reserved opcode (0x3–0x7, 0xB–0xF).
    #[error("reserved opcode {0:#x}")]
    ReservedOpCode(u8),
    /// A server received a frame without a mask.
    #[error("unmasked frame from client")]
    UnmaskedFrameFromClient,
    /// A client received a masked frame.
    #[error("masked frame from server")]
    MaskedFrameFromServer,
    /// A control frame carries more than 125 bytes.
    #[error("control frame payload exceeds 125 bytes")]
    ControlFrameTooBig,
    /// A control frame has FIN clear.
    #[error("fragmented control frame")]
    FragmentedControlFrame,
    /// A continuation frame arrived while no message was in progress.
    #[error("continuation frame without a message in progress")]
    UnexpectedContinuation,
    /// A new text or binary frame arrived while a fragmented message was in progress.
    #[error("expected a continuation frame")]
    ExpectedContinuation,
    /// A 64-bit payload length has its most significant bit set.
    #[error("invalid payload length")]
    InvalidPayloadLength,
    /// A Close frame payload of exactly one byte.
    #[error("invalid close frame payload")]
    InvalidClosePayload,
    /// A Close frame carries a code that may not appear on the wire.
    #[error("invalid close code {0}")]
    InvalidCloseCode(u16),

    // --- data (1007) -------------------------------------------------------------------------
    /// A text message or close reason is not valid UTF-8.
    #[error("invalid UTF-8 in text")]
    InvalidUtf8,

    // --- limits (1009) -----------------------------------------------------------------------
    /// A frame payload exceeds the configured maximum frame size.
    #[error("frame exceeds the maximum size of {limit} bytes")]
    FrameTooBig {
        /// The configured maximum, in bytes.
        limit: u64,
    },
    /// A message (after decompression) would exceed the configured maximum size.
    #[error("message exceeds the maximum size of {limit} bytes")]
    MessageTooBig {
        /// The configured maximum, in bytes.
        limit: u64,
    },
    /// More input arrived before the opening handshake completed than a connection keeps
    /// for then (the maximum frame size plus a header).
    #[error("more than {limit} bytes arrived before the opening handshake completed")]
    EarlyInputTooLarge {
        /// The bytes kept, at most.
        limit: u64,
    },

    // --- detected by the engine --------------------------------------------------------------
    /// No Pong arrived within the keepalive pong timeout.
    #[error("keepalive ping timeout")]
    PongTimeout,
    /// The peer did not complete the close handshake within the close timeout.
    #[error("close handshake timed out")]
    CloseTimeout,

    // --- failures requested by the application ----------------------------------------------
    /// The application fails the connection with a code and a reason of its choice.
    #[error("{reason}")]
    Application {
        /// The close code to send (1002, 1003, 1008, 1011, …).
        code: CloseCode,
        /// The reason to send.
        reason: String,
    },

    // --- API misuse (never fails the connection) --------------------------------------------
    /// The operation is not allowed in the connection's current state (for example sending
    /// while connecting, or a message while another streamed message is in progress).
    #[error("invalid state: {0}")]
    InvalidState(&'static str),
    /// A Close frame was already sent: nothing more may be sent.
    #[error("the connection is already closed")]
    AlreadyClosed,
    /// A Close reason longer than 123 bytes.
    #[error("close reason exceeds 123 bytes")]
    CloseReasonTooLong,
    /// The outgoing buffer would exceed the configured maximum: write out pending bytes first.
    #[error("write buffer full")]
    WriteBufferFull,
}

impl Error {
    /// The close code a connection sends when it fails with this error.
    ///
    /// API misuse errors never fail a connection; they map to 1011 in case an application
    /// passes them to `Connection::fail`. [`Error::CloseTimeout`] maps to 1006: the engine sends
    /// nothing when it gives up on a close handshake.
    pub fn close_code(&self) -> CloseCode {
        use Error::*;
        match self {
            ExtensionNegotiationFailed(_) => CloseCode::MissingExtension,
            InvalidCompressedData(_) | InvalidUtf8 => CloseCode::WrongDatatype,
            ReservedBitsSet
            | ReservedOpCode(_)
            | UnmaskedFrameFromClient
            | MaskedFrameFromServer
            | ControlFrameTooBig
            | FragmentedControlFrame
            | UnexpectedContinuation
            | ExpectedContinuation
            | InvalidPayloadLength
            | InvalidClosePayload
            | InvalidCloseCode(_) => CloseCode::ProtocolError,
            FrameTooBig { .. } | MessageTooBig { .. } | EarlyInputTooLarge { .. } => {
                CloseCode::TooMuchData
            }
            PongTimeout => CloseCode::BadOperation,
            CloseTimeout => CloseCode::AbnormalDisconnection,
            Application { code, .. } => *code,
            InvalidState(_) | AlreadyClosed | CloseReasonTooLong | WriteBufferFull => {
                CloseCode::BadOperation
            }
        }
    }

    /// True for the errors that report a misuse of the API rather than a connection failure.
    pub fn is_usage_error(&self) -> bool {
        matches!(
            self,
            Error::InvalidState(_)
                | Error::AlreadyClosed
                | Error::CloseReasonTooLong
                | Error::WriteBufferFull
        )
    }
}

impl HandshakeError {
    /// The close code to report when an opening handshake fails for this error (for example
    /// as `closeCode()` of a socket that never opened), or `None` for misuse of the API,
    /// which puts nothing on the wire.
    ///
    /// Extension negotiation failures give 1010 (the client could not get the extensions it
    /// needs: an answer it did not offer, an extension twice, parameters it refuses, a
    /// malformed `Sec-WebSocket-Extensions`); header blocks over the limits give 1009; a
    /// refused `Origin` gives 1008; every other violation of RFC 6455 §4 gives 1002. A server
    /// answers the same errors with an HTTP status ([`HandshakeError::status`]), since no
    /// Close frame can be sent before the handshake completes.
    pub fn close_code(&self) -> Option<CloseCode> {
        use crate::handshake::HandshakeErrorKind;
        use HandshakeError::*;
        match self {
            UnknownExtension(_)
            | DuplicateExtension(_)
            | ExtensionRejected { .. }
            | MalformedExtensions(_) => Some(CloseCode::MissingExtension),
            LineTooLong { .. } | TooManyHeaders { .. } | HeadersTooLarge { .. } => {
                Some(CloseCode::TooMuchData)
            }
            OriginRejected { .. } => Some(CloseCode::PolicyViolated),
            e if e.kind() == HandshakeErrorKind::Failed => None,
            _ => Some(CloseCode::ProtocolError),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_codes() {
        assert_eq!(
            Error::MessageTooBig { limit: 1 }.close_code(),
            CloseCode::TooMuchData
        );
        assert_eq!(
            Error::FrameTooBig { limit: 1 }.close_code(),
            CloseCode::TooMuchData
        );
        assert_eq!(
            Error::InvalidCompressedData("x".into()).close_code(),
            CloseCode::WrongDatatype
        );
        assert_eq!(
            Error::ExtensionNegotiationFailed("x".into()).close_code(),
            CloseCode::MissingExtension
        );
        assert_eq!(Error::InvalidUtf8.close_code(), CloseCode::WrongDatatype);
        for e in [
            Error::ReservedBitsSet,
            Error::ReservedOpCode(3),
            Error::UnmaskedFrameFromClient,
            Error::MaskedFrameFromServer,
            Error::ControlFrameTooBig,
            Error::FragmentedControlFrame,
            Error::UnexpectedContinuation,
            Error::ExpectedContinuation,
            Error::InvalidPayloadLength,
            Error::InvalidClosePayload,
            Error::InvalidCloseCode(1005),
        ] {
            assert_eq!(e.close_code(), CloseCode::ProtocolError, "{e}");
            assert!(!e.is_usage_error());
        }
        assert_eq!(Error::PongTimeout.close_code(), CloseCode::BadOperation);
        let app = Error::Application {
            code: CloseCode::PolicyViolated,
            reason: "no".into(),
        };
        assert_eq!(app.close_code(), CloseCode::PolicyViolated);
        assert_eq!(app.to_string(), "no");
        assert!(Error::AlreadyClosed.is_usage_error());
    }

    #[test]
    fn handshake_close_codes() {
        use crate::handshake::HandshakeError as H;
        let rows = [
            (H::UnknownExtension("x".into()), Some(1010)),
            (H::DuplicateExtension("x".into()), Some(1010)),
            (
                H::ExtensionRejected {
                    name: "x".into(),
                    reason: "y".into(),
                },
                Some(1010),
            ),
            (H::MalformedExtensions("x".into()), Some(1010)),
            (H::HeadersTooLarge { limit: 1 }, Some(1009)),
            (H::OriginRejected { origin: None }, Some(1008)),
            (H::MissingAccept, Some(1002)),
            (H::UnexpectedProtocol("x".into()), Some(1002)),
            (H::MissingKey, Some(1002)),
            (H::InvalidState("x"), None),
            (H::InvalidStatus(200), None),
        ];
        for (error, code) in rows {
            assert_eq!(error.close_code().map(CloseCode::value), code, "{error}");
        }
    }
}
