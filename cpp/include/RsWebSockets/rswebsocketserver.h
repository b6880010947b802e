// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#ifndef RSWEBSOCKETSERVER_H
#define RSWEBSOCKETSERVER_H

#include <RsWebSockets/rswebsockethandshake.h>
#include <RsWebSockets/rswebsockets_global.h>
#include <RsWebSockets/rswebsocketprotocol.h>

#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QUrl>
#include <QtNetwork/QAbstractSocket>
#include <QtNetwork/QHostAddress>
#ifndef QT_NO_NETWORKPROXY
#include <QtNetwork/QNetworkProxy>
#endif
#ifndef QT_NO_SSL
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslError>
#endif

#include <chrono>
#include <memory>

class QTcpSocket;
#ifndef QT_NO_SSL
class QSslPreSharedKeyAuthenticator;
#endif

// The generated meta-object code needs the complete types of pointer arguments.
#ifndef QT_NO_SSL
Q_MOC_INCLUDE(<QtNetwork/QSslPreSharedKeyAuthenticator>)
#endif
class RsWebSocket;
class RsWebSocketCorsAuthenticator;
class RsWebSocketServerPrivate;

// QWebSocketServer (Qt 6.4) with the Rs prefix, plus the extras of RsWebSockets
// (permessage-deflate, keepalive, close timeout, limits) applied to every accepted socket.
class RSWEBSOCKETS_EXPORT RsWebSocketServer : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(RsWebSocketServer)
    Q_DECLARE_PRIVATE(RsWebSocketServer)

public:
    enum SslMode {
#ifndef QT_NO_SSL
        SecureMode = 0,
#endif
        NonSecureMode = 1
    };
    Q_ENUM(SslMode)

    explicit RsWebSocketServer(const QString &serverName, SslMode secureMode,
                               QObject *parent = nullptr);
    ~RsWebSocketServer() override;

    bool listen(const QHostAddress &address = QHostAddress::Any, quint16 port = 0);
    void close();

    bool isListening() const;

    void setMaxPendingConnections(int numConnections);
    int maxPendingConnections() const;

    void setHandshakeTimeout(std::chrono::milliseconds msec)
    {
        setHandshakeTimeout(int(msec.count()));
    }
    std::chrono::milliseconds handshakeTimeout() const
    {
        return std::chrono::milliseconds(handshakeTimeoutMS());
    }
    void setHandshakeTimeout(int msec);
    int handshakeTimeoutMS() const;

    quint16 serverPort() const;
    QHostAddress serverAddress() const;
    QUrl serverUrl() const;

    SslMode secureMode() const;

    bool setSocketDescriptor(qintptr socketDescriptor);
    qintptr socketDescriptor() const;
#if QT_DEPRECATED_SINCE(6, 2)
    QT_DEPRECATED_VERSION_X_6_2("Use setSocketDescriptor instead")
    bool setNativeDescriptor(qintptr descriptor) { return setSocketDescriptor(descriptor); }
    QT_DEPRECATED_VERSION_X_6_2("Use socketDescriptor instead")
    qintptr nativeDescriptor() const { return socketDescriptor(); }
#endif

    bool hasPendingConnections() const;
    virtual RsWebSocket *nextPendingConnection();

    RsWebSocketProtocol::CloseCode error() const;
    QString errorString() const;

    void pauseAccepting();
    void resumeAccepting();

    void setServerName(const QString &serverName);
    QString serverName() const;

    void setSupportedSubprotocols(const QStringList &protocols);
    QStringList supportedSubprotocols() const;

#ifndef QT_NO_NETWORKPROXY
    void setProxy(const QNetworkProxy &networkProxy);
    QNetworkProxy proxy() const;
#endif
#ifndef QT_NO_SSL
    void setSslConfiguration(const QSslConfiguration &sslConfiguration);
    QSslConfiguration sslConfiguration() const;
#endif

    QList<RsWebSocketProtocol::Version> supportedVersions() const;

    void handleConnection(QTcpSocket *socket) const;

    // Extras beyond QWebSocketServer. They apply to connections accepted after the call.

    // permessage-deflate (RFC 7692): a client's offer is accepted when this is enabled (off by
    // default). The same names as on RsWebSocket. Window bits are 8..15; 0 (the default)
    // accepts what the client asks for.
    void setCompressionEnabled(bool enabled);
    bool compressionEnabled() const;
    void setCompressionServerNoContextTakeover(bool enabled);
    bool compressionServerNoContextTakeover() const;
    void setCompressionClientNoContextTakeover(bool enabled);
    bool compressionClientNoContextTakeover() const;
    void setCompressionServerMaxWindowBits(int bits);
    int compressionServerMaxWindowBits() const;
    void setCompressionClientMaxWindowBits(int bits);
    int compressionClientMaxWindowBits() const;
    // All parameters at once, including those beyond RFC 7692 (zlib level, memory level, local
    // window, threshold for sending uncompressed); see RsWebSocketDeflateOptions.
    void setCompressionOptions(const RsWebSocketDeflateOptions &options);
    RsWebSocketDeflateOptions compressionOptions() const;

    // Settings handed to each accepted RsWebSocket before it reads its first frame; the
    // defaults are RsWebSocket's.
    void setKeepAliveInterval(int msec);
    int keepAliveInterval() const;
    void setPongTimeout(int msec);
    int pongTimeout() const;
    void setCloseTimeout(int msec);
    int closeTimeout() const;
    void setMaxAllowedIncomingFrameSize(quint64 maxAllowedIncomingFrameSize);
    quint64 maxAllowedIncomingFrameSize() const;
    void setMaxAllowedIncomingMessageSize(quint64 maxAllowedIncomingMessageSize);
    quint64 maxAllowedIncomingMessageSize() const;

Q_SIGNALS:
    void acceptError(QAbstractSocket::SocketError socketError);
    void serverError(RsWebSocketProtocol::CloseCode closeCode);
    void originAuthenticationRequired(RsWebSocketCorsAuthenticator *pAuthenticator);
    void newConnection();
#ifndef QT_NO_SSL
    void peerVerifyError(const QSslError &error);
    void sslErrors(const QList<QSslError> &errors);
    void preSharedKeyAuthenticationRequired(QSslPreSharedKeyAuthenticator *authenticator);
    void alertSent(QSsl::AlertLevel level, QSsl::AlertType type, const QString &description);
    void alertReceived(QSsl::AlertLevel level, QSsl::AlertType type, const QString &description);
    void handshakeInterruptedOnError(const QSslError &error);
#endif
    void closed();

private:
    std::unique_ptr<RsWebSocketServerPrivate> d_ptr;
};

#endif // RSWEBSOCKETSERVER_H
