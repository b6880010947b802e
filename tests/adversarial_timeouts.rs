// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Peers that try to hold a connection open forever: one that keeps talking after our Close
//! and never answers it, one that talks but never answers a keepalive Ping, one that never
//! closes the transport after failing us. Each ends at its deadline on the caller's clock:
//! never a hang.

use std::time::{Duration, Instant};

use rswebsockets::frame::{write_frame, FrameHeader};
use rswebsockets::{Config, Connection, Error, Event, OpCode, Role, State};

const KEY: [u8; 4] = [5, 6, 7, 8];

fn frame_to(receiver: Role, opcode: OpCode, payload: &[u8]) -> Vec<u8> {
    let h = FrameHeader::new(
        true,
        opcode,
        (receiver == Role::Server).then_some(KEY),
        payload.len() as u64,
    );
    let mut out = Vec::new();
    write_frame(&mut out, &h, payload);
    out
}

fn config() -> Config {
    Config {
        ping_interval: Some(Duration::from_secs(5)),
        pong_timeout: Some(Duration::from_secs(2)),
        close_timeout: Some(Duration::from_secs(3)),
        ..Config::default()
    }
}

#[test]
fn a_peer_that_keeps_talking_after_our_close_is_cut_off_at_the_close_timeout() {
    for role in [Role::Server, Role::Client] {
        let mut c = Connection::new(role, config());
        c.close(1000u16, "bye").unwrap();
        let deadline = c.poll_timeout().expect("close timeout armed");
        // Messages and pings keep coming; none of them moves the deadline.
        let mut now = Instant::now();
        while now < deadline {
            c.receive_data(&frame_to(role, OpCode::Text, b"still here"));
            c.receive_data(&frame_to(role, OpCode::Ping, b"?"));
            c.handle_timeout(now);
            assert_eq!(c.poll_timeout(), Some(deadline), "{role:?}");
            now += Duration::from_millis(250);
        }
        c.handle_timeout(deadline);
        assert_eq!(c.state(), State::Closed, "{role:?}");
        assert!(c.should_close_transport());
        let events: Vec<Event> = c.events().collect();
        assert!(
            events.contains(&Event::Failed(Error::CloseTimeout)),
            "{role:?}"
        );
        assert_eq!(
            events.last(),
            Some(&Event::Close {
                code: 1006,
                reason: String::new()
            })
        );
        // Messages that arrived while closing were still delivered; nothing is sent after the
        // Close (no Pong either).
        assert!(events.contains(&Event::Text("still here".into())));
        let out = c.take_outgoing();
        let (first, n) = FrameHeader::parse(&out).unwrap().unwrap();
        assert_eq!(first.opcode, OpCode::Close);
        assert_eq!(
            out.len(),
            n + first.payload_len as usize,
            "{role:?}: only the Close"
        );
        assert_eq!(c.poll_timeout(), None);
    }
}

#[test]
fn a_peer_that_talks_but_never_answers_a_keepalive_ping_fails_1011() {
    // Messages and Pings from the peer are not an answer to our Ping: only a Pong is.
    for role in [Role::Server, Role::Client] {
        let mut c = Connection::new(role, config());
        let first_ping = c.poll_timeout().expect("keepalive armed");
        c.handle_timeout(first_ping);
        assert!(!c.take_outgoing().is_empty(), "{role:?}: a Ping went out");
        let pong_deadline = c.poll_timeout().unwrap();
        assert!(pong_deadline <= first_ping + Duration::from_secs(2));
        c.receive_data(&frame_to(role, OpCode::Text, b"chatter"));
        c.receive_data(&frame_to(role, OpCode::Ping, b"ping of its own"));
        assert_eq!(c.poll_timeout(), Some(pong_deadline), "{role:?}");
        c.handle_timeout(pong_deadline);
        let events: Vec<Event> = c.events().collect();
        let failed = events
            .iter()
            .find_map(|e| match e {
                Event::Failed(e) => Some(e.clone()),
                _ => None,
            })
            .expect("fails");
        assert_eq!(failed, Error::PongTimeout);
        assert_eq!(failed.close_code().value(), 1011);
    }
}

#[test]
fn a_failed_client_whose_server_never_closes_gives_up_at_the_close_timeout() {
    let mut c = Connection::new(Role::Client, config());
    // A masked frame from a server: 1002, and the client waits for the server to close TCP.
    c.receive_data(&frame_to(Role::Server, OpCode::Text, b"masked"));
    assert_eq!(c.state(), State::Closing);
    assert!(!c.should_close_transport());
    let deadline = c
        .poll_timeout()
        .expect("close timeout armed after a failure");
    assert!(deadline <= Instant::now() + Duration::from_secs(3));
    // The server keeps sending; input is ignored after the failure.
    c.receive_data(&frame_to(Role::Client, OpCode::Text, b"more"));
    c.handle_timeout(deadline);
    assert!(c.should_close_transport());
    let events: Vec<Event> = c.events().collect();
    assert!(!events.iter().any(|e| matches!(e, Event::Text(_))));
    assert_eq!(
        events.last(),
        Some(&Event::Close {
            code: 1006,
            reason: String::new()
        })
    );
}
