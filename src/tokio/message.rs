// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The messages a tokio [`super::WebSocket`] receives and sends.

use crate::event::Event;

/// A Close frame's code and reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseFrame {
    /// The close code (1005 when the peer's Close carried none).
    pub code: u16,
    /// The reason, possibly empty.
    pub reason: String,
}

/// One WebSocket message (or control frame, or fragment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A whole text message.
    Text(String),
    /// A whole binary message.
    Binary(Vec<u8>),
    /// One frame of a text message. Received only with `Config::frame_events` on; sent with
    /// the engine's streaming API (`begin_message` / `continue_message` / `finish_message`),
    /// so other messages may not start before the piece with `is_last` went out.
    TextFrame {
        /// The text of this piece.
        data: String,
        /// The last piece of the message.
        is_last: bool,
    },
    /// One frame of a binary message (see [`Message::TextFrame`]).
    BinaryFrame {
        /// The payload of this piece.
        data: Vec<u8>,
        /// The last piece of the message.
        is_last: bool,
    },
    /// A Ping (received ones are answered automatically unless `Config::auto_pong` is off).
    Ping(Vec<u8>),
    /// A Pong.
    Pong(Vec<u8>),
    /// The peer's Close (received), or a Close to send (`None` sends 1000 with no reason).
    Close(Option<CloseFrame>),
}

impl Message {
    /// A text message.
    pub fn text(text: impl Into<String>) -> Self {
        Message::Text(text.into())
    }

    /// A binary message.
    pub fn binary(data: impl Into<Vec<u8>>) -> Self {
        Message::Binary(data.into())
    }

    /// True for text and binary messages (whole or fragments).
    pub fn is_data(&self) -> bool {
        matches!(
            self,
            Message::Text(_)
                | Message::Binary(_)
                | Message::TextFrame { .. }
                | Message::BinaryFrame { .. }
        )
    }

    /// The payload as bytes (the reason for a Close).
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Message::Text(s) | Message::TextFrame { data: s, .. } => s.as_bytes(),
            Message::Binary(v) | Message::BinaryFrame { data: v, .. } => v,
            Message::Ping(v) | Message::Pong(v) => v,
            Message::Close(c) => c.as_ref().map_or(&[][..], |c| c.reason.as_bytes()),
        }
    }

    /// The message for an engine event; `Event::Failed` and `Event::Close` come back as
    /// `Err`, the socket turns them into errors and the peer's Close itself.
    pub(crate) fn from_event(event: Event) -> Result<Message, Event> {
        Ok(match event {
            Event::Text(s) => Message::Text(s),
            Event::Binary(v) => Message::Binary(v),
            Event::TextFrame { data, is_last } => Message::TextFrame { data, is_last },
            Event::BinaryFrame { data, is_last } => Message::BinaryFrame { data, is_last },
            Event::Ping(v) => Message::Ping(v),
            Event::Pong(v) => Message::Pong(v),
            other => return Err(other),
        })
    }
}

impl From<String> for Message {
    fn from(s: String) -> Self {
        Message::Text(s)
    }
}

impl From<&str> for Message {
    fn from(s: &str) -> Self {
        Message::Text(s.to_owned())
    }
}

impl From<Vec<u8>> for Message {
    fn from(v: Vec<u8>) -> Self {
        Message::Binary(v)
    }
}

impl From<&[u8]> for Message {
    fn from(v: &[u8]) -> Self {
        Message::Binary(v.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructors_and_payloads() {
        assert_eq!(Message::text("hi"), Message::Text("hi".into()));
        assert_eq!(Message::from(&b"\x01"[..]), Message::Binary(vec![1]));
        assert_eq!(Message::from("a").as_bytes(), b"a");
        assert!(Message::binary(vec![1]).is_data());
        assert!(!Message::Ping(vec![]).is_data());
        let close = Message::Close(Some(CloseFrame {
            code: 1000,
            reason: "bye".into(),
        }));
        assert_eq!(close.as_bytes(), b"bye");
        assert_eq!(Message::Close(None).as_bytes(), b"");
    }

    #[test]
    fn events_map_to_messages() {
        assert_eq!(
            Message::from_event(Event::Binary(vec![7])),
            Ok(Message::Binary(vec![7]))
        );
        assert_eq!(
            Message::from_event(Event::TextFrame {
                data: "x".into(),
                is_last: false
            }),
            Ok(Message::TextFrame {
                data: "x".into(),
                is_last: false
            })
        );
        let close = Event::Close {
            code: 1000,
            reason: String::new(),
        };
        assert_eq!(Message::from_event(close.clone()), Err(close));
    }
}
