// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Memory one permessage-deflate connection keeps, measured with a counting allocator for the
//! default settings and for reduced windows and memory levels (`cargo test --test
//! deflate_memory -- --nocapture` prints the table).

mod deflate_support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use deflate_support::{negotiate, receive, send, text_like};
use rswebsockets::extension::deflate::DeflateConfig;

/// Counts the bytes live on the current thread (tests run on their own threads).
struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
}

fn add(delta: isize) {
    // `try_with`: the thread-local may already be gone while a thread shuts down.
    let _ = LIVE.try_with(|live| live.set(live.get() + delta));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        add(layout.size() as isize);
        // SAFETY: forwarded as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        add(-(layout.size() as isize));
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        add(layout.size() as isize);
        // SAFETY: forwarded as is.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        add(new_size as isize - layout.size() as isize);
        // SAFETY: forwarded as is.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live() -> isize {
    LIVE.with(Cell::get)
}

/// (compressor bytes, decompressor bytes) one side keeps after a message each way.
fn measure(config: &DeflateConfig) -> (isize, isize) {
    let (mut client, mut server) = negotiate(config, config).unwrap();
    let message = text_like(64 * 1024);
    let from_server = send(server.as_mut(), &message, &[], true);
    let before = live();
    let got = receive(client.as_mut(), &from_server, message.len()).unwrap();
    assert_eq!(got, message);
    drop(got);
    let inflate = live() - before;
    let before = live();
    let frames = send(client.as_mut(), &message, &[], true);
    drop(frames);
    let deflate = live() - before;
    (deflate, inflate)
}

#[test]
fn memory_per_connection() {
    let rows: [(&str, DeflateConfig); 7] = [
        (
            "15 bits, memLevel 8 (zlib)",
            DeflateConfig::new()
                .compression_window_bits(15)
                .mem_level(8),
        ),
        (
            "15 bits, memLevel 5",
            DeflateConfig::new()
                .compression_window_bits(15)
                .mem_level(5),
        ),
        ("default: 12 bits, memLevel 5", DeflateConfig::new()),
        (
            "12 bits, memLevel 5",
            DeflateConfig::new()
                .client_max_window_bits(12)
                .server_max_window_bits(12)
                .mem_level(5),
        ),
        (
            "10 bits, memLevel 4",
            DeflateConfig::new()
                .client_max_window_bits(10)
                .server_max_window_bits(10)
                .mem_level(4),
        ),
        (
            "9 bits, memLevel 1",
            DeflateConfig::new()
                .client_max_window_bits(9)
                .server_max_window_bits(9)
                .mem_level(1),
        ),
        (
            "8 bits (RLE), memLevel 1",
            DeflateConfig::new()
                .client_max_window_bits(8)
                .server_max_window_bits(8)
                .mem_level(1),
        ),
    ];
    println!("permessage-deflate memory per connection (one side, after a message each way):");
    println!(
        "{:<28} {:>12} {:>14} {:>10}",
        "settings", "compressor", "decompressor", "total"
    );
    let mut totals = Vec::new();
    for (name, config) in &rows {
        let (deflate, inflate) = measure(config);
        println!(
            "{name:<28} {:>9} KiB {:>11} KiB {:>7} KiB",
            deflate / 1024,
            inflate / 1024,
            (deflate + inflate) / 1024
        );
        assert!(deflate > 0 && inflate > 0, "{name}: streams allocated");
        totals.push(deflate + inflate);
    }
    // zlib's settings cost most; every reduction saves memory.
    assert!(totals.windows(2).all(|w| w[0] >= w[1]), "{totals:?}");
    // zlib-rs: compressor = 4 × 2^bits (window + prev) + 128 KiB hash head (fixed) +
    // 7 × 2^(mem + 6) symbol buffers + state; decompressor = 32 KiB window + state (about
    // 46 KiB), whatever the window bits.
    let formula = |bits: u32, mem: u32| (4 << bits) + (128 << 10) + 7 * (1 << (mem + 6));
    assert!(totals[0] >= formula(15, 8) && totals[0] < formula(15, 8) + (64 << 10));
    // The default (a 12-bit compression window, memory level 5) needs about half of zlib's
    // settings, and no more than 12-bit windows negotiated with the peer.
    assert!(totals[2] < formula(12, 5) + (64 << 10), "{totals:?}");
    assert_eq!(totals[2], totals[3]);
    // 10-bit windows and memory level 4 need less than half of zlib's settings.
    assert!(totals[4] < totals[0] / 2);
}

#[test]
fn nothing_is_allocated_before_the_first_compressed_message() {
    let before = live();
    let (client, server) = negotiate(&DeflateConfig::new(), &DeflateConfig::new()).unwrap();
    let idle = live() - before;
    assert!(idle < 1024, "an idle negotiated pair keeps {idle} bytes");
    drop((client, server));
}
