// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The queue of bytes to write: a sequence of chunks, each either a buffer the engine encodes
//! frames into (copied bytes, many frames per buffer) or the payload of an owned send (an
//! application's `Vec` moved in, written as it is).
//!
//! Without owned sends the queue is one contiguous buffer (what the C++ faces rely on).
//! Consuming never moves bytes: an offset advances in the front chunk, and chunks written out
//! are recycled (encode buffers here, owned payloads by the caller into the message buffer
//! pool).

use std::collections::VecDeque;
use std::io::IoSlice;

/// Encode buffers kept for reuse once written out.
const MAX_SPARE: usize = 4;

/// One chunk before the tail.
#[derive(Debug)]
enum Chunk {
    /// A buffer of encoded frames.
    Encoded(Vec<u8>),
    /// An owned payload.
    Owned(Vec<u8>),
}

impl Chunk {
    fn bytes(&self) -> &[u8] {
        match self {
            Chunk::Encoded(v) | Chunk::Owned(v) => v,
        }
    }
}

/// The outgoing queue: `sealed` chunks, then `tail`, where encoded frames are appended.
#[derive(Debug, Default)]
pub(crate) struct OutQueue {
    sealed: VecDeque<Chunk>,
    /// Bytes of `sealed.front()` already written.
    head: usize,
    /// Unwritten bytes in `sealed`.
    sealed_len: usize,
    tail: Vec<u8>,
    /// Bytes of `tail` already written (only while `sealed` is empty).
    tail_head: usize,
    spare: Vec<Vec<u8>>,
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
            self.tail.drain(..self.tail_head);
            self.tail_head = 0;
        }
        &mut self.tail
    }

    /// Appends an owned chunk after everything queued.
    pub(crate) fn push_owned(&mut self, data: Vec<u8>) {
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
        self.sealed_len += data.len();
        self.sealed.push_back(Chunk::Owned(data));
    }

    /// The first contiguous run of unwritten bytes.
    #[inline]
    pub(crate) fn front(&self) -> &[u8] {
        match self.sealed.front() {
            Some(chunk) => &chunk.bytes()[self.head..],
            None => &self.tail[self.tail_head..],
        }
    }

    /// Fills `dst` with the unwritten chunks, in order; returns how many it filled.
    pub(crate) fn slices<'a>(&'a self, dst: &mut [IoSlice<'a>]) -> usize {
        let mut n = 0;
        let mut head = self.head;
        for chunk in &self.sealed {
            if n == dst.len() {
                return n;
            }
            dst[n] = IoSlice::new(&chunk.bytes()[head..]);
            head = 0;
            n += 1;
        }
        if n < dst.len() && self.tail.len() > self.tail_head {
            dst[n] = IoSlice::new(&self.tail[self.tail_head..]);
            n += 1;
        }
        n
    }

    /// Marks `n` bytes as written (more than there are counts as all); owned chunks written
    /// out go to `recycle`.
    pub(crate) fn consume(&mut self, mut n: usize, mut recycle: impl FnMut(Vec<u8>)) {
        while n > 0 {
            let Some(front) = self.sealed.front() else {
                let left = self.tail.len() - self.tail_head;
                if n >= left {
                    self.tail.clear();
                    self.tail_head = 0;
                } else {
                    self.tail_head += n;
                }
                return;
            };
            let left = front.bytes().len() - self.head;
            if n < left {
                self.head += n;
                self.sealed_len -= n;
                return;
            }
            n -= left;
            self.sealed_len -= left;
            self.head = 0;
            match self.sealed.pop_front() {
                Some(Chunk::Owned(v)) => recycle(v),
                Some(Chunk::Encoded(mut v)) if self.spare.len() < MAX_SPARE => {
                    v.clear();
                    self.spare.push(v);
                }
                Some(Chunk::Encoded(_)) | None => {}
            }
        }
    }

    /// Takes every unwritten byte as one buffer; owned chunks go to `recycle` once copied.
    pub(crate) fn take_all(&mut self, mut recycle: impl FnMut(Vec<u8>)) -> Vec<u8> {
        if self.sealed.is_empty() {
            if self.tail_head > 0 {
                self.tail.drain(..self.tail_head);
                self.tail_head = 0;
            }
            return std::mem::take(&mut self.tail);
        }
        let mut all = Vec::with_capacity(self.len());
        let mut head = self.head;
        for chunk in self.sealed.drain(..) {
            all.extend_from_slice(&chunk.bytes()[head..]);
            head = 0;
            match chunk {
                Chunk::Owned(v) => recycle(v),
                Chunk::Encoded(_) => {}
            }
        }
        all.extend_from_slice(&self.tail);
        self.tail.clear();
        self.head = 0;
        self.sealed_len = 0;
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contents(q: &OutQueue) -> Vec<u8> {
        let mut slices = [IoSlice::new(&[]); 16];
        let n = q.slices(&mut slices);
        slices[..n].iter().flat_map(|s| s.iter().copied()).collect()
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
    fn owned_chunks_keep_order_and_come_back() {
        let mut q = OutQueue::with_capacity(16);
        q.buffer().extend_from_slice(b"h1");
        q.push_owned(b"payload-one".to_vec());
        q.buffer().extend_from_slice(b"h2");
        q.push_owned(b"payload-two".to_vec());
        q.buffer().extend_from_slice(b"ping");
        assert_eq!(contents(&q), b"h1payload-oneh2payload-twoping");
        assert_eq!(q.len(), 30);
        assert_eq!(q.front(), b"h1");
        let mut back = Vec::new();
        q.consume(5, |v| back.push(v));
        assert_eq!(q.front(), b"load-one");
        assert!(back.is_empty());
        q.consume(10, |v| back.push(v));
        assert_eq!(back, [b"payload-one".to_vec()]);
        assert_eq!(contents(&q), b"payload-twoping");
        let mut limited = [IoSlice::new(&[])];
        assert_eq!(q.slices(&mut limited), 1);
        assert_eq!(&*limited[0], b"payload-two");
        let all = q.take_all(|v| back.push(v));
        assert_eq!(all, b"payload-twoping");
        assert_eq!(back.len(), 2);
        assert_eq!(q.len(), 0);
    }

    #[test]
    fn partially_written_tail_is_sealed_from_its_offset() {
        let mut q = OutQueue::with_capacity(16);
        q.buffer().extend_from_slice(b"abcdef");
        q.consume(2, |_| {});
        q.push_owned(b"XY".to_vec());
        assert_eq!(contents(&q), b"cdefXY");
        assert_eq!(q.len(), 6);
        assert_eq!(q.take_all(|_| {}), b"cdefXY");
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
}
