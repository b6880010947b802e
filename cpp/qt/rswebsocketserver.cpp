// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#include <RsWebSockets/rswebsocketserver.h>

#include "rsdeflateoptions_p.h"
#include "rswebsocketserver_p.h"

#include <RsWebSockets/rswebsocket.h>

#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#ifndef QT_NO_SSL
#include <QtNetwork/QSslServer>
#endif

/*!
    \class RsWebSocketServer
    \inmodule RsWebSockets
    \brief A WebSocket server: QWebSocketServer's API on the RsWebSockets engine.

    The server listens on a QTcpServer (a QSslServer in SecureMode), reads each opening
    handshake within handshakeTimeout(), asks the application about the Origin through
    originAuthenticationRequired(), answers with 101 Switching Protocols (or an HTTP error),
    and queues the accepted RsWebSocket for nextPendingConnection(), emitting newConnection().

    Beyond QWebSocketServer it negotiates permessage-deflate (setCompressionEnabled()) and
    hands keepalive, close timeout and size limits to every accepted socket.

    Everything happens on the thread the server lives in; accepted sockets live there too.
    Needs Qt 6.4 or later (QSslServer, QTcpServer::pendingConnectionAvailable()).
*/

/*!
    \enum RsWebSocketServer::SslMode
    \value SecureMode The server accepts wss:// (TLS) connections.
    \value NonSecureMode The server accepts ws:// connections.
*/

/*!
    Constructs a server called \a serverName in \a secureMode, with the given \a parent.
    The name is sent to clients in the \c Server header of the handshake response.
*/
RsWebSocketServer::RsWebSocketServer(const QString &serverName, SslMode secureMode,
                                     QObject *parent)
    : QObject(parent),
      d_ptr(std::make_unique<RsWebSocketServerPrivate>(serverName, secureMode, this))
{
    d_ptr->init();
}

/*!
    Destroys the server: it stops listening, and the connections still pending (never taken
    with nextPendingConnection()) are closed with GoingAway and deleted.
*/
RsWebSocketServer::~RsWebSocketServer()
{
    Q_D(RsWebSocketServer);
    d->close(true);
}

/*!
    Listens on \a address and \a port (0 picks a free port). Returns true on success; on
    failure error() and errorString() say why.
*/
bool RsWebSocketServer::listen(const QHostAddress &address, quint16 port)
{
    Q_D(RsWebSocketServer);
    const bool ok = d->m_tcpServer->listen(address, port);
    if (!ok)
        d->setError(RsWebSocketProtocol::CloseCodeAbnormalDisconnection,
                    d->m_tcpServer->errorString());
    return ok;
}

/*!
    Stops listening, closes the pending connections with GoingAway and aborts the handshakes
    in progress. closed() is emitted from the event loop.
*/
void RsWebSocketServer::close()
{
    Q_D(RsWebSocketServer);
    d->close(false);
}

/*!
    Returns true while the server listens for connections.
*/
bool RsWebSocketServer::isListening() const
{
    Q_D(const RsWebSocketServer);
    return d->m_tcpServer->isListening();
}

/*!
    Sets the maximum number of accepted connections waiting for nextPendingConnection() to
    \a numConnections (30 by default). A handshake that completes while the queue is full is
    answered with 503 Service Unavailable, and serverError() is emitted.
*/
void RsWebSocketServer::setMaxPendingConnections(int numConnections)
{
    Q_D(RsWebSocketServer);
    d->m_maxPendingConnections = numConnections;
    d->m_tcpServer->setMaxPendingConnections(numConnections);
}

/*!
    Returns the maximum number of pending accepted connections.
*/
int RsWebSocketServer::maxPendingConnections() const
{
    Q_D(const RsWebSocketServer);
    return d->m_maxPendingConnections;
}

/*!
    \fn void RsWebSocketServer::setHandshakeTimeout(std::chrono::milliseconds msec)
    Sets the time a client has to send its complete opening handshake to \a msec.
*/

/*!
    \fn std::chrono::milliseconds RsWebSocketServer::handshakeTimeout() const
    Returns the handshake timeout (10 seconds by default).
*/

/*!
    Sets the time a client has to send its complete opening handshake to \a msec
    milliseconds; a negative value disables the timeout.
*/
void RsWebSocketServer::setHandshakeTimeout(int msec)
{
    Q_D(RsWebSocketServer);
    d->m_handshakeTimeout = msec;
#ifndef QT_NO_SSL
    if (auto *ssl = qobject_cast<QSslServer *>(d->m_tcpServer))
        ssl->setHandshakeTimeout(msec);
#endif
}

/*!
    Returns the handshake timeout in milliseconds (10000 by default).
*/
int RsWebSocketServer::handshakeTimeoutMS() const
{
    Q_D(const RsWebSocketServer);
    return d->m_handshakeTimeout;
}

/*!
    Returns the port the server listens on, or 0.
*/
quint16 RsWebSocketServer::serverPort() const
{
    Q_D(const RsWebSocketServer);
    return d->m_tcpServer->serverPort();
}

/*!
    Returns the address the server listens on, or QHostAddress::Null.
*/
QHostAddress RsWebSocketServer::serverAddress() const
{
    Q_D(const RsWebSocketServer);
    return d->m_tcpServer->serverAddress();
}

/*!
    Returns the URL clients use to reach the server: \c ws:// or \c wss://, the listening
    address and port. Empty when the server does not listen.
*/
QUrl RsWebSocketServer::serverUrl() const
{
    Q_D(const RsWebSocketServer);
    QUrl url;
    if (!d->m_tcpServer->isListening())
        return url;
#ifndef QT_NO_SSL
    url.setScheme(d->m_secureMode == SecureMode ? QStringLiteral("wss") : QStringLiteral("ws"));
#else
    url.setScheme(QStringLiteral("ws"));
#endif
    url.setHost(serverAddress().toString());
    url.setPort(serverPort());
    return url;
}

/*!
    Returns whether the server accepts wss:// or ws:// connections.
*/
RsWebSocketServer::SslMode RsWebSocketServer::secureMode() const
{
    Q_D(const RsWebSocketServer);
    return d->m_secureMode;
}

/*!
    Makes the server listen on the already listening native socket \a socketDescriptor.
    Returns true on success.
*/
bool RsWebSocketServer::setSocketDescriptor(qintptr socketDescriptor)
{
    Q_D(RsWebSocketServer);
    return d->m_tcpServer->setSocketDescriptor(socketDescriptor);
}

/*!
    Returns the native descriptor of the listening socket, or -1.
*/
qintptr RsWebSocketServer::socketDescriptor() const
{
    Q_D(const RsWebSocketServer);
    return d->m_tcpServer->socketDescriptor();
}

/*!
    Returns true when an accepted connection waits for nextPendingConnection().
*/
bool RsWebSocketServer::hasPendingConnections() const
{
    Q_D(const RsWebSocketServer);
    for (const auto &socket : d->m_pendingConnections) {
        if (socket)
            return true;
    }
    return false;
}

/*!
    Returns the next accepted connection, in ConnectedState, or nullptr when there is none.
    The caller owns the returned socket and deletes it when done (deleteLater()).
*/
RsWebSocket *RsWebSocketServer::nextPendingConnection()
{
    Q_D(RsWebSocketServer);
    while (!d->m_pendingConnections.isEmpty()) {
        QPointer<RsWebSocket> socket = d->m_pendingConnections.dequeue();
        if (socket) {
            // Owned by the server only while pending, as QWebSocketServer's caller owns it.
            socket->setParent(nullptr);
            return socket.data();
        }
    }
    return nullptr;
}

/*!
    Returns the code of the last error (CloseCodeNormal when there was none).
*/
RsWebSocketProtocol::CloseCode RsWebSocketServer::error() const
{
    Q_D(const RsWebSocketServer);
    return d->m_error;
}

/*!
    Returns a human-readable description of the last error.
*/
QString RsWebSocketServer::errorString() const
{
    Q_D(const RsWebSocketServer);
    return d->errorString();
}

/*!
    Stops accepting new TCP connections; they wait in the system's backlog until
    resumeAccepting().
*/
void RsWebSocketServer::pauseAccepting()
{
    Q_D(RsWebSocketServer);
    d->m_tcpServer->pauseAccepting();
}

/*!
    Resumes accepting new TCP connections after pauseAccepting().
*/
void RsWebSocketServer::resumeAccepting()
{
    Q_D(RsWebSocketServer);
    d->m_tcpServer->resumeAccepting();
}

/*!
    Sets the name sent in the \c Server header of handshake responses to \a serverName.
*/
void RsWebSocketServer::setServerName(const QString &serverName)
{
    Q_D(RsWebSocketServer);
    d->m_serverName = serverName;
}

/*!
    Returns the server name.
*/
QString RsWebSocketServer::serverName() const
{
    Q_D(const RsWebSocketServer);
    return d->m_serverName;
}

/*!
    Sets the subprotocols the server supports to \a protocols, most preferred first. The first
    of them that the client offered is selected; when none matches, the connection is
    accepted without a subprotocol, as QWebSocketServer does.
*/
void RsWebSocketServer::setSupportedSubprotocols(const QStringList &protocols)
{
    Q_D(RsWebSocketServer);
    d->m_supportedSubprotocols = protocols;
}

/*!
    Returns the supported subprotocols.
*/
QStringList RsWebSocketServer::supportedSubprotocols() const
{
    Q_D(const RsWebSocketServer);
    return d->m_supportedSubprotocols;
}

#ifndef QT_NO_NETWORKPROXY
/*!
    Sets the proxy of the listening socket to \a networkProxy.
*/
void RsWebSocketServer::setProxy(const QNetworkProxy &networkProxy)
{
    Q_D(RsWebSocketServer);
    d->m_tcpServer->setProxy(networkProxy);
}

/*!
    Returns the proxy of the listening socket.
*/
QNetworkProxy RsWebSocketServer::proxy() const
{
    Q_D(const RsWebSocketServer);
    return d->m_tcpServer->proxy();
}
#endif

#ifndef QT_NO_SSL
/*!
    Sets the TLS configuration (certificate, private key, …) of a SecureMode server to
    \a sslConfiguration. A NonSecureMode server ignores it with a warning.
*/
void RsWebSocketServer::setSslConfiguration(const QSslConfiguration &sslConfiguration)
{
    Q_D(RsWebSocketServer);
    if (auto *ssl = qobject_cast<QSslServer *>(d->m_tcpServer))
        ssl->setSslConfiguration(sslConfiguration);
    else
        qWarning("RsWebSocketServer: cannot set an SSL configuration on a non-secure server");
}

/*!
    Returns the TLS configuration, or the default configuration for a NonSecureMode server.
*/
QSslConfiguration RsWebSocketServer::sslConfiguration() const
{
    Q_D(const RsWebSocketServer);
    if (auto *ssl = qobject_cast<QSslServer *>(d->m_tcpServer))
        return ssl->sslConfiguration();
    return QSslConfiguration::defaultConfiguration();
}
#endif

/*!
    Returns the WebSocket versions the server accepts: version 13 only.
*/
QList<RsWebSocketProtocol::Version> RsWebSocketServer::supportedVersions() const
{
    return { RsWebSocketProtocol::currentVersion() };
}

/*!
    Reads an opening handshake from \a socket, a connection the application accepted itself
    (for example from its own QTcpServer), and treats it like a connection accepted by this
    server. The server takes ownership of \a socket.
*/
void RsWebSocketServer::handleConnection(QTcpSocket *socket) const
{
    // QWebSocketServer declares this const; the server state it changes is the private part.
    const_cast<RsWebSocketServerPrivate *>(d_func())->handleConnection(socket);
}

/*!
    Enables or disables permessage-deflate (RFC 7692) to \a enabled. When enabled, a client's
    offer of permessage-deflate is accepted with the parameters set below; otherwise it is
    declined and the connection runs uncompressed. Off by default.
*/
void RsWebSocketServer::setCompressionEnabled(bool enabled)
{
    Q_D(RsWebSocketServer);
    d->m_compressionEnabled = enabled;
}

/*!
    Returns true when permessage-deflate offers are accepted.
*/
bool RsWebSocketServer::compressionEnabled() const
{
    Q_D(const RsWebSocketServer);
    return d->m_compressionEnabled;
}

/*!
    When \a enabled, the server resets its compressor after every message and says so with
    \c server_no_context_takeover.
*/
void RsWebSocketServer::setCompressionServerNoContextTakeover(bool enabled)
{
    Q_D(RsWebSocketServer);
    d->m_deflate.serverNoContextTakeover = enabled;
}

/*!
    Returns whether the server answers with \c server_no_context_takeover.
*/
bool RsWebSocketServer::compressionServerNoContextTakeover() const
{
    Q_D(const RsWebSocketServer);
    return d->m_deflate.serverNoContextTakeover;
}

/*!
    When \a enabled, the server asks clients to reset their compressor after every message
    (\c client_no_context_takeover).
*/
void RsWebSocketServer::setCompressionClientNoContextTakeover(bool enabled)
{
    Q_D(RsWebSocketServer);
    d->m_deflate.clientNoContextTakeover = enabled;
}

/*!
    Returns whether the server answers with \c client_no_context_takeover.
*/
bool RsWebSocketServer::compressionClientNoContextTakeover() const
{
    Q_D(const RsWebSocketServer);
    return d->m_deflate.clientNoContextTakeover;
}

/*!
    Limits the LZ77 window the server compresses with to 2^\a bits bytes (8 to 15), sent as
    \c server_max_window_bits; 0 (the default) uses what the client asks for.
*/
void RsWebSocketServer::setCompressionServerMaxWindowBits(int bits)
{
    Q_D(RsWebSocketServer);
    d->m_deflate.serverMaxWindowBits = RsDeflateOptions::windowBits(bits);
}

/*!
    Returns the server's compression window limit in bits (0: none).
*/
int RsWebSocketServer::compressionServerMaxWindowBits() const
{
    Q_D(const RsWebSocketServer);
    return RsDeflateOptions::windowBits(d->m_deflate.serverMaxWindowBits);
}

/*!
    Limits the window clients may compress with to 2^\a bits bytes (8 to 15), sent as
    \c client_max_window_bits when the client allows it; 0 (the default) sets no limit.
*/
void RsWebSocketServer::setCompressionClientMaxWindowBits(int bits)
{
    Q_D(RsWebSocketServer);
    d->m_deflate.clientMaxWindowBits = RsDeflateOptions::windowBits(bits);
}

/*!
    Returns the client compression window limit in bits (0: none).
*/
int RsWebSocketServer::compressionClientMaxWindowBits() const
{
    Q_D(const RsWebSocketServer);
    return RsDeflateOptions::windowBits(d->m_deflate.clientMaxWindowBits);
}

/*!
    Sets every permessage-deflate parameter at once from \a options: the four of RFC 7692 (as
    the setters above) and those beyond it, as in Boost.Beast (zlib compression level, memory
    level, the largest window the server compresses with, and the size under which messages go
    out uncompressed). Values are brought into their ranges (see RsWebSocketDeflateOptions).
    Applies to connections accepted afterwards; setCompressionEnabled() still turns compression
    on and off.
*/
void RsWebSocketServer::setCompressionOptions(const RsWebSocketDeflateOptions &options)
{
    Q_D(RsWebSocketServer);
    d->m_deflate = RsDeflateOptions::normalized(options);
}

/*!
    Returns the permessage-deflate parameters accepted sockets use (when compression is enabled).
*/
RsWebSocketDeflateOptions RsWebSocketServer::compressionOptions() const
{
    Q_D(const RsWebSocketServer);
    return d->m_deflate;
}

/*!
    Sets the interval of the keepalive pings accepted sockets send to \a msec milliseconds;
    0 (the default) sends none. See RsWebSocket::setKeepAliveInterval().
*/
void RsWebSocketServer::setKeepAliveInterval(int msec)
{
    Q_D(RsWebSocketServer);
    d->m_keepAliveInterval = msec;
}

/*!
    Returns the keepalive interval of accepted sockets in milliseconds.
*/
int RsWebSocketServer::keepAliveInterval() const
{
    Q_D(const RsWebSocketServer);
    return d->m_keepAliveInterval;
}

/*!
    Sets how long an accepted socket waits for the pong of a keepalive ping to \a msec
    milliseconds before it reports the peer dead (10000 by default; 0 waits forever).
*/
void RsWebSocketServer::setPongTimeout(int msec)
{
    Q_D(RsWebSocketServer);
    d->m_pongTimeout = msec;
}

/*!
    Returns the pong timeout of accepted sockets in milliseconds.
*/
int RsWebSocketServer::pongTimeout() const
{
    Q_D(const RsWebSocketServer);
    return d->m_pongTimeout;
}

/*!
    Sets how long an accepted socket waits, after close(), for the peer's Close frame to
    \a msec milliseconds (5000 by default; 0 drops TCP at once like QWebSocket).
*/
void RsWebSocketServer::setCloseTimeout(int msec)
{
    Q_D(RsWebSocketServer);
    d->m_closeTimeout = msec;
}

/*!
    Returns the close timeout of accepted sockets in milliseconds.
*/
int RsWebSocketServer::closeTimeout() const
{
    Q_D(const RsWebSocketServer);
    return d->m_closeTimeout;
}

/*!
    Sets the largest incoming frame accepted sockets take to \a maxAllowedIncomingFrameSize
    bytes; a larger frame closes the connection with 1009.
*/
void RsWebSocketServer::setMaxAllowedIncomingFrameSize(quint64 maxAllowedIncomingFrameSize)
{
    Q_D(RsWebSocketServer);
    d->m_maxFrameSize = qMin(maxAllowedIncomingFrameSize, RsWebSocket::maxIncomingFrameSize());
}

/*!
    Returns the largest incoming frame accepted sockets take.
*/
quint64 RsWebSocketServer::maxAllowedIncomingFrameSize() const
{
    Q_D(const RsWebSocketServer);
    return d->m_maxFrameSize;
}

/*!
    Sets the largest incoming message, after decompression, accepted sockets take to
    \a maxAllowedIncomingMessageSize bytes; a larger message closes the connection with 1009.
*/
void RsWebSocketServer::setMaxAllowedIncomingMessageSize(quint64 maxAllowedIncomingMessageSize)
{
    Q_D(RsWebSocketServer);
    d->m_maxMessageSize =
            qMin(maxAllowedIncomingMessageSize, RsWebSocket::maxIncomingMessageSize());
}

/*!
    Returns the largest incoming message accepted sockets take.
*/
quint64 RsWebSocketServer::maxAllowedIncomingMessageSize() const
{
    Q_D(const RsWebSocketServer);
    return d->m_maxMessageSize;
}

/*!
    \fn void RsWebSocketServer::acceptError(QAbstractSocket::SocketError socketError)
    Emitted when accepting a new TCP connection fails with \a socketError.
*/

/*!
    \fn void RsWebSocketServer::serverError(RsWebSocketProtocol::CloseCode closeCode)
    Emitted when an opening handshake is refused or fails; \a closeCode and errorString()
    describe why.
*/

/*!
    \fn void RsWebSocketServer::originAuthenticationRequired(RsWebSocketCorsAuthenticator *pAuthenticator)
    Emitted, synchronously, for every valid opening handshake before the server answers it.
    Call \a pAuthenticator->setAllowed(false) from a directly connected slot to refuse the
    Origin; the client then gets 403 Forbidden.
*/

/*!
    \fn void RsWebSocketServer::newConnection()
    Emitted every time a connection is accepted and queued for nextPendingConnection().
*/

/*!
    \fn void RsWebSocketServer::closed()
    Emitted, from the event loop, after close().
*/

/*!
    \fn void RsWebSocketServer::peerVerifyError(const QSslError &error)
    Emitted when TLS peer verification of an incoming connection hits \a error.
*/

/*!
    \fn void RsWebSocketServer::sslErrors(const QList<QSslError> &errors)
    Emitted when the TLS handshake of an incoming connection fails with \a errors.
*/

/*!
    \fn void RsWebSocketServer::preSharedKeyAuthenticationRequired(QSslPreSharedKeyAuthenticator *authenticator)
    Emitted when a TLS client negotiates a PSK cipher; fill \a authenticator.
*/

/*!
    \fn void RsWebSocketServer::alertSent(QSsl::AlertLevel level, QSsl::AlertType type, const QString &description)
    Emitted when the server sends a TLS alert (\a level, \a type, \a description).
*/

/*!
    \fn void RsWebSocketServer::alertReceived(QSsl::AlertLevel level, QSsl::AlertType type, const QString &description)
    Emitted when the server receives a TLS alert (\a level, \a type, \a description).
*/

/*!
    \fn void RsWebSocketServer::handshakeInterruptedOnError(const QSslError &error)
    Emitted when a TLS handshake is interrupted by certificate verification \a error.
*/
