// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Frame headers (RFC 6455 §5.2): incremental decode and encode into caller buffers.
//!
//! [`FrameHeader::parse`] returns `Ok(None)` while the input is too short, so a header that
//! arrives one byte at a time is normal. Encoding writes into a fixed 14-byte array or appends
//! to a caller's `Vec`: no allocation per frame.

use crate::error::Error;
use crate::mask::extend_masked;
use crate::protocol::OpCode;

/// The longest header: 2 bytes, 8 bytes of extended length, 4 bytes of masking key.
pub const MAX_HEADER_LEN: usize = 14;

/// The largest payload of a control frame (RFC 6455 §5.5).
pub const MAX_CONTROL_PAYLOAD: usize = 125;

const FIN: u8 = 0x80;
const RSV_BITS: u8 = 0x70;
const MASK_BIT: u8 = 0x80;

/// A decoded frame header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameHeader {
    /// The final frame of a message.
    pub fin: bool,
    /// The reserved bits as they appear in the first byte (a mask of `extension::RSV1`,
    /// `RSV2`, `RSV3`).
    pub rsv: u8,
    /// The opcode.
    pub opcode: OpCode,
    /// The masking key, for masked frames.
    pub mask: Option<[u8; 4]>,
    /// The payload length.
    pub payload_len: u64,
}

impl FrameHeader {
    /// A header for a payload of `payload_len` bytes with no reserved bits.
    pub fn new(fin: bool, opcode: OpCode, mask: Option<[u8; 4]>, payload_len: u64) -> Self {
        FrameHeader {
            fin,
            rsv: 0,
            opcode,
            mask,
            payload_len,
        }
    }

    /// Decodes a header from the start of `buf`.
    ///
    /// Returns `Ok(None)` when `buf` does not hold the whole header yet, `Ok(Some((header,
    /// header_len)))` when it does, and [`Error::InvalidPayloadLength`] for a 64-bit length with
    /// its most significant bit set. No other check is made here: the connection decides what
    /// the opcode, reserved bits and mask mean for it.
    #[inline]
    pub fn parse(buf: &[u8]) -> Result<Option<(FrameHeader, usize)>, Error> {
        if buf.len() < 2 {
            return Ok(None);
        }
        let (b0, b1) = (buf[0], buf[1]);
        let masked = b1 & MASK_BIT != 0;
        let (payload_len, mut pos) = match b1 & 0x7F {
            126 => {
                let Some(bytes) = buf.get(2..4) else {
                    return Ok(None);
                };
                (u64::from(u16::from_be_bytes([bytes[0], bytes[1]])), 4)
            }
            127 => {
                let Some(bytes) = buf.get(2..10) else {
                    return Ok(None);
                };
                let mut be = [0u8; 8];
                be.copy_from_slice(bytes);
                let len = u64::from_be_bytes(be);
                if len >> 63 != 0 {
                    return Err(Error::InvalidPayloadLength);
                }
                (len, 10)
            }
            n => (u64::from(n), 2),
        };
        let mask = if masked {
            let Some(bytes) = buf.get(pos..pos + 4) else {
                return Ok(None);
            };
            pos += 4;
            Some([bytes[0], bytes[1], bytes[2], bytes[3]])
        } else {
            None
        };
        let header = FrameHeader {
            fin: b0 & FIN != 0,
            rsv: b0 & RSV_BITS,
            opcode: OpCode::from_bits(b0),
            mask,
            payload_len,
        };
        Ok(Some((header, pos)))
    }

    /// The number of header bytes needed to encode this header.
    #[inline]
    pub fn encoded_len(&self) -> usize {
        header_len(self.payload_len, self.mask.is_some())
    }

    /// The first byte on the wire: FIN, the reserved bits and the opcode.
    #[inline]
    fn first_byte(&self) -> u8 {
        (if self.fin { FIN } else { 0 }) | (self.rsv & RSV_BITS) | self.opcode as u8
    }

    /// Encodes the header into `buf`, returning the number of bytes written.
    #[inline]
    pub fn encode(&self, buf: &mut [u8; MAX_HEADER_LEN]) -> usize {
        buf[0] = self.first_byte();
        let mask_bit = if self.mask.is_some() { MASK_BIT } else { 0 };
        let mut pos = 2;
        let len = self.payload_len;
        if len < 126 {
            buf[1] = mask_bit | len as u8;
        } else if len <= u64::from(u16::MAX) {
            buf[1] = mask_bit | 126;
            buf[2..4].copy_from_slice(&(len as u16).to_be_bytes());
            pos = 4;
        } else {
            buf[1] = mask_bit | 127;
            buf[2..10].copy_from_slice(&len.to_be_bytes());
            pos = 10;
        }
        if let Some(key) = self.mask {
            buf[pos..pos + 4].copy_from_slice(&key);
            pos += 4;
        }
        pos
    }

    /// Appends the encoded header to `out`.
    #[inline]
    pub fn write_to(&self, out: &mut Vec<u8>) {
        let mut buf = [0u8; MAX_HEADER_LEN];
        let n = self.encode(&mut buf);
        out.extend_from_slice(&buf[..n]);
    }
}

/// The size of a header for a payload of `payload_len` bytes.
#[inline]
pub const fn header_len(payload_len: u64, masked: bool) -> usize {
    let base = if payload_len < 126 {
        2
    } else if payload_len <= u16::MAX as u64 {
        4
    } else {
        10
    };
    if masked {
        base + 4
    } else {
        base
    }
}

/// Appends a whole frame to `out`: the header, then the payload, masked as it is copied when
/// the header carries a key. `header.payload_len` must equal `payload.len()`.
#[inline(always)]
pub fn write_frame(out: &mut Vec<u8>, header: &FrameHeader, payload: &[u8]) {
    debug_assert_eq!(header.payload_len, payload.len() as u64);
    let len = payload.len();
    if header.mask.is_some() || len >= 126 {
        write_frame_general(out, header, payload);
        return;
    }
    // A server's small frame (the common case, inlined at the caller): two header bytes.
    out.reserve(2 + len);
    // SAFETY: `reserve` made room for the `2 + len` bytes written after the current end, all
    // of which are initialized before the length covers them.
    unsafe {
        let end = out.len();
        let dst = out.as_mut_ptr().add(end);
        dst.write(header.first_byte());
        dst.add(1).write(len as u8);
        std::ptr::copy_nonoverlapping(payload.as_ptr(), dst.add(2), len);
        out.set_len(end + 2 + len);
    }
}

/// [`write_frame`] for masked frames and payloads of 126 bytes or more.
#[inline(never)]
fn write_frame_general(out: &mut Vec<u8>, header: &FrameHeader, payload: &[u8]) {
    let mut buf = [0u8; MAX_HEADER_LEN];
    let n = header.encode(&mut buf);
    out.reserve(n + payload.len());
    out.extend_from_slice(&buf[..n]);
    match header.mask {
        Some(key) => extend_masked(out, payload, key, 0),
        None => out.extend_from_slice(payload),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(h: FrameHeader) {
        let mut buf = [0u8; MAX_HEADER_LEN];
        let n = h.encode(&mut buf);
        assert_eq!(n, h.encoded_len());
        assert_eq!(FrameHeader::parse(&buf[..n]).unwrap(), Some((h, n)));
        for short in 0..n {
            assert_eq!(FrameHeader::parse(&buf[..short]).unwrap(), None, "{short}");
        }
    }

    #[test]
    fn rfc_6455_unmasked_hello() {
        let bytes = [0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f];
        let (h, n) = FrameHeader::parse(&bytes).unwrap().unwrap();
        assert_eq!(n, 2);
        assert!(h.fin);
        assert_eq!(h.opcode, OpCode::Text);
        assert_eq!(h.payload_len, 5);
        assert_eq!(h.mask, None);
        let mut out = Vec::new();
        write_frame(&mut out, &h, b"Hello");
        assert_eq!(out, bytes);
    }

    #[test]
    fn written_frames_parse_back_with_every_bit() {
        for mask in [None, Some([1, 2, 3, 4])] {
            for len in [0usize, 1, 125, 126, 65535, 65536] {
                for (fin, rsv) in [(true, 0), (false, 0x40), (true, 0x70)] {
                    let payload = vec![0x5a; len];
                    let header = FrameHeader {
                        fin,
                        rsv,
                        opcode: OpCode::Binary,
                        mask,
                        payload_len: len as u64,
                    };
                    let mut out = vec![0xee];
                    write_frame(&mut out, &header, &payload);
                    let (parsed, n) = FrameHeader::parse(&out[1..]).unwrap().unwrap();
                    assert_eq!(parsed, header);
                    assert_eq!(n, header.encoded_len());
                    assert_eq!(out.len(), 1 + n + len);
                    let mut body = out[1 + n..].to_vec();
                    if let Some(key) = mask {
                        crate::mask::apply_mask(&mut body, key, 0);
                    }
                    assert_eq!(body, payload);
                }
            }
        }
    }

    #[test]
    fn rfc_6455_masked_hello() {
        let bytes = [
            0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58,
        ];
        let (h, n) = FrameHeader::parse(&bytes).unwrap().unwrap();
        assert_eq!(n, 6);
        assert_eq!(h.mask, Some([0x37, 0xfa, 0x21, 0x3d]));
        let mut out = Vec::new();
        write_frame(&mut out, &h, b"Hello");
        assert_eq!(out, bytes);
    }

    #[test]
    fn rfc_6455_extended_lengths() {
        let h = FrameHeader::new(true, OpCode::Binary, None, 256);
        let mut buf = [0u8; MAX_HEADER_LEN];
        assert_eq!(h.encode(&mut buf), 4);
        assert_eq!(buf[..4], [0x82, 0x7E, 0x01, 0x00]);
        let h = FrameHeader::new(true, OpCode::Binary, None, 65536);
        assert_eq!(h.encode(&mut buf), 10);
        assert_eq!(
            buf[..10],
            [0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00]
        );
    }

    #[test]
    fn roundtrips_at_length_boundaries() {
        for len in [0, 1, 125, 126, 127, 65535, 65536, u64::MAX >> 1] {
            for mask in [None, Some([1, 2, 3, 4])] {
                for fin in [false, true] {
                    let mut h = FrameHeader::new(fin, OpCode::Continue, mask, len);
                    h.rsv = 0x50;
                    roundtrip(h);
                }
            }
        }
    }

    #[test]
    fn header_len_matches_encoding() {
        assert_eq!(header_len(125, false), 2);
        assert_eq!(header_len(126, false), 4);
        assert_eq!(header_len(65535, true), 8);
        assert_eq!(header_len(65536, true), 14);
    }

    #[test]
    fn msb_length_is_rejected() {
        let mut bytes = [0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(FrameHeader::parse(&bytes), Err(Error::InvalidPayloadLength));
        bytes[2] = 0x7F;
        let (h, _) = FrameHeader::parse(&bytes).unwrap().unwrap();
        assert_eq!(h.payload_len, 0x7F00_0000_0000_0000);
    }
}
