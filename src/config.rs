// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Connection settings: limits, delivery, keepalive and timeouts, buffers.

use std::time::Duration;

/// The settings of a `Connection`. Build it with `Config::default()` and change the fields
/// you need (struct update syntax works: `Config { auto_pong: false, ..Config::default() }`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The largest frame payload accepted, in bytes; a bigger frame fails the connection with
    /// 1009 as soon as its header arrives. Default 16 MiB (as tungstenite).
    pub max_frame_size: usize,
    /// The largest message accepted, in bytes, counted after extensions (decompression); a
    /// bigger message fails the connection with 1009 before the memory is taken. A compressed
    /// frame is checked on its header too: it may carry at most 1/8 + 4 KiB more than what is
    /// left of this budget (deflate's worst expansion of incompressible data is below that).
    /// Default 64 MiB (as tungstenite).
    pub max_message_size: usize,
    /// Answer every Ping with a Pong carrying the same payload. Default true. While an
    /// answer is still queued with none of its bytes written, the next Ping's answer replaces
    /// it (RFC 6455 §5.5.3), so a peer that pings without reading gets one Pong queued.
    pub auto_pong: bool,
    /// Report each data frame as `Event::TextFrame` / `Event::BinaryFrame` (Qt's
    /// `textFrameReceived` / `binaryFrameReceived`). Default false.
    pub frame_events: bool,
    /// Report whole messages as `Event::Text` / `Event::Binary`. Default true; turning it off
    /// (with `frame_events` on) streams messages without keeping them in memory.
    pub message_events: bool,
    /// Send a Ping this often while the connection is open. Default `None` (no keepalive).
    pub ping_interval: Option<Duration>,
    /// Fail the connection (1011) when no Pong arrives this long after a keepalive Ping.
    /// Default 20 s; only used with `ping_interval`.
    pub pong_timeout: Option<Duration>,
    /// Give up on the close handshake this long after sending or receiving a Close, and
    /// report the transport as to be closed. Default 10 s; `None` waits forever.
    pub close_timeout: Option<Duration>,
    /// Split outgoing messages into frames of at most this many payload bytes; 0 never splits.
    /// Default 512 KiB (Qt's outgoing frame size).
    pub outgoing_frame_size: usize,
    /// Bytes reserved up front for the outgoing buffer. Default 16 KiB.
    pub write_buffer_capacity: usize,
    /// The most bytes the outgoing buffer may hold: a data message that would go past it is
    /// refused with `Error::WriteBufferFull` (control frames always go). Default unlimited.
    pub max_write_buffer_size: usize,
    /// Bytes reserved up front for the first incoming message buffer (later buffers are
    /// recycled ones, or sized from frame headers). Default 4 KiB.
    pub read_buffer_capacity: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_frame_size: 16 << 20,
            max_message_size: 64 << 20,
            auto_pong: true,
            frame_events: false,
            message_events: true,
            ping_interval: None,
            pong_timeout: Some(Duration::from_secs(20)),
            close_timeout: Some(Duration::from_secs(10)),
            outgoing_frame_size: 512 << 10,
            write_buffer_capacity: 16 << 10,
            max_write_buffer_size: usize::MAX,
            read_buffer_capacity: 4 << 10,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_documented_values() {
        let c = Config::default();
        assert_eq!(c.max_frame_size, 16 * 1024 * 1024);
        assert_eq!(c.max_message_size, 64 * 1024 * 1024);
        assert!(c.auto_pong && c.message_events && !c.frame_events);
        assert_eq!(c.ping_interval, None);
        assert_eq!(c.close_timeout, Some(Duration::from_secs(10)));
        assert_eq!(c.outgoing_frame_size, 512 * 1024);
        let custom = Config {
            auto_pong: false,
            ..Config::default()
        };
        assert!(!custom.auto_pong);
    }
}
