// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The checks the fuzz targets run, kept here so that the stable replay tests in `tests/` run
//! them too (`cargo test` in this directory), and so that `cargo check` compiles them without
//! libFuzzer's instrumentation.
//!
//! Each check panics (which the fuzzer reports as a crash) when the engine breaks one of its
//! promises: a panic of its own, a different outcome for the same bytes cut differently, more
//! than one `Close` event, a failure whose close code is not a failure code, a handshake that
//! accepts and rejects the same bytes depending on how they arrive.

use std::sync::Arc;

use rswebsockets::extension::deflate::DeflateConfig;
use rswebsockets::extension::{Extension, ExtensionConfig};
use rswebsockets::frame::{FrameHeader, MAX_HEADER_LEN};
use rswebsockets::handshake::{
    ClientHandshake, ClientOptions, HandshakeError, ServerHandshake, ServerOptions, WsUrl,
};
use rswebsockets::{Config, Connection, Error, Event, Role, State};

/// The masking key of every client here, so that outputs compare byte for byte.
const KEY: [u8; 4] = [0x37, 0xfa, 0x21, 0x3d];

/// `FrameHeader::parse`: every shorter prefix of a complete header is "need more", and a
/// parsed header encodes back to the same bytes (the only non-canonical form, a length written
/// in more bytes than needed, is accepted and re-encoded shorter).
pub fn frame_header(data: &[u8]) {
    match FrameHeader::parse(data) {
        Ok(Some((header, n))) => {
            assert!((2..=MAX_HEADER_LEN).contains(&n));
            for short in 0..n {
                assert_eq!(FrameHeader::parse(&data[..short]), Ok(None));
            }
            let mut buf = [0u8; MAX_HEADER_LEN];
            let m = header.encode(&mut buf);
            assert_eq!(m, header.encoded_len());
            assert_eq!(FrameHeader::parse(&buf[..m]), Ok(Some((header, m))));
            if m == n {
                assert_eq!(&buf[..m], &data[..n]);
            }
        }
        Ok(None) => assert!(data.len() < MAX_HEADER_LEN),
        Err(e) => assert_eq!(e, Error::InvalidPayloadLength),
    }
}

fn deflate_extension(role: Role) -> Box<dyn Extension> {
    let config = DeflateConfig::new();
    let (response, server) = config.accept(&config.offers()[0]).expect("accepted");
    match role {
        Role::Server => server,
        Role::Client => config.verify(&response).expect("verified"),
    }
}

/// The settings a fuzz input starts with: its first byte picks them.
fn config(flags: u8) -> Config {
    let mut config = Config {
        frame_events: flags & 1 != 0,
        message_events: flags & 2 == 0 || flags & 1 == 0,
        auto_pong: flags & 4 == 0,
        ..Config::default()
    };
    if flags & 8 != 0 {
        config.max_frame_size = 200;
        config.max_message_size = 500;
    }
    config
}

fn connection(role: Role, deflate: bool, config: &Config) -> Connection {
    let extensions = if deflate {
        vec![deflate_extension(role)]
    } else {
        Vec::new()
    };
    let mut c = Connection::with_extensions(role, config.clone(), extensions);
    c.set_mask_generator(Box::new(|| KEY));
    c
}

/// Everything one run produced.
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
    c.receive_eof();
    events.extend(c.events());
    let closes = events
        .iter()
        .filter(|e| matches!(e, Event::Close { .. }))
        .count();
    assert_eq!(closes, 1, "exactly one Close event: {events:?}");
    assert!(matches!(events.last(), Some(Event::Close { .. })));
    if let Some(error) = c.error() {
        let code = error.close_code().value();
        assert!(
            [1002, 1007, 1009, 1010].contains(&code),
            "failure code {code} for {error:?}"
        );
    }
    Outcome {
        events,
        out: c.take_outgoing(),
        state: c.state(),
        close_code: c.close_code(),
        error: c.error().cloned(),
    }
}

/// `Connection::receive_data` in `role`: input byte 0 picks the settings, byte 1 the cuts;
/// the rest is the stream. Fed whole, cut where the cut byte says, through
/// `receive_data_until_event`, one event at a time through `receive_next_event`, and with large payloads read straight into the message buffer
/// (`input_buffer` / `commit_input`), the stream must give the same outcome.
pub fn receive(role: Role, deflate: bool, data: &[u8]) {
    let [flags, cut_seed, stream @ ..] = data else {
        return;
    };
    let config = config(*flags);

    let mut whole = connection(role, deflate, &config);
    whole.receive_data(stream);
    let whole = finish(whole, Vec::new());

    // Cut into pieces whose sizes cycle through 1..=cut_seed+1.
    let mut split = connection(role, deflate, &config);
    let mut events = Vec::new();
    let mut rest = stream;
    let mut size = 1usize;
    while !rest.is_empty() {
        let n = size.min(rest.len());
        split.receive_data(&rest[..n]);
        events.extend(split.events());
        rest = &rest[n..];
        size = size % (usize::from(*cut_seed) + 1) + 1;
    }
    assert_eq!(finish(split, events), whole, "cut");

    let mut stepwise = connection(role, deflate, &config);
    let mut events = Vec::new();
    let mut rest = stream;
    while !rest.is_empty() {
        let used = stepwise.receive_data_until_event(rest);
        let had_events = stepwise.has_events();
        events.extend(stepwise.events());
        assert!(used > 0 || had_events, "no progress");
        rest = &rest[used..];
    }
    assert_eq!(finish(stepwise, events), whole, "until_event");

    // One event at a time with `receive_next_event`, from pieces of the cut sizes.
    let mut pulled = connection(role, deflate, &config);
    let mut events = Vec::new();
    let mut rest = stream;
    let mut unread: &[u8] = &[];
    let mut size = 1usize;
    loop {
        let (used, event) = pulled.receive_next_event(unread);
        assert!(used <= unread.len(), "used more than given");
        unread = &unread[used..];
        if let Some(event) = event {
            events.push(event);
            continue;
        }
        assert!(unread.is_empty(), "input left without an event");
        if rest.is_empty() {
            break;
        }
        let n = size.min(rest.len());
        unread = &rest[..n];
        rest = &rest[n..];
        size = size % (usize::from(*cut_seed) + 1) + 1;
    }
    assert_eq!(finish(pulled, events), whole, "next_event");

    // Large payloads read straight into the message buffer, in reads of the cut sizes.
    let mut direct = connection(role, deflate, &config);
    let mut events = Vec::new();
    let mut rest = stream;
    let mut size = 1usize;
    while !rest.is_empty() {
        if let Some(space) = direct.input_buffer() {
            let n = space.len().min(rest.len()).min(size * 1024);
            assert!(n > 0, "empty input buffer");
            for (dst, src) in space[..n].iter_mut().zip(rest) {
                dst.write(*src);
            }
            // SAFETY: `n` bytes were written just now; no other call came in between.
            unsafe { direct.commit_input(n) };
            rest = &rest[n..];
        } else {
            let used = direct.receive_data_until_event(&rest[..size.min(rest.len())]);
            assert!(used > 0 || direct.has_events(), "no progress");
            rest = &rest[used..];
        }
        events.extend(direct.events());
        size = size % (usize::from(*cut_seed) + 1) + 1;
    }
    assert_eq!(finish(direct, events), whole, "direct input");
}

fn server_options() -> ServerOptions {
    ServerOptions {
        protocols: vec!["chat".into(), "superchat".into()],
        extensions: vec![Arc::new(DeflateConfig::new())],
        ..Default::default()
    }
}

/// The verdict of a server handshake on `bytes` fed in pieces of `piece` bytes.
fn server_verdict(bytes: &[u8], piece: usize) -> Result<Option<usize>, HandshakeError> {
    let mut hs = ServerHandshake::new(server_options());
    let mut fed = 0;
    for chunk in bytes.chunks(piece.max(1)) {
        match hs.receive(chunk)? {
            Some((request, consumed)) => {
                assert!(consumed <= chunk.len());
                assert!(!request.key.is_empty());
                let accepted = hs.accept(&[]).expect("accept after a good request");
                let head = accepted.response;
                assert!(head.starts_with(b"HTTP/1.1 101 Switching Protocols\r\n"));
                assert!(head.ends_with(b"\r\n\r\n"));
                if let Some(p) = &accepted.protocol {
                    assert!(request.protocols.contains(p));
                }
                return Ok(Some(fed + consumed));
            }
            None => fed += chunk.len(),
        }
    }
    Ok(None)
}

/// `ServerHandshake`: the same verdict whole and byte by byte; every rejection is a complete
/// HTTP response with a 4xx/5xx status.
pub fn handshake_server(data: &[u8]) {
    let whole = server_verdict(data, data.len());
    let bytewise = server_verdict(data, 1);
    assert_eq!(whole, bytewise);
    if let Err(e) = &whole {
        let mut hs = ServerHandshake::new(server_options());
        let response = hs.reject(e);
        assert!(response.starts_with(b"HTTP/1.1 4") || response.starts_with(b"HTTP/1.1 5"));
        let _ = e.close_code();
    }
}

const CLIENT_KEY: &str = "dGhlIHNhbXBsZSBub25jZQ==";

fn client_verdict(bytes: &[u8], piece: usize) -> Result<Option<usize>, HandshakeError> {
    let url = WsUrl::parse("ws://server.example.com/chat").expect("url");
    let options = ClientOptions {
        protocols: vec!["chat".into()],
        extensions: vec![Arc::new(DeflateConfig::new())],
        ..Default::default()
    };
    let (mut hs, _request) =
        ClientHandshake::from_parts(url, options, CLIENT_KEY.into()).expect("request");
    let mut fed = 0;
    for chunk in bytes.chunks(piece.max(1)) {
        match hs.receive(chunk)? {
            Some((accepted, consumed)) => {
                assert!(consumed <= chunk.len());
                assert!(accepted.protocol.iter().all(|p| p == "chat"));
                assert!(accepted.extensions.len() <= 1);
                return Ok(Some(fed + consumed));
            }
            None => fed += chunk.len(),
        }
    }
    Ok(None)
}

/// `ClientHandshake`: the same verdict whole and byte by byte. Inputs starting with `!` get
/// a valid 101 head for the key in front, so the fuzzer explores the headers after it.
pub fn handshake_client(data: &[u8]) {
    let owned;
    let data = match data.split_first() {
        Some((b'!', rest)) => {
            let mut v = format!(
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
                 Sec-WebSocket-Accept: {}\r\n",
                rswebsockets::handshake::derive_accept_key(CLIENT_KEY)
            )
            .into_bytes();
            v.extend_from_slice(rest);
            owned = v;
            &owned[..]
        }
        _ => data,
    };
    let whole = client_verdict(data, data.len());
    let bytewise = client_verdict(data, 1);
    assert_eq!(whole, bytewise);
    if let Err(e) = &whole {
        let _ = (e.kind(), e.close_code(), e.to_string());
    }
}
