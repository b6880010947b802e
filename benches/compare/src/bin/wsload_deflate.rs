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

use std::collections::VecDeque;
use std::io;
use std::rc::Rc;
use std::time::Instant;

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress};
use rswebsockets_compare::load::{
    frame_header, masked_frame, max_us, open, percentile, run_connections, sum_tallies, writer,
    Batcher, Common, Shared, Tally,
};
use tokio::io::AsyncReadExt;
use tokio::net::tcp::OwnedReadHalf;
use tokio::net::TcpStream;

const TAIL: [u8; 4] = [0x00, 0x00, 0xff, 0xff];
const OFFER: &str = "permessage-deflate; client_no_context_takeover";

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
    masked_frame(0x80 | 0x40 | 0x1, &z)
}

/// Opens the connection and does the handshake with the deflate offer. Returns the stream,
/// the bytes read past the response head and the negotiated extension header.
async fn open_deflate(port: u16) -> io::Result<(TcpStream, Vec<u8>, String)> {
    let offer = format!("Sec-WebSocket-Extensions: {OFFER}\r\n");
    let (stream, rest, head) = open(port, &offer).await?;
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
    Ok((stream, rest, ext))
}

/// Cycles through the compressed frames; records each message's send time and index.
struct Cycle {
    frames: Vec<Vec<u8>>,
    next: usize,
    batch: Vec<u8>,
}

impl Batcher<(Instant, usize)> for Cycle {
    fn batch(&mut self, free: usize, now: Instant, sent: &mut VecDeque<(Instant, usize)>) -> &[u8] {
        self.batch.clear();
        for _ in 0..free {
            self.batch.extend_from_slice(&self.frames[self.next]);
            sent.push_back((now, self.next));
            self.next = (self.next + 1) % self.frames.len();
        }
        &self.batch
    }
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
    shared: Rc<Shared<(Instant, usize)>>,
    expected: Rc<Vec<Vec<u8>>>,
    reset_context: bool,
    measure: (Instant, Instant),
) -> io::Result<Tally> {
    let mut tally = Tally::default();
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
            let Some((b0, len, hlen)) = frame_header(avail)? else {
                break;
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
                        let (sent, index) = shared.pop_sent()?;
                        if echo != expected[index].as_slice() {
                            return Err(io::Error::other("echo differs from the message sent"));
                        }
                        if tally.echo(sent, Instant::now(), measure) {
                            tally.wire_bytes += wire;
                        }
                        wire = 0;
                        shared.echo_done();
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
            shared.eof()?;
            return Ok(tally);
        }
        end += n;
    }
}

async fn connection(plan: Rc<Common>, measure: (Instant, Instant)) -> io::Result<(Tally, String)> {
    let (stream, rest, ext) = open_deflate(plan.port).await?;
    let reset_context = ext.contains("server_no_context_takeover");
    let (r, w) = stream.into_split();
    let bodies: Vec<Vec<u8>> = (0..VARIANTS).map(|v| payload(plan.size, v)).collect();
    let frames = bodies.iter().map(|b| compressed_frame(b)).collect();
    let bodies = Rc::new(bodies);
    let shared = Shared::new(plan.window);
    let cycle = Cycle {
        frames,
        next: 0,
        batch: Vec::new(),
    };
    let w = writer(w, shared.clone(), plan.window, cycle);
    let r = reader(r, rest, shared.clone(), bodies, reset_context, measure);
    let ((), wres, rres) = tokio::join!(shared.stop_at(measure.1), w, r);
    wres?;
    Ok((rres?, ext))
}

fn main() {
    let plan = Rc::new(Common::from_args(16, 1024, 8));
    let results = run_connections(&plan, |measure| connection(plan.clone(), measure));
    let (sum, exts, errors) = sum_tallies(results, "wsload_deflate", &plan.label);
    let ext = exts.into_iter().last().unwrap_or_default();
    let lat = &sum.latencies_ns;
    let msgs = sum.counted as f64 / plan.secs;
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
        sum.counted,
        sum.all,
        msgs,
        percentile(lat, 0.50),
        percentile(lat, 0.99),
        max_us(lat),
        frame_len,
        sum.wire_bytes as f64 / sum.counted.max(1) as f64,
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
    use rswebsockets_compare::load::MASK;

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
