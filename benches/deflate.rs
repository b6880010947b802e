// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! permessage-deflate throughput: compressing and inflating whole 1 KiB and 64 KiB messages of
//! text-like and random data, through the negotiated extension exactly as the connection
//! calls it.
//!
//! `cargo bench --bench deflate` (add `-- --quick` for a short run).

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rswebsockets::extension::deflate::DeflateConfig;
use rswebsockets::extension::{Extension, ExtensionConfig, FrameBits, RSV1};
use rswebsockets::OpCode;

fn text_like(len: usize) -> Vec<u8> {
    let words = [
        "{\"id\": ",
        "1234, ",
        "\"user\": \"alice\", ",
        "\"text\": \"hello websocket world\", ",
        "\"tags\": [\"a\", \"b\"], ",
        "\"ts\": 1700000000} ",
    ];
    let mut out = Vec::with_capacity(len + 64);
    let mut i = 0usize;
    while out.len() < len {
        out.extend_from_slice(words[(i * 5 + i / 7) % words.len()].as_bytes());
        out.extend_from_slice((i % 977).to_string().as_bytes());
        i += 1;
    }
    out.truncate(len);
    out
}

fn random(len: usize, seed: u64) -> Vec<u8> {
    let mut x = 0x9e37_79b9_7f4a_7c15u64 ^ seed.wrapping_mul(0x2545_f491_4f6c_dd1d);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// A negotiated (client, server) pair.
fn pair(config: &DeflateConfig) -> (Box<dyn Extension>, Box<dyn Extension>) {
    let offer = &config.offers()[0];
    let (response, server) = config.accept(offer).expect("accepted");
    let client = config.verify(&response).expect("verified");
    (client, server)
}

fn whole(opcode: OpCode) -> FrameBits {
    FrameBits {
        opcode,
        fin: true,
        rsv: 0,
        transform: true,
    }
}

/// Distinct messages, so that with context takeover a message is not simply a back-reference
/// to the previous one: text messages are different slices of one long text (similar
/// vocabulary, as in a real stream of JSON messages), random ones share nothing.
const RING: usize = 16;

fn messages(kind: &str, size: usize) -> Vec<Vec<u8>> {
    match kind {
        "text" => {
            let corpus = text_like(size * (RING + 1));
            (0..RING)
                .map(|i| corpus[i * size + i * 7..][..size].to_vec())
                .collect()
        }
        _ => (0..RING as u64).map(|i| random(size, i)).collect(),
    }
}

fn bench_deflate(c: &mut Criterion) {
    let inputs: Vec<(&str, usize, Vec<Vec<u8>>)> = [("text", 1024usize), ("text", 64 * 1024)]
        .into_iter()
        .chain([("random", 1024), ("random", 64 * 1024)])
        .map(|(kind, size)| (kind, size, messages(kind, size)))
        .collect();
    let takeover = DeflateConfig::new();
    // Every message stands alone, so the same compressed bytes inflate on every iteration.
    let no_takeover = DeflateConfig::new()
        .server_no_context_takeover(true)
        .client_no_context_takeover(true);

    let mut group = c.benchmark_group("deflate/compress");
    for (kind, size, data) in &inputs {
        group.throughput(Throughput::Bytes(*size as u64));
        for (mode, config) in [("takeover", &takeover), ("no_takeover", &no_takeover)] {
            let (mut client, _) = pair(config);
            let mut out = Vec::new();
            let mut next = 0;
            group.bench_with_input(
                BenchmarkId::new(format!("{kind}/{mode}"), size),
                data,
                |b, ring| {
                    b.iter(|| {
                        let mut bits = whole(OpCode::Binary);
                        let message = &ring[next % RING];
                        next += 1;
                        client
                            .encode(&mut bits, black_box(message), &mut out)
                            .unwrap();
                        black_box(out.len())
                    })
                },
            );
        }
    }
    group.finish();

    let mut group = c.benchmark_group("deflate/decompress");
    for (kind, size, data) in &inputs {
        group.throughput(Throughput::Bytes(*size as u64));
        let data = &data[0];
        let (mut client, mut server) = pair(&no_takeover);
        let mut compressed = Vec::new();
        let mut bits = whole(OpCode::Binary);
        assert!(client.encode(&mut bits, data, &mut compressed).unwrap());
        assert_eq!(bits.rsv, RSV1);
        let mut out = Vec::with_capacity(*size);
        group.bench_with_input(BenchmarkId::new(*kind, size), &compressed, |b, z| {
            b.iter(|| {
                out.clear();
                let mut bits = FrameBits {
                    rsv: RSV1,
                    ..whole(OpCode::Binary)
                };
                server
                    .decode(&mut bits, black_box(z), &mut out, *size)
                    .unwrap();
                black_box(out.len())
            })
        });
        assert_eq!(&out, data);
        println!(
            "{kind} {size}: compressed to {} bytes ({:.1}%)",
            compressed.len(),
            100.0 * compressed.len() as f64 / *size as f64
        );
    }
    group.finish();
}

criterion_group!(benches, bench_deflate);
criterion_main!(benches);
