// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The client side: [`connect`] over TCP, [`connect_with`] over any stream.

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

use super::error::{Error, Result};
use super::stream::{HandshakeInfo, WebSocket, READ_BUFFER_SIZE};
use crate::config::Config;
use crate::connection::{Connection, Role};
use crate::handshake::{ClientHandshake, ClientOptions, HandshakeError, WsUrl};

/// How a client connects: the handshake (origin, subprotocols, extensions, headers, limits)
/// and the connection's settings.
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    /// What the opening handshake asks for.
    pub handshake: ClientOptions,
    /// The connection's limits, keepalive and timeouts.
    pub config: Config,
}

/// Connects to a `ws://` URL over TCP (with `TCP_NODELAY`) with default options. For
/// `wss://`, open a TLS stream yourself and use [`connect_with`] (the Qt face does TLS
/// with `QSslSocket`).
pub async fn connect(url: &str) -> Result<WebSocket<TcpStream>> {
    let parsed = WsUrl::parse(url).map_err(HandshakeError::from)?;
    if parsed.secure {
        return Err(Error::UnsupportedUrl(format!(
            "{url}: connect() speaks plain TCP; pass a TLS stream to connect_with()"
        )));
    }
    let stream = TcpStream::connect((parsed.host.as_str(), parsed.port)).await?;
    stream.set_nodelay(true)?;
    connect_with(stream, url, ConnectOptions::default()).await
}

/// Runs the client handshake for `url` over `stream` (already connected, TLS already done
/// for `wss://`), then returns the open WebSocket. Bytes the server sent right after its
/// response are kept for the connection.
pub async fn connect_with<S>(
    mut stream: S,
    url: &str,
    options: ConnectOptions,
) -> Result<WebSocket<S>>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let (mut handshake, request) = ClientHandshake::new(url, options.handshake)?;
    stream.write_all(&request).await?;
    stream.flush().await?;
    let mut buf = vec![0u8; READ_BUFFER_SIZE].into_boxed_slice();
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Err(Error::Io(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the server closed the connection during the handshake",
            )));
        }
        if let Some((accepted, used)) = handshake.receive(&buf[..n])? {
            let conn =
                Connection::with_extensions(Role::Client, options.config, accepted.extensions);
            let info = HandshakeInfo {
                protocol: accepted.protocol,
                request: None,
                response_headers: accepted.headers,
            };
            return Ok(WebSocket::from_parts(stream, conn, buf, used..n, info));
        }
    }
}
