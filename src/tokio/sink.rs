// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! `Stream` and `Sink` for [`WebSocket`], so the combinators of the futures ecosystem work
//! (`StreamExt::next`, `SinkExt::send`, `forward`, `split` into halves for two tasks).
//!
//! The stream yields what [`WebSocket::recv`] returns. The sink queues each message
//! ([`WebSocket::feed`] semantics): `poll_ready` writes the queue out once it holds
//! [`WRITE_HIGH_WATER`] bytes, `poll_flush` writes everything, and `poll_close` sends a Close
//! (1000) unless one was sent, then flushes; the close handshake itself finishes as the stream
//! is read to its end.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_sink::Sink;
use tokio::io::{AsyncRead, AsyncWrite};

use super::error::{Error, Result};
use super::message::Message;
use super::stream::{WebSocket, WRITE_HIGH_WATER};
use crate::connection::State;

impl<S> Stream for WebSocket<S>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    type Item = Result<Message>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_recv(cx)
    }
}

impl<S> Sink<Message> for WebSocket<S>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    type Error = Error;

    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let this = self.get_mut();
        if this.pending() >= WRITE_HIGH_WATER {
            return this.poll_flush_out(cx);
        }
        Poll::Ready(Ok(()))
    }

    fn start_send(self: Pin<&mut Self>, item: Message) -> Result<()> {
        self.get_mut().queue(item)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        self.get_mut().poll_flush_out(cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let this = self.get_mut();
        if this.state() == State::Open {
            // Refused only when a Close already went out: then there is nothing to add.
            let _ = this.connection_mut().close(1000u16, "");
        }
        if this.pending() == 0 {
            return Poll::Ready(Ok(()));
        }
        this.poll_flush_out(cx)
    }
}
