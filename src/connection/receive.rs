// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The incoming side: frames parsed straight from the caller's bytes (only a cut header is
//! kept), checked against the RFC rules and the limits, payloads unmasked in place in the
//! message buffer, control frames handled, messages reassembled.

use super::{Connection, IncomingFrame, Role, State};
use crate::close::parse_close_payload;
use crate::error::Error;
use crate::event::Event;
use crate::extension::FrameBits;
use crate::frame::{FrameHeader, MAX_CONTROL_PAYLOAD, MAX_HEADER_LEN};
use crate::mask::extend_masked;
use crate::message::MessageKind;
use crate::protocol::{CloseCode, OpCode};

/// Bytes a transformed frame may carry beyond [`transformed_frame_limit`]'s proportional part
/// (block headers and Huffman tables of a frame that decodes to little or nothing).
const TRANSFORMED_SLACK: u64 = 4096;

/// The largest payload a transformed (compressed) data frame may carry while `budget` bytes of
/// the message are left: `budget + budget / 8 + 4 KiB`, checked on the frame's header (1009
/// past it), so a frame held whole for decoding takes about the message limit at most.
///
/// Deflate data is larger than what it inflates to only for incompressible input: stored
/// blocks add 5 bytes per 64 KiB (what zlib and most encoders fall back to), and an encoder
/// that keeps fixed Huffman codes spends at most 9 bits per literal byte (1/8 more); the
/// slack covers block headers and code tables of frames that decode to almost nothing.
fn transformed_frame_limit(budget: u64) -> u64 {
    budget
        .saturating_add(budget / 8)
        .saturating_add(TRANSFORMED_SLACK)
}

impl Connection {
    /// Feeds bytes read from the transport. Any split is fine, down to one byte at a time.
    /// Protocol violations fail the connection (see [`Connection::fail`]); nothing is returned,
    /// everything is reported through events.
    pub fn receive_data(&mut self, mut data: &[u8]) {
        if self.state == State::Connecting {
            self.hold_early_input(data);
            return;
        }
        while !data.is_empty() && !self.discard_input {
            let whole = self.receive_whole_frame(data);
            if whole > 0 {
                data = &data[whole..];
                continue;
            }
            match self.step(data) {
                Ok(n) => data = &data[n..],
                Err(error) => {
                    self.fail(error);
                    return;
                }
            }
        }
    }

    /// Like [`Connection::receive_data`], but stops as soon as an event is waiting (and takes
    /// nothing while one is): returns how many bytes of `data` were used; pass the rest again
    /// once the events are handled. A driver that answers each message before the engine
    /// reads the next frame keeps the order a blocking reader would have: an echo of a valid
    /// message goes out before the Close caused by a bad frame that followed it. Input the
    /// connection ignores anyway (after a failure or once closed) counts as used.
    pub fn receive_data_until_event(&mut self, data: &[u8]) -> usize {
        if self.state == State::Connecting {
            self.hold_early_input(data);
            return data.len();
        }
        let mut rest = data;
        while !rest.is_empty() && !self.discard_input && self.events.is_empty() {
            let whole = self.receive_whole_frame(rest);
            if whole > 0 {
                rest = &rest[whole..];
                continue;
            }
            match self.step(rest) {
                Ok(n) => rest = &rest[n..],
                Err(error) => {
                    self.fail(error);
                    return data.len();
                }
            }
        }
        if self.discard_input {
            return data.len();
        }
        data.len() - rest.len()
    }

    /// The next event, reading input from `data` up to it when none is waiting: returns the
    /// bytes of `data` used and the event (`None` once all of `data` was read without one).
    /// The same as [`Connection::receive_data_until_event`] followed by
    /// [`Connection::next_event`], and cheaper for a message that is one whole frame in
    /// `data`: its event is handed over without going through the queue. A driver that
    /// keeps unread input in its own buffer calls this in a loop, passing what is left.
    ///
    /// ```
    /// use rswebsockets::{Config, Connection, Event, Role};
    ///
    /// let mut client = Connection::new(Role::Client, Config::default());
    /// client.send_text("one").unwrap();
    /// client.send_text("two").unwrap();
    /// let input = client.take_outgoing();
    ///
    /// let mut server = Connection::new(Role::Server, Config::default());
    /// let (used, event) = server.receive_next_event(&input);
    /// assert_eq!(event, Some(Event::Text("one".into())));
    /// let (rest, event) = server.receive_next_event(&input[used..]);
    /// assert_eq!(event, Some(Event::Text("two".into())));
    /// assert_eq!(used + rest, input.len());
    /// assert_eq!(server.receive_next_event(&[]), (0, None));
    /// ```
    #[inline]
    pub fn receive_next_event(&mut self, data: &[u8]) -> (usize, Option<Event>) {
        if let Some(event) = self.events.pop_front() {
            return (0, Some(event));
        }
        if self.state != State::Connecting && !self.discard_input {
            if let Some((used, event)) = self.whole_frame_event(data) {
                return (used, Some(event));
            }
        }
        let used = self.receive_data_until_event(data);
        (used, self.events.pop_front())
    }

    /// The transport was closed by the peer (a read returned 0 bytes). Without a prior Close
    /// frame from the peer this reports `Event::Close` with 1006.
    pub fn receive_eof(&mut self) {
        if self.state != State::Closed {
            self.enter_closed();
        }
    }

    /// Consumes a header or a piece of payload from `data`; returns the bytes used.
    #[inline]
    fn step(&mut self, data: &[u8]) -> Result<usize, Error> {
        if self.frame.is_some() {
            return self.read_payload(data);
        }
        if self.header_len == 0 {
            return match FrameHeader::parse(data)? {
                Some((header, n)) => {
                    self.start_frame(header)?;
                    // Fast path: the payload usually follows in the same input.
                    if self.frame.is_some() && n < data.len() {
                        return Ok(n + self.read_payload(&data[n..])?);
                    }
                    Ok(n)
                }
                None => {
                    // Shorter than its header, so shorter than MAX_HEADER_LEN.
                    self.header[..data.len()].copy_from_slice(data);
                    self.header_len = data.len();
                    Ok(data.len())
                }
            };
        }
        let old = self.header_len;
        let take = (MAX_HEADER_LEN - old).min(data.len());
        self.header[old..old + take].copy_from_slice(&data[..take]);
        match FrameHeader::parse(&self.header[..old + take])? {
            Some((header, n)) => {
                self.header_len = 0;
                self.start_frame(header)?;
                Ok(n - old)
            }
            None => {
                self.header_len = old + take;
                Ok(take)
            }
        }
    }

    /// Checks a new frame's header and prepares for its payload.
    fn start_frame(&mut self, header: FrameHeader) -> Result<(), Error> {
        let opcode = header.opcode;
        if opcode.is_reserved() {
            return Err(Error::ReservedOpCode(opcode as u8));
        }
        let control = opcode.is_control();
        let allowed_rsv = if control { 0 } else { self.extension_rsv };
        if header.rsv & !allowed_rsv != 0 {
            return Err(Error::ReservedBitsSet);
        }
        match (self.role, header.mask.is_some()) {
            (Role::Server, false) => return Err(Error::UnmaskedFrameFromClient),
            (Role::Client, true) => return Err(Error::MaskedFrameFromServer),
            _ => {}
        }
        let len = header.payload_len;
        let via_extensions = !control && !self.extensions.is_empty();
        if control {
            if !header.fin {
                return Err(Error::FragmentedControlFrame);
            }
            if len > MAX_CONTROL_PAYLOAD as u64 {
                return Err(Error::ControlFrameTooBig);
            }
            self.control.clear();
        } else {
            let kind = match opcode {
                OpCode::Text => Some(MessageKind::Text),
                OpCode::Binary => Some(MessageKind::Binary),
                _ => None,
            };
            match (kind, self.assembler.kind()) {
                (None, None) => return Err(Error::UnexpectedContinuation),
                (Some(_), Some(_)) => return Err(Error::ExpectedContinuation),
                _ => {}
            }
            if len > self.config.max_frame_size as u64 {
                return Err(Error::FrameTooBig {
                    limit: self.config.max_frame_size as u64,
                });
            }
            if via_extensions {
                self.check_extension_frame(&header, kind.is_some())?;
                self.raw.clear();
                self.raw.reserve(len.min(1 << 20) as usize);
            } else {
                self.assembler
                    .check_budget(len, self.config.max_message_size)?;
            }
            if let Some(kind) = kind {
                self.assembler.start(kind);
            }
            if !via_extensions {
                self.assembler.reserve(len);
            }
        }
        self.frame = Some(IncomingFrame {
            header,
            received: 0,
            via_extensions,
        });
        if len == 0 {
            self.frame = None;
            self.end_frame(header)?;
        }
        Ok(())
    }

    /// With extensions negotiated, a data frame's payload is held whole before they decode
    /// it: bound it by the message budget on its header. A frame of a message that no
    /// extension marked (none of their reserved bits on its frames) is checked as without
    /// extensions: its payload is the message. A transformed (compressed) frame may carry
    /// somewhat more than what it decodes to, but not much more: see
    /// [`transformed_frame_limit`].
    #[cold]
    fn check_extension_frame(&mut self, header: &FrameHeader, first: bool) -> Result<(), Error> {
        let marked = header.rsv & self.extension_rsv != 0;
        if first {
            self.message_transformed = marked;
        } else {
            self.message_transformed |= marked;
        }
        let limit = self.config.max_message_size as u64;
        let budget = limit.saturating_sub(self.assembler.total());
        let bound = if self.message_transformed {
            transformed_frame_limit(budget)
        } else {
            budget
        };
        if header.payload_len > bound {
            return Err(Error::MessageTooBig { limit });
        }
        Ok(())
    }

    /// Consumes payload bytes of the current frame.
    #[inline]
    fn read_payload(&mut self, data: &[u8]) -> Result<usize, Error> {
        let Some(frame) = self.frame.as_mut() else {
            return Ok(0);
        };
        let header = frame.header;
        let offset = frame.received;
        let remaining = header.payload_len - offset;
        let n = remaining.min(data.len() as u64) as usize;
        frame.received += n as u64;
        let done = frame.received == header.payload_len;
        let chunk = &data[..n];
        if header.opcode.is_control() || frame.via_extensions {
            let buf = if header.opcode.is_control() {
                &mut self.control
            } else {
                &mut self.raw
            };
            match header.mask {
                Some(key) => extend_masked(buf, chunk, key, (offset & 3) as usize),
                None => buf.extend_from_slice(chunk),
            }
        } else {
            self.assembler.append(chunk, header.mask, offset)?;
        }
        if done {
            self.frame = None;
            self.end_frame(header)?;
        }
        Ok(n)
    }

    /// A frame's payload is complete.
    pub(super) fn end_frame(&mut self, header: FrameHeader) -> Result<(), Error> {
        match header.opcode {
            OpCode::Ping => {
                let payload = std::mem::take(&mut self.control);
                if self.config.auto_pong && self.state == State::Open && !self.close_sent {
                    self.write_auto_pong(&payload);
                }
                self.events.push_back(Event::Ping(payload.clone()));
                self.control = payload;
                Ok(())
            }
            OpCode::Pong => {
                self.pong_deadline = None;
                self.events.push_back(Event::Pong(self.control.clone()));
                Ok(())
            }
            OpCode::Close => self.receive_close(),
            _ => {
                if !self.extensions.is_empty() {
                    self.decode_frame(header)?;
                }
                self.assembler.end_frame(
                    header.fin,
                    self.config.frame_events,
                    self.config.message_events,
                    &mut self.events,
                )
            }
        }
    }

    /// Runs a complete data frame through the extensions (last negotiated first) into the
    /// message buffer, with the remaining message budget as the bound.
    fn decode_frame(&mut self, header: FrameHeader) -> Result<(), Error> {
        let limit = self.config.max_message_size;
        let budget = (limit as u64).saturating_sub(self.assembler.total()) as usize;
        let mut bits = FrameBits {
            opcode: header.opcode,
            fin: header.fin,
            rsv: header.rsv,
            transform: true,
        };
        let mut current = std::mem::take(&mut self.raw);
        let mut next = std::mem::take(&mut self.scratch);
        let result = (|| {
            for ext in self.extensions[1..].iter_mut().rev() {
                next.clear();
                if ext.decode(&mut bits, &current, &mut next, budget)? {
                    std::mem::swap(&mut current, &mut next);
                }
            }
            let buf = self.assembler.buffer();
            let from = buf.len();
            let max_len = from.saturating_add(budget);
            if !self.extensions[0].decode(&mut bits, &current, buf, max_len)? {
                if current.len() > budget {
                    return Err(Error::MessageTooBig {
                        limit: limit as u64,
                    });
                }
                buf.extend_from_slice(&current);
            }
            if buf.len() > max_len {
                return Err(Error::MessageTooBig {
                    limit: limit as u64,
                });
            }
            self.assembler.commit(from)
        })();
        current.clear();
        next.clear();
        self.raw = current;
        self.scratch = next;
        result
    }

    /// The peer's Close frame: report it, answer it, and move on in the close handshake.
    fn receive_close(&mut self) -> Result<(), Error> {
        let (code, reason) = {
            let (code, reason) = parse_close_payload(&self.control)?;
            (code, reason.to_owned())
        };
        self.discard_input = true;
        if !self.close_sent {
            if code == CloseCode::MissingStatusCode.value() {
                self.write_close(CloseCode::Normal.value(), "");
            } else {
                self.write_close(code, &reason);
            }
        }
        self.report_close(code, reason);
        match self.role {
            Role::Server => self.enter_closed(),
            Role::Client => self.enter_closing(),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::extension::deflate::DeflateConfig;
    use crate::extension::{Extension, ExtensionConfig};

    const MIB: usize = 1 << 20;

    fn deflate(role: Role) -> Vec<Box<dyn Extension>> {
        let config = DeflateConfig::new();
        let (response, server) = config.accept(&config.offers()[0]).unwrap();
        match role {
            Role::Server => vec![server],
            Role::Client => vec![config.verify(&response).unwrap()],
        }
    }

    fn noise(len: usize) -> Vec<u8> {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    fn limited(max_message_size: usize) -> Config {
        Config {
            max_message_size,
            ..Config::default()
        }
    }

    #[test]
    fn transformed_frames_get_an_eighth_and_4_kib_more_than_the_budget() {
        assert_eq!(transformed_frame_limit(0), 4096);
        assert_eq!(
            transformed_frame_limit(8 * MIB as u64),
            9 * MIB as u64 + 4096
        );
        assert_eq!(transformed_frame_limit(u64::MAX), u64::MAX);
    }

    #[test]
    fn incompressible_message_at_the_limit_still_arrives() {
        let data = noise(MIB);
        let mut client =
            Connection::with_extensions(Role::Client, limited(MIB), deflate(Role::Client));
        client.send_binary(&data).unwrap();
        let wire = client.take_outgoing();
        assert!(wire.len() > MIB, "stored blocks: larger than the data");
        let mut server =
            Connection::with_extensions(Role::Server, limited(MIB), deflate(Role::Server));
        server.receive_data(&wire);
        assert_eq!(server.next_event(), Some(Event::Binary(data)));
    }

    #[test]
    fn frames_fail_on_their_header_past_the_budget() {
        let frame = |first: u8, len: usize| {
            let mut h = FrameHeader::new(
                first & 0x80 != 0,
                OpCode::from_bits(first),
                Some([1; 4]),
                len as u64,
            );
            h.rsv = first & 0x70;
            let mut out = Vec::new();
            h.write_to(&mut out);
            out
        };
        let budget = MIB / 2;
        // Uncompressed message: its frames count as they are, as without extensions.
        let mut s =
            Connection::with_extensions(Role::Server, limited(budget), deflate(Role::Server));
        let mut first = frame(0x02, 1000);
        first.extend_from_slice(&[0; 1000]);
        s.receive_data(&first);
        s.receive_data(&frame(0x80, budget - 999));
        assert_eq!(
            s.error(),
            Some(&Error::MessageTooBig {
                limit: budget as u64
            })
        );
        // Compressed: up to the bound the header passes (the payload then decides).
        let bound = transformed_frame_limit(budget as u64) as usize;
        let mut s =
            Connection::with_extensions(Role::Server, limited(budget), deflate(Role::Server));
        s.receive_data(&frame(0xC2, bound));
        assert_eq!(s.error(), None);
        let mut s =
            Connection::with_extensions(Role::Server, limited(budget), deflate(Role::Server));
        s.receive_data(&frame(0xC2, bound + 1));
        assert_eq!(
            s.error(),
            Some(&Error::MessageTooBig {
                limit: budget as u64
            })
        );
        // A continuation of a compressed message (RSV1 clear there) is still compressed data.
        let mut s =
            Connection::with_extensions(Role::Server, limited(budget), deflate(Role::Server));
        let mut sender =
            Connection::with_extensions(Role::Client, Config::default(), deflate(Role::Client));
        sender.begin_message(MessageKind::Binary, true).unwrap();
        sender.continue_message(&noise(1000)).unwrap();
        s.receive_data(&sender.take_outgoing());
        s.receive_data(&frame(0x80, budget));
        assert_eq!(s.error(), None);
    }
}
