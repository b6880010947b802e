// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! XOR masking (RFC 6455 §5.3) at memory speed.
//!
//! The payload is split into an unaligned head, a run of aligned 64-bit words and a tail; the
//! word loop is plain Rust that the compiler vectorises (SSE2 everywhere on x86-64, AVX2 when the
//! CPU has it, chosen once at run time). Every entry point gives the same bytes as the one-byte
//! loop [`mask_bytewise`], which the tests check at every length and alignment.

/// Masks (or unmasks) `payload` in place with `masking_key`, exactly like Qt's
/// `QWebSocketProtocol::mask(char *, quint64, quint32)`: the key's most significant byte masks
/// payload byte 0, its least significant byte payload byte 3, and so on.
#[inline]
pub fn mask(payload: &mut [u8], masking_key: u32) {
    apply_mask(payload, masking_key.to_be_bytes(), 0);
}

/// Masks `buf` in place with the four key bytes as they appear on the wire, where `buf` starts
/// at byte `offset` of the frame payload (so a payload that arrives in pieces can be unmasked
/// piece by piece).
#[inline]
pub fn apply_mask(buf: &mut [u8], key: [u8; 4], offset: usize) {
    let key = rotate(key, offset);
    if buf.len() < 64 {
        mask_small(buf, key);
        return;
    }
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2, checked just above.
            unsafe { mask_words_avx2(buf, key) };
            return;
        }
    }
    mask_words(buf, key);
}

/// The reference one-byte-at-a-time loop (the shape of Qt's implementation), kept for tests and
/// benchmarks.
pub fn mask_bytewise(buf: &mut [u8], key: [u8; 4], offset: usize) {
    for (i, b) in buf.iter_mut().enumerate() {
        *b ^= key[(offset + i) & 3];
    }
}

/// The key as seen from payload byte `offset`: byte `offset % 4` comes first.
#[inline]
fn rotate(key: [u8; 4], offset: usize) -> [u8; 4] {
    // Read as a little-endian u32, rotating the bytes left by one is a right rotation by 8 bits.
    u32::from_le_bytes(key)
        .rotate_right(8 * (offset & 3) as u32)
        .to_le_bytes()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn mask_words_avx2(buf: &mut [u8], key: [u8; 4]) {
    mask_words(buf, key);
}

/// Short payloads (most control frames and small messages): unaligned 8-byte steps, no
/// alignment split and no CPU-feature check.
#[inline(always)]
fn mask_small(buf: &mut [u8], key: [u8; 4]) {
    let word = key_word(key);
    let mut chunks = buf.chunks_exact_mut(8);
    for chunk in &mut chunks {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(chunk);
        chunk.copy_from_slice(&(u64::from_le_bytes(bytes) ^ word).to_le_bytes());
    }
    // The remainder starts at a multiple of 8, so the key is in phase again.
    mask_tail(chunks.into_remainder(), word);
}

/// The key repeated over 8 bytes as a little-endian word: byte `i` of the word masks byte `i`
/// of an 8-byte step that starts where `key` is in phase.
#[inline(always)]
fn key_word(key: [u8; 4]) -> u64 {
    u64::from(u32::from_le_bytes(key)) * 0x1_0000_0001
}

/// [`extend_masked`] for 64 bytes or more.
#[inline(never)]
fn extend_masked_long(out: &mut Vec<u8>, src: &[u8], key: [u8; 4], offset: usize) {
    let from = out.len();
    out.extend_from_slice(src);
    apply_mask(&mut out[from..], key, offset);
}

/// Masks the last 0 to 7 bytes of a short payload with the low bytes of `word`.
#[inline(always)]
fn mask_tail(tail: &mut [u8], word: u64) {
    for (i, b) in tail.iter_mut().enumerate() {
        *b ^= (word >> (8 * i)) as u8;
    }
}

/// Appends `src` to `out` masked with `key`, `src` starting at byte `offset` of the frame
/// payload. Short payloads are copied and masked in one pass (copying, then masking, costs
/// two calls and two passes for a 16-byte message); longer ones are copied, then masked by
/// [`apply_mask`]'s word loop.
#[inline(always)]
pub fn extend_masked(out: &mut Vec<u8>, src: &[u8], key: [u8; 4], offset: usize) {
    if src.len() >= 64 {
        extend_masked_long(out, src, key, offset);
        return;
    }
    let from = out.len();
    let word = key_word(rotate(key, offset));
    let len = src.len();
    out.reserve(len);
    // SAFETY: `reserve` made room for `len` bytes after `from`; every read is within `src`
    // (`at + 8 <= len`, then `at < len`) and every write within that room, unaligned
    // accesses being explicit.
    unsafe {
        let dst = out.as_mut_ptr().add(from);
        let src = src.as_ptr();
        let native = u64::from_le(word);
        let mut at = 0;
        while at + 8 <= len {
            let v = src.add(at).cast::<u64>().read_unaligned();
            dst.add(at).cast::<u64>().write_unaligned(v ^ native);
            at += 8;
        }
        while at < len {
            *dst.add(at) = *src.add(at) ^ (word >> (8 * (at & 7))) as u8;
            at += 1;
        }
        // The loops initialized all `len` bytes after `from`.
        out.set_len(from + len);
    }
}

#[inline(always)]
fn mask_words(buf: &mut [u8], key: [u8; 4]) {
    // SAFETY: every bit pattern is a valid u64, and align_to_mut only reinterprets the aligned
    // middle of the slice; head and tail stay bytes.
    let (head, words, tail) = unsafe { buf.align_to_mut::<u64>() };
    mask_bytewise(head, key, 0);
    let k = rotate(key, head.len());
    let word = u64::from_ne_bytes([k[0], k[1], k[2], k[3], k[0], k[1], k[2], k[3]]);
    for w in words.iter_mut() {
        *w ^= word;
    }
    // Words are multiples of 4 bytes, so the tail continues with the same rotation as the words.
    mask_bytewise(tail, k, 0);
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    fn filled(len: usize, seed: u64) -> Vec<u8> {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let mut v = vec![0u8; len];
        rng.fill(&mut v[..]);
        v
    }

    #[test]
    fn rfc_6455_sample() {
        // RFC 6455 §5.7: masked "Hello" with key 37 fa 21 3d.
        let mut data = *b"Hello";
        apply_mask(&mut data, [0x37, 0xfa, 0x21, 0x3d], 0);
        assert_eq!(data, [0x7f, 0x9f, 0x4d, 0x51, 0x58]);
        mask(&mut data, 0x37fa_213d);
        assert_eq!(&data, b"Hello");
    }

    #[test]
    fn most_significant_key_byte_masks_byte_zero() {
        let mut data = [0u8; 6];
        mask(&mut data, 0x1122_3344);
        assert_eq!(data, [0x11, 0x22, 0x33, 0x44, 0x11, 0x22]);
    }

    #[test]
    fn empty_payload_is_fine() {
        let mut empty: [u8; 0] = [];
        mask(&mut empty, 0xdead_beef);
        apply_mask(&mut empty, [1, 2, 3, 4], 3);
    }

    #[test]
    fn matches_byte_loop_at_every_offset_and_length() {
        let key = [0x9a, 0x3c, 0x71, 0xe4];
        let source = filled(300 + 16, 1);
        for start in 0..=15 {
            for len in 0..=300 {
                for offset in 0..4 {
                    let mut fast = source.clone();
                    let mut slow = source.clone();
                    apply_mask(&mut fast[start..start + len], key, offset);
                    mask_bytewise(&mut slow[start..start + len], key, offset);
                    assert_eq!(fast, slow, "start {start} len {len} offset {offset}");
                }
            }
        }
    }

    #[test]
    fn matches_byte_loop_on_large_random_buffers() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for round in 0..8u64 {
            let len = rng.random_range(1..3 << 20);
            let start = rng.random_range(0..16);
            let key: [u8; 4] = rng.random();
            let source = filled(len + 16, round);
            let mut fast = source.clone();
            let mut slow = source;
            mask(&mut fast[start..], u32::from_be_bytes(key));
            mask_bytewise(&mut slow[start..], key, 0);
            assert!(fast == slow, "round {round} len {len} start {start}");
        }
    }

    #[test]
    fn piecewise_masking_equals_whole() {
        let key = [1, 2, 3, 4];
        let source = filled(1000, 3);
        let mut whole = source.clone();
        apply_mask(&mut whole, key, 0);
        for cut in [0, 1, 2, 3, 5, 63, 64, 65, 999, 1000] {
            let mut pieces = source.clone();
            let (a, b) = pieces.split_at_mut(cut);
            apply_mask(a, key, 0);
            apply_mask(b, key, cut);
            assert_eq!(pieces, whole, "cut {cut}");
        }
    }

    #[test]
    fn extend_masked_matches_byte_loop_at_every_length_and_offset() {
        let key = [0x9a, 0x3c, 0x71, 0xe4];
        let source = filled(200, 5);
        for len in 0..=200 {
            for offset in 0..8 {
                for prefix in [0usize, 3] {
                    let mut out = vec![0xee; prefix];
                    extend_masked(&mut out, &source[..len], key, offset);
                    let mut expected = vec![0xee; prefix];
                    expected.extend_from_slice(&source[..len]);
                    mask_bytewise(&mut expected[prefix..], key, offset);
                    assert_eq!(out, expected, "len {len} offset {offset} prefix {prefix}");
                }
            }
        }
    }

    #[test]
    fn masking_twice_restores() {
        let source = filled(4097, 9);
        let mut data = source.clone();
        mask(&mut data, 0x0102_0304);
        assert_ne!(data, source);
        mask(&mut data, 0x0102_0304);
        assert_eq!(data, source);
    }
}
