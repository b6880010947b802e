// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Keepalive on the caller's clock: pings at the interval, a late Pong fails the connection
//! with 1011, and no timer exists unless asked for.

mod support;

use std::time::{Duration, Instant};

use rswebsockets::{Config, Error, Event};
use support::*;

fn keepalive(interval: u64, timeout: u64) -> Config {
    Config {
        ping_interval: Some(Duration::from_secs(interval)),
        pong_timeout: Some(Duration::from_secs(timeout)),
        ..Config::default()
    }
}

#[test]
fn no_timer_without_keepalive() {
    let mut s = server();
    assert_eq!(s.poll_timeout(), None);
    s.handle_timeout(Instant::now() + Duration::from_secs(3600));
    assert_nothing_sent(&s);
    assert!(!s.has_events());
}

#[test]
fn pings_at_the_interval_and_pong_clears_the_deadline() {
    let start = Instant::now();
    let mut c = client_with(keepalive(30, 10));
    let first = c.poll_timeout().expect("ping timer");
    assert!(first >= start + Duration::from_secs(30));
    assert!(first <= Instant::now() + Duration::from_secs(30));

    c.handle_timeout(first - Duration::from_secs(1));
    assert_nothing_sent(&c);

    c.handle_timeout(first);
    let frames = sent_frames(&mut c);
    assert_eq!(frames.len(), 1);
    assert_eq!((frames[0].opcode, frames[0].masked), (PING, true));
    // Now the pong deadline comes first.
    assert_eq!(c.poll_timeout(), Some(first + Duration::from_secs(10)));

    c.receive_data(&frame(true, PONG, &frames[0].payload));
    assert_event_received(&mut c, Event::Pong(frames[0].payload.clone()));
    assert_eq!(c.poll_timeout(), Some(first + Duration::from_secs(30)));
    c.handle_timeout(first + Duration::from_secs(15));
    assert_nothing_sent(&c);

    c.handle_timeout(first + Duration::from_secs(30));
    let second = sent_frames(&mut c);
    assert_eq!(second[0].opcode, PING);
    assert_ne!(
        second[0].payload, frames[0].payload,
        "each ping is distinct"
    );
}

#[test]
fn missing_pong_fails_with_1011() {
    let mut s = server_with(keepalive(5, 2));
    let due = s.poll_timeout().unwrap();
    s.handle_timeout(due);
    assert_eq!(sent_frames(&mut s)[0].opcode, PING);
    let deadline = s.poll_timeout().unwrap();
    assert_eq!(deadline, due + Duration::from_secs(2));
    s.handle_timeout(deadline);
    assert_eq!(assert_failing(&mut s, 1011), Error::PongTimeout);
    assert_eq!(s.poll_timeout(), None);
}

#[test]
fn keepalive_stops_when_closing() {
    let mut s = server_with(keepalive(5, 2));
    s.close(1000u16, "").unwrap();
    s.take_outgoing();
    let t = s.poll_timeout().unwrap();
    // Only the close timeout is left (10 s by default, after the 5 s ping).
    assert!(t > Instant::now() + Duration::from_secs(9));
}

#[test]
fn interval_can_be_changed_later() {
    let mut s = server();
    assert_eq!(s.poll_timeout(), None);
    let mut config = s.config().clone();
    config.ping_interval = Some(Duration::from_millis(100));
    s.set_config(config);
    let due = s.poll_timeout().unwrap();
    assert!(due <= Instant::now() + Duration::from_millis(100));
    s.handle_timeout(due);
    assert_eq!(sent_frames(&mut s)[0].opcode, PING);
}
