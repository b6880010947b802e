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
    let mut k = key;
    k.rotate_left(offset & 3);
    k
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
    let word = u64::from_ne_bytes([
        key[0], key[1], key[2], key[3], key[0], key[1], key[2], key[3],
    ]);
    let mut chunks = buf.chunks_exact_mut(8);
    for chunk in &mut chunks {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(chunk);
        chunk.copy_from_slice(&(u64::from_ne_bytes(bytes) ^ word).to_ne_bytes());
    }
    // The remainder starts at a multiple of 8, so the key is in phase again.
    mask_bytewise(chunks.into_remainder(), key, 0);
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
    fn masking_twice_restores() {
        let source = filled(4097, 9);
        let mut data = source.clone();
        mask(&mut data, 0x0102_0304);
        assert_ne!(data, source);
        mask(&mut data, 0x0102_0304);
        assert_eq!(data, source);
    }
}
