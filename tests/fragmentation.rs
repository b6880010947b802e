// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Fragmentation: reassembly, control frames between fragments, continuation errors, frame
//! delivery (Qt's textFrameReceived), and the outgoing begin / continue / finish API.

mod support;

use rswebsockets::{Config, Error, Event, MessageKind};
use support::*;

#[test]
fn fragments_reassemble_with_control_frames_between() {
    let mut s = server();
    s.receive_data(&masked(false, TEXT, b"Hel"));
    s.receive_data(&masked(true, PING, b"1"));
    s.receive_data(&masked(false, CONT, b""));
    s.receive_data(&masked(true, PONG, b"2"));
    s.receive_data(&masked(true, CONT, b"lo"));
    assert_eq!(
        events(&mut s),
        [
            Event::Ping(b"1".to_vec()),
            Event::Pong(b"2".to_vec()),
            Event::Text("Hello".into())
        ]
    );
    assert_frame_sent(&mut s, &[0x8a, 0x01, b'1']);
}

#[test]
fn many_fragments() {
    let mut c = client();
    c.receive_data(&frame(false, BINARY, &[0]));
    for i in 1..200u8 {
        c.receive_data(&frame(false, CONT, &[i]));
    }
    c.receive_data(&frame(true, CONT, &[200]));
    let expected: Vec<u8> = (0..=200).collect();
    assert_event_received(&mut c, Event::Binary(expected));
}

#[test]
fn continuation_without_message_fails_1002() {
    let mut s = server();
    s.receive_data(&masked(true, CONT, b"x"));
    assert_eq!(assert_failing(&mut s, 1002), Error::UnexpectedContinuation);
    // Also right after a complete message.
    let mut c = client();
    c.receive_data(&frame(true, TEXT, b"done"));
    c.receive_data(&frame(false, CONT, b"x"));
    assert_eq!(assert_failing(&mut c, 1002), Error::UnexpectedContinuation);
}

#[test]
fn new_message_during_fragmented_one_fails_1002() {
    for op in [TEXT, BINARY] {
        let mut s = server();
        s.receive_data(&masked(false, BINARY, b"a"));
        s.receive_data(&masked(true, op, b"b"));
        assert_eq!(assert_failing(&mut s, 1002), Error::ExpectedContinuation);
    }
}

#[test]
fn frame_events_carry_cut_code_points_over() {
    let mut c = client_with(Config {
        frame_events: true,
        ..Config::default()
    });
    let text = "a€ü𝄞";
    let bytes = text.as_bytes();
    // Cut inside € (bytes 1..4), inside 𝄞 (last 4 bytes).
    c.receive_data(&frame(false, TEXT, &bytes[..2]));
    c.receive_data(&frame(false, CONT, &bytes[2..7]));
    c.receive_data(&frame(false, CONT, &bytes[7..9]));
    c.receive_data(&frame(true, CONT, &bytes[9..]));
    assert_eq!(
        events(&mut c),
        [
            Event::TextFrame {
                data: "a".into(),
                is_last: false
            },
            Event::TextFrame {
                data: "€ü".into(),
                is_last: false
            },
            Event::TextFrame {
                data: String::new(),
                is_last: false
            },
            Event::TextFrame {
                data: "𝄞".into(),
                is_last: true
            },
            Event::Text(text.into()),
        ]
    );
}

#[test]
fn frame_events_without_message_events_stream() {
    let mut c = client_with(Config {
        frame_events: true,
        message_events: false,
        ..Config::default()
    });
    c.receive_data(&frame(false, BINARY, b"ab"));
    c.receive_data(&frame(true, CONT, b"c"));
    c.receive_data(&frame(true, BINARY, b"d"));
    assert_eq!(
        events(&mut c),
        [
            Event::BinaryFrame {
                data: b"ab".to_vec(),
                is_last: false
            },
            Event::BinaryFrame {
                data: b"c".to_vec(),
                is_last: true
            },
            Event::BinaryFrame {
                data: b"d".to_vec(),
                is_last: true
            },
        ]
    );
}

#[test]
fn streamed_outgoing_message() {
    let mut s = server();
    s.begin_message(MessageKind::Text, true).unwrap();
    assert_nothing_sent(&s);
    s.continue_message("Hel".as_bytes()).unwrap();
    s.send_ping(b"p").unwrap();
    s.continue_message(b"").unwrap();
    s.finish_message(b"lo").unwrap();
    assert_frame_sent(
        &mut s,
        &[
            0x01, 0x03, b'H', b'e', b'l', 0x89, 0x01, b'p', 0x00, 0x00, 0x80, 0x02, b'l', b'o',
        ],
    );
    assert!(s.outgoing_message().is_none());
    // The peer reassembles it.
    let mut c = client();
    c.receive_data(&[
        0x01, 0x03, b'H', b'e', b'l', 0x89, 0x01, b'p', 0x00, 0x00, 0x80, 0x02, b'l', b'o',
    ]);
    assert_eq!(
        events(&mut c),
        [Event::Ping(b"p".to_vec()), Event::Text("Hello".into())]
    );
}

#[test]
fn streamed_text_may_cut_code_points_but_must_be_utf8() {
    let mut c = client();
    let euro = "€".as_bytes();
    c.begin_message(MessageKind::Text, true).unwrap();
    c.continue_message(&euro[..1]).unwrap();
    c.finish_message(&euro[1..]).unwrap();
    let frames = sent_frames(&mut c);
    assert_eq!(frames.len(), 2);
    assert!(frames.iter().all(|f| f.masked));

    c.begin_message(MessageKind::Text, true).unwrap();
    assert_eq!(c.continue_message(b"\xff"), Err(Error::InvalidUtf8));
    c.continue_message(&euro[..2]).unwrap();
    assert_eq!(c.finish_message(b""), Err(Error::InvalidUtf8));
    c.finish_message(&euro[2..]).unwrap();
    assert_eq!(sent_frames(&mut c).len(), 2);
}

#[test]
fn streaming_rules() {
    let mut s = server();
    assert_eq!(
        s.continue_message(b"x"),
        Err(Error::InvalidState("no message in progress"))
    );
    s.begin_message(MessageKind::Binary, true).unwrap();
    assert!(matches!(
        s.begin_message(MessageKind::Binary, true),
        Err(Error::InvalidState(_))
    ));
    assert!(matches!(s.send_text("x"), Err(Error::InvalidState(_))));
    assert!(matches!(s.send_binary(b"x"), Err(Error::InvalidState(_))));
    s.finish_message(b"x").unwrap();
    assert_frame_sent(&mut s, &[0x82, 0x01, b'x']);
    s.send_text("ok").unwrap();
}

#[test]
fn streamed_pieces_are_fragmented_further() {
    let mut s = server_with(Config {
        outgoing_frame_size: 2,
        ..Config::default()
    });
    s.begin_message(MessageKind::Binary, true).unwrap();
    s.continue_message(b"abc").unwrap();
    s.finish_message(b"de").unwrap();
    let shape: Vec<(bool, u8, Vec<u8>)> = sent_frames(&mut s)
        .into_iter()
        .map(|f| (f.fin, f.opcode, f.payload))
        .collect();
    assert_eq!(
        shape,
        [
            (false, BINARY, b"ab".to_vec()),
            (false, CONT, b"c".to_vec()),
            (true, CONT, b"de".to_vec()),
        ]
    );
}
