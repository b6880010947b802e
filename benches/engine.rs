// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The engine's hot path: frame header parse and encode, and round trips through two
//! connections (client → server → client) with recycled buffers: the copying path
//! (`receive_data`, `send_binary`), and the path with fewer copies a transport can take
//! (direct input into the message buffer, owned sends written out chunk by chunk).
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

/// The server side of one echo, with the kernel's copies simulated by `copy_from_slice`: the
/// client's frame is "read" in pieces of at most 64 KiB, the answer "written" chunk by chunk
/// into `sink`. `fewer_copies` reads into the message buffer whenever the engine offers it
/// and echoes with an owned send; otherwise everything goes through `read_buf` and
/// `send_binary`.
fn serve_echo(
    server: &mut Connection,
    wire: &[u8],
    read_buf: &mut [u8],
    sink: &mut [u8],
    fewer_copies: bool,
) -> usize {
    let mut rest = wire;
    let mut echoed = 0;
    while !rest.is_empty() {
        let direct = if fewer_copies {
            server.input_buffer()
        } else {
            None
        };
        if let Some(space) = direct {
            let n = space.len().min(rest.len()).min(64 * 1024);
            // SAFETY: the same layout; the bytes are initialized by the copy.
            let dst = unsafe { &mut *(&mut space[..n] as *mut [_] as *mut [u8]) };
            dst.copy_from_slice(&rest[..n]);
            // SAFETY: n bytes written just above, nothing in between.
            unsafe { server.commit_input(n) };
            rest = &rest[n..];
        } else {
            let n = read_buf.len().min(rest.len());
            read_buf[..n].copy_from_slice(&rest[..n]);
            let mut pending = &read_buf[..n];
            while !pending.is_empty() {
                let used = server.receive_data_until_event(pending);
                pending = &pending[used..];
                while let Some(Event::Binary(data)) = server.next_event() {
                    echoed += data.len();
                    if fewer_copies {
                        server.send_binary_owned(data).unwrap();
                    } else {
                        server.send_binary(&data).unwrap();
                        server.recycle_buffer(data);
                    }
                }
            }
            rest = &rest[n..];
        }
        while let Some(Event::Binary(data)) = server.next_event() {
            echoed += data.len();
            server.send_binary_owned(data).unwrap();
        }
    }
    while server.outgoing_len() > 0 {
        let chunk = server.outgoing();
        let n = chunk.len().min(sink.len());
        sink[..n].copy_from_slice(&chunk[..n]);
        server.consume_outgoing(n);
    }
    echoed
}

fn bench_fewer_copies(c: &mut Criterion) {
    let mut group = c.benchmark_group("echo_server_side");
    for size in [64 * 1024usize, 1024 * 1024] {
        let mut client = Connection::new(Role::Client, Config::default());
        client.send_binary(&vec![0x5a; size]).unwrap();
        let wire = client.take_outgoing();
        let mut read_buf = vec![0u8; 64 * 1024];
        let mut sink = vec![0u8; 2 * size];
        group.throughput(Throughput::Bytes(size as u64));
        for (name, fewer) in [("copy", false), ("fewer_copies", true)] {
            let mut server = Connection::new(Role::Server, Config::default());
            group.bench_function(BenchmarkId::new(name, size), |b| {
                b.iter(|| {
                    let n = serve_echo(&mut server, &wire, &mut read_buf, &mut sink, fewer);
                    assert_eq!(n, size);
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_header, bench_round_trip, bench_fewer_copies);
criterion_main!(benches);
