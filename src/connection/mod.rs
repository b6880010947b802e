// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The sans-I/O connection: the RFC 6455 state machine after the opening handshake.
//!
//! Bytes from the transport go in with [`Connection::receive_data`] and
//! [`Connection::receive_eof`]; what happened comes out as [`Event`]s from
//! [`Connection::next_event`]; bytes to write accumulate in a queue read with
//! [`Connection::outgoing`] / [`Connection::consume_outgoing`] (or [`Connection::take_outgoing`]):
//! one buffer of encoded frames, plus a chunk per frame of an owned send
//! ([`Connection::send_message_owned`]). A transport may also read a large frame's payload
//! straight into the message buffer ([`Connection::input_buffer`]).
//! Commands (`send_*`, [`Connection::close`], [`Connection::fail`]) only append to that buffer.
//! Time comes from the caller too: [`Connection::poll_timeout`] says when to call
//! [`Connection::handle_timeout`].
//!
//! A driver loop, after every call that may have changed something:
//! 1. write out [`Connection::outgoing`] and consume what was written, until it is empty;
//! 2. handle every event from [`Connection::next_event`];
//! 3. once the outgoing buffer is empty and [`Connection::should_close_transport`] is true, close
//!    the transport.
//!
//! ```
//! use rswebsockets::{Config, Connection, Event, Role};
//!
//! let mut client = Connection::new(Role::Client, Config::default());
//! let mut server = Connection::new(Role::Server, Config::default());
//!
//! client.send_text("Hello").unwrap();
//! server.receive_data(client.outgoing()); // what a driver would write to the socket
//! client.consume_outgoing(client.outgoing_len());
//! assert_eq!(server.next_event(), Some(Event::Text("Hello".into())));
//!
//! server.close(1000u16, "bye").unwrap();
//! client.receive_data(&server.take_outgoing());
//! assert_eq!(
//!     client.next_event(),
//!     Some(Event::Close { code: 1000, reason: "bye".into() })
//! );
//! server.receive_data(&client.take_outgoing()); // the client's echo
//! assert!(server.should_close_transport()); // the server closes TCP first
//! client.receive_eof();
//! assert!(client.is_closed());
//! ```

mod direct;
mod external;
mod mask_generator;
mod outgoing;
mod receive;
mod send;
mod timer;
mod whole;

use std::collections::VecDeque;
use std::time::Instant;

use crate::close::{encode_close_payload, is_wire_close_code};
use crate::config::Config;
use crate::error::Error;
use crate::event::Event;
use crate::extension::Extension;
use crate::frame::{write_frame, FrameHeader, MAX_CONTROL_PAYLOAD, MAX_HEADER_LEN};
use crate::message::{Assembler, MessageKind};
use crate::protocol::{CloseCode, OpCode};

pub use direct::DIRECT_INPUT_MIN;
pub use external::ExternalMessage;
pub use mask_generator::{MaskGenerator, RandomMaskGenerator};
pub use outgoing::SharedPayload;
pub use send::{OutgoingMessage, OWNED_SEND_MIN};

/// Which end of the connection this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The end that opened the connection: masks what it sends, expects unmasked frames.
    Client,
    /// The end that accepted the connection: sends unmasked frames, expects masked ones.
    Server,
}

/// The state of a connection (RFC 6455 §4, §7; Qt's `QAbstractSocket` states map onto these).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// The opening handshake is not done yet: nothing can be sent, input is kept for later.
    Connecting,
    /// Messages flow both ways.
    Open,
    /// A Close was sent or received; the close handshake or the transport end is awaited.
    Closing,
    /// The WebSocket connection is over; the transport is to be closed.
    Closed,
}

/// The frame whose payload is being read.
#[derive(Debug, Clone, Copy)]
struct IncomingFrame {
    header: FrameHeader,
    received: u64,
    /// The payload goes through the extensions at the end of the frame.
    via_extensions: bool,
}

/// A WebSocket connection without I/O: see the module documentation for the driver loop.
pub struct Connection {
    role: Role,
    state: State,
    config: Config,
    extensions: Vec<Box<dyn Extension>>,
    /// The reserved bits the negotiated extensions own.
    extension_rsv: u8,
    mask_generator: Option<Box<dyn MaskGenerator>>,

    // Incoming.
    header: [u8; MAX_HEADER_LEN],
    header_len: usize,
    frame: Option<IncomingFrame>,
    assembler: Assembler,
    control: Vec<u8>,
    raw: Vec<u8>,
    scratch: Vec<u8>,
    /// The message being received carries an extension's reserved bit (it is compressed).
    message_transformed: bool,
    discard_input: bool,
    /// Input received while connecting, for `open` (at most `early_input_limit()` bytes).
    pending_input: Vec<u8>,
    /// Input past that limit arrived while connecting (and was dropped): `open` fails.
    pending_overflow: bool,
    events: VecDeque<Event>,
    /// The space the last `input_buffer` offered, until `commit_input`.
    direct_offer: Option<direct::DirectOffer>,

    // Outgoing.
    out: outgoing::OutQueue,
    out_message: Option<OutgoingMessage>,
    encoded: Vec<u8>,
    encoded_tmp: Vec<u8>,

    // Closing.
    close_sent: bool,
    close_event_sent: bool,
    close_code: Option<u16>,
    close_reason: String,
    error: Option<Error>,

    // Timers.
    next_ping: Option<Instant>,
    pong_deadline: Option<Instant>,
    close_deadline: Option<Instant>,
    ping_counter: u32,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("role", &self.role)
            .field("state", &self.state)
            .field(
                "extensions",
                &self.extensions.iter().map(|e| e.name()).collect::<Vec<_>>(),
            )
            .field("outgoing", &self.out.len())
            .field("events", &self.events.len())
            .field("error", &self.error)
            .finish()
    }
}

impl Connection {
    /// An open connection (the opening handshake is done), without extensions.
    pub fn new(role: Role, config: Config) -> Self {
        Self::with_extensions(role, config, Vec::new())
    }

    /// An open connection using the extensions the handshake negotiated, in negotiation order.
    pub fn with_extensions(
        role: Role,
        config: Config,
        extensions: Vec<Box<dyn Extension>>,
    ) -> Self {
        let mut conn = Self::connecting(role, config);
        conn.set_extensions(extensions);
        conn.state = State::Open;
        conn.arm_keepalive();
        conn
    }

    /// A connection still in its opening handshake ([`State::Connecting`]): input given to
    /// [`Connection::receive_data`] is kept until [`Connection::open`], up to the maximum frame
    /// size plus a frame header. Input past that is dropped and the connection fails with
    /// [`Error::EarlyInputTooLarge`] (1009) when it opens, after what was kept is read.
    pub fn connecting(role: Role, config: Config) -> Self {
        let mask_generator: Option<Box<dyn MaskGenerator>> = match role {
            Role::Client => Some(Box::new(RandomMaskGenerator::new())),
            Role::Server => None,
        };
        Connection {
            role,
            state: State::Connecting,
            assembler: Assembler::new(config.read_buffer_capacity),
            out: outgoing::OutQueue::with_capacity(config.write_buffer_capacity),
            config,
            extensions: Vec::new(),
            extension_rsv: 0,
            mask_generator,
            header: [0; MAX_HEADER_LEN],
            header_len: 0,
            frame: None,
            control: Vec::with_capacity(MAX_CONTROL_PAYLOAD),
            raw: Vec::new(),
            scratch: Vec::new(),
            message_transformed: false,
            discard_input: false,
            pending_input: Vec::new(),
            pending_overflow: false,
            events: VecDeque::with_capacity(8),
            direct_offer: None,
            out_message: None,
            encoded: Vec::new(),
            encoded_tmp: Vec::new(),
            close_sent: false,
            close_event_sent: false,
            close_code: None,
            close_reason: String::new(),
            error: None,
            next_ping: None,
            pong_deadline: None,
            close_deadline: None,
            ping_counter: 0,
        }
    }

    /// Ends the [`State::Connecting`] phase: installs the negotiated extensions, opens the
    /// connection and processes the input received meanwhile (then fails it with
    /// [`Error::EarlyInputTooLarge`] if more arrived than [`Connection::connecting`] keeps).
    pub fn open(&mut self, extensions: Vec<Box<dyn Extension>>) -> Result<(), Error> {
        if self.state != State::Connecting {
            return Err(Error::InvalidState("the connection is not connecting"));
        }
        self.set_extensions(extensions);
        self.state = State::Open;
        self.arm_keepalive();
        let pending = std::mem::take(&mut self.pending_input);
        self.receive_data(&pending);
        if std::mem::take(&mut self.pending_overflow) {
            // What was kept is read first (its messages, or the error in it, come first).
            self.fail(Error::EarlyInputTooLarge {
                limit: self.early_input_limit() as u64,
            });
        }
        Ok(())
    }

    /// The most input kept while connecting: a frame of the maximum size with its header.
    /// A peer has no reason to send more before the handshake completes (a client may not
    /// send before the 101; a server's first frames come in with it).
    fn early_input_limit(&self) -> usize {
        self.config.max_frame_size.saturating_add(MAX_HEADER_LEN)
    }

    /// Keeps input received while connecting, up to [`Connection::early_input_limit`]; past
    /// it, drops the rest and remembers to fail with 1009 once open.
    fn hold_early_input(&mut self, data: &[u8]) {
        let limit = self.early_input_limit();
        let held = self.pending_input.len();
        let take = data.len().min(limit.saturating_sub(held));
        if take < data.len() {
            self.pending_overflow = true;
        }
        if self.pending_input.capacity() - held < take {
            // Grow by doubling as `Vec` does, but never past the limit.
            let want = (held + take).max(2 * held).min(limit);
            self.pending_input.reserve_exact(want - held);
        }
        self.pending_input.extend_from_slice(&data[..take]);
    }

    /// Replaces the negotiated extensions (call it right after the handshake, before data
    /// flows). Their reserved bits become allowed in incoming data frames.
    pub fn set_extensions(&mut self, extensions: Vec<Box<dyn Extension>>) {
        self.extension_rsv = extensions.iter().fold(0, |acc, e| acc | e.rsv_mask());
        self.extensions = extensions;
    }

    /// The negotiated extensions, in negotiation order (`name()` and `params()` describe each).
    pub fn extensions(&self) -> &[Box<dyn Extension>] {
        &self.extensions
    }

    /// Replaces the source of masking keys (clients only use it), e.g. for deterministic tests.
    pub fn set_mask_generator(&mut self, generator: Box<dyn MaskGenerator>) {
        self.mask_generator = Some(generator);
    }

    /// This end's role.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The current state.
    pub fn state(&self) -> State {
        self.state
    }

    /// The settings in use.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Changes the settings. Limits apply from the next frame; a new keepalive interval
    /// restarts the keepalive timer.
    pub fn set_config(&mut self, config: Config) {
        let keepalive_changed = config.ping_interval != self.config.ping_interval;
        self.config = config;
        if keepalive_changed {
            self.arm_keepalive();
        }
    }

    /// The peer's close code once the connection reported [`Event::Close`]: the code of its
    /// Close frame, 1005 when that had none, 1006 when no Close frame arrived.
    pub fn close_code(&self) -> Option<u16> {
        self.close_code
    }

    /// The peer's close reason (empty when it gave none or no Close arrived).
    pub fn close_reason(&self) -> &str {
        &self.close_reason
    }

    /// Why the connection failed, if it did.
    pub fn error(&self) -> Option<&Error> {
        self.error.as_ref()
    }

    /// True once the connection is [`State::Closed`].
    pub fn is_closed(&self) -> bool {
        self.state == State::Closed
    }

    /// True when the driver should close the transport once the outgoing bytes are written: a
    /// server right after the close handshake (or a failure), a client when the server closed
    /// the transport or the close timeout expired.
    pub fn should_close_transport(&self) -> bool {
        self.state == State::Closed
    }

    /// The next event, oldest first.
    pub fn next_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// All pending events, oldest first. The queue is drained: events left in the iterator
    /// when it is dropped are gone.
    pub fn events(&mut self) -> std::collections::vec_deque::Drain<'_, Event> {
        self.events.drain(..)
    }

    /// True when [`Connection::next_event`] has something.
    pub fn has_events(&self) -> bool {
        !self.events.is_empty()
    }

    /// Gives a message buffer back (e.g. from [`Event::into_buffer`]) so that later messages
    /// reuse its memory instead of allocating.
    pub fn recycle_buffer(&mut self, buffer: Vec<u8>) {
        self.assembler.recycle(buffer);
    }

    /// The first contiguous chunk of the bytes waiting to be written to the transport.
    ///
    /// Bytes wait in a queue of chunks: frames the engine encodes share one buffer, and the
    /// payload of an owned or shared send ([`Connection::send_message_owned`],
    /// [`Connection::send_message_shared`]) is a chunk of its own. So callers write this chunk,
    /// call [`Connection::consume_outgoing`] with what was written, and loop until it is empty;
    /// [`Connection::outgoing_len`] is the total. Without owned or shared sends the queue is
    /// one chunk, and this is every byte waiting. [`Connection::outgoing_slices`] gives all
    /// chunks for a vectored write.
    pub fn outgoing(&self) -> &[u8] {
        self.out.front()
    }

    /// Number of bytes waiting to be written, in all chunks.
    pub fn outgoing_len(&self) -> usize {
        self.out.len()
    }

    /// Fills `dst` with the chunks waiting to be written, in order (the first one is
    /// [`Connection::outgoing`]); returns how many were filled, fewer than `dst.len()` only
    /// when that is all of them. For `write_vectored`; then call
    /// [`Connection::consume_outgoing`] with the bytes written.
    pub fn outgoing_slices<'a>(&'a self, dst: &mut [std::io::IoSlice<'a>]) -> usize {
        self.out.slices(dst)
    }

    /// Marks the first `n` outgoing bytes as written (more than there are counts as all).
    /// No byte is moved: an offset advances in the first chunk; chunks written out are reused.
    ///
    /// Call it right after each write, before more input goes in: a Ping that arrives may
    /// replace an automatic Pong that is still queued (see [`Event::Ping`]), and bytes written
    /// but not consumed yet would count as unwritten for that.
    pub fn consume_outgoing(&mut self, n: usize) {
        let assembler = &mut self.assembler;
        self.out.consume(n, |buffer| assembler.recycle(buffer));
    }

    /// Takes every byte waiting to be written, as one buffer (the chunks concatenated).
    pub fn take_outgoing(&mut self) -> Vec<u8> {
        let assembler = &mut self.assembler;
        self.out.take_all(|buffer| assembler.recycle(buffer))
    }

    /// Fails the connection with `error`: sends a Close with `error.close_code()` (unless a
    /// Close was already sent, or the code may not be sent), reports [`Event::Failed`], stops
    /// reading, and moves to [`State::Closed`] (server) or [`State::Closing`] until the server
    /// closes the transport (client). Does nothing once the connection has closed or failed.
    pub fn fail(&mut self, error: Error) {
        if self.state == State::Closed || self.error.is_some() || self.close_event_sent {
            return;
        }
        let code = error.close_code().value();
        if !self.close_sent && self.state == State::Open && is_wire_close_code(code) {
            let reason = error.to_string();
            self.write_close(code, &reason);
        }
        self.events.push_back(Event::Failed(error.clone()));
        self.error = Some(error);
        self.discard_input = true;
        self.frame = None;
        self.header_len = 0;
        match (self.role, self.state) {
            (Role::Client, State::Open | State::Closing) => self.enter_closing(),
            _ => self.enter_closed(),
        }
    }

    /// Appends a Close frame and marks it sent.
    fn write_close(&mut self, code: u16, reason: &str) {
        let mut payload = [0u8; MAX_CONTROL_PAYLOAD];
        let n = encode_close_payload(code, reason, &mut payload);
        self.write_control(OpCode::Close, &payload[..n]);
        self.close_sent = true;
    }

    /// Appends a control frame.
    fn write_control(&mut self, opcode: OpCode, payload: &[u8]) {
        let mask = self.next_mask();
        let header = FrameHeader::new(true, opcode, mask, payload.len() as u64);
        write_frame(self.out.buffer(), &header, payload);
    }

    /// Answers a Ping. A Pong that answered an earlier Ping and of which no byte was written
    /// yet is dropped first (RFC 6455 §5.5.3: only the most recent Ping needs an answer), so
    /// a peer that sends pings and never reads costs one queued Pong, not one per Ping.
    fn write_auto_pong(&mut self, payload: &[u8]) {
        let mask = self.next_mask();
        let header = FrameHeader::new(true, OpCode::Pong, mask, payload.len() as u64);
        self.out.remove_pending_pong();
        let buffer = self.out.buffer();
        let start = buffer.len();
        write_frame(buffer, &header, payload);
        self.out.set_pending_pong(start);
    }

    /// The masking key for the next frame: a key for clients, none for servers.
    #[inline]
    fn next_mask(&mut self) -> Option<[u8; 4]> {
        match self.role {
            Role::Server => None,
            Role::Client => Some(
                self.mask_generator
                    .get_or_insert_with(|| Box::new(RandomMaskGenerator::new()))
                    .next_mask(),
            ),
        }
    }

    /// Moves to Closing and starts the close timeout.
    fn enter_closing(&mut self) {
        self.state = State::Closing;
        self.next_ping = None;
        self.pong_deadline = None;
        if self.close_deadline.is_none() {
            self.close_deadline = self
                .config
                .close_timeout
                .and_then(|t| Instant::now().checked_add(t));
        }
    }

    /// Moves to Closed, reporting 1006 when no Close was reported yet.
    fn enter_closed(&mut self) {
        self.state = State::Closed;
        self.discard_input = true;
        self.next_ping = None;
        self.pong_deadline = None;
        self.close_deadline = None;
        self.pending_input = Vec::new();
        if !self.close_event_sent {
            self.report_close(CloseCode::AbnormalDisconnection.value(), String::new());
        }
    }

    /// Reports the end of the connection (once).
    fn report_close(&mut self, code: u16, reason: String) {
        self.close_event_sent = true;
        self.close_code = Some(code);
        self.close_reason.clone_from(&reason);
        self.events.push_back(Event::Close { code, reason });
    }

    /// The opcode of the first frame of a message of this kind.
    fn opcode_of(kind: MessageKind) -> OpCode {
        match kind {
            MessageKind::Text => OpCode::Text,
            MessageKind::Binary => OpCode::Binary,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_open_and_fixed_masks_are_used() {
        let mut c = Connection::new(Role::Client, Config::default());
        assert_eq!(c.state(), State::Open);
        c.set_mask_generator(Box::new(|| [0, 0, 0, 0]));
        c.send_text("Hi").unwrap();
        assert_eq!(c.outgoing(), [0x81, 0x82, 0, 0, 0, 0, b'H', b'i']);
        c.consume_outgoing(3);
        assert_eq!(c.outgoing_len(), 5);
        assert_eq!(c.take_outgoing().len(), 5);
        assert!(c.outgoing().is_empty());
    }

    #[test]
    fn connecting_keeps_input_until_open() {
        let mut c = Connection::connecting(Role::Client, Config::default());
        assert_eq!(c.state(), State::Connecting);
        assert_eq!(c.send_text("x"), Err(Error::InvalidState("connecting")));
        c.receive_data(&[0x81, 0x02, b'o']);
        c.receive_data(b"k");
        assert!(!c.has_events());
        c.open(Vec::new()).unwrap();
        assert_eq!(c.next_event(), Some(Event::Text("ok".into())));
        assert!(c.open(Vec::new()).is_err());
    }

    #[test]
    fn input_past_the_limit_while_connecting_fails_with_1009_after_what_was_kept() {
        let config = Config {
            max_frame_size: 16,
            ..Config::default()
        };
        let mut c = Connection::connecting(Role::Client, config);
        c.set_mask_generator(Box::new(|| [0, 0, 0, 0]));
        // Two whole frames and the start of a third are kept (16 + 14 bytes), the rest dropped.
        c.receive_data(&[0x81, 0x02, b'o', b'k']);
        c.receive_data_until_event(&[0x82, 0x10]);
        let rest = [&[7; 16][..], &[0x82, 0x10], &[7; 100]].concat();
        assert_eq!(c.receive_data_until_event(&rest), rest.len());
        assert!(c.pending_input.len() <= 30 && c.pending_input.capacity() <= 30);
        c.open(Vec::new()).unwrap();
        assert_eq!(c.next_event(), Some(Event::Text("ok".into())));
        assert_eq!(c.next_event(), Some(Event::Binary(vec![7; 16])));
        let limit = 16 + MAX_HEADER_LEN as u64;
        assert_eq!(
            c.next_event(),
            Some(Event::Failed(Error::EarlyInputTooLarge { limit }))
        );
        // The Close with 1009 goes out (masked with the zero key).
        assert_eq!(c.outgoing()[0], 0x88);
        assert_eq!(&c.outgoing()[6..8], [0x03, 0xF1]);
        assert!(c.pending_input.capacity() == 0);
    }

    #[test]
    fn fail_on_server_closes_at_once() {
        let mut s = Connection::new(Role::Server, Config::default());
        s.fail(Error::Application {
            code: CloseCode::PolicyViolated,
            reason: "go".into(),
        });
        assert_eq!(s.outgoing(), [0x88, 0x04, 0x03, 0xF0, b'g', b'o']);
        assert!(s.should_close_transport());
        let events: Vec<Event> = s.events().collect();
        assert!(matches!(
            events[0],
            Event::Failed(Error::Application { .. })
        ));
        assert_eq!(
            events[1],
            Event::Close {
                code: 1006,
                reason: String::new()
            }
        );
        assert_eq!(s.close_code(), Some(1006));
        s.fail(Error::InvalidUtf8);
        assert!(!s.has_events());
    }
}
