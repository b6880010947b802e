// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#include "rswebsocket_p.h"

#include "rswebsocketslogging_p.h"

#include <QtCore/QMetaMethod>
#include <QtNetwork/QTcpSocket>
#ifndef QT_NO_SSL
#include <QtNetwork/QSslSocket>
#endif

#include <algorithm>
#include <cstring>
#include <chrono>
#include <string>
#include <vector>

namespace {

// Qt's default outgoing frame size (512 KiB).
constexpr quint64 DefaultOutgoingFrameSize = 512 * 512 * 2;
// Messages from this size on are sent without a copy (RsWebSocketConnection::sendMessageShared):
// below it the copy costs less than the extra allocation and the extra piece of the vectored
// write, and such messages go through QTcpSocket's buffer anyway (MinDirectWriteSize).
constexpr qint64 SharedSendMinSize = 16 * 1024;
// RFC 6455 section 4.1: subprotocol names are non-empty tokens (RFC 2616 section 2.2).
bool isValidSubprotocolName(const QString &protocol)
{
    static const char separators[] = "()<>@,;:\\\"/[]?={} \t";
    if (protocol.isEmpty())
        return false;
    return std::all_of(protocol.begin(), protocol.end(), [](QChar c) {
        const char16_t u = c.unicode();
        return u >= 0x21 && u <= 0x7E && !std::strchr(separators, char(u));
    });
}

QStringList protocolsFromHeader(const QByteArray &value)
{
    QStringList protocols;
    for (const QByteArray &entry : value.split(',')) {
        const QByteArray trimmed = entry.trimmed();
        if (!trimmed.isEmpty())
            protocols << QString::fromLatin1(trimmed);
    }
    return protocols;
}

// Cuts a UTF-8 string to at most `limit` bytes without splitting a code point.
QByteArray truncateUtf8(QByteArray utf8, qsizetype limit)
{
    if (utf8.size() <= limit)
        return utf8;
    qsizetype end = limit;
    while (end > 0 && (quint8(utf8.at(end)) & 0xC0) == 0x80)
        --end;
    utf8.truncate(end);
    return utf8;
}

} // namespace

RsWebSocketPrivate::RsWebSocketPrivate(const QString &origin, RsWebSocketProtocol::Version version)
    : m_origin(origin)
    , m_version(version)
    , m_maxFrameSize(RsWebSocket::maxIncomingFrameSize())
    , m_maxMessageSize(RsWebSocket::maxIncomingMessageSize())
    , m_outgoingFrameSize(DefaultOutgoingFrameSize)
{
#ifndef QT_NO_NETWORKPROXY
    m_proxy = QNetworkProxy(QNetworkProxy::DefaultProxy);
#endif
#ifndef QT_NO_SSL
    m_sslConfiguration = QSslConfiguration::defaultConfiguration();
#endif
    m_maskGenerator = &m_defaultMaskGenerator;
    m_defaultMaskGenerator.seed();
    m_pingTimer.start();
}

RsWebSocketPrivate::~RsWebSocketPrivate() = default;

RsWebSocket *RsWebSocketPrivate::upgradeFrom(QTcpSocket *socket,
                                             RsWebSocketHandshake::Negotiation &&negotiation,
                                             const QNetworkRequest &request,
                                             const QString &origin, const QString &protocol,
                                             const QByteArray &leftover,
                                             const RsWebSocketSettings &settings,
                                             QObject *parent)
{
    auto d = std::make_unique<RsWebSocketPrivate>(origin, RsWebSocketProtocol::VersionLatest);
    d->m_isServer = true;
    d->m_request = request;
    d->m_protocol = protocol;
    d->m_resourceName = request.url().toString(QUrl::RemoveUserInfo);
    d->m_options.setSubprotocols(protocolsFromHeader(request.rawHeader("Sec-WebSocket-Protocol")));
    if (settings.maxAllowedIncomingFrameSize)
        d->m_maxFrameSize = qMin(settings.maxAllowedIncomingFrameSize, d->m_maxFrameSize);
    if (settings.maxAllowedIncomingMessageSize)
        d->m_maxMessageSize = qMin(settings.maxAllowedIncomingMessageSize, d->m_maxMessageSize);
    if (settings.outgoingFrameSize)
        d->m_outgoingFrameSize = qMin(settings.outgoingFrameSize, RsWebSocket::maxOutgoingFrameSize());
    if (settings.keepAliveInterval >= 0)
        d->m_keepAliveInterval = settings.keepAliveInterval;
    if (settings.pongTimeout >= 0)
        d->m_pongTimeout = settings.pongTimeout;
    if (settings.closeTimeout >= 0)
        d->m_closeTimeout = settings.closeTimeout;
    d->m_pauseMode = socket->pauseMode();
    d->m_readBufferSize = socket->readBufferSize();
    d->m_pendingInput = leftover;
    d->m_state = QAbstractSocket::ConnectedState;

    RsWebSocket *webSocket = new RsWebSocket(std::move(d), parent);
    RsWebSocketPrivate *p = webSocket->d_func();
#ifndef QT_NO_SSL
    if (auto *ssl = qobject_cast<QSslSocket *>(socket))
        p->m_sslConfiguration = ssl->sslConfiguration();
#endif
    p->attachSocket(socket);
    p->startConnection(std::move(negotiation), RsWebSocketConnection::Role::Server);
    // Leftover bytes and anything already buffered are processed once the caller had a
    // chance to connect to the signals. With nothing to read, drain() still arms the engine's
    // timer, so keepalive pings start on an idle accepted connection.
    QMetaObject::invokeMethod(
            webSocket,
            [webSocket] {
                RsWebSocketPrivate *wd = webSocket->d_func();
                if (wd->m_pendingInput.isEmpty() && wd->m_socket && wd->m_connection
                    && wd->m_socket->bytesAvailable() == 0)
                    wd->drain();
                else
                    wd->onReadyRead();
            },
            Qt::QueuedConnection);
    return webSocket;
}

void RsWebSocketPrivate::open(const QNetworkRequest &request,
                              const RsWebSocketHandshakeOptions &options)
{
    Q_Q(RsWebSocket);
    QUrl url = request.url();
    if (!url.isValid() || url.toString().contains(QStringLiteral("\r\n"))) {
        setErrorString(RsWebSocket::tr("Invalid URL."));
        emitErrorOccurred(QAbstractSocket::ConnectionRefusedError);
        return;
    }
    if (m_socket) {
        releaseSocket();
        if (m_state != QAbstractSocket::UnconnectedState)
            setSocketState(QAbstractSocket::UnconnectedState);
    }

    // Reset what describes a connection.
    m_connection.reset();
    m_handshake.reset();
    m_handshakeBuffer.clear();
    m_pendingInput.clear();
    m_messageBuffer.clear();
    m_inMessage = false;
    m_externalActive = false;
    m_headerReadNext = false;
    m_protocol.clear();
    m_extensions.clear();
    m_compressionActive = false;
    m_closeCode = RsWebSocketProtocol::CloseCodeNormal;
    m_closeReason.clear();
    m_errorString.clear();
    m_error = QAbstractSocket::UnknownSocketError;
    m_isServer = false;
    m_closeStarted = false;
    m_closeHandshakeDone = false;
    m_eofReceived = false;
    m_failed = false;
    m_request = request;
    m_options = options;

    if (url.path().isEmpty())
        url.setPath(QStringLiteral("/"));
    QString resourceName = url.path(QUrl::FullyEncoded);
    if (resourceName.contains(QStringLiteral("%0D%0A"), Qt::CaseInsensitive)) {
        m_request = QNetworkRequest();
        setErrorString(RsWebSocket::tr("Invalid resource name."));
        emitErrorOccurred(QAbstractSocket::ConnectionRefusedError);
        return;
    }
    if (!url.query().isEmpty()) {
        if (!resourceName.endsWith(QLatin1Char('?')))
            resourceName.append(QLatin1Char('?'));
        resourceName.append(url.query(QUrl::FullyEncoded));
    }
    m_resourceName = resourceName;

    const QString scheme = url.scheme().toLower();
    const bool secure = scheme == QLatin1String("wss");
    if (!secure && scheme != QLatin1String("ws")) {
        setErrorString(RsWebSocket::tr("Unsupported WebSocket scheme: %1").arg(url.scheme()));
        emitErrorOccurred(QAbstractSocket::UnsupportedSocketOperationError);
        return;
    }
#ifdef QT_NO_SSL
    if (secure) {
        setErrorString(RsWebSocket::tr("SSL Sockets are not supported on this platform."));
        emitErrorOccurred(QAbstractSocket::UnsupportedSocketOperationError);
        return;
    }
#else
    if (secure && !QSslSocket::supportsSsl()) {
        setErrorString(RsWebSocket::tr("SSL Sockets are not supported on this platform."));
        emitErrorOccurred(QAbstractSocket::UnsupportedSocketOperationError);
        return;
    }
#endif

    // The request the handshake helper builds.
    RsWebSocketHandshake::ClientOptions client;
    client.url = url.toString(QUrl::RemoveUserInfo | QUrl::RemoveFragment | QUrl::FullyEncoded)
                         .toStdString();
    client.origin = m_origin.toStdString();
    QStringList protocols = options.subprotocols();
    for (const QString &p : protocolsFromHeader(request.rawHeader("Sec-WebSocket-Protocol"))) {
        if (!protocols.contains(p))
            protocols << p;
    }
    for (const QString &p : std::as_const(protocols)) {
        if (isValidSubprotocolName(p))
            client.protocols.push_back(p.toStdString());
        else
            qCWarning(lcRsWebSockets) << "Ignoring invalid WebSocket subprotocol name" << p;
    }
    const QList<QByteArray> headerNames = request.rawHeaderList();
    for (const QByteArray &name : headerNames) {
        if (name.compare("Sec-WebSocket-Protocol", Qt::CaseInsensitive) == 0)
            continue;
        client.headers.emplace_back(name.toStdString(), request.rawHeader(name).toStdString());
    }
    if (m_compressionEnabled)
        client.extensions.deflate = m_deflate;
    RsWebSocketHandshake::Client handshake(client);
    if (!handshake.isValid()) {
        setErrorString(QString::fromStdString(handshake.errorString()));
        emitErrorOccurred(QAbstractSocket::ConnectionRefusedError);
        return;
    }
    m_handshake.emplace(std::move(handshake));

    QTcpSocket *socket = nullptr;
#ifndef QT_NO_SSL
    QSslSocket *sslSocket = nullptr;
    if (secure) {
        sslSocket = new QSslSocket(q);
        sslSocket->setSslConfiguration(m_sslConfiguration);
        if (m_ignoreSslErrors)
            sslSocket->ignoreSslErrors();
        else
            sslSocket->ignoreSslErrors(m_ignoredSslErrors);
        socket = sslSocket;
    } else
#endif
    {
        socket = new QTcpSocket(q);
    }
    socket->setReadBufferSize(m_readBufferSize);
    socket->setPauseMode(m_pauseMode);
#ifndef QT_NO_NETWORKPROXY
    socket->setProxy(m_proxy);
    socket->setProtocolTag(secure ? QStringLiteral("https") : QStringLiteral("http"));
#endif
    attachSocket(socket);
    qCDebug(lcRsWebSockets) << "opening" << url.toString(QUrl::RemoveUserInfo);
    setSocketState(QAbstractSocket::ConnectingState);
    if (!m_socket)
        return;
#ifndef QT_NO_SSL
    if (sslSocket) {
        sslSocket->connectToHostEncrypted(url.host(), quint16(url.port(443)));
        return;
    }
#endif
    socket->connectToHost(url.host(), quint16(url.port(80)));
}

void RsWebSocketPrivate::close(RsWebSocketProtocol::CloseCode closeCode, const QString &reason)
{
    Q_Q(RsWebSocket);
    if (!m_socket)
        return;
    if (!m_connection) {
        // Still in the opening handshake (or never opened): nothing to say on the wire.
        if (!m_closeStarted) {
            m_closeStarted = true;
            m_closeCode = closeCode;
            m_closeReason = reason;
            QPointer<RsWebSocket> guard(q);
            Q_EMIT q->aboutToClose();
            if (!guard || !m_socket)
                return;
        }
        m_socket->close();
        return;
    }
    if (m_closeStarted) {
        // A second close() does not wait any more.
        writeOutgoing(true);
        if (m_socket->state() == QAbstractSocket::ConnectedState)
            m_socket->disconnectFromHost();
        return;
    }
    const QByteArray reasonUtf8 = truncateUtf8(reason.toUtf8(), 123);
    const std::string_view reasonView(reasonUtf8.constData(), std::size_t(reasonUtf8.size()));
    queueApplicationMaskingKeys(0);
    if (!m_connection->close(int(closeCode), reasonView)) {
        if (m_connection->state() == RsWebSocketConnection::State::Open) {
            qCWarning(lcRsWebSockets).noquote()
                    << "close code" << int(closeCode) << "cannot be sent:"
                    << QString::fromStdString(m_connection->errorString())
                    << "- closing with 1000 instead";
            m_connection->close(RsWebSocketProtocol::CloseCodeNormal, reasonView);
        }
    }
    m_closeCode = closeCode;
    m_closeReason = QString::fromUtf8(reasonUtf8);
    m_closeStarted = true;
    QPointer<RsWebSocket> guard(q);
    Q_EMIT q->aboutToClose();
    if (!guard)
        return;
    setSocketState(QAbstractSocket::ClosingState);
    if (!guard || !m_socket)
        return;
    writeOutgoing(m_closeTimeout == 0);
    if (m_closeTimeout == 0 && m_socket->state() == QAbstractSocket::ConnectedState) {
        m_socket->disconnectFromHost(); // QWebSocket's behaviour
        return;
    }
    finishTransport();
    rearmTimer();
}

void RsWebSocketPrivate::abort()
{
    if (m_socket)
        m_socket->abort();
}

void RsWebSocketPrivate::queueApplicationMaskingKeys(quint64 payloadSize)
{
    // Only clients mask, and only an application generator needs feeding: by default the engine
    // draws keys from its own CSPRNG. One key per frame the engine will cut the payload into.
    if (m_isServer || !m_connection || m_maskGenerator == &m_defaultMaskGenerator)
        return;
    const quint64 frameSize = m_outgoingFrameSize ? m_outgoingFrameSize : DefaultOutgoingFrameSize;
    const std::size_t needed = std::size_t(payloadSize / frameSize + 1);
    const std::size_t queued = m_connection->queuedMaskingKeys();
    if (queued >= needed)
        return;
    std::vector<std::uint32_t> keys(needed - queued);
    auto *generator = const_cast<RsMaskGenerator *>(m_maskGenerator);
    for (std::uint32_t &key : keys)
        key = generator->nextMask();
    m_connection->queueMaskingKeys(keys.data(), keys.size());
}

void RsWebSocketPrivate::ping(const QByteArray &payload)
{
    if (!m_connection || m_state != QAbstractSocket::ConnectedState)
        return;
    queueApplicationMaskingKeys(0);
    m_pingTimer.restart();
    const QByteArray truncated = payload.left(125);
    if (!m_connection->ping(std::string_view(truncated.constData(), std::size_t(truncated.size()))))
        qCDebug(lcRsWebSockets) << "ping not sent:" << m_connection->errorString().c_str();
    writeOutgoing();
    rearmTimer();
}

qint64 RsWebSocketPrivate::sendMessage(RsWebSocketConnection::MessageType type,
                                       const QByteArray &data)
{
    if (!m_connection || !m_socket || m_state != QAbstractSocket::ConnectedState)
        return 0;
    const qint64 size = data.size();
    queueApplicationMaskingKeys(quint64(size));
    bool sent = false;
    if (size >= SharedSendMinSize && m_isServer && !m_compressionActive) {
        // The engine writes the bytes from where they are; the QByteArray copy below (a
        // reference) keeps them alive and unchanged (an application that modifies its array
        // detaches from them) until the engine releases it, exactly once.
        auto *kept = new QByteArray(data);
        sent = m_connection->sendMessageShared(
                type, reinterpret_cast<const std::uint8_t *>(kept->constData()), std::size_t(size),
                kept, [](void *context) { delete static_cast<QByteArray *>(context); });
    } else {
        sent = m_connection->sendMessage(type, data.constData(), std::size_t(size));
    }
    if (!sent) {
        setErrorString(RsWebSocket::tr("Error writing bytes to socket: %1.")
                               .arg(QString::fromStdString(m_connection->errorString())));
        emitErrorOccurred(QAbstractSocket::NetworkError);
        return 0;
    }
    // From a slot on our own signals (an echo), drain() writes everything once the events are
    // handed out: one socket write per read instead of one per message. A zero timer covers a
    // slot that runs a nested event loop (a modal dialog) before it returns; drain() stops it.
    // (A timer, not a posted call: posting wakes the event loop through a system call.) A small
    // message sent from the application's own code waits for that timer too, so that a burst
    // goes out in one write on the next event-loop turn, as from QTcpSocket's buffer.
    if (m_eventDepth == 0 && !deferSmallWrite()) {
        writeOutgoing();
    } else {
        Q_Q(RsWebSocket);
        if (!m_flushTimer) {
            m_flushTimer = new QTimer(q);
            m_flushTimer->setSingleShot(true);
            m_flushTimer->setInterval(0);
            QObject::connect(m_flushTimer, &QTimer::timeout, q, [this] {
                m_flushArmed = false;
                writeOutgoing();
            });
        }
        if (!m_flushArmed) {
            m_flushArmed = true;
            m_flushTimer->start();
        }
    }
    return size;
}

bool RsWebSocketPrivate::flush()
{
    // As QWebSocket: true without a socket; else, as QAbstractSocket::flush(), true when any
    // data was written (straight to the kernel here, or by QTcpSocket from its buffer).
    if (!m_socket)
        return true;
    const qint64 direct = writeOutgoing();
    const bool socketWrote = m_socket && m_socket->flush();
    return direct > 0 || socketWrote;
}

void RsWebSocketPrivate::setSocketState(QAbstractSocket::SocketState state)
{
    Q_Q(RsWebSocket);
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT q->stateChanged(state);
}

void RsWebSocketPrivate::setErrorString(const QString &errorString)
{
    m_errorString = errorString;
}

void RsWebSocketPrivate::emitErrorOccurred(QAbstractSocket::SocketError error)
{
    Q_Q(RsWebSocket);
    m_error = error;
    qCDebug(lcRsWebSockets) << "error" << error << q->errorString();
    QPointer<RsWebSocket> guard(q);
    Q_EMIT q->errorOccurred(error);
    if (guard)
        Q_EMIT q->error(error);
}

qint64 RsWebSocketPrivate::bufferedAmount() const
{
    qint64 amount = m_connection ? qint64(m_connection->outgoingSize()) : 0;
    if (m_socket) {
        amount += m_socket->bytesToWrite();
#ifndef QT_NO_SSL
        if (auto *ssl = qobject_cast<QSslSocket *>(m_socket))
            amount += ssl->encryptedBytesToWrite();
#endif
    }
    return amount;
}
