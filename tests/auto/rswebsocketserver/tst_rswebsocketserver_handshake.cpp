// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// RsWebSocketServer: what it answers to each opening handshake (Origin, subprotocols, bad
// requests, timeouts, permessage-deflate negotiation, bytes pipelined behind the request).

#include "tst_rswebsocketserver.h"

using namespace ServerTest;
using namespace std::chrono_literals;

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
    QTest::addColumn<RsWebSocketProtocol::CloseCode>("closeCode");
    const auto protocolError = RsWebSocketProtocol::CloseCodeProtocolError;
    const auto tooMuchData = RsWebSocketProtocol::CloseCodeTooMuchData;

    QTest::newRow("plain HTTP GET")
            << QByteArray("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n") << 400 << protocolError;
    QTest::newRow("no Sec-WebSocket-Key")
            << QByteArray("GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                          "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n")
            << 400 << protocolError;
    QTest::newRow("no Upgrade header")
            << QByteArray("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                          "Sec-WebSocket-Version: 13\r\n\r\n")
            << 400 << protocolError;
    QTest::newRow("garbage") << QByteArray::fromHex("160301020001000001fc0303") + "\r\n\r\n"
                             << 400 << protocolError;
    QTest::newRow("version 8") << upgradeRequest(1, QByteArray(), "8") << 426 << protocolError;
    QTest::newRow("version 14") << upgradeRequest(1, QByteArray(), "14") << 426 << protocolError;
    QTest::newRow("header line of 10 KiB")
            << upgradeRequest(1, "X-Big: " + QByteArray(10 * 1024, 'a') + "\r\n") << 431
            << tooMuchData;
    QByteArray manyLines;
    for (int i = 0; i < 150; ++i)
        manyLines += "X-Line-" + QByteArray::number(i) + ": x\r\n";
    QTest::newRow("150 header lines") << upgradeRequest(1, manyLines) << 431 << tooMuchData;
    QByteArray endless = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 40; ++i)
        endless += "X-Filler-" + QByteArray::number(i) + ": " + QByteArray(1000, 'f') + "\r\n";
    QTest::newRow("head over 16 KiB, never ends") << endless << 431 << tooMuchData;
}

void tst_RsWebSocketServer::badRequests()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(RsWebSocketProtocol::CloseCode, closeCode);

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
    QCOMPARE(spies.serverError.at(0).at(0).value<RsWebSocketProtocol::CloseCode>(), closeCode);
    QCOMPARE(server.error(), closeCode);
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

void tst_RsWebSocketServer::compressionOptionsBeyondTheRfc()
{
    // Level 0 (stored blocks) on the server, level 9 with a small local window and a threshold
    // on the client: both ends still agree, and each message arrives intact either way.
    RsWebSocketServer server(QString(), RsWebSocketServer::NonSecureMode);
    ServerSpies spies(&server);
    server.setCompressionEnabled(true);
    RsWebSocketDeflateOptions serverOptions;
    serverOptions.compressionLevel = 0;
    serverOptions.serverNoContextTakeover = true;
    server.setCompressionOptions(serverOptions);
    QVERIFY(server.listen(QHostAddress::LocalHost));
    std::unique_ptr<RsWebSocket> accepted;
    connect(&server, &RsWebSocketServer::newConnection, this, [&] {
        accepted.reset(server.nextPendingConnection());
        connect(accepted.get(), &RsWebSocket::binaryMessageReceived, accepted.get(),
                &RsWebSocket::sendBinaryMessage);
    });

    RsWebSocket client;
    client.setCompressionEnabled(true);
    RsWebSocketDeflateOptions clientOptions;
    clientOptions.compressionLevel = 9;
    clientOptions.memoryLevel = 9;
    clientOptions.compressionWindowBits = 9;
    clientOptions.compressionThreshold = 1024;
    client.setCompressionOptions(clientOptions);
    QSignalSpy connected(&client, &RsWebSocket::connected);
    QSignalSpy binary(&client, &RsWebSocket::binaryMessageReceived);
    client.open(localUrl(server));
    QTRY_COMPARE(connected.size(), 1);
    QVERIFY(client.isCompressionActive());
    QVERIFY(client.extensions().contains(QStringLiteral("server_no_context_takeover")));

    const QByteArray small(100, 's');                      // under the client's threshold
    const QByteArray large = QByteArray("pattern ").repeated(20000);
    client.sendBinaryMessage(small);
    client.sendBinaryMessage(large);
    QTRY_COMPARE(binary.size(), 2);
    QCOMPARE(binary.at(0).at(0).toByteArray(), small);
    QCOMPARE(binary.at(1).at(0).toByteArray(), large);
    QCOMPARE(spies.serverError.size(), 0);
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
