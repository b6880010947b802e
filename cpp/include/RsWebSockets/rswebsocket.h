// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#ifndef RSWEBSOCKET_H
#define RSWEBSOCKET_H

#include <RsWebSockets/rswebsocketprotocol.h>
#include <RsWebSockets/rswebsockethandshake.h>
#include <RsWebSockets/rswebsockets_global.h>

#include <QtCore/QObject>
#include <QtCore/QUrl>
#include <QtNetwork/QAbstractSocket>
#include <QtNetwork/QHostAddress>
#include <QtNetwork/QNetworkRequest>
#ifndef QT_NO_NETWORKPROXY
#include <QtNetwork/QNetworkProxy>
#endif
#ifndef QT_NO_SSL
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslError>
#endif

#include <memory>

class QAuthenticator;
class QTcpSocket;
#ifndef QT_NO_SSL
class QSslPreSharedKeyAuthenticator;
#endif
class RsMaskGenerator;
class RsWebSocketHandshakeOptions;
class RsWebSocketPrivate;

// The generated meta-object code needs the complete types of pointer arguments.
Q_MOC_INCLUDE(<QtNetwork/QAuthenticator>)
#ifndef QT_NO_SSL
Q_MOC_INCLUDE(<QtNetwork/QSslPreSharedKeyAuthenticator>)
#endif

// QWebSocket with the Rs prefix: a WebSocket client (or a server-side connection handed out by
// RsWebSocketServer) on the Qt event loop of its thread. Same methods, signals, enums, default
// arguments and meanings as QWebSocket in Qt 6.4, driven by the RsWebSockets engine.
//
// Added (not in Qt; defaults keep Qt's behaviour): permessage-deflate compression,
// keep-alive pings with a pong timeout, a close timeout (after close() the socket waits for
// the peer's Close frame as RFC 6455 asks instead of dropping TCP at once), and the buffered
// amount with a low-water signal. maxAllowedIncomingMessageSize() applies after inflation.
class RSWEBSOCKETS_EXPORT RsWebSocket : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(RsWebSocket)
    Q_DECLARE_PRIVATE(RsWebSocket)

public:
    explicit RsWebSocket(const QString &origin = QString(),
                         RsWebSocketProtocol::Version version = RsWebSocketProtocol::VersionLatest,
                         QObject *parent = nullptr);
    ~RsWebSocket() override;

    void abort();
    QAbstractSocket::SocketError error() const;
    QString errorString() const;
    bool flush();
    bool isValid() const;
    QHostAddress localAddress() const;
    quint16 localPort() const;
    QAbstractSocket::PauseModes pauseMode() const;
    QHostAddress peerAddress() const;
    QString peerName() const;
    quint16 peerPort() const;
#ifndef QT_NO_NETWORKPROXY
    QNetworkProxy proxy() const;
    void setProxy(const QNetworkProxy &networkProxy);
#endif
    // Frames are masked by the engine's CSPRNG; an application generator is kept and returned
    // by maskGenerator() but not consulted yet (setMaskGenerator() warns).
    void setMaskGenerator(const RsMaskGenerator *maskGenerator);
    const RsMaskGenerator *maskGenerator() const;
    qint64 readBufferSize() const;
    void setReadBufferSize(qint64 size);

    void resume();
    void setPauseMode(QAbstractSocket::PauseModes pauseMode);

    QAbstractSocket::SocketState state() const;

    RsWebSocketProtocol::Version version() const;
    QString resourceName() const;
    QUrl requestUrl() const;
    QNetworkRequest request() const;
    RsWebSocketHandshakeOptions handshakeOptions() const;
    QString origin() const;
    QString subprotocol() const;
    RsWebSocketProtocol::CloseCode closeCode() const;
    QString closeReason() const;

    qint64 sendTextMessage(const QString &message);
    qint64 sendBinaryMessage(const QByteArray &data);

#ifndef QT_NO_SSL
    void ignoreSslErrors(const QList<QSslError> &errors);
    void continueInterruptedHandshake();

    void setSslConfiguration(const QSslConfiguration &sslConfiguration);
    QSslConfiguration sslConfiguration() const;
#endif

    qint64 bytesToWrite() const;

    void setMaxAllowedIncomingFrameSize(quint64 maxAllowedIncomingFrameSize);
    quint64 maxAllowedIncomingFrameSize() const;
    void setMaxAllowedIncomingMessageSize(quint64 maxAllowedIncomingMessageSize);
    quint64 maxAllowedIncomingMessageSize() const;
    static quint64 maxIncomingMessageSize();
    static quint64 maxIncomingFrameSize();

    void setOutgoingFrameSize(quint64 outgoingFrameSize);
    quint64 outgoingFrameSize() const;
    static quint64 maxOutgoingFrameSize();

    // --- Not in QWebSocket ---------------------------------------------------------------

    // permessage-deflate (RFC 7692), offered by open(); off by default. The same names as on
    // RsWebSocketServer. Window bits are 8..15; 0 (the default) leaves the parameter to the
    // server (client_max_window_bits is offered without a value, server_max_window_bits is
    // not sent).
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
    // True when permessage-deflate is in force on the current connection.
    bool isCompressionActive() const;
    // The negotiated extensions in Sec-WebSocket-Extensions form (empty if none), e.g.
    // "permessage-deflate; server_no_context_takeover".
    QString extensions() const;

    // Interval between keep-alive pings in milliseconds; 0 (the default) sends none. The pongs
    // of keep-alive pings are reported by pong() too.
    void setKeepAliveInterval(int msecs);
    int keepAliveInterval() const;
    // How long to wait for the pong to a keep-alive ping before the peer is declared dead
    // (errorOccurred(SocketTimeoutError), close code 1011, TCP aborted). Default 10000 ms;
    // 0 waits forever.
    void setPongTimeout(int msecs);
    int pongTimeout() const;
    // How long close() waits for the peer's Close frame (and a server for the TCP close)
    // before dropping the connection. Default 5000 ms; 0 drops TCP at once like QWebSocket.
    void setCloseTimeout(int msecs);
    int closeTimeout() const;

    // Bytes accepted by sendTextMessage()/sendBinaryMessage()/ping()/close() that have not yet
    // been handed to the operating system (encoded frames, TLS records included).
    qint64 bufferedAmount() const;
    // bufferedAmountLow() is emitted when bufferedAmount() falls to this many bytes or fewer
    // after having been above it. Default 0.
    void setBufferedAmountLowThreshold(qint64 bytes);
    qint64 bufferedAmountLowThreshold() const;

public Q_SLOTS:
    void close(RsWebSocketProtocol::CloseCode closeCode = RsWebSocketProtocol::CloseCodeNormal,
               const QString &reason = QString());

    void open(const QUrl &url);
    void open(const QNetworkRequest &request);
    void open(const QUrl &url, const RsWebSocketHandshakeOptions &options);
    void open(const QNetworkRequest &request, const RsWebSocketHandshakeOptions &options);

    void ping(const QByteArray &payload = QByteArray());
#ifndef QT_NO_SSL
    void ignoreSslErrors();
#endif

Q_SIGNALS:
    void aboutToClose();
    void connected();
    void disconnected();
    void stateChanged(QAbstractSocket::SocketState state);
#ifndef QT_NO_NETWORKPROXY
    void proxyAuthenticationRequired(const QNetworkProxy &proxy, QAuthenticator *pAuthenticator);
#endif
    void readChannelFinished();
    void textFrameReceived(const QString &frame, bool isLastFrame);
    void binaryFrameReceived(const QByteArray &frame, bool isLastFrame);
    void textMessageReceived(const QString &message);
    void binaryMessageReceived(const QByteArray &message);
    // Qt 6.4 names this signal error(); Qt 6.5 adds errorOccurred(). Both are emitted.
    void error(QAbstractSocket::SocketError error);
    void errorOccurred(QAbstractSocket::SocketError error);
    void pong(quint64 elapsedTime, const QByteArray &payload);
    void bytesWritten(qint64 bytes);

#ifndef QT_NO_SSL
    void peerVerifyError(const QSslError &error);
    void sslErrors(const QList<QSslError> &errors);
    void preSharedKeyAuthenticationRequired(QSslPreSharedKeyAuthenticator *authenticator);
    void alertSent(QSsl::AlertLevel level, QSsl::AlertType type, const QString &description);
    void alertReceived(QSsl::AlertLevel level, QSsl::AlertType type, const QString &description);
    void handshakeInterruptedOnError(const QSslError &error);
#endif

    // Not in QWebSocket: bufferedAmount() dropped to bufferedAmountLowThreshold() or below.
    void bufferedAmountLow(qint64 bufferedAmount);

protected:
    // Keep count of the receivers of the per-frame signals, so that the delivery of every
    // message need not ask QObject whether they are connected.
    void connectNotify(const QMetaMethod &signal) override;
    void disconnectNotify(const QMetaMethod &signal) override;

private:
    friend class RsWebSocketPrivate;
    explicit RsWebSocket(std::unique_ptr<RsWebSocketPrivate> d, QObject *parent);

    std::unique_ptr<RsWebSocketPrivate> d_ptr;
};

#endif // RSWEBSOCKET_H
