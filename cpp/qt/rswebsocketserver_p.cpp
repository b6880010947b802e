// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#include "rswebsocketserver_p.h"

#include "rswebsocket_p.h"
#include "rswebsocketslogging_p.h"

#include <RsWebSockets/rswebsocket.h>
#include <RsWebSockets/rswebsocketcorsauthenticator.h>
#include <RsWebSockets/rswebsockethandshake.h>

#include <QtCore/QMetaObject>
#include <QtCore/QTimer>
#include <QtNetwork/QNetworkRequest>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#ifndef QT_NO_SSL
#include <QtNetwork/QSslServer>
#include <QtNetwork/QSslSocket>
#endif

#include <string>
#include <utility>

namespace {

// A request head larger than this is refused with 431 before it is complete.
constexpr qsizetype MaxRequestHeadSize = 64 * 1024;
// How long a refused client gets to read the HTTP error before the socket is dropped.
constexpr int RejectLingerMs = 2000;

QString toQString(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

QByteArray toQByteArray(const std::string &s)
{
    return QByteArray(s.data(), qsizetype(s.size()));
}

RsWebSocketProtocol::CloseCode closeCodeFor(RsWebSocketHandshake::Error error)
{
    switch (error) {
    case RsWebSocketHandshake::Error::BadOrigin:
        return RsWebSocketProtocol::CloseCodePolicyViolated;
    case RsWebSocketHandshake::Error::NoError:
        return RsWebSocketProtocol::CloseCodeNormal;
    case RsWebSocketHandshake::Error::Failed:
    case RsWebSocketHandshake::Error::NotWebSocket:
    case RsWebSocketHandshake::Error::BadHandshake:
        break;
    }
    return RsWebSocketProtocol::CloseCodeProtocolError;
}

} // namespace

RsWebSocketServerPrivate::RsWebSocketServerPrivate(const QString &serverName,
                                                   RsWebSocketServer::SslMode secureMode,
                                                   RsWebSocketServer *q)
    : q_ptr(q), m_serverName(serverName), m_secureMode(secureMode)
{
}

RsWebSocketServerPrivate::~RsWebSocketServerPrivate()
{
    // The TCP server and the sockets still in handshake are children of the public object;
    // delete them now so that none of their signals reaches this half-destroyed object.
    const auto sockets = m_handshakes;
    m_handshakes.clear();
    for (auto it = sockets.cbegin(); it != sockets.cend(); ++it) {
        QObject::disconnect(it.value().readyRead);
        QObject::disconnect(it.value().disconnected);
        delete it.key();
    }
    delete m_tcpServer;
}

void RsWebSocketServerPrivate::init()
{
    Q_Q(RsWebSocketServer);
    m_maxFrameSize = RsWebSocket::maxIncomingFrameSize();
    m_maxMessageSize = RsWebSocket::maxIncomingMessageSize();
#ifndef QT_NO_SSL
    if (m_secureMode == RsWebSocketServer::SecureMode) {
        auto *ssl = new QSslServer(q);
        ssl->setHandshakeTimeout(m_handshakeTimeout);
        QObject::connect(ssl, &QSslServer::peerVerifyError, q,
                         [q](QSslSocket *, const QSslError &error) {
                             Q_EMIT q->peerVerifyError(error);
                         });
        QObject::connect(ssl, &QSslServer::sslErrors, q,
                         [q](QSslSocket *, const QList<QSslError> &errors) {
                             Q_EMIT q->sslErrors(errors);
                         });
        QObject::connect(ssl, &QSslServer::preSharedKeyAuthenticationRequired, q,
                         [q](QSslSocket *, QSslPreSharedKeyAuthenticator *authenticator) {
                             Q_EMIT q->preSharedKeyAuthenticationRequired(authenticator);
                         });
        QObject::connect(ssl, &QSslServer::alertSent, q,
                         [q](QSslSocket *, QSsl::AlertLevel level, QSsl::AlertType type,
                             const QString &description) {
                             Q_EMIT q->alertSent(level, type, description);
                         });
        QObject::connect(ssl, &QSslServer::alertReceived, q,
                         [q](QSslSocket *, QSsl::AlertLevel level, QSsl::AlertType type,
                             const QString &description) {
                             Q_EMIT q->alertReceived(level, type, description);
                         });
        QObject::connect(ssl, &QSslServer::handshakeInterruptedOnError, q,
                         [q](QSslSocket *, const QSslError &error) {
                             Q_EMIT q->handshakeInterruptedOnError(error);
                         });
        m_tcpServer = ssl;
    } else
#endif
    {
        m_tcpServer = new QTcpServer(q);
    }
    m_tcpServer->setMaxPendingConnections(m_maxPendingConnections);
    QObject::connect(m_tcpServer, &QTcpServer::acceptError, q,
                     &RsWebSocketServer::acceptError);
    QObject::connect(m_tcpServer, &QTcpServer::pendingConnectionAvailable, q,
                     [this] { onNewTcpConnection(); });
}

void RsWebSocketServerPrivate::close(bool aboutToDestroy)
{
    Q_Q(RsWebSocketServer);
    m_tcpServer->close();

    const auto handshakes = m_handshakes;
    m_handshakes.clear();
    for (auto it = handshakes.cbegin(); it != handshakes.cend(); ++it) {
        QObject::disconnect(it.value().readyRead);
        QObject::disconnect(it.value().disconnected);
        it.key()->abort();
        if (aboutToDestroy)
            delete it.key();
        else
            it.key()->deleteLater();
    }

    while (!m_pendingConnections.isEmpty()) {
        QPointer<RsWebSocket> socket = m_pendingConnections.dequeue();
        if (!socket)
            continue;
        socket->close(RsWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("Server closed."));
        if (aboutToDestroy) {
            socket->abort();
            delete socket.data();
        } else {
            socket->deleteLater();
        }
    }

    if (!aboutToDestroy) {
        // Through the event loop, like QWebSocketServer, so buffers can drain first.
        QMetaObject::invokeMethod(q, &RsWebSocketServer::closed, Qt::QueuedConnection);
    }
}

void RsWebSocketServerPrivate::setError(RsWebSocketProtocol::CloseCode code,
                                        const QString &errorString)
{
    Q_Q(RsWebSocketServer);
    m_error = code;
    m_errorString = errorString;
    Q_EMIT q->serverError(code);
}

QString RsWebSocketServerPrivate::errorString() const
{
    if (m_errorString.isEmpty())
        return m_tcpServer->errorString();
    return m_errorString;
}

void RsWebSocketServerPrivate::onNewTcpConnection()
{
    while (m_tcpServer->hasPendingConnections()) {
        if (QTcpSocket *socket = m_tcpServer->nextPendingConnection())
            handleConnection(socket);
    }
}

void RsWebSocketServerPrivate::handleConnection(QTcpSocket *socket)
{
    Q_Q(RsWebSocketServer);
    if (!socket || m_handshakes.contains(socket))
        return;
    if (socket->thread() != q->thread()) {
        qWarning("RsWebSocketServer::handleConnection: the socket lives in another thread");
        return;
    }
    if (socket->parent() != m_tcpServer)
        socket->setParent(q);

    PendingHandshake pending;
    pending.timer = new QTimer(socket);
    pending.timer->setSingleShot(true);
    QObject::connect(pending.timer, &QTimer::timeout, q, [this, socket] {
        if (!m_handshakes.contains(socket))
            return;
        forget(socket);
        socket->abort();
        socket->deleteLater();
        setError(RsWebSocketProtocol::CloseCodeAbnormalDisconnection,
                 QStringLiteral("The opening handshake timed out."));
    });
    pending.readyRead = QObject::connect(socket, &QIODevice::readyRead, q,
                                         [this, socket] { onHandshakeBytes(socket); });
    pending.disconnected = QObject::connect(socket, &QAbstractSocket::disconnected, q,
                                            [this, socket] {
                                                if (!m_handshakes.contains(socket))
                                                    return;
                                                forget(socket);
                                                socket->deleteLater();
                                            });
    if (m_handshakeTimeout >= 0)
        pending.timer->start(m_handshakeTimeout);
    m_handshakes.insert(socket, pending);

    if (socket->state() != QAbstractSocket::ConnectedState) {
        forget(socket);
        socket->deleteLater();
        return;
    }
    if (socket->bytesAvailable() > 0) {
        // Bytes read before the server got the socket: handle them from the event loop, so
        // that handleConnection() never emits signals into its caller.
        QPointer<QTcpSocket> guard(socket);
        QMetaObject::invokeMethod(
                q,
                [this, guard] {
                    if (guard && m_handshakes.contains(guard.data()))
                        onHandshakeBytes(guard.data());
                },
                Qt::QueuedConnection);
    }
}

void RsWebSocketServerPrivate::forget(QTcpSocket *socket)
{
    const auto it = m_handshakes.find(socket);
    if (it == m_handshakes.end())
        return;
    QObject::disconnect(it.value().readyRead);
    QObject::disconnect(it.value().disconnected);
    if (it.value().timer) {
        it.value().timer->stop();
        it.value().timer->deleteLater();
    }
    m_handshakes.erase(it);
}

void RsWebSocketServerPrivate::reject(QTcpSocket *socket, const QByteArray &response,
                                      RsWebSocketProtocol::CloseCode code, const QString &reason)
{
    qCDebug(lcRsWebSockets) << "RsWebSocketServer: refusing" << socket->peerAddress() << reason;
    forget(socket);
    socket->write(response);
    // Let the client read the answer, then drop the socket even if it never closes its side.
    QObject::connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(RejectLingerMs, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    socket->disconnectFromHost();
    setError(code, reason);
}

void RsWebSocketServerPrivate::onHandshakeBytes(QTcpSocket *socket)
{
    Q_Q(RsWebSocketServer);
    auto it = m_handshakes.find(socket);
    if (it == m_handshakes.end())
        return;
    it.value().buffer += socket->readAll();
    const QByteArray buffer = it.value().buffer;

    RsWebSocketHandshake::ServerOptions options;
    options.protocols.reserve(size_t(m_supportedSubprotocols.size()));
    for (const QString &protocol : m_supportedSubprotocols)
        options.protocols.push_back(protocol.toStdString());
    if (!m_serverName.isEmpty())
        options.headers.emplace_back("Server", m_serverName.toStdString());
    if (m_compressionEnabled)
        options.extensions.deflate = m_deflate;

    RsWebSocketHandshake::Server handshake(options);
    const RsWebSocketHandshake::ServerRequest request =
            handshake.check(buffer.constData(), size_t(buffer.size()));

    if (request.status == RsWebSocketHandshake::Status::Incomplete) {
        if (buffer.size() > MaxRequestHeadSize) {
            const auto response =
                    handshake.reject(431, "The request header fields are too large.");
            reject(socket, toQByteArray(response.response),
                   RsWebSocketProtocol::CloseCodeTooMuchData,
                   QStringLiteral("The opening handshake request is too large."));
        }
        return;
    }
    if (request.status == RsWebSocketHandshake::Status::Failed) {
        const auto response = handshake.reject();
        // A request head over the engine's limits (431) is "too much data"; the rest are
        // protocol errors (or a refused Origin).
        reject(socket, toQByteArray(response.response),
               request.httpStatus == 431 ? RsWebSocketProtocol::CloseCodeTooMuchData
                                         : closeCodeFor(request.error),
               toQString(request.errorString));
        return;
    }

    // The request is a valid WebSocket handshake: let the application judge the Origin.
    // The signal is synchronous (as in QWebSocketServer); the socket may vanish meanwhile.
    QPointer<QTcpSocket> guard(socket);
    RsWebSocketCorsAuthenticator authenticator(toQString(request.origin));
    Q_EMIT q->originAuthenticationRequired(&authenticator);
    if (!guard || !m_handshakes.contains(socket))
        return;
    if (!authenticator.allowed()) {
        const auto response = handshake.reject(403, "The Origin is not allowed.");
        reject(socket, toQByteArray(response.response),
               RsWebSocketProtocol::CloseCodePolicyViolated,
               QStringLiteral("The Origin %1 is not allowed.").arg(authenticator.origin()));
        return;
    }

    qsizetype queued = 0;
    for (const auto &pendingSocket : m_pendingConnections) {
        if (pendingSocket)
            ++queued;
    }
    if (queued >= m_maxPendingConnections) {
        const auto response = handshake.reject(503, "Too many pending connections.");
        reject(socket, toQByteArray(response.response),
               RsWebSocketProtocol::CloseCodeAbnormalDisconnection,
               QStringLiteral("Too many pending connections."));
        return;
    }

    RsWebSocketHandshake::ServerResponse response = handshake.accept();
    if (!response.accepted) {
        reject(socket, toQByteArray(response.response), closeCodeFor(response.error),
               toQString(response.errorString));
        return;
    }

    // Rebuild the request the way the client sent it, for RsWebSocket::request().
    QUrl url;
#ifndef QT_NO_SSL
    url.setScheme(qobject_cast<QSslSocket *>(socket) ? QStringLiteral("wss")
                                                     : QStringLiteral("ws"));
#else
    url.setScheme(QStringLiteral("ws"));
#endif
    url = QUrl(url.scheme() + QStringLiteral("://") + toQString(request.host)
               + toQString(request.resourceName));
    QNetworkRequest networkRequest(url);
    for (const auto &header : request.headers)
        networkRequest.setRawHeader(toQByteArray(header.first), toQByteArray(header.second));

    const QByteArray leftover = buffer.mid(qsizetype(request.consumed));
    forget(socket);
    socket->write(toQByteArray(response.response));

    RsWebSocketSettings settings;
    settings.keepAliveInterval = m_keepAliveInterval;
    settings.pongTimeout = m_pongTimeout;
    settings.closeTimeout = m_closeTimeout;
    settings.maxAllowedIncomingFrameSize = m_maxFrameSize;
    settings.maxAllowedIncomingMessageSize = m_maxMessageSize;

    RsWebSocket *webSocket = RsWebSocketPrivate::upgradeFrom(
            socket, std::move(response.negotiation), networkRequest, toQString(request.origin),
            toQString(response.protocol), leftover, settings, q);
    if (!webSocket) {
        socket->abort();
        socket->deleteLater();
        setError(RsWebSocketProtocol::CloseCodeAbnormalDisconnection,
                 QStringLiteral("Upgrading to a WebSocket failed."));
        return;
    }
    qCDebug(lcRsWebSockets) << "RsWebSocketServer: accepted" << webSocket->peerAddress()
                            << url << webSocket->subprotocol();
    m_pendingConnections.enqueue(webSocket);
    Q_EMIT q->newConnection();
}
