// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The ceiling of the echo comparison: a WebSocket "server" that checks nothing. It parses
//! each frame header only to find the payload, unmasks it into an unmasked server frame and
//! writes back whatever whole frames one read brought, with one write per read. No UTF-8
//! check, no limits, no fragmentation rules, no control frame handling beyond echoing them (a
//! Close is echoed and ends the connection). Not a WebSocket implementation: it only shows how
//! much of a run is the kernel, the runtime and the load client, which every server pays alike.
//! Usage: `null_echo --port N`.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Header length and payload length of the frame at the start of `buf`, when the header is
/// complete.
fn header(buf: &[u8]) -> Option<(usize, usize)> {
    if buf.len() < 2 {
        return None;
    }
    let masked = buf[1] & 0x80 != 0;
    let (len, at) = match buf[1] & 0x7f {
        126 => (u16::from_be_bytes(buf.get(2..4)?.try_into().ok()?) as usize, 4),
        127 => (u64::from_be_bytes(buf.get(2..10)?.try_into().ok()?) as usize, 10),
        n => (n as usize, 2),
    };
    let head = at + if masked { 4 } else { 0 };
    (buf.len() >= head).then_some((head, len))
}

/// Appends the unmasked server frame for the client frame `frame` (header `head` bytes long).
fn echo_frame(out: &mut Vec<u8>, frame: &[u8], head: usize) {
    let len = frame.len() - head;
    out.push(frame[0]);
    if len < 126 {
        out.push(len as u8);
    } else if len <= 0xffff {
        out.push(126);
        out.extend_from_slice(&(len as u16).to_be_bytes());
    } else {
        out.push(127);
        out.extend_from_slice(&(len as u64).to_be_bytes());
    }
    let payload = &frame[head..];
    if frame[1] & 0x80 == 0 {
        out.extend_from_slice(payload);
        return;
    }
    let key = u32::from_ne_bytes(frame[head - 4..head].try_into().unwrap());
    let start = out.len();
    out.extend_from_slice(payload);
    let body = &mut out[start..];
    let mut words = body.chunks_exact_mut(4);
    for w in &mut words {
        let v = u32::from_ne_bytes((&*w).try_into().unwrap()) ^ key;
        w.copy_from_slice(&v.to_ne_bytes());
    }
    let key = key.to_ne_bytes();
    for (i, b) in words.into_remainder().iter_mut().enumerate() {
        *b ^= key[i];
    }
}

async fn serve(mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    rswebsockets_compare::raw_server_handshake(&mut stream).await?;
    let mut input = Vec::with_capacity(64 * 1024);
    let mut out = Vec::with_capacity(64 * 1024);
    loop {
        if input.capacity() - input.len() < 16 * 1024 {
            input.reserve(64 * 1024);
        }
        if stream.read_buf(&mut input).await? == 0 {
            return Ok(());
        }
        let mut at = 0;
        let mut closing = false;
        while let Some((head, len)) = header(&input[at..]) {
            if input.len() - at < head + len {
                break;
            }
            let frame = &input[at..at + head + len];
            echo_frame(&mut out, frame, head);
            closing |= frame[0] & 0x0f == 0x8;
            at += head + len;
        }
        input.drain(..at);
        stream.write_all(&out).await?;
        out.clear();
        if closing {
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

    #[test]
    fn echoes_a_masked_frame_unmasked() {
        let frame = rswebsockets_compare::load::masked_frame(0x81, b"Hello, world");
        let (head, len) = header(&frame).unwrap();
        assert_eq!((head, len), (6, 12));
        let mut out = Vec::new();
        echo_frame(&mut out, &frame, head);
        assert_eq!(out[..2], [0x81, 12]);
        assert_eq!(&out[2..], b"Hello, world");
        let big = rswebsockets_compare::load::masked_frame(0x82, &[9u8; 70_000]);
        let (head, len) = header(&big).unwrap();
        assert_eq!((head, len), (14, 70_000));
        out.clear();
        echo_frame(&mut out, &big, head);
        assert_eq!(out[1], 127);
        assert!(out[10..].iter().all(|&b| b == 9));
        assert_eq!(header(&big[..5]), None);
    }
}
