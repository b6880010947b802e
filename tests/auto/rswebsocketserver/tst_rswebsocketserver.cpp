// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// RsWebSocketServer against real clients in the same process: Qt's own QWebSocket (the
// reference client), RsWebSocket, and raw QTcpSockets that write handshakes by hand.

#include <RsWebSockets/RsWebSocket>
#include <RsWebSockets/RsWebSocketCorsAuthenticator>
#include <RsWebSockets/RsWebSocketServer>

#include <QtCore/QFile>
#include <QtCore/QPointer>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QTcpServer>
#ifndef QT_NO_SSL
#include <QtNetwork/QSslKey>
#endif
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketHandshakeOptions>

#include <memory>

#include <unistd.h>

using namespace std::chrono_literals;

Q_DECLARE_METATYPE(RsWebSocketProtocol::CloseCode)

namespace {

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

QByteArray upgradeRequest(quint16 port, const QByteArray &extraHeaders = QByteArray(),
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

QUrl localUrl(const RsWebSocketServer &server, const QString &path = QStringLiteral("/"))
{
    QUrl url(QStringLiteral("ws://127.0.0.1"));
    url.setPort(server.serverPort());
    url.setPath(path);
    return url;
}

#ifndef QT_NO_SSL
// A self-signed certificate for 127.0.0.1, made at test time with the openssl tool.
struct TestCertificate
{
    QSslCertificate certificate;
    QSslKey key;
    QString error;
};

TestCertificate makeCertificate(const QTemporaryDir &dir)
{
    TestCertificate result;
    const QString keyPath = dir.filePath(QStringLiteral("key.pem"));
    const QString certPath = dir.filePath(QStringLiteral("cert.pem"));
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                    QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                    keyPath, QStringLiteral("-out"), certPath, QStringLiteral("-days"),
                    QStringLiteral("1"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                    QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1") });
    if (!openssl.waitForStarted(5000) || !openssl.waitForFinished(30000)
        || openssl.exitCode() != 0) {
        result.error = QStringLiteral("openssl could not make a certificate: ")
                + QString::fromLocal8Bit(openssl.readAllStandardError());
        return result;
    }
    QFile certFile(certPath);
    QFile keyFile(keyPath);
    if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
        result.error = QStringLiteral("cannot read the generated certificate");
        return result;
    }
    result.certificate = QSslCertificate(certFile.readAll(), QSsl::Pem);
    result.key = QSslKey(keyFile.readAll(), QSsl::Rsa, QSsl::Pem);
    if (result.certificate.isNull() || result.key.isNull())
        result.error = QStringLiteral("the generated certificate does not load");
    return result;
}
#endif

} // namespace

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
    void settingsReachAcceptedSockets();
    void leftoverBytesAfterHandshake();
    void secureConnection_data();
    void secureConnection();
    void secureClientCertificateRequired_data();
    void secureClientCertificateRequired();
};

void tst_RsWebSocketServer::initTestCase()
{
    qRegisterMetaType<RsWebSocketProtocol::CloseCode>();
    qRegisterMetaType<RsWebSocketCorsAuthenticator *>();
}

void tst_RsWebSocketServer::construction_data()
{
    QTest::addColumn<QString>("serverName");
    QTest::addColumn<RsWebSocketServer::SslMode>("secureMode");

    QTest::newRow("plain, named") << QStringLiteral("Test Server") << RsWebSocketServer::NonSecureMode;
    QTest::newRow("plain, unnamed") << QString() << RsWebSocketServer::NonSecureMode;
#ifndef QT_NO_SSL
    QTest::newRow("secure") << QStringLiteral("Secure Server") << RsWebSocketServer::SecureMode;
#endif
}

void tst_RsWebSocketServer::construction()
{
    QFETCH(QString, serverName);
    QFETCH(RsWebSocketServer::SslMode, secureMode);

    RsWebSocketServer server(serverName, secureMode);
    ServerSpies spies(&server);
    QVERIFY(spies.allValid());

    QCOMPARE(server.serverName(), serverName);
    QCOMPARE(server.secureMode(), secureMode);
    QVERIFY(!server.isListening());
    QCOMPARE(server.maxPendingConnections(), 30);
    QCOMPARE(server.handshakeTimeoutMS(), 10000);
    QCOMPARE(server.handshakeTimeout(), 10s);
    QCOMPARE(server.serverPort(), quint16(0));
    QCOMPARE(server.serverAddress(), QHostAddress());
    QCOMPARE(server.serverUrl(), QUrl());
    QCOMPARE(server.socketDescriptor(), qintptr(-1));
    QVERIFY(!server.hasPendingConnections());
    QVERIFY(!server.nextPendingConnection());
    QCOMPARE(server.error(), RsWebSocketProtocol::CloseCodeNormal);
    QCOMPARE(server.supportedVersions(),
             QList<RsWebSocketProtocol::Version>{ RsWebSocketProtocol::Version13 });
    QVERIFY(server.supportedSubprotocols().isEmpty());
#ifndef QT_NO_NETWORKPROXY
    QCOMPARE(server.proxy().type(), QNetworkProxy::DefaultProxy);
#endif
    // Extras start at RsWebSocket's defaults: an application ported from QtWebSockets
    // behaves the same until it asks for more.
    QVERIFY(!server.compressionEnabled());
    QCOMPARE(server.compressionServerMaxWindowBits(), 0);
    QCOMPARE(server.compressionClientMaxWindowBits(), 0);
    QCOMPARE(server.keepAliveInterval(), 0);
    QCOMPARE(server.pongTimeout(), 10000);
    QCOMPARE(server.closeTimeout(), 5000);
    QCOMPARE(server.maxAllowedIncomingFrameSize(), RsWebSocket::maxIncomingFrameSize());
    QCOMPARE(server.maxAllowedIncomingMessageSize(), RsWebSocket::maxIncomingMessageSize());

    QCOMPARE(spies.serverError.size(), 0);
    QCOMPARE(spies.closed.size(), 0);
    QVERIFY(spies.noTlsOrAcceptSignals());
}

void tst_RsWebSocketServer::settersAndGetters()
{
    RsWebSocketServer server(QString(), RsWebSocketServer::NonSecureMode);
    ServerSpies spies(&server);

    server.setServerName(QStringLiteral("Renamed"));
    QCOMPARE(server.serverName(), QStringLiteral("Renamed"));
    server.setMaxPendingConnections(7);
    QCOMPARE(server.maxPendingConnections(), 7);
    server.setSupportedSubprotocols({ QStringLiteral("chat"), QStringLiteral("superchat") });
    QCOMPARE(server.supportedSubprotocols(),
             QStringList({ QStringLiteral("chat"), QStringLiteral("superchat") }));
#ifndef QT_NO_NETWORKPROXY
    const QNetworkProxy noProxy(QNetworkProxy::NoProxy);
    server.setProxy(noProxy);
    QCOMPARE(server.proxy().type(), QNetworkProxy::NoProxy);
#endif

    server.setCompressionEnabled(true);
    QVERIFY(server.compressionEnabled());
    server.setCompressionServerNoContextTakeover(true);
    QVERIFY(server.compressionServerNoContextTakeover());
    server.setCompressionClientNoContextTakeover(true);
    QVERIFY(server.compressionClientNoContextTakeover());
    server.setCompressionServerMaxWindowBits(3);
    QCOMPARE(server.compressionServerMaxWindowBits(), 8);
    server.setCompressionServerMaxWindowBits(20);
    QCOMPARE(server.compressionServerMaxWindowBits(), 15);
    server.setCompressionClientMaxWindowBits(10);
    QCOMPARE(server.compressionClientMaxWindowBits(), 10);
    server.setCompressionClientMaxWindowBits(0);
    QCOMPARE(server.compressionClientMaxWindowBits(), 0);

    server.setKeepAliveInterval(1500);
    QCOMPARE(server.keepAliveInterval(), 1500);
    server.setPongTimeout(700);
    QCOMPARE(server.pongTimeout(), 700);
    server.setCloseTimeout(250);
    QCOMPARE(server.closeTimeout(), 250);
    server.setMaxAllowedIncomingFrameSize(4096);
    QCOMPARE(server.maxAllowedIncomingFrameSize(), quint64(4096));
    server.setMaxAllowedIncomingMessageSize(1 << 20);
    QCOMPARE(server.maxAllowedIncomingMessageSize(), quint64(1 << 20));
    server.setMaxAllowedIncomingMessageSize(std::numeric_limits<quint64>::max());
    QCOMPARE(server.maxAllowedIncomingMessageSize(), RsWebSocket::maxIncomingMessageSize());

#ifndef QT_NO_SSL
    // A non-secure server has no TLS configuration of its own.
    QTest::ignoreMessage(QtWarningMsg,
                         "RsWebSocketServer: cannot set an SSL configuration on a non-secure server");
    server.setSslConfiguration(QSslConfiguration());
    QCOMPARE(server.sslConfiguration(), QSslConfiguration::defaultConfiguration());

    RsWebSocketServer secure(QString(), RsWebSocketServer::SecureMode);
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    secure.setSslConfiguration(config);
    QCOMPARE(secure.sslConfiguration().peerVerifyMode(), QSslSocket::VerifyNone);
#endif

    QCOMPARE(spies.serverError.size(), 0);
    QVERIFY(spies.noTlsOrAcceptSignals());
}

void tst_RsWebSocketServer::handshakeTimeoutForms_data()
{
    QTest::addColumn<int>("msec");
    QTest::newRow("zero") << 0;
    QTest::newRow("short") << 250;
    QTest::newRow("long") << 120000;
    QTest::newRow("disabled") << -1;
}

void tst_RsWebSocketServer::handshakeTimeoutForms()
{
    QFETCH(int, msec);
    RsWebSocketServer server(QString(), RsWebSocketServer::NonSecureMode);
    server.setHandshakeTimeout(msec);
    QCOMPARE(server.handshakeTimeoutMS(), msec);
    QCOMPARE(server.handshakeTimeout(), std::chrono::milliseconds(msec));

    RsWebSocketServer other(QString(), RsWebSocketServer::NonSecureMode);
    other.setHandshakeTimeout(std::chrono::milliseconds(msec));
    QCOMPARE(other.handshakeTimeoutMS(), msec);
}

void tst_RsWebSocketServer::listenAndClose()
{
    RsWebSocketServer server(QStringLiteral("listener"), RsWebSocketServer::NonSecureMode);
    ServerSpies spies(&server);

    QVERIFY(server.listen(QHostAddress::LocalHost));
    QVERIFY(server.isListening());
    QVERIFY(server.serverPort() != 0);
    QCOMPARE(server.serverAddress(), QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(server.serverUrl().toString(),
             QStringLiteral("ws://127.0.0.1:%1").arg(server.serverPort()));
    QVERIFY(server.socketDescriptor() != -1);

    server.close();
    QVERIFY(!server.isListening());
    // closed() comes from the event loop, exactly once.
    QCOMPARE(spies.closed.size(), 0);
    QTRY_COMPARE(spies.closed.size(), 1);
    QCOMPARE(server.serverUrl(), QUrl());

    // A closed server can listen again.
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QVERIFY(server.isListening());
    QCOMPARE(spies.serverError.size(), 0);
    QCOMPARE(spies.newConnection.size(), 0);
    QVERIFY(spies.noTlsOrAcceptSignals());
}

void tst_RsWebSocketServer::listenTwiceOnSamePortFails()
{
    RsWebSocketServer first(QString(), RsWebSocketServer::NonSecureMode);
    QVERIFY(first.listen(QHostAddress::LocalHost));
    RsWebSocketServer second(QString(), RsWebSocketServer::NonSecureMode);
    ServerSpies spies(&second);
    QVERIFY(!second.listen(QHostAddress::LocalHost, first.serverPort()));
    QVERIFY(!second.isListening());
    QVERIFY(!second.errorString().isEmpty());
    QCOMPARE(second.error(), RsWebSocketProtocol::CloseCodeAbnormalDisconnection);
    QCOMPARE(spies.serverError.size(), 1);
}

void tst_RsWebSocketServer::setSocketDescriptor()
{
    // Take over the listening socket of a QTcpServer, as a service manager would hand it over.
    QTcpServer tcpServer;
    QVERIFY(tcpServer.listen(QHostAddress::LocalHost));
    const quint16 port = tcpServer.serverPort();
    const qintptr descriptor = ::dup(int(tcpServer.socketDescriptor()));
    QVERIFY(descriptor >= 0);
    tcpServer.close();

    RsWebSocketServer server(QString(), RsWebSocketServer::NonSecureMode);
    ServerSpies spies(&server);
    QVERIFY(server.setSocketDescriptor(descriptor));
    QCOMPARE(server.socketDescriptor(), descriptor);
    QVERIFY(server.isListening());
    QCOMPARE(server.serverPort(), port);

    QWebSocket client;
    client.open(localUrl(server));
    QTRY_COMPARE(spies.newConnection.size(), 1);
    std::unique_ptr<RsWebSocket> accepted(server.nextPendingConnection());
    QVERIFY(accepted);
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
}

void tst_RsWebSocketServer::newConnection_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("origin");

    QTest::newRow("root, no origin") << QStringLiteral("/") << QString();
    QTest::newRow("path and query, origin")
            << QStringLiteral("/chat?room=7") << QStringLiteral("http://example.com");
}

void tst_RsWebSocketServer::newConnection()
{
    QFETCH(QString, path);
    QFETCH(QString, origin);

    RsWebSocketServer server(QStringLiteral("Echo"), RsWebSocketServer::NonSecureMode);
    ServerSpies spies(&server);
    QVERIFY(server.listen(QHostAddress::LocalHost));

    QWebSocket client(origin);
    QSignalSpy clientConnected(&client, &QWebSocket::connected);
    QSignalSpy clientText(&client, &QWebSocket::textMessageReceived);
    QUrl url = localUrl(server);
    url = QUrl(url.toString(QUrl::RemovePath) + path);
    client.open(url);

    QTRY_COMPARE(spies.newConnection.size(), 1);
    QCOMPARE(spies.originAuthenticationRequired.size(), 1);
    QVERIFY(server.hasPendingConnections());
    std::unique_ptr<RsWebSocket> accepted(server.nextPendingConnection());
    QVERIFY(accepted);
    QVERIFY(!server.hasPendingConnections());
    QVERIFY(!server.nextPendingConnection());
    QVERIFY(!accepted->parent());

    QCOMPARE(accepted->state(), QAbstractSocket::ConnectedState);
    QVERIFY(accepted->isValid());
    QCOMPARE(accepted->origin(), origin);
    QCOMPARE(accepted->requestUrl().path(), url.path());
    QCOMPARE(accepted->requestUrl().query(), url.query());
    // As QWebSocket does on the server side, resourceName() is the request URL.
    QCOMPARE(accepted->resourceName(), accepted->requestUrl().toString(QUrl::RemoveUserInfo));
    QCOMPARE(accepted->peerAddress(), QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(accepted->localPort(), server.serverPort());
    QCOMPARE(accepted->request().rawHeader("Upgrade").toLower(), QByteArray("websocket"));

    QTRY_COMPARE(clientConnected.size(), 1);
    accepted->sendTextMessage(QStringLiteral("hello from the server"));
    QTRY_COMPARE(clientText.size(), 1);
    QCOMPARE(clientText.at(0).at(0).toString(), QStringLiteral("hello from the server"));

    QCOMPARE(spies.serverError.size(), 0);
    QVERIFY(spies.noTlsOrAcceptSignals());
}

void tst_RsWebSocketServer::maxPendingConnections()
{
    RsWebSocketServer server(QString(), RsWebSocketServer::NonSecureMode);
    ServerSpies spies(&server);
    server.setMaxPendingConnections(1);
    QVERIFY(server.listen(QHostAddress::LocalHost));

    QWebSocket first;
    QSignalSpy firstConnected(&first, &QWebSocket::connected);
    first.open(localUrl(server));
    QTRY_COMPARE(spies.newConnection.size(), 1);
    QTRY_COMPARE(firstConnected.size(), 1);

    // The queue is full: the next handshake is refused with 503 and reported.
    RawClient second(server.serverPort());
    QVERIFY(second.waitConnected());
    second.socket.write(upgradeRequest(server.serverPort()));
    QTRY_VERIFY(second.hasResponseHead());
    QCOMPARE(second.status(), 503);
    QTRY_COMPARE(second.socket.state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(spies.serverError.size(), 1);
    QCOMPARE(spies.serverError.at(0).at(0).value<RsWebSocketProtocol::CloseCode>(),
             RsWebSocketProtocol::CloseCodeAbnormalDisconnection);
    QCOMPARE(server.error(), RsWebSocketProtocol::CloseCodeAbnormalDisconnection);
    QVERIFY(!server.errorString().isEmpty());
    QCOMPARE(spies.newConnection.size(), 1);

    // Taking the pending connection makes room for another.
    std::unique_ptr<RsWebSocket> taken(server.nextPendingConnection());
    QVERIFY(taken);
    QWebSocket third;
    QSignalSpy thirdConnected(&third, &QWebSocket::connected);
    third.open(localUrl(server));
    QTRY_COMPARE(spies.newConnection.size(), 2);
    QTRY_COMPARE(thirdConnected.size(), 1);
    std::unique_ptr<RsWebSocket> thirdAccepted(server.nextPendingConnection());
    QVERIFY(thirdAccepted);
    QVERIFY(spies.noTlsOrAcceptSignals());
}

void tst_RsWebSocketServer::pauseAndResumeAccepting()
{
    RsWebSocketServer server(QString(), RsWebSocketServer::NonSecureMode);
    ServerSpies spies(&server);
    QVERIFY(server.listen(QHostAddress::LocalHost));
    server.pauseAccepting();

    // The TCP connection completes in the kernel's backlog, but nobody reads the request.
    RawClient client(server.serverPort());
    QVERIFY(client.waitConnected());
    client.socket.write(upgradeRequest(server.serverPort()));
    QTest::qWait(300);
    QCOMPARE(spies.newConnection.size(), 0);
    QVERIFY(client.received.isEmpty());

    server.resumeAccepting();
    QTRY_COMPARE(spies.newConnection.size(), 1);
    QTRY_VERIFY(client.hasResponseHead());
    QCOMPARE(client.status(), 101);
    QCOMPARE(client.header("Sec-WebSocket-Accept"), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    std::unique_ptr<RsWebSocket> accepted(server.nextPendingConnection());
    QVERIFY(accepted);
    QCOMPARE(spies.serverError.size(), 0);
    QVERIFY(spies.noTlsOrAcceptSignals());
}

void tst_RsWebSocketServer::originAuthentication_data()
{
    QTest::addColumn<QString>("origin");
    QTest::addColumn<bool>("allowed");

    QTest::newRow("allowed origin") << QStringLiteral("http://allowed.example") << true;
    QTest::newRow("denied origin") << QStringLiteral("http://evil.example") << false;
    QTest::newRow("no origin, allowed") << QString() << true;
    QTest::newRow("no origin, denied") << QString() << false;
}

void tst_RsWebSocketServer::originAuthentication()
{
    QFETCH(QString, origin);
    QFETCH(bool, allowed);

    RsWebSocketServer server(QString(), RsWebSocketServer::NonSecureMode);
    ServerSpies spies(&server);
    QString seenOrigin;
    connect(&server, &RsWebSocketServer::originAuthenticationRequired, this,
            [&](RsWebSocketCorsAuthenticator *authenticator) {
                QVERIFY(authenticator);
                QVERIFY(authenticator->allowed()); // allowed until the application says no
                seenOrigin = authenticator->origin();
                authenticator->setAllowed(allowed);
            });
    QVERIFY(server.listen(QHostAddress::LocalHost));

    RawClient client(server.serverPort());
    QVERIFY(client.waitConnected());
    const QByteArray originHeader =
            origin.isEmpty() ? QByteArray() : "Origin: " + origin.toUtf8() + "\r\n";
    client.socket.write(upgradeRequest(server.serverPort(), originHeader));
    QTRY_VERIFY(client.hasResponseHead());
    QCOMPARE(spies.originAuthenticationRequired.size(), 1);
    QCOMPARE(seenOrigin, origin);

    if (allowed) {
        QCOMPARE(client.status(), 101);
        QTRY_COMPARE(spies.newConnection.size(), 1);
        QCOMPARE(spies.serverError.size(), 0);
        std::unique_ptr<RsWebSocket> accepted(server.nextPendingConnection());
        QVERIFY(accepted);
        QCOMPARE(accepted->origin(), origin);
    } else {
        QCOMPARE(client.status(), 403);
        QTRY_COMPARE(client.socket.state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(spies.newConnection.size(), 0);
        QCOMPARE(spies.serverError.size(), 1);
        QCOMPARE(server.error(), RsWebSocketProtocol::CloseCodePolicyViolated);
        QVERIFY(!server.hasPendingConnections());
    }

    // Qt's own client sees the refusal as an error and never connects.
    if (!allowed) {
        QWebSocket qtClient(origin);
        QSignalSpy qtConnected(&qtClient, &QWebSocket::connected);
        QSignalSpy qtError(&qtClient, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error));
        qtClient.open(localUrl(server));
        QTRY_VERIFY(qtError.size() >= 1);
        QCOMPARE(qtConnected.size(), 0);
        QCOMPARE(spies.originAuthenticationRequired.size(), 2);
    }
    QVERIFY(spies.noTlsOrAcceptSignals());
}

void tst_RsWebSocketServer::subprotocolNegotiation_data()
{
    QTest::addColumn<QStringList>("serverProtocols");
    QTest::addColumn<QStringList>("clientProtocols");
    QTest::addColumn<QString>("expected");

    const QStringList both{ QStringLiteral("chat"), QStringLiteral("superchat") };
    QTest::newRow("single match") << both << QStringList{ QStringLiteral("superchat") }
                                  << QStringLiteral("superchat");
    QTest::newRow("first of the server's list wins")
            << both << QStringList{ QStringLiteral("foo"), QStringLiteral("superchat"),
                                    QStringLiteral("chat") }
            << QStringLiteral("chat");
    QTest::newRow("no match") << both << QStringList{ QStringLiteral("foo") } << QString();
    QTest::newRow("server supports none") << QStringList() << QStringList{ QStringLiteral("chat") }
                                          << QString();
    QTest::newRow("client asks none") << both << QStringList() << QString();
}

void tst_RsWebSocketServer::subprotocolNegotiation()
{
    QFETCH(QStringList, serverProtocols);
    QFETCH(QStringList, clientProtocols);
    QFETCH(QString, expected);

    RsWebSocketServer server(QString(), RsWebSocketServer::NonSecureMode);
    ServerSpies spies(&server);
    server.setSupportedSubprotocols(serverProtocols);
    QVERIFY(server.listen(QHostAddress::LocalHost));

    QWebSocket client;
    QSignalSpy clientConnected(&client, &QWebSocket::connected);
    QWebSocketHandshakeOptions options;
    options.setSubprotocols(clientProtocols);
    client.open(localUrl(server), options);

    QTRY_COMPARE(spies.newConnection.size(), 1);
    std::unique_ptr<RsWebSocket> accepted(server.nextPendingConnection());
    QVERIFY(accepted);
    QCOMPARE(accepted->subprotocol(), expected);
    QTRY_COMPARE(clientConnected.size(), 1);
    QCOMPARE(client.subprotocol(), expected);
    QCOMPARE(spies.serverError.size(), 0);
}

void tst_RsWebSocketServer::badRequests_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");

    QTest::newRow("plain HTTP GET")
            << QByteArray("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n") << 400;
    QTest::newRow("no Sec-WebSocket-Key")
            << QByteArray("GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                          "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n")
            << 400;
    QTest::newRow("no Upgrade header")
            << QByteArray("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                          "Sec-WebSocket-Version: 13\r\n\r\n")
            << 400;
    QTest::newRow("garbage") << QByteArray::fromHex("160301020001000001fc0303") + "\r\n\r\n"
                             << 400;
    QTest::newRow("version 8") << upgradeRequest(1, QByteArray(), "8") << 426;
    QTest::newRow("version 14") << upgradeRequest(1, QByteArray(), "14") << 426;
}

void tst_RsWebSocketServer::badRequests()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);

    RsWebSocketServer server(QString(), RsWebSocketServer::NonSecureMode);
    ServerSpies spies(&server);
    QVERIFY(server.listen(QHostAddress::LocalHost));

    RawClient client(server.serverPort());
    QVERIFY(client.waitConnected());
    client.socket.write(request);
    QTRY_VERIFY(client.hasResponseHead());
    QCOMPARE(client.status(), status);
    if (status == 426)
        QCOMPARE(client.header("Sec-WebSocket-Version"), QByteArray("13"));
    // The server closes the connection after its answer.
    QTRY_COMPARE(client.socket.state(), QAbstractSocket::UnconnectedState);

    QCOMPARE(spies.serverError.size(), 1);
    QCOMPARE(spies.serverError.at(0).at(0).value<RsWebSocketProtocol::CloseCode>(),
             RsWebSocketProtocol::CloseCodeProtocolError);
    QCOMPARE(server.error(), RsWebSocketProtocol::CloseCodeProtocolError);
    QVERIFY(!server.errorString().isEmpty());
    QCOMPARE(spies.originAuthenticationRequired.size(), 0);
    QCOMPARE(spies.newConnection.size(), 0);
    QVERIFY(!server.hasPendingConnections());
    QVERIFY(spies.noTlsOrAcceptSignals());
}

void tst_RsWebSocketServer::handshakeTimeout_data()
{
    QTest::addColumn<QByteArray>("sent");
    QTest::newRow("silent client") << QByteArray();
    QTest::newRow("half a request") << QByteArray("GET / HTTP/1.1\r\nHost: local");
}

void tst_RsWebSocketServer::handshakeTimeout()
{
    QFETCH(QByteArray, sent);

    RsWebSocketServer server(QString(), RsWebSocketServer::NonSecureMode);
    ServerSpies spies(&server);
    server.setHandshakeTimeout(200ms);
    QVERIFY(server.listen(QHostAddress::LocalHost));

    RawClient client(server.serverPort());
    QVERIFY(client.waitConnected());
    if (!sent.isEmpty())
        client.socket.write(sent);
    QSignalSpy clientDisconnected(&client.socket, &QAbstractSocket::disconnected);
    QVERIFY(clientDisconnected.wait(5000));
    QVERIFY(client.received.isEmpty());
    QCOMPARE(spies.serverError.size(), 1);
    QCOMPARE(server.error(), RsWebSocketProtocol::CloseCodeAbnormalDisconnection);
    QCOMPARE(spies.newConnection.size(), 0);

    // A client that completes its handshake in time is unaffected.
    QWebSocket good;
    QSignalSpy goodConnected(&good, &QWebSocket::connected);
    good.open(localUrl(server));
    QTRY_COMPARE(goodConnected.size(), 1);
    QTRY_COMPARE(spies.newConnection.size(), 1);
    std::unique_ptr<RsWebSocket> accepted(server.nextPendingConnection());
    QTest::qWait(400); // longer than the handshake timeout: the accepted socket stays open
    QCOMPARE(accepted->state(), QAbstractSocket::ConnectedState);
    QCOMPARE(good.state(), QAbstractSocket::ConnectedState);
    QCOMPARE(spies.serverError.size(), 1);
}

void tst_RsWebSocketServer::clientVanishesDuringHandshake()
{
    RsWebSocketServer server(QString(), RsWebSocketServer::NonSecureMode);
    ServerSpies spies(&server);
    QVERIFY(server.listen(QHostAddress::LocalHost));
    {
        RawClient client(server.serverPort());
        QVERIFY(client.waitConnected());
        client.socket.write("GET / HTTP/1.1\r\nHost: loc");
        QVERIFY(client.socket.waitForBytesWritten(1000));
        client.socket.abort();
    }
    QTest::qWait(200);
    // A vanished client is not a server error; the server keeps serving.
    QCOMPARE(spies.serverError.size(), 0);
    QWebSocket good;
    good.open(localUrl(server));
    QTRY_COMPARE(spies.newConnection.size(), 1);
    std::unique_ptr<RsWebSocket> accepted(server.nextPendingConnection());
    QVERIFY(accepted);
}

void tst_RsWebSocketServer::handleConnection()
{
    // The application accepts TCP itself and hands the sockets over.
    QTcpServer tcpServer;
    QVERIFY(tcpServer.listen(QHostAddress::LocalHost));
    RsWebSocketServer server(QString(), RsWebSocketServer::NonSecureMode);
    ServerSpies spies(&server);
    server.setSupportedSubprotocols({ QStringLiteral("chat") });
    QPointer<QTcpSocket> handedOver;
    connect(&tcpServer, &QTcpServer::newConnection, this, [&] {
        handedOver = tcpServer.nextPendingConnection();
        server.handleConnection(handedOver);
    });

    QVERIFY(!server.isListening());
    QWebSocket client;
    QSignalSpy clientConnected(&client, &QWebSocket::connected);
    QSignalSpy clientText(&client, &QWebSocket::textMessageReceived);
    QWebSocketHandshakeOptions options;
    options.setSubprotocols({ QStringLiteral("chat") });
    QUrl url(QStringLiteral("ws://127.0.0.1/handled"));
    url.setPort(tcpServer.serverPort());
    client.open(url, options);

    QTRY_COMPARE(spies.newConnection.size(), 1);
    QCOMPARE(spies.originAuthenticationRequired.size(), 1);
    std::unique_ptr<RsWebSocket> accepted(server.nextPendingConnection());
    QVERIFY(accepted);
    QCOMPARE(accepted->subprotocol(), QStringLiteral("chat"));
    QCOMPARE(accepted->requestUrl().path(), QStringLiteral("/handled"));
    QTRY_COMPARE(clientConnected.size(), 1);

    QSignalSpy serverText(accepted.get(), &RsWebSocket::textMessageReceived);
    client.sendTextMessage(QStringLiteral("over a handed-over socket"));
    QTRY_COMPARE(serverText.size(), 1);
    QCOMPARE(serverText.at(0).at(0).toString(), QStringLiteral("over a handed-over socket"));
    accepted->sendTextMessage(QStringLiteral("back"));
    QTRY_COMPARE(clientText.size(), 1);
    QCOMPARE(spies.serverError.size(), 0);

    // A null socket is ignored.
    server.handleConnection(nullptr);
    QCOMPARE(spies.serverError.size(), 0);
}

void tst_RsWebSocketServer::closeClosesPendingConnections()
{
    RsWebSocketServer server(QString(), RsWebSocketServer::NonSecureMode);
    ServerSpies spies(&server);
    QVERIFY(server.listen(QHostAddress::LocalHost));

    QWebSocket client;
    QSignalSpy clientDisconnected(&client, &QWebSocket::disconnected);
    client.open(localUrl(server));
    QTRY_COMPARE(spies.newConnection.size(), 1);
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);

    // Never taken with nextPendingConnection(): close() says GoingAway to it.
    server.close();
    QTRY_COMPARE(clientDisconnected.size(), 1);
    QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
    QTRY_COMPARE(spies.closed.size(), 1);
    QVERIFY(!server.hasPendingConnections());
    QVERIFY(!server.nextPendingConnection());
}

void tst_RsWebSocketServer::compressionNegotiation_data()
{
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<bool>("serverNoContextTakeover");
    QTest::addColumn<QByteArray>("offer");
    QTest::addColumn<QByteArray>("expectedName");
    QTest::addColumn<QByteArrayList>("expectedParams");

    QTest::newRow("disabled: offer declined")
            << false << false << QByteArray("permessage-deflate") << QByteArray()
            << QByteArrayList();
    QTest::newRow("enabled: bare offer")
            << true << false << QByteArray("permessage-deflate")
            << QByteArray("permessage-deflate") << QByteArrayList();
    QTest::newRow("enabled: client_max_window_bits")
            << true << false << QByteArray("permessage-deflate; client_max_window_bits")
            << QByteArray("permessage-deflate") << QByteArrayList();
    QTest::newRow("enabled: client asks server_no_context_takeover")
            << true << false << QByteArray("permessage-deflate; server_no_context_takeover")
            << QByteArray("permessage-deflate")
            << QByteArrayList{ "server_no_context_takeover" };
    QTest::newRow("enabled: server insists on server_no_context_takeover")
            << true << true << QByteArray("permessage-deflate")
            << QByteArray("permessage-deflate")
            << QByteArrayList{ "server_no_context_takeover" };
    QTest::newRow("enabled: unknown extension only")
            << true << false << QByteArray("x-webkit-deflate-frame") << QByteArray()
            << QByteArrayList();
    QTest::newRow("enabled: no offer") << true << false << QByteArray() << QByteArray()
                                       << QByteArrayList();
}

void tst_RsWebSocketServer::compressionNegotiation()
{
    QFETCH(bool, enabled);
    QFETCH(bool, serverNoContextTakeover);
    QFETCH(QByteArray, offer);
    QFETCH(QByteArray, expectedName);
    QFETCH(QByteArrayList, expectedParams);

    RsWebSocketServer server(QString(), RsWebSocketServer::NonSecureMode);
    ServerSpies spies(&server);
    server.setCompressionEnabled(enabled);
    server.setCompressionServerNoContextTakeover(serverNoContextTakeover);
    QVERIFY(server.listen(QHostAddress::LocalHost));

    RawClient client(server.serverPort());
    QVERIFY(client.waitConnected());
    client.socket.write(upgradeRequest(
            server.serverPort(),
            offer.isEmpty() ? QByteArray() : "Sec-WebSocket-Extensions: " + offer + "\r\n"));
    QTRY_VERIFY(client.hasResponseHead());
    QCOMPARE(client.status(), 101);
    QTRY_COMPARE(spies.newConnection.size(), 1);
    std::unique_ptr<RsWebSocket> accepted(server.nextPendingConnection());
    QVERIFY(accepted);

    const QByteArray answer = client.header("Sec-WebSocket-Extensions");
    QList<QByteArray> parts = answer.split(';');
    for (QByteArray &part : parts)
        part = part.trimmed();
    if (expectedName.isEmpty()) {
        QVERIFY2(answer.isEmpty(), answer.constData());
        QVERIFY(!accepted->isCompressionActive());
        QVERIFY(accepted->extensions().isEmpty());
    } else {
        QCOMPARE(parts.first(), expectedName);
        for (const QByteArray &param : expectedParams)
            QVERIFY2(parts.contains(param), answer.constData());
        QVERIFY(accepted->isCompressionActive());
        QVERIFY(accepted->extensions().startsWith(QStringLiteral("permessage-deflate")));
    }
    QCOMPARE(spies.serverError.size(), 0);
}

void tst_RsWebSocketServer::compressedEchoWithRsWebSocket()
{
    RsWebSocketServer server(QString(), RsWebSocketServer::NonSecureMode);
    ServerSpies spies(&server);
    server.setCompressionEnabled(true);
    QVERIFY(server.listen(QHostAddress::LocalHost));
    std::unique_ptr<RsWebSocket> accepted;
    connect(&server, &RsWebSocketServer::newConnection, this, [&] {
        accepted.reset(server.nextPendingConnection());
        connect(accepted.get(), &RsWebSocket::textMessageReceived, accepted.get(),
                &RsWebSocket::sendTextMessage);
        connect(accepted.get(), &RsWebSocket::binaryMessageReceived, accepted.get(),
                &RsWebSocket::sendBinaryMessage);
    });

    RsWebSocket client;
    client.setCompressionEnabled(true);
    QSignalSpy connected(&client, &RsWebSocket::connected);
    QSignalSpy text(&client, &RsWebSocket::textMessageReceived);
    QSignalSpy binary(&client, &RsWebSocket::binaryMessageReceived);
    client.open(localUrl(server));
    QTRY_COMPARE(connected.size(), 1);
    QVERIFY(client.isCompressionActive());
    QTRY_VERIFY(accepted);
    QVERIFY(accepted->isCompressionActive());

    const QString longText = QStringLiteral("compress me ").repeated(4000);
    const QByteArray blob = QByteArray(100000, 'z');
    client.sendTextMessage(longText);
    client.sendBinaryMessage(blob);
    QTRY_COMPARE(text.size(), 1);
    QTRY_COMPARE(binary.size(), 1);
    QCOMPARE(text.at(0).at(0).toString(), longText);
    QCOMPARE(binary.at(0).at(0).toByteArray(), blob);
    QCOMPARE(spies.serverError.size(), 0);
}

void tst_RsWebSocketServer::settingsReachAcceptedSockets()
{
    RsWebSocketServer server(QString(), RsWebSocketServer::NonSecureMode);
    server.setKeepAliveInterval(1234);
    server.setPongTimeout(4321);
    server.setCloseTimeout(777);
    server.setMaxAllowedIncomingFrameSize(1000);
    server.setMaxAllowedIncomingMessageSize(2000);
    QVERIFY(server.listen(QHostAddress::LocalHost));

    QWebSocket client;
    QSignalSpy clientDisconnected(&client, &QWebSocket::disconnected);
    client.open(localUrl(server));
    QSignalSpy newConnection(&server, &RsWebSocketServer::newConnection);
    QVERIFY(newConnection.wait(5000));
    std::unique_ptr<RsWebSocket> accepted(server.nextPendingConnection());
    QVERIFY(accepted);
    QCOMPARE(accepted->keepAliveInterval(), 1234);
    QCOMPARE(accepted->pongTimeout(), 4321);
    QCOMPARE(accepted->closeTimeout(), 777);
    QCOMPARE(accepted->maxAllowedIncomingFrameSize(), quint64(1000));
    QCOMPARE(accepted->maxAllowedIncomingMessageSize(), quint64(2000));

    // The limit is enforced: a 5000-byte message closes the connection with 1009.
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    client.sendBinaryMessage(QByteArray(5000, 'x'));
    QTRY_COMPARE(clientDisconnected.size(), 1);
    QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
}

void tst_RsWebSocketServer::leftoverBytesAfterHandshake()
{
    // A client that pipelines a frame right behind its request: the frame must not be lost.
    RsWebSocketServer server(QString(), RsWebSocketServer::NonSecureMode);
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QSignalSpy newConnection(&server, &RsWebSocketServer::newConnection);
    std::unique_ptr<RsWebSocket> accepted;
    std::unique_ptr<QSignalSpy> text;
    connect(&server, &RsWebSocketServer::newConnection, this, [&] {
        accepted.reset(server.nextPendingConnection());
        text = std::make_unique<QSignalSpy>(accepted.get(), &RsWebSocket::textMessageReceived);
    });

    // Masked text frame "Hello" (RFC 6455 section 5.7).
    const QByteArray frame = QByteArray::fromHex("818537fa213d7f9f4d5158");
    RawClient client(server.serverPort());
    QVERIFY(client.waitConnected());
    client.socket.write(upgradeRequest(server.serverPort()) + frame);
    QTRY_COMPARE(newConnection.size(), 1);
    QVERIFY(text);
    QTRY_COMPARE(text->size(), 1);
    QCOMPARE(text->at(0).at(0).toString(), QStringLiteral("Hello"));
}

void tst_RsWebSocketServer::secureConnection_data()
{
    QTest::addColumn<bool>("qtClient");
    QTest::newRow("QWebSocket") << true;
    QTest::newRow("RsWebSocket") << false;
}

void tst_RsWebSocketServer::secureConnection()
{
#ifdef QT_NO_SSL
    QSKIP("built without TLS");
#else
    QFETCH(bool, qtClient);
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const TestCertificate cert = makeCertificate(dir);
    if (!cert.error.isEmpty())
        QSKIP(qPrintable(cert.error));

    RsWebSocketServer server(QStringLiteral("Secure"), RsWebSocketServer::SecureMode);
    ServerSpies spies(&server);
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(cert.certificate);
    config.setPrivateKey(cert.key);
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    server.setSslConfiguration(config);
    QCOMPARE(server.sslConfiguration().localCertificate(), cert.certificate);
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QCOMPARE(server.serverUrl().scheme(), QStringLiteral("wss"));

    std::unique_ptr<RsWebSocket> accepted;
    connect(&server, &RsWebSocketServer::newConnection, this, [&] {
        accepted.reset(server.nextPendingConnection());
        connect(accepted.get(), &RsWebSocket::textMessageReceived, accepted.get(),
                &RsWebSocket::sendTextMessage);
    });

    // The client trusts the test certificate as its only CA.
    QSslConfiguration clientConfig = QSslConfiguration::defaultConfiguration();
    clientConfig.setCaCertificates({ cert.certificate });
    const QString message = QStringLiteral("over TLS");
    if (qtClient) {
        QWebSocket client;
        client.setSslConfiguration(clientConfig);
        QSignalSpy text(&client, &QWebSocket::textMessageReceived);
        QSignalSpy clientSslErrors(&client, &QWebSocket::sslErrors);
        client.open(server.serverUrl());
        QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
        client.sendTextMessage(message);
        QTRY_COMPARE(text.size(), 1);
        QCOMPARE(text.at(0).at(0).toString(), message);
        QCOMPARE(clientSslErrors.size(), 0);
    } else {
        RsWebSocket client;
        client.setSslConfiguration(clientConfig);
        QSignalSpy text(&client, &RsWebSocket::textMessageReceived);
        QSignalSpy clientSslErrors(&client, &RsWebSocket::sslErrors);
        client.open(server.serverUrl());
        QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
        client.sendTextMessage(message);
        QTRY_COMPARE(text.size(), 1);
        QCOMPARE(text.at(0).at(0).toString(), message);
        QCOMPARE(clientSslErrors.size(), 0);
    }
    QVERIFY(accepted);
    QCOMPARE(accepted->requestUrl().scheme(), QStringLiteral("wss"));
    QCOMPARE(accepted->sslConfiguration().localCertificate(), cert.certificate);
    QCOMPARE(spies.newConnection.size(), 1);
    QCOMPARE(spies.serverError.size(), 0);
    QCOMPARE(spies.sslErrors.size(), 0);
    QCOMPARE(spies.peerVerifyError.size(), 0);
    QCOMPARE(spies.acceptError.size(), 0);
#endif
}

void tst_RsWebSocketServer::secureClientCertificateRequired_data()
{
    QTest::addColumn<bool>("qtClient");
    QTest::newRow("QWebSocket") << true;
    QTest::newRow("RsWebSocket") << false;
}

void tst_RsWebSocketServer::secureClientCertificateRequired()
{
#ifdef QT_NO_SSL
    QSKIP("built without TLS");
#else
    QFETCH(bool, qtClient);
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const TestCertificate cert = makeCertificate(dir);
    if (!cert.error.isEmpty())
        QSKIP(qPrintable(cert.error));

    // The server insists on a client certificate; the client has none.
    RsWebSocketServer server(QStringLiteral("Secure"), RsWebSocketServer::SecureMode);
    ServerSpies spies(&server);
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(cert.certificate);
    config.setPrivateKey(cert.key);
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    server.setSslConfiguration(config);
    QVERIFY(server.listen(QHostAddress::LocalHost));

    QSslConfiguration clientConfig = QSslConfiguration::defaultConfiguration();
    clientConfig.setCaCertificates({ cert.certificate });
    std::unique_ptr<QObject> client;
    std::unique_ptr<QSignalSpy> clientConnected;
    if (qtClient) {
        auto *socket = new QWebSocket;
        client.reset(socket);
        socket->setSslConfiguration(clientConfig);
        clientConnected = std::make_unique<QSignalSpy>(socket, &QWebSocket::connected);
        socket->open(server.serverUrl());
    } else {
        auto *socket = new RsWebSocket;
        client.reset(socket);
        socket->setSslConfiguration(clientConfig);
        clientConnected = std::make_unique<QSignalSpy>(socket, &RsWebSocket::connected);
        socket->open(server.serverUrl());
    }

    QTRY_COMPARE(spies.sslErrors.size(), 1);
    const auto errors = spies.sslErrors.at(0).at(0).value<QList<QSslError>>();
    QVERIFY(!errors.isEmpty());
    QCOMPARE(errors.first().error(), QSslError::NoPeerCertificate);
    QCOMPARE(spies.peerVerifyError.size(), 1);
    QCOMPARE(spies.peerVerifyError.at(0).at(0).value<QSslError>().error(),
             QSslError::NoPeerCertificate);
    // The server ends the TLS session with an alert (close notify with OpenSSL).
    QTRY_VERIFY(spies.alertSent.size() >= 1);
    QTest::qWait(100);
    QCOMPARE(clientConnected->size(), 0);
    QCOMPARE(spies.newConnection.size(), 0);
    QCOMPARE(spies.handshakeInterruptedOnError.size(), 0);
    QCOMPARE(spies.preSharedKeyAuthenticationRequired.size(), 0);
    QCOMPARE(spies.acceptError.size(), 0);
    QVERIFY(!server.hasPendingConnections());
#endif
}

QTEST_MAIN(tst_RsWebSocketServer)

#include "tst_rswebsocketserver.moc"
