// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The parts the load clients (`wsload`, `wsload_deflate`) share: their common flags, the
//! client side of the opening handshake, masked client frames, server frame headers, the
//! window of messages in flight (writer loop, drain and close), the per-connection tally, the
//! single-threaded run of every connection, and the latency percentiles.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::io;
use std::rc::Rc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::TcpStream;
use tokio::sync::Notify;

use crate::{accept_key, flag};

/// The `Sec-WebSocket-Key` every load client sends (the RFC 6455 sample nonce).
pub const HANDSHAKE_KEY: &str = "dGhlIHNhbXBsZSBub25jZQ==";
/// The masking key of every client frame.
pub const MASK: [u8; 4] = [0x37, 0xfa, 0x21, 0x3d];

/// The flags every load client takes, with each client's defaults.
#[derive(Clone, Debug)]
pub struct Common {
    /// `--label NAME`: the server name printed in the result line.
    pub label: String,
    /// `--port N` (required): the server's port on 127.0.0.1.
    pub port: u16,
    /// `--conns C`: connections opened at once.
    pub conns: usize,
    /// `--size BYTES`: message size.
    pub size: usize,
    /// `--window W`: messages in flight per connection (at least 1).
    pub window: usize,
    /// `--secs S`: length of the measured run.
    pub secs: f64,
    /// `--warmup S`: time before the measured run starts.
    pub warmup: f64,
}

impl Common {
    /// Reads the flags from the process arguments; `conns`, `size` and `window` are the
    /// defaults where a flag is absent.
    pub fn from_args(conns: usize, size: usize, window: usize) -> Common {
        let num = |name: &str, default: f64| -> f64 {
            flag(name)
                .map(|v| v.parse().expect("numeric flag"))
                .unwrap_or(default)
        };
        Common {
            label: flag("--label").unwrap_or_else(|| "server".into()),
            port: flag("--port")
                .and_then(|p| p.parse().ok())
                .expect("--port N is required"),
            conns: num("--conns", conns as f64) as usize,
            size: num("--size", size as f64) as usize,
            window: (num("--window", window as f64) as usize).max(1),
            secs: num("--secs", 3.0),
            warmup: num("--warmup", 0.5),
        }
    }
}

/// One masked client frame: first byte `b0` (FIN, RSV bits, opcode), then `payload` masked.
pub fn masked_frame(b0: u8, payload: &[u8]) -> Vec<u8> {
    let mut f = Vec::with_capacity(payload.len() + 14);
    f.push(b0);
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

/// Opens a connection to 127.0.0.1:`port` and does the client side of the opening handshake,
/// with `extra_headers` (each ending in CRLF) added to the request. Returns the stream, the
/// bytes read past the response head, and the response head.
pub async fn open(port: u16, extra_headers: &str) -> io::Result<(TcpStream, Vec<u8>, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
    stream.set_nodelay(true)?;
    let request = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: {HANDSHAKE_KEY}\r\nSec-WebSocket-Version: 13\r\n{extra_headers}\r\n"
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
    let rest = buf.split_off(end);
    Ok((stream, rest, head))
}

/// A server frame header at the start of `avail`: `Some((first byte, payload length, header
/// length))`, or `None` when more bytes are needed. A masked server frame is an error.
pub fn frame_header(avail: &[u8]) -> io::Result<Option<(u8, usize, usize)>> {
    if avail.len() < 2 {
        return Ok(None);
    }
    let (b0, b1) = (avail[0], avail[1]);
    if b1 & 0x80 != 0 {
        return Err(io::Error::other("masked frame from the server"));
    }
    Ok(match b1 & 0x7f {
        126 if avail.len() >= 4 => Some((b0, u16::from_be_bytes([avail[2], avail[3]]) as usize, 4)),
        127 if avail.len() >= 10 => {
            let mut b = [0u8; 8];
            b.copy_from_slice(&avail[2..10]);
            Some((b0, u64::from_be_bytes(b) as usize, 10))
        }
        126 | 127 => None,
        n => Some((b0, n as usize, 2)),
    })
}

/// State shared by the reader and the writer of one connection; `T` is what the writer
/// records for each message it sends (its send time, at least), oldest first.
pub struct Shared<T> {
    /// Messages sent and not yet echoed.
    pub in_flight: Cell<usize>,
    /// One entry per message in flight, oldest first.
    pub sent_at: RefCell<VecDeque<T>>,
    /// Woken by the reader for every echo and by the stopper at the end of the run.
    pub wake_writer: Notify,
    /// Set when the run is over: the writer stops sending and drains.
    pub stop: Cell<bool>,
}

impl<T> Shared<T> {
    /// Empty state for a connection with `window` messages in flight.
    pub fn new(window: usize) -> Rc<Shared<T>> {
        Rc::new(Shared {
            in_flight: Cell::new(0),
            sent_at: RefCell::new(VecDeque::with_capacity(window)),
            wake_writer: Notify::new(),
            stop: Cell::new(false),
        })
    }

    /// The oldest message in flight, taken off the queue for its echo.
    pub fn pop_sent(&self) -> io::Result<T> {
        let sent = self.sent_at.borrow_mut().pop_front();
        sent.ok_or_else(|| io::Error::other("echo of nothing"))
    }

    /// One echo fully received: one more message may go out.
    pub fn echo_done(&self) {
        self.in_flight.set(self.in_flight.get() - 1);
        self.wake_writer.notify_one();
    }

    /// Sleeps until `until`, then tells the writer to stop and drain.
    pub async fn stop_at(&self, until: Instant) {
        tokio::time::sleep_until(until.into()).await;
        self.stop.set(true);
        self.wake_writer.notify_one();
    }

    /// The reader saw the end of the stream: fine once the run is over and every echo is in.
    pub fn eof(&self) -> io::Result<()> {
        if self.stop.get() && self.in_flight.get() == 0 {
            Ok(())
        } else {
            Err(io::Error::other("server closed the connection early"))
        }
    }
}

/// What the writer sends: the next `free` messages, back to back, as one buffer.
pub trait Batcher<T> {
    /// Returns the frames of the next `free` messages and records each in `sent` (sent `now`).
    fn batch(&mut self, free: usize, now: Instant, sent: &mut VecDeque<T>) -> &[u8];
}

/// Keeps `window` messages in flight until the run stops, then waits for every echo and sends
/// a masked Close (1000).
pub async fn writer<T>(
    mut w: OwnedWriteHalf,
    shared: Rc<Shared<T>>,
    window: usize,
    mut batcher: impl Batcher<T>,
) -> io::Result<()> {
    loop {
        let free = window - shared.in_flight.get();
        if shared.stop.get() {
            break;
        }
        if free == 0 {
            shared.wake_writer.notified().await;
            continue;
        }
        let now = Instant::now();
        let bytes = batcher.batch(free, now, &mut shared.sent_at.borrow_mut());
        shared.in_flight.set(shared.in_flight.get() + free);
        w.write_all(bytes).await?;
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

/// What one connection measured.
#[derive(Default)]
pub struct Tally {
    /// Echoes received during the measured run.
    pub counted: u64,
    /// Every echo, warm-up and drain included (for CPU time per message).
    pub all: u64,
    /// Bytes on the wire of the counted echoes (where the client counts them).
    pub wire_bytes: u64,
    /// Latency of every counted echo, send start to last byte.
    pub latencies_ns: Vec<u32>,
}

impl Tally {
    /// Counts one echo received `now` of a message sent at `sent`; returns whether it fell in
    /// the measured run (`measure` = its start and end).
    pub fn echo(&mut self, sent: Instant, now: Instant, measure: (Instant, Instant)) -> bool {
        self.all += 1;
        if now >= measure.0 && now < measure.1 {
            self.counted += 1;
            let ns = now.duration_since(sent).as_nanos().min(u32::MAX as u128);
            self.latencies_ns.push(ns as u32);
            true
        } else {
            false
        }
    }
}

/// Runs `common.conns` connections on one single-threaded runtime, each made by `connection`
/// from the measured interval (warm-up end, run end); gives each 30 s past the run to drain.
pub fn run_connections<R, F>(
    common: &Common,
    connection: impl Fn((Instant, Instant)) -> F,
) -> Vec<io::Result<R>>
where
    R: 'static,
    F: Future<Output = io::Result<R>> + 'static,
{
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let local = tokio::task::LocalSet::new();
    let begin = Instant::now();
    let from = begin + Duration::from_secs_f64(common.warmup);
    let until = from + Duration::from_secs_f64(common.secs);
    let deadline = until + Duration::from_secs(30);
    local.block_on(&rt, async {
        let tasks: Vec<_> = (0..common.conns)
            .map(|_| tokio::task::spawn_local(connection((from, until))))
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
    })
}

/// Sums the tallies of every connection; reports each failed one on stderr as `NAME [LABEL]`.
/// Returns the sum (latencies sorted) and the number of failed connections.
pub fn sum_tallies<X>(
    results: Vec<io::Result<(Tally, X)>>,
    name: &str,
    label: &str,
) -> (Tally, Vec<X>, usize) {
    let mut sum = Tally::default();
    let mut extra = Vec::new();
    let mut errors = 0;
    for r in results {
        match r {
            Ok((t, x)) => {
                sum.counted += t.counted;
                sum.all += t.all;
                sum.wire_bytes += t.wire_bytes;
                sum.latencies_ns.extend(t.latencies_ns);
                extra.push(x);
            }
            Err(e) => {
                errors += 1;
                eprintln!("{name} [{label}]: connection error: {e}");
            }
        }
    }
    sum.latencies_ns.sort_unstable();
    (sum, extra, errors)
}

/// The `p` quantile (0..=1) of sorted nanosecond latencies, in microseconds; NaN if empty.
pub fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

/// The largest of sorted nanosecond latencies, in microseconds; NaN if empty.
pub fn max_us(sorted: &[u32]) -> f64 {
    sorted
        .last()
        .map(|&v| v as f64 / 1000.0)
        .unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_lengths_and_mask() {
        let f = masked_frame(0x81, &[b'a'; 16]);
        assert_eq!(f[..2], [0x81, 0x80 | 16]);
        assert_eq!(f[2..6], MASK);
        assert_eq!(f[6] ^ MASK[0], b'a');
        let f = masked_frame(0x82, &[0; 300]);
        assert_eq!(f[..4], [0x82, 0x80 | 126, 1, 44]);
        let f = masked_frame(0x82, &[0; 70_000]);
        assert_eq!(f[1], 0x80 | 127);
        assert_eq!(f.len(), 70_000 + 14);
    }

    #[test]
    fn server_headers() {
        assert_eq!(frame_header(&[0x81]).unwrap(), None);
        assert_eq!(frame_header(&[0x81, 5]).unwrap(), Some((0x81, 5, 2)));
        assert_eq!(frame_header(&[0x82, 126, 1]).unwrap(), None);
        assert_eq!(
            frame_header(&[0x82, 126, 1, 44]).unwrap(),
            Some((0x82, 300, 4))
        );
        let mut long = vec![0x82, 127];
        long.extend_from_slice(&70_000u64.to_be_bytes());
        assert_eq!(frame_header(&long).unwrap(), Some((0x82, 70_000, 10)));
        assert!(frame_header(&[0x81, 0x85]).is_err());
    }

    #[test]
    fn percentiles() {
        assert!(percentile(&[], 0.5).is_nan());
        assert!(max_us(&[]).is_nan());
        let v: Vec<u32> = (1..=100).map(|i| i * 1000).collect();
        assert_eq!(percentile(&v, 0.0), 1.0);
        assert_eq!(percentile(&v, 0.5), 51.0);
        assert_eq!(percentile(&v, 0.99), 99.0);
        assert_eq!(max_us(&v), 100.0);
    }

    #[test]
    fn tally_counts_only_the_measured_run() {
        let t0 = Instant::now();
        let measure = (t0 + Duration::from_secs(1), t0 + Duration::from_secs(2));
        let mut t = Tally::default();
        assert!(!t.echo(t0, t0, measure));
        assert!(t.echo(t0, t0 + Duration::from_millis(1500), measure));
        assert!(!t.echo(t0, t0 + Duration::from_secs(2), measure));
        assert_eq!((t.all, t.counted), (3, 1));
        assert_eq!(t.latencies_ns, vec![1_500_000_000]);
    }
}
