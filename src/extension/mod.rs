// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! WebSocket extensions (RFC 6455 §9): negotiation kept apart from per-frame work.
//!
//! An [`ExtensionConfig`] is what an application configures before the handshake: it makes the
//! client's offer, answers a server's choice among offers, and checks the server's answer on the
//! client. Negotiation yields a boxed [`Extension`], which the connection then calls for every
//! data frame (never for control frames), in the order the extensions were negotiated.

pub mod deflate;

pub use deflate::{Deflate, DeflateConfig, DeflateParams};

use crate::error::Error;
use crate::protocol::OpCode;

/// One extension parameter: `name` or `name=value` (quotes already removed).
pub type Param = (String, Option<String>);

/// The RSV1 bit in the first header byte.
pub const RSV1: u8 = 0x40;
/// The RSV2 bit in the first header byte.
pub const RSV2: u8 = 0x20;
/// The RSV3 bit in the first header byte.
pub const RSV3: u8 = 0x10;

/// The header fields of a data frame that an extension sees and may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameBits {
    /// `Text` or `Binary` on the first frame of a message, `Continue` on the others.
    pub opcode: OpCode,
    /// The last frame of the message.
    pub fin: bool,
    /// The reserved bits, as a mask of [`RSV1`], [`RSV2`] and [`RSV3`].
    pub rsv: u8,
    /// Outgoing only: false when the application asked for this message to be sent as it is
    /// (for example uncompressed). Incoming frames always carry true.
    pub transform: bool,
}

/// A negotiated extension, called by the connection for every data frame.
pub trait Extension: Send {
    /// The registered name, e.g. `permessage-deflate`.
    fn name(&self) -> &str;

    /// The negotiated parameters, as the server's response listed them.
    fn params(&self) -> Vec<Param>;

    /// The reserved bits this extension owns (a mask of [`RSV1`], [`RSV2`], [`RSV3`]). A frame
    /// with a reserved bit that no negotiated extension owns fails the connection with 1002.
    fn rsv_mask(&self) -> u8;

    /// Transforms the payload of an outgoing data frame. Returns `Ok(true)` when `out` holds
    /// the new payload, `Ok(false)` when the payload goes out unchanged (and `out` is untouched).
    /// The extension may set the reserved bits it owns in `bits`.
    fn encode(
        &mut self,
        bits: &mut FrameBits,
        payload: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<bool, Error>;

    /// Transforms the payload of an incoming data frame, appending the result to `out` and
    /// never letting `out` grow past `max_len` bytes (fail with [`Error::MessageTooBig`]
    /// instead). Returns `Ok(false)` when the payload is to be taken as it is. The extension
    /// clears the reserved bits it consumed in `bits`.
    fn decode(
        &mut self,
        bits: &mut FrameBits,
        payload: &[u8],
        out: &mut Vec<u8>,
        max_len: usize,
    ) -> Result<bool, Error>;
}

/// An extension the application supports, before negotiation.
pub trait ExtensionConfig: Send + Sync {
    /// The registered name, e.g. `permessage-deflate`.
    fn name(&self) -> &str;

    /// Client: the offers to put in `Sec-WebSocket-Extensions`, most preferred first (each one
    /// is a list of parameters; several offers let a server fall back).
    fn offers(&self) -> Vec<Vec<Param>>;

    /// Server: accept one client offer. `None` declines this offer (the server then tries the
    /// client's next offer); `Some` gives the response parameters and the configured extension.
    fn accept(&self, offer: &[Param]) -> Option<(Vec<Param>, Box<dyn Extension>)>;

    /// Client: check the parameters the server answered with and build the extension, or fail
    /// the handshake.
    fn verify(&self, response: &[Param]) -> Result<Box<dyn Extension>, Error>;
}
