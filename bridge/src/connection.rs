// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The sans-I/O connection across the bridge, behind C++'s `RsWebSocketConnection`.
//!
//! The engine's [`rswebsockets::Connection`] sits in an opaque, boxed [`Connection`]. Bytes come
//! in as `&[u8]` (C++ `rust::Slice<const uint8_t>`, no copy); the bytes to write are lent out
//! as a slice of the engine's own buffer; events are pulled by C++ into a shared struct whose
//! payload `Vec` is moved out of the engine's event (no copy) and handed back to the engine
//! for reuse on the next pull. There are no callbacks into C++, and nothing returns a Rust
//! `Result`: commands answer `false` and keep the reason for `Connection::error_string`.
//!
//! Time: the engine runs on `Instant`s; C++ runs on `std::chrono::steady_clock`. Each side
//! counts nanoseconds from its own origin taken when the connection is created, so a deadline
//! converted out and back lands on the same instant.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rswebsockets::{
    CloseCode, Config, Error, Event, MaskGenerator, MessageKind, RandomMaskGenerator, Role, State,
};

use crate::handshake::Negotiated;
use ffi::{
    ConnectionEvent, ConnectionSettings, ConnectionState, EventKind, ExternalInput, OutgoingChunk,
    SharedRelease,
};
use foreign::ForeignBytes;

mod foreign;

/// The bridge module (C++ namespace `rswebsockets::bridge`).
#[cxx::bridge(namespace = "rswebsockets::bridge")]
#[allow(missing_docs)]
// cxx generates items that cannot carry docs
// cxx's expansion of `Box<T>` returns uses std items stabilised in 1.82 (above the MSRV); the
// generated code is cxx's, built with the toolchain that builds the bridge.
#[allow(clippy::incompatible_msrv)]
pub mod ffi {
    /// `RsWebSocketConnectionOptions` (durations in milliseconds, 0 = off; sizes 0 = no limit).
    struct ConnectionSettings {
        server: bool,
        max_frame_size: u64,
        max_message_size: u64,
        keepalive_interval_ms: u64,
        pong_timeout_ms: u64,
        close_timeout_ms: u64,
        outgoing_frame_size: usize,
        deliver_fragments: bool,
        auto_pong: bool,
        max_outgoing_size: usize,
        fixed_mask: bool,
        mask_key: u32,
    }

    /// `RsWebSocketConnection::State`.
    #[repr(u8)]
    enum ConnectionState {
        Connecting,
        Open,
        Closing,
        Closed,
    }

    /// `RsWebSocketConnection::EventType`.
    #[repr(u8)]
    enum EventKind {
        Text,
        Binary,
        TextFrame,
        BinaryFrame,
        Ping,
        Pong,
        Close,
        Error,
    }

    /// How C++ releases the bytes of a shared send: `call(release, context)`, where `call` is
    /// the address of an `extern "C" void(std::uintptr_t, std::uintptr_t)` trampoline that
    /// calls the C++ function at `release` with `context` (0 for `call`: nothing to release).
    struct SharedRelease {
        call: usize,
        release: usize,
        context: usize,
    }

    /// One run of bytes waiting to be written: its address and length.
    struct OutgoingChunk {
        data: usize,
        len: usize,
    }

    /// A one-frame message whose payload C++ may read into its own memory
    /// (`rswebsockets::ExternalMessage`).
    struct ExternalInput {
        binary: bool,
        len: u64,
        received: u64,
    }

    /// One event; `data` is the payload, the close reason or the error message.
    struct ConnectionEvent {
        kind: EventKind,
        data: Vec<u8>,
        is_last: bool,
        close_code: u16,
    }

    extern "C++" {
        include!("rswebsockets-bridge/src/handshake.rs.h");
        /// Declared by the handshake bridge.
        type Negotiated = crate::handshake::Negotiated;
    }

    extern "Rust" {
        /// An open connection.
        type Connection;

        /// Takes the negotiated extensions out of `negotiated`.
        fn connection_new(
            settings: &ConnectionSettings,
            negotiated: &mut Negotiated,
        ) -> Box<Connection>;
        fn set_settings(self: &mut Connection, settings: &ConnectionSettings);
        fn state(self: &Connection) -> ConnectionState;

        fn receive_data(self: &mut Connection, data: &[u8]);
        /// Stops once an event is waiting; returns the bytes of `data` used.
        fn receive_data_until_event(self: &mut Connection, data: &[u8]) -> usize;
        fn receive_eof(self: &mut Connection);
        /// Space in the message buffer where the next input bytes may be read directly
        /// (`rswebsockets::Connection::input_buffer`): its start, with its length in `len`;
        /// null and 0 when there is none now.
        fn input_buffer(self: &mut Connection, len: &mut usize) -> *mut u8;
        /// The first `n` bytes of the space `input_buffer` lent were written: they are
        /// processed like `receive_data_until_event` input. False (nothing done) when no space
        /// is lent, `n` is longer than it, or another call came in between.
        unsafe fn commit_input(self: &mut Connection, n: usize) -> bool;
        /// Whether the payload of the frame being read may go into C++ memory now
        /// (`rswebsockets::Connection::external_input`); fills `info` when it may.
        fn external_input(self: &Connection, info: &mut ExternalInput) -> bool;
        /// The payload bytes the engine holds before the message goes external.
        fn external_prefix(self: &Connection) -> &[u8];
        /// `len` bytes at `data` (C++ memory) are the next payload bytes of the external
        /// message: unmasked in place and checked. 1: the message is complete; 0: more is to
        /// come, or the connection failed (an Error event says why); -1: refused, nothing done.
        unsafe fn commit_external(self: &mut Connection, data: *mut u8, len: usize) -> i32;
        /// Moves the next event into `event`, giving its previous payload buffer back to the
        /// engine (also when there is no next event).
        fn next_event(self: &mut Connection, event: &mut ConnectionEvent) -> bool;

        /// `transform` false: the extensions leave the message as it is (not compressed).
        fn send_message(self: &mut Connection, binary: bool, data: &[u8], transform: bool) -> bool;
        /// The `len` bytes at `data` are queued without a copy when the engine can (see
        /// `rswebsockets::Connection::send_message_shared`) and `release` is called exactly once
        /// when the engine no longer needs them (also when refused or copied).
        unsafe fn send_message_shared(
            self: &mut Connection,
            binary: bool,
            data: *const u8,
            len: usize,
            release: SharedRelease,
        ) -> bool;
        fn begin_message(self: &mut Connection, binary: bool, data: &[u8], transform: bool)
            -> bool;
        fn continue_message(self: &mut Connection, data: &[u8]) -> bool;
        fn finish_message(self: &mut Connection, data: &[u8]) -> bool;
        fn ping(self: &mut Connection, payload: &[u8]) -> bool;
        fn pong(self: &mut Connection, payload: &[u8]) -> bool;
        fn close(self: &mut Connection, code: i32, reason: &[u8]) -> bool;
        fn fail(self: &mut Connection, code: i32, reason: &[u8]);

        /// Masking keys to use, in order, before the usual source (Qt's `QMaskGenerator`).
        fn queue_masking_keys(self: &mut Connection, keys: &[u32]);
        fn queued_masking_keys(self: &Connection) -> usize;

        fn outgoing(self: &Connection) -> &[u8];
        /// Bytes waiting in all chunks.
        fn outgoing_len(self: &Connection) -> usize;
        /// Fills `chunks` with the runs of bytes waiting, in order (at most 16); returns how
        /// many.
        fn outgoing_slices(self: &Connection, chunks: &mut [OutgoingChunk]) -> usize;
        fn consume_outgoing(self: &mut Connection, n: usize);
        fn should_close_transport(self: &Connection) -> bool;

        /// 0 before the peer's Close (or the end of the connection).
        fn close_code(self: &Connection) -> i32;
        fn close_reason(self: &Connection) -> &str;
        fn error_string(self: &Connection) -> String;

        /// Nanoseconds from the connection's origin to the next deadline; -1 for none.
        fn next_timeout_ns(self: &Connection) -> i64;
        fn handle_timeout_ns(self: &mut Connection, now_ns: u64);
    }
}

/// An engine connection plus what the bridge keeps for C++.
pub struct Connection {
    inner: rswebsockets::Connection,
    origin: Instant,
    /// Why the last command failed ("" after a command that succeeded).
    last_error: String,
    /// The fixed key from the settings, if any (tests).
    fixed_mask: Option<[u8; 4]>,
    /// Keys queued by C++, shared with the engine's mask generator once one was queued.
    queued_masks: Option<Arc<Mutex<VecDeque<[u8; 4]>>>>,
    /// The address and length of the space the last `input_buffer` lent ((0, 0): none lent).
    direct_input: (usize, usize),
}

/// Masking keys supplied from C++ first, then the usual source.
struct QueuedMasks {
    queue: Arc<Mutex<VecDeque<[u8; 4]>>>,
    fallback: Box<dyn MaskGenerator>,
}

impl MaskGenerator for QueuedMasks {
    fn next_mask(&mut self) -> [u8; 4] {
        let queued = match self.queue.lock() {
            Ok(mut q) => q.pop_front(),
            Err(poisoned) => poisoned.into_inner().pop_front(),
        };
        queued.unwrap_or_else(|| self.fallback.next_mask())
    }
}

/// The most chunks `outgoing_slices` fills in one call (more than a vectored write takes in
/// one go in practice: a few frames' headers and payloads).
const MAX_OUTGOING_CHUNKS: usize = 16;

fn millis(ms: u64) -> Option<Duration> {
    (ms > 0).then(|| Duration::from_millis(ms))
}

fn config(s: &ConnectionSettings) -> Config {
    let defaults = Config::default();
    let limit = |v: u64| {
        if v == 0 {
            usize::MAX
        } else {
            usize::try_from(v).unwrap_or(usize::MAX)
        }
    };
    Config {
        max_frame_size: limit(s.max_frame_size),
        max_message_size: limit(s.max_message_size),
        auto_pong: s.auto_pong,
        frame_events: s.deliver_fragments,
        message_events: !s.deliver_fragments,
        ping_interval: millis(s.keepalive_interval_ms),
        pong_timeout: millis(s.pong_timeout_ms),
        close_timeout: millis(s.close_timeout_ms),
        outgoing_frame_size: s.outgoing_frame_size,
        max_write_buffer_size: if s.max_outgoing_size == 0 {
            usize::MAX
        } else {
            s.max_outgoing_size
        },
        ..defaults
    }
}

fn connection_new(settings: &ConnectionSettings, negotiated: &mut Negotiated) -> Box<Connection> {
    let role = if settings.server {
        Role::Server
    } else {
        Role::Client
    };
    let origin = Instant::now();
    let mut inner = rswebsockets::Connection::with_extensions(
        role,
        config(settings),
        negotiated.take_extensions(),
    );
    let fixed_mask = settings.fixed_mask.then(|| settings.mask_key.to_be_bytes());
    if let Some(key) = fixed_mask {
        inner.set_mask_generator(Box::new(move || key));
    }
    Box::new(Connection {
        inner,
        origin,
        last_error: String::new(),
        fixed_mask,
        queued_masks: None,
        direct_input: (0, 0),
    })
}

fn kind(binary: bool) -> MessageKind {
    if binary {
        MessageKind::Binary
    } else {
        MessageKind::Text
    }
}

impl Connection {
    /// Records the outcome of a command.
    fn done(&mut self, result: Result<(), Error>) -> bool {
        match result {
            Ok(()) => {
                self.last_error.clear();
                true
            }
            Err(e) => {
                self.last_error = e.to_string();
                false
            }
        }
    }

    fn set_settings(&mut self, settings: &ConnectionSettings) {
        self.inner.set_config(config(settings));
    }

    fn state(&self) -> ConnectionState {
        match self.inner.state() {
            State::Connecting => ConnectionState::Connecting,
            State::Open => ConnectionState::Open,
            State::Closing => ConnectionState::Closing,
            State::Closed => ConnectionState::Closed,
        }
    }

    fn receive_data(&mut self, data: &[u8]) {
        self.inner.receive_data(data);
    }

    fn receive_data_until_event(&mut self, data: &[u8]) -> usize {
        self.inner.receive_data_until_event(data)
    }

    fn receive_eof(&mut self) {
        self.inner.receive_eof();
    }

    fn input_buffer(&mut self, len: &mut usize) -> *mut u8 {
        let (ptr, n) = match self.inner.input_buffer() {
            Some(space) => (space.as_mut_ptr().cast::<u8>(), space.len()),
            None => (std::ptr::null_mut(), 0),
        };
        *len = n;
        self.direct_input = (ptr as usize, n);
        ptr
    }

    /// # Safety
    /// The first `n` bytes of the space the last `input_buffer` lent were initialized, and no
    /// other call on this connection came in between.
    unsafe fn commit_input(&mut self, n: usize) -> bool {
        let (lent_at, lent_len) = std::mem::take(&mut self.direct_input);
        if lent_at == 0 || n > lent_len {
            return false;
        }
        // The engine panics when the space changed since it was lent (another call came in
        // between); a panic must not cross into C++. Asking again costs a few comparisons and
        // gives the same space when nothing changed (the message buffer grew already).
        let same = self
            .inner
            .input_buffer()
            .is_some_and(|space| space.as_ptr() as usize == lent_at && space.len() >= n);
        if !same {
            return false;
        }
        // SAFETY: the space is the one the caller filled (same address, at least `n` long,
        // nothing changed in between), and the caller initialized its first `n` bytes.
        unsafe { self.inner.commit_input(n) };
        true
    }

    fn external_input(&self, info: &mut ExternalInput) -> bool {
        let Some(message) = self.inner.external_input() else {
            return false;
        };
        *info = ExternalInput {
            binary: message.kind == MessageKind::Binary,
            len: message.len,
            received: message.received,
        };
        true
    }

    fn external_prefix(&self) -> &[u8] {
        self.inner.external_prefix()
    }

    /// # Safety
    /// `len` bytes at `data` are writable C++ memory not aliased by anything else during the
    /// call.
    unsafe fn commit_external(&mut self, data: *mut u8, len: usize) -> i32 {
        let bytes: &mut [u8] = if len == 0 {
            &mut []
        } else {
            // SAFETY: the caller's promise above.
            unsafe { std::slice::from_raw_parts_mut(data, len) }
        };
        match self.inner.commit_external(bytes) {
            Ok(true) => 1,
            Ok(false) => 0,
            Err(_) => -1,
        }
    }

    fn next_event(&mut self, event: &mut ConnectionEvent) -> bool {
        // The previous payload goes back to the engine for the next messages, also when the
        // queue is empty (C++ is done with it either way).
        let previous = std::mem::take(&mut event.data);
        if previous.capacity() > 0 {
            self.inner.recycle_buffer(previous);
        }
        let Some(next) = self.inner.next_event() else {
            return false;
        };
        let (kind, data, is_last, close_code) = match next {
            Event::Text(s) => (EventKind::Text, s.into_bytes(), true, 0),
            Event::Binary(v) => (EventKind::Binary, v, true, 0),
            Event::TextFrame { data, is_last } => {
                (EventKind::TextFrame, data.into_bytes(), is_last, 0)
            }
            Event::BinaryFrame { data, is_last } => (EventKind::BinaryFrame, data, is_last, 0),
            Event::Ping(v) => (EventKind::Ping, v, true, 0),
            Event::Pong(v) => (EventKind::Pong, v, true, 0),
            Event::Close { code, reason } => (EventKind::Close, reason.into_bytes(), true, code),
            Event::Failed(e) => (
                EventKind::Error,
                e.to_string().into_bytes(),
                true,
                e.close_code().value(),
            ),
        };
        *event = ConnectionEvent {
            kind,
            data,
            is_last,
            close_code,
        };
        true
    }

    fn send_message(&mut self, binary: bool, data: &[u8], transform: bool) -> bool {
        let result = self.inner.send_message(kind(binary), data, transform);
        self.done(result)
    }

    /// # Safety
    /// `len` bytes at `data` stay readable and unchanged until `release` is called.
    unsafe fn send_message_shared(
        &mut self,
        binary: bool,
        data: *const u8,
        len: usize,
        release: SharedRelease,
    ) -> bool {
        let payload = Box::new(ForeignBytes { data, len, release });
        let result = self.inner.send_message_shared(kind(binary), payload);
        self.done(result)
    }

    fn begin_message(&mut self, binary: bool, data: &[u8], transform: bool) -> bool {
        let mut result = self.inner.begin_message(kind(binary), transform);
        if result.is_ok() && !data.is_empty() {
            result = self.inner.continue_message(data);
        }
        self.done(result)
    }

    fn continue_message(&mut self, data: &[u8]) -> bool {
        let result = self.inner.continue_message(data);
        self.done(result)
    }

    fn finish_message(&mut self, data: &[u8]) -> bool {
        let result = self.inner.finish_message(data);
        self.done(result)
    }

    fn ping(&mut self, payload: &[u8]) -> bool {
        let result = self.inner.send_ping(payload);
        self.done(result)
    }

    fn pong(&mut self, payload: &[u8]) -> bool {
        let result = self.inner.send_pong(payload);
        self.done(result)
    }

    fn close(&mut self, code: i32, reason: &[u8]) -> bool {
        let result = match (u16::try_from(code), std::str::from_utf8(reason)) {
            (Ok(code), Ok(reason)) => self.inner.close(code, reason),
            (Err(_), _) => Err(Error::InvalidCloseCode(0)),
            (_, Err(_)) => Err(Error::InvalidUtf8),
        };
        self.done(result)
    }

    fn fail(&mut self, code: i32, reason: &[u8]) {
        let code = CloseCode::from_value(code).unwrap_or(CloseCode::ProtocolError);
        let reason = String::from_utf8_lossy(reason).into_owned();
        self.inner.fail(Error::Application { code, reason });
    }

    fn queue_masking_keys(&mut self, keys: &[u32]) {
        let queue = match &self.queued_masks {
            Some(queue) => Arc::clone(queue),
            None => {
                let queue = Arc::new(Mutex::new(VecDeque::new()));
                let fallback: Box<dyn MaskGenerator> = match self.fixed_mask {
                    Some(key) => Box::new(move || key),
                    None => Box::new(RandomMaskGenerator::new()),
                };
                self.inner.set_mask_generator(Box::new(QueuedMasks {
                    queue: Arc::clone(&queue),
                    fallback,
                }));
                self.queued_masks = Some(Arc::clone(&queue));
                queue
            }
        };
        let mut q = match queue.lock() {
            Ok(q) => q,
            Err(poisoned) => poisoned.into_inner(),
        };
        q.extend(keys.iter().map(|k| k.to_be_bytes()));
    }

    fn queued_masking_keys(&self) -> usize {
        self.queued_masks
            .as_ref()
            .map_or(0, |queue| match queue.lock() {
                Ok(q) => q.len(),
                Err(poisoned) => poisoned.into_inner().len(),
            })
    }

    fn outgoing(&self) -> &[u8] {
        self.inner.outgoing()
    }

    fn outgoing_len(&self) -> usize {
        self.inner.outgoing_len()
    }

    fn outgoing_slices(&self, chunks: &mut [OutgoingChunk]) -> usize {
        let mut slices = [std::io::IoSlice::new(&[]); MAX_OUTGOING_CHUNKS];
        let want = chunks.len().min(MAX_OUTGOING_CHUNKS);
        let n = self.inner.outgoing_slices(&mut slices[..want]);
        for (chunk, slice) in chunks.iter_mut().zip(&slices[..n]) {
            *chunk = OutgoingChunk {
                data: slice.as_ptr() as usize,
                len: slice.len(),
            };
        }
        n
    }

    fn consume_outgoing(&mut self, n: usize) {
        self.inner.consume_outgoing(n);
    }

    fn should_close_transport(&self) -> bool {
        self.inner.should_close_transport()
    }

    fn close_code(&self) -> i32 {
        self.inner.close_code().map_or(0, i32::from)
    }

    fn close_reason(&self) -> &str {
        self.inner.close_reason()
    }

    fn error_string(&self) -> String {
        if !self.last_error.is_empty() {
            return self.last_error.clone();
        }
        self.inner
            .error()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    fn next_timeout_ns(&self) -> i64 {
        self.inner.poll_timeout().map_or(-1, |deadline| {
            let ns = deadline.saturating_duration_since(self.origin).as_nanos();
            i64::try_from(ns).unwrap_or(i64::MAX)
        })
    }

    fn handle_timeout_ns(&mut self, now_ns: u64) {
        let now = self.origin + Duration::from_nanos(now_ns);
        self.inner.handle_timeout(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn settings(server: bool) -> ConnectionSettings {
        ConnectionSettings {
            server,
            max_frame_size: 0,
            max_message_size: 0,
            keepalive_interval_ms: 0,
            pong_timeout_ms: 0,
            close_timeout_ms: 0,
            outgoing_frame_size: 0,
            deliver_fragments: false,
            auto_pong: true,
            max_outgoing_size: 0,
            fixed_mask: true,
            mask_key: 0x37fa_213d,
        }
    }

    pub(super) fn empty_event() -> ConnectionEvent {
        ConnectionEvent {
            kind: EventKind::Close,
            data: Vec::new(),
            is_last: false,
            close_code: 0,
        }
    }

    #[test]
    fn rfc_masked_hello_both_ways() {
        let mut negotiated = Negotiated::default();
        let mut client = connection_new(&settings(false), &mut negotiated);
        let mut server = connection_new(&settings(true), &mut negotiated);
        assert!(client.send_message(false, b"Hello", true));
        assert_eq!(
            client.outgoing(),
            [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]
        );
        let wire = client.outgoing().to_vec();
        client.consume_outgoing(wire.len());
        server.receive_data(&wire);
        let mut event = empty_event();
        assert!(server.next_event(&mut event));
        assert!(event.kind == EventKind::Text);
        assert_eq!(event.data, b"Hello");
        assert!(!server.next_event(&mut event));
    }

    #[test]
    fn failures_and_bad_commands_are_values() {
        let mut negotiated = Negotiated::default();
        let mut server = connection_new(&settings(true), &mut negotiated);
        assert!(!server.ping(&[0; 126]));
        assert!(!server.error_string().is_empty());
        assert!(!server.close(70_000, b""));
        assert!(!server.close(1000, b"\xff"));
        assert!(server.ping(b""));
        assert!(server.error_string().is_empty());
        server.receive_data(b"\x81\x05Hello"); // unmasked: 1002
        let mut event = empty_event();
        assert!(server.next_event(&mut event));
        assert!(event.kind == EventKind::Error);
        assert_eq!(event.close_code, 1002);
        assert!(server.state() != ConnectionState::Open);
    }

    #[test]
    fn queued_masking_keys_come_first() {
        let mut negotiated = Negotiated::default();
        let mut client = connection_new(&settings(false), &mut negotiated);
        client.queue_masking_keys(&[0x0102_0304]);
        assert_eq!(client.queued_masking_keys(), 1);
        assert!(client.ping(b""));
        assert!(client.ping(b""));
        assert_eq!(client.queued_masking_keys(), 0);
        assert_eq!(
            client.outgoing(),
            [0x89, 0x80, 1, 2, 3, 4, 0x89, 0x80, 0x37, 0xfa, 0x21, 0x3d]
        );
    }

    #[test]
    fn direct_input_goes_into_the_message_buffer() {
        let mut negotiated = Negotiated::default();
        let mut client = connection_new(&settings(false), &mut negotiated);
        let mut server = connection_new(&settings(true), &mut negotiated);
        let payload: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        assert!(client.send_message(true, &payload, true));
        let wire = client.outgoing().to_vec();
        let mut len = 0;
        assert!(server.input_buffer(&mut len).is_null()); // before the frame header
        assert_eq!(len, 0);
        // SAFETY: nothing is lent: refused without touching memory.
        assert!(!unsafe { server.commit_input(1) });
        let mut at = server.receive_data_until_event(&wire[..4096]);
        let mut event = empty_event();
        while at < wire.len() {
            let space = server.input_buffer(&mut len);
            if space.is_null() {
                at += server.receive_data_until_event(&wire[at..]);
                continue;
            }
            assert!(len > 0 && len <= wire.len() - at);
            let n = len.min(10_000);
            // SAFETY: `space` has room for `len` >= n bytes.
            unsafe { std::ptr::copy_nonoverlapping(wire[at..].as_ptr(), space, n) };
            // SAFETY: n bytes were written, nothing came in between.
            assert!(unsafe { server.commit_input(n) });
            // SAFETY: the space was used up by the commit.
            assert!(!unsafe { server.commit_input(n) });
            at += n;
        }
        assert!(server.next_event(&mut event));
        assert!(event.kind == EventKind::Binary);
        assert!(event.data == payload);
    }

    #[test]
    fn deadlines_round_trip() {
        let mut negotiated = Negotiated::default();
        let mut s = settings(false);
        s.keepalive_interval_ms = 1000;
        let mut client = connection_new(&s, &mut negotiated);
        let due = client.next_timeout_ns();
        assert!(due > 0);
        client.handle_timeout_ns(due as u64 - 1);
        assert!(client.outgoing().is_empty());
        client.handle_timeout_ns(due as u64);
        assert_eq!(client.outgoing()[0], 0x89);
    }
}
