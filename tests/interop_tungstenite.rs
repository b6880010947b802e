// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Interoperability with tungstenite (tokio-tungstenite, the most used Rust implementation) in
//! both directions over loopback TCP: its client against our server and our client against its
//! server, with text, binary, empty and multi-megabyte messages, fragmented messages, pings,
//! subprotocols, the close handshake started by either side, and a protocol error reported to
//! it with the right close code.
#![cfg(feature = "tokio")]

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use rswebsockets::handshake::{ClientOptions, ServerOptions};
use rswebsockets::tokio::{
    accept_with, connect_with, AcceptOptions, CloseFrame, ConnectOptions, Message, WebSocket,
};
use rswebsockets::{Config, MessageKind};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::handshake::client::generate_key;
use tokio_tungstenite::tungstenite::http::Request;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode as TCloseCode;
use tokio_tungstenite::tungstenite::protocol::frame::{CloseFrame as TCloseFrame, Frame};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message as TMessage;

/// Bounds every test: a hang is a failure, not a stuck CI job.
const LIMIT: Duration = Duration::from_secs(30);

fn big_config() -> Config {
    Config {
        max_frame_size: 64 << 20,
        max_message_size: 64 << 20,
        ..Config::default()
    }
}

fn tungstenite_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .max_message_size(Some(64 << 20))
        .max_frame_size(Some(64 << 20))
}

/// A payload whose every byte depends on its position (a shifted or lost byte shows).
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 + i / 251) as u8).collect()
}

/// Our server on an ephemeral port: accepts one connection with `options` and runs `serve` on it.
async fn our_server<F, Fut>(options: AcceptOptions, serve: F) -> (u16, tokio::task::JoinHandle<()>)
where
    F: FnOnce(WebSocket<TcpStream>) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        stream.set_nodelay(true).unwrap();
        let ws = accept_with(stream, options).await.unwrap();
        serve(ws).await;
    });
    (port, task)
}

/// Echoes data messages until the connection ends (`recv` keeps driving the connection after an
/// error, until the Close it sent went out and the transport was shut down).
async fn echo(mut ws: WebSocket<TcpStream>) {
    while let Some(item) = ws.recv().await {
        if let Ok(m) = item {
            if m.is_data() {
                ws.send(m).await.unwrap();
            }
        }
    }
}

fn request(port: u16, protocols: Option<&str>) -> Request<()> {
    let mut builder = Request::builder()
        .uri(format!("ws://127.0.0.1:{port}/chat"))
        .header("Host", format!("127.0.0.1:{port}"))
        .header("Connection", "Upgrade")
        .header("Upgrade", "websocket")
        .header("Sec-WebSocket-Version", "13")
        .header("Sec-WebSocket-Key", generate_key());
    if let Some(p) = protocols {
        builder = builder.header("Sec-WebSocket-Protocol", p);
    }
    builder.body(()).unwrap()
}

#[tokio::test]
async fn tungstenite_client_against_our_server() {
    tokio::time::timeout(LIMIT, async {
        let options = AcceptOptions {
            config: big_config(),
            ..AcceptOptions::default()
        };
        let (port, server) = our_server(options, echo).await;
        let (mut ws, _) = tokio_tungstenite::connect_async_with_config(
            request(port, None),
            Some(tungstenite_config()),
            true,
        )
        .await
        .unwrap();
        let big = pattern(5 << 20);
        let sent = vec![
            TMessage::text("héllo, wörld €"),
            TMessage::binary(vec![0u8, 1, 2, 255]),
            TMessage::text(""),
            TMessage::binary(Vec::new()),
            TMessage::binary(big.clone()),
            TMessage::text("x".repeat(70_000)),
        ];
        for m in &sent {
            ws.send(m.clone()).await.unwrap();
        }
        for m in &sent {
            assert_eq!(ws.next().await.unwrap().unwrap(), *m);
        }
        // Ping: our server answers with the same payload.
        ws.send(TMessage::Ping(b"are you there".to_vec().into()))
            .await
            .unwrap();
        match ws.next().await.unwrap().unwrap() {
            TMessage::Pong(p) => assert_eq!(&p[..], b"are you there"),
            other => panic!("expected a pong, got {other:?}"),
        }
        // Close started by tungstenite: our server echoes the code and the reason.
        ws.close(Some(TCloseFrame {
            code: TCloseCode::Library(4000),
            reason: "done here".into(),
        }))
        .await
        .unwrap();
        match ws.next().await.unwrap().unwrap() {
            TMessage::Close(Some(frame)) => {
                assert_eq!(u16::from(frame.code), 4000);
                assert_eq!(frame.reason.as_str(), "done here");
            }
            other => panic!("expected the echoed close, got {other:?}"),
        }
        assert!(ws.next().await.is_none());
        server.await.unwrap();
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn tungstenite_fragments_and_interleaved_ping_reach_our_server_whole() {
    tokio::time::timeout(LIMIT, async {
        let (port, server) = our_server(AcceptOptions::default(), echo).await;
        let (mut ws, _) = tokio_tungstenite::connect_async(request(port, None))
            .await
            .unwrap();
        // "fragmented €" in three frames, the euro sign split across the last two, with a
        // ping between fragments (RFC 6455 5.4: control frames may be injected).
        let text = "fragmented €".as_bytes();
        let (a, rest) = text.split_at(4);
        let (b, c) = rest.split_at(rest.len() - 2);
        use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
        ws.send(TMessage::Frame(Frame::message(
            a.to_vec(),
            OpCode::Data(Data::Text),
            false,
        )))
        .await
        .unwrap();
        ws.send(TMessage::Ping(b"mid".to_vec().into()))
            .await
            .unwrap();
        ws.send(TMessage::Frame(Frame::message(
            b.to_vec(),
            OpCode::Data(Data::Continue),
            false,
        )))
        .await
        .unwrap();
        ws.send(TMessage::Frame(Frame::message(
            c.to_vec(),
            OpCode::Data(Data::Continue),
            true,
        )))
        .await
        .unwrap();
        match ws.next().await.unwrap().unwrap() {
            TMessage::Pong(p) => assert_eq!(&p[..], b"mid"),
            other => panic!("expected the pong first, got {other:?}"),
        }
        assert_eq!(
            ws.next().await.unwrap().unwrap(),
            TMessage::text("fragmented €")
        );
        ws.close(None).await.unwrap();
        while ws.next().await.is_some() {}
        server.await.unwrap();
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn our_server_fails_invalid_utf8_from_tungstenite_with_1007() {
    tokio::time::timeout(LIMIT, async {
        let (port, server) = our_server(AcceptOptions::default(), echo).await;
        let (mut ws, _) = tokio_tungstenite::connect_async(request(port, None))
            .await
            .unwrap();
        use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
        ws.send(TMessage::Frame(Frame::message(
            vec![b'o', b'k', 0xc0, 0xaf],
            OpCode::Data(Data::Text),
            true,
        )))
        .await
        .unwrap();
        match ws.next().await.unwrap().unwrap() {
            TMessage::Close(Some(frame)) => assert_eq!(u16::from(frame.code), 1007),
            other => panic!("expected a Close 1007, got {other:?}"),
        }
        server.await.unwrap();
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn subprotocol_chosen_by_our_server_is_seen_by_tungstenite() {
    tokio::time::timeout(LIMIT, async {
        let options = AcceptOptions {
            handshake: ServerOptions {
                protocols: vec!["v2.chat".into(), "v1.chat".into()],
                ..ServerOptions::default()
            },
            ..AcceptOptions::default()
        };
        let (port, server) = our_server(options, |mut ws| async move {
            assert_eq!(ws.protocol(), Some("v2.chat"));
            ws.close(1000, "").await.unwrap();
            while ws.recv().await.is_some() {}
        })
        .await;
        let (mut ws, response) =
            tokio_tungstenite::connect_async(request(port, Some("v1.chat, v2.chat")))
                .await
                .unwrap();
        assert_eq!(
            response.headers()["sec-websocket-protocol"]
                .to_str()
                .unwrap(),
            "v2.chat"
        );
        match ws.next().await.unwrap().unwrap() {
            TMessage::Close(Some(frame)) => assert_eq!(u16::from(frame.code), 1000),
            other => panic!("expected our Close, got {other:?}"),
        }
        assert!(ws.next().await.is_none());
        server.await.unwrap();
    })
    .await
    .unwrap();
}

/// A tungstenite server on an ephemeral port: accepts one connection, echoes data messages and
/// ends after the close handshake; returns the Close frame it received.
#[allow(clippy::result_large_err)] // tungstenite's handshake callback returns its HTTP response
async fn tungstenite_server(
    protocol: Option<&'static str>,
) -> (u16, tokio::task::JoinHandle<Option<TCloseFrame>>) {
    use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Response};
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let callback = move |_: &Request<()>, mut response: Response| {
            if let Some(p) = protocol {
                response
                    .headers_mut()
                    .insert("Sec-WebSocket-Protocol", p.parse().unwrap());
            }
            Ok::<_, ErrorResponse>(response)
        };
        let mut ws = tokio_tungstenite::accept_hdr_async_with_config(
            stream,
            callback,
            Some(tungstenite_config()),
        )
        .await
        .unwrap();
        let mut close = None;
        while let Some(Ok(m)) = ws.next().await {
            match m {
                TMessage::Text(_) | TMessage::Binary(_) => ws.send(m).await.unwrap(),
                TMessage::Close(frame) => close = frame,
                _ => {}
            }
        }
        close
    });
    (port, task)
}

async fn our_client(port: u16, protocols: &[&str]) -> WebSocket<TcpStream> {
    let stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    stream.set_nodelay(true).unwrap();
    let options = ConnectOptions {
        handshake: ClientOptions {
            protocols: protocols.iter().map(|p| p.to_string()).collect(),
            ..ClientOptions::default()
        },
        config: big_config(),
    };
    connect_with(stream, &format!("ws://127.0.0.1:{port}/"), options)
        .await
        .unwrap()
}

#[tokio::test]
async fn our_client_against_tungstenite_server() {
    tokio::time::timeout(LIMIT, async {
        let (port, server) = tungstenite_server(Some("v1.chat")).await;
        let mut ws = our_client(port, &["v1.chat"]).await;
        assert_eq!(ws.protocol(), Some("v1.chat"));
        let big = pattern(5 << 20);
        let sent = vec![
            Message::text("héllo, wörld €"),
            Message::binary(vec![0u8, 1, 2, 255]),
            Message::text(""),
            Message::binary(Vec::new()),
            Message::binary(big.clone()),
            Message::text("y".repeat(70_000)),
        ];
        for m in &sent {
            ws.feed(m.clone()).await.unwrap();
        }
        ws.flush().await.unwrap();
        for m in &sent {
            assert_eq!(ws.recv().await.unwrap().unwrap(), *m);
        }
        // A message streamed in pieces arrives whole at tungstenite and comes back as one.
        let kind = MessageKind::Binary;
        ws.connection_mut().begin_message(kind, true).unwrap();
        ws.connection_mut().continue_message(&big[..1000]).unwrap();
        ws.connection_mut()
            .continue_message(&big[1000..5000])
            .unwrap();
        ws.connection_mut()
            .finish_message(&big[5000..9000])
            .unwrap();
        ws.flush().await.unwrap();
        assert_eq!(
            ws.recv().await.unwrap().unwrap(),
            Message::binary(big[..9000].to_vec())
        );
        ws.ping(b"hi").await.unwrap();
        assert_eq!(
            ws.recv().await.unwrap().unwrap(),
            Message::Pong(b"hi".to_vec())
        );
        ws.close(4001, "client done").await.unwrap();
        let mut seen_close = None;
        while let Some(item) = ws.recv().await {
            if let Message::Close(frame) = item.unwrap() {
                seen_close = frame;
            }
        }
        assert_eq!(
            seen_close,
            Some(CloseFrame {
                code: 4001,
                reason: "client done".into()
            })
        );
        let received = server.await.unwrap().expect("tungstenite got our Close");
        assert_eq!(u16::from(received.code), 4001);
        assert_eq!(received.reason.as_str(), "client done");
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn our_client_rejects_a_subprotocol_it_did_not_offer() {
    tokio::time::timeout(LIMIT, async {
        let (port, server) = tungstenite_server(Some("surprise")).await;
        let stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        let options = ConnectOptions {
            handshake: ClientOptions {
                protocols: vec!["v1.chat".into()],
                ..ClientOptions::default()
            },
            config: Config::default(),
        };
        let result = connect_with(stream, &format!("ws://127.0.0.1:{port}/"), options).await;
        let error = match result {
            Ok(_) => panic!("the handshake must fail"),
            Err(e) => e.to_string(),
        };
        assert!(error.contains("surprise"), "{error}");
        drop(server);
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn tungstenite_server_close_is_answered_by_our_client() {
    tokio::time::timeout(LIMIT, async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = tokio::spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            let mut ws = tokio_tungstenite::accept_async(stream).await.unwrap();
            ws.close(Some(TCloseFrame {
                code: TCloseCode::Away,
                reason: "shutting down".into(),
            }))
            .await
            .unwrap();
            // tungstenite ends the stream once our client echoed the Close.
            let mut rest = Vec::new();
            while let Some(m) = ws.next().await {
                rest.push(m.map_err(|e| e.to_string()));
            }
            rest
        });
        let mut ws = our_client(port, &[]).await;
        match ws.recv().await.unwrap().unwrap() {
            Message::Close(Some(frame)) => {
                assert_eq!(frame.code, 1001);
                assert_eq!(frame.reason, "shutting down");
            }
            other => panic!("expected tungstenite's Close, got {other:?}"),
        }
        assert!(ws.recv().await.is_none());
        let rest = server.await.unwrap();
        assert!(
            rest.iter()
                .all(|m| matches!(m, Ok(TMessage::Close(Some(f))) if u16::from(f.code) == 1001)),
            "{rest:?}"
        );
    })
    .await
    .unwrap();
}
