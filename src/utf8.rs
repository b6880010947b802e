// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Incremental UTF-8 validation across chunks and fragments, on a SIMD validator (`simdutf8`).
//!
//! A text message arrives in pieces (frames, and reads within a frame). [`Utf8Validator`]
//! checks each piece as it comes, keeps the bytes of a code point cut at the end of a piece,
//! and fails on the first byte that can never be part of valid UTF-8, so a bad message is
//! rejected as soon as the bad byte arrives, not at its end.

use crate::error::Error;
use simdutf8::compat::from_utf8;

/// Validates UTF-8 that arrives in pieces.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Utf8Validator {
    pending: [u8; 4],
    pending_len: u8,
}

impl Utf8Validator {
    /// A validator at the start of a text.
    pub const fn new() -> Self {
        Utf8Validator {
            pending: [0; 4],
            pending_len: 0,
        }
    }

    /// The number of bytes at the end of the input so far that start a code point not yet
    /// complete (0 to 3).
    #[inline]
    pub fn pending_len(&self) -> usize {
        usize::from(self.pending_len)
    }

    /// Validates the next piece. Fails with [`Error::InvalidUtf8`] as soon as the input can no
    /// longer be valid UTF-8, whatever follows.
    #[inline]
    pub fn feed(&mut self, data: &[u8]) -> Result<(), Error> {
        // A short ASCII piece with no code point pending is settled here, inlined at the
        // caller (the general path's setup costs more than the check for a few bytes).
        if self.pending_len == 0 && is_short_ascii(data) {
            return Ok(());
        }
        self.feed_general(data)
    }

    /// [`Utf8Validator::feed`] for any piece.
    #[inline(never)]
    fn feed_general(&mut self, mut data: &[u8]) -> Result<(), Error> {
        if self.pending_len > 0 {
            let have = usize::from(self.pending_len);
            let need = sequence_len(self.pending[0]).saturating_sub(have);
            let take = need.min(data.len());
            self.pending[have..have + take].copy_from_slice(&data[..take]);
            let total = have + take;
            match from_utf8(&self.pending[..total]) {
                Ok(_) => self.pending_len = 0,
                Err(e) if e.error_len().is_some() => return Err(Error::InvalidUtf8),
                Err(_) => {
                    // Still incomplete: all of `data` went into the pending code point.
                    self.pending_len = total as u8;
                    return Ok(());
                }
            }
            data = &data[take..];
        }
        match from_utf8(data) {
            Ok(_) => Ok(()),
            Err(e) if e.error_len().is_some() => Err(Error::InvalidUtf8),
            Err(e) => {
                let tail = &data[e.valid_up_to()..];
                self.pending[..tail.len()].copy_from_slice(tail);
                self.pending_len = tail.len() as u8;
                Ok(())
            }
        }
    }

    /// Ends the text: fails if it ends inside a code point. The validator is reset either way.
    pub fn finish(&mut self) -> Result<(), Error> {
        let incomplete = self.pending_len != 0;
        self.reset();
        if incomplete {
            Err(Error::InvalidUtf8)
        } else {
            Ok(())
        }
    }

    /// Forgets any pending bytes: the next piece starts a new text.
    #[inline]
    pub fn reset(&mut self) {
        self.pending_len = 0;
    }
}

/// Inputs up to this long are first checked for plain ASCII a word at a time.
const SHORT_INPUT: usize = 64;

/// Whether `data` is short and all ASCII: the common case of a small text message, which this
/// settles in a few word operations (the SIMD validator's setup costs more than that for a
/// handful of bytes).
#[inline(always)]
fn is_short_ascii(data: &[u8]) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let n = data.len();
    if n > SHORT_INPUT {
        return false;
    }
    let load8 = |at: usize| u64::from_ne_bytes(data[at..at + 8].try_into().unwrap());
    let load4 = |at: usize| u32::from_ne_bytes(data[at..at + 4].try_into().unwrap());
    if n >= 8 {
        // Whole words, then the last 8 bytes (overlapping the words): no byte loop.
        let mut high = load8(n - 8);
        let mut at = 0;
        while at + 8 <= n {
            high |= load8(at);
            at += 8;
        }
        high & HIGH == 0
    } else if n >= 4 {
        (load4(0) | load4(n - 4)) & HIGH as u32 == 0
    } else {
        data.iter().all(|&b| b < 0x80)
    }
}

/// Whether `data` is valid UTF-8 as a whole.
#[inline]
pub(crate) fn is_valid(data: &[u8]) -> bool {
    is_short_ascii(data) || simdutf8::basic::from_utf8(data).is_ok()
}

/// The length of the sequence a leading byte starts (1 for bytes that cannot lead one: the
/// validator then reports them).
#[inline]
fn sequence_len(lead: u8) -> usize {
    match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn validate_split(data: &[u8]) -> bool {
        let whole = std::str::from_utf8(data).is_ok();
        for cut in 0..=data.len() {
            for cut2 in cut..=data.len() {
                let mut v = Utf8Validator::new();
                let ok = v.feed(&data[..cut]).is_ok()
                    && v.feed(&data[cut..cut2]).is_ok()
                    && v.feed(&data[cut2..]).is_ok()
                    && v.finish().is_ok();
                assert_eq!(ok, whole, "{data:x?} cut {cut} {cut2}");
            }
        }
        whole
    }

    #[test]
    fn valid_text_split_anywhere() {
        assert!(validate_split("Hello-µ@ßöäüàá-UTF-8!!".as_bytes()));
        assert!(validate_split("κόσμε".as_bytes()));
        assert!(validate_split("\u{10FFFF}\u{FFFF}a\u{80}".as_bytes()));
        assert!(validate_split(b""));
    }

    #[test]
    fn invalid_text_split_anywhere() {
        for bad in [
            &b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80edited"[..],
            b"\xf4\x90\x80\x80",
            b"\xc0\xaf",
            b"\xe0\x80\xaf",
            b"\xff",
            b"abc\xce",
            b"\xf0\x9f\x98",
            b"\x80",
        ] {
            assert!(!validate_split(bad));
        }
    }

    #[test]
    fn short_ascii_shortcut_agrees_with_std() {
        let mut data = *b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdefX";
        for len in 0..data.len() {
            for pos in 0..len {
                for bad in [0x80u8, 0xc3, 0xff] {
                    let saved = data[pos];
                    data[pos] = bad;
                    let d = &data[..len];
                    let std_ok = std::str::from_utf8(d).is_ok();
                    assert!(!is_short_ascii(d), "len {len} pos {pos}");
                    assert_eq!(is_valid(d), std_ok, "len {len} pos {pos}");
                    let mut v = Utf8Validator::new();
                    assert_eq!(v.feed(d).is_ok() && v.finish().is_ok(), std_ok);
                    data[pos] = saved;
                }
            }
            assert_eq!(is_short_ascii(&data[..len]), len <= SHORT_INPUT);
            assert!(is_valid(&data[..len]));
        }
    }

    #[test]
    fn fails_on_first_bad_byte() {
        // Autobahn 6.4.1: the 4th byte of a code point is invalid; reject before the message
        // ends.
        let mut v = Utf8Validator::new();
        v.feed("κόσμε".as_bytes()).unwrap();
        v.feed(b"\xf4").unwrap();
        assert_eq!(v.pending_len(), 1);
        assert_eq!(v.feed(b"\x90"), Err(Error::InvalidUtf8));
    }

    #[test]
    fn pending_tracks_cut_code_points() {
        let mut v = Utf8Validator::new();
        v.feed(b"a\xe2\x82").unwrap();
        assert_eq!(v.pending_len(), 2);
        v.feed(b"\xac").unwrap();
        assert_eq!(v.pending_len(), 0);
        v.feed(b"\xf0").unwrap();
        v.feed(b"\x9f").unwrap();
        v.feed(b"\x98").unwrap();
        assert_eq!(v.pending_len(), 3);
        assert_eq!(v.finish(), Err(Error::InvalidUtf8));
        assert_eq!(v.pending_len(), 0);
    }
}
