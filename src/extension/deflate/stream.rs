// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The two zlib-rs streams of a connection: a raw-deflate compressor that sync-flushes every
//! frame, and a raw-deflate decompressor whose output never grows past a limit.

use std::mem::MaybeUninit;

use zlib_rs::{DeflateConfig, DeflateFlush, InflateFlush, Method, Status, Strategy};

use super::DEFLATE_TAIL;
use crate::error::Error;

/// The window zlib-rs uses for inflating: 15 bits decodes every window from 8 to 15.
const INFLATE_WINDOW_BITS: u8 = 15;
/// The smallest window zlib's raw deflate accepts.
const MIN_DEFLATE_WINDOW_BITS: u8 = 9;
/// Smallest growth step of an inflate output buffer.
const MIN_GROW: usize = 4096;

/// The compressor of one direction.
pub(crate) struct Compressor {
    stream: zlib_rs::Deflate,
}

impl Compressor {
    /// A raw-deflate compressor whose back-references never reach further than `window_bits`.
    /// For 8 bits (which zlib refuses) it uses a 9-bit window with the run-length strategy,
    /// which only ever refers one byte back: valid for a 256-byte window.
    pub(crate) fn new(window_bits: u8, level: u8, mem_level: u8) -> Compressor {
        let strategy = if window_bits < MIN_DEFLATE_WINDOW_BITS {
            Strategy::Rle
        } else {
            Strategy::Default
        };
        let bits = window_bits.max(MIN_DEFLATE_WINDOW_BITS);
        let config = DeflateConfig {
            level: i32::from(level),
            method: Method::Deflated,
            window_bits: -i32::from(bits),
            mem_level: i32::from(mem_level),
            strategy,
        };
        Compressor {
            stream: zlib_rs::Deflate::new_with_config(config),
        }
    }

    /// Forgets the history (no context takeover).
    pub(crate) fn reset(&mut self) {
        self.stream.reset();
    }

    /// Compresses `input` and sync-flushes, appending to `out`. On the last frame of a message
    /// the trailing [`DEFLATE_TAIL`] is removed; if the flush produced nothing at all (nothing
    /// was pending), a single `00` is written instead, so that the receiver, after putting the
    /// tail back, reads one complete empty stored block.
    pub(crate) fn compress(
        &mut self,
        mut input: &[u8],
        out: &mut Vec<u8>,
        last: bool,
    ) -> Result<(), Error> {
        let start = out.len();
        // Deflate output rarely exceeds its input by more than a few bytes per 16 KiB block.
        out.reserve(input.len() + input.len() / 1024 + 16);
        loop {
            if out.capacity() == out.len() {
                out.reserve(out.len().max(MIN_GROW));
            }
            let before_in = self.stream.total_in();
            let before_out = self.stream.total_out();
            let spare = out.spare_capacity_mut();
            let room = spare.len();
            let status = self
                .stream
                .compress_uninit(input, spare, DeflateFlush::SyncFlush)
                .map_err(|_| Error::InvalidState("the deflate stream failed"))?;
            let consumed = (self.stream.total_in() - before_in) as usize;
            let produced = (self.stream.total_out() - before_out) as usize;
            // SAFETY: zlib-rs wrote `produced` bytes at the start of the spare capacity.
            unsafe { out.set_len(out.len() + produced) };
            input = &input[consumed..];
            if status == Status::BufError || (input.is_empty() && produced < room) {
                break;
            }
        }
        if last {
            if out[start..].ends_with(&DEFLATE_TAIL) {
                out.truncate(out.len() - DEFLATE_TAIL.len());
            } else if out.len() == start {
                out.push(0x00);
            }
        }
        Ok(())
    }
}

/// The decompressor of one direction.
pub(crate) struct Decompressor {
    stream: zlib_rs::Inflate,
    /// The deflate stream ended (a block with BFINAL) inside the current message: the rest of
    /// the message is ignored and the stream restarts with the next message.
    ended: bool,
}

impl Decompressor {
    pub(crate) fn new() -> Decompressor {
        Decompressor {
            stream: zlib_rs::Inflate::new(false, INFLATE_WINDOW_BITS),
            ended: false,
        }
    }

    /// Forgets the history and any end-of-stream state.
    pub(crate) fn reset(&mut self) {
        self.stream.reset(false);
        self.ended = false;
    }

    /// Whether a block with BFINAL set ended the stream (a reset is due before the next
    /// message).
    pub(crate) fn ended(&self) -> bool {
        self.ended
    }

    /// Inflates `input`, appending to `out` and never letting it grow past `max_len`: output
    /// beyond the limit fails with [`Error::MessageTooBig`] after at most `max_len` bytes (and
    /// a one-byte probe) were produced. `out`'s capacity is never grown past `max_len`.
    pub(crate) fn inflate(
        &mut self,
        mut input: &[u8],
        out: &mut Vec<u8>,
        max_len: usize,
    ) -> Result<(), Error> {
        loop {
            if self.ended {
                return Ok(());
            }
            let room = max_len.saturating_sub(out.len());
            let before_in = self.stream.total_in();
            let before_out = self.stream.total_out();
            let (status, offered) = if room == 0 {
                // At the limit: one more byte of output means the message is too big.
                let mut probe = [MaybeUninit::<u8>::uninit(); 1];
                let status = self.step(input, &mut probe)?;
                if self.stream.total_out() != before_out {
                    return Err(Error::MessageTooBig {
                        limit: max_len as u64,
                    });
                }
                (status, 1)
            } else {
                if out.capacity() == out.len() {
                    let want = (out.len().max(input.len() * 2)).max(MIN_GROW);
                    out.reserve_exact(want.min(room));
                }
                let spare = out.spare_capacity_mut();
                let n = spare.len().min(room);
                let status = self.step(input, &mut spare[..n])?;
                let produced = (self.stream.total_out() - before_out) as usize;
                // SAFETY: zlib-rs wrote `produced` bytes at the start of the spare capacity.
                unsafe { out.set_len(out.len() + produced) };
                (status, n)
            };
            let consumed = (self.stream.total_in() - before_in) as usize;
            let produced = (self.stream.total_out() - before_out) as usize;
            input = &input[consumed..];
            if status == Status::StreamEnd {
                self.ended = true;
                return Ok(());
            }
            let output_full = produced == offered;
            if !output_full && (input.is_empty() || (consumed == 0 && produced == 0)) {
                return Ok(());
            }
            if status == Status::BufError && consumed == 0 && produced == 0 {
                return Ok(());
            }
        }
    }

    fn step(&mut self, input: &[u8], out: &mut [MaybeUninit<u8>]) -> Result<Status, Error> {
        self.stream
            .decompress_uninit(input, out, InflateFlush::NoFlush)
            .map_err(|e| {
                let why = self.stream.error_message().unwrap_or(e.as_str());
                Error::InvalidCompressedData(why.to_owned())
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inflate_all(data: &[u8], limit: usize) -> Result<Vec<u8>, Error> {
        let mut d = Decompressor::new();
        let mut out = Vec::new();
        d.inflate(data, &mut out, limit)?;
        d.inflate(&DEFLATE_TAIL, &mut out, limit)?;
        Ok(out)
    }

    #[test]
    fn hello_matches_rfc_7692() {
        let mut c = Compressor::new(15, 6, 8);
        let mut out = Vec::new();
        c.compress(b"Hello", &mut out, true).unwrap();
        assert_eq!(out, [0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00]);
        assert_eq!(inflate_all(&out, 100).unwrap(), b"Hello");
    }

    #[test]
    fn empty_message_is_one_byte() {
        let mut c = Compressor::new(15, 6, 8);
        let mut out = Vec::new();
        c.compress(b"", &mut out, true).unwrap();
        assert_eq!(out, [0x00]);
        assert_eq!(inflate_all(&out, 100).unwrap(), b"");
        // And again, with history: still a valid empty message.
        out.clear();
        c.compress(b"", &mut out, true).unwrap();
        assert!(!out.is_empty());
    }

    #[test]
    fn limit_is_exact() {
        let data = vec![b'a'; 10_000];
        let mut c = Compressor::new(15, 6, 8);
        let mut z = Vec::new();
        c.compress(&data, &mut z, true).unwrap();
        assert_eq!(inflate_all(&z, 10_000).unwrap(), data);
        assert_eq!(
            inflate_all(&z, 9_999),
            Err(Error::MessageTooBig { limit: 9_999 })
        );
    }

    #[test]
    fn output_capacity_never_exceeds_the_limit() {
        let data = vec![0u8; 1 << 20];
        let mut c = Compressor::new(15, 9, 8);
        let mut z = Vec::new();
        c.compress(&data, &mut z, true).unwrap();
        let mut d = Decompressor::new();
        let mut out = Vec::new();
        let err = d.inflate(&z, &mut out, 100_000).unwrap_err();
        assert_eq!(err, Error::MessageTooBig { limit: 100_000 });
        assert!(out.capacity() <= 100_000, "{}", out.capacity());
    }

    #[test]
    fn garbage_is_invalid_compressed_data() {
        let err = inflate_all(&[0xff, 0xff, 0xff, 0xff], 100).unwrap_err();
        assert!(matches!(err, Error::InvalidCompressedData(_)), "{err:?}");
    }
}
