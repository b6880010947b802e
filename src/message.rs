// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Reassembly of incoming messages: fragments into one buffer, UTF-8 checked as bytes arrive,
//! the message size limit checked before bytes are stored, and partial delivery of frames.
//!
//! Buffers are reused: the message buffer handed out in an event can come back through
//! `Connection::recycle_buffer`, so a connection that gets its buffers back allocates nothing per
//! message.

use std::collections::VecDeque;
use std::mem::MaybeUninit;

use crate::error::Error;
use crate::event::Event;
use crate::mask::{apply_mask, extend_masked};
use crate::utf8::Utf8Validator;

/// The type of a data message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageKind {
    /// A text message (UTF-8).
    Text,
    /// A binary message.
    Binary,
}

/// At most this many spare buffers are kept: enough for a batch of pipelined small messages
/// whose buffers all come back.
const MAX_SPARE_BUFFERS: usize = 64;
/// At most this many bytes (sum of capacities) are kept in spare buffers.
const MAX_SPARE_BYTES: usize = 4 << 20;

/// Builds incoming messages out of frames.
#[derive(Debug)]
pub(crate) struct Assembler {
    kind: Option<MessageKind>,
    /// The message bytes not yet handed out.
    buf: Vec<u8>,
    /// Bytes at the start of `buf` already delivered as frame events.
    delivered: usize,
    /// Bytes of the message so far, delivered or not.
    total: u64,
    utf8: Utf8Validator,
    spare: Vec<Vec<u8>>,
    /// Sum of the capacities of the spare buffers.
    spare_bytes: usize,
    /// The message's payload goes into the caller's memory (`Connection::commit_external`):
    /// `buf` holds nothing of it, `total` and `utf8` still count and check it.
    external: bool,
}

impl Assembler {
    pub(crate) fn new(read_capacity: usize) -> Self {
        Assembler {
            kind: None,
            buf: Vec::with_capacity(read_capacity),
            delivered: 0,
            total: 0,
            utf8: Utf8Validator::new(),
            spare: Vec::new(),
            spare_bytes: 0,
            external: false,
        }
    }

    /// The kind of the message in progress.
    #[inline]
    pub(crate) fn kind(&self) -> Option<MessageKind> {
        self.kind
    }

    /// Starts a message.
    #[inline]
    pub(crate) fn start(&mut self, kind: MessageKind) {
        self.kind = Some(kind);
        self.external = false;
        if self.buf.capacity() == 0 {
            // A fresh buffer is sized by `reserve` from the frame header: a 16-byte message
            // does not pay for `read_capacity`.
            self.buf = self.take_spare();
        }
    }

    /// Bytes of the message so far.
    #[inline]
    pub(crate) fn total(&self) -> u64 {
        self.total
    }

    /// Fails with [`Error::MessageTooBig`] if `extra` more bytes would exceed `limit`.
    #[inline]
    pub(crate) fn check_budget(&self, extra: u64, limit: usize) -> Result<(), Error> {
        if self.total.saturating_add(extra) > limit as u64 {
            return Err(Error::MessageTooBig {
                limit: limit as u64,
            });
        }
        Ok(())
    }

    /// Reserves room for about `additional` more bytes, without trusting a huge claim.
    #[inline]
    pub(crate) fn reserve(&mut self, additional: u64) {
        const MAX_UPFRONT: u64 = 1 << 20;
        self.buf.reserve(additional.min(MAX_UPFRONT) as usize);
    }

    /// Appends payload bytes (unmasking them in place when `mask` is given, `offset` being
    /// their position in the frame payload) and checks them.
    #[inline]
    pub(crate) fn append(
        &mut self,
        data: &[u8],
        mask: Option<[u8; 4]>,
        offset: u64,
    ) -> Result<(), Error> {
        if self.external {
            return Err(Error::InvalidState(
                "the message is being read into external memory",
            ));
        }
        let from = self.buf.len();
        match mask {
            Some(key) => extend_masked(&mut self.buf, data, key, (offset & 3) as usize),
            None => self.buf.extend_from_slice(data),
        }
        self.commit(from)
    }

    /// Room at the end of the buffer for input read straight into it: at most `remaining`
    /// bytes (what is left of the frame's payload). When less than `min` (or `remaining`, if
    /// smaller) is free, the buffer grows first, asking for `min(remaining, max(len, min))`
    /// more bytes: at most doubling, as `extend_from_slice` does, so its size stays bounded by
    /// about twice the bytes actually received (or `min`) while a claimed length is still far
    /// away.
    #[inline]
    pub(crate) fn input_space(&mut self, remaining: u64, min: usize) -> &mut [MaybeUninit<u8>] {
        let remaining = usize::try_from(remaining).unwrap_or(usize::MAX);
        if self.buf.capacity() - self.buf.len() < min.min(remaining) {
            self.buf.reserve(remaining.min(self.buf.len().max(min)));
        }
        let spare = self.buf.spare_capacity_mut();
        let n = spare.len().min(remaining);
        &mut spare[..n]
    }

    /// The free capacity at the end of the buffer (where [`Assembler::input_space`] points).
    #[inline]
    pub(crate) fn len_and_capacity(&self) -> (usize, usize) {
        (self.buf.len(), self.buf.capacity())
    }

    /// Takes `n` bytes written into the space [`Assembler::input_space`] returned: unmasks them
    /// in place (`offset` being their position in the frame payload) and checks them like
    /// [`Assembler::append`].
    ///
    /// # Safety
    /// The first `n` bytes of the spare capacity must be initialized.
    #[inline]
    pub(crate) unsafe fn commit_input(
        &mut self,
        n: usize,
        mask: Option<[u8; 4]>,
        offset: u64,
    ) -> Result<(), Error> {
        let from = self.buf.len();
        assert!(n <= self.buf.capacity() - from);
        // SAFETY: within the capacity (checked above) and initialized (the caller's promise).
        unsafe { self.buf.set_len(from + n) };
        if let Some(key) = mask {
            apply_mask(&mut self.buf[from..], key, (offset & 3) as usize);
        }
        self.commit(from)
    }

    /// The buffer, for an extension to append decoded bytes to; call [`Assembler::commit`]
    /// with its old length afterwards.
    #[inline]
    pub(crate) fn buffer(&mut self) -> &mut Vec<u8> {
        &mut self.buf
    }

    /// Checks and counts the bytes appended to the buffer since it was `from` bytes long.
    #[inline]
    pub(crate) fn commit(&mut self, from: usize) -> Result<(), Error> {
        let new = &self.buf[from..];
        self.total += new.len() as u64;
        if self.kind == Some(MessageKind::Text) {
            self.utf8.feed(new)?;
        }
        Ok(())
    }

    /// The message bytes held and not yet handed out (unmasked and checked).
    #[inline]
    pub(crate) fn held(&self) -> &[u8] {
        &self.buf[self.delivered..]
    }

    /// True while the message's payload goes into the caller's memory.
    #[inline]
    pub(crate) fn is_external(&self) -> bool {
        self.external
    }

    /// The rest of the message goes into the caller's memory, which took the bytes held
    /// (they are dropped; the buffer stays for the next message).
    pub(crate) fn begin_external(&mut self) {
        self.buf.clear();
        self.delivered = 0;
        self.external = true;
    }

    /// Counts and checks bytes of the message written into the caller's memory (unmasked).
    #[inline]
    pub(crate) fn commit_external(&mut self, data: &[u8]) -> Result<(), Error> {
        self.total += data.len() as u64;
        if self.kind == Some(MessageKind::Text) {
            self.utf8.feed(data)?;
        }
        Ok(())
    }

    /// Ends the message read into the caller's memory: text must not end inside a code point.
    /// The assembler is ready for the next message either way.
    pub(crate) fn finish_external(&mut self) -> Result<(), Error> {
        let text = self.kind == Some(MessageKind::Text);
        self.kind = None;
        self.external = false;
        self.delivered = 0;
        self.total = 0;
        if text {
            self.utf8.finish()
        } else {
            Ok(())
        }
    }

    /// Ends a frame: queues a frame event when `frame_events` is on and, on the last frame, the
    /// message event when `message_events` is on.
    pub(crate) fn end_frame(
        &mut self,
        fin: bool,
        frame_events: bool,
        message_events: bool,
        events: &mut VecDeque<Event>,
    ) -> Result<(), Error> {
        let Some(kind) = self.kind else {
            return Ok(());
        };
        if fin && kind == MessageKind::Text {
            self.utf8.finish()?;
        }
        if frame_events {
            let end = self.buf.len() - self.utf8.pending_len();
            // Without message events, a frame that is the whole buffer hands the buffer over
            // instead of copying it (the buffer would be emptied below anyway); the message's
            // next frame or the next message gets a buffer as usual.
            let whole = !message_events && self.delivered == 0 && end == self.buf.len();
            let data = if whole {
                std::mem::take(&mut self.buf)
            } else {
                self.buf[self.delivered..end].to_vec()
            };
            self.delivered = if whole { 0 } else { end };
            events.push_back(match kind {
                // SAFETY: every byte of the message was checked by the validator, and `end`
                // excludes an incomplete trailing code point.
                MessageKind::Text => Event::TextFrame {
                    data: unsafe { String::from_utf8_unchecked(data) },
                    is_last: fin,
                },
                MessageKind::Binary => Event::BinaryFrame { data, is_last: fin },
            });
            if !message_events {
                self.buf.drain(..self.delivered);
                self.delivered = 0;
            }
        }
        if fin {
            if message_events {
                // The next message picks its buffer when it starts, so a buffer recycled in
                // between (likely grown to the right size) is the one it gets.
                let data = std::mem::take(&mut self.buf);
                events.push_back(match kind {
                    MessageKind::Text => {
                        debug_assert!(std::str::from_utf8(&data).is_ok());
                        // SAFETY: the validator checked every byte and `finish` found no
                        // incomplete code point at the end.
                        Event::Text(unsafe { String::from_utf8_unchecked(data) })
                    }
                    MessageKind::Binary => Event::Binary(data),
                });
            } else {
                self.buf.clear();
            }
            self.kind = None;
            self.delivered = 0;
            self.total = 0;
        }
        Ok(())
    }

    /// A whole message that arrived as one frame, its payload complete in `payload` (masked
    /// with `mask` when given), while no message is in progress: unmasked into a message
    /// buffer (the one kept or a spare) and returned as its event. Text that is not valid
    /// UTF-8 returns `None` with nothing changed but the buffer's contents, so that the
    /// general path reports the error where it starts (at the first invalid byte).
    ///
    /// With `as_frame`, the event is the message's one frame event (`TextFrame` or
    /// `BinaryFrame` with `is_last`), as `end_frame` gives it when frame events are on and
    /// message events off.
    #[inline]
    pub(crate) fn whole_message(
        &mut self,
        kind: MessageKind,
        payload: &[u8],
        mask: Option<[u8; 4]>,
        as_frame: bool,
    ) -> Option<Event> {
        debug_assert!(self.kind.is_none() && self.buf.is_empty());
        // The buffer kept (the first message's) or a spare one; the general path takes one
        // the same way when its next message starts.
        let mut buf = if self.buf.capacity() != 0 {
            std::mem::take(&mut self.buf)
        } else {
            self.take_spare()
        };
        match mask {
            Some(key) => extend_masked(&mut buf, payload, key, 0),
            None => buf.extend_from_slice(payload),
        }
        match kind {
            MessageKind::Binary if as_frame => Some(Event::BinaryFrame {
                data: buf,
                is_last: true,
            }),
            MessageKind::Binary => Some(Event::Binary(buf)),
            MessageKind::Text if crate::utf8::is_valid(&buf) => {
                // SAFETY: checked just above.
                let text = unsafe { String::from_utf8_unchecked(buf) };
                Some(if as_frame {
                    Event::TextFrame {
                        data: text,
                        is_last: true,
                    }
                } else {
                    Event::Text(text)
                })
            }
            MessageKind::Text => {
                buf.clear();
                self.buf = buf;
                None
            }
        }
    }

    /// Takes a buffer back for later messages.
    pub(crate) fn recycle(&mut self, mut buf: Vec<u8>) {
        let capacity = buf.capacity();
        if capacity == 0
            || self.spare.len() >= MAX_SPARE_BUFFERS
            || self.spare_bytes + capacity > MAX_SPARE_BYTES
        {
            return;
        }
        buf.clear();
        self.spare_bytes += capacity;
        self.spare.push(buf);
    }

    /// A spare buffer, or an empty one.
    #[inline]
    fn take_spare(&mut self) -> Vec<u8> {
        match self.spare.pop() {
            Some(buf) => {
                self.spare_bytes -= buf.capacity();
                buf
            }
            None => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_fragments_split_at_char_boundaries() {
        let mut a = Assembler::new(16);
        let mut events = VecDeque::new();
        a.start(MessageKind::Text);
        let euro = "€".as_bytes(); // 3 bytes
        a.append(&[b'a', euro[0]], None, 0).unwrap();
        a.end_frame(false, true, true, &mut events).unwrap();
        a.append(&euro[1..], None, 0).unwrap();
        a.end_frame(true, true, true, &mut events).unwrap();
        let got: Vec<Event> = events.drain(..).collect();
        assert_eq!(
            got,
            [
                Event::TextFrame {
                    data: "a".into(),
                    is_last: false
                },
                Event::TextFrame {
                    data: "€".into(),
                    is_last: true
                },
                Event::Text("a€".into()),
            ]
        );
    }

    #[test]
    fn streaming_without_message_events_keeps_only_the_tail() {
        let mut a = Assembler::new(16);
        let mut events = VecDeque::new();
        a.start(MessageKind::Text);
        a.append(b"abc\xe2\x82", None, 0).unwrap();
        a.end_frame(false, true, false, &mut events).unwrap();
        assert_eq!(a.buf, b"\xe2\x82");
        assert_eq!(a.total(), 5);
        a.append(b"\xac", None, 0).unwrap();
        a.end_frame(true, true, false, &mut events).unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(a.kind(), None);
        assert_eq!(a.total(), 0);
    }

    #[test]
    fn frame_events_hand_over_a_whole_buffer_without_copying() {
        let mut a = Assembler::new(16);
        let mut events = VecDeque::new();
        a.start(MessageKind::Binary);
        a.reserve(64 * 1024);
        a.append(&[7u8; 64 * 1024], None, 0).unwrap();
        let before = a.buf.as_ptr();
        a.end_frame(false, true, false, &mut events).unwrap();
        // Frames after the first of the same message start from an empty buffer.
        a.append(b"tail", None, 0).unwrap();
        a.end_frame(true, true, false, &mut events).unwrap();
        match (&events[0], &events[1]) {
            (
                Event::BinaryFrame {
                    data: first,
                    is_last: false,
                },
                Event::BinaryFrame {
                    data: last,
                    is_last: true,
                },
            ) => {
                assert_eq!(first.as_ptr(), before); // the buffer itself, not a copy
                assert_eq!(first.len(), 64 * 1024);
                assert_eq!(last, b"tail");
            }
            other => panic!("unexpected events {other:?}"),
        }
        assert_eq!(a.kind(), None);
        assert!(a.buf.is_empty());
    }

    #[test]
    fn unmasks_with_offset_and_checks_budget() {
        let mut a = Assembler::new(0);
        let mut events = VecDeque::new();
        a.start(MessageKind::Binary);
        let key = [1, 2, 3, 4];
        let mut masked = *b"Hello";
        apply_mask(&mut masked, key, 0);
        a.append(&masked[..3], Some(key), 0).unwrap();
        a.append(&masked[3..], Some(key), 3).unwrap();
        assert!(a.check_budget(5, 10).is_ok());
        assert_eq!(
            a.check_budget(6, 10),
            Err(Error::MessageTooBig { limit: 10 })
        );
        a.end_frame(true, false, true, &mut events).unwrap();
        assert_eq!(events.pop_front(), Some(Event::Binary(b"Hello".to_vec())));
    }

    #[test]
    fn invalid_text_fails_and_truncated_text_fails_at_end() {
        let mut a = Assembler::new(0);
        a.start(MessageKind::Text);
        assert_eq!(a.append(b"\xff", None, 0), Err(Error::InvalidUtf8));
        let mut a = Assembler::new(0);
        let mut events = VecDeque::new();
        a.start(MessageKind::Text);
        a.append(b"\xe2\x82", None, 0).unwrap();
        assert_eq!(
            a.end_frame(true, false, true, &mut events),
            Err(Error::InvalidUtf8)
        );
    }

    #[test]
    fn input_space_grows_with_the_data_and_commits_unmask_and_check() {
        let mut a = Assembler::new(0);
        a.start(MessageKind::Text);
        // Never more than what remains; a large claim does not allocate it.
        let space = a.input_space(10, 4096);
        assert_eq!(space.len(), 10);
        let space = a.input_space(1 << 30, 4096);
        assert!(space.len() >= 4096 && space.len() < 1 << 20);
        let key = [9, 8, 7, 6];
        let mut masked = *b"hello world";
        apply_mask(&mut masked, key, 0);
        let space = a.input_space(5, 4);
        for (dst, src) in space.iter_mut().zip(&masked[..5]) {
            dst.write(*src);
        }
        unsafe { a.commit_input(5, Some(key), 0) }.unwrap();
        let space = a.input_space(6, 4);
        for (dst, src) in space.iter_mut().zip(&masked[5..]) {
            dst.write(*src);
        }
        unsafe { a.commit_input(6, Some(key), 5) }.unwrap();
        assert_eq!(a.buf, b"hello world");
        assert_eq!(a.total(), 11);
        let space = a.input_space(1, 1);
        space[0].write(0xFF);
        assert_eq!(
            unsafe { a.commit_input(1, None, 0) },
            Err(Error::InvalidUtf8)
        );
    }

    #[test]
    fn recycled_buffers_are_reused() {
        let mut a = Assembler::new(0);
        let mut events = VecDeque::new();
        let buf = Vec::with_capacity(64);
        let ptr = buf.as_ptr();
        a.recycle(buf);
        a.start(MessageKind::Binary);
        a.append(b"x", None, 0).unwrap();
        a.end_frame(true, false, true, &mut events).unwrap();
        let Some(Event::Binary(v)) = events.pop_front() else {
            panic!("no message");
        };
        assert_eq!(v.as_ptr(), ptr);
    }
}
