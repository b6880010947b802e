// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! External input: the transport reads a large one-frame message straight into memory of its
//! own (the buffer it hands to the application, e.g. a `QByteArray`), so the message is never
//! copied out of the engine's message buffer ([`Connection::external_input`],
//! [`Connection::commit_external`]).
//!
//! Where [`Connection::input_buffer`] offers space in the engine's message buffer, a driver may
//! instead ask [`Connection::external_input`]: for a frame that is a whole message (FIN, a Text
//! or Binary opcode, no extension transforming it) it gives the payload's length and how much
//! of it the engine already holds ([`Connection::external_prefix`], unmasked and checked). The
//! driver allocates the message once, copies that prefix to its start, reads the rest into it
//! and gives each read to [`Connection::commit_external`], which unmasks it in place, checks
//! it (UTF-8 for text, incrementally: 1007 at the first bad byte, as on the other paths) and
//! says when the message is complete. A complete message produces no event: it is the
//! driver's. Failures are reported as always ([`Event::Failed`](crate::Event::Failed), the
//! Close queued).
//!
//! ```
//! use rswebsockets::{Config, Connection, Event, Role};
//!
//! let mut client = Connection::new(Role::Client, Config::default());
//! let mut server = Connection::new(Role::Server, Config::default());
//! let sent: Vec<u8> = (0..100_000u32).map(|i| i as u8).collect();
//! client.send_binary(&sent).unwrap();
//! let wire = client.take_outgoing();
//!
//! // The driver's first read brought the header and a little of the payload.
//! let used = server.receive_data_until_event(&wire[..1000]);
//! assert_eq!(used, 1000);
//! let info = server.external_input().expect("a large one-frame message");
//! let mut message = vec![0u8; info.len as usize]; // the application's buffer
//! let have = info.received as usize;
//! message[..have].copy_from_slice(server.external_prefix());
//! // Later reads go straight into `message` (here: copied from `wire` in two pieces).
//! let (first, rest) = wire[1000..].split_at(30_000);
//! message[have..have + first.len()].copy_from_slice(first);
//! assert_eq!(server.commit_external(&mut message[have..have + first.len()]), Ok(false));
//! let at = have + first.len();
//! message[at..].copy_from_slice(rest);
//! assert_eq!(server.commit_external(&mut message[at..]), Ok(true)); // complete
//! assert_eq!(message, sent);
//! assert_eq!(server.next_event(), None); // the message is the driver's
//! ```

use super::{Connection, State};
use crate::error::Error;
use crate::mask::apply_mask;
use crate::message::MessageKind;
use crate::protocol::OpCode;

use super::direct::DIRECT_INPUT_MIN;

/// A one-frame message whose payload the transport may read into its own memory (see the
/// module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExternalMessage {
    /// Its type.
    pub kind: MessageKind,
    /// The payload length (the frame's, which is the message's).
    pub len: u64,
    /// Bytes of the payload received so far: before the first
    /// [`Connection::commit_external`], those the engine holds
    /// ([`Connection::external_prefix`]); the next bytes read go at this offset.
    pub received: u64,
}

impl Connection {
    /// The message whose payload may be read into the caller's memory now, if any: `Some` while
    /// inside the payload of a frame that is a whole message (FIN set, Text or Binary opcode)
    /// and that no extension transforms, with at least [`DIRECT_INPUT_MIN`] bytes of it still to
    /// come, while no event waits to be handed out; and, once [`Connection::commit_external`]
    /// took a first piece, until the message is complete (the rest must then go through
    /// `commit_external`: [`Connection::receive_data`] fails the connection there).
    ///
    /// The frame and message size limits were checked on the frame's header already (1009
    /// before any of its payload is kept).
    pub fn external_input(&self) -> Option<ExternalMessage> {
        if self.state == State::Connecting || self.discard_input {
            return None;
        }
        let frame = self.frame.as_ref()?;
        let kind = match frame.header.opcode {
            OpCode::Text => MessageKind::Text,
            OpCode::Binary => MessageKind::Binary,
            _ => return None,
        };
        if !self.assembler.is_external() {
            let remaining = frame.header.payload_len - frame.received;
            if !frame.header.fin
                || frame.via_extensions
                || !self.events.is_empty()
                || remaining < DIRECT_INPUT_MIN as u64
            {
                return None;
            }
        }
        Some(ExternalMessage {
            kind,
            len: frame.header.payload_len,
            received: frame.received,
        })
    }

    /// The payload bytes the engine received before the message went external: the first
    /// [`ExternalMessage::received`] bytes of the message, unmasked and checked. Copy them to
    /// the start of the caller's memory before the first [`Connection::commit_external`] (which
    /// drops them). Empty when [`Connection::external_input`] is `None` or the message already
    /// went external.
    pub fn external_prefix(&self) -> &[u8] {
        match self.external_input() {
            Some(_) if !self.assembler.is_external() => self.assembler.held(),
            _ => &[],
        }
    }

    /// `data`, the next payload bytes of the message [`Connection::external_input`] describes,
    /// were read into the caller's memory (at [`ExternalMessage::received`]): unmasks them in
    /// place and checks them. Returns `Ok(true)` when they complete the message (now wholly in
    /// the caller's memory; no event reports it), `Ok(false)` when more is to come or the
    /// connection failed on them (then [`Event::Failed`](crate::Event::Failed) reports why,
    /// e.g. [`Error::InvalidUtf8`] with 1007 at the first bad byte, and the rest of the message
    /// is not wanted). The first call, even with no bytes, makes the message external: the
    /// engine drops the prefix it held.
    ///
    /// Fails with [`Error::InvalidState`] (and changes nothing) when no message can be read
    /// externally now or `data` is longer than the rest of its payload.
    pub fn commit_external(&mut self, data: &mut [u8]) -> Result<bool, Error> {
        let info = self.external_input().ok_or(Error::InvalidState(
            "no message is being read into external memory",
        ))?;
        if data.len() as u64 > info.len - info.received {
            return Err(Error::InvalidState("more bytes than the message has left"));
        }
        if !self.assembler.is_external() {
            self.assembler.begin_external();
        }
        let Some(frame) = self.frame.as_mut() else {
            return Ok(false); // `external_input` saw a frame
        };
        if let Some(key) = frame.header.mask {
            apply_mask(data, key, (frame.received & 3) as usize);
        }
        frame.received += data.len() as u64;
        let done = frame.received == frame.header.payload_len;
        if let Err(error) = self.assembler.commit_external(data) {
            self.fail(error);
            return Ok(false);
        }
        if !done {
            return Ok(false);
        }
        self.frame = None;
        match self.assembler.finish_external() {
            Ok(()) => Ok(true),
            Err(error) => {
                self.fail(error);
                Ok(false)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::connection::Role;
    use crate::event::Event;
    use crate::frame::{write_frame, FrameHeader};

    fn wire(role: Role, opcode: OpCode, fin: bool, payload: &[u8]) -> Vec<u8> {
        let mask = (role == Role::Server).then_some([0xA1, 0x52, 0x07, 0xFE]);
        let mut out = Vec::new();
        write_frame(
            &mut out,
            &FrameHeader::new(fin, opcode, mask, payload.len() as u64),
            payload,
        );
        out
    }

    fn payload(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 31 + i / 7) as u8).collect()
    }

    /// Reads `wire` (one frame) into a connection in `role`: the first `split` bytes through
    /// `receive_data_until_event`, then externally in pieces of `piece` bytes. Returns the
    /// message and what each commit answered.
    fn read_external(
        conn: &mut Connection,
        wire: &[u8],
        split: usize,
        piece: usize,
    ) -> (Vec<u8>, Vec<bool>) {
        assert_eq!(conn.receive_data_until_event(&wire[..split]), split);
        let info = conn.external_input().expect("external input offered");
        let mut message = vec![0u8; info.len as usize];
        let have = info.received as usize;
        assert_eq!(conn.external_prefix().len(), have);
        message[..have].copy_from_slice(conn.external_prefix());
        let header_len = split - have;
        let mut at = have;
        let mut answers = Vec::new();
        while at < message.len() || answers.is_empty() {
            let n = piece.min(message.len() - at);
            message[at..at + n].copy_from_slice(&wire[header_len + at..header_len + at + n]);
            answers.push(conn.commit_external(&mut message[at..at + n]).unwrap());
            at += n;
            if conn.error().is_some() {
                break;
            }
        }
        (message, answers)
    }

    #[test]
    fn masked_and_unmasked_input_split_at_every_position_arrives_whole() {
        let data = payload(DIRECT_INPUT_MIN + 37);
        for role in [Role::Server, Role::Client] {
            let frame = wire(role, OpCode::Binary, true, &data);
            let header_len = frame.len() - data.len();
            // Every split of the prefix that leaves at least DIRECT_INPUT_MIN to come.
            for split in header_len..=header_len + 37 {
                for piece in [1, 3, 4096, usize::MAX] {
                    let mut conn = Connection::new(role, Config::default());
                    let (message, answers) = read_external(&mut conn, &frame, split, piece);
                    assert_eq!(message, data, "{role:?} split {split} piece {piece}");
                    assert_eq!(answers.last(), Some(&true));
                    assert!(answers[..answers.len() - 1].iter().all(|a| !a));
                    assert!(!conn.has_events());
                    assert!(conn.external_input().is_none());
                }
            }
        }
    }

    #[test]
    fn the_next_messages_arrive_as_usual() {
        let data = payload(3 * DIRECT_INPUT_MIN);
        let mut input = wire(Role::Server, OpCode::Binary, true, &data);
        input.extend(wire(Role::Server, OpCode::Text, true, b"after"));
        input.extend(wire(Role::Server, OpCode::Binary, true, &data));
        let mut s = Connection::new(Role::Server, Config::default());
        let first_len = wire(Role::Server, OpCode::Binary, true, &data).len();
        let (message, _) = read_external(&mut s, &input[..first_len], 100, 5000);
        assert_eq!(message, data);
        s.receive_data(&input[first_len..]);
        assert_eq!(s.next_event(), Some(Event::Text("after".into())));
        assert_eq!(s.next_event(), Some(Event::Binary(data)));
    }

    #[test]
    fn not_offered_for_fragments_small_frames_extensions_or_while_events_wait() {
        let big = payload(2 * DIRECT_INPUT_MIN);
        let mut s = Connection::new(Role::Server, Config::default());
        assert!(s.external_input().is_none());
        s.receive_data(&wire(Role::Server, OpCode::Binary, false, &big)[..100]);
        assert!(s.external_input().is_none(), "not FIN: a fragment");
        assert!(s.external_prefix().is_empty());
        let mut s = Connection::new(Role::Server, Config::default());
        s.receive_data(
            &wire(
                Role::Server,
                OpCode::Binary,
                true,
                &big[..DIRECT_INPUT_MIN - 1],
            )[..20],
        );
        assert!(
            s.external_input().is_none(),
            "less than the minimum to come"
        );
        let mut s = Connection::new(Role::Server, Config::default());
        s.receive_data(&wire(Role::Server, OpCode::Ping, true, b"p"));
        s.receive_data(&wire(Role::Server, OpCode::Binary, true, &big)[..100]);
        assert!(s.external_input().is_none(), "an event waits");
        s.next_event();
        assert!(s.external_input().is_some());
        assert_eq!(
            s.commit_external(&mut vec![0; 2 * DIRECT_INPUT_MIN]),
            Err(Error::InvalidState("more bytes than the message has left"))
        );
        assert!(
            !s.assembler.is_external(),
            "a refused commit changes nothing"
        );
    }

    #[test]
    fn direct_input_and_receive_data_step_aside_once_external() {
        let big = payload(2 * DIRECT_INPUT_MIN);
        let frame = wire(Role::Server, OpCode::Binary, true, &big);
        let mut s = Connection::new(Role::Server, Config::default());
        s.receive_data(&frame[..10]);
        assert!(s.input_buffer().is_some());
        assert_eq!(s.commit_external(&mut []), Ok(false));
        assert!(s.input_buffer().is_none());
        assert!(s.external_prefix().is_empty());
        assert!(s.external_input().is_some());
        // Payload bytes given the usual way now are a misuse: the connection fails.
        s.receive_data(&frame[10..20]);
        assert!(matches!(
            s.next_event(),
            Some(Event::Failed(Error::InvalidState(_)))
        ));
        assert_eq!(
            s.commit_external(&mut [0]),
            Err(Error::InvalidState(
                "no message is being read into external memory"
            ))
        );
    }

    #[test]
    fn invalid_utf8_fails_with_1007_in_the_piece_holding_the_first_bad_byte() {
        let mut text = "ü".repeat(DIRECT_INPUT_MIN).into_bytes();
        let bad = DIRECT_INPUT_MIN + 101;
        text[bad] = 0xFF;
        let frame = wire(Role::Server, OpCode::Text, true, &text);
        for piece in [1, 2, 3, 7, 1000] {
            let mut s = Connection::new(Role::Server, Config::default());
            let (message, answers) = read_external(&mut s, &frame, 50, piece);
            assert_eq!(s.error(), Some(&Error::InvalidUtf8), "piece {piece}");
            let header_len = frame.len() - text.len();
            let pieces_before = (bad - (50 - header_len)) / piece;
            assert_eq!(answers.len(), pieces_before + 1, "piece {piece}");
            assert!(answers.iter().all(|a| !a));
            assert_eq!(message[..bad], text[..bad]);
            assert_eq!(s.next_event(), Some(Event::Failed(Error::InvalidUtf8)));
            let out = s.outgoing();
            assert_eq!((out[0], out[2], out[3]), (0x88, 0x03, 0xEF)); // Close 1007
            assert!(s.external_input().is_none());
        }
        // Text ending inside a code point fails at the end.
        let mut text = "a".repeat(DIRECT_INPUT_MIN + 10).into_bytes();
        text.extend_from_slice(&"€".as_bytes()[..2]);
        let frame = wire(Role::Server, OpCode::Text, true, &text);
        let mut s = Connection::new(Role::Server, Config::default());
        let (_, answers) = read_external(&mut s, &frame, 8, 4096);
        assert_eq!(answers.last(), Some(&false));
        assert_eq!(s.error(), Some(&Error::InvalidUtf8));
        // Valid text split inside code points is fine.
        let text = "€ü".repeat(DIRECT_INPUT_MIN);
        let frame = wire(Role::Server, OpCode::Text, true, text.as_bytes());
        let mut s = Connection::new(Role::Server, Config::default());
        let (message, answers) = read_external(&mut s, &frame, 9, 5);
        assert_eq!(message, text.as_bytes());
        assert_eq!(answers.last(), Some(&true));
    }

    #[test]
    fn limits_fail_on_the_header_before_anything_is_offered() {
        let config = Config {
            max_message_size: 2 * DIRECT_INPUT_MIN,
            ..Config::default()
        };
        let mut s = Connection::new(Role::Server, config);
        let frame = wire(
            Role::Server,
            OpCode::Binary,
            true,
            &payload(2 * DIRECT_INPUT_MIN + 1),
        );
        s.receive_data(&frame[..20]);
        assert!(s.external_input().is_none());
        assert!(matches!(
            s.next_event(),
            Some(Event::Failed(Error::MessageTooBig { .. }))
        ));
        assert_eq!(&s.outgoing()[2..4], [0x03, 0xF1]); // 1009
        let config = Config {
            max_frame_size: DIRECT_INPUT_MIN,
            ..Config::default()
        };
        let mut s = Connection::new(Role::Server, config);
        s.receive_data(&frame[..20]);
        assert!(s.external_input().is_none());
        assert!(matches!(
            s.next_event(),
            Some(Event::Failed(Error::FrameTooBig { .. }))
        ));
    }
}
