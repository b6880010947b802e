// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#include "rswebsocket_p.h"
#include "rsdeflateoptions_p.h"
#include "rswebsocketslogging_p.h"
#include "rstextcodec_p.h"

#include <RsWebSockets/rsmaskgenerator.h>

#include <QtCore/QMetaMethod>
#include <QtNetwork/QAuthenticator>
#include <QtNetwork/QTcpSocket>
#ifndef QT_NO_SSL
#include <QtNetwork/QSslPreSharedKeyAuthenticator>
#include <QtNetwork/QSslSocket>
#endif

#include <limits>

/*!
    \class RsWebSocket
    \brief A WebSocket connection with QWebSocket's API (Qt 6.4), on the RsWebSockets engine.

    Every QWebSocket method, signal, enum and default argument exists with the same meaning,
    so an application ports by renaming QWebSocket to RsWebSocket and QWebSocketProtocol to
    RsWebSocketProtocol. Differences that follow RFC 6455 rather than Qt:
    \list
    \li close() waits up to closeTimeout() for the peer's Close frame (Qt drops TCP at once);
        set the close timeout to 0 for Qt's behaviour.
    \li protocol violations by the peer end the connection with the RFC close code (1002,
        1007, 1009, ...), which closeCode() reports, and errorOccurred() is emitted.
    \endlist
*/

namespace {
// Largest frame/message accepted, as in Qt: INT_MAX - 1.
constexpr quint64 MaxIncomingSize = quint64(std::numeric_limits<int>::max()) - 1;
constexpr quint64 MaxOutgoingFrameSize = quint64(std::numeric_limits<int>::max()) - 1;
} // namespace

RsWebSocket::RsWebSocket(const QString &origin, RsWebSocketProtocol::Version version,
                         QObject *parent)
    : RsWebSocket(std::make_unique<RsWebSocketPrivate>(origin, version), parent)
{
}

RsWebSocket::RsWebSocket(std::unique_ptr<RsWebSocketPrivate> d, QObject *parent)
    : QObject(parent)
    , d_ptr(std::move(d))
{
    d_ptr->q_ptr = this;
    d_ptr->m_timer = new QTimer(this);
    d_ptr->m_timer->setSingleShot(true);
    d_ptr->m_timer->setTimerType(Qt::PreciseTimer);
    QObject::connect(d_ptr->m_timer, &QTimer::timeout, this, [this] { d_func()->onTimeout(); });
    d_ptr->m_transportTimer = new QTimer(this);
    d_ptr->m_transportTimer->setSingleShot(true);
    QObject::connect(d_ptr->m_transportTimer, &QTimer::timeout, this, [this] {
        Q_D(RsWebSocket);
        if (d->m_socket)
            d->m_socket->abort();
    });
}

/*!
    Destroys the socket; an open connection is closed with CloseCodeGoingAway first (the Close
    frame is written, the TCP connection then aborted).
*/
void RsWebSocket::connectNotify(const QMetaMethod &signal)
{
    Q_D(RsWebSocket);
    if (signal == QMetaMethod::fromSignal(&RsWebSocket::textFrameReceived))
        d->m_textFrameReceivers.fetch_add(1, std::memory_order_relaxed);
    else if (signal == QMetaMethod::fromSignal(&RsWebSocket::binaryFrameReceived))
        d->m_binaryFrameReceivers.fetch_add(1, std::memory_order_relaxed);
    QObject::connectNotify(signal);
}

void RsWebSocket::disconnectNotify(const QMetaMethod &signal)
{
    Q_D(RsWebSocket);
    // A wildcard disconnect (an invalid method) leaves the counts as they are: too high at
    // worst, which only costs the exact check. A named one follows its connect, so a count
    // never goes below zero.
    if (signal == QMetaMethod::fromSignal(&RsWebSocket::textFrameReceived))
        d->m_textFrameReceivers.fetch_sub(1, std::memory_order_relaxed);
    else if (signal == QMetaMethod::fromSignal(&RsWebSocket::binaryFrameReceived))
        d->m_binaryFrameReceivers.fetch_sub(1, std::memory_order_relaxed);
    QObject::disconnectNotify(signal);
}

RsWebSocket::~RsWebSocket()
{
    Q_D(RsWebSocket);
    if (d->m_socket) {
        if (d->m_state == QAbstractSocket::ConnectedState && d->m_connection) {
            d->m_connection->close(RsWebSocketProtocol::CloseCodeGoingAway, "Connection closed");
            d->writeOutgoing();
            d->m_socket->flush();
        }
        d->releaseSocket();
    }
}

void RsWebSocket::abort()
{
    d_func()->abort();
}

QAbstractSocket::SocketError RsWebSocket::error() const
{
    return d_func()->m_error;
}

QString RsWebSocket::errorString() const
{
    Q_D(const RsWebSocket);
    if (!d->m_errorString.isEmpty())
        return d->m_errorString;
    return d->m_socket ? d->m_socket->errorString() : QString();
}

bool RsWebSocket::flush()
{
    return d_func()->flush();
}

bool RsWebSocket::isValid() const
{
    Q_D(const RsWebSocket);
    return d->m_socket && d->m_socket->isValid()
            && d->m_state == QAbstractSocket::ConnectedState;
}

QHostAddress RsWebSocket::localAddress() const
{
    Q_D(const RsWebSocket);
    return d->m_socket ? d->m_socket->localAddress() : QHostAddress();
}

quint16 RsWebSocket::localPort() const
{
    Q_D(const RsWebSocket);
    return d->m_socket ? d->m_socket->localPort() : 0;
}

QAbstractSocket::PauseModes RsWebSocket::pauseMode() const
{
    return d_func()->m_pauseMode;
}

QHostAddress RsWebSocket::peerAddress() const
{
    Q_D(const RsWebSocket);
    return d->m_socket ? d->m_socket->peerAddress() : QHostAddress();
}

QString RsWebSocket::peerName() const
{
    Q_D(const RsWebSocket);
    return d->m_socket ? d->m_socket->peerName() : QString();
}

quint16 RsWebSocket::peerPort() const
{
    Q_D(const RsWebSocket);
    return d->m_socket ? d->m_socket->peerPort() : 0;
}

#ifndef QT_NO_NETWORKPROXY
QNetworkProxy RsWebSocket::proxy() const
{
    return d_func()->m_proxy;
}

/*!
    Sets the proxy used by the next open().
*/
void RsWebSocket::setProxy(const QNetworkProxy &networkProxy)
{
    d_func()->m_proxy = networkProxy;
}
#endif

/*!
    Sets the generator of masking keys; nullptr restores the default (the system CSPRNG).
    The generator is not owned and must outlive the socket. As with QWebSocket, an application
    generator is used as given (seed it yourself); only the default generator is seeded by the
    socket.

    Every frame this socket sends as a client on behalf of the application (messages, their
    fragments, ping(), close()) is masked with a key from the generator, in order. Frames the
    engine sends by itself (automatic pongs, keep-alive pings) take a key from the generator
    when one is left over, and otherwise from the CSPRNG.
*/
void RsWebSocket::setMaskGenerator(const RsMaskGenerator *maskGenerator)
{
    Q_D(RsWebSocket);
    d->m_maskGenerator = maskGenerator ? maskGenerator : &d->m_defaultMaskGenerator;
}

const RsMaskGenerator *RsWebSocket::maskGenerator() const
{
    return d_func()->m_maskGenerator;
}

qint64 RsWebSocket::readBufferSize() const
{
    return d_func()->m_readBufferSize;
}

void RsWebSocket::setReadBufferSize(qint64 size)
{
    Q_D(RsWebSocket);
    d->m_readBufferSize = size;
    if (d->m_socket)
        d->m_socket->setReadBufferSize(size);
}

void RsWebSocket::resume()
{
    Q_D(RsWebSocket);
    if (d->m_socket)
        d->m_socket->resume();
}

void RsWebSocket::setPauseMode(QAbstractSocket::PauseModes pauseMode)
{
    Q_D(RsWebSocket);
    d->m_pauseMode = pauseMode;
    if (d->m_socket)
        d->m_socket->setPauseMode(pauseMode);
}

QAbstractSocket::SocketState RsWebSocket::state() const
{
    return d_func()->m_state;
}

RsWebSocketProtocol::Version RsWebSocket::version() const
{
    return d_func()->m_version;
}

QString RsWebSocket::resourceName() const
{
    return d_func()->m_resourceName;
}

QUrl RsWebSocket::requestUrl() const
{
    return d_func()->m_request.url();
}

QNetworkRequest RsWebSocket::request() const
{
    return d_func()->m_request;
}

RsWebSocketHandshakeOptions RsWebSocket::handshakeOptions() const
{
    return d_func()->m_options;
}

QString RsWebSocket::origin() const
{
    return d_func()->m_origin;
}

QString RsWebSocket::subprotocol() const
{
    return d_func()->m_protocol;
}

RsWebSocketProtocol::CloseCode RsWebSocket::closeCode() const
{
    return d_func()->m_closeCode;
}

QString RsWebSocket::closeReason() const
{
    return d_func()->m_closeReason;
}

/*!
    Sends \a message as one text message (fragmented by outgoingFrameSize()) and returns the
    number of bytes of UTF-8 payload queued, or 0 if the socket is not connected.
*/
qint64 RsWebSocket::sendTextMessage(const QString &message)
{
    // Short ASCII text (most chat and RPC traffic) is narrowed on the stack: no QByteArray
    // allocated and freed per message. (Far below the size from which sendMessage() keeps a
    // reference to the array instead of copying it, SharedSendMinSize.)
    constexpr qsizetype StackText = 256;
    if (message.size() <= StackText) {
        char ascii[StackText];
        if (rsNarrowAscii(message, ascii))
            return d_func()->sendMessage(RsWebSocketConnection::MessageType::Text,
                                         QByteArray::fromRawData(ascii, message.size()));
    }
    return d_func()->sendMessage(RsWebSocketConnection::MessageType::Text, message.toUtf8());
}

/*!
    Sends \a data as one binary message and returns the number of payload bytes queued, or 0
    if the socket is not connected.
*/
qint64 RsWebSocket::sendBinaryMessage(const QByteArray &data)
{
    return d_func()->sendMessage(RsWebSocketConnection::MessageType::Binary, data);
}

#ifndef QT_NO_SSL
void RsWebSocket::ignoreSslErrors(const QList<QSslError> &errors)
{
    Q_D(RsWebSocket);
    d->m_ignoredSslErrors = errors;
    if (auto *ssl = qobject_cast<QSslSocket *>(d->m_socket))
        ssl->ignoreSslErrors(errors);
}

void RsWebSocket::ignoreSslErrors()
{
    Q_D(RsWebSocket);
    d->m_ignoreSslErrors = true;
    if (auto *ssl = qobject_cast<QSslSocket *>(d->m_socket))
        ssl->ignoreSslErrors();
}

void RsWebSocket::continueInterruptedHandshake()
{
    Q_D(RsWebSocket);
    if (auto *ssl = qobject_cast<QSslSocket *>(d->m_socket))
        ssl->continueInterruptedHandshake();
}

void RsWebSocket::setSslConfiguration(const QSslConfiguration &sslConfiguration)
{
    d_func()->m_sslConfiguration = sslConfiguration;
}

QSslConfiguration RsWebSocket::sslConfiguration() const
{
    return d_func()->m_sslConfiguration;
}
#endif

qint64 RsWebSocket::bytesToWrite() const
{
    Q_D(const RsWebSocket);
    // What the engine holds (messages sent from a slot of ours, written once the slot returns)
    // and what the socket holds.
    const qint64 queued = d->m_connection ? qint64(d->m_connection->outgoingSize()) : 0;
    return queued + (d->m_socket ? d->m_socket->bytesToWrite() : 0);
}

void RsWebSocket::setMaxAllowedIncomingFrameSize(quint64 maxAllowedIncomingFrameSize)
{
    Q_D(RsWebSocket);
    if (maxAllowedIncomingFrameSize > maxIncomingFrameSize())
        return; // as Qt: out-of-range values are ignored
    d->m_maxFrameSize = maxAllowedIncomingFrameSize;
    if (d->m_connection)
        d->m_connection->setMaxIncomingPayloadSize(qMax<quint64>(1, maxAllowedIncomingFrameSize));
}

quint64 RsWebSocket::maxAllowedIncomingFrameSize() const
{
    return d_func()->m_maxFrameSize;
}

/*!
    Sets the largest message accepted, counted after decompression; a bigger message ends the
    connection with CloseCodeTooMuchData (1009).
*/
void RsWebSocket::setMaxAllowedIncomingMessageSize(quint64 maxAllowedIncomingMessageSize)
{
    Q_D(RsWebSocket);
    if (maxAllowedIncomingMessageSize > maxIncomingMessageSize())
        return;
    d->m_maxMessageSize = maxAllowedIncomingMessageSize;
    if (d->m_connection)
        d->m_connection->setMaxMessageSize(qMax<quint64>(1, maxAllowedIncomingMessageSize));
}

quint64 RsWebSocket::maxAllowedIncomingMessageSize() const
{
    return d_func()->m_maxMessageSize;
}

quint64 RsWebSocket::maxIncomingMessageSize()
{
    return MaxIncomingSize;
}

quint64 RsWebSocket::maxIncomingFrameSize()
{
    return MaxIncomingSize;
}

void RsWebSocket::setOutgoingFrameSize(quint64 outgoingFrameSize)
{
    Q_D(RsWebSocket);
    if (outgoingFrameSize == 0 || outgoingFrameSize > maxOutgoingFrameSize())
        return;
    d->m_outgoingFrameSize = outgoingFrameSize;
    if (d->m_connection)
        d->m_connection->setOutgoingFrameSize(std::size_t(outgoingFrameSize));
}

quint64 RsWebSocket::outgoingFrameSize() const
{
    return d_func()->m_outgoingFrameSize;
}

quint64 RsWebSocket::maxOutgoingFrameSize()
{
    return MaxOutgoingFrameSize;
}

void RsWebSocket::setCompressionEnabled(bool enabled)
{
    d_func()->m_compressionEnabled = enabled;
}

bool RsWebSocket::compressionEnabled() const
{
    return d_func()->m_compressionEnabled;
}

void RsWebSocket::setCompressionServerNoContextTakeover(bool enabled)
{
    d_func()->m_deflate.serverNoContextTakeover = enabled;
}

bool RsWebSocket::compressionServerNoContextTakeover() const
{
    return d_func()->m_deflate.serverNoContextTakeover;
}

void RsWebSocket::setCompressionClientNoContextTakeover(bool enabled)
{
    d_func()->m_deflate.clientNoContextTakeover = enabled;
}

bool RsWebSocket::compressionClientNoContextTakeover() const
{
    return d_func()->m_deflate.clientNoContextTakeover;
}

void RsWebSocket::setCompressionServerMaxWindowBits(int bits)
{
    d_func()->m_deflate.serverMaxWindowBits = RsDeflateOptions::windowBits(bits);
}

int RsWebSocket::compressionServerMaxWindowBits() const
{
    return RsDeflateOptions::windowBits(d_func()->m_deflate.serverMaxWindowBits);
}

void RsWebSocket::setCompressionClientMaxWindowBits(int bits)
{
    d_func()->m_deflate.clientMaxWindowBits = RsDeflateOptions::windowBits(bits);
}

int RsWebSocket::compressionClientMaxWindowBits() const
{
    return RsDeflateOptions::windowBits(d_func()->m_deflate.clientMaxWindowBits);
}

/*!
    Sets every permessage-deflate parameter at once from \a options: the four of RFC 7692 (as
    the setters above) and those beyond it, as in Boost.Beast (zlib compression level, memory
    level, the largest window this side compresses with, and the size under which messages go
    out uncompressed). Values are brought into their ranges (see RsWebSocketDeflateOptions).
    Applies to the next open(); setCompressionEnabled() still turns compression on and off.
*/
void RsWebSocket::setCompressionOptions(const RsWebSocketDeflateOptions &options)
{
    d_func()->m_deflate = RsDeflateOptions::normalized(options);
}

/*!
    Returns the permessage-deflate parameters open() offers (when compression is enabled).
*/
RsWebSocketDeflateOptions RsWebSocket::compressionOptions() const
{
    return d_func()->m_deflate;
}

bool RsWebSocket::isCompressionActive() const
{
    return d_func()->m_compressionActive;
}

QString RsWebSocket::extensions() const
{
    return d_func()->m_extensions;
}

/*!
    Sends a keep-alive Ping every \a msecs while connected; if its Pong does not come within
    pongTimeout(), the peer is declared dead (errorOccurred(SocketTimeoutError), close code
    1011). 0 turns keep-alive off. Takes effect at once, also on an open connection.
*/
void RsWebSocket::setKeepAliveInterval(int msecs)
{
    Q_D(RsWebSocket);
    d->m_keepAliveInterval = qMax(0, msecs);
    if (d->m_connection) {
        d->m_connection->setKeepaliveInterval(std::chrono::milliseconds(d->m_keepAliveInterval));
        d->rearmTimer();
    }
}

int RsWebSocket::keepAliveInterval() const
{
    return d_func()->m_keepAliveInterval;
}

/*!
    Sets how long a keep-alive Ping may wait for its Pong; applies to connections opened
    after the call.
*/
void RsWebSocket::setPongTimeout(int msecs)
{
    d_func()->m_pongTimeout = qMax(0, msecs);
}

int RsWebSocket::pongTimeout() const
{
    return d_func()->m_pongTimeout;
}

/*!
    Sets how long close() waits for the peer's Close frame; applies to connections opened
    after the call. 0 drops the TCP connection right after the Close frame is written.
*/
void RsWebSocket::setCloseTimeout(int msecs)
{
    d_func()->m_closeTimeout = qMax(0, msecs);
}

int RsWebSocket::closeTimeout() const
{
    return d_func()->m_closeTimeout;
}

qint64 RsWebSocket::bufferedAmount() const
{
    return d_func()->bufferedAmount();
}

void RsWebSocket::setBufferedAmountLowThreshold(qint64 bytes)
{
    d_func()->m_lowWaterMark = qMax<qint64>(0, bytes);
}

qint64 RsWebSocket::bufferedAmountLowThreshold() const
{
    return d_func()->m_lowWaterMark;
}

/*!
    Starts the closing handshake with \a closeCode and \a reason (cut to 123 bytes of UTF-8).
    aboutToClose() is emitted at once; disconnected() follows when the peer has answered, or
    after closeTimeout().
*/
void RsWebSocket::close(RsWebSocketProtocol::CloseCode closeCode, const QString &reason)
{
    d_func()->close(closeCode, reason);
}

void RsWebSocket::open(const QUrl &url)
{
    open(QNetworkRequest(url), RsWebSocketHandshakeOptions());
}

void RsWebSocket::open(const QNetworkRequest &request)
{
    open(request, RsWebSocketHandshakeOptions());
}

void RsWebSocket::open(const QUrl &url, const RsWebSocketHandshakeOptions &options)
{
    open(QNetworkRequest(url), options);
}

/*!
    Opens a connection to request.url() (ws:// or wss://) with the request's raw headers and
    the subprotocols of \a options. Errors (an invalid URL, an unsupported scheme) are
    reported through errorOccurred() before open() returns, as in Qt.
*/
void RsWebSocket::open(const QNetworkRequest &request, const RsWebSocketHandshakeOptions &options)
{
    d_func()->open(request, options);
}

/*!
    Pings the peer with \a payload (at most 125 bytes; longer payloads are truncated). pong()
    reports the time since this call when the answer arrives.
*/
void RsWebSocket::ping(const QByteArray &payload)
{
    d_func()->ping(payload);
}
