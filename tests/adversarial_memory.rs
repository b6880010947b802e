// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Memory stays bounded under hostile input, measured with a counting allocator: headers that
//! claim huge payloads and then go silent, floods of empty continuation frames and of control
//! frames, fragments and deflate bombs past the message size limit (1009 before the memory is
//! taken), and a peer that sends pings but never reads.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use rswebsockets::extension::deflate::DeflateConfig;
use rswebsockets::extension::{Extension, ExtensionConfig};
use rswebsockets::frame::{write_frame, FrameHeader};
use rswebsockets::{Config, Connection, Error, Event, OpCode, Role, State};

struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn add(delta: isize) {
    // `try_with`: the thread-local may be gone while a thread shuts down.
    let _ = LIVE.try_with(|live| {
        let now = live.get() + delta;
        live.set(now);
        let _ = PEAK.try_with(|peak| {
            if now > peak.get() {
                peak.set(now);
            }
        });
    });
}

// SAFETY: forwards to the system allocator; the counters are const-initialised thread locals
// without destructors, so updating them never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        add(layout.size() as isize);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        add(-(layout.size() as isize));
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        add(new_size as isize - layout.size() as isize);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns its result with the most memory (in bytes, above what was live when
/// it started) that this thread held at any moment during it.
fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let start = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(start));
    let result = f();
    let peak = PEAK.with(Cell::get);
    (result, (peak - start).max(0) as usize)
}

const KIB: usize = 1024;
const MIB: usize = 1024 * 1024;
const KEY: [u8; 4] = [1, 2, 3, 4];

fn deflate_exts(role: Role) -> Vec<Box<dyn Extension>> {
    let config = DeflateConfig::new();
    let (response, server) = config.accept(&config.offers()[0]).unwrap();
    let client = config.verify(&response).unwrap();
    vec![match role {
        Role::Client => client,
        Role::Server => server,
    }]
}

fn conn(role: Role, deflate: bool, config: Config) -> Connection {
    let exts = if deflate {
        deflate_exts(role)
    } else {
        Vec::new()
    };
    let mut c = Connection::with_extensions(role, config, exts);
    c.set_mask_generator(Box::new(|| KEY));
    c
}

/// A frame as the peer of `receiver` sends it (masked towards a server).
fn frame_to(receiver: Role, first: u8, payload: &[u8]) -> Vec<u8> {
    let mut h = FrameHeader::new(
        first & 0x80 != 0,
        OpCode::from_bits(first),
        (receiver == Role::Server).then_some(KEY),
        payload.len() as u64,
    );
    h.rsv = first & 0x70;
    let mut out = Vec::new();
    write_frame(&mut out, &h, payload);
    out
}

/// Just a header claiming `len` payload bytes.
fn header_to(receiver: Role, first: u8, len: u64) -> Vec<u8> {
    let mut h = FrameHeader::new(
        first & 0x80 != 0,
        OpCode::from_bits(first),
        (receiver == Role::Server).then_some(KEY),
        len,
    );
    h.rsv = first & 0x70;
    let mut out = Vec::new();
    h.write_to(&mut out);
    out
}

fn failure(c: &mut Connection) -> Option<Error> {
    c.events().find_map(|e| match e {
        Event::Failed(e) => Some(e),
        _ => None,
    })
}

#[test]
fn huge_length_claims_then_silence_cost_nothing() {
    for role in [Role::Server, Role::Client] {
        for deflate in [false, true] {
            // 2^63: not a valid length at all (1002).
            let mut bytes = header_to(role, 0x82, 0);
            bytes[1] = (bytes[1] & 0x80) | 127;
            bytes.splice(2..2, [0x80, 0, 0, 0, 0, 0, 0, 0]);
            let mut c = conn(role, deflate, Config::default());
            let (_, peak) = peak_during(|| c.receive_data(&bytes));
            assert_eq!(failure(&mut c), Some(Error::InvalidPayloadLength));
            assert!(peak < 4 * KIB, "2^63: {peak}");

            // 2^63 - 1: over the frame limit, refused on the header (1009).
            let mut c = conn(role, deflate, Config::default());
            let claim = header_to(role, 0x82, u64::MAX >> 1);
            let (_, peak) = peak_during(|| c.receive_data(&claim));
            assert!(matches!(failure(&mut c), Some(Error::FrameTooBig { .. })));
            assert!(peak < 4 * KIB, "2^63-1: {peak}");

            // 64 MiB within generous limits, then silence: the header alone must not make
            // the engine take 64 MiB up front.
            let generous = Config {
                max_frame_size: 128 * MIB,
                max_message_size: 128 * MIB,
                ..Config::default()
            };
            let mut c = conn(role, deflate, generous);
            let claim = header_to(role, if deflate { 0xC2 } else { 0x82 }, 64 * MIB as u64);
            let (_, peak) = peak_during(|| {
                c.receive_data(&claim);
                c.receive_data(&[0u8; 100]);
            });
            assert!(!c.has_events());
            assert_eq!(c.state(), State::Open);
            assert!(peak <= MIB + 64 * KIB, "64 MiB claim: {peak}");
        }
    }
}

#[test]
fn direct_input_grows_with_the_data_not_with_the_claim() {
    let generous = Config {
        max_frame_size: 128 * MIB,
        max_message_size: 128 * MIB,
        ..Config::default()
    };
    for role in [Role::Server, Role::Client] {
        let mut c = conn(role, false, generous.clone());
        let (received, peak) = peak_during(|| {
            c.receive_data(&header_to(role, 0x82, 64 * MIB as u64));
            let mut received = 0usize;
            while received < 4 * MIB {
                let space = c.input_buffer().expect("direct input inside a big frame");
                // The space offered follows what arrived so far (after the 1 MiB a header may
                // reserve up front), not the 64 MiB claimed.
                assert!(
                    space.len() <= received.max(MIB),
                    "{role:?}: {} bytes offered after {received}",
                    space.len()
                );
                let n = space.len();
                for b in space.iter_mut() {
                    b.write(0x5a);
                }
                // SAFETY: all `n` bytes were written; no other call came in between.
                unsafe { c.commit_input(n) };
                received += n;
            }
            received
        });
        assert_eq!(c.state(), State::Open);
        assert!(
            peak < 2 * received + 256 * KIB,
            "{role:?}: {peak} for {received}"
        );
    }
}

#[test]
fn a_million_empty_continuation_frames() {
    for role in [Role::Server, Role::Client] {
        for frame_events in [false, true] {
            let config = Config {
                frame_events,
                ..Config::default()
            };
            let mut c = conn(role, false, config);
            let empty = frame_to(role, 0x00, b"");
            let mut stream = frame_to(role, 0x01, b"start");
            let mut batch = Vec::new();
            for _ in 0..10_000 {
                batch.extend_from_slice(&empty);
            }
            let (count, peak) = peak_during(|| {
                c.receive_data(&stream);
                let mut count = 0usize;
                for _ in 0..100 {
                    c.receive_data(&batch);
                    count += c.events().count();
                }
                count
            });
            stream.clear();
            // One frame event per frame when asked for, nothing otherwise. What is held is the
            // events of one call (10 000 empty frame events), never the million frames.
            assert_eq!(count, if frame_events { 1_000_001 } else { 0 });
            let bound = if frame_events { MIB } else { 16 * KIB };
            assert!(peak < bound, "{role:?} frame events {frame_events}: {peak}");
            c.receive_data(&frame_to(role, 0x80, b" end"));
            let events: Vec<Event> = c.events().collect();
            assert_eq!(
                events.last(),
                Some(&Event::Text("start end".into())),
                "{role:?}"
            );
        }
    }
}

#[test]
fn fragments_past_the_message_limit_fail_before_the_memory_is_taken() {
    let limits = Config {
        max_frame_size: 256 * KIB,
        max_message_size: MIB,
        ..Config::default()
    };
    for role in [Role::Server, Role::Client] {
        let mut c = conn(role, false, limits.clone());
        let piece = vec![b'x'; 200 * KIB];
        let first = frame_to(role, 0x02, &piece);
        let next = frame_to(role, 0x00, &piece);
        let (_, peak) = peak_during(|| {
            c.receive_data(&first);
            for _ in 0..10 {
                c.receive_data(&next);
            }
        });
        let err = failure(&mut c).expect("fails");
        assert_eq!(err, Error::MessageTooBig { limit: MIB as u64 });
        assert_eq!(err.close_code().value(), 1009);
        // The message buffer never grows past the limit (plus the growth slack of a Vec).
        assert!(peak <= 2 * MIB + 64 * KIB, "{role:?}: {peak}");
    }
}

/// What `sender` puts on the wire for a binary message of `len` zero bytes, in one frame.
fn compressed_zeros(sender: Role, len: usize) -> Vec<u8> {
    let mut peer = conn(
        sender,
        true,
        Config {
            outgoing_frame_size: 0,
            ..Config::default()
        },
    );
    peer.send_binary(&vec![0u8; len]).unwrap();
    peer.take_outgoing()
}

#[test]
fn deflate_bomb_fails_1009_with_bounded_memory() {
    let limits = Config {
        max_message_size: MIB,
        ..Config::default()
    };
    for role in [Role::Server, Role::Client] {
        let peer = match role {
            Role::Server => Role::Client,
            Role::Client => Role::Server,
        };
        // 64 MiB of zeros compress to about 64 KiB.
        let bomb = compressed_zeros(peer, 64 * MIB);
        assert!(bomb.len() < 128 * KIB, "{}", bomb.len());
        let mut c = conn(role, true, limits.clone());
        let (_, peak) = peak_during(|| c.receive_data(&bomb));
        let err = failure(&mut c).expect("fails");
        assert!(matches!(err, Error::MessageTooBig { .. }), "{err:?}");
        assert_eq!(err.close_code().value(), 1009);
        // The compressed frame, the 1 MiB budget and the inflater's state, nothing more.
        assert!(peak < 2 * MIB + 256 * KIB, "{role:?}: {peak}");

        // The same bomb spread over many small compressed fragments.
        let mut sender = conn(peer, true, Config::default());
        sender
            .begin_message(rswebsockets::MessageKind::Binary, true)
            .unwrap();
        let chunk = vec![0u8; 256 * KIB];
        let mut c = conn(role, true, limits.clone());
        let (_, peak) = peak_during(|| {
            for _ in 0..64 {
                sender.continue_message(&chunk).unwrap();
                c.receive_data(&sender.take_outgoing());
                if c.error().is_some() {
                    break;
                }
            }
        });
        let err = failure(&mut c).expect("fails");
        assert!(matches!(err, Error::MessageTooBig { .. }), "{err:?}");
        assert!(peak < 3 * MIB, "{role:?} fragmented: {peak}");
    }
}

#[test]
fn control_frames_interleaved_in_huge_numbers_with_fragments() {
    for role in [Role::Server, Role::Client] {
        for deflate in [false, true] {
            let mut c = conn(role, deflate, Config::default());
            let ping = frame_to(role, 0x89, &[7u8; 125]);
            let pong = frame_to(role, 0x8A, b"p");
            let mut batch = Vec::new();
            for _ in 0..1000 {
                batch.extend_from_slice(&ping);
                batch.extend_from_slice(&pong);
            }
            let fragment = frame_to(role, 0x00, b"ab");
            let (pings, peak) = peak_during(|| {
                c.receive_data(&frame_to(role, 0x01, b"<"));
                let mut pings = 0usize;
                for _ in 0..100 {
                    c.receive_data(&batch);
                    c.receive_data(&fragment);
                    pings += c.events().filter(|e| matches!(e, Event::Ping(_))).count();
                    // A driver that writes what it is given.
                    c.consume_outgoing(c.outgoing_len());
                }
                pings
            });
            assert_eq!(pings, 100_000);
            // The pongs and ping events of one call (1000 pings), not of the 100 000.
            assert!(peak < MIB, "{role:?} deflate {deflate}: {peak}");
            c.receive_data(&frame_to(role, 0x80, b">"));
            let expected = format!("<{}>", "ab".repeat(100));
            assert_eq!(c.next_event(), Some(Event::Text(expected)));
        }
    }
}

#[test]
fn pings_from_a_peer_that_never_reads_do_not_pile_up_pongs() {
    // RFC 6455 §5.5.3 allows answering only the most recent Ping when earlier ones are still
    // unanswered; tungstenite keeps a single pending Pong. A peer that sends pings and never
    // reads what we write must not make our outgoing queue grow with every Ping.
    for role in [Role::Server, Role::Client] {
        let mut c = conn(role, false, Config::default());
        let mut batch = Vec::new();
        for i in 0..1000u32 {
            batch.extend_from_slice(&frame_to(role, 0x89, &[i as u8; 125]));
        }
        for _ in 0..100 {
            c.receive_data(&batch);
            c.events().for_each(drop);
        }
        // 100 000 pings arrived; the transport never took a byte.
        assert!(
            c.outgoing_len() < 64 * KIB,
            "{role:?}: {} bytes of pongs queued",
            c.outgoing_len()
        );
        // The latest Ping is answered, once: the peer decodes (and unmasks) one Pong.
        let out = c.take_outgoing();
        let peer_role = match role {
            Role::Server => Role::Client,
            Role::Client => Role::Server,
        };
        let mut peer = conn(peer_role, false, Config::default());
        peer.receive_data(&out);
        let pongs: Vec<Vec<u8>> = peer
            .events()
            .map(|e| match e {
                Event::Pong(p) => p,
                other => panic!("{role:?}: {other:?}"),
            })
            .collect();
        assert_eq!(pongs, [vec![999u32 as u8; 125]], "{role:?}");
    }
}

#[test]
fn input_held_while_connecting_is_bounded() {
    // Input that arrives before the connection opens is kept for it; a peer that sends far
    // more than one frame's worth meanwhile must not make that buffer grow without end.
    let config = Config {
        max_frame_size: 64 * KIB,
        max_message_size: 64 * KIB,
        ..Config::default()
    };
    let mut c = Connection::connecting(Role::Server, config);
    let junk = vec![0u8; 64 * KIB];
    let (_, peak) = peak_during(|| {
        for _ in 0..256 {
            c.receive_data(&junk);
        }
    });
    assert!(peak < MIB, "16 MiB fed while connecting: {peak} bytes held");
    // Once open, the held input is read as frames (here: an unmasked frame, 1002).
    c.open(Vec::new()).unwrap();
    assert_eq!(failure(&mut c), Some(Error::UnmaskedFrameFromClient));
}

#[test]
fn frames_through_deflate_fail_before_they_are_buffered() {
    let limits = Config {
        max_message_size: MIB,
        ..Config::default()
    };
    for role in [Role::Server, Role::Client] {
        // An uncompressed frame (RSV1 clear) claiming 8 MiB cannot fit a 1 MiB message: like
        // without extensions, it fails on its header.
        let mut c = conn(role, true, limits.clone());
        let claim = header_to(role, 0x82, 8 * MIB as u64);
        let (_, peak) = peak_during(|| {
            c.receive_data(&claim);
            let chunk = vec![0u8; 64 * KIB];
            for _ in 0..128 {
                if c.error().is_some() {
                    break;
                }
                c.receive_data(&chunk);
            }
        });
        let err = failure(&mut c).expect("fails");
        assert!(matches!(err, Error::MessageTooBig { .. }), "{err:?}");
        assert!(peak < 2 * MIB, "{role:?} plain frame: {peak} bytes held");

        // A compressed frame of 8 MiB of incompressible data (stored blocks): the message
        // limit is passed after about 1 MiB of it; the rest must not be buffered first.
        let peer = if role == Role::Server {
            Role::Client
        } else {
            Role::Server
        };
        let mut sender = conn(
            peer,
            true,
            Config {
                outgoing_frame_size: 0,
                ..Config::default()
            },
        );
        let mut noise = vec![0u8; 8 * MIB];
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for b in noise.iter_mut() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = x as u8;
        }
        sender.send_binary(&noise).unwrap();
        let frame = sender.take_outgoing();
        drop(noise);
        let mut c = conn(role, true, limits.clone());
        let mut fed = 0usize;
        let (_, peak) = peak_during(|| {
            for chunk in frame.chunks(64 * KIB) {
                if c.error().is_some() {
                    break;
                }
                c.receive_data(chunk);
                fed += chunk.len();
            }
        });
        let err = failure(&mut c).expect("fails");
        assert!(matches!(err, Error::MessageTooBig { .. }), "{err:?}");
        assert!(fed < 2 * MIB, "{role:?}: failed only after {fed} bytes");
        assert!(
            peak < 3 * MIB,
            "{role:?} compressed frame: {peak} bytes held"
        );
    }
}
