// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! `wsload`: the one load client of the echo comparison, used against every server.
//!
//! Each connection keeps a window of messages in flight: it sends `window` masked frames (one
//! write), and sends one more for every echo it gets back, so the server always has work queued.
//! Echoes are checked byte for byte against what was sent, and each one's latency (send start
//! to last byte of the echo) is recorded. Messages are counted between the end of the warm-up
//! and the end of the run; when the run ends, the connection drains its window and closes
//! (1000) cleanly.
//!
//! The frames are built and masked once per connection; the client does no per-message
//! allocation and no masking work, so it stays cheaper than any server it loads.
//!
//! ```text
//! wsload --scenario small|medium|large --port N [--label NAME] [--conns C] [--size BYTES]
//!        [--window W] [--secs S] [--warmup S] [--text|--binary]
//! ```
//! Prints one `RESULT key=value ...` line.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::io;
use std::rc::Rc;
use std::time::{Duration, Instant};

use rswebsockets_compare::{accept_key, flag};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::TcpStream;
use tokio::sync::Notify;

const HANDSHAKE_KEY: &str = "dGhlIHNhbXBsZSBub25jZQ==";
const MASK: [u8; 4] = [0x37, 0xfa, 0x21, 0x3d];

/// What one run does.
#[derive(Clone, Debug)]
struct Plan {
    scenario: String,
    label: String,
    port: u16,
    conns: usize,
    size: usize,
    window: usize,
    secs: f64,
    warmup: f64,
    text: bool,
}

impl Plan {
    fn from_args() -> Plan {
        let scenario = flag("--scenario").unwrap_or_else(|| "small".into());
        let (conns, size, window, text) = match scenario.as_str() {
            "small" => (64, 16, 32, true),
            "medium" => (8, 64 * 1024, 4, false),
            "large" => (1, 16 * 1024 * 1024, 1, false),
            other => {
                eprintln!("unknown scenario {other:?} (small, medium, large)");
                std::process::exit(2)
            }
        };
        let num = |name: &str, default: f64| -> f64 {
            flag(name)
                .map(|v| v.parse().expect("numeric flag"))
                .unwrap_or(default)
        };
        let args: Vec<String> = std::env::args().collect();
        let text = if args.iter().any(|a| a == "--binary") {
            false
        } else {
            text || args.iter().any(|a| a == "--text")
        };
        Plan {
            label: flag("--label").unwrap_or_else(|| "server".into()),
            port: flag("--port")
                .and_then(|p| p.parse().ok())
                .expect("--port N is required"),
            conns: num("--conns", conns as f64) as usize,
            size: num("--size", size as f64) as usize,
            window: (num("--window", window as f64) as usize).max(1),
            secs: num("--secs", 3.0),
            warmup: num("--warmup", 0.5),
            text,
            scenario,
        }
    }
}

/// One masked client frame carrying `payload`.
fn encode_frame(payload: &[u8], text: bool) -> Vec<u8> {
    let mut f = Vec::with_capacity(payload.len() + 14);
    f.push(0x80 | if text { 0x1 } else { 0x2 });
    let len = payload.len();
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
    f.extend(payload.iter().enumerate().map(|(i, b)| b ^ MASK[i & 3]));
    f
}

/// Deterministic printable payload (valid UTF-8, so it works for text too).
fn payload(size: usize) -> Vec<u8> {
    (0..size).map(|i| b'a' + (i * 7 % 26) as u8).collect()
}

/// Opens the connection and does the client side of the opening handshake. Returns bytes read
/// past the response head.
async fn open(port: u16) -> io::Result<(TcpStream, Vec<u8>)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
    stream.set_nodelay(true)?;
    let request = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: {HANDSHAKE_KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n"
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
    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
    let expected = accept_key(HANDSHAKE_KEY.as_bytes()).to_ascii_lowercase();
    if !head.starts_with("http/1.1 101") || !head.contains(&expected) {
        return Err(io::Error::other(format!(
            "bad handshake response: {head:?}"
        )));
    }
    Ok((stream, buf.split_off(end)))
}

/// State shared by the reader and the writer of one connection.
struct Shared {
    in_flight: Cell<usize>,
    sent_at: RefCell<VecDeque<Instant>>,
    wake_writer: Notify,
    stop: Cell<bool>,
}

/// What one connection measured.
#[derive(Default)]
struct Tally {
    counted: u64,
    /// Every echo, warm-up and drain included (for CPU time per message).
    all: u64,
    latencies_ns: Vec<u32>,
}

async fn writer(
    mut w: OwnedWriteHalf,
    shared: Rc<Shared>,
    frame: Vec<u8>,
    plan: Rc<Plan>,
) -> io::Result<()> {
    // `window` copies back to back: any number of them goes out in one write.
    let batch = frame.repeat(plan.window);
    let flen = frame.len();
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
        shared
            .sent_at
            .borrow_mut()
            .extend(std::iter::repeat_n(now, free));
        shared.in_flight.set(shared.in_flight.get() + free);
        w.write_all(&batch[..free * flen]).await?;
    }
    // Drain: wait for the reader to get every echo, then close.
    while shared.in_flight.get() > 0 {
        shared.wake_writer.notified().await;
    }
    let mut close = vec![0x88, 0x82];
    close.extend_from_slice(&MASK);
    close.extend_from_slice(&[0x03 ^ MASK[0], 0xe8 ^ MASK[1]]);
    w.write_all(&close).await?;
    Ok(())
}

/// Parses server frames, checks every echo against `expected`, records latencies.
async fn reader(
    mut r: OwnedReadHalf,
    mut buf: Vec<u8>,
    shared: Rc<Shared>,
    expected: Rc<Vec<u8>>,
    measure: (Instant, Instant),
) -> io::Result<Tally> {
    let mut tally = Tally::default();
    let (from, until) = measure;
    let cap = (256 * 1024).max(buf.len());
    let mut start = 0usize;
    let mut end = buf.len();
    buf.resize(cap, 0);
    let mut payload_left = 0usize; // bytes of the current frame's payload still to come
    let mut in_data = false; // inside a data frame's payload
    let mut fin = false;
    let mut msg_off = 0usize; // offset of the next payload byte within the message
    loop {
        // Parse everything buffered.
        loop {
            if in_data {
                let take = payload_left.min(end - start);
                let chunk = &buf[start..start + take];
                if msg_off + take > expected.len() || chunk != &expected[msg_off..msg_off + take] {
                    return Err(io::Error::other("echo differs from the message sent"));
                }
                start += take;
                msg_off += take;
                payload_left -= take;
                if payload_left > 0 {
                    break;
                }
                in_data = false;
                if fin {
                    if msg_off != expected.len() {
                        return Err(io::Error::other("echo shorter than the message sent"));
                    }
                    msg_off = 0;
                    let sent = shared.sent_at.borrow_mut().pop_front();
                    let sent = sent.ok_or_else(|| io::Error::other("echo of nothing"))?;
                    let now = Instant::now();
                    tally.all += 1;
                    if now >= from && now < until {
                        tally.counted += 1;
                        let ns = now.duration_since(sent).as_nanos().min(u32::MAX as u128);
                        tally.latencies_ns.push(ns as u32);
                    }
                    shared.in_flight.set(shared.in_flight.get() - 1);
                    shared.wake_writer.notify_one();
                }
                continue;
            }
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
            match b0 & 0x0f {
                0x0..=0x2 => {
                    start += hlen;
                    payload_left = len;
                    fin = b0 & 0x80 != 0;
                    in_data = true;
                }
                0x8 => return Ok(tally), // the server's Close: done
                _ => {
                    // Ping / pong: skip (these servers never ping).
                    if avail.len() < hlen + len {
                        break;
                    }
                    start += hlen + len;
                }
            }
        }
        if start == end {
            start = 0;
            end = 0;
        } else if start > cap / 2 || end == cap {
            buf.copy_within(start..end, 0);
            end -= start;
            start = 0;
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

async fn connection(plan: Rc<Plan>, measure: (Instant, Instant)) -> io::Result<Tally> {
    let (stream, rest) = open(plan.port).await?;
    let (r, w) = stream.into_split();
    let body = Rc::new(payload(plan.size));
    let frame = encode_frame(&body, plan.text);
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
    let w = writer(w, shared.clone(), frame, plan.clone());
    let r = reader(r, rest, shared.clone(), body, measure);
    let ((), wres, rres) = tokio::join!(stopper, w, r);
    wres?;
    rres
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
    let mut counted = 0u64;
    let mut all = 0u64;
    let mut lat = Vec::new();
    let mut errors = 0;
    for r in results {
        match r {
            Ok(t) => {
                counted += t.counted;
                all += t.all;
                lat.extend(t.latencies_ns);
            }
            Err(e) => {
                errors += 1;
                eprintln!("wsload [{}]: connection error: {e}", plan.label);
            }
        }
    }
    lat.sort_unstable();
    let msgs = counted as f64 / plan.secs;
    println!(
        "RESULT scenario={} server={} conns={} size={} window={} text={} secs={} msgs={} all_msgs={} \
         msgs_per_s={:.1} mib_per_s={:.1} p50_us={:.1} p99_us={:.1} max_us={:.1} errors={}",
        plan.scenario,
        plan.label,
        plan.conns,
        plan.size,
        plan.window,
        plan.text,
        plan.secs,
        counted,
        all,
        msgs,
        msgs * plan.size as f64 / (1024.0 * 1024.0),
        percentile(&lat, 0.50),
        percentile(&lat, 0.99),
        lat.last().map(|&v| v as f64 / 1000.0).unwrap_or(f64::NAN),
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
    fn frame_lengths_and_mask() {
        assert_eq!(encode_frame(&payload(16), true)[..2], [0x81, 0x80 | 16]);
        let f = encode_frame(&payload(300), false);
        assert_eq!(f[..4], [0x82, 0x80 | 126, 1, 44]);
        assert_eq!(f[8] ^ MASK[0], b'a');
        let f = encode_frame(&payload(70_000), false);
        assert_eq!(f[1], 0x80 | 127);
        assert_eq!(f.len(), 70_000 + 14);
    }
}
