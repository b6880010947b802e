// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Byte-level helpers shared by the engine's protocol tests: frames built by hand, connections
//! with a fixed masking key, and assertions on what a connection sent and reported.
#![allow(dead_code)]

use rswebsockets::frame::FrameHeader;
use rswebsockets::{Config, Connection, Error, Event, Role, State};

/// The masking key of RFC 6455 §5.7, used by every test client.
pub const KEY: [u8; 4] = [0x37, 0xfa, 0x21, 0x3d];

pub const CONT: u8 = 0x0;
pub const TEXT: u8 = 0x1;
pub const BINARY: u8 = 0x2;
pub const CLOSE: u8 = 0x8;
pub const PING: u8 = 0x9;
pub const PONG: u8 = 0xA;

pub fn server() -> Connection {
    server_with(Config::default())
}

pub fn server_with(config: Config) -> Connection {
    Connection::new(Role::Server, config)
}

pub fn client() -> Connection {
    client_with(Config::default())
}

/// A client whose masking key is always [`KEY`].
pub fn client_with(config: Config) -> Connection {
    let mut c = Connection::new(Role::Client, config);
    c.set_mask_generator(Box::new(|| KEY));
    c
}

/// A frame's bytes: `first` is the whole first header byte (FIN, RSV and opcode bits).
pub fn raw_frame(first: u8, payload: &[u8], mask: Option<[u8; 4]>) -> Vec<u8> {
    let mut h = FrameHeader::new(
        first & 0x80 != 0,
        rswebsockets::OpCode::from_bits(first),
        mask,
        payload.len() as u64,
    );
    h.rsv = first & 0x70;
    let mut out = Vec::new();
    rswebsockets::frame::write_frame(&mut out, &h, payload);
    out
}

/// An unmasked frame, as a server sends it.
pub fn frame(fin: bool, opcode: u8, payload: &[u8]) -> Vec<u8> {
    raw_frame(fin_bit(fin) | opcode, payload, None)
}

/// A frame masked with [`KEY`], as a client sends it.
pub fn masked(fin: bool, opcode: u8, payload: &[u8]) -> Vec<u8> {
    raw_frame(fin_bit(fin) | opcode, payload, Some(KEY))
}

fn fin_bit(fin: bool) -> u8 {
    if fin {
        0x80
    } else {
        0
    }
}

/// A Close payload.
pub fn close_payload(code: u16, reason: &str) -> Vec<u8> {
    let mut p = code.to_be_bytes().to_vec();
    p.extend_from_slice(reason.as_bytes());
    p
}

/// Every pending event.
pub fn events(conn: &mut Connection) -> Vec<Event> {
    conn.events().collect()
}

/// Feeds `bytes` one byte at a time.
pub fn feed_bytewise(conn: &mut Connection, bytes: &[u8]) {
    for b in bytes {
        conn.receive_data(std::slice::from_ref(b));
    }
}

/// A decoded outgoing frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub fin: bool,
    pub rsv: u8,
    pub opcode: u8,
    pub masked: bool,
    pub payload: Vec<u8>,
}

/// Decodes (and unmasks) every complete frame in `bytes`; panics on trailing garbage.
pub fn decode_frames(mut bytes: &[u8]) -> Vec<Sent> {
    let mut frames = Vec::new();
    while !bytes.is_empty() {
        let (h, n) = FrameHeader::parse(bytes)
            .expect("valid header")
            .expect("complete header");
        let len = h.payload_len as usize;
        let mut payload = bytes[n..n + len].to_vec();
        if let Some(key) = h.mask {
            rswebsockets::mask::apply_mask(&mut payload, key, 0);
        }
        frames.push(Sent {
            fin: h.fin,
            rsv: h.rsv,
            opcode: h.opcode as u8,
            masked: h.mask.is_some(),
            payload,
        });
        bytes = &bytes[n + len..];
    }
    frames
}

/// Takes and decodes everything the connection sent.
pub fn sent_frames(conn: &mut Connection) -> Vec<Sent> {
    let out = conn.take_outgoing();
    decode_frames(&out)
}

/// Asserts that the connection sent exactly `expected` (bytes) and consumes it.
pub fn assert_frame_sent(conn: &mut Connection, expected: &[u8]) {
    assert_eq!(
        conn.outgoing(),
        expected,
        "sent {:02x?}, expected {:02x?}",
        conn.outgoing(),
        expected
    );
    conn.consume_outgoing(expected.len());
}

/// Asserts that the connection sent nothing.
pub fn assert_nothing_sent(conn: &Connection) {
    assert!(
        conn.outgoing().is_empty(),
        "unexpected output {:02x?}",
        conn.outgoing()
    );
}

/// Asserts that the next event is `expected`.
pub fn assert_event_received(conn: &mut Connection, expected: Event) {
    assert_eq!(conn.next_event(), Some(expected));
}

/// Asserts that the connection failed with close code `code`: a Close with that code was the
/// last frame sent, the events end with `Failed` (an error mapping to `code`) then `Close`
/// (1006) for a server, and it stopped reading. Returns the error.
pub fn assert_failing(conn: &mut Connection, code: u16) -> Error {
    let frames = sent_frames(conn);
    let last = frames.last().expect("a Close frame was sent");
    assert_eq!(last.opcode, CLOSE, "last frame sent is a Close: {frames:?}");
    assert_eq!(
        u16::from_be_bytes([last.payload[0], last.payload[1]]),
        code,
        "close code sent"
    );
    assert!(std::str::from_utf8(&last.payload[2..]).is_ok());
    let evs = events(conn);
    let failed = evs
        .iter()
        .find_map(|e| match e {
            Event::Failed(err) => Some(err.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no Failed event in {evs:?}"));
    assert_eq!(failed.close_code().value(), code, "{failed}");
    assert_eq!(conn.error(), Some(&failed));
    match conn.role() {
        Role::Server => {
            assert_eq!(conn.state(), State::Closed);
            assert!(conn.should_close_transport());
            assert_eq!(
                evs.last(),
                Some(&Event::Close {
                    code: 1006,
                    reason: String::new()
                })
            );
        }
        Role::Client => {
            assert_eq!(conn.state(), State::Closing);
            assert!(!conn.should_close_transport());
        }
    }
    // Input is ignored from now on and nothing more is sent.
    conn.receive_data(&masked(true, TEXT, b"ignored"));
    conn.receive_data(&frame(true, TEXT, b"ignored"));
    assert!(conn.outgoing().is_empty());
    assert!(
        !events(conn)
            .iter()
            .any(|e| matches!(e, Event::Text(_) | Event::Failed(_))),
        "events after failure"
    );
    failed
}
