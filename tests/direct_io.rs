// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Fewer copies, same bytes: direct input (`input_buffer` / `commit_input`) gives exactly the
//! events of the copy path at every read size, owned sends put exactly the bytes of copied
//! sends on the wire, both ways (masked and unmasked), and the tokio transport (direct reads,
//! vectored writes of owned chunks) echoes large messages intact.

use std::time::Duration;

use rswebsockets::connection::DIRECT_INPUT_MIN;
use rswebsockets::tokio::{Message, WebSocket};
use rswebsockets::{Config, Connection, Event, MessageKind, Role};

/// A deterministic masking key source, so two clients produce the same bytes.
fn fixed_keys(conn: &mut Connection) {
    let mut n = 0u32;
    conn.set_mask_generator(Box::new(move || {
        n = n.wrapping_mul(2_654_435_761).wrapping_add(12345);
        n.to_be_bytes()
    }));
}

fn bytes(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31) ^ seed ^ (i >> 9) as u8)
        .collect()
}

/// Queues the same traffic on `conn`, through owned sends or copied ones.
fn send_traffic(conn: &mut Connection, owned: bool) {
    let big = bytes(3 * DIRECT_INPUT_MIN + 77, 1);
    let text = "žluťoučký kůň ".repeat(2500);
    let medium = bytes(65536, 2);
    if owned {
        conn.send_binary_owned(big.clone()).unwrap();
    } else {
        conn.send_binary(&big).unwrap();
    }
    conn.send_ping(b"between").unwrap();
    if owned {
        conn.send_text_owned(text.clone()).unwrap();
        conn.send_message_owned(MessageKind::Binary, medium.clone())
            .unwrap();
        conn.send_binary_owned(b"small".to_vec()).unwrap();
    } else {
        conn.send_text(&text).unwrap();
        conn.send_binary(&medium).unwrap();
        conn.send_binary(b"small").unwrap();
    }
    // A streamed message whose pieces are large frames of their own.
    conn.begin_message(MessageKind::Text, true).unwrap();
    conn.continue_message(&text.as_bytes()[..DIRECT_INPUT_MIN + 1])
        .unwrap();
    conn.finish_message(&text.as_bytes()[DIRECT_INPUT_MIN + 1..])
        .unwrap();
    conn.send_binary(&[]).unwrap();
}

/// Writes `from`'s queue chunk by chunk, as a driver would.
fn drain(from: &mut Connection) -> Vec<u8> {
    let mut wire = Vec::new();
    while from.outgoing_len() > 0 {
        let chunk = from.outgoing();
        assert!(!chunk.is_empty());
        wire.extend_from_slice(chunk);
        let n = chunk.len();
        from.consume_outgoing(n);
    }
    wire
}

/// Feeds `wire` to `conn` reading at most `read` bytes at a time, directly whenever the
/// connection offers room; returns the events and the bytes that went direct.
fn receive(conn: &mut Connection, wire: &[u8], read: usize) -> (Vec<Event>, usize) {
    let mut events = Vec::new();
    let mut direct = 0;
    let mut rest = wire;
    let mut pending: &[u8] = &[];
    loop {
        events.extend(conn.events());
        if !pending.is_empty() {
            let used = conn.receive_data_until_event(pending);
            pending = &pending[used..];
            continue;
        }
        if rest.is_empty() {
            break;
        }
        if let Some(space) = conn.input_buffer() {
            let n = space.len().min(read).min(rest.len());
            for (dst, src) in space.iter_mut().zip(&rest[..n]) {
                dst.write(*src);
            }
            // SAFETY: the first n bytes were written just above; nothing came in between.
            unsafe { conn.commit_input(n) };
            direct += n;
            rest = &rest[n..];
        } else {
            let n = read.min(rest.len());
            pending = &rest[..n];
            rest = &rest[n..];
        }
    }
    (events, direct)
}

#[test]
fn owned_sends_put_the_bytes_of_copied_sends_on_the_wire() {
    for role in [Role::Client, Role::Server] {
        let mut owned = Connection::new(role, Config::default());
        let mut copied = Connection::new(role, Config::default());
        fixed_keys(&mut owned);
        fixed_keys(&mut copied);
        send_traffic(&mut owned, true);
        send_traffic(&mut copied, false);
        let a = drain(&mut owned);
        let b = copied.take_outgoing();
        assert_eq!(a.len(), b.len(), "{role:?}");
        assert!(a == b, "{role:?}: the wire bytes differ");
    }
}

#[test]
fn direct_input_gives_the_events_of_the_copy_path_at_every_read_size() {
    let frame_only = Config {
        frame_events: true,
        message_events: false,
        ..Config::default()
    };
    let both = Config {
        frame_events: true,
        ..Config::default()
    };
    for config in [Config::default(), frame_only, both] {
        for sender in [Role::Client, Role::Server] {
            let receiver = match sender {
                Role::Client => Role::Server,
                Role::Server => Role::Client,
            };
            let mut from = Connection::new(sender, Config::default());
            send_traffic(&mut from, true);
            let wire = drain(&mut from);
            let mut reference = Connection::new(receiver, config.clone());
            fixed_keys(&mut reference);
            reference.receive_data(&wire);
            let expected: Vec<Event> = reference.events().collect();
            assert!(expected.len() >= 7);
            let sizes = (1..=64).chain((100..=1000).step_by(150)).chain([
                DIRECT_INPUT_MIN - 1,
                DIRECT_INPUT_MIN,
                65536,
                wire.len(),
            ]);
            for read in sizes {
                let mut conn = Connection::new(receiver, config.clone());
                fixed_keys(&mut conn);
                let (events, direct) = receive(&mut conn, &wire, read);
                assert!(events == expected, "read size {read}, {receiver:?}");
                if read < DIRECT_INPUT_MIN {
                    assert!(direct > 0, "read size {read}: nothing went direct");
                }
                // The pong for the ping is the same too.
                assert_eq!(conn.take_outgoing(), reference.outgoing().to_vec());
            }
        }
    }
}

#[test]
fn a_bad_byte_read_directly_fails_the_connection_like_the_copy_path() {
    let mut text = "é".repeat(2 * DIRECT_INPUT_MIN).into_bytes();
    text[3 * DIRECT_INPUT_MIN + 1] = b'x'; // cuts a two-byte sequence: invalid
    let mut client = Connection::new(Role::Client, Config::default());
    fixed_keys(&mut client);
    client.send_binary_owned(bytes(20_000, 3)).unwrap();
    client.begin_message(MessageKind::Binary, true).unwrap();
    client.finish_message(&[]).unwrap();
    // Bypass the sender's UTF-8 check: a binary frame with the text opcode patched in.
    let mut raw = Connection::new(Role::Client, Config::default());
    fixed_keys(&mut raw);
    raw.send_binary(&text).unwrap();
    let mut bad = raw.take_outgoing();
    bad[0] = 0x81;
    let mut wire = drain(&mut client);
    wire.extend_from_slice(&bad);
    wire.extend(bytes(100, 4)); // never read
    let mut reference = Connection::new(Role::Server, Config::default());
    reference.receive_data(&wire);
    let expected: Vec<Event> = reference.events().collect();
    assert!(matches!(
        expected[expected.len() - 2],
        Event::Failed(rswebsockets::Error::InvalidUtf8)
    ));
    for read in [1, 7, 1000, 4096, 20_000] {
        let mut server = Connection::new(Role::Server, Config::default());
        let (events, direct) = receive(&mut server, &wire, read);
        assert!(direct > 0);
        assert_eq!(events, expected, "read size {read}");
        assert_eq!(server.take_outgoing(), reference.outgoing().to_vec());
        assert_eq!(server.close_code(), Some(1006));
    }
}

async fn echo_server(mut ws: WebSocket<tokio::net::TcpStream>) {
    while let Some(item) = ws.recv().await {
        if let Ok(message @ (Message::Text(_) | Message::Binary(_))) = item {
            ws.send(message).await.unwrap();
        }
    }
}

#[tokio::test]
async fn tokio_transport_echoes_large_messages_through_direct_reads_and_vectored_writes() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let config = Config {
        max_frame_size: 64 << 20,
        max_message_size: 64 << 20,
        ..Config::default()
    };
    let server_config = config.clone();
    let server = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let conn = Connection::new(Role::Server, server_config);
        echo_server(WebSocket::from_connection(stream, conn)).await;
    });
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut client = WebSocket::from_connection(stream, Connection::new(Role::Client, config));
    let sizes = [
        5 << 20,
        65536,
        DIRECT_INPUT_MIN,
        DIRECT_INPUT_MIN + 1,
        3,
        200_001,
    ];
    for (i, size) in sizes.into_iter().enumerate() {
        client
            .feed(Message::Binary(bytes(size, i as u8)))
            .await
            .unwrap();
        client
            .feed(Message::Text("ä".repeat(size / 2)))
            .await
            .unwrap();
    }
    client.flush().await.unwrap();
    for (i, size) in sizes.into_iter().enumerate() {
        let got = tokio::time::timeout(Duration::from_secs(20), client.recv())
            .await
            .unwrap();
        assert!(
            matches!(&got, Some(Ok(Message::Binary(v))) if *v == bytes(size, i as u8)),
            "binary message {i} of {size} bytes"
        );
        let got = client.recv().await;
        assert!(
            matches!(&got, Some(Ok(Message::Text(t))) if *t == "ä".repeat(size / 2)),
            "text message {i}"
        );
    }
    client.close(1000, "done").await.unwrap();
    while client.recv().await.is_some() {}
    server.await.unwrap();
}
