// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The tokio transport end to end: client and server over loopback TCP and `tokio::io::duplex`,
//! messages of every size class, ping/pong, both close handshakes, failures and their close
//! codes, timers, write batching, and the byte order on the wire after a bad frame.
#![cfg(feature = "tokio")]

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use rswebsockets::handshake::HandshakeError;
use rswebsockets::tokio::{
    accept, accept_with, connect, connect_with, AcceptOptions, CloseFrame, ConnectOptions, Error,
    Message, WebSocket,
};
use rswebsockets::{Config, State};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, DuplexStream, ReadBuf};
use tokio::net::TcpListener;

const URL: &str = "ws://example.test/chat";
const REQUEST: &str = "GET /chat HTTP/1.1\r\nHost: example.test\r\nUpgrade: websocket\r\n\
    Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
    Sec-WebSocket-Version: 13\r\n\r\n";

/// Echoes data messages until the connection ends; returns what `recv` gave besides data.
async fn echo<S: AsyncRead + AsyncWrite + Unpin>(
    mut ws: WebSocket<S>,
) -> Vec<Result<Message, String>> {
    let mut others = Vec::new();
    while let Some(item) = ws.recv().await {
        match item {
            Ok(m) if m.is_data() => ws.send(m).await.unwrap(),
            Ok(m) => others.push(Ok(m)),
            Err(e) => others.push(Err(e.to_string())),
        }
    }
    others
}

/// A client and a server over an in-memory pipe of `capacity` bytes.
async fn pair_with(
    capacity: usize,
    client: ConnectOptions,
    server: AcceptOptions,
) -> (WebSocket<DuplexStream>, WebSocket<DuplexStream>) {
    let (a, b) = tokio::io::duplex(capacity);
    let server = tokio::spawn(accept_with(b, server));
    let client = connect_with(a, URL, client).await.unwrap();
    (client, server.await.unwrap().unwrap())
}

async fn pair() -> (WebSocket<DuplexStream>, WebSocket<DuplexStream>) {
    let big = Config {
        max_frame_size: 64 << 20,
        max_message_size: 64 << 20,
        ..Config::default()
    };
    let client = ConnectOptions {
        config: big.clone(),
        ..ConnectOptions::default()
    };
    let server = AcceptOptions {
        config: big,
        ..AcceptOptions::default()
    };
    pair_with(64 * 1024, client, server).await
}

/// Reads from a raw stream until `n` bytes arrived (or the stream ended).
async fn read_at_least<R: AsyncRead + Unpin>(r: &mut R, n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    while out.len() < n {
        let k = tokio::time::timeout(Duration::from_secs(5), r.read(&mut buf))
            .await
            .expect("peer too slow")
            .unwrap();
        if k == 0 {
            break;
        }
        out.extend_from_slice(&buf[..k]);
    }
    out
}

/// Splits a raw server byte stream after its HTTP response head.
fn after_head(bytes: &[u8]) -> (&str, &[u8]) {
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("response head")
        + 4;
    (std::str::from_utf8(&bytes[..end]).unwrap(), &bytes[end..])
}

/// A masked client frame (mask key 0 keeps the payload readable).
fn client_frame(first: u8, payload: &[u8]) -> Vec<u8> {
    assert!(payload.len() < 126);
    let mut f = vec![first, 0x80 | payload.len() as u8, 0, 0, 0, 0];
    f.extend_from_slice(payload);
    f
}

#[tokio::test]
async fn messages_of_every_size_class_echo_over_duplex() {
    let (mut client, server) = pair().await;
    let server = tokio::spawn(echo(server));
    let sizes = [
        0usize,
        1,
        125,
        126,
        127,
        65_535,
        65_536,
        65_537,
        1 << 20,
        4 << 20,
    ];
    for &n in &sizes {
        let text: String = (0..n).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
        client.send(Message::Text(text.clone())).await.unwrap();
        assert_eq!(client.recv().await.unwrap().unwrap(), Message::Text(text));
        let bin: Vec<u8> = (0..n).map(|i| (i * 31 % 251) as u8).collect();
        client.send_binary(&bin).await.unwrap();
        assert_eq!(client.recv().await.unwrap().unwrap(), Message::Binary(bin));
    }
    // Multi-byte UTF-8 survives any framing.
    client.send_text("ünïcödé ✓ 𝄞").await.unwrap();
    assert_eq!(
        client.recv().await.unwrap().unwrap(),
        Message::text("ünïcödé ✓ 𝄞")
    );
    client.close(1000, "done").await.unwrap();
    assert_eq!(
        client.recv().await.unwrap().unwrap(),
        Message::Close(Some(CloseFrame {
            code: 1000,
            reason: "done".into()
        }))
    );
    assert!(client.recv().await.is_none());
    assert_eq!(client.state(), State::Closed);
    let seen = server.await.unwrap();
    assert_eq!(
        seen,
        vec![Ok(Message::Close(Some(CloseFrame {
            code: 1000,
            reason: "done".into()
        })))]
    );
}

#[tokio::test]
async fn loopback_tcp_connect_accept_and_client_close() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let ws = accept(stream).await.unwrap();
        let request = ws.request().cloned().unwrap();
        (request, echo(ws).await)
    });
    let mut ws = connect(&format!("ws://127.0.0.1:{port}/room?id=7"))
        .await
        .unwrap();
    assert_eq!(ws.protocol(), None);
    assert!(ws
        .response_headers()
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("sec-websocket-accept")));
    ws.send(Message::text("hello")).await.unwrap();
    ws.send(Message::binary(vec![0u8, 255, 7])).await.unwrap();
    assert_eq!(ws.recv().await.unwrap().unwrap(), Message::text("hello"));
    assert_eq!(
        ws.recv().await.unwrap().unwrap(),
        Message::binary(vec![0u8, 255, 7])
    );
    ws.send(Message::Close(None)).await.unwrap();
    assert_eq!(
        ws.recv().await.unwrap().unwrap(),
        Message::Close(Some(CloseFrame {
            code: 1000,
            reason: String::new()
        }))
    );
    // The client waits for the server to close TCP, then ends.
    assert!(ws.recv().await.is_none());
    let (request, seen) = server.await.unwrap();
    assert_eq!(request.resource, "/room?id=7");
    assert_eq!(request.host, format!("127.0.0.1:{port}"));
    assert_eq!(seen.len(), 1);
}

#[tokio::test]
async fn server_initiated_close_handshake() {
    let (mut client, mut server) = pair().await;
    server.close(1001, "going away").await.unwrap();
    assert_eq!(server.state(), State::Closing);
    let client_side = tokio::spawn(async move {
        let mut got = Vec::new();
        while let Some(item) = client.recv().await {
            got.push(item.unwrap());
        }
        (got, client.connection().close_code())
    });
    assert_eq!(
        server.recv().await.unwrap().unwrap(),
        Message::Close(Some(CloseFrame {
            code: 1001,
            reason: "going away".into()
        }))
    );
    assert!(server.recv().await.is_none());
    let (got, code) = client_side.await.unwrap();
    assert_eq!(
        got,
        vec![Message::Close(Some(CloseFrame {
            code: 1001,
            reason: "going away".into()
        }))]
    );
    assert_eq!(code, Some(1001));
}

#[tokio::test]
async fn ping_is_answered_and_reported() {
    let (mut client, server) = pair().await;
    let server = tokio::spawn(echo(server));
    client.ping(b"are you there").await.unwrap();
    assert_eq!(
        client.recv().await.unwrap().unwrap(),
        Message::Pong(b"are you there".to_vec())
    );
    client.pong(b"unsolicited").await.unwrap();
    client.close(1000, "").await.unwrap();
    while client.recv().await.is_some() {}
    let seen = server.await.unwrap();
    assert_eq!(seen[0], Ok(Message::Ping(b"are you there".to_vec())));
    assert_eq!(seen[1], Ok(Message::Pong(b"unsolicited".to_vec())));
}

#[tokio::test]
async fn fragments_are_sent_and_reassembled() {
    let (mut client, server) = pair().await;
    let server = tokio::spawn(echo(server));
    for (piece, last) in [("Hel", false), ("lo, ", false), ("wörld", true)] {
        client
            .send(Message::TextFrame {
                data: piece.into(),
                is_last: last,
            })
            .await
            .unwrap();
    }
    assert_eq!(
        client.recv().await.unwrap().unwrap(),
        Message::text("Hello, wörld")
    );
    // With frame events on, each frame is handed out as it arrives.
    let mut config = client.connection().config().clone();
    config.frame_events = true;
    config.message_events = false;
    client.connection_mut().set_config(config);
    client
        .send(Message::BinaryFrame {
            data: vec![1, 2],
            is_last: false,
        })
        .await
        .unwrap();
    client
        .send(Message::BinaryFrame {
            data: vec![3],
            is_last: true,
        })
        .await
        .unwrap();
    // The server reassembled [1, 2, 3] and echoed it as one frame.
    assert_eq!(
        client.recv().await.unwrap().unwrap(),
        Message::BinaryFrame {
            data: vec![1, 2, 3],
            is_last: true
        }
    );
    client.close(1000, "").await.unwrap();
    while client.recv().await.is_some() {}
    server.await.unwrap();
}

/// Counts the writes that reach the stream.
struct CountingStream<S> {
    inner: S,
    writes: Arc<AtomicUsize>,
}

impl<S: AsyncRead + Unpin> AsyncRead for CountingStream<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for CountingStream<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.writes.fetch_add(1, Ordering::SeqCst);
        }
        r
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[tokio::test]
async fn a_burst_of_messages_is_answered_with_one_write() {
    let (a, b) = tokio::io::duplex(1 << 20);
    let client_writes = Arc::new(AtomicUsize::new(0));
    let server_writes = Arc::new(AtomicUsize::new(0));
    let a = CountingStream {
        inner: a,
        writes: client_writes.clone(),
    };
    let b = CountingStream {
        inner: b,
        writes: server_writes.clone(),
    };
    let server = tokio::spawn(async move { echo(accept(b).await.unwrap()).await });
    let mut client = connect_with(a, URL, ConnectOptions::default())
        .await
        .unwrap();
    let (c0, s0) = (
        client_writes.load(Ordering::SeqCst),
        server_writes.load(Ordering::SeqCst),
    );
    for i in 0..100 {
        client.feed(Message::text(format!("m{i}"))).await.unwrap();
    }
    assert!(client.pending() > 0);
    client.flush().await.unwrap();
    assert_eq!(client.pending(), 0);
    assert_eq!(client_writes.load(Ordering::SeqCst) - c0, 1);
    for i in 0..100 {
        assert_eq!(
            client.recv().await.unwrap().unwrap(),
            Message::text(format!("m{i}"))
        );
    }
    // The server read the burst at once and answered all 100 with one write.
    assert_eq!(server_writes.load(Ordering::SeqCst) - s0, 1);
    client.close(1000, "").await.unwrap();
    while client.recv().await.is_some() {}
    server.await.unwrap();
}

#[tokio::test]
async fn large_messages_cross_in_both_directions_at_once() {
    // A small pipe: each side must keep reading while its own write is blocked.
    let big = Config {
        max_message_size: 64 << 20,
        ..Config::default()
    };
    let (mut client, mut server) = pair_with(
        16 * 1024,
        ConnectOptions {
            config: big.clone(),
            ..ConnectOptions::default()
        },
        AcceptOptions {
            config: big,
            ..AcceptOptions::default()
        },
    )
    .await;
    let payload: Vec<u8> = (0..(3 << 20)).map(|i| (i % 253) as u8).collect();
    let p2 = payload.clone();
    let server = tokio::spawn(async move {
        server.send_binary(&p2).await.unwrap();
        let got = server.recv().await.unwrap().unwrap();
        server.close(1000, "").await.unwrap();
        while server.recv().await.is_some() {}
        got
    });
    client.send_binary(&payload).await.unwrap();
    assert_eq!(
        client.recv().await.unwrap().unwrap(),
        Message::Binary(payload.clone())
    );
    while client.recv().await.is_some() {}
    assert_eq!(server.await.unwrap(), Message::Binary(payload));
}

#[tokio::test]
async fn echo_goes_out_before_the_close_for_a_later_bad_frame() {
    // Handshake, a valid text frame and a frame with RSV2 set arrive in one read.
    let (mut raw, b) = tokio::io::duplex(64 * 1024);
    let server = tokio::spawn(async move { echo(accept(b).await.unwrap()).await });
    let mut bytes = REQUEST.as_bytes().to_vec();
    bytes.extend(client_frame(0x81, b"Hello"));
    bytes.extend(client_frame(0x81 | 0x20, b"bad"));
    raw.write_all(&bytes).await.unwrap();
    let got = read_at_least(&mut raw, usize::MAX).await; // until the server closes
    let (head, frames) = after_head(&got);
    assert!(head.starts_with("HTTP/1.1 101"));
    assert!(head.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    assert_eq!(&frames[..7], b"\x81\x05Hello");
    assert_eq!(frames[7], 0x88);
    assert_eq!(&frames[9..11], &1002u16.to_be_bytes());
    let seen = server.await.unwrap();
    assert_eq!(seen.len(), 1);
    assert!(seen[0].as_ref().unwrap_err().contains("reserved bits"));
}

#[tokio::test]
async fn invalid_utf8_fails_with_1007_and_ends_the_stream() {
    let (mut raw, b) = tokio::io::duplex(64 * 1024);
    let server = tokio::spawn(async move {
        let mut ws = accept(b).await.unwrap();
        let first = ws.recv().await.unwrap();
        let rest = ws.recv().await;
        (first, rest.is_none())
    });
    raw.write_all(REQUEST.as_bytes()).await.unwrap();
    raw.write_all(&client_frame(0x81, b"\xff\xfe"))
        .await
        .unwrap();
    let got = read_at_least(&mut raw, usize::MAX).await;
    let (_, frames) = after_head(&got);
    assert_eq!(frames[0], 0x88);
    assert_eq!(&frames[2..4], &1007u16.to_be_bytes());
    let (first, ended) = server.await.unwrap();
    assert!(matches!(
        first,
        Err(Error::Protocol(rswebsockets::Error::InvalidUtf8))
    ));
    assert!(ended);
}

#[tokio::test]
async fn the_close_for_a_failure_goes_out_before_recv_returns_the_error() {
    // The common loop `while let Some(Ok(m)) = ws.recv().await` drops the socket at the first
    // error: the peer must still get the Close with the error's code (here 1007).
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let mut ws = accept(tcp).await.unwrap();
        let mut texts = Vec::new();
        while let Some(Ok(m)) = ws.recv().await {
            texts.push(m);
        }
        // Dropped here, without another `recv`.
        texts
    });
    let mut raw = tokio::net::TcpStream::connect(addr).await.unwrap();
    raw.write_all(REQUEST.as_bytes()).await.unwrap();
    raw.write_all(&client_frame(0x81, b"fine")).await.unwrap();
    raw.write_all(&client_frame(0x81, b"\xc3\x28"))
        .await
        .unwrap();
    let got = read_at_least(&mut raw, usize::MAX).await; // until the server's end closes
    let (head, frames) = after_head(&got);
    assert!(head.starts_with("HTTP/1.1 101"));
    assert_eq!(frames[0], 0x88, "{frames:?}");
    assert_eq!(&frames[2..4], &1007u16.to_be_bytes());
    assert_eq!(frames.len(), 2 + frames[1] as usize);
    assert_eq!(server.await.unwrap(), [Message::Text("fine".into())]);
}

#[tokio::test]
async fn bad_handshakes_are_rejected_with_a_status() {
    let (mut raw, b) = tokio::io::duplex(64 * 1024);
    let server = tokio::spawn(accept(b));
    raw.write_all(REQUEST.replace("Version: 13", "Version: 8").as_bytes())
        .await
        .unwrap();
    let got = read_at_least(&mut raw, usize::MAX).await;
    let text = String::from_utf8_lossy(&got);
    assert!(text.starts_with("HTTP/1.1 426"), "{text}");
    assert!(text.contains("Sec-WebSocket-Version: 13"));
    assert!(matches!(server.await.unwrap(), Err(Error::Handshake(_))));

    // A server that does not speak WebSocket: the client gets a handshake error.
    let (a, mut raw) = tokio::io::duplex(64 * 1024);
    let fake = tokio::spawn(async move {
        read_at_least(&mut raw, 1).await;
        raw.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            .await
            .unwrap();
    });
    let err = connect_with(a, URL, ConnectOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        Error::Handshake(HandshakeError::UnexpectedStatus { status: 404, .. })
    ));
    fake.await.unwrap();
}

#[tokio::test]
async fn wss_needs_a_tls_stream() {
    assert!(matches!(
        connect("wss://127.0.0.1:1/").await,
        Err(Error::UnsupportedUrl(_))
    ));
}

#[tokio::test]
async fn a_vanished_peer_is_an_abnormal_closure() {
    let (mut client, server) = pair().await;
    drop(server);
    assert!(matches!(
        client.recv().await,
        Some(Err(Error::AbnormalClosure))
    ));
    assert!(client.recv().await.is_none());
    assert_eq!(client.connection().close_code(), Some(1006));
}

#[tokio::test]
async fn keepalive_pings_and_fails_on_a_silent_peer() {
    let (mut raw, b) = tokio::io::duplex(64 * 1024);
    let options = AcceptOptions {
        config: Config {
            ping_interval: Some(Duration::from_millis(30)),
            pong_timeout: Some(Duration::from_millis(60)),
            ..Config::default()
        },
        ..AcceptOptions::default()
    };
    let server = tokio::spawn(async move {
        let mut ws = accept_with(b, options).await.unwrap();
        let mut items = Vec::new();
        while let Some(item) = ws.recv().await {
            items.push(item.map_err(|e| e.to_string()));
        }
        items
    });
    raw.write_all(REQUEST.as_bytes()).await.unwrap();
    let got = read_at_least(&mut raw, usize::MAX).await;
    let (_, frames) = after_head(&got);
    // Keepalive Pings (unanswered), then the Close for the missing Pong.
    let mut at = 0;
    let mut pings = 0;
    while frames[at] == 0x89 {
        pings += 1;
        at += 2 + frames[at + 1] as usize;
    }
    assert!(pings >= 1);
    assert_eq!(frames[at], 0x88);
    let code = u16::from_be_bytes([frames[at + 2], frames[at + 3]]);
    assert_eq!(code, rswebsockets::Error::PongTimeout.close_code().value());
    let items = server.await.unwrap();
    assert_eq!(items.len(), 1);
    assert!(items[0].as_ref().unwrap_err().contains("ping timeout"));
}

#[tokio::test]
async fn close_timeout_ends_a_close_handshake_the_peer_ignores() {
    let (a, mut raw) = tokio::io::duplex(64 * 1024);
    let fake = tokio::spawn(async move {
        let req = read_at_least(&mut raw, 1).await;
        let req = String::from_utf8(req).unwrap();
        let key = req
            .lines()
            .find_map(|l| l.strip_prefix("Sec-WebSocket-Key: "))
            .unwrap()
            .to_owned();
        let accept = rswebsockets::handshake::derive_accept_key(&key);
        let resp = format!(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Accept: {accept}\r\n\r\n"
        );
        raw.write_all(resp.as_bytes()).await.unwrap();
        // Read the client's Close, never answer, keep the pipe open.
        let close = read_at_least(&mut raw, 6).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        close
    });
    let options = ConnectOptions {
        config: Config {
            close_timeout: Some(Duration::from_millis(50)),
            ..Config::default()
        },
        ..ConnectOptions::default()
    };
    let mut ws = connect_with(a, URL, options).await.unwrap();
    ws.close(1000, "").await.unwrap();
    let started = std::time::Instant::now();
    let item = ws.recv().await;
    assert!(matches!(item, Some(Err(Error::Protocol(_)))), "{item:?}");
    assert!(ws.recv().await.is_none());
    assert!(started.elapsed() < Duration::from_millis(400));
    let close = fake.await.unwrap();
    assert_eq!(close[0], 0x88);
}

#[tokio::test]
async fn sending_after_close_is_refused() {
    let (mut client, server) = pair().await;
    let server = tokio::spawn(echo(server));
    client.close(1000, "").await.unwrap();
    assert!(matches!(
        client.send(Message::text("late")).await,
        Err(Error::Protocol(rswebsockets::Error::AlreadyClosed))
    ));
    while client.recv().await.is_some() {}
    server.await.unwrap();
}

#[tokio::test]
async fn subprotocol_and_permessage_deflate_are_negotiated() {
    use rswebsockets::extension::DeflateConfig;
    let mut client = ConnectOptions::default();
    client.handshake.protocols = vec!["v2.chat".into(), "v1.chat".into()];
    client
        .handshake
        .extensions
        .push(Arc::new(DeflateConfig::new()));
    client.handshake.origin = Some("https://example.test".into());
    let mut server = AcceptOptions::default();
    server.handshake.protocols = vec!["v1.chat".into()];
    server
        .handshake
        .extensions
        .push(Arc::new(DeflateConfig::new()));
    let (mut client, server) = pair_with(64 * 1024, client, server).await;
    assert_eq!(client.protocol(), Some("v1.chat"));
    assert_eq!(server.protocol(), Some("v1.chat"));
    assert_eq!(
        server.request().unwrap().origin.as_deref(),
        Some("https://example.test")
    );
    let names: Vec<&str> = client
        .connection()
        .extensions()
        .iter()
        .map(|e| e.name())
        .collect();
    assert_eq!(names, ["permessage-deflate"]);
    let server = tokio::spawn(echo(server));
    // Compressible and incompressible payloads, small and large, round trip intact.
    let text = "compress me ".repeat(10_000);
    client.send_text(&text).await.unwrap();
    assert_eq!(client.recv().await.unwrap().unwrap(), Message::Text(text));
    let noise: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    client.send_binary(&noise).await.unwrap();
    assert_eq!(
        client.recv().await.unwrap().unwrap(),
        Message::Binary(noise)
    );
    client.close(1000, "").await.unwrap();
    while client.recv().await.is_some() {}
    server.await.unwrap();
}

#[tokio::test]
async fn from_connection_wraps_an_already_upgraded_stream() {
    use rswebsockets::{Connection, Role};
    let (a, b) = tokio::io::duplex(64 * 1024);
    let mut client =
        WebSocket::from_connection(a, Connection::new(Role::Client, Config::default()));
    let server = WebSocket::from_connection(b, Connection::new(Role::Server, Config::default()));
    let server = tokio::spawn(echo(server));
    client.send_text("no handshake here").await.unwrap();
    assert_eq!(
        client.recv().await.unwrap().unwrap(),
        Message::text("no handshake here")
    );
    client.close(1000, "").await.unwrap();
    while client.recv().await.is_some() {}
    server.await.unwrap();
}

#[tokio::test]
async fn a_peer_that_stops_reading_cannot_hold_a_closed_connection() {
    // A tiny pipe the raw client never reads: the server's pongs fill it, then a bad frame
    // fails the connection, and its Close cannot be written.
    let (mut raw, b) = tokio::io::duplex(256);
    let options = AcceptOptions {
        config: Config {
            close_timeout: Some(Duration::from_millis(100)),
            ..Config::default()
        },
        ..AcceptOptions::default()
    };
    let server = tokio::spawn(async move {
        let mut ws = accept_with(b, options).await.unwrap();
        let mut errors = 0;
        while let Some(item) = ws.recv().await {
            errors += usize::from(item.is_err());
        }
        errors
    });
    raw.write_all(REQUEST.as_bytes()).await.unwrap();
    for _ in 0..64 {
        raw.write_all(&client_frame(0x89, b"fill")).await.unwrap();
    }
    raw.write_all(&client_frame(0x81, b"\xc3")).await.unwrap();
    let errors = tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("the server gave up on the last write")
        .unwrap();
    assert_eq!(errors, 1);
    drop(raw);
}

#[tokio::test]
async fn stream_and_sink_drive_the_same_socket() {
    use futures_core::Stream;
    use futures_sink::Sink;
    use std::future::poll_fn;

    let (mut client, server) = pair().await;
    let server = tokio::spawn(echo(server));
    for i in 0..3 {
        poll_fn(|cx| Pin::new(&mut client).poll_ready(cx))
            .await
            .unwrap();
        Pin::new(&mut client)
            .start_send(Message::text(format!("s{i}")))
            .unwrap();
    }
    assert!(client.pending() > 0);
    poll_fn(|cx| Pin::new(&mut client).poll_flush(cx))
        .await
        .unwrap();
    for i in 0..3 {
        let next = poll_fn(|cx| Pin::new(&mut client).poll_next(cx)).await;
        assert_eq!(next.unwrap().unwrap(), Message::text(format!("s{i}")));
    }
    poll_fn(|cx| Pin::new(&mut client).poll_close(cx))
        .await
        .unwrap();
    assert_eq!(client.state(), State::Closing);
    let mut rest = Vec::new();
    while let Some(item) = poll_fn(|cx| Pin::new(&mut client).poll_next(cx)).await {
        rest.push(item.unwrap());
    }
    assert_eq!(
        rest,
        vec![Message::Close(Some(CloseFrame {
            code: 1000,
            reason: String::new()
        }))]
    );
    server.await.unwrap();
}

/// The engine call the transport feeds input with: it stops at each event and takes nothing
/// while one waits, so the transport can hand out (and answer) each message first.
#[test]
fn engine_input_stops_at_each_event() {
    use rswebsockets::{Connection, Event, Role};
    let mut conn = Connection::new(Role::Server, Config::default());
    let mut input = client_frame(0x81, b"one");
    input.extend(client_frame(0x82, b"two"));
    input.extend(client_frame(0x81 | 0x40, b"bad"));
    let first = conn.receive_data_until_event(&input);
    assert_eq!(first, 9);
    assert_eq!(conn.receive_data_until_event(&input[first..]), 0);
    assert_eq!(conn.next_event(), Some(Event::Text("one".into())));
    let second = conn.receive_data_until_event(&input[first..]);
    assert_eq!(second, 9);
    assert_eq!(conn.next_event(), Some(Event::Binary(b"two".to_vec())));
    assert!(conn.outgoing().is_empty());
    // The bad frame fails the connection; everything counts as used.
    let rest = &input[first + second..];
    assert_eq!(conn.receive_data_until_event(rest), rest.len());
    assert!(matches!(conn.next_event(), Some(Event::Failed(_))));
    assert_eq!(conn.outgoing()[0], 0x88);
}
