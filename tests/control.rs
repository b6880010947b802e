// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Control frames: automatic pong, payload limits, no fragmentation, reserved control opcodes.

mod support;

use rswebsockets::{Config, Error, Event};
use support::*;

#[test]
fn ping_is_answered_with_same_payload() {
    let mut s = server();
    let payload = [0xAB; 125];
    s.receive_data(&masked(true, PING, &payload));
    assert_event_received(&mut s, Event::Ping(payload.to_vec()));
    let frames = sent_frames(&mut s);
    assert_eq!(frames.len(), 1);
    assert_eq!((frames[0].opcode, frames[0].masked), (PONG, false));
    assert_eq!(frames[0].payload, payload);
}

#[test]
fn auto_pong_can_be_turned_off() {
    let mut c = client_with(Config {
        auto_pong: false,
        ..Config::default()
    });
    c.receive_data(&frame(true, PING, b"x"));
    assert_event_received(&mut c, Event::Ping(b"x".to_vec()));
    assert_nothing_sent(&c);
    c.send_pong(b"x").unwrap();
    assert_eq!(sent_frames(&mut c)[0].payload, b"x");
}

#[test]
fn pong_is_reported() {
    let mut c = client();
    c.receive_data(&frame(true, PONG, b""));
    c.receive_data(&frame(true, PONG, b"abc"));
    assert_eq!(
        events(&mut c),
        [Event::Pong(vec![]), Event::Pong(b"abc".to_vec())]
    );
    assert_nothing_sent(&c);
}

#[test]
fn big_control_frames_fail_1002() {
    for op in [PING, PONG, CLOSE] {
        let mut s = server();
        let mut payload = close_payload(1000, "");
        payload.resize(126, b'x');
        s.receive_data(&masked(true, op, &payload));
        assert_eq!(assert_failing(&mut s, 1002), Error::ControlFrameTooBig);
    }
}

#[test]
fn big_control_frame_fails_on_its_header() {
    // Only the header of a 126-byte Ping: fail at once, without waiting for the payload.
    let mut c = client();
    c.receive_data(&[0x89, 0x7E, 0x00, 0x7E]);
    assert_eq!(assert_failing(&mut c, 1002), Error::ControlFrameTooBig);
}

#[test]
fn fragmented_control_frames_fail_1002() {
    for op in [PING, PONG, CLOSE] {
        let mut c = client();
        c.receive_data(&frame(false, op, b""));
        assert_eq!(assert_failing(&mut c, 1002), Error::FragmentedControlFrame);
    }
}

#[test]
fn reserved_control_opcodes_fail_1002() {
    let mut c = client();
    c.receive_data(&frame(true, 0xB, b""));
    assert_eq!(assert_failing(&mut c, 1002), Error::ReservedOpCode(0xB));
}

#[test]
fn sending_control_frames_checks_the_payload() {
    let mut s = server();
    assert_eq!(s.send_ping(&[0; 126]), Err(Error::ControlFrameTooBig));
    assert_eq!(s.send_pong(&[0; 126]), Err(Error::ControlFrameTooBig));
    assert_nothing_sent(&s);
    s.send_ping(&[0; 125]).unwrap();
    s.send_pong(b"").unwrap();
    let frames = sent_frames(&mut s);
    assert_eq!(
        frames.iter().map(|f| f.opcode).collect::<Vec<_>>(),
        [PING, PONG]
    );
}

#[test]
fn pings_after_close_are_not_answered() {
    let mut s = server();
    s.close(1000u16, "").unwrap();
    s.take_outgoing();
    s.receive_data(&masked(true, PING, b"late"));
    assert_event_received(&mut s, Event::Ping(b"late".to_vec()));
    assert_nothing_sent(&s);
}
