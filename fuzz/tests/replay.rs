// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Runs every fuzz check on stable Rust, without libFuzzer: over the committed seed corpus,
//! any crash inputs saved under `artifacts/`, and a few thousand deterministic mutations of
//! the seeds. `cargo test` in `fuzz/` (see README.md).

use std::path::Path;

use rswebsockets::Role;

/// A tiny deterministic generator (xorshift64*), so this needs no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, mut data: Vec<u8>) -> Vec<u8> {
    for _ in 0..=rng.below(3) {
        if data.is_empty() {
            data.push(rng.next() as u8);
            continue;
        }
        let at = rng.below(data.len());
        match rng.below(5) {
            0 => data[at] ^= 1 << rng.below(8),
            1 => data[at] = rng.next() as u8,
            2 => data.insert(at, rng.next() as u8),
            3 => {
                data.remove(at);
            }
            _ => data.truncate(at),
        }
    }
    data
}

/// The files of `dir` (none if it does not exist).
fn files(dir: &Path) -> Vec<Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    paths
        .into_iter()
        .filter(|p| p.is_file())
        .map(|p| std::fs::read(p).expect("readable"))
        .collect()
}

/// Seeds, saved crashes, and mutations of the seeds, for `target`.
fn inputs(target: &str) -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = files(&root.join("corpus").join(target));
    assert!(!seeds.is_empty(), "no seeds for {target}");
    let mut all = seeds.clone();
    all.extend(files(&root.join("artifacts").join(target)));
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ target.len() as u64);
    for i in 0..2000 {
        let seed = seeds[i % seeds.len()].clone();
        all.push(mutate(&mut rng, seed));
    }
    all
}

#[test]
fn frame_header() {
    for input in inputs("frame_header") {
        rswebsockets_fuzz::frame_header(&input);
    }
}

#[test]
fn receive_server() {
    for input in inputs("receive_server") {
        rswebsockets_fuzz::receive(Role::Server, false, &input);
    }
}

#[test]
fn receive_client() {
    for input in inputs("receive_client") {
        rswebsockets_fuzz::receive(Role::Client, false, &input);
    }
}

#[test]
fn receive_server_deflate() {
    for input in inputs("receive_server_deflate") {
        rswebsockets_fuzz::receive(Role::Server, true, &input);
    }
}

#[test]
fn receive_client_deflate() {
    for input in inputs("receive_client_deflate") {
        rswebsockets_fuzz::receive(Role::Client, true, &input);
    }
}

#[test]
fn handshake_server() {
    for input in inputs("handshake_server") {
        rswebsockets_fuzz::handshake_server(&input);
    }
}

#[test]
fn handshake_client() {
    for input in inputs("handshake_client") {
        rswebsockets_fuzz::handshake_client(&input);
    }
}
