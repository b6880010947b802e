// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The engine's hot path: frame header parse and encode, and a small-message round trip
//! through two connections (client → server → client) with recycled buffers.
//!
//! `cargo bench --bench engine` (see docs/PERFORMANCE.md).

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rswebsockets::frame::{FrameHeader, MAX_HEADER_LEN};
use rswebsockets::{Config, Connection, Event, OpCode, Role};

fn bench_header(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame_header");
    for (name, len, mask) in [
        ("small_unmasked", 16u64, None),
        ("small_masked", 16, Some([1, 2, 3, 4])),
        ("64k_masked", 65536, Some([1, 2, 3, 4])),
    ] {
        let header = FrameHeader::new(true, OpCode::Binary, mask, len);
        let mut buf = [0u8; MAX_HEADER_LEN];
        let n = header.encode(&mut buf);
        group.bench_function(BenchmarkId::new("parse", name), |b| {
            b.iter(|| FrameHeader::parse(black_box(&buf[..n])))
        });
        group.bench_function(BenchmarkId::new("encode", name), |b| {
            let mut out = [0u8; MAX_HEADER_LEN];
            b.iter(|| black_box(&header).encode(black_box(&mut out)))
        });
    }
    group.finish();
}

fn echo(client: &mut Connection, server: &mut Connection, payload: &[u8]) -> usize {
    client.send_binary(payload).unwrap();
    server.receive_data(client.outgoing());
    let n = client.outgoing_len();
    client.consume_outgoing(n);
    while let Some(Event::Binary(data)) = server.next_event() {
        server.send_binary(&data).unwrap();
        server.recycle_buffer(data);
    }
    client.receive_data(server.outgoing());
    let n = server.outgoing_len();
    server.consume_outgoing(n);
    let mut len = 0;
    while let Some(Event::Binary(data)) = client.next_event() {
        len += data.len();
        client.recycle_buffer(data);
    }
    len
}

fn bench_round_trip(c: &mut Criterion) {
    let mut group = c.benchmark_group("round_trip");
    for size in [16usize, 1024, 64 * 1024] {
        let payload = vec![0x5a; size];
        let mut client = Connection::new(Role::Client, Config::default());
        let mut server = Connection::new(Role::Server, Config::default());
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_function(BenchmarkId::new("binary", size), |b| {
            b.iter(|| echo(&mut client, &mut server, black_box(&payload)))
        });
    }
    // 64 small messages batched in one write, as a pipelining client sends them.
    let mut client = Connection::new(Role::Client, Config::default());
    let mut server = Connection::new(Role::Server, Config::default());
    let text = "0123456789abcdef";
    group.throughput(Throughput::Elements(64));
    group.bench_function("text_16b_x64_batched", |b| {
        b.iter(|| {
            for _ in 0..64 {
                client.send_text(black_box(text)).unwrap();
            }
            server.receive_data(client.outgoing());
            let n = client.outgoing_len();
            client.consume_outgoing(n);
            while let Some(Event::Text(t)) = server.next_event() {
                server.send_text(&t).unwrap();
                server.recycle_buffer(t.into_bytes());
            }
            client.receive_data(server.outgoing());
            let n = server.outgoing_len();
            server.consume_outgoing(n);
            for event in client.events() {
                black_box(event);
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench_header, bench_round_trip);
criterion_main!(benches);
