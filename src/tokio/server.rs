// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The server side: [`accept`] and [`accept_with`] over any stream.

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::error::{Error, Result};
use super::stream::{HandshakeInfo, WebSocket, READ_BUFFER_SIZE};
use crate::config::Config;
use crate::connection::{Connection, Role};
use crate::handshake::{HandshakeError, ServerHandshake, ServerOptions};

/// How a server accepts: the handshake (origin policy, subprotocols, extensions, limits),
/// extra response headers and the connection's settings.
#[derive(Debug, Clone, Default)]
pub struct AcceptOptions {
    /// What the opening handshake accepts.
    pub handshake: ServerOptions,
    /// Headers added to the `101` response (e.g. `Set-Cookie`).
    pub response_headers: Vec<(String, String)>,
    /// The connection's limits, keepalive and timeouts.
    pub config: Config,
}

/// Runs the server handshake over `stream` with default options (any origin, no
/// subprotocol, no extension).
pub async fn accept<S>(stream: S) -> Result<WebSocket<S>>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    accept_with(stream, AcceptOptions::default()).await
}

/// Runs the server handshake over `stream`: reads and checks the request, answers `101`
/// and returns the open WebSocket (its [`WebSocket::request`] is the client's request). A
/// bad request gets its rejection (400, 403, 426, …) written before the error returns.
/// Bound the time a client may take with `tokio::time::timeout`.
pub async fn accept_with<S>(mut stream: S, options: AcceptOptions) -> Result<WebSocket<S>>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut handshake = ServerHandshake::new(options.handshake);
    let mut buf = vec![0u8; READ_BUFFER_SIZE].into_boxed_slice();
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Err(Error::Io(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the client closed the connection during the handshake",
            )));
        }
        let received = handshake.receive(&buf[..n]);
        let (request, used) = match received {
            Ok(None) => continue,
            Ok(Some(r)) => r,
            Err(e) => return Err(reject(&mut stream, &mut handshake, e).await),
        };
        let accepted = match handshake.accept(&options.response_headers) {
            Ok(a) => a,
            Err(e) => return Err(reject(&mut stream, &mut handshake, e).await),
        };
        stream.write_all(&accepted.response).await?;
        stream.flush().await?;
        let conn = Connection::with_extensions(Role::Server, options.config, accepted.extensions);
        let info = HandshakeInfo {
            protocol: accepted.protocol,
            request: Some(request),
            response_headers: Vec::new(),
        };
        return Ok(WebSocket::from_parts(stream, conn, buf, used..n, info));
    }
}

/// Writes the rejection for `error` and shuts the stream down.
async fn reject<S>(stream: &mut S, handshake: &mut ServerHandshake, error: HandshakeError) -> Error
where
    S: AsyncWrite + Unpin,
{
    let response = handshake.reject(&error);
    // The client may already be gone; the handshake error is what matters.
    if stream.write_all(&response).await.is_ok() {
        let _ = stream.shutdown().await;
    }
    Error::Handshake(error)
}
