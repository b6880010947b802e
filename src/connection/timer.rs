// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Keepalive and the close timeout, on a clock the caller passes in: the engine has no timer,
//! it says when it next needs the time ([`Connection::poll_timeout`]) and acts when told the
//! time ([`Connection::handle_timeout`]).
//!
//! Timers start from `Instant::now()` when they are armed (the connection opens, a Close goes
//! out, a keepalive Ping goes out at the `now` given), and only fire in `handle_timeout`.

use std::time::Instant;

use super::{Connection, State};
use crate::error::Error;
use crate::event::Event;
use crate::protocol::OpCode;

impl Connection {
    /// When [`Connection::handle_timeout`] should next be called, if ever.
    pub fn poll_timeout(&self) -> Option<Instant> {
        match self.state {
            State::Open => earliest(self.next_ping, self.pong_deadline),
            State::Closing => self.close_deadline,
            State::Connecting | State::Closed => None,
        }
    }

    /// Tells the connection the time: sends a due keepalive Ping, fails the connection with
    /// [`Error::PongTimeout`] when the Pong is late, and gives up on a close handshake that
    /// outlived the close timeout ([`Error::CloseTimeout`] when no Close came from the peer).
    pub fn handle_timeout(&mut self, now: Instant) {
        match self.state {
            State::Closing => {
                if self.close_deadline.is_some_and(|d| d <= now) {
                    if !self.close_event_sent && self.error.is_none() {
                        self.events.push_back(Event::Failed(Error::CloseTimeout));
                        self.error = Some(Error::CloseTimeout);
                    }
                    self.enter_closed();
                }
            }
            State::Open => {
                if self.pong_deadline.is_some_and(|d| d <= now) {
                    self.fail(Error::PongTimeout);
                    return;
                }
                if let (Some(due), Some(interval)) = (self.next_ping, self.config.ping_interval) {
                    if due <= now {
                        self.ping_counter = self.ping_counter.wrapping_add(1);
                        let payload = self.ping_counter.to_be_bytes();
                        self.write_control(OpCode::Ping, &payload);
                        self.next_ping = now.checked_add(interval);
                        if self.pong_deadline.is_none() {
                            self.pong_deadline =
                                self.config.pong_timeout.and_then(|t| now.checked_add(t));
                        }
                    }
                }
            }
            State::Connecting | State::Closed => {}
        }
    }

    /// (Re)starts the keepalive timer from now.
    pub(super) fn arm_keepalive(&mut self) {
        self.pong_deadline = None;
        self.next_ping = match (self.state, self.config.ping_interval) {
            (State::Open, Some(interval)) => Instant::now().checked_add(interval),
            _ => None,
        };
    }
}

fn earliest(a: Option<Instant>, b: Option<Instant>) -> Option<Instant> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Config, Role};
    use std::time::Duration;

    #[test]
    fn huge_durations_mean_never() {
        let config = Config {
            ping_interval: Some(Duration::MAX),
            pong_timeout: Some(Duration::MAX),
            close_timeout: Some(Duration::MAX),
            ..Config::default()
        };
        let mut c = Connection::new(Role::Server, config);
        assert_eq!(c.poll_timeout(), None);
        c.handle_timeout(Instant::now());
        c.close(1000u16, "").unwrap();
        assert_eq!(c.poll_timeout(), None);
    }

    #[test]
    fn earliest_of_two() {
        let now = Instant::now();
        let later = now + Duration::from_secs(1);
        assert_eq!(earliest(Some(later), Some(now)), Some(now));
        assert_eq!(earliest(None, Some(later)), Some(later));
        assert_eq!(earliest(None, None), None);
    }
}
