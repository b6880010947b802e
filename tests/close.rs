// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The close handshake: echoing, code and reason validation, who closes the transport, nothing
//! sent after Close, abnormal ends, and failing the connection.

mod support;

use std::time::{Duration, Instant};

use rswebsockets::protocol::CloseCode;
use rswebsockets::{Error, Event, State};
use support::*;

#[test]
fn server_echoes_close_and_closes_the_transport() {
    let mut s = server();
    s.receive_data(&masked(true, CLOSE, &close_payload(1001, "away")));
    assert_event_received(
        &mut s,
        Event::Close {
            code: 1001,
            reason: "away".into(),
        },
    );
    let mut expected = vec![0x88, 0x06];
    expected.extend(close_payload(1001, "away"));
    assert_frame_sent(&mut s, &expected);
    assert_eq!(s.state(), State::Closed);
    assert!(s.should_close_transport());
    assert_eq!(s.close_code(), Some(1001));
    assert_eq!(s.close_reason(), "away");
    assert_eq!(s.error(), None);
    // The transport end adds nothing.
    s.receive_eof();
    assert!(!s.has_events());
}

#[test]
fn client_echoes_close_and_waits_for_the_server_to_close() {
    let mut c = client();
    c.receive_data(&frame(true, CLOSE, &close_payload(1000, "")));
    assert_event_received(
        &mut c,
        Event::Close {
            code: 1000,
            reason: String::new(),
        },
    );
    let frames = sent_frames(&mut c);
    assert_eq!((frames[0].opcode, frames[0].masked), (CLOSE, true));
    assert_eq!(frames[0].payload, close_payload(1000, ""));
    assert_eq!(c.state(), State::Closing);
    assert!(!c.should_close_transport());
    assert!(c.poll_timeout().is_some(), "close timeout armed");
    c.receive_eof();
    assert_eq!(c.state(), State::Closed);
    assert!(c.should_close_transport());
    assert!(!c.has_events());
}

#[test]
fn empty_close_is_reported_as_1005_and_answered_with_1000() {
    let mut s = server();
    s.receive_data(&masked(true, CLOSE, b""));
    assert_event_received(
        &mut s,
        Event::Close {
            code: 1005,
            reason: String::new(),
        },
    );
    assert_frame_sent(&mut s, &[0x88, 0x02, 0x03, 0xE8]);
}

#[test]
fn valid_close_codes_are_echoed() {
    for code in [
        1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000,
        4999,
    ] {
        let mut c = client();
        c.receive_data(&frame(true, CLOSE, &close_payload(code, "r")));
        assert_event_received(
            &mut c,
            Event::Close {
                code,
                reason: "r".into(),
            },
        );
        assert_eq!(sent_frames(&mut c)[0].payload, close_payload(code, "r"));
    }
}

#[test]
fn invalid_close_codes_fail_1002() {
    for code in [
        0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535,
    ] {
        let mut s = server();
        s.receive_data(&masked(true, CLOSE, &close_payload(code, "")));
        assert_eq!(
            assert_failing(&mut s, 1002),
            Error::InvalidCloseCode(code),
            "{code}"
        );
    }
}

#[test]
fn one_byte_close_payload_fails_1002() {
    let mut s = server();
    s.receive_data(&masked(true, CLOSE, &[0x03]));
    assert_eq!(assert_failing(&mut s, 1002), Error::InvalidClosePayload);
}

#[test]
fn invalid_utf8_reason_fails_1007() {
    let mut c = client();
    let mut payload = close_payload(1000, "");
    payload.extend_from_slice(b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80");
    c.receive_data(&frame(true, CLOSE, &payload));
    assert_eq!(assert_failing(&mut c, 1007), Error::InvalidUtf8);
}

#[test]
fn local_close_then_peer_answer() {
    let mut s = server();
    s.close(CloseCode::GoingAway, "bye").unwrap();
    let mut expected = vec![0x88, 0x05];
    expected.extend(close_payload(1001, "bye"));
    assert_frame_sent(&mut s, &expected);
    assert_eq!(s.state(), State::Closing);
    assert!(!s.should_close_transport());
    // Data still arrives while closing.
    s.receive_data(&masked(true, TEXT, b"late"));
    s.receive_data(&masked(true, CLOSE, &close_payload(1001, "")));
    assert_eq!(
        events(&mut s),
        [
            Event::Text("late".into()),
            Event::Close {
                code: 1001,
                reason: String::new()
            }
        ]
    );
    // No second Close goes out.
    assert_nothing_sent(&s);
    assert_eq!(s.state(), State::Closed);
    assert!(s.should_close_transport());
}

#[test]
fn client_close_waits_for_transport_end() {
    let mut c = client();
    c.close(1000u16, "").unwrap();
    c.take_outgoing();
    c.receive_data(&frame(true, CLOSE, &close_payload(1000, "")));
    assert_event_received(
        &mut c,
        Event::Close {
            code: 1000,
            reason: String::new(),
        },
    );
    assert_nothing_sent(&c);
    assert_eq!(c.state(), State::Closing);
    c.receive_eof();
    assert!(c.should_close_transport());
}

#[test]
fn close_arguments_are_checked() {
    let mut s = server();
    for code in [0u16, 999, 1004, 1005, 1006, 1015, 2000, 5000] {
        assert_eq!(s.close(code, ""), Err(Error::InvalidCloseCode(code)));
    }
    assert_eq!(
        s.close(1000u16, &"x".repeat(124)),
        Err(Error::CloseReasonTooLong)
    );
    assert_nothing_sent(&s);
    assert_eq!(s.state(), State::Open);
    s.close(4000u16, &"x".repeat(123)).unwrap();
    assert_eq!(sent_frames(&mut s)[0].payload.len(), 125);
}

#[test]
fn nothing_is_sent_after_close() {
    let mut c = client();
    c.close(1000u16, "").unwrap();
    c.take_outgoing();
    assert_eq!(c.send_text("x"), Err(Error::AlreadyClosed));
    assert_eq!(c.send_binary(b"x"), Err(Error::AlreadyClosed));
    assert_eq!(c.send_ping(b""), Err(Error::AlreadyClosed));
    assert_eq!(c.send_pong(b""), Err(Error::AlreadyClosed));
    assert_eq!(c.close(1000u16, ""), Err(Error::AlreadyClosed));
    assert_eq!(
        c.begin_message(rswebsockets::MessageKind::Binary, true),
        Err(Error::AlreadyClosed)
    );
    c.receive_data(&frame(true, PING, b"x"));
    assert_nothing_sent(&c);
}

#[test]
fn input_after_the_peers_close_is_ignored() {
    let mut s = server();
    let mut bytes = masked(true, CLOSE, &close_payload(1000, ""));
    bytes.extend(masked(true, TEXT, b"after"));
    bytes.extend([0xFF, 0xFF]);
    s.receive_data(&bytes);
    assert_eq!(
        events(&mut s),
        [Event::Close {
            code: 1000,
            reason: String::new()
        }]
    );
    assert_eq!(s.error(), None);
}

#[test]
fn transport_end_without_close_is_1006() {
    let mut s = server();
    s.receive_data(&masked(true, TEXT, b"hi")[..4]);
    s.receive_eof();
    assert_eq!(
        events(&mut s),
        [Event::Close {
            code: 1006,
            reason: String::new()
        }]
    );
    assert_eq!(s.state(), State::Closed);
    assert_eq!(s.close_code(), Some(1006));
    assert_nothing_sent(&s);
}

#[test]
fn close_timeout_gives_up() {
    let mut s = server();
    s.close(1000u16, "").unwrap();
    let deadline = s.poll_timeout().expect("close timeout");
    assert!(deadline > Instant::now() + Duration::from_secs(9));
    s.handle_timeout(Instant::now());
    assert_eq!(s.state(), State::Closing);
    s.handle_timeout(deadline);
    assert_eq!(s.state(), State::Closed);
    assert_eq!(
        events(&mut s),
        [
            Event::Failed(Error::CloseTimeout),
            Event::Close {
                code: 1006,
                reason: String::new()
            }
        ]
    );
    assert_eq!(s.poll_timeout(), None);
}

#[test]
fn client_close_timeout_after_handshake_just_closes() {
    let mut c = client();
    c.receive_data(&frame(true, CLOSE, &close_payload(1000, "")));
    events(&mut c);
    let deadline = c.poll_timeout().unwrap();
    c.handle_timeout(deadline + Duration::from_secs(1));
    assert!(c.should_close_transport());
    assert!(!c.has_events());
}

#[test]
fn fail_sends_the_errors_code() {
    let mut s = server();
    s.fail(Error::Application {
        code: CloseCode::PolicyViolated,
        reason: "policy".into(),
    });
    assert_eq!(
        assert_failing(&mut s, 1008),
        Error::Application {
            code: CloseCode::PolicyViolated,
            reason: "policy".into()
        }
    );
}

#[test]
fn failed_client_waits_for_the_server() {
    let mut c = client();
    c.receive_data(&frame(true, 0x3, b""));
    assert_failing(&mut c, 1002);
    c.receive_eof();
    assert_eq!(c.state(), State::Closed);
    assert_eq!(
        events(&mut c),
        [Event::Close {
            code: 1006,
            reason: String::new()
        }]
    );
}

#[test]
fn failing_after_a_close_was_sent_sends_nothing_more() {
    let mut s = server();
    s.close(1000u16, "").unwrap();
    s.take_outgoing();
    s.receive_data(&masked(true, TEXT, b"\xff"));
    assert_nothing_sent(&s);
    assert_eq!(
        events(&mut s),
        [
            Event::Failed(Error::InvalidUtf8),
            Event::Close {
                code: 1006,
                reason: String::new()
            }
        ]
    );
}
