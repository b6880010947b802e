// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! `wsload_deflate`: the load client of the deflate echo comparison (benches/compare-deflate.sh),
//! used against every server. It works like `wsload` (a window of messages in flight per
//! connection, one more sent for every echo, echoes checked byte for byte, latency from send to
//! echo) with permessage-deflate negotiated:
//!
//! - it offers `permessage-deflate; client_no_context_takeover` and fails unless the server
//!   accepts it, so every server inflates every message and compresses every echo;
//! - client_no_context_takeover lets it compress its messages once per connection (raw
//!   deflate, level 6, sync flush, tail removed, RSV1 set) and send the same frames again and
//!   again, so the client does no compression work during the run;
//! - it inflates every echo (keeping the server's context unless the server said
//!   server_no_context_takeover) and compares it with the message sent.
//!
//! The messages are 1 KiB JSON-like texts by default (records with varying numbers and words),
//! which compress about 3:1 alone — neither the best case (repeated bytes) nor the worst
//! (random). Each connection cycles through 64 different ones (64 KiB, twice a 15-bit window),
//! so a server with context takeover finds similar text in its window, but never the very same
//! message, which would compress to a few bytes at no cost.
//!
//! ```text
//! wsload_deflate --port N [--label NAME] [--conns 16] [--size 1024] [--window 8] [--secs 3]
//!                [--warmup 0.5]
//! ```
//! Prints one `RESULT key=value ...` line (the negotiated response in `ext=`, spaces removed).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::io;
use std::rc::Rc;
use std::time::{Duration, Instant};

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress};
use rswebsockets_compare::{accept_key, flag};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::TcpStream;
use tokio::sync::Notify;

const HANDSHAKE_KEY: &str = "dGhlIHNhbXBsZSBub25jZQ==";
const MASK: [u8; 4] = [0x37, 0xfa, 0x21, 0x3d];
const TAIL: [u8; 4] = [0x00, 0x00, 0xff, 0xff];
const OFFER: &str = "permessage-deflate; client_no_context_takeover";

#[derive(Clone, Debug)]
struct Plan {
    label: String,
    port: u16,
    conns: usize,
    size: usize,
    window: usize,
    secs: f64,
    warmup: f64,
}

impl Plan {
    fn from_args() -> Plan {
        let num = |name: &str, default: f64| -> f64 {
            flag(name)
                .map(|v| v.parse().expect("numeric flag"))
                .unwrap_or(default)
        };
        Plan {
            label: flag("--label").unwrap_or_else(|| "server".into()),
            port: flag("--port")
                .and_then(|p| p.parse().ok())
                .expect("--port N is required"),
            conns: num("--conns", 16.0) as usize,
            size: num("--size", 1024.0) as usize,
            window: (num("--window", 8.0) as usize).max(1),
            secs: num("--secs", 3.0),
            warmup: num("--warmup", 0.5),
        }
    }
}

/// Distinct messages each connection cycles through.
const VARIANTS: usize = 64;

/// A JSON-like text of exactly `size` bytes: records with pseudo-random ids, numbers and words,
/// different for each `variant`.
fn payload(size: usize, variant: usize) -> Vec<u8> {
    const WORDS: [&str; 12] = [
        "login", "logout", "update", "delete", "create", "search", "alpha", "beta", "gamma",
        "delta", "queued", "done",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15 ^ ((variant as u64 + 1) << 32);
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut out = String::with_capacity(size + 128);
    out.push('[');
    while out.len() < size {
        let (a, b, c) = (next(), next(), next());
        out.push_str(&format!(
            "{{\"id\":{},\"user\":\"user{}\",\"action\":\"{}\",\"state\":\"{}\",\"score\":{}.{:02},\"ts\":{}}},",
            a % 100_000,
            b % 1000,
            WORDS[(c % 12) as usize],
            WORDS[((c >> 8) % 12) as usize],
            (a >> 20) % 1000,
            (b >> 20) % 100,
            1_700_000_000 + (c >> 24) % 10_000_000
        ));
    }
    out.truncate(size);
    out.into_bytes()
}

/// The message compressed as one permessage-deflate frame (RSV1, tail removed), masked.
fn compressed_frame(message: &[u8]) -> Vec<u8> {
    let mut c = Compress::new(Compression::new(6), false);
    let mut z = Vec::with_capacity(message.len() + 64);
    c.compress_vec(message, &mut z, FlushCompress::Sync)
        .expect("deflate");
    while z.len() == z.capacity() {
        z.reserve(1024);
        c.compress_vec(&[], &mut z, FlushCompress::Sync)
            .expect("deflate");
    }
    assert!(z.ends_with(&TAIL), "a sync flush ends with the empty block");
    z.truncate(z.len() - TAIL.len());
    let mut f = Vec::with_capacity(z.len() + 14);
    f.push(0x80 | 0x40 | 0x1);
    let len = z.len();
    if len < 126 {
        f.push(0x80 | len as u8);
    } else if len <= 0xffff {
        f.push(0x80 | 126);
        f.extend_from_slice(&(len as u16).to_be_bytes());
    } else {
        f.push(0x80 | 127);
        f.extend_from_slice(&(len as u64).to_be_bytes());
    }
    f.extend_from_slice(&MASK);
    f.extend(z.iter().enumerate().map(|(i, b)| b ^ MASK[i & 3]));
    f
}

/// Opens the connection and does the handshake with the deflate offer. Returns the stream,
/// the bytes read past the response head and the negotiated extension header.
async fn open(port: u16) -> io::Result<(TcpStream, Vec<u8>, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
    stream.set_nodelay(true)?;
    let request = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: {HANDSHAKE_KEY}\r\nSec-WebSocket-Version: 13\r\n\
         Sec-WebSocket-Extensions: {OFFER}\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    let end = loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(io::Error::other("server closed during the handshake"));
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
        if buf.len() > 16 * 1024 {
            return Err(io::Error::other("response head too large"));
        }
    };
    let head = String::from_utf8_lossy(&buf[..end]).to_string();
    let lower = head.to_ascii_lowercase();
    let expected = accept_key(HANDSHAKE_KEY.as_bytes()).to_ascii_lowercase();
    if !lower.starts_with("http/1.1 101") || !lower.contains(&expected) {
        return Err(io::Error::other(format!(
            "bad handshake response: {head:?}"
        )));
    }
    let ext = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("sec-websocket-extensions")
                .then(|| value.trim().to_string())
        })
        .unwrap_or_default();
    if !ext.starts_with("permessage-deflate") {
        return Err(io::Error::other(format!(
            "the server did not accept permessage-deflate (Sec-WebSocket-Extensions: {ext:?})"
        )));
    }
    Ok((stream, buf.split_off(end), ext))
}

struct Shared {
    in_flight: Cell<usize>,
    /// Send time and message index of every message in flight, oldest first.
    sent_at: RefCell<VecDeque<(Instant, usize)>>,
    wake_writer: Notify,
    stop: Cell<bool>,
}

#[derive(Default)]
struct Tally {
    counted: u64,
    /// Every echo, warm-up and drain included.
    all: u64,
    wire_bytes: u64,
    latencies_ns: Vec<u32>,
}

async fn writer(
    mut w: OwnedWriteHalf,
    shared: Rc<Shared>,
    frames: Vec<Vec<u8>>,
    plan: Rc<Plan>,
) -> io::Result<()> {
    let mut batch = Vec::new();
    let mut next = 0usize;
    loop {
        let free = plan.window - shared.in_flight.get();
        if shared.stop.get() {
            break;
        }
        if free == 0 {
            shared.wake_writer.notified().await;
            continue;
        }
        let now = Instant::now();
        batch.clear();
        for _ in 0..free {
            batch.extend_from_slice(&frames[next]);
            shared.sent_at.borrow_mut().push_back((now, next));
            next = (next + 1) % frames.len();
        }
        shared.in_flight.set(shared.in_flight.get() + free);
        w.write_all(&batch).await?;
    }
    while shared.in_flight.get() > 0 {
        shared.wake_writer.notified().await;
    }
    let mut close = vec![0x88, 0x82];
    close.extend_from_slice(&MASK);
    close.extend_from_slice(&[0x03 ^ MASK[0], 0xe8 ^ MASK[1]]);
    w.write_all(&close).await?;
    Ok(())
}

/// Inflates one message (tail re-added) into `out`, never past `limit` bytes.
fn inflate(
    d: &mut Decompress,
    input: &mut Vec<u8>,
    out: &mut Vec<u8>,
    limit: usize,
) -> io::Result<()> {
    input.extend_from_slice(&TAIL);
    out.clear();
    let start = d.total_in();
    loop {
        if out.capacity() - out.len() < 1024 {
            out.reserve(4096);
        }
        let (before_in, before_out) = (d.total_in(), out.len());
        let consumed = (before_in - start) as usize;
        d.decompress_vec(&input[consumed..], out, FlushDecompress::Sync)
            .map_err(|e| io::Error::other(format!("inflate: {e}")))?;
        if out.len() > limit {
            return Err(io::Error::other("echo inflates past the message sent"));
        }
        // All input taken and room left in `out`: the sync flush delivered everything.
        if (d.total_in() - start) as usize == input.len() && out.len() < out.capacity() {
            return Ok(());
        }
        if d.total_in() == before_in && out.len() == before_out {
            return Err(io::Error::other("inflate made no progress"));
        }
    }
}

async fn reader(
    mut r: OwnedReadHalf,
    mut buf: Vec<u8>,
    shared: Rc<Shared>,
    expected: Rc<Vec<Vec<u8>>>,
    reset_context: bool,
    measure: (Instant, Instant),
) -> io::Result<Tally> {
    let mut tally = Tally::default();
    let (from, until) = measure;
    let mut inflater = Decompress::new(false);
    let max_len = expected.iter().map(Vec::len).max().unwrap_or(0);
    let mut message = Vec::with_capacity(max_len);
    let mut compressed = false;
    let mut wire = 0u64; // bytes on the wire of the message being received
    let mut plain = Vec::with_capacity(max_len + 4096);
    let mut start = 0usize;
    let mut end = buf.len();
    let cap = (256 * 1024).max(buf.len());
    buf.resize(cap, 0);
    loop {
        loop {
            let avail = &buf[start..end];
            if avail.len() < 2 {
                break;
            }
            let (b0, b1) = (avail[0], avail[1]);
            if b1 & 0x80 != 0 {
                return Err(io::Error::other("masked frame from the server"));
            }
            let (len, hlen) = match b1 & 0x7f {
                126 if avail.len() >= 4 => (u16::from_be_bytes([avail[2], avail[3]]) as usize, 4),
                127 if avail.len() >= 10 => {
                    let mut b = [0u8; 8];
                    b.copy_from_slice(&avail[2..10]);
                    (u64::from_be_bytes(b) as usize, 10)
                }
                126 | 127 => break,
                n => (n as usize, 2),
            };
            if avail.len() < hlen + len {
                break;
            }
            let body = &avail[hlen..hlen + len];
            match b0 & 0x0f {
                op @ 0x0..=0x2 => {
                    if op != 0 {
                        message.clear();
                        compressed = b0 & 0x40 != 0;
                    }
                    message.extend_from_slice(body);
                    wire += (hlen + len) as u64;
                    if b0 & 0x80 != 0 {
                        let echo: &[u8] = if compressed {
                            inflate(&mut inflater, &mut message, &mut plain, max_len)?;
                            if reset_context {
                                inflater.reset(false);
                            }
                            &plain
                        } else {
                            &message
                        };
                        let sent = shared.sent_at.borrow_mut().pop_front();
                        let (sent, index) =
                            sent.ok_or_else(|| io::Error::other("echo of nothing"))?;
                        if echo != expected[index].as_slice() {
                            return Err(io::Error::other("echo differs from the message sent"));
                        }
                        let now = Instant::now();
                        if now >= from && now < until {
                            tally.counted += 1;
                            tally.wire_bytes += wire;
                            let ns = now.duration_since(sent).as_nanos().min(u32::MAX as u128);
                            tally.latencies_ns.push(ns as u32);
                        }
                        wire = 0;
                        tally.all += 1;
                        shared.in_flight.set(shared.in_flight.get() - 1);
                        shared.wake_writer.notify_one();
                    }
                }
                0x8 => return Ok(tally),
                _ => {}
            }
            start += hlen + len;
        }
        if start == end {
            start = 0;
            end = 0;
        } else if start > cap / 2 || end == buf.len() {
            buf.copy_within(start..end, 0);
            end -= start;
            start = 0;
            if end == buf.len() {
                buf.resize(buf.len() * 2, 0);
            }
        }
        let n = r.read(&mut buf[end..]).await?;
        if n == 0 {
            if shared.stop.get() && shared.in_flight.get() == 0 {
                return Ok(tally);
            }
            return Err(io::Error::other("server closed the connection early"));
        }
        end += n;
    }
}

async fn connection(plan: Rc<Plan>, measure: (Instant, Instant)) -> io::Result<(Tally, String)> {
    let (stream, rest, ext) = open(plan.port).await?;
    let reset_context = ext.contains("server_no_context_takeover");
    let (r, w) = stream.into_split();
    let bodies: Vec<Vec<u8>> = (0..VARIANTS).map(|v| payload(plan.size, v)).collect();
    let frames = bodies.iter().map(|b| compressed_frame(b)).collect();
    let bodies = Rc::new(bodies);
    let shared = Rc::new(Shared {
        in_flight: Cell::new(0),
        sent_at: RefCell::new(VecDeque::with_capacity(plan.window)),
        wake_writer: Notify::new(),
        stop: Cell::new(false),
    });
    let stopper = {
        let shared = shared.clone();
        async move {
            tokio::time::sleep_until(measure.1.into()).await;
            shared.stop.set(true);
            shared.wake_writer.notify_one();
        }
    };
    let w = writer(w, shared.clone(), frames, plan.clone());
    let r = reader(r, rest, shared.clone(), bodies, reset_context, measure);
    let ((), wres, rres) = tokio::join!(stopper, w, r);
    wres?;
    Ok((rres?, ext))
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

fn main() {
    let plan = Rc::new(Plan::from_args());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let local = tokio::task::LocalSet::new();
    let begin = Instant::now();
    let from = begin + Duration::from_secs_f64(plan.warmup);
    let until = from + Duration::from_secs_f64(plan.secs);
    let deadline = until + Duration::from_secs(30);
    let results = local.block_on(&rt, async {
        let tasks: Vec<_> = (0..plan.conns)
            .map(|_| tokio::task::spawn_local(connection(plan.clone(), (from, until))))
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            match tokio::time::timeout_at(deadline.into(), t).await {
                Ok(Ok(r)) => out.push(r),
                Ok(Err(e)) => out.push(Err(io::Error::other(e))),
                Err(_) => out.push(Err(io::Error::other("timed out draining"))),
            }
        }
        out
    });
    let (mut counted, mut all, mut wire) = (0u64, 0u64, 0u64);
    let mut lat = Vec::new();
    let mut errors = 0;
    let mut ext = String::new();
    for r in results {
        match r {
            Ok((t, e)) => {
                counted += t.counted;
                all += t.all;
                wire += t.wire_bytes;
                lat.extend(t.latencies_ns);
                ext = e;
            }
            Err(e) => {
                errors += 1;
                eprintln!("wsload_deflate [{}]: connection error: {e}", plan.label);
            }
        }
    }
    lat.sort_unstable();
    let msgs = counted as f64 / plan.secs;
    let frame_len = (0..VARIANTS)
        .map(|v| compressed_frame(&payload(plan.size, v)).len() as f64)
        .sum::<f64>()
        / VARIANTS as f64;
    println!(
        "RESULT scenario=deflate server={} conns={} size={} window={} secs={} msgs={} all_msgs={} \
         msgs_per_s={:.1} p50_us={:.1} p99_us={:.1} max_us={:.1} sent_frame_bytes={:.1} \
         echo_wire_bytes_per_msg={:.1} ext={} errors={}",
        plan.label,
        plan.conns,
        plan.size,
        plan.window,
        plan.secs,
        counted,
        all,
        msgs,
        percentile(&lat, 0.50),
        percentile(&lat, 0.99),
        lat.last().map(|&v| v as f64 / 1000.0).unwrap_or(f64::NAN),
        frame_len,
        wire as f64 / counted.max(1) as f64,
        ext.replace(' ', ""),
        errors
    );
    if errors > 0 {
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_has_the_size_and_compresses() {
        let p = payload(1024, 0);
        assert_ne!(p, payload(1024, 1));
        assert_eq!(p.len(), 1024);
        let f = compressed_frame(&p);
        assert_eq!(f[0], 0xc1);
        assert!(f.len() < 700, "compressed frame of {} bytes", f.len());
    }

    #[test]
    fn inflate_round_trip() {
        let p = payload(4000, 3);
        let f = compressed_frame(&p);
        let hlen = 8; // 126-length header + mask
        let mut z: Vec<u8> = f[hlen..]
            .iter()
            .enumerate()
            .map(|(i, b)| b ^ MASK[i & 3])
            .collect();
        let mut d = Decompress::new(false);
        let mut out = Vec::new();
        inflate(&mut d, &mut z, &mut out, p.len()).unwrap();
        assert_eq!(out, p);
    }
}
