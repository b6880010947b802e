// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The outgoing side: messages (whole or streamed), control frames and the Close, encoded
//! straight into the one outgoing buffer, split into frames of `Config::outgoing_frame_size`,
//! run through the extensions, and masked in place for clients.

use super::outgoing::SharedPayload;
use super::{Connection, Role, State};
use crate::close::check_outgoing_close;
use crate::error::Error;
use crate::extension::FrameBits;
use crate::frame::{write_frame, FrameHeader, MAX_CONTROL_PAYLOAD};
use crate::mask::apply_mask;
use crate::message::MessageKind;
use crate::protocol::OpCode;
use crate::utf8::{is_valid as is_valid_utf8, Utf8Validator};

/// Messages shorter than this are copied by [`Connection::send_message_owned`] (and their
/// buffer recycled): for them a chunk of their own costs more (one more piece per vectored
/// write) than the copy it saves.
pub const OWNED_SEND_MIN: usize = 4 * 1024;

/// A message being sent piece by piece with `begin_message` / `continue_message` /
/// `finish_message`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutgoingMessage {
    /// Its type.
    pub kind: MessageKind,
    /// Whether the extensions may transform it (e.g. compress it).
    pub transform: bool,
    /// No frame of it has gone out yet.
    first: bool,
    utf8: Utf8Validator,
}

impl Connection {
    /// Sends a text message.
    pub fn send_text(&mut self, text: &str) -> Result<(), Error> {
        self.send_whole(MessageKind::Text, text.as_bytes(), true)
    }

    /// Sends a binary message.
    pub fn send_binary(&mut self, data: &[u8]) -> Result<(), Error> {
        self.send_whole(MessageKind::Binary, data, true)
    }

    /// Sends a message of either type. `transform: false` asks the extensions to leave it as
    /// it is (for example not to compress already compressed data). Text must be UTF-8
    /// ([`Error::InvalidUtf8`] otherwise, and nothing is sent).
    pub fn send_message(
        &mut self,
        kind: MessageKind,
        data: &[u8],
        transform: bool,
    ) -> Result<(), Error> {
        if kind == MessageKind::Text && !is_valid_utf8(data) {
            return Err(Error::InvalidUtf8);
        }
        self.send_whole(kind, data, transform)
    }

    /// Sends a message whose buffer the engine takes: when no extension is negotiated and the
    /// message is at least [`OWNED_SEND_MIN`] bytes, `data` itself is queued as the payload of
    /// its frames (split at `Config::outgoing_frame_size` like any message, each frame masked
    /// in place for clients, headers kept beside it), and comes back to the message buffer pool
    /// once written ([`Connection::consume_outgoing`]); otherwise it is sent like
    /// [`Connection::send_message`] and its buffer goes to the pool at once. The bytes on the
    /// wire are the same either way. Text must be UTF-8 ([`Error::InvalidUtf8`] otherwise,
    /// and nothing is sent).
    pub fn send_message_owned(&mut self, kind: MessageKind, data: Vec<u8>) -> Result<(), Error> {
        if kind == MessageKind::Text && !is_valid_utf8(&data) {
            return Err(Error::InvalidUtf8);
        }
        self.send_owned(kind, data)
    }

    /// Sends a message whose bytes the engine borrows instead of copying: `payload` (anything
    /// that owns bytes, see [`SharedPayload`]) is queued as the payload of the message's frames
    /// and written from where it is, then dropped once its last byte was written (or when the
    /// queue is taken, or the connection dropped). The engine never writes to it: where the
    /// bytes must change or a copy is cheaper — clients (which mask), negotiated extensions
    /// (which may compress), messages under [`OWNED_SEND_MIN`] bytes — the message is sent
    /// like [`Connection::send_message`] and `payload` dropped before this returns. The bytes on
    /// the wire are the same either way. Text must be UTF-8 ([`Error::InvalidUtf8`] otherwise,
    /// and nothing is sent); on any error `payload` is dropped at once.
    ///
    /// A payload whose `Drop` gives memory back to its owner (for example a buffer that
    /// another language reference-counts) is released exactly once.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use rswebsockets::{Config, Connection, Event, MessageKind, Role};
    ///
    /// let mut server = Connection::new(Role::Server, Config::default());
    /// let data: Arc<[u8]> = vec![42u8; 64 * 1024].into();
    /// server
    ///     .send_message_shared(MessageKind::Binary, Box::new(Arc::clone(&data)))
    ///     .unwrap();
    /// assert_eq!(Arc::strong_count(&data), 2); // queued, not copied
    /// let mut slices = [std::io::IoSlice::new(&[]); 4];
    /// assert_eq!(server.outgoing_slices(&mut slices), 2); // header, then `data` itself
    /// assert_eq!(slices[1].as_ptr(), data.as_ptr());
    ///
    /// let mut client = Connection::new(Role::Client, Config::default());
    /// client.receive_data(&server.take_outgoing());
    /// assert_eq!(Arc::strong_count(&data), 1); // written out: released
    /// assert_eq!(client.next_event(), Some(Event::Binary(data.to_vec())));
    /// ```
    pub fn send_message_shared(
        &mut self,
        kind: MessageKind,
        payload: SharedPayload,
    ) -> Result<(), Error> {
        let data = (*payload).as_ref();
        if kind == MessageKind::Text {
            simdutf8::basic::from_utf8(data).map_err(|_| Error::InvalidUtf8)?;
        }
        if self.role == Role::Client || !self.extensions.is_empty() || data.len() < OWNED_SEND_MIN {
            return self.send_whole(kind, data, true);
        }
        self.check_queued_send(data.len())?;
        let len = data.len();
        self.out.push_shared(payload);
        self.queue_payload_frames(kind, len);
        Ok(())
    }

    /// [`Connection::send_message_owned`] for a text message (already known to be UTF-8).
    pub fn send_text_owned(&mut self, text: String) -> Result<(), Error> {
        self.send_owned(MessageKind::Text, text.into_bytes())
    }

    /// [`Connection::send_message_owned`] for a binary message.
    pub fn send_binary_owned(&mut self, data: Vec<u8>) -> Result<(), Error> {
        self.send_owned(MessageKind::Binary, data)
    }

    /// Sends a Ping (at most 125 bytes).
    pub fn send_ping(&mut self, payload: &[u8]) -> Result<(), Error> {
        self.send_control(OpCode::Ping, payload)
    }

    /// Sends a Pong (at most 125 bytes), e.g. an unsolicited heartbeat.
    pub fn send_pong(&mut self, payload: &[u8]) -> Result<(), Error> {
        self.send_control(OpCode::Pong, payload)
    }

    /// Starts the close handshake: sends a Close with `code` and `reason` and moves to
    /// [`State::Closing`]. The code must be one that may be sent (1000–1003, 1007–1014,
    /// 3000–4999), the reason at most 123 bytes.
    pub fn close(&mut self, code: impl Into<u16>, reason: &str) -> Result<(), Error> {
        let code = code.into();
        self.check_can_send()?;
        check_outgoing_close(code, reason)?;
        self.write_close(code, reason);
        self.enter_closing();
        Ok(())
    }

    /// Starts a message to be sent in pieces; control frames may go out between them, other
    /// messages may not.
    pub fn begin_message(&mut self, kind: MessageKind, transform: bool) -> Result<(), Error> {
        self.check_can_send()?;
        if self.out_message.is_some() {
            return Err(Error::InvalidState("a message is already in progress"));
        }
        self.out_message = Some(OutgoingMessage {
            kind,
            transform,
            first: true,
            utf8: Utf8Validator::new(),
        });
        Ok(())
    }

    /// Sends the next piece of the message started with [`Connection::begin_message`]. A text
    /// piece may end inside a code point; the next piece completes it.
    pub fn continue_message(&mut self, data: &[u8]) -> Result<(), Error> {
        self.send_piece(data, false)
    }

    /// Sends the last piece of the message started with [`Connection::begin_message`].
    pub fn finish_message(&mut self, data: &[u8]) -> Result<(), Error> {
        self.send_piece(data, true)
    }

    /// The message being streamed, if any.
    pub fn outgoing_message(&self) -> Option<&OutgoingMessage> {
        self.out_message.as_ref()
    }

    fn check_can_send(&self) -> Result<(), Error> {
        match self.state {
            State::Connecting => Err(Error::InvalidState("connecting")),
            State::Open if !self.close_sent => Ok(()),
            _ => Err(Error::AlreadyClosed),
        }
    }

    fn check_write_budget(&self, len: usize) -> Result<(), Error> {
        if self.out.len().saturating_add(len) > self.config.max_write_buffer_size {
            return Err(Error::WriteBufferFull);
        }
        Ok(())
    }

    fn send_control(&mut self, opcode: OpCode, payload: &[u8]) -> Result<(), Error> {
        self.check_can_send()?;
        if payload.len() > MAX_CONTROL_PAYLOAD {
            return Err(Error::ControlFrameTooBig);
        }
        self.write_control(opcode, payload);
        Ok(())
    }

    #[inline]
    fn send_whole(&mut self, kind: MessageKind, data: &[u8], transform: bool) -> Result<(), Error> {
        self.check_can_send()?;
        if self.out_message.is_some() {
            return Err(Error::InvalidState("a streamed message is in progress"));
        }
        self.check_write_budget(data.len())?;
        let frame_size = self.config.outgoing_frame_size;
        if self.extensions.is_empty() && (frame_size == 0 || data.len() <= frame_size) {
            // The common case: one frame, nothing to transform.
            let mask = self.next_mask();
            let header = FrameHeader::new(true, Self::opcode_of(kind), mask, data.len() as u64);
            write_frame(self.out.buffer(), &header, data);
            return Ok(());
        }
        self.send_frames(Self::opcode_of(kind), data, true, transform)
    }

    fn send_owned(&mut self, kind: MessageKind, data: Vec<u8>) -> Result<(), Error> {
        if !self.extensions.is_empty() || data.len() < OWNED_SEND_MIN {
            let result = self.send_whole(kind, &data, true);
            self.assembler.recycle(data);
            return result;
        }
        self.check_queued_send(data.len())?;
        let len = data.len();
        self.out.push_owned(data);
        self.queue_payload_frames(kind, len);
        Ok(())
    }

    /// What a whole message queued without a copy must pass first.
    fn check_queued_send(&mut self, len: usize) -> Result<(), Error> {
        self.check_can_send()?;
        if self.out_message.is_some() {
            return Err(Error::InvalidState("a streamed message is in progress"));
        }
        self.check_write_budget(len)
    }

    /// Queues the frames of the payload just pushed (`len` bytes): split at the outgoing frame
    /// size, each masked in place for clients (owned payloads only: shared ones are never
    /// queued for clients).
    fn queue_payload_frames(&mut self, kind: MessageKind, len: usize) {
        let size = match self.config.outgoing_frame_size {
            0 => usize::MAX,
            n => n,
        };
        let mut opcode = Self::opcode_of(kind);
        let mut start = 0;
        loop {
            let end = start + (len - start).min(size);
            let last = end == len;
            let mask = self.next_mask();
            if let Some(key) = mask {
                apply_mask(&mut self.out.last_owned()[start..end], key, 0);
            }
            let header = FrameHeader::new(last, opcode, mask, (end - start) as u64);
            self.out.push_frame(&header, start, end, last);
            if last {
                return;
            }
            opcode = OpCode::Continue;
            start = end;
        }
    }

    fn send_piece(&mut self, data: &[u8], fin: bool) -> Result<(), Error> {
        self.check_can_send()?;
        let Some(mut message) = self.out_message else {
            return Err(Error::InvalidState("no message in progress"));
        };
        if message.kind == MessageKind::Text {
            message.utf8.feed(data)?;
            if fin {
                message.utf8.finish()?;
            }
        }
        self.check_write_budget(data.len())?;
        let opcode = if message.first {
            Self::opcode_of(message.kind)
        } else {
            OpCode::Continue
        };
        self.send_frames(opcode, data, fin, message.transform)?;
        message.first = false;
        self.out_message = if fin { None } else { Some(message) };
        Ok(())
    }

    /// Runs `data` through the extensions (in negotiation order) as one frame, then writes it
    /// as frames of at most `outgoing_frame_size` bytes; only the first carries the opcode and
    /// the reserved bits, only the last may carry FIN.
    fn send_frames(
        &mut self,
        opcode: OpCode,
        data: &[u8],
        fin: bool,
        transform: bool,
    ) -> Result<(), Error> {
        if self.extensions.is_empty() {
            self.write_data_frames(opcode, 0, data, fin);
            return Ok(());
        }
        let mut bits = FrameBits {
            opcode,
            fin,
            rsv: 0,
            transform,
        };
        let mut current = std::mem::take(&mut self.encoded);
        let mut next = std::mem::take(&mut self.encoded_tmp);
        current.clear();
        let mut encoded = false;
        let mut result = Ok(());
        for ext in self.extensions.iter_mut() {
            next.clear();
            let input: &[u8] = if encoded { &current } else { data };
            match ext.encode(&mut bits, input, &mut next) {
                Ok(true) => {
                    std::mem::swap(&mut current, &mut next);
                    encoded = true;
                }
                Ok(false) => {}
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        if result.is_ok() {
            let payload: &[u8] = if encoded { &current } else { data };
            self.write_data_frames(opcode, bits.rsv, payload, fin);
        }
        current.clear();
        next.clear();
        self.encoded = current;
        self.encoded_tmp = next;
        result
    }

    #[inline]
    fn write_data_frames(&mut self, opcode: OpCode, rsv: u8, payload: &[u8], fin: bool) {
        let size = match self.config.outgoing_frame_size {
            0 => usize::MAX,
            n => n,
        };
        let mut opcode = opcode;
        let mut rsv = rsv;
        let mut rest = payload;
        loop {
            let n = rest.len().min(size);
            let last = n == rest.len();
            let mask = self.next_mask();
            let header = FrameHeader {
                fin: fin && last,
                rsv,
                opcode,
                mask,
                payload_len: n as u64,
            };
            write_frame(self.out.buffer(), &header, &rest[..n]);
            rest = &rest[n..];
            if last {
                break;
            }
            opcode = OpCode::Continue;
            rsv = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::connection::Role;
    use crate::event::Event;
    use crate::extension::{DeflateConfig, ExtensionConfig};

    fn all_slices(c: &Connection) -> usize {
        let mut slices = [std::io::IoSlice::new(&[]); 8];
        c.outgoing_slices(&mut slices)
    }

    #[test]
    fn owned_payload_is_queued_without_copy_and_recycled_once_written() {
        let mut s = Connection::new(Role::Server, Config::default());
        let data = vec![5u8; 10_000];
        let ptr = data.as_ptr();
        s.send_binary_owned(data).unwrap();
        s.send_text("after").unwrap();
        assert_eq!(s.outgoing(), [0x82, 126, 0x27, 0x10]);
        assert_eq!(s.outgoing_len(), 4 + 10_000 + 7);
        assert_eq!(all_slices(&s), 3);
        s.consume_outgoing(4);
        assert_eq!(s.outgoing().as_ptr(), ptr); // the application's buffer itself
        s.consume_outgoing(10_000);
        assert_eq!(s.outgoing(), [0x81, 5, b'a', b'f', b't', b'e', b'r']);
        // The payload buffer came back to the pool: the next incoming message that needs a
        // buffer gets it (the first one has the connection's initial buffer).
        let mut c = Connection::new(Role::Client, Config::default());
        c.send_binary(b"x").unwrap();
        c.send_binary(b"y").unwrap();
        s.receive_data(&c.take_outgoing());
        assert_eq!(s.next_event(), Some(Event::Binary(b"x".to_vec())));
        match s.next_event() {
            Some(Event::Binary(v)) => assert_eq!(v.as_ptr(), ptr),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn owned_sends_match_copied_sends_on_the_wire() {
        for (role, frame_size) in [
            (Role::Client, 0),
            (Role::Server, 0),
            (Role::Client, 4096),
            (Role::Server, 5000),
            (Role::Client, 512 << 10),
        ] {
            let config = Config {
                outgoing_frame_size: frame_size,
                ..Config::default()
            };
            let payload: Vec<u8> = (0..70_000u32).map(|i| (i % 251) as u8).collect();
            let text = "ü".repeat(3000);
            let mut owned = Connection::new(role, config.clone());
            let mut copied = Connection::new(role, config);
            owned.set_mask_generator(Box::new(|| [1, 2, 3, 4]));
            copied.set_mask_generator(Box::new(|| [1, 2, 3, 4]));
            owned.send_binary_owned(payload.clone()).unwrap();
            owned.send_ping(b"p").unwrap();
            owned.send_text_owned(text.clone()).unwrap();
            owned
                .send_message_owned(MessageKind::Binary, b"small".to_vec())
                .unwrap();
            copied.send_binary(&payload).unwrap();
            copied.send_ping(b"p").unwrap();
            copied.send_text(&text).unwrap();
            copied.send_binary(b"small").unwrap();
            assert!(all_slices(&owned) > 1);
            assert_eq!(
                owned.take_outgoing(),
                copied.take_outgoing(),
                "{role:?} {frame_size}"
            );
            assert_eq!(owned.outgoing_len(), 0);
        }
    }

    #[test]
    fn owned_text_is_checked_and_limits_apply() {
        let mut s = Connection::new(Role::Server, Config::default());
        let mut bad = vec![b'a'; 5000];
        bad[4000] = 0xFF;
        assert_eq!(
            s.send_message_owned(MessageKind::Text, bad),
            Err(Error::InvalidUtf8)
        );
        assert_eq!(s.outgoing_len(), 0);
        let config = Config {
            max_write_buffer_size: 8000,
            ..Config::default()
        };
        let mut s = Connection::new(Role::Server, config);
        assert_eq!(
            s.send_binary_owned(vec![0; 9000]),
            Err(Error::WriteBufferFull)
        );
        s.begin_message(MessageKind::Binary, true).unwrap();
        assert!(matches!(
            s.send_binary_owned(vec![0; 5000]),
            Err(Error::InvalidState(_))
        ));
    }

    #[test]
    fn owned_messages_are_split_at_the_frame_size_and_extensions_copy() {
        let config = Config {
            outgoing_frame_size: 4096,
            ..Config::default()
        };
        let mut s = Connection::new(Role::Server, config);
        s.send_binary_owned(vec![1; 10_000]).unwrap();
        assert_eq!(all_slices(&s), 6); // three frames: header and payload each
        let mut c = Connection::new(Role::Client, Config::default());
        c.receive_data(&s.take_outgoing());
        assert_eq!(c.next_event(), Some(Event::Binary(vec![1; 10_000])));

        let deflate = DeflateConfig::new();
        let offers = deflate.offers();
        let (_, ext) = deflate.accept(&offers[0]).unwrap();
        let mut s = Connection::with_extensions(Role::Server, Config::default(), vec![ext]);
        s.send_binary_owned(vec![0; 10_000]).unwrap();
        assert_eq!(all_slices(&s), 1);
        assert!(s.outgoing_len() < 1000, "compressed");
    }
}
