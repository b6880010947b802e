// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! What a connection reports to its driver, pulled with `Connection::next_event`.
//!
//! The order is the order things happened on the wire. A connection ends with exactly one
//! [`Event::Close`], always its last event; when the connection failed, an [`Event::Failed`]
//! comes before it.

use crate::error::Error;

/// One thing that happened on a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A whole text message (valid UTF-8).
    Text(String),
    /// A whole binary message.
    Binary(Vec<u8>),
    /// One frame of a text message, when `Config::frame_events` is on (Qt's
    /// `textFrameReceived(frame, isLastFrame)`). A code point cut between frames is carried
    /// over to the next fragment, so every fragment is valid UTF-8 on its own.
    TextFrame {
        /// The text of this frame.
        data: String,
        /// The last frame of the message.
        is_last: bool,
    },
    /// One frame of a binary message, when `Config::frame_events` is on.
    BinaryFrame {
        /// The payload of this frame.
        data: Vec<u8>,
        /// The last frame of the message.
        is_last: bool,
    },
    /// A Ping arrived (already answered when `Config::auto_pong` is on: the Pong is queued,
    /// and replaces the Pong for an earlier Ping if none of that one's bytes was written yet).
    Ping(Vec<u8>),
    /// A Pong arrived.
    Pong(Vec<u8>),
    /// The connection is closed as far as the WebSocket protocol goes: `code` and `reason` are
    /// those of the peer's Close frame (1005 when it had no code), or 1006 with an empty reason
    /// when no Close frame arrived (the transport ended, the connection failed or timed out).
    Close {
        /// The peer's close code (1005 for an empty Close, 1006 when there was no Close).
        code: u16,
        /// The peer's close reason.
        reason: String,
    },
    /// The connection failed: the error says why, and its `close_code()` is the code sent in
    /// this end's Close frame (nothing is sent for timeouts once a Close went out).
    Failed(Error),
}

impl Event {
    /// The buffer of a message or frame event, for `Connection::recycle_buffer` once the
    /// application is done with the data.
    pub fn into_buffer(self) -> Option<Vec<u8>> {
        match self {
            Event::Text(s) | Event::TextFrame { data: s, .. } => Some(s.into_bytes()),
            Event::Binary(v)
            | Event::BinaryFrame { data: v, .. }
            | Event::Ping(v)
            | Event::Pong(v) => Some(v),
            Event::Close { .. } | Event::Failed(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffers_come_back() {
        assert_eq!(Event::Text("ab".into()).into_buffer(), Some(b"ab".to_vec()));
        assert_eq!(
            Event::BinaryFrame {
                data: vec![1],
                is_last: false
            }
            .into_buffer(),
            Some(vec![1])
        );
        assert_eq!(Event::Failed(Error::InvalidUtf8).into_buffer(), None);
    }
}
