// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Masking keys for the frames a client sends: a pluggable source (Qt's `QMaskGenerator`) and
//! the default, a CSPRNG seeded once from the operating system (no system call per frame).

use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};

/// The source of masking keys for the frames a client sends (Qt's `QMaskGenerator`).
pub trait MaskGenerator: Send {
    /// The next masking key, as the four bytes that go on the wire.
    fn next_mask(&mut self) -> [u8; 4];
}

impl<F: FnMut() -> [u8; 4] + Send> MaskGenerator for F {
    fn next_mask(&mut self) -> [u8; 4] {
        self()
    }
}

/// The default mask generator: a CSPRNG ([`StdRng`]) seeded once from the operating system.
pub struct RandomMaskGenerator {
    rng: StdRng,
}

impl RandomMaskGenerator {
    /// A generator seeded from the operating system's random source.
    pub fn new() -> Self {
        RandomMaskGenerator {
            rng: StdRng::from_os_rng(),
        }
    }
}

impl Default for RandomMaskGenerator {
    fn default() -> Self {
        Self::new()
    }
}

impl MaskGenerator for RandomMaskGenerator {
    #[inline]
    fn next_mask(&mut self) -> [u8; 4] {
        self.rng.next_u32().to_ne_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closures_are_generators() {
        let mut n = 0u8;
        let mut g = move || {
            n += 1;
            [n; 4]
        };
        assert_eq!(MaskGenerator::next_mask(&mut g), [1; 4]);
        assert_eq!(MaskGenerator::next_mask(&mut g), [2; 4]);
    }

    #[test]
    fn random_masks_differ() {
        let mut g = RandomMaskGenerator::new();
        let keys: Vec<[u8; 4]> = (0..8).map(|_| g.next_mask()).collect();
        assert!(keys.windows(2).any(|w| w[0] != w[1]));
    }
}
