// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Direct input: the transport reads the payload of a large data frame straight into the
//! message buffer, skipping the copy from its read buffer ([`Connection::input_buffer`],
//! [`Connection::commit_input`]).
//!
//! A driver loop using it reads into `input_buffer()` when it is `Some` and into its own read
//! buffer otherwise (given to [`Connection::receive_data_until_event`] as usual):
//!
//! ```
//! use std::io::Read;
//! use rswebsockets::{Config, Connection, Role};
//!
//! fn read_once(conn: &mut Connection, socket: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
//!     if let Some(space) = conn.input_buffer() {
//!         // A real driver reads into the uninitialized space itself (tokio's
//!         // `ReadBuf::uninit`, `recv` into a raw pointer); `Read` needs it zeroed first.
//!         let space: &mut [u8] = unsafe {
//!             for b in space.iter_mut() {
//!                 b.write(0);
//!             }
//!             &mut *(space as *mut [std::mem::MaybeUninit<u8>] as *mut [u8])
//!         };
//!         let n = socket.read(space)?;
//!         // SAFETY: `read` initialized the first `n` bytes; nothing else touched `conn`.
//!         unsafe { conn.commit_input(n) };
//!         return Ok(n);
//!     }
//!     let n = socket.read(buf)?;
//!     let mut used = 0;
//!     while used < n {
//!         used += conn.receive_data_until_event(&buf[used..n]);
//!         while conn.next_event().is_some() {} // a real driver handles them
//!     }
//!     Ok(n)
//! }
//!
//! let mut server = Connection::new(Role::Server, Config::default());
//! let mut client = Connection::new(Role::Client, Config::default());
//! client.send_binary(&vec![7u8; 100_000]).unwrap();
//! let wire = client.take_outgoing();
//! let mut socket = &wire[..];
//! let mut buf = vec![0u8; 4096];
//! while read_once(&mut server, &mut socket, &mut buf).unwrap() > 0 {}
//! ```

use std::mem::MaybeUninit;

use super::{Connection, State};

/// The least payload still to come for [`Connection::input_buffer`] to offer direct input.
///
/// Reading straight into the message buffer saves one copy, but a read into it stops at the
/// frame's end, so it takes one read call per frame; a read into the transport's own buffer
/// takes as many small frames as arrived at once. 8 KiB is where the copy saved (about a
/// microsecond at memory speed) outweighs an extra read call (also about a microsecond on
/// Linux loopback), and it is small next to the 64 KiB read buffers of the drivers, so a large
/// frame goes direct once its first read-buffer-sized piece is in.
pub const DIRECT_INPUT_MIN: usize = 8 * 1024;

/// Where the last [`Connection::input_buffer`] pointed, to check [`Connection::commit_input`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct DirectOffer {
    /// The length of the message buffer when the space was offered.
    at: usize,
    /// The length of the space offered.
    len: usize,
}

impl Connection {
    /// Space in the message buffer where the transport may read the next input bytes directly
    /// (skipping a copy): `Some` only while inside the payload of a data frame that no
    /// extension transforms, with at least [`DIRECT_INPUT_MIN`] bytes of it still to come, and
    /// while no event waits to be handed out (as [`Connection::receive_data_until_event`] takes
    /// nothing then) and the message is not read into the caller's memory
    /// ([`Connection::commit_external`]); never longer than what remains of that frame's payload (so a read into it
    /// never passes the frame's end).
    ///
    /// The message buffer grows for it as data arrives (geometrically: at most doubling, from
    /// what was received so far or [`DIRECT_INPUT_MIN`]), not to the length a frame header
    /// claims.
    pub fn input_buffer(&mut self) -> Option<&mut [MaybeUninit<u8>]> {
        self.direct_offer = None;
        if self.state == State::Connecting
            || self.discard_input
            || !self.events.is_empty()
            || self.assembler.is_external()
        {
            return None;
        }
        let frame = self.frame.as_ref()?;
        if frame.via_extensions || frame.header.opcode.is_control() {
            return None;
        }
        let remaining = frame.header.payload_len - frame.received;
        if remaining < DIRECT_INPUT_MIN as u64 {
            return None;
        }
        let at = self.assembler.len_and_capacity().0;
        let space = self.assembler.input_space(remaining, DIRECT_INPUT_MIN);
        self.direct_offer = Some(DirectOffer {
            at,
            len: space.len(),
        });
        Some(space)
    }

    /// The first `n` bytes of the slice last returned by [`Connection::input_buffer`] were
    /// written by a read: they are processed exactly as if
    /// [`Connection::receive_data_until_event`] had been given them (unmasked in place, UTF-8
    /// checked incrementally, limits, events at the frame's end; an error fails the connection
    /// at that point, e.g. with 1007 for invalid UTF-8). `n == 0` does nothing (the end of the
    /// stream is [`Connection::receive_eof`]).
    ///
    /// # Panics
    /// When no `input_buffer` slice is outstanding, `n` is longer than it, or the connection
    /// changed in between.
    ///
    /// # Safety
    /// Those `n` bytes must have been initialized, and no other call on this connection came
    /// in between.
    pub unsafe fn commit_input(&mut self, n: usize) {
        let offer = self
            .direct_offer
            .take()
            .expect("commit_input without a preceding input_buffer");
        if n == 0 {
            return;
        }
        assert!(n <= offer.len, "commit_input({n}) past the input buffer");
        let frame = self
            .frame
            .as_mut()
            .expect("commit_input outside a frame payload");
        assert_eq!(
            self.assembler.len_and_capacity().0,
            offer.at,
            "the message buffer changed since input_buffer"
        );
        let header = frame.header;
        let offset = frame.received;
        frame.received += n as u64;
        let done = frame.received == header.payload_len;
        // SAFETY: the offered slice was the spare capacity right after `offer.at`, which is
        // still the buffer length; the caller initialized its first `n` bytes.
        let result = unsafe { self.assembler.commit_input(n, header.mask, offset) };
        let result = result.and_then(|()| {
            if done {
                self.frame = None;
                self.end_frame(header)
            } else {
                Ok(())
            }
        });
        if let Err(error) = result {
            self.fail(error);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::connection::Role;
    use crate::error::Error;
    use crate::event::Event;
    use crate::mask::apply_mask;

    /// A frame as the peer in `role` would send it to us, with a fixed key when masked.
    fn frame(opcode: u8, fin: bool, payload: &[u8], masked: bool) -> Vec<u8> {
        let mut out = vec![(if fin { 0x80 } else { 0 }) | opcode];
        let m = if masked { 0x80 } else { 0 };
        let len = payload.len();
        if len < 126 {
            out.push(m | len as u8);
        } else if len <= 0xFFFF {
            out.push(m | 126);
            out.extend_from_slice(&(len as u16).to_be_bytes());
        } else {
            out.push(m | 127);
            out.extend_from_slice(&(len as u64).to_be_bytes());
        }
        let start = out.len();
        if masked {
            let key = [0x12, 0x34, 0x56, 0x78];
            out.extend_from_slice(&key);
            out.extend_from_slice(payload);
            apply_mask(&mut out[start + 4..], key, 0);
        } else {
            out.extend_from_slice(payload);
        }
        out
    }

    /// Feeds `wire` like a driver reading at most `read` bytes at a time: directly when the
    /// connection offers space, else through `receive_data_until_event`. Returns the events
    /// and how many bytes went direct.
    fn drive(conn: &mut Connection, wire: &[u8], read: usize) -> (Vec<Event>, usize) {
        let mut events = Vec::new();
        let mut direct = 0;
        let mut rest = wire;
        while !rest.is_empty() {
            if let Some(space) = conn.input_buffer() {
                let n = space.len().min(read).min(rest.len());
                for (dst, src) in space.iter_mut().zip(&rest[..n]) {
                    dst.write(*src);
                }
                // SAFETY: n bytes written just above, nothing in between.
                unsafe { conn.commit_input(n) };
                rest = &rest[n..];
                direct += n;
            } else {
                let n = read.min(rest.len());
                let mut chunk = &rest[..n];
                while !chunk.is_empty() {
                    let used = conn.receive_data_until_event(chunk);
                    chunk = &chunk[used..];
                    events.extend(conn.events());
                }
                rest = &rest[n..];
            }
            events.extend(conn.events());
        }
        (events, direct)
    }

    fn payload(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 7 + i / 251) as u8).collect()
    }

    #[test]
    fn every_read_size_masked_and_unmasked_matches_the_copy_path() {
        let big = payload(3 * DIRECT_INPUT_MIN + 5);
        for (role, masked) in [(Role::Server, true), (Role::Client, false)] {
            let mut wire = frame(2, false, &big[..DIRECT_INPUT_MIN + 1], masked);
            wire.extend(frame(0, true, &big[DIRECT_INPUT_MIN + 1..], masked));
            wire.extend(frame(
                1,
                true,
                "é".repeat(DIRECT_INPUT_MIN).as_bytes(),
                masked,
            ));
            wire.extend(frame(2, true, b"tiny", masked));
            let mut reference = Connection::new(role, Config::default());
            reference.receive_data(&wire);
            let expected: Vec<Event> = reference.events().collect();
            assert_eq!(expected.len(), 3);
            let sizes = (1..40).chain([
                DIRECT_INPUT_MIN - 1,
                DIRECT_INPUT_MIN,
                DIRECT_INPUT_MIN + 3,
                65536,
                wire.len(),
            ]);
            for read in sizes {
                let mut conn = Connection::new(role, Config::default());
                let (events, direct) = drive(&mut conn, &wire, read);
                assert_eq!(events, expected, "read size {read}, {role:?}");
                if read <= DIRECT_INPUT_MIN {
                    assert!(direct > 0, "read size {read}: nothing went direct");
                }
            }
        }
    }

    #[test]
    fn no_direct_input_for_small_frames_control_frames_or_while_events_wait() {
        let mut s = Connection::new(Role::Server, Config::default());
        assert!(s.input_buffer().is_none());
        let small = frame(2, true, &payload(DIRECT_INPUT_MIN - 1), true);
        s.receive_data(&small[..20]);
        assert!(s.input_buffer().is_none(), "less than the minimum remains");
        s.receive_data(&small[20..]);
        // An event waits: nothing goes direct until it is taken.
        let big = frame(2, true, &payload(2 * DIRECT_INPUT_MIN), true);
        s.receive_data_until_event(&big[..20]);
        assert!(s.input_buffer().is_none());
        assert!(matches!(s.next_event(), Some(Event::Binary(_))));
        s.receive_data(&big[..20]);
        let space = s.input_buffer().expect("inside a large frame");
        assert!(space.len() <= 2 * DIRECT_INPUT_MIN - 6);
        let ping = frame(9, true, b"p", true);
        let mut c = Connection::new(Role::Server, Config::default());
        c.receive_data(&ping[..3]);
        assert!(c.input_buffer().is_none());
    }

    #[test]
    fn space_never_passes_the_frame_end_and_grows_with_the_data() {
        let mut s = Connection::new(Role::Client, Config::default());
        // A header claiming 15 MiB: the buffer must not jump to that size.
        let mut header = vec![0x82, 127];
        header.extend_from_slice(&(15u64 << 20).to_be_bytes());
        s.receive_data(&header);
        let mut received = 0usize;
        while received < 15 << 20 {
            let space = s.input_buffer().unwrap();
            let n = space.len();
            assert!(n <= (15 << 20) - received);
            assert!(
                n <= (1 << 20).max(received + DIRECT_INPUT_MIN),
                "{n} offered after {received} received"
            );
            for b in space.iter_mut() {
                b.write(1);
            }
            unsafe { s.commit_input(n) };
            received += n;
        }
        assert!(matches!(s.next_event(), Some(Event::Binary(v)) if v.len() == 15 << 20));
        // The offer at the very end is exactly the rest.
        let mut s = Connection::new(Role::Client, Config::default());
        s.receive_data(&frame(2, true, &payload(DIRECT_INPUT_MIN + 10), false)[..4 + 10]);
        assert_eq!(s.input_buffer().unwrap().len(), DIRECT_INPUT_MIN);
    }

    #[test]
    fn invalid_utf8_inside_the_direct_part_fails_with_1007_there() {
        let mut text = "a".repeat(3 * DIRECT_INPUT_MIN).into_bytes();
        text[2 * DIRECT_INPUT_MIN] = 0xFF;
        let wire = frame(1, true, &text, true);
        let mut s = Connection::new(Role::Server, Config::default());
        s.receive_data(&wire[..100]);
        // The first direct read stops before the bad byte: no failure yet.
        let space = s.input_buffer().unwrap();
        let n = 2 * DIRECT_INPUT_MIN - 100;
        for (dst, src) in space.iter_mut().zip(&wire[100..100 + n]) {
            dst.write(*src);
        }
        unsafe { s.commit_input(n) };
        assert!(!s.has_events());
        let at = 100 + n;
        let space = s.input_buffer().unwrap();
        for (dst, src) in space.iter_mut().zip(&wire[at..at + 1000]) {
            dst.write(*src);
        }
        unsafe { s.commit_input(1000) };
        assert_eq!(s.next_event(), Some(Event::Failed(Error::InvalidUtf8)));
        let out = s.outgoing();
        assert_eq!((out[0], out[2], out[3]), (0x88, 0x03, 0xEF)); // Close 1007
        assert!(s.input_buffer().is_none());
    }

    #[test]
    fn limits_apply_before_any_direct_input() {
        let config = Config {
            max_message_size: 3 * DIRECT_INPUT_MIN,
            ..Config::default()
        };
        let mut s = Connection::new(Role::Server, config);
        let first = frame(2, false, &payload(2 * DIRECT_INPUT_MIN), true);
        let (events, direct) = drive(&mut s, &first, 4096);
        assert!(events.is_empty());
        assert!(direct > 0);
        let second = frame(0, true, &payload(2 * DIRECT_INPUT_MIN), true);
        s.receive_data(&second[..14]);
        assert!(s.input_buffer().is_none());
        assert!(matches!(
            s.next_event(),
            Some(Event::Failed(Error::MessageTooBig { .. }))
        ));
    }

    #[test]
    #[should_panic(expected = "without a preceding input_buffer")]
    fn commit_without_offer_panics() {
        let mut s = Connection::new(Role::Server, Config::default());
        unsafe { s.commit_input(1) };
    }
}
