// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! [`WebSocket`]: a [`Connection`] driven over any `AsyncRead + AsyncWrite` stream.
//!
//! The transport only moves bytes and time: reads go into the engine from one reused buffer
//! ([`Connection::receive_data_until_event`], so each message is answered before the next frame
//! is read), or straight into the message buffer inside a large frame's payload
//! ([`Connection::input_buffer`], one copy less); everything the engine queues is written with
//! one vectored write when it is several chunks (an owned send's payload is a chunk of its own,
//! [`Connection::outgoing_slices`]), and the engine's [`Connection::poll_timeout`] arms one tokio
//! timer. Every protocol decision is the engine's.
//!
//! Fairness: a connection whose peer keeps its socket full would otherwise read and answer
//! for as long as tokio's cooperative budget lasts; after [`READ_BUDGET`] bytes read in one go
//! it yields to the other tasks instead (and is woken again at once).
//!
//! Memory while writes are blocked (a peer that does not read): reading goes on, but only
//! until the engine has an event, which waits for the application to take it with `recv`;
//! so what is held is one read buffer, the events of one input, the engine's one automatic
//! Pong (a later Ping replaces an unwritten one) and what the application itself queued.
//!
//! Failures: before `recv` returns an error for a failed connection, it writes out the Close
//! the engine queued for it (waiting at most the close timeout for a peer that does not
//! read), so an application that stops at its first error still tells the peer why.
//!
//! Writes are batched: [`WebSocket::send`] only queues while received messages are still
//! waiting to be handed out, so an application answering a burst of messages writes all its
//! answers with one syscall (when [`WebSocket::recv`] next needs input, or at the last
//! message of the burst).

use std::future::{poll_fn, Future};
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Instant;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Sleep;

use super::error::{Error, Result};
use super::message::{CloseFrame, Message};
use crate::connection::{Connection, State};
use crate::event::Event;
use crate::handshake::server::Request;
use crate::handshake::Headers;
use crate::message::MessageKind;

/// Bytes read from the transport at a time (one buffer, reused for the whole connection).
pub const READ_BUFFER_SIZE: usize = 64 * 1024;

/// [`WebSocket::feed`] writes out the queue once it holds this many bytes.
pub const WRITE_HIGH_WATER: usize = 64 * 1024;

/// Bytes a [`WebSocket`] reads before it lets other tasks run (see the module documentation).
pub const READ_BUDGET: usize = 256 * 1024;

/// After a message of at least [`LARGE_MESSAGE`] bytes, reads into the read buffer take at
/// most this much: enough for the next frame's header (and whatever small frames come with
/// it), while a large frame's payload is left to a direct read into the message buffer. A
/// 64 KiB read would instead take most of the next large frame into the read buffer, to be
/// copied from there.
const HEADER_READ: usize = 4 * 1024;

/// See [`HEADER_READ`].
const LARGE_MESSAGE: usize = 32 * 1024;

/// At most this many chunks go into one vectored write.
const MAX_WRITE_SLICES: usize = 64;

/// What the opening handshake told about the peer.
#[derive(Debug, Clone, Default)]
pub(crate) struct HandshakeInfo {
    pub(crate) protocol: Option<String>,
    pub(crate) request: Option<Request>,
    pub(crate) response_headers: Headers,
}

/// An open WebSocket over the stream `S` (a `TcpStream`, a TLS stream, `tokio::io::duplex`, …).
///
/// Receive with [`WebSocket::recv`] and keep calling it for as long as the connection lives:
/// it also writes what is queued, answers pings, runs the keepalive and close timers, and
/// finishes the close handshake. It returns `None` once the connection is over and the
/// transport was shut down. `recv` is cancel safe (it can be a branch of `tokio::select!`).
pub struct WebSocket<S> {
    stream: S,
    conn: Connection,
    read_buf: Box<[u8]>,
    /// `read_buf[read_pos..read_end]` was read but not given to the engine yet: it takes input
    /// only up to the next event, so each message is handed out (and answered) before the
    /// engine reads what follows it.
    read_pos: usize,
    read_end: usize,
    /// Bytes read since this connection last let other tasks run.
    read_since_yield: usize,
    /// The last message handed out was large: read headers with small reads (see
    /// [`HEADER_READ`]).
    large_messages: bool,
    /// Something was written since the stream was last flushed.
    needs_flush: bool,
    read_eof: bool,
    /// The transport is shut down or broken: nothing more will be read or written.
    finished: bool,
    /// An error (or the end without a Close) was already returned to the application.
    error_reported: bool,
    timer: Option<Pin<Box<Sleep>>>,
    /// Bounds the wait for the last bytes once the connection is closed.
    last_write_timer: Option<Pin<Box<Sleep>>>,
    /// A failure waiting for the Close it caused to be written before `recv` returns it.
    failure: Option<Event>,
    info: HandshakeInfo,
}

impl<S> std::fmt::Debug for WebSocket<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebSocket")
            .field("connection", &self.conn)
            .field("protocol", &self.info.protocol)
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

impl<S> WebSocket<S>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    /// Wraps a stream whose opening handshake is already done, with `conn` in
    /// [`State::Open`]. `read_buf` is reused for reads; `read_buf[unread]` came after the
    /// handshake and belongs to the connection.
    pub(crate) fn from_parts(
        stream: S,
        conn: Connection,
        read_buf: Box<[u8]>,
        unread: std::ops::Range<usize>,
        info: HandshakeInfo,
    ) -> Self {
        WebSocket {
            stream,
            conn,
            read_buf,
            read_pos: unread.start,
            read_end: unread.end,
            read_since_yield: 0,
            large_messages: false,
            needs_flush: false,
            read_eof: false,
            finished: false,
            error_reported: false,
            timer: None,
            last_write_timer: None,
            failure: None,
            info,
        }
    }

    /// Wraps a stream on which a WebSocket connection is already open (the handshake was
    /// done elsewhere); `conn` is the engine for it, e.g. `Connection::new(role, config)`.
    pub fn from_connection(stream: S, conn: Connection) -> Self {
        let buf = vec![0u8; READ_BUFFER_SIZE].into_boxed_slice();
        Self::from_parts(stream, conn, buf, 0..0, HandshakeInfo::default())
    }

    /// The next message: `Some(Ok(_))` for a message, a Ping or a Pong, and the peer's
    /// [`Message::Close`]; `Some(Err(_))` once if the connection failed (the Close with the
    /// error's code is sent by the engine) or the transport ended without a Close; `None` once
    /// the connection is over and the transport shut down.
    pub async fn recv(&mut self) -> Option<Result<Message>> {
        poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// Queues `message` and writes the queue out, unless received data is still waiting to be
    /// handed out by [`WebSocket::recv`]: then the write waits for the next `recv` that needs
    /// to read (or [`WebSocket::flush`]), so the answers to a burst go out together. The
    /// buffer of a text or binary message is kept for reuse by later incoming messages.
    pub async fn send(&mut self, message: Message) -> Result<()> {
        self.queue(message)?;
        self.flush_unless_busy().await
    }

    /// Queues `message` without writing, unless the queue holds [`WRITE_HIGH_WATER`] bytes or
    /// more: then it writes the queue out first. Call [`WebSocket::flush`] (or `recv`) after a
    /// batch.
    pub async fn feed(&mut self, message: Message) -> Result<()> {
        self.queue(message)?;
        if self.pending() >= WRITE_HIGH_WATER {
            self.flush().await?;
        }
        Ok(())
    }

    /// Sends a text message (see [`WebSocket::send`] for when it is written).
    pub async fn send_text(&mut self, text: &str) -> Result<()> {
        self.conn.send_text(text)?;
        self.flush_unless_busy().await
    }

    /// Sends a binary message (see [`WebSocket::send`] for when it is written).
    pub async fn send_binary(&mut self, data: &[u8]) -> Result<()> {
        self.conn.send_binary(data)?;
        self.flush_unless_busy().await
    }

    /// Sends a Ping (at most 125 bytes) and writes it out.
    pub async fn ping(&mut self, payload: &[u8]) -> Result<()> {
        self.conn.send_ping(payload)?;
        self.flush().await
    }

    /// Sends a Pong (at most 125 bytes, e.g. an unsolicited heartbeat) and writes it out.
    pub async fn pong(&mut self, payload: &[u8]) -> Result<()> {
        self.conn.send_pong(payload)?;
        self.flush().await
    }

    /// Starts the close handshake: sends a Close with `code` (1000–1003, 1007–1014,
    /// 3000–4999) and `reason` (at most 123 bytes) and writes it out. Keep calling
    /// [`WebSocket::recv`] until it returns `None` to finish the handshake (it yields the
    /// peer's Close on the way); the close timeout of the configuration bounds the wait.
    pub async fn close(&mut self, code: u16, reason: &str) -> Result<()> {
        self.conn.close(code, reason)?;
        self.flush().await
    }

    /// Writes everything queued and flushes the stream. While the stream is not writable it
    /// keeps reading (into the engine, nothing is lost) until a message is waiting, so two
    /// peers writing large messages to each other do not block each other.
    pub async fn flush(&mut self) -> Result<()> {
        poll_fn(|cx| self.poll_flush_out(cx)).await
    }

    /// The subprotocol the handshake agreed on.
    pub fn protocol(&self) -> Option<&str> {
        self.info.protocol.as_deref()
    }

    /// Server side: the client's upgrade request (resource, origin, headers, offers).
    pub fn request(&self) -> Option<&Request> {
        self.info.request.as_ref()
    }

    /// Client side: the headers of the server's `101` response.
    pub fn response_headers(&self) -> &Headers {
        &self.info.response_headers
    }

    /// The state of the connection.
    pub fn state(&self) -> State {
        self.conn.state()
    }

    /// The engine, for settings and details (close code and reason, extensions, limits).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// The engine, mutably (e.g. `set_config`, `set_mask_generator`). Bytes it queues are
    /// written by the next `recv`, `send` or `flush`.
    pub fn connection_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// The underlying stream.
    pub fn get_ref(&self) -> &S {
        &self.stream
    }

    /// The underlying stream, mutably (reading or writing it directly corrupts the
    /// connection).
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.stream
    }

    /// Gives back the stream, dropping whatever was not written yet.
    pub fn into_inner(self) -> S {
        self.stream
    }

    /// Number of queued bytes not written yet.
    pub fn pending(&self) -> usize {
        self.conn.outgoing_len()
    }

    /// Hands `message` to the engine. A text or binary message's buffer is moved into the
    /// outgoing queue (a large one is written from there without a copy) or recycled for later
    /// incoming messages.
    pub(crate) fn queue(&mut self, message: Message) -> Result<()> {
        match message {
            Message::Text(s) => self.conn.send_text_owned(s)?,
            Message::Binary(v) => self.conn.send_binary_owned(v)?,
            Message::TextFrame { data, is_last } => {
                self.send_piece(MessageKind::Text, data.as_bytes(), is_last)?;
                self.conn.recycle_buffer(data.into_bytes());
            }
            Message::BinaryFrame { data, is_last } => {
                self.send_piece(MessageKind::Binary, &data, is_last)?;
                self.conn.recycle_buffer(data);
            }
            Message::Ping(p) => self.conn.send_ping(&p)?,
            Message::Pong(p) => self.conn.send_pong(&p)?,
            Message::Close(None) => self.conn.close(1000u16, "")?,
            Message::Close(Some(c)) => self.conn.close(c.code, &c.reason)?,
        }
        Ok(())
    }

    /// One piece of a streamed message: starts it if needed.
    fn send_piece(
        &mut self,
        kind: MessageKind,
        data: &[u8],
        is_last: bool,
    ) -> Result<(), crate::Error> {
        if self.conn.outgoing_message().is_none() {
            self.conn.begin_message(kind, true)?;
        }
        if is_last {
            self.conn.finish_message(data)
        } else {
            self.conn.continue_message(data)
        }
    }

    /// True while received data waits to be handed out (events, or input the engine has not
    /// taken yet).
    fn input_waiting(&self) -> bool {
        self.conn.has_events() || self.read_pos < self.read_end
    }

    /// Flushes unless more received data waits (the next `recv` writes then).
    async fn flush_unless_busy(&mut self) -> Result<()> {
        if !self.input_waiting() || self.pending() >= WRITE_HIGH_WATER {
            self.flush().await?;
        }
        Ok(())
    }

    /// The transport broke: nothing more goes through it.
    fn broken(&mut self, e: io::Error) -> Error {
        self.finished = true;
        self.error_reported = true;
        self.conn.receive_eof();
        Error::Io(e)
    }

    /// Turns the next engine event into what `recv` returns; `None` when it is swallowed.
    fn map_event(&mut self, event: Event) -> Option<Result<Message>> {
        match Message::from_event(event) {
            Ok(message) => {
                if message.is_data() {
                    self.large_messages = message.as_bytes().len() >= LARGE_MESSAGE;
                }
                Some(Ok(message))
            }
            Err(Event::Failed(e)) => {
                self.error_reported = true;
                Some(Err(Error::Protocol(e)))
            }
            Err(Event::Close { code, reason }) => {
                if code == crate::CloseCode::AbnormalDisconnection.value() {
                    if self.error_reported {
                        return None;
                    }
                    self.error_reported = true;
                    return Some(Err(Error::AbnormalClosure));
                }
                Some(Ok(Message::Close(Some(CloseFrame { code, reason }))))
            }
            Err(_) => None,
        }
    }

    /// The body of [`WebSocket::recv`].
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Message>>> {
        loop {
            // (A held failure is checked before it is taken: most calls have none.)
            let event = if self.failure.is_some() {
                self.failure.take()
            } else {
                self.next_buffered_event()
            };
            if let Some(event) = event {
                if matches!(event, Event::Failed(_)) && !self.poll_close_out(cx) {
                    self.failure = Some(event);
                    return Poll::Pending;
                }
                match self.map_event(event) {
                    Some(item) => {
                        if matches!(item, Ok(Message::Ping(_))) {
                            self.try_write_pong(cx);
                        }
                        return Poll::Ready(Some(item));
                    }
                    None => continue,
                }
            }
            if self.finished {
                return Poll::Ready(None);
            }
            let writing = match self.poll_write_out(cx) {
                Poll::Ready(Ok(())) => false,
                Poll::Ready(Err(e)) => return Poll::Ready(Some(Err(self.broken(e)))),
                Poll::Pending => true,
            };
            if self.conn.should_close_transport() {
                if writing {
                    // A peer that stops reading cannot hold the connection forever: the last
                    // bytes get the close timeout to go out.
                    if self.poll_last_write_timeout(cx) {
                        self.finished = true;
                        continue;
                    }
                    return Poll::Pending;
                }
                // Shut down our sending side; errors here change nothing for the application.
                let _ = ready!(Pin::new(&mut self.stream).poll_shutdown(cx));
                self.finished = true;
                continue;
            }
            if self.poll_timer(cx) {
                continue;
            }
            if self.read_eof {
                return Poll::Pending;
            }
            if self.read_since_yield >= READ_BUDGET {
                // Let the other connections on this thread run; come back at once.
                self.read_since_yield = 0;
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            match self.poll_read_into_engine(cx) {
                Poll::Ready(Ok(())) => continue,
                Poll::Ready(Err(e)) => return Poll::Ready(Some(Err(self.broken(e)))),
                Poll::Pending => return Poll::Pending,
            }
        }
    }

    /// A Ping was handed out: try to write its Pong now, before the engine reads the next
    /// frame, since a later Ping replaces a Pong that is still queued (so each Ping of a
    /// burst gets its answer while the peer reads). A write that would block or fails is
    /// left to the next `recv`, which tries again.
    fn try_write_pong(&mut self, cx: &mut Context<'_>) {
        if !self.finished && self.conn.outgoing_len() > 0 {
            let _ = self.poll_write_out(cx);
        }
    }

    /// Before a failure goes to the application: writes out what the engine queued (the Close
    /// with the error's code), since an application commonly stops calling `recv` at its
    /// first error and drops the socket. False while the write waits for a peer that does not
    /// read; the close timeout bounds that wait (then, or when the write fails, the failure
    /// is returned with the Close unwritten).
    fn poll_close_out(&mut self, cx: &mut Context<'_>) -> bool {
        if self.finished || self.conn.outgoing_len() == 0 {
            return true;
        }
        match self.poll_write_out(cx) {
            Poll::Ready(Ok(())) => true,
            Poll::Ready(Err(_)) => {
                // The failure is what the application hears about; the transport is done.
                self.finished = true;
                true
            }
            Poll::Pending => self.poll_last_write_timeout(cx),
        }
    }

    /// The engine's next event, reading buffered input up to it when none is waiting; `None`
    /// once the buffered input is all read (or there is none) without one.
    #[inline]
    fn next_buffered_event(&mut self) -> Option<Event> {
        if self.read_pos == self.read_end {
            return self.conn.next_event();
        }
        let (used, event) = self
            .conn
            .receive_next_event(&self.read_buf[self.read_pos..self.read_end]);
        self.consume_read(used);
        event
    }

    /// Gives the input just read to the engine up to its next event (so that a blocked
    /// flush, which reads only while nothing waits, keeps reading through a large message).
    fn feed_engine(&mut self) {
        let used = self
            .conn
            .receive_data_until_event(&self.read_buf[self.read_pos..self.read_end]);
        // The engine always takes something unless an event waits.
        debug_assert!(used > 0 || self.conn.has_events());
        self.consume_read(used);
    }

    /// `used` bytes of the buffered input went to the engine (the buffer restarts once all
    /// of it did).
    #[inline]
    fn consume_read(&mut self, used: usize) {
        self.read_pos += used;
        if self.read_pos == self.read_end {
            self.read_pos = 0;
            self.read_end = 0;
        }
    }

    /// One read from the stream (end of stream included), given to the engine up to its next
    /// event: straight into the message buffer when the engine offers room there, else into
    /// the read buffer. Only called when no input is buffered.
    fn poll_read_into_engine(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some(space) = self.conn.input_buffer() {
            let mut buf = ReadBuf::uninit(space);
            let n = ready!(poll_read_counted(
                &mut self.stream,
                &mut self.read_since_yield,
                cx,
                &mut buf
            ))?;
            if n == 0 {
                self.read_eof = true;
                self.conn.receive_eof();
            } else {
                // SAFETY: `ReadBuf` counts only bytes the read initialized, and nothing else
                // touched the connection since `input_buffer`.
                unsafe { self.conn.commit_input(n) };
            }
            return Poll::Ready(Ok(()));
        }
        let limit = if self.large_messages {
            HEADER_READ
        } else {
            self.read_buf.len()
        };
        let mut buf = ReadBuf::new(&mut self.read_buf[..limit]);
        let n = ready!(poll_read_counted(
            &mut self.stream,
            &mut self.read_since_yield,
            cx,
            &mut buf
        ))?;
        if n == 0 {
            self.read_eof = true;
            self.conn.receive_eof();
        } else {
            self.read_pos = 0;
            self.read_end = n;
            self.feed_engine();
        }
        Poll::Ready(Ok(()))
    }

    /// Once the connection is closed and its last bytes wait for a peer that does not read:
    /// true when the close timeout (from the first wait) expired.
    fn poll_last_write_timeout(&mut self, cx: &mut Context<'_>) -> bool {
        let Some(limit) = self.conn.config().close_timeout else {
            return false;
        };
        let timer = self
            .last_write_timer
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        timer.as_mut().poll(cx).is_ready()
    }

    /// Arms the timer for the engine's next deadline; returns true when it expired and the
    /// engine was told the time.
    fn poll_timer(&mut self, cx: &mut Context<'_>) -> bool {
        let Some(deadline) = self.conn.poll_timeout() else {
            self.timer = None;
            return false;
        };
        let at = tokio::time::Instant::from_std(deadline);
        let timer = match &mut self.timer {
            Some(t) => {
                if t.deadline() != at {
                    t.as_mut().reset(at);
                }
                t
            }
            None => self.timer.insert(Box::pin(tokio::time::sleep_until(at))),
        };
        if timer.as_mut().poll(cx).is_pending() {
            return false;
        }
        // The tokio clock says the deadline passed; the engine compares with the std clock,
        // which may lag (or be frozen in tests with a paused tokio clock).
        self.conn.handle_timeout(Instant::now().max(deadline));
        true
    }

    /// Writes the queue out (written bytes are consumed at once: the engine moves no bytes
    /// for that) and flushes the stream.
    fn poll_write_out(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let vectored = self.stream.is_write_vectored();
        while self.conn.outgoing_len() > 0 {
            let stream = Pin::new(&mut self.stream);
            let written = if vectored && self.conn.outgoing().len() < self.conn.outgoing_len() {
                let mut slices = [io::IoSlice::new(&[]); MAX_WRITE_SLICES];
                let n = self.conn.outgoing_slices(&mut slices);
                stream.poll_write_vectored(cx, &slices[..n])
            } else {
                stream.poll_write(cx, self.conn.outgoing())
            };
            match written {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => {
                    self.conn.consume_outgoing(n);
                    self.needs_flush = true;
                }
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        if self.needs_flush {
            ready!(Pin::new(&mut self.stream).poll_flush(cx))?;
            self.needs_flush = false;
        }
        Poll::Ready(Ok(()))
    }

    /// The body of [`WebSocket::flush`].
    pub(crate) fn poll_flush_out(&mut self, cx: &mut Context<'_>) -> Poll<Result<()>> {
        if self.finished {
            return Poll::Ready(Err(Error::Io(io::ErrorKind::NotConnected.into())));
        }
        loop {
            match self.poll_write_out(cx) {
                Poll::Ready(Ok(())) => return Poll::Ready(Ok(())),
                Poll::Ready(Err(e)) => return Poll::Ready(Err(self.broken(e))),
                Poll::Pending => {}
            }
            let can_read = !self.read_eof && !self.input_waiting() && !self.conn.is_closed();
            if !can_read {
                return Poll::Pending;
            }
            match self.poll_read_into_engine(cx) {
                Poll::Ready(Ok(())) => continue,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(self.broken(e))),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

/// One read from `stream` into `buf`: the number of bytes read (0 at the end of the stream),
/// added to `since_yield`, which restarts at 0 whenever the stream has nothing (the task is
/// about to wait anyway, so the fairness budget starts over).
fn poll_read_counted<S: AsyncRead + Unpin>(
    stream: &mut S,
    since_yield: &mut usize,
    cx: &mut Context<'_>,
    buf: &mut ReadBuf<'_>,
) -> Poll<io::Result<usize>> {
    let read = Pin::new(stream).poll_read(cx, buf);
    if read.is_pending() {
        *since_yield = 0;
    }
    ready!(read)?;
    let n = buf.filled().len();
    *since_yield += n;
    Poll::Ready(Ok(n))
}
