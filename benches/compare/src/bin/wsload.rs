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

use std::collections::VecDeque;
use std::io;
use std::rc::Rc;
use std::time::Instant;

use rswebsockets_compare::flag;
use rswebsockets_compare::load::{
    frame_header, masked_frame, max_us, open, percentile, run_connections, sum_tallies, writer,
    Batcher, Common, Shared, Tally,
};
use tokio::io::AsyncReadExt;
use tokio::net::tcp::OwnedReadHalf;

/// What one run does.
#[derive(Clone, Debug)]
struct Plan {
    scenario: String,
    common: Common,
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
        let args: Vec<String> = std::env::args().collect();
        let text = if args.iter().any(|a| a == "--binary") {
            false
        } else {
            text || args.iter().any(|a| a == "--text")
        };
        Plan {
            common: Common::from_args(conns, size, window),
            text,
            scenario,
        }
    }
}

/// One masked client frame carrying `payload`.
fn encode_frame(payload: &[u8], text: bool) -> Vec<u8> {
    masked_frame(0x80 | if text { 0x1 } else { 0x2 }, payload)
}

/// Deterministic printable payload (valid UTF-8, so it works for text too).
fn payload(size: usize) -> Vec<u8> {
    (0..size).map(|i| b'a' + (i * 7 % 26) as u8).collect()
}

/// The same frame every time: `window` copies back to back, so any number of them goes out in
/// one write.
struct Repeat {
    batch: Vec<u8>,
    frame_len: usize,
}

impl Batcher<Instant> for Repeat {
    fn batch(&mut self, free: usize, now: Instant, sent: &mut VecDeque<Instant>) -> &[u8] {
        sent.extend(std::iter::repeat_n(now, free));
        &self.batch[..free * self.frame_len]
    }
}

/// Parses server frames, checks every echo against `expected`, records latencies.
async fn reader(
    mut r: OwnedReadHalf,
    mut buf: Vec<u8>,
    shared: Rc<Shared<Instant>>,
    expected: Rc<Vec<u8>>,
    measure: (Instant, Instant),
) -> io::Result<Tally> {
    let mut tally = Tally::default();
    let cap = (256 * 1024).max(buf.len());
    let mut start = 0usize;
    let mut end = buf.len();
    buf.resize(cap, 0);
    let mut payload_left = 0usize; // bytes of the current frame's payload still to come
    let mut in_data = false; // inside a data frame's payload
    let mut fin = false;
    let mut msg_off = 0usize; // offset of the next payload byte within the message
                              // When the bytes being parsed arrived: every echo completed by one read gets that read's
                              // time (one clock read per read, not per echo, keeps the client cheaper than the servers
                              // it loads; parsing a read's worth takes microseconds, well below the latencies measured).
    let mut arrived = Instant::now();
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
                    let sent = shared.pop_sent()?;
                    tally.echo(sent, arrived, measure);
                    shared.echo_done();
                }
                continue;
            }
            let avail = &buf[start..end];
            let Some((b0, len, hlen)) = frame_header(avail)? else {
                break;
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
            shared.eof()?;
            return Ok(tally);
        }
        end += n;
        arrived = Instant::now();
    }
}

async fn connection(plan: Rc<Plan>, measure: (Instant, Instant)) -> io::Result<(Tally, ())> {
    let (stream, rest, _) = open(plan.common.port, "").await?;
    let (r, w) = stream.into_split();
    let body = Rc::new(payload(plan.common.size));
    let frame = encode_frame(&body, plan.text);
    let window = plan.common.window;
    let shared = Shared::new(window);
    let repeat = Repeat {
        batch: frame.repeat(window),
        frame_len: frame.len(),
    };
    let w = writer(w, shared.clone(), window, repeat);
    let r = reader(r, rest, shared.clone(), body, measure);
    let ((), wres, rres) = tokio::join!(shared.stop_at(measure.1), w, r);
    wres?;
    Ok((rres?, ()))
}

fn main() {
    let plan = Rc::new(Plan::from_args());
    let c = &plan.common;
    let results = run_connections(c, |measure| connection(plan.clone(), measure));
    let (sum, _, errors) = sum_tallies(results, "wsload", &c.label);
    let lat = &sum.latencies_ns;
    let msgs = sum.counted as f64 / c.secs;
    println!(
        "RESULT scenario={} server={} conns={} size={} window={} text={} secs={} msgs={} all_msgs={} \
         msgs_per_s={:.1} mib_per_s={:.1} p50_us={:.1} p99_us={:.1} max_us={:.1} errors={}",
        plan.scenario,
        c.label,
        c.conns,
        c.size,
        c.window,
        plan.text,
        c.secs,
        sum.counted,
        sum.all,
        msgs,
        msgs * c.size as f64 / (1024.0 * 1024.0),
        percentile(lat, 0.50),
        percentile(lat, 0.99),
        max_us(lat),
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
