// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The one error type of the engine. Every variant names the violation and knows the close code
//! it maps to ([`Error::close_code`]): this is the only place where errors become close codes.

use crate::protocol::CloseCode;

/// Everything that can go wrong in the engine.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An extension could not be negotiated or configured (bad parameters, unknown extension
    /// in a server response, a required extension missing).
    #[error("extension negotiation failed: {0}")]
    ExtensionNegotiationFailed(String),
    /// A compressed payload could not be decompressed.
    #[error("invalid compressed data: {0}")]
    InvalidCompressedData(String),
    /// A message (after decompression) would exceed the configured maximum size.
    #[error("message exceeds the maximum size of {limit} bytes")]
    MessageTooBig {
        /// The configured maximum, in bytes.
        limit: u64,
    },
}

impl Error {
    /// The close code a connection sends when it fails with this error.
    pub fn close_code(&self) -> CloseCode {
        match self {
            Error::ExtensionNegotiationFailed(_) => CloseCode::MissingExtension,
            Error::InvalidCompressedData(_) => CloseCode::WrongDatatype,
            Error::MessageTooBig { .. } => CloseCode::TooMuchData,
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
            Error::InvalidCompressedData("x".into()).close_code(),
            CloseCode::WrongDatatype
        );
        assert_eq!(
            Error::ExtensionNegotiationFailed("x".into()).close_code(),
            CloseCode::MissingExtension
        );
    }
}
