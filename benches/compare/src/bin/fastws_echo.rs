// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! fastwebsockets echo server, shaped like its own `echo_server` example (FragmentCollector,
//! `unconstrained` task, echo text and binary frames), on a single-threaded runtime. The HTTP
//! upgrade is done by a raw handshake instead of hyper (not measured). Usage:
//! `fastws_echo --port N`.

use fastwebsockets::{FragmentCollector, OpCode, Role, WebSocket, WebSocketError};
use tokio::net::{TcpListener, TcpStream};

async fn serve(mut stream: TcpStream) -> Result<(), WebSocketError> {
    let _ = stream.set_nodelay(true);
    rswebsockets_compare::raw_server_handshake(&mut stream).await?;
    let mut ws = WebSocket::after_handshake(stream, Role::Server);
    ws.set_max_message_size(64 << 20);
    let mut ws = FragmentCollector::new(ws);
    loop {
        let frame = ws.read_frame().await?;
        match frame.opcode {
            OpCode::Close => break,
            OpCode::Text | OpCode::Binary => ws.write_frame(frame).await?,
            _ => {}
        }
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let listener = TcpListener::bind(("127.0.0.1", rswebsockets_compare::port())).await?;
    loop {
        let (stream, _) = listener.accept().await?;
        tokio::spawn(async move {
            if let Err(e) = tokio::task::unconstrained(serve(stream)).await {
                if !matches!(
                    e,
                    WebSocketError::UnexpectedEOF | WebSocketError::ConnectionClosed
                ) {
                    eprintln!("connection: {e}");
                }
            }
        });
    }
}
