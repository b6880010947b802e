// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! `mask` beside `memcpy` of the same buffer and beside Qt's one-byte loop.
//!
//! `cargo bench --bench mask` (see docs/PERFORMANCE.md).

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rswebsockets::mask::{mask, mask_bytewise};

/// Qt 6's `QWebSocketProtocol::mask` loop, byte by byte with `i++ % 4`.
fn qt_byte_loop(payload: &mut [u8], masking_key: u32) {
    let key = masking_key.to_be_bytes();
    let mut i: i32 = 0;
    for b in payload.iter_mut() {
        *b ^= key[(i % 4) as usize];
        i = i.wrapping_add(1);
    }
}

fn bench_mask(c: &mut Criterion) {
    let mut group = c.benchmark_group("mask");
    for size in [16usize, 1024, 64 * 1024, 1024 * 1024] {
        let mut buf = vec![0x5au8; size];
        let src = vec![0xa5u8; size];
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::new("rswebsockets", size), &size, |b, _| {
            b.iter(|| mask(black_box(&mut buf), black_box(0x1234_5678)))
        });
        group.bench_with_input(BenchmarkId::new("memcpy", size), &size, |b, _| {
            b.iter(|| black_box(&mut buf).copy_from_slice(black_box(&src)))
        });
        group.bench_with_input(BenchmarkId::new("qt_byte_loop", size), &size, |b, _| {
            b.iter(|| qt_byte_loop(black_box(&mut buf), black_box(0x1234_5678)))
        });
        group.bench_with_input(BenchmarkId::new("bytewise", size), &size, |b, _| {
            b.iter(|| mask_bytewise(black_box(&mut buf), black_box([1, 2, 3, 4]), 0))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_mask);
criterion_main!(benches);
