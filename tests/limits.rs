// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Limits: frame and message sizes fail with 1009 as soon as a header announces too much
//! (before any memory is taken), the message limit applies after extensions decode, and the
//! outgoing buffer can be bounded.

mod support;

use std::sync::{Arc, Mutex};

use rswebsockets::extension::{Extension, FrameBits, Param, RSV1};
use rswebsockets::{Config, Connection, Error, Event, Role, State};
use support::*;

fn limited(frame: usize, message: usize) -> Config {
    Config {
        max_frame_size: frame,
        max_message_size: message,
        ..Config::default()
    }
}

#[test]
fn frame_at_the_limit_is_accepted() {
    let mut c = client_with(limited(10, 100));
    c.receive_data(&frame(true, BINARY, &[1; 10]));
    assert_event_received(&mut c, Event::Binary(vec![1; 10]));
}

#[test]
fn frame_over_the_limit_fails_on_its_header() {
    let mut c = client_with(limited(10, 100));
    c.receive_data(&frame(true, BINARY, &[1; 11])[..2]);
    assert_eq!(
        assert_failing(&mut c, 1009),
        Error::FrameTooBig { limit: 10 }
    );
}

#[test]
fn message_over_the_limit_fails_on_the_header_that_exceeds_it() {
    let mut s = server_with(limited(100, 10));
    s.receive_data(&masked(false, TEXT, b"123456"));
    s.receive_data(&masked(false, CONT, b""));
    assert!(!s.has_events());
    s.receive_data(&masked(true, CONT, b"12345")[..6]);
    assert_eq!(
        assert_failing(&mut s, 1009),
        Error::MessageTooBig { limit: 10 }
    );
}

#[test]
fn message_limit_applies_while_streaming_frames() {
    let mut c = client_with(Config {
        frame_events: true,
        message_events: false,
        ..limited(100, 4)
    });
    c.receive_data(&frame(false, BINARY, b"abc"));
    c.receive_data(&frame(true, CONT, b"de"));
    let evs = events(&mut c);
    assert!(evs.contains(&Event::BinaryFrame {
        data: b"abc".to_vec(),
        is_last: false
    }));
    assert!(evs.contains(&Event::Failed(Error::MessageTooBig { limit: 4 })));
}

#[test]
fn a_header_claiming_2_pow_63_costs_nothing() {
    let header = [0x82, 0x7F, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
    let mut c = client();
    c.receive_data(&header);
    assert_eq!(
        assert_failing(&mut c, 1009),
        Error::FrameTooBig { limit: 16 << 20 }
    );
    // Even with no limits at all, only what arrives is stored.
    let mut c = client_with(limited(usize::MAX, usize::MAX));
    c.receive_data(&header);
    c.receive_data(&[0; 1000]);
    assert!(!c.has_events());
    assert_eq!(c.state(), State::Open);
}

#[test]
fn default_limits() {
    let c = Config::default();
    assert_eq!(c.max_frame_size, 16 << 20);
    assert_eq!(c.max_message_size, 64 << 20);
}

#[test]
fn outgoing_buffer_can_be_bounded() {
    let mut s = server_with(Config {
        max_write_buffer_size: 16,
        ..Config::default()
    });
    s.send_binary(&[0; 10]).unwrap();
    assert_eq!(s.send_binary(&[0; 10]), Err(Error::WriteBufferFull));
    // Control frames always go.
    s.send_ping(b"p").unwrap();
    s.take_outgoing();
    s.send_binary(&[0; 10]).unwrap();
}

/// An extension owning RSV1 that inflates every payload 4 times (like a decompressor), bounded
/// by `max_len` as the contract asks, and records the bound it got.
struct Expand {
    bounds: Arc<Mutex<Vec<usize>>>,
}

impl Extension for Expand {
    fn name(&self) -> &str {
        "x-expand"
    }
    fn params(&self) -> Vec<Param> {
        Vec::new()
    }
    fn rsv_mask(&self) -> u8 {
        RSV1
    }
    fn encode(&mut self, _: &mut FrameBits, _: &[u8], _: &mut Vec<u8>) -> Result<bool, Error> {
        Ok(false)
    }
    fn decode(
        &mut self,
        bits: &mut FrameBits,
        payload: &[u8],
        out: &mut Vec<u8>,
        max_len: usize,
    ) -> Result<bool, Error> {
        self.bounds.lock().unwrap().push(max_len);
        if bits.rsv & RSV1 == 0 {
            return Ok(false);
        }
        for _ in 0..4 {
            if out.len() + payload.len() > max_len {
                return Err(Error::MessageTooBig {
                    limit: max_len as u64,
                });
            }
            out.extend_from_slice(payload);
        }
        Ok(true)
    }
}

#[test]
fn message_limit_applies_after_decoding() {
    let bounds = Arc::new(Mutex::new(Vec::new()));
    let mut c = Connection::with_extensions(
        Role::Client,
        limited(100, 20),
        vec![Box::new(Expand {
            bounds: bounds.clone(),
        })],
    );
    // 3 bytes inflate to 12: fine; the remaining budget is then 8.
    c.receive_data(&raw_frame(0x40 | BINARY, b"abc", None));
    assert!(!c.has_events());
    c.receive_data(&raw_frame(0x80 | CONT, b"xyz", None));
    assert_event_received(&mut c, Event::Binary(b"abcabcabcabcxyz".to_vec()));
    assert_eq!(*bounds.lock().unwrap(), [20, 12 + 8]);

    // 6 bytes inflate to 24 > 20.
    c.receive_data(&raw_frame(0x80 | 0x40 | TEXT, b"abcdef", None));
    assert_eq!(
        assert_failing(&mut c, 1009),
        Error::MessageTooBig { limit: 20 }
    );
}

#[test]
fn untransformed_frames_through_extensions_respect_the_limit() {
    let bounds = Arc::new(Mutex::new(Vec::new()));
    let mut s = Connection::with_extensions(
        Role::Server,
        limited(100, 5),
        vec![Box::new(Expand { bounds })],
    );
    s.receive_data(&masked(true, BINARY, b"123456"));
    assert_eq!(
        assert_failing(&mut s, 1009),
        Error::MessageTooBig { limit: 5 }
    );
}
