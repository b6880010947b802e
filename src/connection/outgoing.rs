// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The queue of bytes to write: a sequence of chunks, each either a buffer the engine encodes
//! frames into (copied bytes, many frames per buffer) or one frame of an owned or shared send
//! (its header kept in the chunk, its payload a range of an application's buffer moved in and
//! written as it is; a message split into several frames is several such chunks over one
//! buffer).
//!
//! Without owned or shared sends the queue is one contiguous buffer. Consuming never moves
//! bytes: an offset advances in the front chunk, and chunks written out are recycled (encode
//! buffers here, owned `Vec` payloads by the caller into the message buffer pool) or dropped
//! (shared payloads, which releases them to their owner).

use std::collections::VecDeque;
use std::io::IoSlice;

use crate::frame::{FrameHeader, MAX_HEADER_LEN};

/// Encode buffers kept for reuse once written out.
const MAX_SPARE: usize = 4;

/// A payload the application lends the engine until its bytes are written: anything that owns
/// bytes (`Vec<u8>`, `Box<[u8]>`, `Arc<[u8]>`, a `String`, or a handle on memory of another
/// language whose `Drop` releases it). The engine only reads it through `AsRef`, and drops it
/// exactly once: when its last byte was written, when the queue is taken or the connection is
/// dropped, or at once when it is copied (small messages, clients, extensions).
pub type SharedPayload = Box<dyn AsRef<[u8]> + Send>;

/// A payload the `Frame` chunks point into.
enum Payload {
    /// Moved in by an owned send; masked in place for clients, recycled once written.
    Owned(Vec<u8>),
    /// Lent by a shared send; never written to, dropped once written.
    Shared(SharedPayload),
}

impl Payload {
    #[inline]
    fn bytes(&self) -> &[u8] {
        match self {
            Payload::Owned(v) => v,
            Payload::Shared(p) => (**p).as_ref(),
        }
    }
}

impl std::fmt::Debug for Payload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Payload::Owned(v) => write!(f, "Owned({} bytes)", v.len()),
            Payload::Shared(p) => write!(f, "Shared({} bytes)", (**p).as_ref().len()),
        }
    }
}

/// One chunk before the tail.
#[derive(Debug)]
enum Chunk {
    /// A buffer of encoded frames.
    Encoded(Vec<u8>),
    /// One frame of an owned payload: its header, then `start..end` of the oldest owned buffer
    /// not yet written out (`last`: the buffer's final frame).
    Frame {
        header: [u8; MAX_HEADER_LEN],
        header_len: u8,
        start: usize,
        end: usize,
        last: bool,
    },
}

impl Chunk {
    fn len(&self) -> usize {
        match self {
            Chunk::Encoded(v) => v.len(),
            Chunk::Frame {
                header_len,
                start,
                end,
                ..
            } => *header_len as usize + end - start,
        }
    }

    /// The chunk's bytes from `offset` on, as up to two slices (header part, payload part).
    fn parts<'a>(&'a self, owned: &'a [u8], offset: usize) -> (&'a [u8], &'a [u8]) {
        match self {
            Chunk::Encoded(v) => (&v[offset..], &[]),
            Chunk::Frame {
                header,
                header_len,
                start,
                end,
                ..
            } => {
                let h = *header_len as usize;
                if offset < h {
                    (&header[offset..h], &owned[*start..*end])
                } else {
                    (&[], &owned[start + offset - h..*end])
                }
            }
        }
    }
}

/// The outgoing queue: `sealed` chunks, then `tail`, where encoded frames are appended.
#[derive(Debug, Default)]
pub(crate) struct OutQueue {
    sealed: VecDeque<Chunk>,
    /// The owned or shared payloads the `Frame` chunks point into, oldest first.
    owned: VecDeque<Payload>,
    /// Bytes of `sealed.front()` already written.
    head: usize,
    /// Unwritten bytes in `sealed`.
    sealed_len: usize,
    tail: Vec<u8>,
    /// Bytes of `tail` already written (only while `sealed` is empty).
    tail_head: usize,
    spare: Vec<Vec<u8>>,
    /// The automatic Pong waiting in `tail` with none of its bytes written: its start and
    /// length there (see [`OutQueue::remove_pending_pong`]).
    pong: Option<(usize, usize)>,
}

impl OutQueue {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        OutQueue {
            tail: Vec::with_capacity(capacity),
            ..OutQueue::default()
        }
    }

    /// Unwritten bytes in all.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.sealed_len + self.tail.len() - self.tail_head
    }

    /// The buffer to append encoded bytes to. A written prefix of it is dropped first once it
    /// is at least half the buffer (so the bytes moved never exceed the bytes written before).
    #[inline]
    pub(crate) fn buffer(&mut self) -> &mut Vec<u8> {
        if self.tail_head > 0 && self.tail_head * 2 >= self.tail.len() {
            self.drop_written_prefix();
        }
        &mut self.tail
    }

    /// See [`OutQueue::buffer`].
    #[cold]
    fn drop_written_prefix(&mut self) {
        self.tail.drain(..self.tail_head);
        if let Some((start, _)) = &mut self.pong {
            *start -= self.tail_head;
        }
        self.tail_head = 0;
    }

    /// Removes the automatic Pong queued by [`OutQueue::set_pending_pong`] if none of its
    /// bytes was written yet (the frames after it move up). RFC 6455 §5.5.3 lets an endpoint
    /// answer only the most recent Ping: a peer that sends pings but never reads then costs
    /// one Pong, not one per Ping.
    pub(crate) fn remove_pending_pong(&mut self) {
        if let Some((start, len)) = self.pong.take() {
            self.tail.drain(start..start + len);
        }
    }

    /// Marks the bytes of `tail` from `start` to its end (one Pong frame just appended) as
    /// the pending automatic Pong.
    pub(crate) fn set_pending_pong(&mut self, start: usize) {
        debug_assert!(start >= self.tail_head && start <= self.tail.len());
        self.pong = Some((start, self.tail.len() - start));
    }

    /// Appends an owned payload after everything queued; its frames follow with
    /// [`OutQueue::push_frame`], and [`OutQueue::last_owned`] gives it back for masking.
    pub(crate) fn push_owned(&mut self, data: Vec<u8>) {
        self.push_payload(Payload::Owned(data));
    }

    /// Appends a shared payload after everything queued (never masked or changed); its
    /// frames follow with [`OutQueue::push_frame`]. It is dropped once written.
    pub(crate) fn push_shared(&mut self, data: SharedPayload) {
        self.push_payload(Payload::Shared(data));
    }

    fn push_payload(&mut self, data: Payload) {
        // A Pong in a sealed chunk stays where it is.
        self.pong = None;
        if self.tail.len() > self.tail_head {
            let fresh = self.spare.pop().unwrap_or_default();
            let tail = std::mem::replace(&mut self.tail, fresh);
            if self.sealed.is_empty() {
                self.head = self.tail_head;
            }
            self.sealed_len += tail.len() - self.tail_head;
            self.tail_head = 0;
            self.sealed.push_back(Chunk::Encoded(tail));
        } else {
            self.tail.clear();
            self.tail_head = 0;
        }
        self.owned.push_back(data);
    }

    /// The payload last given to [`OutQueue::push_owned`] (empty for a shared one).
    pub(crate) fn last_owned(&mut self) -> &mut [u8] {
        match self.owned.back_mut() {
            Some(Payload::Owned(v)) => &mut v[..],
            _ => &mut [],
        }
    }

    /// Queues a frame of the last owned payload: `header`, then its bytes `start..end`
    /// (`last` for its final frame, which hands the payload back once written).
    pub(crate) fn push_frame(
        &mut self,
        header: &FrameHeader,
        start: usize,
        end: usize,
        last: bool,
    ) {
        let mut bytes = [0u8; MAX_HEADER_LEN];
        let header_len = header.encode(&mut bytes);
        let chunk = Chunk::Frame {
            header: bytes,
            header_len: header_len as u8,
            start,
            end,
            last,
        };
        self.sealed_len += chunk.len();
        self.sealed.push_back(chunk);
    }

    /// The first contiguous run of unwritten bytes.
    #[inline]
    pub(crate) fn front(&self) -> &[u8] {
        match self.sealed.front() {
            Some(chunk) => {
                let owned = self.owned.front().map_or(&[][..], Payload::bytes);
                match chunk.parts(owned, self.head) {
                    (header, _) if !header.is_empty() => header,
                    (_, payload) => payload,
                }
            }
            None => &self.tail[self.tail_head..],
        }
    }

    /// Fills `dst` with the unwritten runs of bytes, in order; returns how many it filled.
    pub(crate) fn slices<'a>(&'a self, dst: &mut [IoSlice<'a>]) -> usize {
        let mut n = 0;
        let mut offset = self.head;
        let mut owned = self.owned.iter();
        let mut current = owned.next();
        for chunk in &self.sealed {
            let payload = current.map_or(&[][..], Payload::bytes);
            let (a, b) = chunk.parts(payload, offset);
            offset = 0;
            for part in [a, b] {
                if !part.is_empty() {
                    if n == dst.len() {
                        return n;
                    }
                    dst[n] = IoSlice::new(part);
                    n += 1;
                }
            }
            if let Chunk::Frame { last: true, .. } = chunk {
                current = owned.next();
            }
        }
        if n < dst.len() && self.tail.len() > self.tail_head {
            dst[n] = IoSlice::new(&self.tail[self.tail_head..]);
            n += 1;
        }
        n
    }

    /// Marks `n` bytes as written (more than there are counts as all); owned payloads written
    /// out go to `recycle`, shared ones are dropped.
    pub(crate) fn consume(&mut self, mut n: usize, mut recycle: impl FnMut(Vec<u8>)) {
        while n > 0 {
            let Some(front) = self.sealed.front() else {
                let left = self.tail.len() - self.tail_head;
                if n >= left {
                    self.tail.clear();
                    self.tail_head = 0;
                    self.pong = None;
                } else {
                    self.tail_head += n;
                    if self.pong.is_some_and(|(start, _)| start < self.tail_head) {
                        self.pong = None;
                    }
                }
                return;
            };
            let left = front.len() - self.head;
            if n < left {
                self.head += n;
                self.sealed_len -= n;
                return;
            }
            n -= left;
            self.sealed_len -= left;
            self.head = 0;
            match self.sealed.pop_front() {
                Some(Chunk::Frame { last: true, .. }) => {
                    if let Some(Payload::Owned(v)) = self.owned.pop_front() {
                        recycle(v);
                    }
                }
                Some(Chunk::Encoded(mut v)) if self.spare.len() < MAX_SPARE => {
                    v.clear();
                    self.spare.push(v);
                }
                _ => {}
            }
        }
    }

    /// Takes every unwritten byte as one buffer; owned payloads go to `recycle` once copied,
    /// shared ones are dropped.
    pub(crate) fn take_all(&mut self, mut recycle: impl FnMut(Vec<u8>)) -> Vec<u8> {
        self.pong = None;
        if self.sealed.is_empty() {
            if self.tail_head > 0 {
                self.tail.drain(..self.tail_head);
                self.tail_head = 0;
            }
            return std::mem::take(&mut self.tail);
        }
        let mut all = Vec::with_capacity(self.len());
        loop {
            let mut slices = [IoSlice::new(&[]); 64];
            let n = self.slices(&mut slices);
            if n == 0 {
                break;
            }
            let mut written = 0;
            for slice in &slices[..n] {
                all.extend_from_slice(slice);
                written += slice.len();
            }
            self.consume(written, &mut recycle);
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::write_frame;
    use crate::protocol::OpCode;

    fn contents(q: &OutQueue) -> Vec<u8> {
        let mut slices = [IoSlice::new(&[]); 64];
        let n = q.slices(&mut slices);
        slices[..n].iter().flat_map(|s| s.iter().copied()).collect()
    }

    /// Queues `data` as an owned payload in frames of `size` bytes; returns the same frames
    /// encoded the copying way.
    fn push(q: &mut OutQueue, data: &[u8], size: usize) -> Vec<u8> {
        let mut expected = Vec::new();
        q.push_owned(data.to_vec());
        let mut start = 0;
        while start < data.len() {
            let end = (start + size).min(data.len());
            let last = end == data.len();
            let op = if start == 0 {
                OpCode::Binary
            } else {
                OpCode::Continue
            };
            let header = FrameHeader::new(last, op, None, (end - start) as u64);
            q.push_frame(&header, start, end, last);
            write_frame(&mut expected, &header, &data[start..end]);
            start = end;
        }
        expected
    }

    #[test]
    fn one_contiguous_buffer_without_owned_chunks() {
        let mut q = OutQueue::with_capacity(16);
        q.buffer().extend_from_slice(b"hello");
        q.buffer().extend_from_slice(b" world");
        assert_eq!(q.front(), b"hello world");
        let ptr = q.front().as_ptr();
        q.consume(3, |_| panic!("nothing owned"));
        assert_eq!(q.front(), b"lo world");
        assert_eq!(q.front().as_ptr(), ptr.wrapping_add(3)); // not moved
        assert_eq!(q.len(), 8);
        q.consume(100, |_| {});
        assert_eq!(q.len(), 0);
        assert!(q.front().is_empty());
    }

    #[test]
    fn owned_frames_keep_order_and_payloads_come_back() {
        let mut q = OutQueue::with_capacity(16);
        let mut expected = b"h1".to_vec();
        q.buffer().extend_from_slice(b"h1");
        expected.extend(push(&mut q, b"payload-one", 100));
        q.buffer().extend_from_slice(b"h2");
        expected.extend_from_slice(b"h2");
        expected.extend(push(&mut q, b"payload-two-in-frames", 4));
        q.buffer().extend_from_slice(b"ping");
        expected.extend_from_slice(b"ping");
        assert_eq!(contents(&q), expected);
        assert_eq!(q.len(), expected.len());
        assert_eq!(q.front(), b"h1");
        let mut back = Vec::new();
        q.consume(2, |v| back.push(v));
        // Byte by byte through the first owned frame: header, then payload.
        for (i, byte) in expected.iter().enumerate().take(2 + 2 + 11).skip(2) {
            assert_eq!(q.front()[0], *byte, "byte {i}");
            q.consume(1, |v| back.push(v));
        }
        assert_eq!(back, [b"payload-one".to_vec()]);
        assert_eq!(q.front(), b"h2");
        let mut limited = [IoSlice::new(&[]); 3];
        assert_eq!(q.slices(&mut limited), 3);
        assert_eq!(&*limited[2], b"payl");
        let all = q.take_all(|v| back.push(v));
        assert_eq!(all, expected[15..]);
        assert_eq!(back.len(), 2);
        assert_eq!(q.len(), 0);
        assert!(q.front().is_empty());
    }

    #[test]
    fn partially_written_tail_is_sealed_from_its_offset() {
        let mut q = OutQueue::with_capacity(16);
        q.buffer().extend_from_slice(b"abcdef");
        q.consume(2, |_| {});
        let frame = push(&mut q, b"XY", 10);
        assert_eq!(contents(&q), [&b"cdef"[..], &frame].concat());
        assert_eq!(q.len(), 4 + frame.len());
        assert_eq!(q.take_all(|_| {}), [&b"cdef"[..], &frame].concat());
    }

    #[test]
    fn appending_after_half_was_written_drops_the_written_prefix() {
        let mut q = OutQueue::with_capacity(16);
        q.buffer().extend_from_slice(b"0123456789");
        q.consume(4, |_| {});
        q.buffer().extend_from_slice(b"ab");
        assert_eq!(q.front(), b"456789ab");
        q.consume(3, |_| {});
        q.buffer().extend_from_slice(b"c");
        assert_eq!(q.front(), b"789abc");
        assert_eq!(q.take_all(|_| {}), b"789abc");
    }

    /// Appends a pending Pong `p` the way the connection does.
    fn pong(q: &mut OutQueue, p: &[u8]) {
        q.remove_pending_pong();
        let start = q.buffer().len();
        q.buffer().extend_from_slice(p);
        q.set_pending_pong(start);
    }

    #[test]
    fn an_unwritten_pong_is_replaced_and_the_frames_after_it_move_up() {
        let mut q = OutQueue::with_capacity(16);
        q.buffer().extend_from_slice(b"ab");
        pong(&mut q, b"P1");
        q.buffer().extend_from_slice(b"cd");
        pong(&mut q, b"P2");
        assert_eq!(q.front(), b"abcdP2");
        pong(&mut q, b"P3x");
        assert_eq!(q.front(), b"abcdP3x");
        // Written up to the Pong, not into it: still replaceable, after the written prefix
        // is dropped by the next append.
        q.consume(4, |_| {});
        q.buffer().extend_from_slice(b"e");
        pong(&mut q, b"P4");
        assert_eq!(q.front(), b"eP4");
        assert_eq!(q.len(), 3);
    }

    #[test]
    fn a_pong_partly_written_or_sealed_stays() {
        let mut q = OutQueue::with_capacity(16);
        pong(&mut q, b"P1");
        q.consume(1, |_| {});
        pong(&mut q, b"P2");
        assert_eq!(q.front(), b"1P2");
        q.consume(3, |_| {});
        assert_eq!(q.len(), 0);
        pong(&mut q, b"P3");
        let frame = push(&mut q, b"XY", 10);
        pong(&mut q, b"P4");
        pong(&mut q, b"P5");
        assert_eq!(contents(&q), [&b"P3"[..], &frame, b"P5"].concat());
        assert_eq!(q.take_all(|_| {}), [&b"P3"[..], &frame, b"P5"].concat());
        pong(&mut q, b"P6");
        assert_eq!(q.front(), b"P6");
    }
}
