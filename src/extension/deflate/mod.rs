// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! permessage-deflate (RFC 7692): negotiation of its four parameters and per-frame compression
//! on zlib-rs.
//!
//! [`DeflateConfig`] is what an application configures, on either side: the client offers it,
//! the server accepts offers with it. Negotiation yields a [`Deflate`], the per-connection
//! [`Extension`] that compresses outgoing messages frame by frame
//! (sync flush per frame, RSV1 on the first frame, the [`DEFLATE_TAIL`] removed at the end of the
//! message) and inflates incoming ones without ever growing a message past the size limit.
//!
//! # Windows of 8 bits
//!
//! zlib (and zlib-rs) refuse an 8-bit window for raw deflate. Older zlib turned 8 into 9
//! silently, and Boost.Beast answers `server_max_window_bits=9` to a request for 8: either
//! way the sender may refer up to 512 bytes back, which a peer that asked for 256 cannot
//! decode (and a strict client rejects an answer above its request). python-websockets now
//! declines such offers instead. This crate neither refuses 8 nor pretends: when the window it
//! may compress with is 8 bits, the compressor runs with a 9-bit window and the run-length
//! strategy, whose only back-reference distance is 1 byte, so every stream it writes is valid
//! for a 256-byte window (checked in the tests by an independent decoder, and by C zlib
//! inflating with an 8-bit window one byte at a time). The server answers
//! `server_max_window_bits=8` when asked for it and a client accepts `client_max_window_bits=8`;
//! the price is a weaker compression ratio on that connection (Huffman coding plus runs).
//!
//! Inflating always uses a 15-bit window: it decodes every smaller window, tolerates peers that
//! compress with 9 bits after agreeing on 8, and costs nothing more (zlib-rs allocates the full
//! 32 KiB inflate window whatever the window bits).
//!
//! # Memory per connection
//!
//! The compressor and the decompressor are created on first use (an idle connection keeps
//! none) and then kept for the life of the connection. With zlib-rs the compressor holds
//! 4 × 2^window_bits bytes (window and chain), a fixed 128 KiB hash table and
//! 7 × 2^(mem_level + 6) bytes of symbol buffers; the decompressor about 46 KiB whatever the
//! window. The compressor's window is the smaller of the negotiated limit and
//! [`DeflateConfig::compression_window_bits`] (12 by default). Measured with a counting
//! allocator (`tests/deflate_memory.rs`), one side of a connection after a message each way:
//!
//! | settings                                   | compressor | decompressor | total   |
//! |--------------------------------------------|-----------:|-------------:|--------:|
//! | 15 bits, mem_level 8 (zlib's defaults)     | 371 KiB    | 46 KiB       | 417 KiB |
//! | 15 bits, mem_level 5                       | 273 KiB    | 46 KiB       | 319 KiB |
//! | **default** (12-bit cap, mem_level 5)      | 161 KiB    | 46 KiB       | 207 KiB |
//! | 12 bits negotiated, mem_level 5            | 161 KiB    | 46 KiB       | 207 KiB |
//! | 10 bits, mem_level 4                       | 142 KiB    | 46 KiB       | 188 KiB |
//! | 9 bits, mem_level 1                        | 134 KiB    | 46 KiB       | 180 KiB |
//!
//! A server limits its own window with [`DeflateConfig::server_max_window_bits`] (announced)
//! or [`DeflateConfig::compression_window_bits`] (local), and the clients' (which sets the
//! size of the streams *they* keep) with [`DeflateConfig::client_max_window_bits`]; its own
//! memory shrinks further with [`DeflateConfig::mem_level`].

mod codec;
mod negotiate;
mod params;
mod stream;

use crate::error::Error;
use crate::extension::{Extension, ExtensionConfig, Param};

pub use codec::Deflate;
pub use params::{MAX_WINDOW_BITS, MIN_WINDOW_BITS};

use negotiate::Wishes;
use params::{ClientBits, Params};

/// The registered extension name.
pub const EXTENSION_NAME: &str = "permessage-deflate";

/// The four bytes a sync flush ends with (an empty stored block's LEN and NLEN), removed from
/// the end of every compressed message and put back before inflating its last frame
/// (RFC 7692 §7.2.1, §7.2.2).
pub const DEFLATE_TAIL: [u8; 4] = [0x00, 0x00, 0xff, 0xff];

/// The outcome of a negotiation: the effective value of each parameter (a window size absent
/// from the response is 15 bits, or the value the client offered for its own window).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeflateParams {
    /// The server resets its compressor after every message.
    pub server_no_context_takeover: bool,
    /// The client resets its compressor after every message.
    pub client_no_context_takeover: bool,
    /// The largest LZ77 window the server compresses with, in bits (8..=15).
    pub server_max_window_bits: u8,
    /// The largest LZ77 window the client compresses with, in bits (8..=15).
    pub client_max_window_bits: u8,
}

impl Default for DeflateParams {
    /// No parameter: context takeover on both sides, 15-bit windows.
    fn default() -> Self {
        DeflateParams {
            server_no_context_takeover: false,
            client_no_context_takeover: false,
            server_max_window_bits: MAX_WINDOW_BITS,
            client_max_window_bits: MAX_WINDOW_BITS,
        }
    }
}

/// permessage-deflate as an application configures it (both roles), with the RFC 7692
/// parameters and the zlib settings beyond them.
///
/// As a **client**, the parameters become the offer: `server_*` ask the server, `client_*`
/// announce what this client will do. The default offer is
/// `permessage-deflate; client_max_window_bits`.
///
/// As a **server**, they are limits applied to each offer: the response never grants more than
/// the client asked for nor more than configured here. Every well-formed offer is accepted;
/// malformed ones (unknown or duplicate parameters, values out of range) are declined so the
/// server falls through to the next offer.
///
/// # Defaults, and why
///
/// - **Compression level 6** (zlib's and python-websockets' default; Boost.Beast uses 8). On
///   1 KiB JSON-like messages with context takeover and the default window, level 6 output is
///   a third smaller than level 1's (232 against 356 bytes), for about 2.5 times its CPU;
///   level 8 saves another 5 % for about 20 % more CPU, level 9 nothing more.
/// - **Memory level 5** (python-websockets' choice; Beast uses 4, zlib 8). It only sizes the
///   symbol buffer (14 KiB instead of 112 KiB), which zlib-rs also clears after every flushed
///   block, i.e. after every frame: WebSocket messages are short, so the larger buffer buys
///   nothing but memory and clearing time. Messages above about 2 000 symbols are split into
///   more deflate blocks, each with its own Huffman tables (a few dozen bytes each).
/// - **A 12-bit (4 KiB) compression window**, the window python-websockets negotiates by
///   default, applied locally ([`DeflateConfig::compression_window_bits`]): nothing is
///   announced and the peer keeps decoding with whatever window was agreed. The full 32 KiB
///   window finds about 4 % more redundancy in a stream of 1 KiB JSON messages, but its match
///   search walks long hash chains through 64 KiB of window and chain per connection: on a
///   server with many connections those miss the CPU caches on every message, and the deflate
///   echo of 16 connections × 1 KiB took about twice the CPU per message (47.8 µs against
///   about 23 µs with the 4 KiB window, `docs/PERFORMANCE.md`). The compressor also keeps
///   161 KiB instead of 371 KiB. `compression_window_bits(15).mem_level(8)` gives zlib's
///   settings back.
/// - No parameter forced in the negotiation, every message compressed (threshold 0).
///
/// ```
/// use rswebsockets::extension::deflate::DeflateConfig;
///
/// // A server that keeps memory low: 10-bit windows, no context takeover for the client.
/// let server = DeflateConfig::new()
///     .server_max_window_bits(10)
///     .client_max_window_bits(10)
///     .client_no_context_takeover(true)
///     .compression_level(1)
///     .mem_level(4)
///     .threshold(64);
/// # let _ = server;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeflateConfig {
    wishes: Wishes,
    offer_client_max_window_bits: bool,
    fallback_offer: bool,
    level: u8,
    mem_level: u8,
    window_bits: u8,
    threshold: usize,
}

/// The default compression level (see [`DeflateConfig`] for the reasoning).
pub const DEFAULT_COMPRESSION_LEVEL: u8 = 6;
/// The default memory level (see [`DeflateConfig`] for the reasoning).
pub const DEFAULT_MEM_LEVEL: u8 = 5;
/// The default largest window this side compresses with, in bits, whatever the negotiation
/// allows (see [`DeflateConfig`] for the reasoning).
pub const DEFAULT_COMPRESSION_WINDOW_BITS: u8 = 12;

impl Default for DeflateConfig {
    fn default() -> Self {
        DeflateConfig {
            wishes: Wishes {
                server_no_context_takeover: false,
                client_no_context_takeover: false,
                server_max_window_bits: None,
                client_max_window_bits: None,
            },
            offer_client_max_window_bits: true,
            fallback_offer: false,
            level: DEFAULT_COMPRESSION_LEVEL,
            mem_level: DEFAULT_MEM_LEVEL,
            window_bits: DEFAULT_COMPRESSION_WINDOW_BITS,
            threshold: 0,
        }
    }
}

fn check_bits(bits: u8) -> u8 {
    assert!(
        (MIN_WINDOW_BITS..=MAX_WINDOW_BITS).contains(&bits),
        "window bits must be within 8..=15, got {bits}"
    );
    bits
}

impl DeflateConfig {
    /// The defaults: no parameter forced (so up to 15-bit windows negotiated), compression
    /// level 6, memory level 5, a 12-bit compression window, every message compressed
    /// (threshold 0). See [`DeflateConfig`] for the reasoning.
    pub fn new() -> Self {
        Self::default()
    }

    /// Client: ask the server not to use context takeover. Server: always impose it on the
    /// server's own compressor.
    pub fn server_no_context_takeover(mut self, on: bool) -> Self {
        self.wishes.server_no_context_takeover = on;
        self
    }

    /// Client: announce that the client will not use context takeover. Server: always impose it
    /// on the client.
    pub fn client_no_context_takeover(mut self, on: bool) -> Self {
        self.wishes.client_no_context_takeover = on;
        self
    }

    /// Client: ask the server to compress with at most `bits` (8..=15). Server: never compress
    /// with more than `bits`.
    ///
    /// # Panics
    ///
    /// If `bits` is outside 8..=15.
    pub fn server_max_window_bits(mut self, bits: u8) -> Self {
        self.wishes.server_max_window_bits = Some(check_bits(bits));
        self
    }

    /// Client: offer `client_max_window_bits=bits` (the client will compress with at most
    /// `bits`). Server: limit the client's window to `bits` when the client's offer says it can
    /// be limited.
    ///
    /// # Panics
    ///
    /// If `bits` is outside 8..=15.
    pub fn client_max_window_bits(mut self, bits: u8) -> Self {
        self.wishes.client_max_window_bits = Some(check_bits(bits));
        self
    }

    /// Client only: whether the offer carries `client_max_window_bits` without a value when no
    /// value is configured, telling the server it may limit the client's window (default true).
    pub fn offer_client_max_window_bits(mut self, on: bool) -> Self {
        self.offer_client_max_window_bits = on;
        self
    }

    /// Client only: after the configured offer, also offer a plain
    /// `permessage-deflate; client_max_window_bits`, so that a server that cannot meet the
    /// first offer still compresses (default false).
    pub fn fallback_offer(mut self, on: bool) -> Self {
        self.fallback_offer = on;
        self
    }

    /// The zlib compression level, 0 (stored, no compression) to 9 (best); default 6.
    ///
    /// # Panics
    ///
    /// If `level` is above 9.
    pub fn compression_level(mut self, level: u8) -> Self {
        assert!(
            level <= 9,
            "compression level must be within 0..=9, got {level}"
        );
        self.level = level;
        self
    }

    /// The zlib memory level, 1 to 9; default 5. It sizes the compressor's symbol buffer:
    /// 7 × 2^(level + 6) bytes (112 KiB at 8, 14 KiB at 5, 3.5 KiB at 3). Lower levels use less
    /// memory per connection and compress large messages slightly worse.
    ///
    /// # Panics
    ///
    /// If `level` is outside 1..=9.
    pub fn mem_level(mut self, level: u8) -> Self {
        assert!(
            (1..=9).contains(&level),
            "memory level must be within 1..=9, got {level}"
        );
        self.mem_level = level;
        self
    }

    /// The largest LZ77 window this side compresses with, in bits (8..=15), whatever the
    /// negotiation allows; default 12 (4 KiB). The negotiated limit still applies when it is
    /// smaller. This is not announced to the peer and needs no agreement: a sender may always
    /// refer less far back than the receiver's window allows. A smaller window keeps the
    /// compressor's memory and cache footprint small (see the table in the module
    /// documentation) and shortens the match search; `compression_window_bits(15)` restores
    /// zlib's full 32 KiB window.
    ///
    /// # Panics
    ///
    /// If `bits` is outside 8..=15.
    pub fn compression_window_bits(mut self, bits: u8) -> Self {
        self.window_bits = check_bits(bits);
        self
    }

    /// Messages sent in one frame and shorter than `bytes` go out uncompressed (RSV1 clear);
    /// default 0, compress everything. Fragmented messages are always compressed, as their size
    /// is not known when the first frame leaves.
    pub fn threshold(mut self, bytes: usize) -> Self {
        self.threshold = bytes;
        self
    }

    /// The compression level in use.
    pub fn level(&self) -> u8 {
        self.level
    }

    /// The memory level in use.
    pub fn memory_level(&self) -> u8 {
        self.mem_level
    }

    /// The compression window cap in use, in bits.
    pub fn window_bits(&self) -> u8 {
        self.window_bits
    }

    /// The size threshold in use.
    pub fn size_threshold(&self) -> usize {
        self.threshold
    }

    /// The client's offers, most preferred first.
    fn offer_params(&self) -> Vec<Params> {
        let w = &self.wishes;
        let client_bits = match (w.client_max_window_bits, self.offer_client_max_window_bits) {
            (Some(bits), _) => ClientBits::Max(bits),
            (None, true) => ClientBits::Supported,
            (None, false) => ClientBits::Absent,
        };
        let first = Params {
            server_no_context_takeover: w.server_no_context_takeover,
            client_no_context_takeover: w.client_no_context_takeover,
            server_max_window_bits: w.server_max_window_bits,
            client_max_window_bits: client_bits,
        };
        let plain = Params {
            client_max_window_bits: ClientBits::Supported,
            ..Params::NONE
        };
        let mut offers = vec![first];
        if self.fallback_offer && first != plain {
            offers.push(plain);
        }
        offers
    }

    fn build(&self, client: bool, response: Vec<Param>, agreed: DeflateParams) -> Deflate {
        Deflate::new(
            client,
            response,
            agreed,
            codec::Settings {
                level: self.level,
                mem_level: self.mem_level,
                window_bits: self.window_bits,
                threshold: self.threshold,
            },
        )
    }
}

impl ExtensionConfig for DeflateConfig {
    fn name(&self) -> &str {
        EXTENSION_NAME
    }

    fn offers(&self) -> Vec<Vec<Param>> {
        self.offer_params()
            .into_iter()
            .map(Params::to_params)
            .collect()
    }

    fn accept(&self, offer: &[Param]) -> Option<(Vec<Param>, Box<dyn Extension>)> {
        let offer = Params::parse(offer, true).ok()?;
        let (response, agreed) = negotiate::answer(&self.wishes, &offer);
        let response = response.to_params();
        let ext = self.build(false, response.clone(), agreed);
        Some((response, Box::new(ext)))
    }

    fn verify(&self, response: &[Param]) -> Result<Box<dyn Extension>, Error> {
        let fail =
            |why: String| Error::ExtensionNegotiationFailed(format!("{EXTENSION_NAME}: {why}"));
        let parsed = Params::parse(response, false).map_err(|e| fail(e.to_string()))?;
        let mut first_error = None;
        for offer in self.offer_params() {
            match negotiate::check(&offer, &parsed) {
                Ok(agreed) => return Ok(Box::new(self.build(true, response.to_vec(), agreed))),
                Err(why) => {
                    first_error.get_or_insert(why);
                }
            }
        }
        Err(fail(first_error.unwrap_or_default()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(offer: &[Param]) -> Vec<String> {
        offer
            .iter()
            .map(|(n, v)| match v {
                Some(v) => format!("{n}={v}"),
                None => n.clone(),
            })
            .collect()
    }

    #[test]
    fn default_offer() {
        let config = DeflateConfig::new();
        assert_eq!(
            (
                config.level(),
                config.memory_level(),
                config.window_bits(),
                config.size_threshold()
            ),
            (6, 5, 12, 0)
        );
        let offers = config.offers();
        assert_eq!(offers.len(), 1);
        assert_eq!(names(&offers[0]), ["client_max_window_bits"]);
    }

    #[test]
    fn full_offer_with_fallback() {
        let config = DeflateConfig::new()
            .server_no_context_takeover(true)
            .client_no_context_takeover(true)
            .server_max_window_bits(10)
            .client_max_window_bits(9)
            .fallback_offer(true);
        let offers = config.offers();
        assert_eq!(
            names(&offers[0]),
            [
                "server_no_context_takeover",
                "client_no_context_takeover",
                "server_max_window_bits=10",
                "client_max_window_bits=9"
            ]
        );
        assert_eq!(names(&offers[1]), ["client_max_window_bits"]);
    }

    #[test]
    fn offer_without_client_bits() {
        let offers = DeflateConfig::new()
            .offer_client_max_window_bits(false)
            .offers();
        assert!(offers[0].is_empty());
    }

    #[test]
    fn server_declines_malformed_offers() {
        let config = DeflateConfig::new();
        let bad = vec![("server_max_window_bits".to_string(), Some("16".to_string()))];
        assert!(config.accept(&bad).is_none());
        let unknown = vec![("mux".to_string(), None)];
        assert!(config.accept(&unknown).is_none());
    }

    #[test]
    fn verify_falls_back_to_the_second_offer() {
        let config = DeflateConfig::new()
            .server_max_window_bits(10)
            .fallback_offer(true);
        // A response without server_max_window_bits answers the plain fallback offer.
        let ext = config.verify(&[]).unwrap();
        assert_eq!(ext.name(), EXTENSION_NAME);
        // Without the fallback the same response is refused.
        let strict = DeflateConfig::new().server_max_window_bits(10);
        let err = strict.verify(&[]).err().unwrap();
        assert!(matches!(err, Error::ExtensionNegotiationFailed(_)));
    }

    #[test]
    #[should_panic(expected = "window bits")]
    fn window_bits_out_of_range_panics() {
        let _ = DeflateConfig::new().server_max_window_bits(7);
    }
}
