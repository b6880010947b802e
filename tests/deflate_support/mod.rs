// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Helpers for the permessage-deflate tests: negotiation as a handshake does it, frame-level
//! send and receive as the connection calls the extension, test data, and an independent
//! deflate decoder.
#![allow(dead_code)]

pub mod puff;

use rswebsockets::extension::deflate::DeflateConfig;
use rswebsockets::extension::{Extension, ExtensionConfig, FrameBits, Param, RSV1};
use rswebsockets::{Error, OpCode};

// --- negotiation and frames ------------------------------------------------------------------------------

pub fn p(list: &[(&str, Option<&str>)]) -> Vec<Param> {
    list.iter()
        .map(|(n, v)| (n.to_string(), v.map(str::to_string)))
        .collect()
}

/// Negotiates like a handshake would: the server takes the first offer it accepts, the client
/// verifies the answer. Returns (client, server) or the failure.
pub fn negotiate(client: &DeflateConfig, server: &DeflateConfig) -> Result<Pair, Error> {
    let (response, server_ext) = client
        .offers()
        .iter()
        .find_map(|offer| server.accept(offer))
        .expect("the server accepts one offer");
    let client_ext = client.verify(&response)?;
    Ok((client_ext, server_ext))
}

/// One wire frame as the connection sees it: header bits and (compressed) payload.
pub type Frame = (FrameBits, Vec<u8>);

/// A negotiated (client, server) pair.
pub type Pair = (Box<dyn Extension>, Box<dyn Extension>);

/// Encodes `message` as frames of the given fragment sizes (the rest goes in the last frame).
pub fn send(
    ext: &mut dyn Extension,
    message: &[u8],
    cuts: &[usize],
    transform: bool,
) -> Vec<Frame> {
    let mut frames = Vec::new();
    let mut rest = message;
    let mut first = true;
    let mut pieces: Vec<&[u8]> = Vec::new();
    for &cut in cuts {
        let n = cut.min(rest.len());
        pieces.push(&rest[..n]);
        rest = &rest[n..];
    }
    pieces.push(rest);
    let count = pieces.len();
    for (i, piece) in pieces.into_iter().enumerate() {
        let mut bits = FrameBits {
            opcode: if first {
                OpCode::Binary
            } else {
                OpCode::Continue
            },
            fin: i + 1 == count,
            rsv: 0,
            transform,
        };
        first = false;
        let mut out = Vec::new();
        let payload = if ext.encode(&mut bits, piece, &mut out).unwrap() {
            out
        } else {
            piece.to_vec()
        };
        frames.push((bits, payload));
    }
    frames
}

/// Decodes frames as the connection does: one message buffer, `max_len` as the limit.
pub fn receive(
    ext: &mut dyn Extension,
    frames: &[Frame],
    max_len: usize,
) -> Result<Vec<u8>, Error> {
    let mut message = Vec::new();
    for (bits, payload) in frames {
        let mut bits = FrameBits {
            transform: true,
            ..*bits
        };
        if !ext.decode(&mut bits, payload, &mut message, max_len)? {
            message.extend_from_slice(payload);
        }
        assert_eq!(bits.rsv & RSV1, 0, "RSV1 consumed");
    }
    Ok(message)
}

pub fn frame(opcode: OpCode, fin: bool, rsv1: bool, payload: &[u8]) -> Frame {
    let bits = FrameBits {
        opcode,
        fin,
        rsv: if rsv1 { RSV1 } else { 0 },
        transform: true,
    };
    (bits, payload.to_vec())
}

pub fn default_pair() -> Pair {
    negotiate(&DeflateConfig::new(), &DeflateConfig::new()).unwrap()
}

pub fn text_like(len: usize) -> Vec<u8> {
    let words = [
        "websocket ",
        "message ",
        "deflate ",
        "{\"id\": 42, ",
        "\"name\": \"value\"} ",
        "compression ",
        "the quick brown fox ",
    ];
    let mut out = Vec::with_capacity(len + 32);
    let mut i = 0usize;
    while out.len() < len {
        out.extend_from_slice(words[(i * 7 + i / 3) % words.len()].as_bytes());
        i += 1;
    }
    out.truncate(len);
    out
}

pub fn random(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}
