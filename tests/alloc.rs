// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! No heap allocation per frame on the hot path: with a counting global allocator, messages
//! that fit the buffers go client → server → client without a single allocation once buffers
//! are recycled; so do 64 KiB messages on the path with fewer copies (read straight into the
//! message buffer with `input_buffer` / `commit_input`, echoed with owned sends).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use rswebsockets::{Config, Connection, Event, Role};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator; the counter is a const-initialised thread local
// without a destructor, so touching it never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> usize {
    ALLOCATIONS.with(|c| c.get())
}

/// One echo round trip: the client sends, the server echoes, the client receives; every
/// message buffer goes back to its connection.
fn round_trip(client: &mut Connection, server: &mut Connection, payload: &[u8], text: &str) {
    client.send_binary(payload).unwrap();
    client.send_text(text).unwrap();
    server.receive_data(client.outgoing());
    let n = client.outgoing_len();
    client.consume_outgoing(n);
    while let Some(event) = server.next_event() {
        match event {
            Event::Binary(data) => {
                server.send_binary(&data).unwrap();
                server.recycle_buffer(data);
            }
            Event::Text(text) => {
                server.send_text(&text).unwrap();
                server.recycle_buffer(text.into_bytes());
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    client.receive_data(server.outgoing());
    let n = server.outgoing_len();
    server.consume_outgoing(n);
    let mut got = 0;
    while let Some(event) = client.next_event() {
        got += 1;
        if let Some(buf) = event.into_buffer() {
            client.recycle_buffer(buf);
        }
    }
    assert_eq!(got, 2);
}

#[test]
fn steady_state_echo_allocates_nothing() {
    let mut client = Connection::new(Role::Client, Config::default());
    let mut server = Connection::new(Role::Server, Config::default());
    let sizes = [16usize, 125, 1000, 4000];
    let payloads: Vec<Vec<u8>> = sizes.iter().map(|&n| vec![0xA5; n]).collect();
    let texts: Vec<String> = sizes.iter().map(|&n| "é".repeat(n / 2)).collect();
    // Warm up: buffers grow to their working size once.
    for _ in 0..4 {
        for (p, t) in payloads.iter().zip(&texts) {
            round_trip(&mut client, &mut server, p, t);
        }
    }
    let before = allocations();
    for _ in 0..1000 {
        for (p, t) in payloads.iter().zip(&texts) {
            round_trip(&mut client, &mut server, p, t);
        }
    }
    let per_round = (allocations() - before) as f64 / 4000.0;
    assert_eq!(
        allocations() - before,
        0,
        "{per_round} allocations per round trip"
    );

    // 64 pipelined messages per read, as a benchmark client sends them: every buffer of the
    // batch comes back and is reused by the next batch.
    let mut batch: Vec<Event> = Vec::with_capacity(64);
    let mut before = allocations();
    for round in 0..101 {
        if round == 1 {
            // The first batch grew the pools and queues to their working size.
            before = allocations();
        }
        for _ in 0..64 {
            client.send_binary(&payloads[0]).unwrap();
        }
        server.receive_data(client.outgoing());
        let n = client.outgoing_len();
        client.consume_outgoing(n);
        batch.extend(server.events());
        assert_eq!(batch.len(), 64);
        for event in batch.drain(..) {
            let Event::Binary(data) = event else {
                panic!("unexpected event");
            };
            server.send_binary(&data).unwrap();
            server.recycle_buffer(data);
        }
        client.receive_data(server.outgoing());
        let n = server.outgoing_len();
        server.consume_outgoing(n);
        while let Some(event) = client.next_event() {
            client.recycle_buffer(event.into_buffer().unwrap());
        }
    }
    assert_eq!(allocations() - before, 0, "pipelined batches");

    // Fragmented messages reuse buffers as well, once one has grown to the message size.
    let mut before = allocations();
    for round in 0..101 {
        if round == 1 {
            before = allocations();
        }
        client
            .begin_message(rswebsockets::MessageKind::Binary, true)
            .unwrap();
        for _ in 0..10 {
            client.continue_message(&payloads[0]).unwrap();
        }
        client.finish_message(&payloads[1]).unwrap();
        server.receive_data(client.outgoing());
        let n = client.outgoing_len();
        client.consume_outgoing(n);
        let Some(Event::Binary(data)) = server.next_event() else {
            panic!("no message");
        };
        assert_eq!(data.len(), 16 * 10 + 125);
        server.recycle_buffer(data);
    }
    assert_eq!(allocations() - before, 0);
}

/// Moves `from`'s queue into `to` like a transport with direct input: reads of at most 16 KiB,
/// into the message buffer when offered, else through `read_buf`. Returns the message that
/// arrived.
fn transfer(from: &mut Connection, to: &mut Connection, read_buf: &mut [u8]) -> Vec<u8> {
    let mut message = None;
    while from.outgoing_len() > 0 {
        let chunk = from.outgoing();
        let mut rest = chunk;
        while !rest.is_empty() {
            if let Some(space) = to.input_buffer() {
                let n = space.len().min(rest.len()).min(16 * 1024);
                for (dst, src) in space.iter_mut().zip(&rest[..n]) {
                    dst.write(*src);
                }
                // SAFETY: n bytes written just above, nothing in between.
                unsafe { to.commit_input(n) };
                rest = &rest[n..];
            } else {
                let n = read_buf.len().min(rest.len());
                read_buf[..n].copy_from_slice(&rest[..n]);
                to.receive_data(&read_buf[..n]);
                rest = &rest[n..];
            }
            if let Some(event) = to.next_event() {
                match event {
                    Event::Binary(data) => message = Some(data),
                    other => panic!("unexpected {other:?}"),
                }
            }
        }
        let n = chunk.len();
        from.consume_outgoing(n);
    }
    message.expect("a whole message arrived")
}

#[test]
fn owned_echo_with_direct_input_allocates_nothing_in_the_steady_state() {
    let mut client = Connection::new(Role::Client, Config::default());
    let mut server = Connection::new(Role::Server, Config::default());
    let mut read_buf = vec![0u8; 16 * 1024];
    let mut message = vec![0x5a; 64 * 1024];
    let mut round = |message: Vec<u8>| {
        client.send_binary_owned(message).unwrap();
        let at_server = transfer(&mut client, &mut server, &mut read_buf);
        assert_eq!(at_server.len(), 64 * 1024);
        server.send_binary_owned(at_server).unwrap();
        let back = transfer(&mut server, &mut client, &mut read_buf);
        assert!(back.iter().all(|&b| b == 0x5a));
        back
    };
    for _ in 0..8 {
        message = round(message);
    }
    let before = allocations();
    for _ in 0..100 {
        message = round(message);
    }
    assert_eq!(allocations() - before, 0, "allocations in 100 echoes");
}
