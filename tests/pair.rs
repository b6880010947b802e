// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Two connections, a client and a server, talking to each other through memory: messages of
//! every size and type both ways, fragmented or not, pings, and the close handshake.

use rand::{Rng, SeedableRng};
use rswebsockets::{Config, Connection, Event, MessageKind, Role, State};

/// Moves every pending byte from `from` to `to`, in chunks of random size.
fn pump(from: &mut Connection, to: &mut Connection, rng: &mut rand::rngs::StdRng) -> bool {
    let mut moved = false;
    while from.outgoing_len() > 0 {
        let n = rng.random_range(1..=from.outgoing_len());
        to.receive_data(&from.outgoing()[..n]);
        from.consume_outgoing(n);
        moved = true;
    }
    moved
}

fn exchange(a: &mut Connection, b: &mut Connection, rng: &mut rand::rngs::StdRng) {
    while pump(a, b, rng) | pump(b, a, rng) {}
}

fn pair(config: Config) -> (Connection, Connection) {
    (
        Connection::new(Role::Client, config.clone()),
        Connection::new(Role::Server, config),
    )
}

#[test]
fn messages_flow_both_ways() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    let (mut client, mut server) = pair(Config {
        outgoing_frame_size: 1000,
        ..Config::default()
    });
    let sizes = [0usize, 1, 125, 126, 999, 1000, 1001, 65535, 65536, 200_000];
    for &size in &sizes {
        let data: Vec<u8> = (0..size).map(|_| rng.random()).collect();
        let text: String = (0..size).map(|i| ['a', 'é', '€', '𝄞'][i % 4]).collect();
        client.send_binary(&data).unwrap();
        client.send_text(&text).unwrap();
        exchange(&mut client, &mut server, &mut rng);
        assert_eq!(server.next_event(), Some(Event::Binary(data.clone())));
        assert_eq!(server.next_event(), Some(Event::Text(text.clone())));
        // Echo back.
        server.send_binary(&data).unwrap();
        server
            .send_message(MessageKind::Text, text.as_bytes(), true)
            .unwrap();
        exchange(&mut client, &mut server, &mut rng);
        assert_eq!(client.next_event(), Some(Event::Binary(data)));
        assert_eq!(client.next_event(), Some(Event::Text(text)));
    }
    assert!(!client.has_events() && !server.has_events());
}

#[test]
fn ping_pong_streaming_and_close() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let (mut client, mut server) = pair(Config::default());
    client.send_ping(b"are you there").unwrap();
    server.begin_message(MessageKind::Text, true).unwrap();
    server.continue_message("strea".as_bytes()).unwrap();
    server.send_ping(b"s").unwrap();
    server.finish_message("med €".as_bytes()).unwrap();
    exchange(&mut client, &mut server, &mut rng);
    assert_eq!(
        server.events().collect::<Vec<_>>(),
        [
            Event::Ping(b"are you there".to_vec()),
            Event::Pong(b"s".to_vec())
        ]
    );
    assert_eq!(
        client.events().collect::<Vec<_>>(),
        // The server's frames were queued before its automatic Pong.
        [
            Event::Ping(b"s".to_vec()),
            Event::Text("streamed €".into()),
            Event::Pong(b"are you there".to_vec()),
        ]
    );

    client.close(1000u16, "done").unwrap();
    exchange(&mut client, &mut server, &mut rng);
    assert_eq!(
        server.next_event(),
        Some(Event::Close {
            code: 1000,
            reason: "done".into()
        })
    );
    assert_eq!(server.state(), State::Closed);
    assert!(server.should_close_transport());
    assert_eq!(
        client.next_event(),
        Some(Event::Close {
            code: 1000,
            reason: "done".into()
        })
    );
    // The server closes the transport; the client sees the end of it.
    assert_eq!(client.state(), State::Closing);
    client.receive_eof();
    assert_eq!(client.state(), State::Closed);
    assert!(!client.has_events() && !server.has_events());
}

#[test]
fn server_initiated_close_and_failure_reach_the_peer() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(9);
    let (mut client, mut server) = pair(Config::default());
    server.fail(rswebsockets::Error::Application {
        code: rswebsockets::CloseCode::TryAgainLater,
        reason: "busy".into(),
    });
    exchange(&mut client, &mut server, &mut rng);
    assert_eq!(
        client.next_event(),
        Some(Event::Close {
            code: 1013,
            reason: "busy".into()
        })
    );
    assert!(server.should_close_transport());
    client.receive_eof();
    assert!(client.is_closed());
}

#[test]
fn frame_delivery_between_peers() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    let (mut client, _) = pair(Config {
        outgoing_frame_size: 3,
        ..Config::default()
    });
    let mut server = Connection::new(
        Role::Server,
        Config {
            frame_events: true,
            message_events: false,
            ..Config::default()
        },
    );
    client.send_text("a€b").unwrap(); // 5 bytes in frames of 3: "a" + 2 bytes of €, then the rest
    exchange(&mut client, &mut server, &mut rng);
    assert_eq!(
        server.events().collect::<Vec<_>>(),
        [
            Event::TextFrame {
                data: "a".into(),
                is_last: false
            },
            Event::TextFrame {
                data: "€b".into(),
                is_last: true
            },
        ]
    );
}
