// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// RsWebSocketServer against real clients in the same process: Qt's own QWebSocket (the
// reference client), RsWebSocket, and raw QTcpSockets that write handshakes by hand.
// This file: construction, properties, listening, accepting and the pending queue.
// Handshake checks are in tst_rswebsocketserver_handshake.cpp, wss in tst_rswebsocketserver_tls.cpp.

#include "tst_rswebsocketserver.h"

#include <QtCore/QPointer>

#include <unistd.h>

using namespace ServerTest;
using namespace std::chrono_literals;

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
    RsWebSocketDeflateOptions options;
    options.compressionLevel = -7; // brought into -1..9
    options.memoryLevel = 12;      // brought into 0..9
    options.clientMaxWindowBits = 3;
    server.setCompressionOptions(options);
    QCOMPARE(server.compressionOptions().compressionLevel, -1);
    QCOMPARE(server.compressionOptions().memoryLevel, 9);
    QCOMPARE(server.compressionClientMaxWindowBits(), 8);
    QVERIFY(!server.compressionServerNoContextTakeover());

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

void tst_RsWebSocketServer::keepAliveDetectsDeadClient()
{
    // The server's keepalive settings reach the accepted socket: a client that completed its
    // handshake but never answers a ping is declared dead.
    RsWebSocketServer server(QString(), RsWebSocketServer::NonSecureMode);
    server.setKeepAliveInterval(100);
    server.setPongTimeout(200);
    server.setCloseTimeout(200);
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QSignalSpy newConnection(&server, &RsWebSocketServer::newConnection);

    RawClient client(server.serverPort()); // reads everything, answers nothing
    QVERIFY(client.waitConnected());
    client.socket.write(upgradeRequest(server.serverPort()));
    QVERIFY(newConnection.wait(5000));
    std::unique_ptr<RsWebSocket> accepted(server.nextPendingConnection());
    QVERIFY(accepted);
    QSignalSpy errors(accepted.get(), &RsWebSocket::errorOccurred);
    QSignalSpy disconnected(accepted.get(), &RsWebSocket::disconnected);

    QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, 5000);
    QVERIFY(errors.size() >= 1);
    QCOMPARE(errors.at(0).at(0).value<QAbstractSocket::SocketError>(),
             QAbstractSocket::SocketTimeoutError);
    // The client got at least one ping (opcode 0x9, unmasked from a server) before that.
    QVERIFY(client.received.contains(char(0x89)));
}

void tst_RsWebSocketServer::clientVanishesMidFrame_data()
{
    QTest::addColumn<QByteArray>("partial");
    // A masked text frame of 5 bytes ("Hello", RFC 6455 section 5.7), cut short.
    const QByteArray frame = QByteArray::fromHex("818537fa213d7f9f4d5158");
    QTest::newRow("one header byte") << frame.left(1);
    QTest::newRow("inside the mask") << frame.left(4);
    QTest::newRow("inside the payload") << frame.left(8);
}

void tst_RsWebSocketServer::clientVanishesMidFrame()
{
    QFETCH(QByteArray, partial);
    RsWebSocketServer server(QString(), RsWebSocketServer::NonSecureMode);
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QSignalSpy newConnection(&server, &RsWebSocketServer::newConnection);

    RawClient client(server.serverPort());
    QVERIFY(client.waitConnected());
    client.socket.write(upgradeRequest(server.serverPort()));
    QVERIFY(newConnection.wait(5000));
    std::unique_ptr<RsWebSocket> accepted(server.nextPendingConnection());
    QVERIFY(accepted);
    QSignalSpy text(accepted.get(), &RsWebSocket::textMessageReceived);
    QSignalSpy frames(accepted.get(), &RsWebSocket::textFrameReceived);
    QSignalSpy disconnected(accepted.get(), &RsWebSocket::disconnected);

    client.socket.write(partial);
    QVERIFY(client.socket.waitForBytesWritten(1000));
    QTest::qWait(50);
    client.socket.abort();

    QTRY_COMPARE(disconnected.size(), 1);
    QCOMPARE(text.size(), 0);
    QCOMPARE(frames.size(), 0);
    QCOMPARE(accepted->closeCode(), RsWebSocketProtocol::CloseCodeAbnormalDisconnection);
    QCOMPARE(accepted->state(), QAbstractSocket::UnconnectedState);

    // The server is unaffected.
    QWebSocket good;
    good.open(localUrl(server));
    QTRY_COMPARE(newConnection.size(), 2);
    std::unique_ptr<RsWebSocket> next(server.nextPendingConnection());
    QVERIFY(next);
}

QTEST_MAIN(tst_RsWebSocketServer)
