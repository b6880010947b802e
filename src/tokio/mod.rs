// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! An async WebSocket client and server on tokio (feature `tokio`, on by default), driving the
//! sans-I/O [`Connection`](crate::Connection) and [`handshake`](crate::handshake) over any
//! `AsyncRead + AsyncWrite` stream.
//!
//! ```no_run
//! use rswebsockets::tokio::{connect, Message};
//!
//! # async fn run() -> rswebsockets::tokio::Result<()> {
//! let mut ws = connect("ws://127.0.0.1:9001/chat").await?;
//! ws.send(Message::text("hello")).await?;
//! while let Some(message) = ws.recv().await {
//!     match message? {
//!         Message::Text(text) => {
//!             println!("{text}");
//!             ws.close(1000, "bye").await?;
//!         }
//!         Message::Close(frame) => println!("closed: {frame:?}"),
//!         _ => {}
//!     }
//! }
//! # Ok(())
//! # }
//! ```
//!
//! [`WebSocket`] is also a `futures` `Stream` of messages and a `Sink` for them.
//!
//! A server accepts each TCP connection with [`accept`] (or [`accept_with`] for origin checks,
//! subprotocols, extensions and limits); `examples/echo_server.rs` is a complete one.

mod client;
mod error;
mod message;
mod server;
mod sink;
mod stream;

pub use client::{connect, connect_with, ConnectOptions};
pub use error::{Error, Result};
pub use message::{CloseFrame, Message};
pub use server::{accept, accept_with, AcceptOptions};
pub use stream::{WebSocket, READ_BUDGET, READ_BUFFER_SIZE, WRITE_HIGH_WATER};
