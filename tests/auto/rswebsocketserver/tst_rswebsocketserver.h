// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// Shared by the tst_rswebsocketserver*.cpp files: the test class, a spy on every server signal,
// a raw TCP client, and request/URL helpers.

#ifndef TST_RSWEBSOCKETSERVER_H
#define TST_RSWEBSOCKETSERVER_H

#include <RsWebSockets/RsWebSocket>
#include <RsWebSockets/RsWebSocketCorsAuthenticator>
#include <RsWebSockets/RsWebSocketServer>

#include <QtCore/QPointer>
#include <QtNetwork/QTcpServer>
#ifndef QT_NO_SSL
#include <QtNetwork/QSslCipher>
#include <QtNetwork/QSslKey>
#include <QtNetwork/QSslPreSharedKeyAuthenticator>
#endif
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketHandshakeOptions>

#include <memory>

Q_DECLARE_METATYPE(RsWebSocketProtocol::CloseCode)

namespace ServerTest {

// Spies on every signal of a server, so each test can check what was (not) emitted.
struct ServerSpies
{
    explicit ServerSpies(RsWebSocketServer *server)
        : acceptError(server, &RsWebSocketServer::acceptError),
          serverError(server, &RsWebSocketServer::serverError),
          originAuthenticationRequired(server, &RsWebSocketServer::originAuthenticationRequired),
          newConnection(server, &RsWebSocketServer::newConnection),
          peerVerifyError(server, &RsWebSocketServer::peerVerifyError),
          sslErrors(server, &RsWebSocketServer::sslErrors),
          preSharedKeyAuthenticationRequired(
                  server, &RsWebSocketServer::preSharedKeyAuthenticationRequired),
          alertSent(server, &RsWebSocketServer::alertSent),
          alertReceived(server, &RsWebSocketServer::alertReceived),
          handshakeInterruptedOnError(server, &RsWebSocketServer::handshakeInterruptedOnError),
          closed(server, &RsWebSocketServer::closed)
    {
    }

    bool allValid() const
    {
        return acceptError.isValid() && serverError.isValid()
                && originAuthenticationRequired.isValid() && newConnection.isValid()
                && peerVerifyError.isValid() && sslErrors.isValid()
                && preSharedKeyAuthenticationRequired.isValid() && alertSent.isValid()
                && alertReceived.isValid() && handshakeInterruptedOnError.isValid()
                && closed.isValid();
    }

    // A plain (ws://) server never emits the TLS signals nor acceptError in these tests.
    bool noTlsOrAcceptSignals() const
    {
        return acceptError.isEmpty() && peerVerifyError.isEmpty() && sslErrors.isEmpty()
                && preSharedKeyAuthenticationRequired.isEmpty() && alertSent.isEmpty()
                && alertReceived.isEmpty() && handshakeInterruptedOnError.isEmpty();
    }

    QSignalSpy acceptError;
    QSignalSpy serverError;
    QSignalSpy originAuthenticationRequired;
    QSignalSpy newConnection;
    QSignalSpy peerVerifyError;
    QSignalSpy sslErrors;
    QSignalSpy preSharedKeyAuthenticationRequired;
    QSignalSpy alertSent;
    QSignalSpy alertReceived;
    QSignalSpy handshakeInterruptedOnError;
    QSignalSpy closed;
};

// A raw TCP client that collects everything the server sends.
class RawClient
{
public:
    explicit RawClient(quint16 port)
    {
        QObject::connect(&socket, &QIODevice::readyRead, &socket,
                         [this] { received += socket.readAll(); });
        socket.connectToHost(QHostAddress::LocalHost, port);
    }

    bool waitConnected()
    {
        if (socket.state() == QAbstractSocket::ConnectedState)
            return true;
        QSignalSpy spy(&socket, &QAbstractSocket::connected);
        return spy.wait(5000);
    }

    bool hasResponseHead() const { return received.contains("\r\n\r\n"); }
    QByteArray statusLine() const { return received.left(received.indexOf("\r\n")); }
    int status() const
    {
        const QList<QByteArray> parts = statusLine().split(' ');
        return parts.size() >= 2 ? parts.at(1).toInt() : 0;
    }
    QByteArray header(const QByteArray &name) const
    {
        const QList<QByteArray> lines = received.left(received.indexOf("\r\n\r\n")).split('\n');
        for (const QByteArray &line : lines) {
            const int colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
                return line.mid(colon + 1).trimmed();
        }
        return QByteArray();
    }

    QTcpSocket socket;
    QByteArray received;
};

inline QByteArray upgradeRequest(quint16 port, const QByteArray &extraHeaders = QByteArray(),
                          const QByteArray &version = "13")
{
    return "GET /chat?room=1 HTTP/1.1\r\n"
           "Host: 127.0.0.1:" + QByteArray::number(port) + "\r\n"
           "Upgrade: websocket\r\n"
           "Connection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
           "Sec-WebSocket-Version: " + version + "\r\n"
           + extraHeaders + "\r\n";
}

inline QUrl localUrl(const RsWebSocketServer &server, const QString &path = QStringLiteral("/"))
{
    QUrl url(QStringLiteral("ws://127.0.0.1"));
    url.setPort(server.serverPort());
    url.setPath(path);
    return url;
}


} // namespace ServerTest


class tst_RsWebSocketServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void construction_data();
    void construction();
    void settersAndGetters();
    void handshakeTimeoutForms_data();
    void handshakeTimeoutForms();
    void listenAndClose();
    void listenTwiceOnSamePortFails();
    void setSocketDescriptor();
    void newConnection_data();
    void newConnection();
    void maxPendingConnections();
    void pauseAndResumeAccepting();
    void originAuthentication_data();
    void originAuthentication();
    void subprotocolNegotiation_data();
    void subprotocolNegotiation();
    void badRequests_data();
    void badRequests();
    void handshakeTimeout_data();
    void handshakeTimeout();
    void clientVanishesDuringHandshake();
    void handleConnection();
    void closeClosesPendingConnections();
    void compressionNegotiation_data();
    void compressionNegotiation();
    void compressedEchoWithRsWebSocket();
    void compressionOptionsBeyondTheRfc();
    void settingsReachAcceptedSockets();
    void keepAliveDetectsDeadClient();
    void clientVanishesMidFrame_data();
    void clientVanishesMidFrame();
    void leftoverBytesAfterHandshake();
    void secureConnection_data();
    void secureConnection();
    void secureClientCertificateRequired_data();
    void secureClientCertificateRequired();
    void securePreSharedKey();
};

#endif // TST_RSWEBSOCKETSERVER_H
