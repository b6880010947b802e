// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The negotiated permessage-deflate extension: per-frame compression and bounded
//! decompression, message by message (RFC 7692 §6, §7.2).

use super::stream::{Compressor, Decompressor};
use super::{DeflateParams, EXTENSION_NAME};
use crate::error::Error;
use crate::extension::{Extension, FrameBits, Param, RSV1};
use crate::protocol::OpCode;

/// The zlib settings beyond the RFC, taken from [`super::DeflateConfig`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings {
    pub level: u8,
    pub mem_level: u8,
    /// The local cap on the compression window (never more than agreed).
    pub window_bits: u8,
    pub threshold: usize,
}

/// Where a message in one direction stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Message {
    /// Between messages.
    Idle,
    /// Inside a fragmented message that is compressed.
    Compressed,
    /// Inside a fragmented message that goes (or came) as it is.
    Plain,
}

/// permessage-deflate on one connection, after negotiation.
///
/// The compressor and the decompressor are created on first use and reset after each message
/// when the agreement forbids context takeover in that direction.
pub struct Deflate {
    client: bool,
    response: Vec<Param>,
    agreed: DeflateParams,
    settings: Settings,
    compressor: Option<Compressor>,
    decompressor: Option<Decompressor>,
    outgoing: Message,
    incoming: Message,
}

impl std::fmt::Debug for Deflate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deflate")
            .field("client", &self.client)
            .field("agreed", &self.agreed)
            .field("settings", &self.settings)
            .field("outgoing", &self.outgoing)
            .field("incoming", &self.incoming)
            .finish_non_exhaustive()
    }
}

impl Deflate {
    pub(crate) fn new(
        client: bool,
        response: Vec<Param>,
        agreed: DeflateParams,
        settings: Settings,
    ) -> Deflate {
        Deflate {
            client,
            response,
            agreed,
            settings,
            compressor: None,
            decompressor: None,
            outgoing: Message::Idle,
            incoming: Message::Idle,
        }
    }

    /// The negotiated parameters.
    pub fn agreed(&self) -> DeflateParams {
        self.agreed
    }

    /// True on the client side of the connection.
    pub fn is_client(&self) -> bool {
        self.client
    }

    /// The window this side compresses with, in bits.
    pub fn local_max_window_bits(&self) -> u8 {
        if self.client {
            self.agreed.client_max_window_bits
        } else {
            self.agreed.server_max_window_bits
        }
    }

    /// The window the compressor actually uses, in bits: the agreed limit or the configured
    /// cap, whichever is smaller.
    pub fn compression_window_bits(&self) -> u8 {
        self.local_max_window_bits().min(self.settings.window_bits)
    }

    fn local_no_context_takeover(&self) -> bool {
        if self.client {
            self.agreed.client_no_context_takeover
        } else {
            self.agreed.server_no_context_takeover
        }
    }

    fn remote_no_context_takeover(&self) -> bool {
        if self.client {
            self.agreed.server_no_context_takeover
        } else {
            self.agreed.client_no_context_takeover
        }
    }

    /// Whether the compressor and decompressor exist (they are created on first use).
    pub fn streams_allocated(&self) -> (bool, bool) {
        (self.compressor.is_some(), self.decompressor.is_some())
    }

    fn end_outgoing(&mut self) {
        self.outgoing = Message::Idle;
        if self.local_no_context_takeover() {
            if let Some(c) = self.compressor.as_mut() {
                c.reset();
            }
        }
    }

    fn end_incoming(&mut self) {
        self.incoming = Message::Idle;
        let reset = self.remote_no_context_takeover();
        if let Some(d) = self.decompressor.as_mut() {
            if reset || d.ended() {
                d.reset();
            }
        }
    }
}

impl Extension for Deflate {
    fn name(&self) -> &str {
        EXTENSION_NAME
    }

    fn params(&self) -> Vec<Param> {
        self.response.clone()
    }

    fn rsv_mask(&self) -> u8 {
        RSV1
    }

    fn encode(
        &mut self,
        bits: &mut FrameBits,
        payload: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<bool, Error> {
        debug_assert!(
            !is_control(bits.opcode),
            "control frames are never compressed"
        );
        if is_control(bits.opcode) {
            return Ok(false);
        }
        if bits.opcode != OpCode::Continue {
            // First frame: decide for the whole message.
            debug_assert_eq!(
                self.outgoing,
                Message::Idle,
                "previous message not finished"
            );
            let small = bits.fin && payload.len() < self.settings.threshold;
            if !bits.transform || small {
                self.outgoing = if bits.fin {
                    Message::Idle
                } else {
                    Message::Plain
                };
                return Ok(false);
            }
            self.outgoing = Message::Compressed;
            bits.rsv |= RSV1;
        } else if self.outgoing != Message::Compressed {
            debug_assert_ne!(
                self.outgoing,
                Message::Idle,
                "continuation without a message"
            );
            if bits.fin {
                self.outgoing = Message::Idle;
            }
            return Ok(false);
        }
        let (bits_local, level, mem_level) = (
            self.compression_window_bits(),
            self.settings.level,
            self.settings.mem_level,
        );
        let compressor = self
            .compressor
            .get_or_insert_with(|| Compressor::new(bits_local, level, mem_level));
        out.clear();
        let result = compressor.compress(payload, out, bits.fin);
        if result.is_err() {
            // The stream is in an unknown state: start the next message from scratch.
            self.compressor = None;
            self.outgoing = Message::Idle;
            result?;
        }
        if bits.fin {
            self.end_outgoing();
        }
        Ok(true)
    }

    fn decode(
        &mut self,
        bits: &mut FrameBits,
        payload: &[u8],
        out: &mut Vec<u8>,
        max_len: usize,
    ) -> Result<bool, Error> {
        debug_assert!(
            !is_control(bits.opcode),
            "control frames are never compressed"
        );
        if is_control(bits.opcode) {
            return Ok(false);
        }
        let rsv1 = bits.rsv & RSV1 != 0;
        if bits.opcode != OpCode::Continue {
            if self.incoming != Message::Idle {
                // A new message while one was in progress: the connection fails on its own;
                // here, only make sure no half message leaks into the next one.
                self.abandon_incoming();
            }
            if !rsv1 {
                self.incoming = if bits.fin {
                    Message::Idle
                } else {
                    Message::Plain
                };
                return Ok(false);
            }
            bits.rsv &= !RSV1;
            self.incoming = Message::Compressed;
        } else {
            if rsv1 {
                self.abandon_incoming();
                return Err(rsv1_on_continuation());
            }
            if self.incoming != Message::Compressed {
                if bits.fin {
                    self.incoming = Message::Idle;
                }
                return Ok(false);
            }
        }
        let decompressor = self.decompressor.get_or_insert_with(Decompressor::new);
        let mut result = decompressor.inflate(payload, out, max_len);
        if result.is_ok() && bits.fin {
            result = decompressor.inflate(&super::DEFLATE_TAIL, out, max_len);
        }
        match result {
            Ok(()) => {
                if bits.fin {
                    self.end_incoming();
                }
                Ok(true)
            }
            Err(e) => {
                self.abandon_incoming();
                Err(e)
            }
        }
    }
}

impl Deflate {
    /// Drops the state of a message that will not be finished, so that a later message (if the
    /// connection carries on) starts from a clean decompressor.
    fn abandon_incoming(&mut self) {
        self.incoming = Message::Idle;
        self.decompressor = None;
    }
}

fn is_control(opcode: OpCode) -> bool {
    (opcode as u8) & 0x8 != 0
}

/// RSV1 set on a continuation frame (RFC 7692 §6.1): a protocol error (1002).
fn rsv1_on_continuation() -> Error {
    Error::ReservedBitsSet
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deflate(client: bool, agreed: DeflateParams, threshold: usize) -> Deflate {
        Deflate::new(
            client,
            Vec::new(),
            agreed,
            Settings {
                level: 6,
                mem_level: 8,
                window_bits: 15,
                threshold,
            },
        )
    }

    fn frame(opcode: OpCode, fin: bool) -> FrameBits {
        FrameBits {
            opcode,
            fin,
            rsv: 0,
            transform: true,
        }
    }

    #[test]
    fn rsv1_only_on_first_frame() {
        let mut d = deflate(true, DeflateParams::default(), 0);
        let mut out = Vec::new();
        let mut first = frame(OpCode::Text, false);
        assert!(d.encode(&mut first, b"Hel", &mut out).unwrap());
        assert_eq!(first.rsv, RSV1);
        let mut last = frame(OpCode::Continue, true);
        assert!(d.encode(&mut last, b"lo", &mut out).unwrap());
        assert_eq!(last.rsv, 0);
    }

    #[test]
    fn transform_false_and_threshold_send_as_is() {
        let mut d = deflate(false, DeflateParams::default(), 10);
        let mut out = Vec::new();
        let mut small = frame(OpCode::Binary, true);
        assert!(!d.encode(&mut small, b"tiny", &mut out).unwrap());
        assert_eq!(small.rsv, 0);
        let mut off = FrameBits {
            transform: false,
            ..frame(OpCode::Text, false)
        };
        assert!(!d
            .encode(&mut off, b"a long enough payload", &mut out)
            .unwrap());
        let mut cont = frame(OpCode::Continue, true);
        assert!(!d.encode(&mut cont, b"rest", &mut out).unwrap());
        assert!(out.is_empty());
        assert_eq!(d.streams_allocated(), (false, false));
    }

    #[test]
    fn uncompressed_incoming_message_passes_through() {
        let mut d = deflate(true, DeflateParams::default(), 0);
        let mut out = Vec::new();
        let mut first = frame(OpCode::Text, false);
        assert!(!d.decode(&mut first, b"plain", &mut out, 100).unwrap());
        let mut last = frame(OpCode::Continue, true);
        assert!(!d.decode(&mut last, b"text", &mut out, 100).unwrap());
        assert!(out.is_empty());
    }

    #[test]
    fn rsv1_on_continuation_fails() {
        let mut d = deflate(true, DeflateParams::default(), 0);
        let mut out = Vec::new();
        let mut first = frame(OpCode::Text, false);
        first.rsv = RSV1;
        assert!(d.decode(&mut first, &[0xf2, 0x48], &mut out, 100).unwrap());
        assert_eq!(first.rsv, 0);
        let mut bad = frame(OpCode::Continue, true);
        bad.rsv = RSV1;
        assert!(d.decode(&mut bad, &[0xcd], &mut out, 100).is_err());
    }

    #[test]
    fn local_window_follows_role() {
        let agreed = DeflateParams {
            server_max_window_bits: 10,
            client_max_window_bits: 12,
            ..DeflateParams::default()
        };
        assert_eq!(deflate(true, agreed, 0).local_max_window_bits(), 12);
        assert_eq!(deflate(false, agreed, 0).local_max_window_bits(), 10);
    }

    #[test]
    fn compression_window_is_the_smaller_of_agreement_and_cap() {
        let agreed = DeflateParams {
            server_max_window_bits: 10,
            ..DeflateParams::default()
        };
        let capped = |client: bool, cap: u8| {
            let mut d = deflate(client, agreed, 0);
            d.settings.window_bits = cap;
            d.compression_window_bits()
        };
        assert_eq!(capped(false, 12), 10);
        assert_eq!(capped(true, 12), 12);
        assert_eq!(capped(true, 15), 15);
        assert_eq!(capped(false, 8), 8);
    }
}
