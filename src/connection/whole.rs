// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The common case in one go: a whole message in one frame (FIN set, no reserved bit, a text
//! or binary opcode, masked as the role requires, a 7- or 16-bit length within the limits)
//! lying complete in the input while no message is in progress. Such a frame passes every
//! check of the general path by construction of the test below, so it is decoded straight
//! into its event without the general path's per-frame state (the header kept across
//! inputs, the frame in progress, the incremental UTF-8 state). Anything else — control
//! frames, fragments, frames cut by the input, reserved bits, extensions, frame events
//! together with message events, errors of any kind — is left to the general path, which
//! reports it exactly as before. With frame events instead of message events (how the Qt
//! face reads), the event is the message's one frame event, marked last.

use super::{Connection, Role};
use crate::event::Event;
use crate::message::MessageKind;

/// FIN and the text opcode, nothing else: the first byte of a whole unextended text message.
const WHOLE_TEXT: u8 = 0x81;
/// FIN and the binary opcode.
const WHOLE_BINARY: u8 = 0x82;
const MASK_BIT: u8 = 0x80;

impl Connection {
    /// Decodes a whole one-frame message at the start of `data` into the event queue;
    /// returns the bytes used, or 0 when the general path is to read what is there (see the
    /// module documentation).
    #[inline]
    pub(super) fn receive_whole_frame(&mut self, data: &[u8]) -> usize {
        match self.whole_frame_event(data) {
            Some((used, event)) => {
                self.events.push_back(event);
                used
            }
            None => 0,
        }
    }

    /// [`Connection::receive_whole_frame`] handing the event back instead of queueing it:
    /// the bytes used and the event, or `None` (nothing used) for the general path.
    #[inline]
    pub(super) fn whole_frame_event(&mut self, data: &[u8]) -> Option<(usize, Event)> {
        if self.frame.is_some()
            || self.header_len != 0
            || self.assembler.kind().is_some()
            || !self.extensions.is_empty()
            // One event per message, either the message or its one frame (both on would
            // copy it, both off hands nothing out).
            || self.config.frame_events == self.config.message_events
        {
            return None;
        }
        let [b0, b1, ..] = *data else {
            return None;
        };
        let kind = match b0 {
            WHOLE_TEXT => MessageKind::Text,
            WHOLE_BINARY => MessageKind::Binary,
            _ => return None,
        };
        let masked = b1 & MASK_BIT != 0;
        if masked != (self.role == Role::Server) {
            return None;
        }
        let (len, mut pos) = match b1 & 0x7F {
            127 => return None,
            126 => match data.get(2..4) {
                Some(&[hi, lo]) => (usize::from(u16::from_be_bytes([hi, lo])), 4),
                _ => return None,
            },
            n => (usize::from(n), 2),
        };
        if len > self.config.max_frame_size || len > self.config.max_message_size {
            return None;
        }
        let mask = if masked {
            let &[k0, k1, k2, k3] = data.get(pos..pos + 4)? else {
                return None;
            };
            pos += 4;
            Some([k0, k1, k2, k3])
        } else {
            None
        };
        let payload = data.get(pos..pos + len)?;
        let as_frame = self.config.frame_events;
        let event = self
            .assembler
            .whole_message(kind, payload, mask, as_frame)?;
        Some((pos + len, event))
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::connection::{Connection, Role};
    use crate::event::Event;
    use crate::protocol::CloseCode;

    fn masked(first: u8, payload: &[u8]) -> Vec<u8> {
        let key = [0x37, 0xfa, 0x21, 0x3d];
        let mut out = vec![first];
        if payload.len() < 126 {
            out.push(0x80 | payload.len() as u8);
        } else {
            out.push(0x80 | 126);
            out.extend_from_slice(&(payload.len() as u16).to_be_bytes());
        }
        out.extend_from_slice(&key);
        out.extend(payload.iter().enumerate().map(|(i, b)| b ^ key[i % 4]));
        out
    }

    #[test]
    fn whole_frames_become_events_and_use_exactly_their_bytes() {
        let mut s = Connection::new(Role::Server, Config::default());
        let mut input = masked(0x81, b"Hello");
        input.extend(masked(0x82, &[7u8; 300]));
        let first = s.receive_whole_frame(&input);
        assert_eq!(first, 2 + 4 + 5);
        assert_eq!(s.receive_whole_frame(&input[first..]), 4 + 4 + 300);
        assert_eq!(s.next_event(), Some(Event::Text("Hello".into())));
        assert_eq!(s.next_event(), Some(Event::Binary(vec![7u8; 300])));
    }

    #[test]
    fn the_rfc_unmasked_hello_reaches_a_client() {
        let mut c = Connection::new(Role::Client, Config::default());
        let bytes = [0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f];
        assert_eq!(c.receive_whole_frame(&bytes), bytes.len());
        assert_eq!(c.next_event(), Some(Event::Text("Hello".into())));
    }

    #[test]
    fn everything_else_is_left_to_the_general_path() {
        let s = || Connection::new(Role::Server, Config::default());
        let hello = masked(0x81, b"Hello");
        // Cut anywhere: header, key or payload.
        for cut in 0..hello.len() {
            assert_eq!(s().receive_whole_frame(&hello[..cut]), 0, "cut at {cut}");
        }
        // Not FIN, reserved bits, continuation, control, reserved opcode, 64-bit length.
        for first in [0x01, 0x02, 0xC1, 0x91, 0x80, 0x89, 0x88, 0x83] {
            assert_eq!(
                s().receive_whole_frame(&masked(first, b"x")),
                0,
                "{first:#x}"
            );
        }
        let mut long = masked(0x82, b"");
        long[1] = 0x80 | 127;
        long.extend_from_slice(&[0; 8]);
        assert_eq!(s().receive_whole_frame(&long), 0);
        // Unmasked to a server, masked to a client.
        assert_eq!(s().receive_whole_frame(&[0x81, 1, b'x']), 0);
        let mut c = Connection::new(Role::Client, Config::default());
        assert_eq!(c.receive_whole_frame(&hello), 0);
        // Over a limit.
        let mut small = Connection::new(
            Role::Server,
            Config {
                max_message_size: 4,
                ..Config::default()
            },
        );
        assert_eq!(small.receive_whole_frame(&hello), 0);
        // Frame events asked for together with message events.
        let mut frames = Connection::new(
            Role::Server,
            Config {
                frame_events: true,
                ..Config::default()
            },
        );
        assert_eq!(frames.receive_whole_frame(&hello), 0);
        // A message in progress: a new one is a protocol error for the general path.
        let mut busy = s();
        busy.receive_data(&masked(0x01, b"He"));
        assert_eq!(busy.receive_whole_frame(&hello), 0);
    }

    #[test]
    fn with_frame_events_only_a_whole_message_is_its_one_last_frame() {
        let config = Config {
            frame_events: true,
            message_events: false,
            ..Config::default()
        };
        let mut input = masked(0x81, b"Hello");
        input.extend(masked(0x82, &[7u8; 300]));
        let mut fast = Connection::new(Role::Server, config.clone());
        let first = fast.receive_whole_frame(&input);
        assert_eq!(first, 2 + 4 + 5);
        assert_eq!(fast.receive_whole_frame(&input[first..]), 4 + 4 + 300);
        let fast: Vec<Event> = fast.events().collect();
        assert_eq!(
            fast,
            [
                Event::TextFrame {
                    data: "Hello".into(),
                    is_last: true
                },
                Event::BinaryFrame {
                    data: vec![7u8; 300],
                    is_last: true
                }
            ]
        );
        // The general path (bytes one at a time) gives the same events.
        let mut general = Connection::new(Role::Server, config);
        for b in &input {
            general.receive_data(std::slice::from_ref(b));
        }
        assert_eq!(general.events().collect::<Vec<_>>(), fast);
    }

    #[test]
    fn invalid_text_fails_with_1007_through_the_general_path() {
        let mut s = Connection::new(Role::Server, Config::default());
        let bad = masked(0x81, &[b'a', 0xff, b'b']);
        assert_eq!(s.receive_whole_frame(&bad), 0);
        assert!(!s.has_events());
        s.receive_data(&bad);
        match s.next_event() {
            Some(Event::Failed(e)) => {
                assert_eq!(e.close_code(), CloseCode::WrongDatatype)
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn a_message_over_the_limit_still_fails_with_1009() {
        let mut s = Connection::new(
            Role::Server,
            Config {
                max_message_size: 4,
                ..Config::default()
            },
        );
        s.receive_data(&masked(0x81, b"Hello"));
        match s.next_event() {
            Some(Event::Failed(e)) => {
                assert_eq!(e.close_code(), CloseCode::TooMuchData)
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
