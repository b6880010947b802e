// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! No heap allocation per message on the path with fewer copies either: 64 KiB messages read
//! straight into the message buffer (`input_buffer` / `commit_input`) and echoed with owned
//! sends go client → server → client without a single allocation once buffers circulate.

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
