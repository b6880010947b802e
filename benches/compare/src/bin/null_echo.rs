// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The ceiling of the echo comparison: a WebSocket "server" that checks nothing. It streams:
//! each client frame header becomes an unmasked server header at once, and payload bytes are
//! unmasked as they arrive and queued behind it, so a frame of any size is echoed piece by piece
//! with no buffering; whatever one read produced goes out in one write. No UTF-8 check, no
//! limits, no fragmentation rules, no control frame handling beyond echoing them (a Close is
//! echoed and ends the connection). Not a WebSocket implementation: it only shows how much of a
//! run is the kernel, the runtime and the load client, which every server pays alike.
//! Usage: `null_echo --port N`.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Header length, payload length and masking key of the frame header at the start of `buf`,
/// when the header is complete.
fn header(buf: &[u8]) -> Option<(usize, u64, Option<[u8; 4]>)> {
    if buf.len() < 2 {
        return None;
    }
    let (len, at) = match buf[1] & 0x7f {
        126 => (
            u16::from_be_bytes(buf.get(2..4)?.try_into().ok()?) as u64,
            4,
        ),
        127 => (u64::from_be_bytes(buf.get(2..10)?.try_into().ok()?), 10),
        n => (n as u64, 2),
    };
    if buf[1] & 0x80 == 0 {
        return Some((at, len, None));
    }
    let key: [u8; 4] = buf.get(at..at + 4)?.try_into().ok()?;
    Some((at + 4, len, Some(key)))
}

/// Appends the unmasked server header for a frame with first byte `b0` and `len` payload bytes.
fn server_header(out: &mut Vec<u8>, b0: u8, len: u64) {
    out.push(b0);
    if len < 126 {
        out.push(len as u8);
    } else if len <= 0xffff {
        out.push(126);
        out.extend_from_slice(&(len as u16).to_be_bytes());
    } else {
        out.push(127);
        out.extend_from_slice(&len.to_be_bytes());
    }
}

/// Appends `payload` unmasked with `key`, where `payload` starts at byte `offset` of the frame.
fn unmask_into(out: &mut Vec<u8>, payload: &[u8], key: Option<[u8; 4]>, offset: u64) {
    let start = out.len();
    out.extend_from_slice(payload);
    let Some(key) = key else { return };
    let mut k = key;
    k.rotate_left((offset & 3) as usize);
    let word = u64::from_ne_bytes([k[0], k[1], k[2], k[3], k[0], k[1], k[2], k[3]]);
    let body = &mut out[start..];
    let mut words = body.chunks_exact_mut(8);
    for w in &mut words {
        let v = u64::from_ne_bytes((&*w).try_into().unwrap()) ^ word;
        w.copy_from_slice(&v.to_ne_bytes());
    }
    for (i, b) in words.into_remainder().iter_mut().enumerate() {
        *b ^= k[i & 3];
    }
}

/// The frame being echoed.
#[derive(Default)]
struct Frame {
    remaining: u64,
    offset: u64,
    key: Option<[u8; 4]>,
    close: bool,
}

/// Echoes what `input` holds; returns the bytes used (a header cut by the end of the read is
/// left for the next one) and whether a Close frame was fully echoed.
fn echo(input: &[u8], frame: &mut Frame, out: &mut Vec<u8>) -> (usize, bool) {
    let mut at = 0;
    while at < input.len() {
        if frame.remaining > 0 {
            let n = frame.remaining.min((input.len() - at) as u64) as usize;
            unmask_into(out, &input[at..at + n], frame.key, frame.offset);
            frame.remaining -= n as u64;
            frame.offset += n as u64;
            at += n;
        } else {
            let Some((head, len, key)) = header(&input[at..]) else {
                break;
            };
            server_header(out, input[at], len);
            *frame = Frame {
                remaining: len,
                offset: 0,
                key,
                close: input[at] & 0x0f == 0x8,
            };
            at += head;
        }
        if frame.remaining == 0 && frame.close {
            return (at, true);
        }
    }
    (at, false)
}

async fn serve(mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    rswebsockets_compare::raw_server_handshake(&mut stream).await?;
    let mut input = vec![0u8; 64 * 1024];
    let mut kept = 0; // a cut header carried over from the last read
    let mut out = Vec::with_capacity(64 * 1024);
    let mut frame = Frame::default();
    loop {
        let n = stream.read(&mut input[kept..]).await?;
        if n == 0 {
            return Ok(());
        }
        let end = kept + n;
        let (used, closed) = echo(&input[..end], &mut frame, &mut out);
        input.copy_within(used..end, 0);
        kept = end - used;
        stream.write_all(&out).await?;
        out.clear();
        if closed {
            return Ok(());
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let listener = TcpListener::bind(("127.0.0.1", rswebsockets_compare::port())).await?;
    loop {
        let (stream, _) = listener.accept().await?;
        tokio::spawn(async move {
            let _ = serve(stream).await;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rswebsockets_compare::load::masked_frame;

    /// Echoes `wire` cut into reads of `step` bytes, like `serve` does.
    fn echo_in_steps(wire: &[u8], step: usize) -> Vec<u8> {
        let (mut frame, mut out, mut kept) = (Frame::default(), Vec::new(), Vec::new());
        for piece in wire.chunks(step) {
            kept.extend_from_slice(piece);
            let (used, _) = echo(&kept, &mut frame, &mut out);
            kept.drain(..used);
        }
        assert!(kept.is_empty());
        out
    }

    #[test]
    fn echoes_masked_frames_unmasked_in_any_split() {
        let mut wire = masked_frame(0x81, b"Hello, world");
        wire.extend(masked_frame(0x82, &[9u8; 70_000]));
        wire.extend(masked_frame(0x88, &[0x03, 0xe8]));
        let mut expected = vec![0x81, 12];
        expected.extend_from_slice(b"Hello, world");
        expected.extend_from_slice(&[0x82, 127]);
        expected.extend_from_slice(&70_000u64.to_be_bytes());
        expected.extend_from_slice(&[9u8; 70_000]);
        expected.extend_from_slice(&[0x88, 2, 0x03, 0xe8]);
        for step in [1, 3, 7, 13, 4096, wire.len()] {
            assert_eq!(echo_in_steps(&wire, step), expected, "step {step}");
        }
    }
}
