// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// RsWebSocketPrivate, part three: moving bytes between the socket and the engine.
//
// Writing: a plain QTcpSocket copies every write() into its write buffer and writes that buffer
// to the kernel on a later event-loop turn. When that buffer is empty, the engine's bytes go to
// the kernel directly (send() on the socket's descriptor): no copy, no wait for the event loop.
// What the kernel does not take stays in the engine; a bounded piece of it goes into the
// socket's buffer so that QTcpSocket watches for writability and reports bytesWritten() once
// it wrote that piece, and the next bytes follow from there.
//
// Several chunks (frame headers, payloads the engine did not copy, frames after them) go in
// one sendmsg().
//
// Reading: QTcpSocket reads everything the kernel has into its own buffer before readyRead(),
// and we copy it out. While large amounts arrive, the socket's read buffer is limited to one
// byte: QTcpSocket still wakes us (and sees the end of the stream and errors as usual), and we
// read the rest from the descriptor ourselves, skipping one copy of every byte. Small reads go
// back to QTcpSocket's buffer, where one system call reads many small messages.
//
// A large one-frame message is read straight into the QByteArray that binaryMessageReceived()
// hands out (RsWebSocketConnection::externalInput()): only the little of it that came with its
// header is copied. After such a message the next read takes only a frame header's worth, so
// that the payload of a large message that follows goes there too.
//
// QTcpSocket still does everything else (end of stream, errors, disconnectFromHost() after its
// buffer). TLS sockets, sockets behind a proxy, subclasses of QTcpSocket and sockets whose
// readBufferSize() the application set go through QTcpSocket only.

#include "rswebsocket_p.h"

#include "rswebsocketslogging_p.h"

#include <QtCore/QMetaMethod>
#include <QtNetwork/QNetworkProxy>
#include <QtNetwork/QNetworkProxyFactory>
#include <QtNetwork/QTcpSocket>
#ifndef QT_NO_SSL
#include <QtNetwork/QSslSocket>
#endif

#include <cstring>
#include <utility>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#endif

namespace {
// The connection's read buffer: at least MinReadSize, and no read larger than MaxReadSize.
constexpr qint64 MinReadSize = 16 * 1024;
constexpr qint64 MaxReadSize = 256 * 1024;
// Reads go around QTcpSocket's buffer after a readyRead() that brought at least
// DirectReadOnSize bytes, and through it again after one that brought less than
// DirectReadOffSize (a stream of small messages).
constexpr qint64 DirectReadOnSize = 64 * 1024;
constexpr qint64 DirectReadOffSize = 8 * 1024;
// Less than this, sent by the application from its own code (not from a slot on our signals),
// waits for the next event-loop turn, where a burst of small messages goes out in one system
// call, as it would from QTcpSocket's write buffer; from our slots it goes once the read is
// handed out (drain()). Either way it goes straight to the kernel: through QTcpSocket's buffer
// a small write costs a copy, a write-notifier round and one more event-loop turn.
constexpr qint64 MinDirectWriteSize = 16 * 1024;
// The largest piece handed to QTcpSocket's buffer when the kernel's buffer is full: it is
// copied once more, and it is what keeps QTcpSocket watching for writability.
constexpr qint64 MaxSocketBufferPiece = 64 * 1024;

// The most chunks of the engine's queue one sendmsg() takes.
constexpr std::size_t MaxWriteChunks = 16;
// A frame header's worth (the longest header: 2 + 8 + 4 bytes).
constexpr qint64 HeaderReadSize = 14;
// While reading around QTcpSocket's buffer, one readyRead() reads at most about this much before
// the other connections get their turn (the socket's notifier calls again for the rest).
constexpr qint64 ReadBudget = 4 * MaxReadSize;

// Bytes sent straight to the kernel from the engine's chunks: > 0 sent, 0 the kernel's buffer is
// full, -1 an error (QTcpSocket will meet it too when it writes, and report it as usual).
qint64 sendDirectly(qintptr descriptor, const RsWebSocketConnection &connection)
{
#ifdef Q_OS_UNIX
    RsWebSocketConnection::OutgoingSlice slices[MaxWriteChunks];
    const std::size_t count = connection.outgoingSlices(slices, MaxWriteChunks);
    iovec vectors[MaxWriteChunks];
    for (std::size_t i = 0; i < count; ++i) {
        vectors[i].iov_base = const_cast<std::uint8_t *>(slices[i].data);
        vectors[i].iov_len = slices[i].size;
    }
    msghdr message{};
    message.msg_iov = vectors;
    message.msg_iovlen = count;
    int flags = MSG_DONTWAIT;
#ifdef MSG_NOSIGNAL
    flags |= MSG_NOSIGNAL; // a closed peer is an error value, not SIGPIPE
#endif
    for (;;) {
        const ssize_t sent = ::sendmsg(int(descriptor), &message, flags);
        if (sent >= 0)
            return qint64(sent);
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        return -1;
    }
#else
    Q_UNUSED(descriptor);
    Q_UNUSED(connection);
    return -1;
#endif
}

// Bytes read straight from the kernel into `data`, then (once `data` is full) into `tail` if
// given: the rest of a message and what follows it (the next frame's header) in one call.
// > 0 read, 0 nothing now, the end of the stream or an error (QTcpSocket meets those on its next
// read and reports them as usual).
qint64 receiveDirectly(qintptr descriptor, char *data, qint64 size, char *tail = nullptr,
                       qint64 tailSize = 0)
{
#ifdef Q_OS_UNIX
    iovec vectors[2];
    vectors[0].iov_base = data;
    vectors[0].iov_len = size_t(size);
    vectors[1].iov_base = tail;
    vectors[1].iov_len = size_t(tailSize);
    msghdr message{};
    message.msg_iov = vectors;
    message.msg_iovlen = tail && tailSize > 0 ? 2 : 1;
    for (;;) {
        const ssize_t got = ::recvmsg(int(descriptor), &message, MSG_DONTWAIT);
        if (got >= 0)
            return qint64(got);
        if (errno != EINTR)
            return 0;
    }
#else
    Q_UNUSED(descriptor);
    Q_UNUSED(data);
    Q_UNUSED(size);
    Q_UNUSED(tail);
    Q_UNUSED(tailSize);
    return 0;
#endif
}
} // namespace

bool RsWebSocketPrivate::readIntoEngine()
{
    QPointer<RsWebSocket> guard(q_func());
    qint64 total = 0;
    // While large amounts arrive, the first read takes a frame header's worth: a large message
    // that starts there goes external (a full-size read would take it, and the messages after
    // it, through the engine's buffer: two copies each).
    if (m_directRead)
        m_headerReadNext = true;
    // Reading around QTcpSocket's buffer, stop once the kernel had nothing more (`drained`) or
    // this wakeup read its budget: what is left makes the socket's notifier call again.
    // (Through QTcpSocket's buffer, the loop goes on while it holds bytes.)
    const auto readEnough = [this, &total](bool drained) {
        return m_directRead && m_socket && m_socket->bytesAvailable() == 0
                && (drained || total >= ReadBudget);
    };
    for (;;) {
        if (!m_connection || !m_socket)
            break;
        const qint64 buffered = m_socket->bytesAvailable();
        if (buffered <= 0 && !m_directRead)
            break;
        RsWebSocketConnection::ExternalMessage external;
        if (m_connection->externalInput(external)) {
            bool drained = true;
            const qint64 got = readExternal(external, buffered, &drained);
            if (got < 0)
                return false;
            if (got == 0)
                break;
            total += got;
            if (readEnough(drained))
                break;
            continue;
        }
        m_externalActive = false; // a failure ended it, if one was being read
        std::uint8_t *space = nullptr;
        if (const qint64 room = qint64(m_connection->inputBuffer(&space))) {
            // Inside a large frame's payload: read straight into the engine's message buffer.
            bool drained = true;
            const qint64 got = readSome(reinterpret_cast<char *>(space), room, buffered, &drained);
            if (got == 0)
                break;
            total += got;
            m_connection->commitInput(std::size_t(got));
            m_reading = true;
            const bool alive = drain();
            if (!guard || !alive)
                return false;
            m_reading = false;
            if (readEnough(drained))
                break;
            continue;
        }
        qint64 capacity = m_directRead ? MaxReadSize : qBound(MinReadSize, buffered, MaxReadSize);
        if (std::exchange(m_headerReadNext, false))
            capacity = HeaderReadSize;
        if (m_readBuffer.size() < capacity)
            m_readBuffer.resize(capacity);
        char *buffer = m_readBuffer.data();
        bool drained = true;
        const qint64 got = readSome(buffer, capacity, buffered, &drained);
        if (got == 0)
            break;
        total += got;
        m_reading = true;
        const bool alive = feed(buffer, std::size_t(got));
        if (!guard || !alive)
            return false;
        m_reading = false;
        // Bytes that arrive while our slots run get no readyRead() of their own (and QTcpSocket
        // reads what came during a nested event loop into its buffer): read on until nothing
        // is left.
        if (readEnough(drained))
            break;
    }
    if (std::exchange(m_writeAfterRead, false) && m_connection) {
        // The answers to the messages read externally go out together.
        m_reading = true;
        const bool alive = drain();
        if (!guard || !alive)
            return false;
        m_reading = false;
    }
    adaptDirectRead(total);
    return true;
}

qint64 RsWebSocketPrivate::readExternal(const RsWebSocketConnection::ExternalMessage &message,
                                        qint64 buffered, bool *drained)
{
    const auto size = qsizetype(message.size);
    if (!m_externalActive) {
        // One allocation per message at most: the array handed out last time when no slot kept
        // it (binary), the text buffer otherwise (text is handed out as a QString).
        QByteArray &kept = message.type == RsWebSocketConnection::MessageType::Binary
                ? m_deliveredBytes
                : m_externalText;
        const bool reuse = !m_delivering && kept.isDetached() && kept.capacity() >= size
                && kept.capacity() / 4 <= size;
        m_externalMessage = reuse ? std::exchange(kept, QByteArray()) : QByteArray();
        m_externalMessage.resize(size);
        const std::string_view prefix = m_connection->externalPrefix();
        if (!prefix.empty())
            std::memcpy(m_externalMessage.data(), prefix.data(), prefix.size());
        auto *start = reinterpret_cast<std::uint8_t *>(m_externalMessage.data());
        m_connection->commitExternal(start + prefix.size(), 0); // the engine drops its prefix
        m_externalActive = true;
        m_externalIsText = message.type == RsWebSocketConnection::MessageType::Text;
    }
    const auto at = qsizetype(message.received);
    char *data = m_externalMessage.data() + at;
    const qint64 room = size - at;
    char next[HeaderReadSize]; // the next frame's header, read with the rest of this message
    qint64 extra = 0;
    qint64 got = 0;
    if (buffered <= 0 && m_directRead && m_directIo
        && m_socket->state() == QAbstractSocket::ConnectedState) {
        const qint64 descriptor = m_socket->socketDescriptor();
        got = descriptor >= 0 ? receiveDirectly(qintptr(descriptor), data, room, next, HeaderReadSize)
                              : 0;
        extra = qMax<qint64>(0, got - room);
        got -= extra;
        *drained = got + extra < room + HeaderReadSize;
    } else {
        got = readSome(data, room, buffered, drained);
    }
    if (got == 0)
        return 0;
    const auto result = m_connection->commitExternal(reinterpret_cast<std::uint8_t *>(data),
                                                     std::size_t(got));
    QPointer<RsWebSocket> guard(q_func());
    m_reading = true;
    bool alive = true;
    RsWebSocketConnection::ExternalMessage still;
    if (result == RsWebSocketConnection::ExternalResult::Complete) {
        m_externalActive = false;
        m_headerReadNext = extra == 0;
        alive = deliverExternal();
        if (alive && guard && m_connection && extra > 0) {
            // The next frame's header (and perhaps a small message): usually no event, and the
            // frame's payload goes external next.
            const std::size_t used = m_connection->receiveDataUntilEvent(next, std::size_t(extra));
            alive = processEvents(false);
            if (alive && guard && m_connection && used < std::size_t(extra))
                alive = feed(next + used, std::size_t(extra) - used);
        }
    } else if (result != RsWebSocketConnection::ExternalResult::Incomplete
               || !m_connection->externalInput(still)) {
        m_externalActive = false; // failed (an Error event) or refused
        m_externalMessage = QByteArray();
        alive = drain();
    }
    if (!guard || !alive)
        return -1;
    m_reading = false;
    return got;
}

bool RsWebSocketPrivate::deliverExternal()
{
    Q_Q(RsWebSocket);
    static const QMetaMethod textFrameSignal = QMetaMethod::fromSignal(&RsWebSocket::textFrameReceived);
    static const QMetaMethod binaryFrameSignal =
            QMetaMethod::fromSignal(&RsWebSocket::binaryFrameReceived);
    QPointer<RsWebSocket> guard(q);
    QByteArray message = std::exchange(m_externalMessage, QByteArray());
    const std::string_view view(message.constData(), std::size_t(message.size()));
    // The frame is the whole message: its frame signal (isLast), then the message signal, as
    // deliverFrame() does for a one-frame message.
    ++m_eventDepth;
    if (m_externalIsText) {
        if (q->isSignalConnected(textFrameSignal)) {
            QStringDecoder decoder(QStringDecoder::Utf8); // as deliverFrame() decodes frames
            const QString frame = decoder.decode(message);
            Q_EMIT q->textFrameReceived(frame, true);
        }
        if (guard)
            emitTextMessage(view, guard);
        if (guard)
            m_externalText = std::move(message);
    } else {
        if (q->isSignalConnected(binaryFrameSignal))
            Q_EMIT q->binaryFrameReceived(message, true);
        if (guard) {
            if (m_delivering) {
                Q_EMIT q->binaryMessageReceived(message); // nested: the outer one keeps its own
            } else {
                m_deliveredBytes = std::move(message);
                m_delivering = true;
                Q_EMIT q->binaryMessageReceived(m_deliveredBytes);
                if (guard)
                    m_delivering = false;
            }
        }
    }
    if (!guard)
        return false;
    --m_eventDepth;
    m_writeAfterRead = true; // what the slots sent goes out once this read is done
    return true;
}

// Up to `size` bytes into `data`: first what QTcpSocket has buffered (`buffered` bytes), then,
// while reading around its buffer, more straight from the descriptor. *drained is false when
// the read filled `data` (more may be waiting).
qint64 RsWebSocketPrivate::readSome(char *data, qint64 size, qint64 buffered, bool *drained)
{
    qint64 got = buffered > 0 ? qMax<qint64>(0, m_socket->read(data, qMin(buffered, size))) : 0;
    *drained = true;
    if (m_directRead && got < size) {
        const qint64 more = receiveAround(data + got, size - got);
        *drained = got + more < size;
        got += more;
    }
    return got;
}

qint64 RsWebSocketPrivate::receiveAround(char *data, qint64 size)
{
    if (!m_directIo || !m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return 0;
    const qint64 descriptor = m_socket->socketDescriptor();
    return descriptor >= 0 ? receiveDirectly(qintptr(descriptor), data, size) : 0;
}

void RsWebSocketPrivate::adaptDirectRead(qint64 lastRead)
{
    if (!m_socket)
        return;
    bool direct = m_directRead;
    if (!m_directIo || m_readBufferSize != 0)
        direct = false;
    else if (lastRead >= DirectReadOnSize)
        direct = true;
    else if (lastRead < DirectReadOffSize)
        direct = false;
    if (direct == m_directRead)
        return;
    m_directRead = direct;
    // One byte: QTcpSocket reads one byte of what arrived and wakes us; we read the rest.
    m_socket->setReadBufferSize(direct ? 1 : m_readBufferSize);
}

bool RsWebSocketPrivate::canUseDescriptor(QTcpSocket *socket, bool clientRole) const
{
#ifdef Q_OS_UNIX
    // Only a plain QTcpSocket: a subclass may filter what is written (writeData()).
    if (!socket || socket->metaObject() != &QTcpSocket::staticMetaObject)
        return false;
#ifndef QT_NO_NETWORKPROXY
    if (clientRole) {
        // Through a proxy the descriptor does not carry our bytes as they are.
        QNetworkProxy proxy = m_proxy;
        if (proxy.type() == QNetworkProxy::DefaultProxy) {
            const QUrl url = m_request.url();
            const QList<QNetworkProxy> proxies = QNetworkProxyFactory::proxyForQuery(
                    QNetworkProxyQuery(url.host(), url.port(80), QString(),
                                       QNetworkProxyQuery::TcpSocket));
            proxy = proxies.isEmpty() ? QNetworkProxy() : proxies.first();
        }
        if (proxy.type() != QNetworkProxy::NoProxy)
            return false;
    }
#else
    Q_UNUSED(clientRole);
#endif
    return true;
#else
    Q_UNUSED(socket);
    Q_UNUSED(clientRole);
    return false;
#endif
}

qint64 RsWebSocketPrivate::writeOutgoing(bool everything)
{
    if (!m_connection || !m_socket || !m_socket->isOpen())
        return 0; // aborted: the engine keeps its bytes (and releases them with the connection)
    qint64 direct = 0;
    while (m_connection->outgoingSize() > 0) {
        const char *data = reinterpret_cast<const char *>(m_connection->outgoingData());
        qint64 size = qint64(m_connection->outgoingChunkSize());
        if (m_directIo && !everything) {
            if (m_socket->bytesToWrite() > 0)
                break; // QTcpSocket writes its piece first; onBytesWritten() goes on
            const qint64 descriptor = m_socket->socketDescriptor();
            const qint64 sent = descriptor >= 0 && m_socket->state() == QAbstractSocket::ConnectedState
                    ? sendDirectly(qintptr(descriptor), *m_connection)
                    : -1;
            if (sent > 0) {
                m_connection->consumeOutgoing(std::size_t(sent));
                m_directWritten += sent;
                direct += sent;
                continue;
            }
            if (sent == 0) {
                // The kernel is full: QTcpSocket takes one piece (across chunks, so that a frame
                // header does not go alone and wait for Nagle) and goes on once it wrote it.
                writePiece(MaxSocketBufferPiece);
                break;
            }
            m_directIo = false; // QTcpSocket writes the rest and reports what went wrong
        }
        const qint64 written = m_socket->write(data, size);
        if (written <= 0)
            break; // the socket is gone or closed; the engine keeps the bytes
        m_connection->consumeOutgoing(std::size_t(written));
    }
    if (!m_aboveLowWater && bufferedAmount() > m_lowWaterMark)
        m_aboveLowWater = true;
    reportDirectWrites();
    return direct;
}

bool RsWebSocketPrivate::deferSmallWrite() const
{
    return m_directIo && m_connection && qint64(m_connection->outgoingSize()) < MinDirectWriteSize;
}

void RsWebSocketPrivate::writePiece(qint64 limit)
{
    qint64 piece = 0;
    while (piece < limit && m_connection->outgoingSize() > 0) {
        const qint64 size = qMin(qint64(m_connection->outgoingChunkSize()), limit - piece);
        const qint64 written = m_socket->write(
                reinterpret_cast<const char *>(m_connection->outgoingData()), size);
        if (written <= 0)
            return; // the socket is gone or closed; the engine keeps the bytes
        m_connection->consumeOutgoing(std::size_t(written));
        piece += written;
    }
}

void RsWebSocketPrivate::reportDirectWrites()
{
    // QTcpSocket reports what it wrote with bytesWritten() from its own signal handlers, never
    // from inside write(). Bytes sent directly are reported the same way: when the outermost
    // slot on a socket signal ends (SocketCallbackScope), else on the next event-loop turn.
    Q_Q(RsWebSocket);
    if (m_directWritten == 0 || m_directWriteReportQueued || m_socketCallbackDepth > 0)
        return;
    if (!directWritesWanted()) {
        m_directWritten = 0;
        return;
    }
    m_directWriteReportQueued = true;
    QMetaObject::invokeMethod(
            q,
            [this] {
                m_directWriteReportQueued = false;
                emitDirectWrites();
            },
            Qt::QueuedConnection);
}

bool RsWebSocketPrivate::directWritesWanted() const
{
    // Someone listens to bytesWritten(), or bufferedAmountLow() may be due.
    static const QMetaMethod bytesWrittenSignal = QMetaMethod::fromSignal(&RsWebSocket::bytesWritten);
    return m_aboveLowWater || q_func()->isSignalConnected(bytesWrittenSignal);
}

void RsWebSocketPrivate::emitDirectWrites()
{
    Q_Q(RsWebSocket);
    if (!directWritesWanted()) {
        m_directWritten = 0;
        return;
    }
    QPointer<RsWebSocket> guard(q);
    const qint64 written = std::exchange(m_directWritten, 0);
    if (written > 0)
        Q_EMIT q->bytesWritten(written);
    if (guard)
        checkBufferedAmountLow();
}

void RsWebSocketPrivate::onBytesWritten(qint64 bytes)
{
    Q_Q(RsWebSocket);
    QPointer<RsWebSocket> guard(q);
    Q_EMIT q->bytesWritten(bytes);
    if (!guard)
        return;
    if (m_directIo && m_connection && m_connection->outgoingSize() > 0) {
        // QTcpSocket wrote its piece: the socket is writable again.
        writeOutgoing();
        finishTransport();
    }
    checkBufferedAmountLow();
}

void RsWebSocketPrivate::checkBufferedAmountLow()
{
    Q_Q(RsWebSocket);
    if (!m_aboveLowWater)
        return;
    const qint64 amount = bufferedAmount();
    if (amount <= m_lowWaterMark) {
        m_aboveLowWater = false;
        Q_EMIT q->bufferedAmountLow(amount);
    }
}

void RsWebSocketPrivate::finishTransport()
{
    if (!m_connection || !m_socket)
        return;
    // After a failure (RFC 6455 section 7.1.7) the Close is sent and TCP closed at once.
    if (!m_connection->shouldCloseTransport() && !m_failed)
        return;
    if (m_connection->outgoingSize() > 0) {
        // What the engine still holds goes to QTcpSocket, whose disconnectFromHost() writes its
        // buffer first (bounded by m_transportTimer below for a peer that never reads).
        writeOutgoing(true);
        if (m_connection->outgoingSize() > 0)
            return;
    }
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_timer->stop();
    qCDebug(lcRsWebSockets) << "closing the transport; failed:" << m_failed;
    // disconnectFromHost() writes what is buffered first; a peer that never reads must not
    // keep the socket forever.
    if (m_closeTimeout > 0)
        m_transportTimer->start(m_closeTimeout);
    m_socket->disconnectFromHost();
}
