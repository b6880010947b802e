// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Framing: RFC 6455 §5.7 sample bytes both ways, masking rules, reserved bits and opcodes,
//! payload lengths, input split at every byte boundary, and outgoing fragmentation.

mod support;

use rswebsockets::extension::{Extension, FrameBits, Param, RSV1};
use rswebsockets::{Config, Connection, Error, Event, MessageKind, Role};
use support::*;

const HELLO: [u8; 7] = [0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f];
const MASKED_HELLO: [u8; 11] = [
    0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58,
];

#[test]
fn rfc_unmasked_text_to_client() {
    let mut c = client();
    c.receive_data(&HELLO);
    assert_event_received(&mut c, Event::Text("Hello".into()));
    assert_nothing_sent(&c);
}

#[test]
fn rfc_masked_text_to_server() {
    let mut s = server();
    s.receive_data(&MASKED_HELLO);
    assert_event_received(&mut s, Event::Text("Hello".into()));
}

#[test]
fn rfc_fragmented_unmasked_text() {
    let mut c = client();
    c.receive_data(&[0x01, 0x03, 0x48, 0x65, 0x6c]);
    assert!(!c.has_events());
    c.receive_data(&[0x80, 0x02, 0x6c, 0x6f]);
    assert_event_received(&mut c, Event::Text("Hello".into()));
}

#[test]
fn rfc_ping_and_pong() {
    // Unmasked Ping "Hello" to a client: a masked Pong "Hello" goes back.
    let mut c = client();
    c.receive_data(&[0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]);
    assert_event_received(&mut c, Event::Ping(b"Hello".to_vec()));
    assert_frame_sent(
        &mut c,
        &[
            0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58,
        ],
    );
    // Masked Pong "Hello" (RFC sample) to a server.
    let mut s = server();
    s.receive_data(&[
        0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58,
    ]);
    assert_event_received(&mut s, Event::Pong(b"Hello".to_vec()));
    assert_nothing_sent(&s);
}

#[test]
fn rfc_256_byte_and_64_kib_binary() {
    let mut s = Connection::new(Role::Server, Config::default());
    s.send_binary(&[7u8; 256]).unwrap();
    assert_eq!(s.outgoing()[..4], [0x82, 0x7E, 0x01, 0x00]);
    assert_eq!(s.outgoing_len(), 4 + 256);
    s.take_outgoing();
    s.send_binary(&vec![9u8; 65536]).unwrap();
    assert_eq!(
        s.outgoing()[..10],
        [0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00]
    );
    let bytes = s.take_outgoing();
    let mut c = client();
    c.receive_data(&bytes);
    assert_event_received(&mut c, Event::Binary(vec![9u8; 65536]));

    let mut c2 = client();
    let mut frame256 = vec![0x82, 0x7E, 0x01, 0x00];
    frame256.extend_from_slice(&[7u8; 256]);
    c2.receive_data(&frame256);
    assert_event_received(&mut c2, Event::Binary(vec![7u8; 256]));
}

#[test]
fn sent_frames_match_rfc_bytes() {
    let mut s = server();
    s.send_text("Hello").unwrap();
    assert_frame_sent(&mut s, &HELLO);
    let mut c = client();
    c.send_text("Hello").unwrap();
    assert_frame_sent(&mut c, &MASKED_HELLO);
    c.send_ping(b"Hello").unwrap();
    assert_frame_sent(
        &mut c,
        &[
            0x89, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58,
        ],
    );
}

#[test]
fn empty_messages() {
    let mut s = server();
    s.receive_data(&masked(true, TEXT, b""));
    s.receive_data(&masked(true, BINARY, b""));
    assert_eq!(
        events(&mut s),
        [Event::Text(String::new()), Event::Binary(Vec::new())]
    );
    s.send_text("").unwrap();
    assert_frame_sent(&mut s, &[0x81, 0x00]);
}

#[test]
fn unmasked_frame_to_server_fails_1002() {
    let mut s = server();
    s.receive_data(&HELLO);
    assert_eq!(assert_failing(&mut s, 1002), Error::UnmaskedFrameFromClient);
}

#[test]
fn masked_frame_to_client_fails_1002() {
    let mut c = client();
    c.receive_data(&MASKED_HELLO);
    assert_eq!(assert_failing(&mut c, 1002), Error::MaskedFrameFromServer);
}

#[test]
fn reserved_bits_fail_1002() {
    for rsv in [0x40, 0x20, 0x10, 0x70] {
        let mut c = client();
        c.receive_data(&raw_frame(0x80 | rsv | TEXT, b"x", None));
        assert_eq!(assert_failing(&mut c, 1002), Error::ReservedBitsSet);
    }
}

#[test]
fn reserved_opcodes_fail_1002() {
    for op in (3u8..=7).chain(0xB..=0xF) {
        let mut s = server();
        s.receive_data(&masked(true, op, b""));
        assert_eq!(assert_failing(&mut s, 1002), Error::ReservedOpCode(op));
    }
}

#[test]
fn length_with_msb_set_fails_1002() {
    let mut c = client();
    c.receive_data(&[0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 1]);
    assert_eq!(assert_failing(&mut c, 1002), Error::InvalidPayloadLength);
}

/// A stream of every kind of frame, checked at every split point and one byte at a time.
#[test]
fn input_split_at_every_byte_boundary() {
    let mut stream = Vec::new();
    stream.extend(masked(true, TEXT, "héllo".as_bytes()));
    stream.extend(masked(false, BINARY, &[1; 130]));
    stream.extend(masked(true, PING, b"p"));
    stream.extend(masked(true, CONT, &[2; 1000 - 130]));
    stream.extend(masked(false, TEXT, "a€".as_bytes()));
    stream.extend(masked(true, CONT, "€b".as_bytes()));
    stream.extend(masked(true, CLOSE, &close_payload(1000, "bye")));

    let mut reference = server();
    reference.receive_data(&stream);
    let expected = events(&mut reference);
    let mut binary = vec![1u8; 130];
    binary.extend_from_slice(&[2; 1000 - 130]);
    assert_eq!(
        expected,
        [
            Event::Text("héllo".into()),
            Event::Ping(b"p".to_vec()),
            Event::Binary(binary),
            Event::Text("a€€b".into()),
            Event::Close {
                code: 1000,
                reason: "bye".into()
            },
        ]
    );
    let expected_out = reference.take_outgoing();

    for cut in 0..=stream.len() {
        let mut s = server();
        s.receive_data(&stream[..cut]);
        s.receive_data(&stream[cut..]);
        assert_eq!(events(&mut s), expected, "cut at {cut}");
        assert_eq!(s.take_outgoing(), expected_out, "cut at {cut}");
    }
    let mut s = server();
    feed_bytewise(&mut s, &stream);
    assert_eq!(events(&mut s), expected);
    assert_eq!(s.take_outgoing(), expected_out);
}

#[test]
fn every_split_of_a_small_stream() {
    let mut stream = Vec::new();
    stream.extend(frame(true, TEXT, b"ab"));
    stream.extend(frame(false, BINARY, &[0; 126]));
    stream.extend(frame(true, PONG, b""));
    stream.extend(frame(true, CONT, b"z"));
    for a in 0..=stream.len() {
        for b in (a..=stream.len()).step_by(7) {
            let mut c = client();
            c.receive_data(&stream[..a]);
            c.receive_data(&stream[a..b]);
            c.receive_data(&stream[b..]);
            let mut bin = vec![0u8; 126];
            bin.push(b'z');
            assert_eq!(
                events(&mut c),
                [
                    Event::Text("ab".into()),
                    Event::Pong(vec![]),
                    Event::Binary(bin)
                ],
                "{a} {b}"
            );
        }
    }
}

#[test]
fn outgoing_messages_are_fragmented() {
    let mut s = server_with(Config {
        outgoing_frame_size: 4,
        ..Config::default()
    });
    s.send_binary(b"0123456789").unwrap();
    let frames = sent_frames(&mut s);
    let shape: Vec<(bool, u8, &[u8])> = frames
        .iter()
        .map(|f| (f.fin, f.opcode, &f.payload[..]))
        .collect();
    assert_eq!(
        shape,
        [
            (false, BINARY, &b"0123"[..]),
            (false, CONT, &b"4567"[..]),
            (true, CONT, &b"89"[..])
        ]
    );
    // Exactly one frame when it fits; 0 never splits.
    s.send_text("abcd").unwrap();
    assert_eq!(sent_frames(&mut s).len(), 1);
    let mut s = server_with(Config {
        outgoing_frame_size: 0,
        ..Config::default()
    });
    s.send_binary(&[0; 100_000]).unwrap();
    assert_eq!(sent_frames(&mut s).len(), 1);
}

#[test]
fn client_frames_are_all_masked_with_generator_keys() {
    let mut c = Connection::new(Role::Client, Config::default());
    let mut n = 0u8;
    c.set_mask_generator(Box::new(move || {
        n += 1;
        [n, n, n, n]
    }));
    c.send_text("a").unwrap();
    c.send_binary(b"b").unwrap();
    let out = c.take_outgoing();
    assert_eq!(out[2..6], [1, 1, 1, 1]);
    assert_eq!(out[9..13], [2, 2, 2, 2]);
    let frames = decode_frames(&out);
    assert!(frames.iter().all(|f| f.masked));
    assert_eq!(frames[1].payload, b"b");
}

#[test]
fn batched_writes_accumulate_in_one_buffer() {
    let mut s = server();
    for i in 0..100u8 {
        s.send_binary(&[i]).unwrap();
    }
    assert_eq!(s.outgoing_len(), 300);
    let out = s.take_outgoing();
    let mut c = client();
    c.receive_data(&out);
    assert_eq!(c.events().count(), 100);
}

#[test]
fn text_must_be_utf8_to_be_sent() {
    let mut s = server();
    assert_eq!(
        s.send_message(MessageKind::Text, b"\xff", true),
        Err(Error::InvalidUtf8)
    );
    assert_nothing_sent(&s);
    s.send_message(MessageKind::Binary, b"\xff", true).unwrap();
    assert_frame_sent(&mut s, &[0x82, 0x01, 0xff]);
}

/// A test extension owning RSV1: reverses payloads (and sets RSV1) when asked to transform,
/// records the calls it gets.
struct Reverse {
    log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    tag: &'static str,
}

impl Extension for Reverse {
    fn name(&self) -> &str {
        self.tag
    }
    fn params(&self) -> Vec<Param> {
        vec![("p".into(), Some(self.tag.into()))]
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
        self.log
            .lock()
            .unwrap()
            .push(format!("{} encode", self.tag));
        if !bits.transform {
            return Ok(false);
        }
        bits.rsv |= RSV1;
        out.extend(payload.iter().rev());
        Ok(true)
    }
    fn decode(
        &mut self,
        bits: &mut FrameBits,
        payload: &[u8],
        out: &mut Vec<u8>,
        _max_len: usize,
    ) -> Result<bool, Error> {
        self.log
            .lock()
            .unwrap()
            .push(format!("{} decode", self.tag));
        if bits.rsv & RSV1 == 0 {
            return Ok(false);
        }
        out.extend(payload.iter().rev());
        Ok(true)
    }
}

#[test]
fn extensions_own_reserved_bits_and_transform_data_frames_only() {
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let ext = |tag| -> Box<dyn Extension> {
        Box::new(Reverse {
            log: log.clone(),
            tag,
        })
    };
    let mut s = Connection::with_extensions(Role::Server, Config::default(), vec![ext("a")]);
    assert_eq!(s.extensions().len(), 1);
    assert_eq!(s.extensions()[0].name(), "a");
    assert_eq!(s.extensions()[0].params(), [("p".into(), Some("a".into()))]);

    // RSV1 is allowed now and the payload is decoded.
    s.receive_data(&raw_frame(0x80 | 0x40 | TEXT, b"cba", Some(KEY)));
    assert_event_received(&mut s, Event::Text("abc".into()));
    // Control frames never go through extensions, and RSV1 on them still fails.
    s.receive_data(&masked(true, PING, b"xy"));
    assert_event_received(&mut s, Event::Ping(b"xy".to_vec()));
    assert_eq!(sent_frames(&mut s)[0].payload, b"xy");
    assert_eq!(*log.lock().unwrap(), ["a decode"]);

    // Outgoing: encoded, RSV1 on the first frame only.
    let mut s2 = Connection::with_extensions(
        Role::Server,
        Config {
            outgoing_frame_size: 2,
            ..Config::default()
        },
        vec![ext("b")],
    );
    s2.send_text("abcd").unwrap();
    let frames = sent_frames(&mut s2);
    assert_eq!(frames.len(), 2);
    assert_eq!((frames[0].rsv, &frames[0].payload[..]), (0x40, &b"dc"[..]));
    assert_eq!((frames[1].rsv, &frames[1].payload[..]), (0, &b"ba"[..]));
    // transform: false leaves the message alone.
    s2.send_message(MessageKind::Binary, b"xy", false).unwrap();
    let frames = sent_frames(&mut s2);
    assert_eq!((frames[0].rsv, &frames[0].payload[..]), (0, &b"xy"[..]));

    s.receive_data(&raw_frame(0x80 | 0x40 | PING, b"", Some(KEY)));
    assert_eq!(assert_failing(&mut s, 1002), Error::ReservedBitsSet);
}

#[test]
fn extensions_encode_in_order_and_decode_in_reverse() {
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let exts: Vec<Box<dyn Extension>> = ["first", "second"]
        .into_iter()
        .map(|tag| -> Box<dyn Extension> {
            Box::new(Reverse {
                log: log.clone(),
                tag,
            })
        })
        .collect();
    let mut c = Connection::with_extensions(Role::Client, Config::default(), exts);
    c.set_mask_generator(Box::new(|| KEY));
    c.send_binary(b"abc").unwrap();
    // Reversed twice: back to the original bytes.
    assert_eq!(sent_frames(&mut c)[0].payload, b"abc");
    c.receive_data(&raw_frame(0x80 | 0x40 | BINARY, b"xyz", None));
    assert_event_received(&mut c, Event::Binary(b"xyz".to_vec()));
    assert_eq!(
        *log.lock().unwrap(),
        [
            "first encode",
            "second encode",
            "second decode",
            "first decode"
        ]
    );
}

/// Random and mutated input never panics, and the event stream keeps its shape: at most one
/// `Close`, always last, at most one `Failed`, right before the end.
#[test]
fn random_input_never_panics() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(0x5eed);
    let mut valid = Vec::new();
    valid.extend(masked(true, TEXT, "héllo".as_bytes()));
    valid.extend(masked(false, BINARY, &[1; 300]));
    valid.extend(masked(true, PING, b"p"));
    valid.extend(masked(true, CONT, b"x"));
    valid.extend(masked(true, CLOSE, &close_payload(1000, "bye")));
    for round in 0..3000 {
        let role = if round % 2 == 0 {
            Role::Server
        } else {
            Role::Client
        };
        let input: Vec<u8> = if round % 3 == 0 {
            (0..rng.random_range(0..600))
                .map(|_| rng.random())
                .collect()
        } else {
            let mut v = valid.clone();
            for _ in 0..rng.random_range(1..4) {
                let i = rng.random_range(0..v.len());
                v[i] = rng.random();
            }
            v
        };
        let mut conn = Connection::new(
            role,
            Config {
                max_frame_size: 256,
                frame_events: round % 5 == 0,
                ..Config::default()
            },
        );
        let mut rest = &input[..];
        while !rest.is_empty() {
            let n = rng.random_range(1..=rest.len());
            conn.receive_data(&rest[..n]);
            rest = &rest[n..];
        }
        conn.receive_eof();
        assert!(conn.is_closed());
        let evs = events(&mut conn);
        let closes = evs
            .iter()
            .filter(|e| matches!(e, Event::Close { .. }))
            .count();
        assert_eq!(closes, 1, "{evs:?}");
        assert!(matches!(evs.last(), Some(Event::Close { .. })));
        let failed: Vec<usize> = evs
            .iter()
            .enumerate()
            .filter(|(_, e)| matches!(e, Event::Failed(_)))
            .map(|(i, _)| i)
            .collect();
        assert!(failed.len() <= 1);
        if let Some(&i) = failed.first() {
            assert_eq!(i, evs.len() - 2, "{evs:?}");
            assert!(conn.error().is_some());
        }
        // Whatever was sent parses as frames.
        decode_frames(conn.outgoing());
    }
}

#[test]
fn connection_is_send() {
    fn is_send<T: Send>() {}
    is_send::<Connection>();
}

/// `receive_data_until_event` stops at each event so a driver can answer a message before the
/// engine reads (and maybe fails on) the next frame.
#[test]
fn receive_until_event_stops_at_each_event() {
    let mut stream = masked(true, TEXT, b"one");
    let first_len = stream.len();
    stream.extend(masked(true, PING, b"p"));
    stream.extend(masked(true, 0x3, b"")); // reserved opcode: fails
    let mut s = server();
    let used = s.receive_data_until_event(&stream);
    assert_eq!(used, first_len);
    assert_eq!(
        s.receive_data_until_event(&stream[used..]),
        0,
        "event waiting"
    );
    assert_event_received(&mut s, Event::Text("one".into()));
    // The echo goes out before the failure's Close.
    s.send_text("one").unwrap();
    let rest = &stream[used..];
    let used2 = s.receive_data_until_event(rest);
    assert_event_received(&mut s, Event::Ping(b"p".to_vec()));
    assert_eq!(
        s.receive_data_until_event(&rest[used2..]),
        rest.len() - used2
    );
    let frames = sent_frames(&mut s);
    let opcodes: Vec<u8> = frames.iter().map(|f| f.opcode).collect();
    assert_eq!(opcodes, [TEXT, PONG, CLOSE]);
    assert!(matches!(
        s.next_event(),
        Some(Event::Failed(Error::ReservedOpCode(3)))
    ));
    // Once closed, everything counts as used.
    assert_eq!(s.receive_data_until_event(b"xyz"), 3);
}

/// An extension that fails on every payload.
struct Broken;

impl Extension for Broken {
    fn name(&self) -> &str {
        "x-broken"
    }
    fn params(&self) -> Vec<Param> {
        Vec::new()
    }
    fn rsv_mask(&self) -> u8 {
        RSV1
    }
    fn encode(&mut self, _: &mut FrameBits, _: &[u8], _: &mut Vec<u8>) -> Result<bool, Error> {
        Err(Error::InvalidCompressedData("cannot encode".into()))
    }
    fn decode(
        &mut self,
        _: &mut FrameBits,
        _: &[u8],
        _: &mut Vec<u8>,
        _: usize,
    ) -> Result<bool, Error> {
        Err(Error::InvalidCompressedData("bad block".into()))
    }
}

#[test]
fn extension_errors_fail_with_their_code() {
    let mut s =
        Connection::with_extensions(Role::Server, Config::default(), vec![Box::new(Broken)]);
    // Sending: the error comes back and nothing is written.
    assert!(matches!(
        s.send_text("x"),
        Err(Error::InvalidCompressedData(_))
    ));
    assert_nothing_sent(&s);
    // Receiving: the connection fails with 1007.
    s.receive_data(&raw_frame(0x80 | 0x40 | TEXT, b"zz", Some(KEY)));
    assert_eq!(
        assert_failing(&mut s, 1007),
        Error::InvalidCompressedData("bad block".into())
    );
}

#[test]
fn connecting_then_open_with_extensions() {
    let mut c = Connection::connecting(Role::Client, Config::default());
    c.set_mask_generator(Box::new(|| KEY));
    // Frames that arrived with the handshake response are kept until the connection opens.
    c.receive_data(&raw_frame(0x80 | 0x40 | TEXT, b"olleh", None));
    assert_eq!(c.state(), rswebsockets::State::Connecting);
    assert!(!c.has_events());
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    c.open(vec![Box::new(Reverse { log, tag: "r" })]).unwrap();
    assert_event_received(&mut c, Event::Text("hello".into()));
    assert_eq!(c.extensions()[0].name(), "r");
}
