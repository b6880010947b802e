// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! # rswebsockets
//!
//! A sans-I/O WebSocket engine (RFC 6455, RFC 7692 permessage-deflate): bytes in, events and
//! bytes out. The same engine drives the Qt face (`RsWebSocket`), the plain C++ face
//! (`RsWebSocketConnection`) through the `rswebsockets-bridge` crate, and the optional tokio
//! client/server.
//!
//! [`protocol`] mirrors Qt's `QWebSocketProtocol` namespace (close codes, opcodes, versions,
//! masking) with Qt's exact values.
#![deny(missing_docs, unsafe_op_in_unsafe_fn)]
#![warn(rust_2018_idioms)]

pub mod close;
pub mod config;
pub mod connection;
pub mod error;
pub mod event;
pub mod extension;
pub mod frame;
pub mod handshake;
pub mod mask;
pub mod message;
pub mod protocol;
#[cfg(feature = "tokio")]
pub mod tokio;
pub mod utf8;

pub use config::Config;
pub use connection::{Connection, MaskGenerator, RandomMaskGenerator, Role, State};
pub use error::Error;
pub use event::Event;
pub use extension::DeflateConfig;
pub use handshake::{ClientHandshake, HandshakeError, ServerHandshake};
pub use message::MessageKind;

pub use protocol::{
    current_version, is_close_code_valid, version_from_bytes, version_from_string, CloseCode,
    OpCode, Version,
};
