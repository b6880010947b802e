// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The tokio transport with a peer that reads slowly or not at all: every Ping of a burst is
//! answered while the peer reads, and a failure's Close waits for a non-reading peer only
//! until the close timeout.
#![cfg(feature = "tokio")]

mod support;

use std::time::Duration;

use rswebsockets::tokio::{Message, WebSocket};
use rswebsockets::{Config, Connection, Role};
use support::{masked, PING, TEXT};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn each_ping_of_a_burst_gets_its_pong_while_the_peer_reads() {
    // The engine keeps one unwritten Pong (a later Ping replaces it); the transport writes
    // each Pong as its Ping is handed out, so a reading peer gets them all (Autobahn 2.10).
    let (ours, mut theirs) = tokio::io::duplex(64 * 1024);
    let conn = Connection::new(Role::Server, Config::default());
    let mut ws = WebSocket::from_connection(ours, conn);
    let mut burst = Vec::new();
    for i in 0..10u8 {
        burst.extend(masked(true, PING, &[i; 10]));
    }
    theirs.write_all(&burst).await.unwrap();
    for i in 0..10u8 {
        assert_eq!(
            ws.recv().await.unwrap().unwrap(),
            Message::Ping(vec![i; 10])
        );
    }
    let mut got = vec![0u8; 10 * 12];
    tokio::time::timeout(Duration::from_secs(5), theirs.read_exact(&mut got))
        .await
        .expect("ten pongs")
        .unwrap();
    let expected: Vec<u8> = (0..10u8)
        .flat_map(|i| [&[0x8A, 10][..], &[i; 10]].concat())
        .collect();
    assert_eq!(got, expected);
}

#[tokio::test]
async fn a_failure_waits_for_its_close_only_until_the_close_timeout() {
    // The peer never reads: the pong for its ping fills the pipe, the Close cannot go out.
    let (ours, mut theirs) = tokio::io::duplex(64);
    let config = Config {
        close_timeout: Some(Duration::from_millis(200)),
        ..Config::default()
    };
    let conn = Connection::new(Role::Server, config);
    let mut ws = WebSocket::from_connection(ours, conn);
    let peer = tokio::spawn(async move {
        theirs
            .write_all(&masked(true, PING, &[b'p'; 125]))
            .await
            .unwrap();
        theirs
            .write_all(&masked(true, TEXT, b"\xff"))
            .await
            .unwrap();
        // Keep the pipe open, never read.
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(theirs);
    });
    let started = tokio::time::Instant::now();
    let items = tokio::time::timeout(Duration::from_secs(5), async {
        let mut items = Vec::new();
        while let Some(Ok(m)) = ws.recv().await {
            items.push(m);
        }
        items
    })
    .await
    .expect("the failure comes back within the close timeout");
    assert_eq!(items, [Message::Ping(vec![b'p'; 125])]);
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert!(ws.pending() > 0, "the Close is still queued");
    peer.abort();
}
