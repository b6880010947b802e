// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// RsWebSocketPrivate, part two: the socket and the engine. Bytes read from the QTcpSocket go to
// the handshake helper, then to RsWebSocketConnection; its events become RsWebSocket signals,
// its output is written to the socket, and one QTimer follows its next timeout.

#include "rswebsocket_p.h"

#include "rswebsocketslogging_p.h"
#include "rstextcodec_p.h"

#include <QtCore/QMetaMethod>
#include <QtNetwork/QAuthenticator>
#include <QtNetwork/QTcpSocket>
#ifndef QT_NO_SSL
#include <QtNetwork/QSslPreSharedKeyAuthenticator>
#include <QtNetwork/QSslSocket>
#endif

#include <chrono>
#include <cstring>
#include <limits>
#include <utility>

namespace {
constexpr qsizetype MaxHandshakeHeadSize = 100 * 8 * 1024 + 4; // Qt: 100 lines of 8 KiB

QByteArray toByteArray(std::string_view data)
{
    return QByteArray(data.data(), qsizetype(data.size()));
}
} // namespace

namespace {
// Marks "a signal of the socket is being handled" while a slot of ours runs: a user slot may
// delete the RsWebSocket, and the socket must then outlive its own signal emission. When the
// outermost one ends, bytes sent straight to the kernel meanwhile are reported (bytesWritten()),
// as QTcpSocket reports its own writes from its signal handlers.
class SocketCallbackScope
{
public:
    explicit SocketCallbackScope(RsWebSocketPrivate *d) : m_d(d), m_guard(d->q_ptr)
    {
        ++m_d->m_socketCallbackDepth;
    }
    ~SocketCallbackScope()
    {
        if (m_guard && --m_d->m_socketCallbackDepth == 0 && m_d->m_directWritten > 0)
            m_d->emitDirectWrites();
    }
    Q_DISABLE_COPY_MOVE(SocketCallbackScope)

private:
    RsWebSocketPrivate *m_d;
    QPointer<RsWebSocket> m_guard;
};
} // namespace

void RsWebSocketPrivate::attachSocket(QTcpSocket *socket)
{
    Q_Q(RsWebSocket);
    m_socket = socket;
    socket->setParent(q);
    m_directIo = canUseDescriptor(socket, !m_isServer);
    m_directWritten = 0;
    // Every slot on the socket's signals runs inside a SocketCallbackScope.
    auto scoped = [this](auto function) {
        return [this, function](auto &&...args) {
            SocketCallbackScope scope(this);
            function(std::forward<decltype(args)>(args)...);
        };
    };
    QObject::connect(socket, &QAbstractSocket::errorOccurred, q,
                     scoped([this](QAbstractSocket::SocketError error) { onSocketError(error); }));
#ifndef QT_NO_NETWORKPROXY
    QObject::connect(socket, &QAbstractSocket::proxyAuthenticationRequired, q,
                     scoped([this](const QNetworkProxy &proxy, QAuthenticator *authenticator) {
                         Q_EMIT q_func()->proxyAuthenticationRequired(proxy, authenticator);
                     }));
#endif
    QObject::connect(socket, &QAbstractSocket::readChannelFinished, q,
                     scoped([this] { onReadChannelFinished(); }));
    QObject::connect(socket, &QAbstractSocket::stateChanged, q,
                     scoped([this](QAbstractSocket::SocketState state) { onSocketStateChanged(state); }));
    QObject::connect(socket, &QAbstractSocket::connected, q, scoped([this] { onSocketConnected(); }));
    QObject::connect(socket, &QIODevice::readyRead, q, scoped([this] { onReadyRead(); }));
    QObject::connect(socket, &QObject::destroyed, q, [this](QObject *object) {
        if (object == m_socket)
            m_socket = nullptr;
    });
#ifndef QT_NO_SSL
    if (auto *ssl = qobject_cast<QSslSocket *>(socket)) {
        QObject::connect(ssl, &QSslSocket::encryptedBytesWritten, q,
                         scoped([this](qint64 bytes) { onBytesWritten(bytes); }));
        QObject::connect(ssl, &QSslSocket::preSharedKeyAuthenticationRequired, q,
                         scoped([this](QSslPreSharedKeyAuthenticator *authenticator) {
                             Q_EMIT q_func()->preSharedKeyAuthenticationRequired(authenticator);
                         }));
        QObject::connect(ssl, &QSslSocket::sslErrors, q,
                         scoped([this, ssl](const QList<QSslError> &errors) {
                             m_sslConfiguration = ssl->sslConfiguration();
                             // QSslSocket forgets an ignoreSslErrors() made before the
                             // handshake; RsWebSocket keeps it for the whole connection.
                             if (m_ignoreSslErrors)
                                 ssl->ignoreSslErrors();
                             Q_EMIT q_func()->sslErrors(errors);
                         }));
        QObject::connect(ssl, &QSslSocket::encrypted, q,
                         [this, ssl] { m_sslConfiguration = ssl->sslConfiguration(); });
        QObject::connect(ssl, &QSslSocket::peerVerifyError, q,
                         scoped([this](const QSslError &error) {
                             Q_EMIT q_func()->peerVerifyError(error);
                         }));
        QObject::connect(ssl, &QSslSocket::alertSent, q,
                         scoped([this](QSsl::AlertLevel level, QSsl::AlertType type,
                                       const QString &description) {
                             Q_EMIT q_func()->alertSent(level, type, description);
                         }));
        QObject::connect(ssl, &QSslSocket::alertReceived, q,
                         scoped([this](QSsl::AlertLevel level, QSsl::AlertType type,
                                       const QString &description) {
                             Q_EMIT q_func()->alertReceived(level, type, description);
                         }));
        QObject::connect(ssl, &QSslSocket::handshakeInterruptedOnError, q,
                         scoped([this](const QSslError &error) {
                             Q_EMIT q_func()->handshakeInterruptedOnError(error);
                         }));
    } else
#endif
    {
        QObject::connect(socket, &QIODevice::bytesWritten, q,
                         scoped([this](qint64 bytes) { onBytesWritten(bytes); }));
    }
}

void RsWebSocketPrivate::releaseSocket()
{
    Q_Q(RsWebSocket);
    m_timer->stop();
    m_transportTimer->stop();
    QTcpSocket *socket = m_socket;
    m_socket = nullptr;
    m_directIo = false;
    m_directRead = false;
    m_directWritten = 0;
    if (!socket)
        return;
    QObject::disconnect(socket, nullptr, q, nullptr);
    socket->abort();
    if (m_socketCallbackDepth > 0) {
        // We are inside one of the socket's signals: it must outlive the emission.
        socket->setParent(nullptr);
        socket->deleteLater();
    } else {
        delete socket;
    }
}

void RsWebSocketPrivate::onSocketConnected()
{
    if (!m_socket)
        return;
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_socket->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    if (m_handshake && !m_isServer) {
        const std::string &request = m_handshake->request();
        m_socket->write(request.data(), qint64(request.size()));
    }
}

void RsWebSocketPrivate::onSocketStateChanged(QAbstractSocket::SocketState state)
{
    Q_Q(RsWebSocket);
    switch (state) {
    case QAbstractSocket::ClosingState:
        if (m_state == QAbstractSocket::ConnectedState)
            setSocketState(QAbstractSocket::ClosingState);
        break;
    case QAbstractSocket::UnconnectedState:
        if (m_state == QAbstractSocket::UnconnectedState)
            break;
        m_timer->stop();
        m_transportTimer->stop();
        if (m_connection && !m_closeHandshakeDone && !m_closeStarted) {
            // The peer vanished without a Close frame (RFC 6455 section 7.1.5).
            m_closeCode = RsWebSocketProtocol::CloseCodeAbnormalDisconnection;
        }
        m_handshake.reset();
        {
            QPointer<RsWebSocket> guard(q);
            setSocketState(QAbstractSocket::UnconnectedState);
            if (guard)
                Q_EMIT q->disconnected();
        }
        break;
    default:
        break;
    }
}

void RsWebSocketPrivate::onSocketError(QAbstractSocket::SocketError error)
{
    // QTcpSocket may have closed the descriptor already (it reports first, then resets).
    m_directIo = false;
    if (error == QAbstractSocket::RemoteHostClosedError
        && (m_closeHandshakeDone
            || (m_connection && m_connection->state() == RsWebSocketConnection::State::Closed))) {
        return; // the normal end of a closed connection
    }
    setErrorString(m_socket ? m_socket->errorString() : QString());
    emitErrorOccurred(error);
}

void RsWebSocketPrivate::onReadyRead()
{
    if (!m_socket || !m_socket->isReadable())
        return; // aborted: nothing is left to read
    if (m_handshake) {
        processHandshake();
        return;
    }
    if (!m_connection)
        return;
    if (m_reading)
        return; // a slot of ours runs a nested event loop: the outer call reads on after it
    QPointer<RsWebSocket> guard(q_func());
    if (!m_pendingInput.isEmpty()) {
        // Server: the bytes that came with the request head go first.
        const QByteArray leftover = std::exchange(m_pendingInput, QByteArray());
        m_reading = true;
        if (!feed(leftover.constData(), std::size_t(leftover.size())) || !guard)
            return;
        m_reading = false;
    }
    // Read into one buffer kept for the connection (no allocation per read).
    if (!readIntoEngine())
        return;
    if (std::exchange(m_readChannelFinishDeferred, false))
        onReadChannelFinished();
}

void RsWebSocketPrivate::onReadChannelFinished()
{
    Q_Q(RsWebSocket);
    if (m_reading) {
        // The end of the stream came while a slot of ours ran a nested event loop: it follows
        // the bytes the outer onReadyRead() is still handing out.
        m_readChannelFinishDeferred = true;
        return;
    }
    QPointer<RsWebSocket> guard(q);
    onReadyRead(); // whatever is still buffered comes first
    if (!guard)
        return;
    Q_EMIT q->readChannelFinished();
    if (!guard || !m_connection || m_eofReceived)
        return;
    m_eofReceived = true;
    m_connection->receiveEof();
    drain();
}

void RsWebSocketPrivate::processHandshake()
{
    Q_Q(RsWebSocket);
    m_handshakeBuffer += m_socket->readAll();
    RsWebSocketHandshake::ClientResult result =
            m_handshake->verify(m_handshakeBuffer.constData(), std::size_t(m_handshakeBuffer.size()));
    switch (result.status) {
    case RsWebSocketHandshake::Status::Incomplete:
        if (m_handshakeBuffer.size() > MaxHandshakeHeadSize) {
            setErrorString(RsWebSocket::tr("Header is too large"));
            emitErrorOccurred(QAbstractSocket::ConnectionRefusedError);
            if (m_socket)
                m_socket->abort();
        }
        return;
    case RsWebSocketHandshake::Status::Failed:
        m_handshake.reset();
        setErrorString(QString::fromStdString(result.errorString));
        emitErrorOccurred(QAbstractSocket::ConnectionRefusedError);
        if (m_socket && m_socket->state() != QAbstractSocket::UnconnectedState)
            m_socket->disconnectFromHost();
        return;
    case RsWebSocketHandshake::Status::Complete:
        break;
    }
    const QByteArray leftover = m_handshakeBuffer.mid(qsizetype(result.consumed));
    m_handshakeBuffer.clear();
    m_handshake.reset();
    m_protocol = QString::fromStdString(result.protocol);
    startConnection(std::move(result.negotiation), RsWebSocketConnection::Role::Client);
    qCDebug(lcRsWebSockets) << "connected; subprotocol" << m_protocol << "extensions"
                            << m_extensions;
    QPointer<RsWebSocket> guard(q);
    setSocketState(QAbstractSocket::ConnectedState);
    if (!guard)
        return;
    Q_EMIT q->connected();
    if (!guard || !m_connection || m_state != QAbstractSocket::ConnectedState)
        return;
    if (!leftover.isEmpty())
        feed(leftover.constData(), std::size_t(leftover.size()));
    else
        rearmTimer();
}

RsWebSocketConnectionOptions RsWebSocketPrivate::connectionOptions() const
{
    RsWebSocketConnectionOptions options;
    options.origin = m_origin.toStdString();
    options.protocol = m_protocol.toStdString();
    options.uri = m_request.url().toString(QUrl::RemoveUserInfo).toStdString();
    // The engine reads 0 as "no limit"; Qt's 0 refuses everything but empty frames.
    options.maxIncomingPayloadSize = qMax<quint64>(1, m_maxFrameSize);
    options.maxMessageSize = qMax<quint64>(1, m_maxMessageSize);
    options.keepaliveInterval = std::chrono::milliseconds(m_keepAliveInterval);
    options.keepalivePongTimeout = std::chrono::milliseconds(m_pongTimeout);
    options.closeTimeout = std::chrono::milliseconds(m_closeTimeout);
    options.outgoingFrameSize = std::size_t(m_outgoingFrameSize);
    options.deliverFragments = true; // textFrameReceived()/binaryFrameReceived() need frames
    options.autoPong = true;
    return options;
}

void RsWebSocketPrivate::startConnection(RsWebSocketHandshake::Negotiation &&negotiation,
                                         RsWebSocketConnection::Role role)
{
    m_connection = std::make_unique<RsWebSocketConnection>(role, connectionOptions(),
                                                           std::move(negotiation));
    QStringList parts;
    m_compressionActive = false;
    for (const RsWebSocketExtension &extension : m_connection->extensions()) {
        parts << QString::fromStdString(extension.toString());
        if (extension.name == "permessage-deflate")
            m_compressionActive = true;
    }
    m_extensions = parts.join(QStringLiteral(", "));
    m_closeStarted = false;
    m_closeHandshakeDone = false;
    m_eofReceived = false;
    m_failed = false;
    m_inMessage = false;
    m_messageBuffer.clear();
}

bool RsWebSocketPrivate::feed(const char *data, std::size_t size)
{
    // The engine reads up to the next event, which is handed out (and answered by the user's
    // slots) before it reads on: an echo of a valid message goes out before the Close caused by
    // a bad frame that followed it in the same read, as with a blocking reader.
    const QPointer<RsWebSocket> guard(q_func());
    const char *next = data;
    std::size_t rest = size;
    for (;;) {
        const std::size_t used = m_connection->receiveDataUntilEvent(next, rest);
        next += used;
        rest -= used;
        if (rest == 0)
            return drain();
        if (!processEvents(false, guard))
            return false;
        if (!m_connection)
            return true;
    }
}

bool RsWebSocketPrivate::drain(bool fromTimer)
{
    qCDebug(lcRsWebSockets) << "drain: state" << int(m_connection->state()) << "out"
                            << m_connection->outgoingSize() << "closeTransport"
                            << m_connection->shouldCloseTransport();
    // Automatic answers go out before the user's slots hear of what caused them: the events
    // that have one (Ping, Close, Error) write the queue themselves in processEvents(); a
    // read of many messages then costs one socket write, not one before and one after.
    if (!processEvents(fromTimer))
        return false;
    if (m_flushArmed) {
        m_flushArmed = false;
        m_flushTimer->stop(); // what the slots sent goes now
    }
    writeOutgoing();
    finishTransport();
    rearmTimer();
    return true;
}

bool RsWebSocketPrivate::processEvents(bool fromTimer)
{
    const QPointer<RsWebSocket> guard(q_func());
    return processEvents(fromTimer, guard);
}

bool RsWebSocketPrivate::processEvents(bool fromTimer, const QPointer<RsWebSocket> &guard)
{
    Q_Q(RsWebSocket);
    // Every early return below is for a deleted RsWebSocket (the depth went with it).
    ++m_eventDepth;
    RsWebSocketConnection::EventView event;
    while (m_connection && m_connection->nextEvent(event)) {
        switch (event.type) {
        case RsWebSocketConnection::EventType::Text:
        case RsWebSocketConnection::EventType::TextFrame:
            if (!deliverFrame(true, event.data,
                              event.isLast || event.type == RsWebSocketConnection::EventType::Text,
                              guard))
                return false;
            break;
        case RsWebSocketConnection::EventType::Binary:
        case RsWebSocketConnection::EventType::BinaryFrame:
            if (!deliverFrame(false, event.data,
                              event.isLast || event.type == RsWebSocketConnection::EventType::Binary,
                              guard))
                return false;
            break;
        case RsWebSocketConnection::EventType::Ping:
            // Answered by the engine, which keeps at most one unwritten Pong: hand it to the
            // socket now, so that every Ping of a read gets its own (Autobahn 2.10, 2.11).
            writeOutgoing();
            break;
        case RsWebSocketConnection::EventType::Pong:
            Q_EMIT q->pong(quint64(m_pingTimer.elapsed()), toByteArray(event.data));
            break;
        case RsWebSocketConnection::EventType::Close: {
            if (m_eofReceived
                && event.closeCode == RsWebSocketProtocol::CloseCodeAbnormalDisconnection) {
                // TCP ended without a Close frame; the socket reports it (RemoteHostClosedError).
                if (!m_closeStarted)
                    m_closeCode = RsWebSocketProtocol::CloseCodeAbnormalDisconnection;
                break;
            }
            m_closeHandshakeDone = true;
            writeOutgoing(); // the engine's answer to the peer's Close, before any slot runs
            if (!m_closeStarted && m_state == QAbstractSocket::ConnectedState) {
                m_closeStarted = true;
                m_closeCode = RsWebSocketProtocol::CloseCode(event.closeCode);
                m_closeReason = QString::fromUtf8(event.data.data(), qsizetype(event.data.size()));
                qCDebug(lcRsWebSockets) << "peer closed with" << event.closeCode << m_closeReason;
                Q_EMIT q->aboutToClose();
                if (guard)
                    setSocketState(QAbstractSocket::ClosingState);
            }
            break;
        }
        case RsWebSocketConnection::EventType::Error:
            writeOutgoing(); // the Close that tells the peer why, before errorOccurred()
            failed(event.closeCode, QString::fromUtf8(event.data.data(), qsizetype(event.data.size())),
                   fromTimer);
            break;
        }
        if (!guard)
            return false;
    }
    --m_eventDepth;
    return true;
}

bool RsWebSocketPrivate::deliverFrame(bool isText, std::string_view data, bool isLast,
                                      const QPointer<RsWebSocket> &guard)
{
    const int frameReceivers = (isText ? m_textFrameReceivers : m_binaryFrameReceivers)
                                       .load(std::memory_order_relaxed);
    if (!m_inMessage && isLast && frameReceivers <= 0) {
        // A one-frame message and no frame signal to emit (the common case): straight out.
        m_messageIsText = isText;
        if (isText)
            emitTextMessage(data, guard);
        else
            emitBinaryMessage(data, guard);
        return bool(guard);
    }
    Q_Q(RsWebSocket);
    static const QMetaMethod textFrameSignal = QMetaMethod::fromSignal(&RsWebSocket::textFrameReceived);
    static const QMetaMethod binaryFrameSignal =
            QMetaMethod::fromSignal(&RsWebSocket::binaryFrameReceived);
    if (!m_inMessage) {
        m_inMessage = true;
        m_messageIsText = isText;
        if (!m_messageBuffer.isEmpty())
            m_messageBuffer.clear();
        m_frameDecoderFresh = false; // a new decoder only if textFrameReceived() needs one
    }
    if (isText) {
        if (frameReceivers > 0 && q->isSignalConnected(textFrameSignal)) {
            if (!m_frameDecoderFresh) {
                m_frameDecoder = QStringDecoder(QStringDecoder::Utf8);
                m_frameDecoderFresh = true;
            }
            const QString frame = m_frameDecoder.decode(QByteArrayView(data.data(), qsizetype(data.size())));
            Q_EMIT q->textFrameReceived(frame, isLast);
        }
    } else if (frameReceivers > 0 && q->isSignalConnected(binaryFrameSignal)) {
        Q_EMIT q->binaryFrameReceived(toByteArray(data), isLast);
    }
    if (!guard)
        return false;
    if (!isLast) {
        if (m_maxMessageSize && quint64(m_messageBuffer.size()) + data.size() > m_maxMessageSize) {
            // The engine reports the failure as an Error event.
            m_connection->fail(RsWebSocketProtocol::CloseCodeTooMuchData,
                               "message exceeds the maximum size");
            m_inMessage = false;
            m_messageBuffer.clear();
            return true;
        }
        m_messageBuffer.append(data.data(), qsizetype(data.size()));
        return true;
    }
    m_inMessage = false;
    if (m_messageBuffer.isEmpty()) {
        // A one-frame message (the common case) goes from the engine's buffer straight into the
        // signal's argument; a text one without an intermediate QByteArray.
        if (m_messageIsText)
            emitTextMessage(data, guard);
        else
            emitBinaryMessage(data, guard);
        return bool(guard);
    }
    m_messageBuffer.append(data.data(), qsizetype(data.size()));
    const QByteArray message = std::move(m_messageBuffer);
    m_messageBuffer = QByteArray();
    if (m_messageIsText)
        emitTextMessage(std::string_view(message.constData(), std::size_t(message.size())), guard);
    else
        Q_EMIT q->binaryMessageReceived(message);
    return bool(guard);
}

namespace {
// Whether a buffer kept for the next message may take one of `size` units: nobody else holds
// it (a slot that kept the last message holds a shared copy), and it is not far too large.
template<typename Buffer>
bool reusable(const Buffer &buffer, qsizetype size)
{
    constexpr qsizetype KeepLimit = 256 * 1024;
    return buffer.isDetached() && (buffer.capacity() <= KeepLimit || buffer.capacity() / 4 <= size);
}
} // namespace

// Whole messages are handed out in a buffer the connection keeps (m_deliveredBytes,
// m_deliveredText) while no slot kept the previous one: no allocation per message, and for
// large messages no fresh pages to fault in. A delivery from inside a slot on the previous one
// (a nested event loop) gets a buffer of its own: the outer slot's argument must not change.
void RsWebSocketPrivate::emitBinaryMessage(std::string_view data, const QPointer<RsWebSocket> &guard)
{
    Q_Q(RsWebSocket);
    const auto size = qsizetype(data.size());
    if (m_delivering) {
        Q_EMIT q->binaryMessageReceived(toByteArray(data));
        return;
    }
    if (!reusable(m_deliveredBytes, size))
        m_deliveredBytes = QByteArray();
    m_deliveredBytes.resize(size);
    if (size > 0)
        std::memcpy(m_deliveredBytes.data(), data.data(), data.size());
    m_delivering = true;
    Q_EMIT q->binaryMessageReceived(m_deliveredBytes);
    if (guard)
        m_delivering = false;
}

void RsWebSocketPrivate::emitTextMessage(std::string_view data, const QPointer<RsWebSocket> &guard)
{
    Q_Q(RsWebSocket);
    const QByteArrayView utf8(data.data(), qsizetype(data.size()));
    if (m_delivering) {
        Q_EMIT q->textMessageReceived(QString::fromUtf8(utf8));
        return;
    }
    if (!reusable(m_deliveredText, utf8.size()))
        m_deliveredText = QString();
    if (rsIsAscii(data.data(), data.size())) {
        // Reuses the buffer when it is large enough (QString's Latin-1 assignment).
        m_deliveredText = QLatin1StringView(data.data(), qsizetype(data.size()));
        m_delivering = true;
        Q_EMIT q->textMessageReceived(m_deliveredText);
        if (guard)
            m_delivering = false;
        return;
    }
    m_deliveredText.resize(utf8.size()); // UTF-16 never needs more units than UTF-8 bytes
    QChar *begin = m_deliveredText.data();
    // The engine validated the UTF-8; a BOM is kept, as by QString::fromUtf8().
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless
                                                         | QStringDecoder::Flag::ConvertInitialBom);
    QChar *end = decoder.appendToBuffer(begin, utf8);
    m_deliveredText.resize(qsizetype(end - begin));
    m_delivering = true;
    Q_EMIT q->textMessageReceived(m_deliveredText);
    if (guard)
        m_delivering = false;
}

void RsWebSocketPrivate::failed(int closeCode, const QString &message, bool fromTimer)
{
    Q_Q(RsWebSocket);
    QPointer<RsWebSocket> guard(q);
    qCDebug(lcRsWebSockets) << "connection failed:" << closeCode << message;
    const bool becauseOfEof = m_eofReceived;
    if (m_closeStarted && fromTimer) {
        // close() was called and the peer's Close did not come within closeTimeout(): the
        // connection ends as asked, with the code given to close().
        m_failed = true;
        return;
    }
    if (closeCode > 0)
        m_closeCode = RsWebSocketProtocol::CloseCode(closeCode);
    m_closeReason = message;
    m_inMessage = false;
    m_messageBuffer.clear();
    if (!becauseOfEof) {
        // An EOF is reported by the socket itself (RemoteHostClosedError).
        setErrorString(message);
        QAbstractSocket::SocketError error = QAbstractSocket::UnknownSocketError;
        if (fromTimer)
            error = QAbstractSocket::SocketTimeoutError; // dead peer: no Pong, no Close
        else if (closeCode == RsWebSocketProtocol::CloseCodeTooMuchData)
            error = QAbstractSocket::DatagramTooLargeError;
        emitErrorOccurred(error);
        if (!guard)
            return;
    }
    // Failing the connection: aboutToClose() and ClosingState, as when Qt closes on an error;
    // after an EOF the socket's own state changes tell the story (as with QWebSocket).
    if (!m_closeStarted && !becauseOfEof && m_state == QAbstractSocket::ConnectedState) {
        m_closeStarted = true;
        Q_EMIT q->aboutToClose();
        if (guard)
            setSocketState(QAbstractSocket::ClosingState);
    }
    m_closeStarted = true;
    m_failed = true;
}

void RsWebSocketPrivate::rearmTimer()
{
    if (!m_connection) {
        m_timer->stop();
        return;
    }
    const auto next = m_connection->nextTimeout();
    if (!next) {
        m_timer->stop();
        return;
    }
    using namespace std::chrono;
    const auto delay = ceil<milliseconds>(*next - steady_clock::now()).count();
    m_timer->start(int(qBound<qint64>(0, qint64(delay), qint64(std::numeric_limits<int>::max()))));
}

void RsWebSocketPrivate::onTimeout()
{
    if (!m_connection)
        return;
    m_connection->handleTimeout();
    drain(true);
}
