// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Any byte stream, cut anywhere, gives the same events, output and final state as the same
//! stream given in one call (whole one-frame messages then take the engine's single-frame
//! path, cut ones the general path): seeded random and mutated-valid frame sequences, both roles,
//! permessage-deflate on and off, message and frame events, small and default limits. Nothing
//! may panic or stop making progress.

use rand::rngs::StdRng;
use rand::{Rng, RngCore, SeedableRng};

use rswebsockets::extension::deflate::DeflateConfig;
use rswebsockets::extension::{Extension, ExtensionConfig};
use rswebsockets::{Config, Connection, Error, Event, MessageKind, Role, State};

/// The masking key every client here uses, so that outputs compare byte for byte.
const KEY: [u8; 4] = [0x12, 0x34, 0x56, 0x78];

/// How the receiving end is set up.
#[derive(Debug, Clone)]
struct Setup {
    role: Role,
    deflate: bool,
    config: Config,
}

fn deflate_pair() -> (Box<dyn Extension>, Box<dyn Extension>) {
    let config = DeflateConfig::new();
    let offer = &config.offers()[0];
    let (response, server) = config.accept(offer).expect("accepted");
    let client = config.verify(&response).expect("verified");
    (client, server)
}

fn extensions(role: Role, deflate: bool) -> Vec<Box<dyn Extension>> {
    if !deflate {
        return Vec::new();
    }
    let (client, server) = deflate_pair();
    vec![match role {
        Role::Client => client,
        Role::Server => server,
    }]
}

fn connection(role: Role, deflate: bool, config: Config) -> Connection {
    let mut c = Connection::with_extensions(role, config, extensions(role, deflate));
    c.set_mask_generator(Box::new(|| KEY));
    c
}

fn receiver(setup: &Setup) -> Connection {
    connection(setup.role, setup.deflate, setup.config.clone())
}

fn peer_role(role: Role) -> Role {
    match role {
        Role::Client => Role::Server,
        Role::Server => Role::Client,
    }
}

/// Everything a run of the receiver produced.
#[derive(Debug, PartialEq)]
struct Outcome {
    events: Vec<Event>,
    out: Vec<u8>,
    state: State,
    close_code: Option<u16>,
    error: Option<Error>,
}

fn finish(mut c: Connection, mut events: Vec<Event>) -> Outcome {
    events.extend(c.events());
    let before_eof = (c.state(), events.len());
    c.receive_eof();
    events.extend(c.events());
    // Exactly one Close event ends every connection, and it is the last one.
    let closes = events
        .iter()
        .filter(|e| matches!(e, Event::Close { .. }))
        .count();
    assert_eq!(closes, 1, "{events:?} (before EOF: {before_eof:?})");
    assert!(matches!(events.last(), Some(Event::Close { .. })));
    Outcome {
        events,
        out: c.take_outgoing(),
        state: c.state(),
        close_code: c.close_code(),
        error: c.error().cloned(),
    }
}

fn run_whole(setup: &Setup, stream: &[u8]) -> Outcome {
    let mut c = receiver(setup);
    c.receive_data(stream);
    finish(c, Vec::new())
}

fn run_cut(setup: &Setup, stream: &[u8], cuts: &[usize]) -> Outcome {
    let mut c = receiver(setup);
    let mut events = Vec::new();
    let mut from = 0;
    for &to in cuts.iter().chain(std::iter::once(&stream.len())) {
        c.receive_data(&stream[from..to]);
        events.extend(c.events());
        from = to;
    }
    finish(c, events)
}

/// Feeds with `receive_data_until_event` in pieces of random size, handing events out as they
/// come, like the tokio transport does.
fn run_until_event(setup: &Setup, stream: &[u8], rng: &mut StdRng) -> Outcome {
    let mut c = receiver(setup);
    let mut events = Vec::new();
    let mut rest = stream;
    while !rest.is_empty() {
        let piece = rng.random_range(1..=rest.len().min(300));
        let mut chunk = &rest[..piece];
        while !chunk.is_empty() {
            let used = c.receive_data_until_event(chunk);
            let had_events = c.has_events();
            events.extend(c.events());
            assert!(used > 0 || had_events, "no progress and no event");
            chunk = &chunk[used..];
        }
        rest = &rest[piece..];
    }
    finish(c, events)
}

/// Feeds with `receive_next_event` from a buffer of unread input that reads of random size
/// refill, taking one event at a time (the tokio transport's `recv`).
fn run_next_event(setup: &Setup, stream: &[u8], rng: &mut StdRng) -> Outcome {
    let mut c = receiver(setup);
    let mut events = Vec::new();
    let mut rest = stream;
    let mut unread: &[u8] = &[];
    loop {
        let (used, event) = c.receive_next_event(unread);
        assert!(used <= unread.len());
        unread = &unread[used..];
        if let Some(event) = event {
            events.push(event);
            continue;
        }
        assert!(unread.is_empty(), "input left without an event");
        if rest.is_empty() {
            break;
        }
        let piece = rng.random_range(1..=rest.len().min(1000));
        unread = &rest[..piece];
        rest = &rest[piece..];
    }
    finish(c, events)
}

/// Feeds like a driver that reads large frame payloads straight into the message buffer
/// (`input_buffer` / `commit_input`) and everything else through `receive_data_until_event`,
/// with reads of random sizes.
fn run_direct(setup: &Setup, stream: &[u8], rng: &mut StdRng) -> Outcome {
    let mut c = receiver(setup);
    let mut events = Vec::new();
    let mut rest = stream;
    while !rest.is_empty() {
        if let Some(space) = c.input_buffer() {
            let n = space
                .len()
                .min(rest.len())
                .min(rng.random_range(1..=100_000));
            assert!(n > 0, "an empty input buffer was offered");
            for (dst, src) in space[..n].iter_mut().zip(rest) {
                dst.write(*src);
            }
            // SAFETY: the first `n` bytes were just written; no other call came in between.
            unsafe { c.commit_input(n) };
            rest = &rest[n..];
            events.extend(c.events());
            continue;
        }
        let piece = rng.random_range(1..=rest.len().min(4096));
        let used = c.receive_data_until_event(&rest[..piece]);
        let had_events = c.has_events();
        events.extend(c.events());
        assert!(used > 0 || had_events, "no progress and no event");
        rest = &rest[used..];
    }
    finish(c, events)
}

fn random_cuts(rng: &mut StdRng, len: usize) -> Vec<usize> {
    if len < 2 {
        return Vec::new();
    }
    let count = rng.random_range(1..=len.min(40));
    let mut cuts: Vec<usize> = (0..count).map(|_| rng.random_range(1..len)).collect();
    cuts.sort_unstable();
    cuts.dedup();
    cuts
}

/// Checks that every way of feeding `stream` agrees with feeding it whole.
fn check_stream(setup: &Setup, stream: &[u8], rng: &mut StdRng, what: &str) {
    let whole = run_whole(setup, stream);
    for round in 0..3 {
        let cuts = random_cuts(rng, stream.len());
        let split = run_cut(setup, stream, &cuts);
        assert_eq!(
            split, whole,
            "{what} round {round} cuts {cuts:?} setup {setup:?}"
        );
    }
    if stream.len() <= 4096 {
        let cuts: Vec<usize> = (1..stream.len()).collect();
        assert_eq!(
            run_cut(setup, stream, &cuts),
            whole,
            "{what} byte by byte, setup {setup:?}"
        );
    }
    assert_eq!(
        run_until_event(setup, stream, rng),
        whole,
        "{what} until_event, setup {setup:?}"
    );
    assert_eq!(
        run_next_event(setup, stream, rng),
        whole,
        "{what} next_event, setup {setup:?}"
    );
    assert_eq!(
        run_direct(setup, stream, rng),
        whole,
        "{what} direct input, setup {setup:?}"
    );
}

fn random_text(rng: &mut StdRng, max: usize) -> String {
    const PIECES: [&str; 8] = [
        "a",
        "Hello ",
        "é",
        "€",
        "😀",
        "κόσμε",
        "\u{10FFFF}",
        "\u{0}",
    ];
    let mut s = String::new();
    let target = rng.random_range(0..=max);
    while s.len() < target {
        s.push_str(PIECES[rng.random_range(0..PIECES.len())]);
    }
    s
}

fn random_bytes(rng: &mut StdRng, max: usize) -> Vec<u8> {
    let mut v = vec![0u8; rng.random_range(0..=max)];
    if rng.random_bool(0.5) {
        rng.fill_bytes(&mut v);
    } else {
        // Compressible: runs of a few symbols.
        for (i, b) in v.iter_mut().enumerate() {
            *b = b"abcab"[i % 5];
        }
    }
    v
}

/// Cuts `data` at random byte positions (code points of a text may be split).
fn random_pieces(rng: &mut StdRng, data: &[u8]) -> Vec<Vec<u8>> {
    let count = rng.random_range(1..=4);
    let mut cuts: Vec<usize> = (0..count - 1)
        .map(|_| rng.random_range(0..=data.len()))
        .collect();
    cuts.sort_unstable();
    let mut pieces = Vec::new();
    let mut from = 0;
    for cut in cuts.into_iter().chain(std::iter::once(data.len())) {
        pieces.push(data[from..cut].to_vec());
        from = cut;
    }
    pieces
}

fn maybe_control(rng: &mut StdRng, peer: &mut Connection) {
    match rng.random_range(0..6) {
        0 => {
            let payload = random_bytes(rng, 125);
            let _ = peer.send_ping(&payload);
        }
        1 => {
            let payload = random_bytes(rng, 125);
            let _ = peer.send_pong(&payload);
        }
        _ => {}
    }
}

/// A valid stream of frames from the receiver's peer: messages whole and fragmented (by the
/// sender's frame size and by hand), control frames between fragments, maybe a Close.
fn valid_stream(rng: &mut StdRng, setup: &Setup, big: bool) -> Vec<u8> {
    let max = if big { 70_000 } else { 600 };
    let config = Config {
        outgoing_frame_size: [0, 7, 64, 1000][rng.random_range(0..4)],
        ..Config::default()
    };
    let mut peer = connection(peer_role(setup.role), setup.deflate, config);
    for _ in 0..rng.random_range(1..8) {
        maybe_control(rng, &mut peer);
        let _ = match rng.random_range(0..5) {
            0 => peer.send_text(&random_text(rng, max)),
            1 => peer.send_binary(&random_bytes(rng, max)),
            2 | 3 => {
                let (kind, data) = if rng.random_bool(0.5) {
                    (MessageKind::Text, random_text(rng, max).into_bytes())
                } else {
                    (MessageKind::Binary, random_bytes(rng, max))
                };
                let pieces = random_pieces(rng, &data);
                let transform = rng.random_bool(0.8);
                peer.begin_message(kind, transform).unwrap();
                let last = pieces.len() - 1;
                for (i, piece) in pieces.iter().enumerate() {
                    maybe_control(rng, &mut peer);
                    if i == last {
                        peer.finish_message(piece).unwrap();
                    } else {
                        peer.continue_message(piece).unwrap();
                    }
                }
                Ok(())
            }
            _ => {
                let payload = random_bytes(rng, 125);
                peer.send_ping(&payload)
            }
        };
    }
    if rng.random_bool(0.3) {
        let reason = random_text(rng, 20);
        let _ = peer.close(1000u16, &reason);
    }
    peer.take_outgoing()
}

/// Frames with random header bits (mask bit mostly right for the role), small random lengths
/// and random payloads.
fn random_frames(rng: &mut StdRng, setup: &Setup) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..rng.random_range(1..12) {
        let mut first: u8 = rng.random();
        if rng.random_bool(0.7) {
            first &= 0x8F; // no reserved bits
        }
        if rng.random_bool(0.3) {
            first |= 0x40; // RSV1, the deflate bit
        }
        let len = rng.random_range(0..200usize);
        let masked = (setup.role == Role::Server) ^ rng.random_bool(0.05);
        let mut payload = vec![0u8; len];
        rng.fill_bytes(&mut payload);
        let mut h = rswebsockets::frame::FrameHeader::new(
            first & 0x80 != 0,
            rswebsockets::OpCode::from_bits(first),
            masked.then_some(KEY),
            len as u64,
        );
        h.rsv = first & 0x70;
        rswebsockets::frame::write_frame(&mut out, &h, &payload);
    }
    out
}

fn mutate(rng: &mut StdRng, mut data: Vec<u8>) -> Vec<u8> {
    for _ in 0..rng.random_range(1..4) {
        if data.is_empty() {
            data.push(rng.random());
            continue;
        }
        let at = rng.random_range(0..data.len());
        match rng.random_range(0..6) {
            0 => data[at] ^= 1 << rng.random_range(0..8),
            1 => data[at] = rng.random(),
            2 => {
                let mut extra = vec![0u8; rng.random_range(1..16)];
                rng.fill_bytes(&mut extra);
                data.splice(at..at, extra);
            }
            3 => {
                let end = (at + rng.random_range(1..32)).min(data.len());
                data.drain(at..end);
            }
            4 => data.truncate(at),
            _ => {
                let end = (at + rng.random_range(1..64)).min(data.len());
                let copy = data[at..end].to_vec();
                data.splice(at..at, copy);
            }
        }
    }
    data
}

fn setups(rng: &mut StdRng) -> Vec<Setup> {
    let mut out = Vec::new();
    for role in [Role::Server, Role::Client] {
        for deflate in [false, true] {
            let config = match rng.random_range(0..4) {
                0 => Config::default(),
                1 => Config {
                    frame_events: true,
                    ..Config::default()
                },
                2 => Config {
                    frame_events: true,
                    message_events: false,
                    ..Config::default()
                },
                _ => Config {
                    max_frame_size: 300,
                    max_message_size: 700,
                    ..Config::default()
                },
            };
            out.push(Setup {
                role,
                deflate,
                config,
            });
        }
    }
    out
}

#[test]
fn valid_streams_in_every_split() {
    for seed in 0..60u64 {
        let mut rng = StdRng::seed_from_u64(seed);
        for setup in setups(&mut rng) {
            let stream = valid_stream(&mut rng, &setup, false);
            // Valid input never fails the connection (limits aside).
            let whole = run_whole(&setup, &stream);
            if setup.config.max_message_size == Config::default().max_message_size {
                assert_eq!(whole.error, None, "seed {seed} {setup:?}");
            }
            check_stream(&setup, &stream, &mut rng, &format!("valid seed {seed}"));
        }
    }
}

#[test]
fn large_valid_streams_in_random_splits() {
    for seed in 1000..1012u64 {
        let mut rng = StdRng::seed_from_u64(seed);
        for setup in setups(&mut rng) {
            let stream = valid_stream(&mut rng, &setup, true);
            check_stream(&setup, &stream, &mut rng, &format!("large seed {seed}"));
        }
    }
}

#[test]
fn large_mutated_streams_in_random_splits() {
    // Big frames take the direct input path; mutations land in their headers and payloads.
    for seed in 5000..5012u64 {
        let mut rng = StdRng::seed_from_u64(seed);
        for setup in setups(&mut rng) {
            let valid = valid_stream(&mut rng, &setup, true);
            let stream = mutate(&mut rng, valid);
            check_stream(
                &setup,
                &stream,
                &mut rng,
                &format!("large mutated seed {seed}"),
            );
        }
    }
}

#[test]
fn mutated_streams_in_every_split() {
    for seed in 2000..2150u64 {
        let mut rng = StdRng::seed_from_u64(seed);
        for setup in setups(&mut rng) {
            let stream = valid_stream(&mut rng, &setup, false);
            let stream = mutate(&mut rng, stream);
            check_stream(&setup, &stream, &mut rng, &format!("mutated seed {seed}"));
        }
    }
}

#[test]
fn random_frames_and_random_bytes_in_every_split() {
    for seed in 3000..3150u64 {
        let mut rng = StdRng::seed_from_u64(seed);
        for setup in setups(&mut rng) {
            let stream = random_frames(&mut rng, &setup);
            check_stream(&setup, &stream, &mut rng, &format!("frames seed {seed}"));
            let mut noise = vec![0u8; rng.random_range(0..512)];
            rng.fill_bytes(&mut noise);
            check_stream(&setup, &noise, &mut rng, &format!("noise seed {seed}"));
        }
    }
}

#[test]
fn failures_carry_the_close_code_they_send() {
    // Over many mutated streams: whenever the receiver fails, the Close it sent (if any)
    // carries its error's close code, and the code is one of the failure codes.
    let mut failures = std::collections::BTreeMap::<u16, usize>::new();
    for seed in 4000..4200u64 {
        let mut rng = StdRng::seed_from_u64(seed);
        for setup in setups(&mut rng) {
            let valid = valid_stream(&mut rng, &setup, false);
            let stream = mutate(&mut rng, valid);
            let outcome = run_whole(&setup, &stream);
            let Some(error) = outcome.error else { continue };
            let code = error.close_code().value();
            assert!(
                [1002, 1007, 1009, 1010].contains(&code),
                "seed {seed}: {error:?}"
            );
            *failures.entry(code).or_default() += 1;
            let sent = last_close_code(&outcome.out);
            if let Some(sent) = sent {
                // The receiver may have echoed the peer's Close before failing.
                assert!(sent == code || outcome.close_code.is_some(), "seed {seed}");
            }
        }
    }
    // The mutations reach the protocol, UTF-8 and limit checks.
    assert!(
        failures.get(&1002).copied().unwrap_or(0) > 50,
        "{failures:?}"
    );
    assert!(
        failures.get(&1007).copied().unwrap_or(0) > 5,
        "{failures:?}"
    );
}

/// The code of the last Close frame in `out`, if any.
fn last_close_code(mut out: &[u8]) -> Option<u16> {
    let mut code = None;
    while let Ok(Some((h, n))) = rswebsockets::frame::FrameHeader::parse(out) {
        let end = n + h.payload_len as usize;
        let mut payload = out[n..end].to_vec();
        if let Some(key) = h.mask {
            rswebsockets::mask::apply_mask(&mut payload, key, 0);
        }
        if h.opcode == rswebsockets::OpCode::Close && payload.len() >= 2 {
            code = Some(u16::from_be_bytes([payload[0], payload[1]]));
        }
        out = &out[end..];
    }
    code
}
