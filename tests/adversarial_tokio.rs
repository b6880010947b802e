// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Hostile peers against the tokio transport: one that floods pings and never reads, one that
//! stops mid-frame, one that sends garbage; the transport reports a clear error or stays
//! bounded, never hangs.

#![cfg(feature = "tokio")]

use std::time::Duration;

use rswebsockets::frame::{write_frame, FrameHeader};
use rswebsockets::tokio::{Error, Message, WebSocket};
use rswebsockets::{Config, Connection, OpCode, Role};
use tokio::io::AsyncWriteExt;

const KEY: [u8; 4] = [9, 8, 7, 6];

fn masked(opcode: OpCode, payload: &[u8]) -> Vec<u8> {
    let h = FrameHeader::new(true, opcode, Some(KEY), payload.len() as u64);
    let mut out = Vec::new();
    write_frame(&mut out, &h, payload);
    out
}

#[tokio::test]
async fn ping_flood_from_a_peer_that_never_reads_stays_bounded() {
    let (ours, mut theirs) = tokio::io::duplex(16 * 1024);
    let mut ws = WebSocket::from_connection(ours, Connection::new(Role::Server, Config::default()));
    let pings = 20_000usize;
    let writer = tokio::spawn(async move {
        let ping = masked(OpCode::Ping, &[0x55; 125]);
        for _ in 0..pings {
            if theirs.write_all(&ping).await.is_err() {
                break;
            }
        }
        // Keep our end open (and never read).
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(theirs);
    });
    let mut seen = 0usize;
    let mut max_pending = 0usize;
    let result = tokio::time::timeout(Duration::from_secs(5), async {
        while seen < pings {
            match ws.recv().await {
                Some(Ok(Message::Ping(_))) => seen += 1,
                other => panic!("unexpected {other:?}"),
            }
            max_pending = max_pending.max(ws.pending());
        }
    })
    .await;
    writer.abort();
    // Either the transport stopped reading (the writer is blocked: backpressure) or it kept
    // reading with a bounded queue; it must not queue a Pong for each of 20 000 pings.
    assert!(
        max_pending < 256 * 1024,
        "{max_pending} bytes of pongs queued after {seen} pings ({result:?})"
    );
}

#[tokio::test]
async fn a_peer_that_stops_mid_frame_is_an_abnormal_closure() {
    let (ours, mut theirs) = tokio::io::duplex(16 * 1024);
    let mut ws = WebSocket::from_connection(ours, Connection::new(Role::Server, Config::default()));
    let frame = masked(OpCode::Binary, &[1u8; 1000]);
    theirs.write_all(&frame[..500]).await.unwrap();
    drop(theirs);
    let got = tokio::time::timeout(Duration::from_secs(5), ws.recv())
        .await
        .expect("no hang");
    assert!(matches!(got, Some(Err(Error::AbnormalClosure))), "{got:?}");
}

#[tokio::test]
async fn garbage_gets_a_protocol_error_and_a_1002_close() {
    use tokio::io::AsyncReadExt;
    let (ours, mut theirs) = tokio::io::duplex(16 * 1024);
    let mut ws = WebSocket::from_connection(ours, Connection::new(Role::Server, Config::default()));
    // An unmasked text frame from a client.
    theirs.write_all(b"\x81\x02hi").await.unwrap();
    let got = tokio::time::timeout(Duration::from_secs(5), ws.recv())
        .await
        .expect("no hang");
    match got {
        Some(Err(Error::Protocol(e))) => assert_eq!(e.close_code().value(), 1002),
        other => panic!("unexpected {other:?}"),
    }
    // The server closes the transport after its Close frame.
    let rest = tokio::time::timeout(Duration::from_secs(5), async {
        while ws.recv().await.is_some() {}
        let mut out = Vec::new();
        theirs.read_to_end(&mut out).await.map(|_| out)
    })
    .await
    .expect("no hang")
    .unwrap();
    assert_eq!(&rest[..4], &[0x88, rest[1], 0x03, 0xEA], "{rest:02x?}");
}

/// Runs `accept_with` against a client that writes `request` and reads the answer.
async fn accept_hostile(request: Vec<u8>) -> (Result<(), Error>, String) {
    use tokio::io::AsyncReadExt;
    let (ours, mut theirs) = tokio::io::duplex(64 * 1024);
    let server = tokio::spawn(async move {
        rswebsockets::tokio::accept_with(ours, rswebsockets::tokio::AcceptOptions::default())
            .await
            .map(|_| ())
    });
    // The client may be cut off while writing (the server stops reading after a rejection).
    let _ = theirs.write_all(&request).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), theirs.read_to_end(&mut answer)).await;
    let result = tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("no hang")
        .expect("no panic");
    (result, String::from_utf8_lossy(&answer).into_owned())
}

#[tokio::test]
async fn hostile_requests_get_http_rejections() {
    let good = "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
                Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (
            format!("{good}Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n").into_bytes(),
            "HTTP/1.1 400 ",
        ),
        (
            format!("{good}X-Long: {}\r\n\r\n", "a".repeat(100_000)).into_bytes(),
            "HTTP/1.1 431 ",
        ),
        (
            format!("{}\r\n\r\n", good.replace("13", "8")).into_bytes(),
            "HTTP/1.1 426 ",
        ),
        (
            b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\r\n\r\n".to_vec(),
            "HTTP/1.1 400 ",
        ),
    ];
    for (request, status) in cases {
        let (result, answer) = accept_hostile(request).await;
        assert!(answer.starts_with(status), "{answer:?}");
        match result {
            Err(Error::Handshake(e)) => assert!(e.status().is_some(), "{e:?}"),
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_server_answering_what_was_not_offered_fails_the_client_with_1010() {
    use tokio::io::AsyncReadExt;
    let (ours, mut theirs) = tokio::io::duplex(64 * 1024);
    let peer = tokio::spawn(async move {
        // Read the request head, answer with an extension the client never offered.
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            theirs.read_exact(&mut byte).await.unwrap();
            head.push(byte[0]);
        }
        let head = String::from_utf8(head).unwrap();
        let key = head
            .lines()
            .find_map(|l| l.strip_prefix("Sec-WebSocket-Key: "))
            .unwrap()
            .trim()
            .to_owned();
        let response = format!(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Accept: {}\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n",
            rswebsockets::handshake::derive_accept_key(&key)
        );
        theirs.write_all(response.as_bytes()).await.unwrap();
        theirs
    });
    let result = tokio::time::timeout(
        Duration::from_secs(5),
        rswebsockets::tokio::connect_with(
            ours,
            "ws://example.com/",
            rswebsockets::tokio::ConnectOptions::default(),
        ),
    )
    .await
    .expect("no hang");
    let _ = peer.await;
    match result {
        Err(Error::Handshake(e)) => {
            assert_eq!(
                e.close_code(),
                Some(rswebsockets::CloseCode::MissingExtension)
            );
        }
        other => panic!("unexpected {:?}", other.map(|_| ())),
    }
}
