// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// RsWebSocket: QWebSocket's API and behaviour, checked side by side with Qt's own QWebSocket
// where Qt defines the answer, against an in-process QWebSocketServer echo server.

#include "tst_rswebsocket.h"

#include "socketspies.h"
#include "testpeers.h"

#include <RsWebSockets/RsWebSocket>
#include <RsWebSockets/RsWebSocketHandshakeOptions>

#include <QtCore/QPointer>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QThread>
#include <QtNetwork/QNetworkProxy>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketHandshakeOptions>

#include <limits>
#include <memory>

Q_DECLARE_METATYPE(RsWebSocketProtocol::CloseCode)

namespace {

quint16 unusedPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

} // namespace

void tst_RsWebSocket::defaults()
{
    QObject parent;
    RsWebSocket socket;
    QWebSocket qt;
    QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(socket.version(), RsWebSocketProtocol::VersionLatest);
    QCOMPARE(int(socket.version()), int(qt.version()));
    QCOMPARE(socket.origin(), QString());
    QCOMPARE(int(socket.closeCode()), int(qt.closeCode()));
    QCOMPARE(socket.closeReason(), qt.closeReason());
    QCOMPARE(socket.error(), qt.error());
    QCOMPARE(socket.errorString(), QString());
    QCOMPARE(socket.isValid(), false);
    QCOMPARE(socket.localPort(), quint16(0));
    QCOMPARE(socket.peerPort(), quint16(0));
    QVERIFY(socket.localAddress().isNull());
    QVERIFY(socket.peerAddress().isNull());
    QCOMPARE(socket.peerName(), QString());
    QCOMPARE(socket.readBufferSize(), qt.readBufferSize());
    QCOMPARE(socket.pauseMode(), qt.pauseMode());
    QCOMPARE(socket.maxAllowedIncomingFrameSize(), qt.maxAllowedIncomingFrameSize());
    QCOMPARE(socket.maxAllowedIncomingMessageSize(), qt.maxAllowedIncomingMessageSize());
    QCOMPARE(RsWebSocket::maxIncomingFrameSize(), QWebSocket::maxIncomingFrameSize());
    QCOMPARE(RsWebSocket::maxIncomingMessageSize(), QWebSocket::maxIncomingMessageSize());
    QCOMPARE(RsWebSocket::maxOutgoingFrameSize(), QWebSocket::maxOutgoingFrameSize());
    QCOMPARE(socket.outgoingFrameSize(), qt.outgoingFrameSize());
    QCOMPARE(socket.bytesToWrite(), 0);
    QVERIFY(socket.maskGenerator() != nullptr);
    QCOMPARE(socket.resourceName(), QString());
    QCOMPARE(socket.requestUrl(), QUrl());
    QCOMPARE(socket.subprotocol(), QString());
    QCOMPARE(socket.handshakeOptions(), RsWebSocketHandshakeOptions());
    QCOMPARE(socket.proxy().type(), qt.proxy().type());
#ifndef QT_NO_SSL
    QCOMPARE(socket.sslConfiguration(), qt.sslConfiguration());
#endif
    // the extras default to QWebSocket's behaviour
    QCOMPARE(socket.compressionEnabled(), false);
    QCOMPARE(socket.isCompressionActive(), false);
    QCOMPARE(socket.extensions(), QString());
    QCOMPARE(socket.keepAliveInterval(), 0);
    QCOMPARE(socket.pongTimeout(), 10000);
    QCOMPARE(socket.closeTimeout(), 5000);
    QCOMPARE(socket.bufferedAmount(), 0);
    QCOMPARE(socket.bufferedAmountLowThreshold(), 0);

    RsWebSocket withArgs(QStringLiteral("http://example.org"), RsWebSocketProtocol::Version8,
                         &parent);
    QCOMPARE(withArgs.origin(), QStringLiteral("http://example.org"));
    QCOMPARE(withArgs.version(), RsWebSocketProtocol::Version8);
    QCOMPARE(withArgs.parent(), &parent);
}

void tst_RsWebSocket::settersRoundTrip()
{
    RsWebSocket socket;
    socket.setReadBufferSize(4096);
    QCOMPARE(socket.readBufferSize(), 4096);
    socket.setPauseMode(QAbstractSocket::PauseOnSslErrors);
    QCOMPARE(socket.pauseMode(), QAbstractSocket::PauseOnSslErrors);
    socket.setProxy(QNetworkProxy(QNetworkProxy::NoProxy));
    QCOMPARE(socket.proxy().type(), QNetworkProxy::NoProxy);
    socket.setCompressionEnabled(true);
    socket.setCompressionClientNoContextTakeover(true);
    socket.setCompressionServerNoContextTakeover(true);
    socket.setCompressionClientMaxWindowBits(10);
    socket.setCompressionServerMaxWindowBits(99);
    QVERIFY(socket.compressionEnabled());
    QVERIFY(socket.compressionClientNoContextTakeover());
    QVERIFY(socket.compressionServerNoContextTakeover());
    QCOMPARE(socket.compressionClientMaxWindowBits(), 10);
    QCOMPARE(socket.compressionServerMaxWindowBits(), 15); // clamped to 8..15
    socket.setCompressionServerMaxWindowBits(0);
    QCOMPARE(socket.compressionServerMaxWindowBits(), 0); // 0: left to the server
    RsWebSocketDeflateOptions options = socket.compressionOptions();
    QVERIFY(options.clientNoContextTakeover);
    QCOMPARE(options.clientMaxWindowBits.value_or(0), 10);
    QVERIFY(!options.serverMaxWindowBits);
    options.compressionLevel = 42;       // brought into -1..9
    options.memoryLevel = 3;
    options.compressionWindowBits = 4;   // brought into 8..15
    options.compressionThreshold = 512;
    options.serverMaxWindowBits = 9;
    socket.setCompressionOptions(options);
    QCOMPARE(socket.compressionOptions().compressionLevel, 9);
    QCOMPARE(socket.compressionOptions().memoryLevel, 3);
    QCOMPARE(socket.compressionOptions().compressionWindowBits, 8);
    QCOMPARE(socket.compressionOptions().compressionThreshold, std::size_t(512));
    QCOMPARE(socket.compressionServerMaxWindowBits(), 9); // the RFC setters see the same options
    QVERIFY(socket.compressionClientNoContextTakeover());
    socket.setKeepAliveInterval(1500);
    QCOMPARE(socket.keepAliveInterval(), 1500);
    socket.setPongTimeout(250);
    QCOMPARE(socket.pongTimeout(), 250);
    socket.setCloseTimeout(0);
    QCOMPARE(socket.closeTimeout(), 0);
    socket.setKeepAliveInterval(-5);
    QCOMPARE(socket.keepAliveInterval(), 0);
    socket.setBufferedAmountLowThreshold(1 << 20);
    QCOMPARE(socket.bufferedAmountLowThreshold(), 1 << 20);
#ifndef QT_NO_SSL
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    socket.setSslConfiguration(config);
    QCOMPARE(socket.sslConfiguration(), config);
#endif
}

void tst_RsWebSocket::sizeLimitsLikeQt_data()
{
    QTest::addColumn<quint64>("value");
    const quint64 max = RsWebSocket::maxIncomingFrameSize();
    QTest::newRow("1") << quint64(1);
    QTest::newRow("1000") << quint64(1000);
    QTest::newRow("max") << max;
    QTest::newRow("max+1 is ignored") << max + 1;
    QTest::newRow("2^63") << (quint64(1) << 63);
}

void tst_RsWebSocket::sizeLimitsLikeQt()
{
    QFETCH(quint64, value);
    RsWebSocket socket;
    QWebSocket qt;
    socket.setMaxAllowedIncomingFrameSize(value);
    qt.setMaxAllowedIncomingFrameSize(value);
    QCOMPARE(socket.maxAllowedIncomingFrameSize(), qt.maxAllowedIncomingFrameSize());
    socket.setMaxAllowedIncomingMessageSize(value);
    qt.setMaxAllowedIncomingMessageSize(value);
    QCOMPARE(socket.maxAllowedIncomingMessageSize(), qt.maxAllowedIncomingMessageSize());
    socket.setOutgoingFrameSize(value);
    qt.setOutgoingFrameSize(value);
    QCOMPARE(socket.outgoingFrameSize(), qt.outgoingFrameSize());
}

void tst_RsWebSocket::invalidUrl_data()
{
    QTest::addColumn<QUrl>("url");
    QTest::addColumn<QAbstractSocket::SocketError>("error");
    QTest::newRow("empty") << QUrl() << QAbstractSocket::ConnectionRefusedError;
    QTest::newRow("unparsable") << QUrl(QStringLiteral("ws://[::1"), QUrl::StrictMode)
                                << QAbstractSocket::ConnectionRefusedError;
    QTest::newRow("http scheme") << QUrl(QStringLiteral("http://127.0.0.1:1/"))
                                 << QAbstractSocket::UnsupportedSocketOperationError;
    QTest::newRow("no scheme") << QUrl(QStringLiteral("127.0.0.1/path"))
                               << QAbstractSocket::UnsupportedSocketOperationError;
    QTest::newRow("CRLF in the path") << QUrl(QStringLiteral("ws://127.0.0.1:1/a%0D%0Ab"))
                                      << QAbstractSocket::ConnectionRefusedError;
}

void tst_RsWebSocket::invalidUrl()
{
    QFETCH(QUrl, url);
    QFETCH(QAbstractSocket::SocketError, error);
    RsWebSocket socket;
    SocketSpies spies(&socket);
    QVERIFY(spies.allValid());
    socket.open(url);
    // reported before open() returns, as QWebSocket does
    QCOMPARE(spies.errorOccurred.count(), 1);
    QCOMPARE(spies.error.count(), 1);
    QCOMPARE(spies.errorOccurred.at(0).at(0).value<QAbstractSocket::SocketError>(), error);
    QCOMPARE(socket.error(), error);
    QVERIFY(!socket.errorString().isEmpty());
    QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(spies.stateChanged.count(), 0);

    QWebSocket qt;
    QSignalSpy qtError(&qt, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error));
    qt.open(url);
    QCOMPARE(qtError.count(), 1);
    QCOMPARE(qtError.at(0).at(0).value<QAbstractSocket::SocketError>(), error);

    QTest::qWait(20);
    QCOMPARE(spies.errorOccurred.count(), 1);
    QCOMPARE(spies.disconnected.count(), 0);
}

void tst_RsWebSocket::connectionRefused()
{
    const QUrl url(QStringLiteral("ws://127.0.0.1:%1/").arg(unusedPort()));
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.open(url);
    QCOMPARE(socket.state(), QAbstractSocket::ConnectingState);
    QTRY_COMPARE(spies.disconnected.count(), 1);
    QCOMPARE(spies.errorOccurred.count(), 1);
    QCOMPARE(spies.errorOccurred.at(0).at(0).value<QAbstractSocket::SocketError>(),
             QAbstractSocket::ConnectionRefusedError);
    QCOMPARE(socket.error(), QAbstractSocket::ConnectionRefusedError);
    QCOMPARE(spies.connected.count(), 0);
    QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);

    QWebSocket qt;
    QtRecorder qtOrder(&qt);
    qt.open(url);
    QTRY_VERIFY(qtOrder.order.contains(QStringLiteral("disconnected")));
    QCOMPARE(spies.order, qtOrder.order);
}

void tst_RsWebSocket::connectSignalsAndRequest()
{
    EchoServer server;
    QVERIFY(server.listen());
    QUrl url = server.url(QStringLiteral("/chat"));
    url.setQuery(QStringLiteral("room=1&x=%20"));
    QNetworkRequest request(url);
    request.setRawHeader("X-Test", "yes");

    RsWebSocket socket(QStringLiteral("http://example.org"));
    SocketSpies spies(&socket);
    socket.open(request);
    QCOMPARE(socket.state(), QAbstractSocket::ConnectingState);
    QTRY_COMPARE(spies.connected.count(), 1);
    QCOMPARE(spies.order, QStringList({ QStringLiteral("state:2"), QStringLiteral("state:3"),
                                        QStringLiteral("connected") }));
    QVERIFY(socket.isValid());
    QCOMPARE(socket.requestUrl(), url);
    QCOMPARE(socket.request().rawHeader("X-Test"), QByteArray("yes"));
    QCOMPARE(socket.resourceName(), QStringLiteral("/chat?room=1&x=%20"));
    QCOMPARE(socket.peerAddress(), QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(socket.peerPort(), server.server.serverPort());
    QCOMPARE(socket.peerName(), QStringLiteral("127.0.0.1"));
    QVERIFY(socket.localPort() != 0);
    QCOMPARE(socket.localAddress(), QHostAddress(QHostAddress::LocalHost));
    QVERIFY(spies.bytesWritten.count() > 0); // the request went out

    QTRY_VERIFY(server.last());
    QWebSocket *peer = server.last();
    QCOMPARE(peer->origin(), QStringLiteral("http://example.org"));
    QCOMPARE(peer->request().rawHeader("X-Test"), QByteArray("yes"));
    QCOMPARE(peer->requestUrl().path(), QStringLiteral("/chat"));
    QVERIFY(spies.noTlsSignals());
    QCOMPARE(spies.errorOccurred.count(), 0);
}

void tst_RsWebSocket::echo_data()
{
    QTest::addColumn<bool>("binary");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("frames"); // frames of the echo (QWebSocket sends 512 KiB frames)
    QTest::newRow("empty text") << false << QByteArray() << 1;
    QTest::newRow("short text") << false << QByteArray("hello") << 1;
    QTest::newRow("unicode text") << false << QStringLiteral("h\u00e9llo \u2713 \U0001F389").toUtf8()
                                  << 1;
    QTest::newRow("text 70000") << false << QByteArray(70000, 'x') << 1;
    QTest::newRow("empty binary") << true << QByteArray() << 1;
    QTest::newRow("binary 125") << true << QByteArray(125, '\x01') << 1;
    QTest::newRow("binary 65536") << true << QByteArray(65536, '\xff') << 1;
    QByteArray big(2 * 1024 * 1024 + 7, Qt::Uninitialized);
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char(i * 31 + (i >> 8));
    QTest::newRow("binary 2 MiB") << true << big << 5;
}

void tst_RsWebSocket::echo()
{
    QFETCH(bool, binary);
    QFETCH(QByteArray, payload);
    QFETCH(int, frames);
    EchoServer server;
    QVERIFY(server.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.open(server.url());
    QTRY_COMPARE(spies.connected.count(), 1);

    if (binary) {
        QCOMPARE(socket.sendBinaryMessage(payload), qint64(payload.size()));
        QTRY_COMPARE(spies.binaryMessageReceived.count(), 1);
        QCOMPARE(spies.binaryMessageReceived.at(0).at(0).toByteArray(), payload);
        QCOMPARE(spies.binaryFrameReceived.count(), frames);
        QByteArray joined;
        for (int i = 0; i < frames; ++i) {
            joined += spies.binaryFrameReceived.at(i).at(0).toByteArray();
            QCOMPARE(spies.binaryFrameReceived.at(i).at(1).toBool(), i == frames - 1);
        }
        QCOMPARE(joined, payload);
        QCOMPARE(spies.textMessageReceived.count(), 0);
    } else {
        const QString text = QString::fromUtf8(payload);
        QCOMPARE(socket.sendTextMessage(text), qint64(payload.size()));
        QTRY_COMPARE(spies.textMessageReceived.count(), 1);
        QCOMPARE(spies.textMessageReceived.at(0).at(0).toString(), text);
        QCOMPARE(spies.textFrameReceived.count(), frames);
        QCOMPARE(spies.textFrameReceived.last().at(1).toBool(), true);
        QCOMPARE(spies.binaryMessageReceived.count(), 0);
    }
    QCOMPARE(spies.errorOccurred.count(), 0);
    QVERIFY(spies.noTlsSignals());
    socket.close();
    QTRY_COMPARE(spies.disconnected.count(), 1);
}

void tst_RsWebSocket::sendFromSlotThenNestedLoop()
{
    // A message sent from a slot on our own signal waits in the engine until the slot returns
    // (one socket write per read); it is counted by bytesToWrite() meanwhile, and a slot that
    // runs a nested event loop (a modal dialog) still gets it out.
    EchoServer server;
    QVERIFY(server.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    QStringList received;
    bool nestedDone = false;
    connect(&socket, &RsWebSocket::textMessageReceived, this,
            [&](const QString &message) {
                received << message;
                if (message != QLatin1String("first"))
                    return;
                const qint64 before = socket.bytesToWrite();
                QCOMPARE(socket.sendTextMessage(QStringLiteral("reply")), qint64(5));
                QCOMPARE(socket.bytesToWrite(), before + 11); // 2-byte header, 4-byte mask, 5 bytes
                // The nested loop writes it (the echo comes once this slot has returned: a
                // QTcpSocket does not emit readyRead() again from inside its readyRead()).
                QTRY_COMPARE_WITH_TIMEOUT(socket.bytesToWrite(), qint64(0), 5000);
                nestedDone = true;
            });
    socket.open(server.url());
    QTRY_COMPARE(spies.connected.count(), 1);
    socket.sendTextMessage(QStringLiteral("first"));
    QTRY_VERIFY(nestedDone);
    QTRY_COMPARE(received, QStringList({ QStringLiteral("first"), QStringLiteral("reply") }));
    QCOMPARE(spies.errorOccurred.count(), 0);
    socket.close();
    QTRY_COMPARE(spies.disconnected.count(), 1);
}

void tst_RsWebSocket::framesAndMessages_data()
{
    QTest::addColumn<bool>("binary");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("frameSize"); // the server's outgoing frame size
    QTest::newRow("ascii in 3-byte frames") << false << QByteArray("abcdefghij") << 3;
    QTest::newRow("2-byte chars split") << false << QStringLiteral("\u00e9\u00e9\u00e9\u00e9\u00e9").toUtf8() << 3;
    QTest::newRow("emoji split") << false << QStringLiteral("\U0001F389\U0001F680").toUtf8() << 3;
    QTest::newRow("one frame") << false << QByteArray("short") << 100;
    QTest::newRow("binary in 7-byte frames") << true << QByteArray(50, 'b') << 7;
}

void tst_RsWebSocket::framesAndMessages()
{
    QFETCH(bool, binary);
    QFETCH(QByteArray, payload);
    QFETCH(int, frameSize);
    EchoServer server;
    server.onConnection = [frameSize](QWebSocket *peer) { peer->setOutgoingFrameSize(frameSize); };
    QVERIFY(server.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.open(server.url());
    QTRY_COMPARE(spies.connected.count(), 1);
    const int expectedFrames = int((payload.size() + frameSize - 1) / frameSize);
    if (binary) {
        socket.sendBinaryMessage(payload);
        QTRY_COMPARE(spies.binaryMessageReceived.count(), 1);
        QCOMPARE(spies.binaryMessageReceived.at(0).at(0).toByteArray(), payload);
        QCOMPARE(spies.binaryFrameReceived.count(), expectedFrames);
    } else {
        socket.sendTextMessage(QString::fromUtf8(payload));
        QTRY_COMPARE(spies.textMessageReceived.count(), 1);
        QCOMPARE(spies.textMessageReceived.at(0).at(0).toString(), QString::fromUtf8(payload));
        QCOMPARE(spies.textFrameReceived.count(), expectedFrames);
        QString joined;
        for (int i = 0; i < expectedFrames; ++i) {
            joined += spies.textFrameReceived.at(i).at(0).toString();
            QCOMPARE(spies.textFrameReceived.at(i).at(1).toBool(), i == expectedFrames - 1);
        }
        // frames split inside a UTF-8 sequence still decode to the whole text
        QCOMPARE(joined, QString::fromUtf8(payload));
    }
}

void tst_RsWebSocket::pingPong_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("hello") << QByteArray("hello");
    QTest::newRow("125 bytes") << QByteArray(125, 'p');
    QTest::newRow("200 bytes, truncated to 125") << QByteArray(200, 'q');
}

void tst_RsWebSocket::pingPong()
{
    QFETCH(QByteArray, payload);
    EchoServer server;
    QVERIFY(server.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.open(server.url());
    QTRY_COMPARE(spies.connected.count(), 1);
    QTest::qWait(30);
    socket.ping(payload);
    QTRY_COMPARE(spies.pong.count(), 1);
    const quint64 elapsed = spies.pong.at(0).at(0).value<quint64>();
    QVERIFY2(elapsed < 2000, qPrintable(QString::number(elapsed))); // measured from ping(), not open()
    QCOMPARE(spies.pong.at(0).at(1).toByteArray(), payload.left(125));
    QCOMPARE(spies.errorOccurred.count(), 0);
}

void tst_RsWebSocket::closeByClient_data()
{
    QTest::addColumn<RsWebSocketProtocol::CloseCode>("code");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("sentReason");
    QTest::newRow("default") << RsWebSocketProtocol::CloseCodeNormal << QString() << QString();
    QTest::newRow("going away") << RsWebSocketProtocol::CloseCodeGoingAway
                                << QStringLiteral("bye") << QStringLiteral("bye");
    QTest::newRow("application code") << RsWebSocketProtocol::CloseCode(4000)
                                      << QStringLiteral("app") << QStringLiteral("app");
    QTest::newRow("unicode reason") << RsWebSocketProtocol::CloseCodeNormal
                                    << QStringLiteral("\u00e0 bient\u00f4t")
                                    << QStringLiteral("\u00e0 bient\u00f4t");
    // 122 ASCII bytes + a 2-byte character: cut before the character (123-byte limit)
    const QString longReason = QString(122, QLatin1Char('r')) + QStringLiteral("\u00e9\u00e9");
    QTest::newRow("reason cut at 123 bytes") << RsWebSocketProtocol::CloseCodeNormal
                                             << longReason << QString(122, QLatin1Char('r'));
}

void tst_RsWebSocket::closeByClient()
{
    QFETCH(RsWebSocketProtocol::CloseCode, code);
    QFETCH(QString, reason);
    QFETCH(QString, sentReason);
    EchoServer server;
    QVERIFY(server.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.open(server.url());
    QTRY_COMPARE(spies.connected.count(), 1);
    QTRY_VERIFY(server.last());
    QPointer<QWebSocket> peer = server.last();
    QSignalSpy peerDisconnected(peer.data(), &QWebSocket::disconnected);
    spies.order.clear();
    if (reason.isNull() && code == RsWebSocketProtocol::CloseCodeNormal)
        socket.close(); // the default arguments
    else
        socket.close(code, reason);
    QCOMPARE(spies.aboutToClose.count(), 1); // synchronously, as Qt
    QCOMPARE(socket.state(), QAbstractSocket::ClosingState);
    QTRY_COMPARE(spies.disconnected.count(), 1);
    QCOMPARE(spies.order,
             QStringList({ QStringLiteral("aboutToClose"), QStringLiteral("state:6"),
                           QStringLiteral("state:0"), QStringLiteral("disconnected") }));
    QCOMPARE(int(socket.closeCode()), int(code));
    QCOMPARE(socket.closeReason(), sentReason);
    QTRY_COMPARE(peerDisconnected.count(), 1);
    QCOMPARE(int(peer->closeCode()), int(code));
    QCOMPARE(peer->closeReason(), sentReason);
    QCOMPARE(spies.errorOccurred.count(), 0);
    QVERIFY(!socket.isValid());
}

void tst_RsWebSocket::closeByServer_data()
{
    closeByClient_data();
}

void tst_RsWebSocket::closeByServer()
{
    QFETCH(RsWebSocketProtocol::CloseCode, code);
    QFETCH(QString, reason);
    QFETCH(QString, sentReason);
    EchoServer server;
    QVERIFY(server.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.open(server.url());
    QTRY_COMPARE(spies.connected.count(), 1);
    QTRY_VERIFY(server.last());
    spies.order.clear();
    server.last()->close(QWebSocketProtocol::CloseCode(int(code)), sentReason);
    QTRY_COMPARE(spies.disconnected.count(), 1);
    QCOMPARE(spies.order,
             QStringList({ QStringLiteral("aboutToClose"), QStringLiteral("state:6"),
                           QStringLiteral("state:0"), QStringLiteral("disconnected") }));
    QCOMPARE(int(socket.closeCode()), int(code));
    QCOMPARE(socket.closeReason(), sentReason);
    QCOMPARE(spies.errorOccurred.count(), 0); // a clean close is no error
    QCOMPARE(spies.readChannelFinished.count(), 1);
}

void tst_RsWebSocket::subprotocol_data()
{
    QTest::addColumn<QStringList>("supported");
    QTest::addColumn<QStringList>("requested");
    QTest::addColumn<QByteArray>("header"); // Sec-WebSocket-Protocol set on the QNetworkRequest
    QTest::addColumn<QString>("expected");
    const QStringList chat{ QStringLiteral("chat"), QStringLiteral("superchat") };
    QTest::newRow("none requested") << chat << QStringList() << QByteArray() << QString();
    QTest::newRow("one match") << chat << QStringList{ QStringLiteral("superchat") }
                               << QByteArray() << QStringLiteral("superchat");
    QTest::newRow("client preference")
            << chat << QStringList{ QStringLiteral("superchat"), QStringLiteral("chat") }
            << QByteArray() << QStringLiteral("superchat");
    QTest::newRow("no match") << chat << QStringList{ QStringLiteral("mqtt") } << QByteArray()
                              << QString();
    QTest::newRow("from the request header") << chat << QStringList() << QByteArray("chat, x")
                                             << QStringLiteral("chat");
    QTest::newRow("invalid name skipped")
            << chat << QStringList{ QStringLiteral("bad name"), QStringLiteral("chat") }
            << QByteArray() << QStringLiteral("chat");
}

void tst_RsWebSocket::subprotocol()
{
    QFETCH(QStringList, supported);
    QFETCH(QStringList, requested);
    QFETCH(QByteArray, header);
    QFETCH(QString, expected);
    EchoServer server;
    server.server.setSupportedSubprotocols(supported);
    QVERIFY(server.listen());
    QNetworkRequest request(server.url());
    if (!header.isEmpty())
        request.setRawHeader("Sec-WebSocket-Protocol", header);
    const bool hasInvalid = requested.contains(QStringLiteral("bad name"));

    RsWebSocketHandshakeOptions options;
    options.setSubprotocols(requested);
    RsWebSocket socket;
    SocketSpies spies(&socket);
    if (hasInvalid)
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("Ignoring invalid WebSocket subprotocol name")));
    socket.open(request, options);
    QTRY_COMPARE(spies.connected.count(), 1);
    QCOMPARE(socket.subprotocol(), expected);
    QCOMPARE(socket.handshakeOptions(), options);
    QCOMPARE(socket.handshakeOptions().subprotocols(), requested);
    QTRY_VERIFY(server.last());
    QCOMPARE(server.last()->subprotocol(), expected);

    // QWebSocket agrees on the same server
    QWebSocketHandshakeOptions qtOptions;
    qtOptions.setSubprotocols(requested);
    QWebSocket qt;
    QSignalSpy qtConnected(&qt, &QWebSocket::connected);
    if (hasInvalid)
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("Ignoring invalid WebSocket subprotocol name")));
    qt.open(request, qtOptions);
    QTRY_COMPARE(qtConnected.count(), 1);
    QCOMPARE(socket.subprotocol(), qt.subprotocol());
}

void tst_RsWebSocket::handshakeRejected_data()
{
    QTest::addColumn<QByteArray>("kind");
    QTest::newRow("404") << QByteArray("404");
    QTest::newRow("wrong accept key") << QByteArray("accept");
    QTest::newRow("not HTTP") << QByteArray("garbage");
    QTest::newRow("unrequested subprotocol") << QByteArray("protocol");
    QTest::newRow("unrequested extension") << QByteArray("extension");
}

void tst_RsWebSocket::handshakeRejected()
{
    QFETCH(QByteArray, kind);
    RawServer server;
    server.respond = [kind](const QByteArray &head) -> QByteArray {
        if (kind == "404")
            return "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
        if (kind == "accept")
            return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Accept: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
        if (kind == "garbage")
            return "SSH-2.0-OpenSSH_9.2\r\n\r\n";
        if (kind == "protocol")
            return RawServer::acceptResponse(head, "Sec-WebSocket-Protocol: chat\r\n");
        return RawServer::acceptResponse(head, "Sec-WebSocket-Extensions: x-unknown\r\n");
    };
    QVERIFY(server.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.open(server.url());
    QTRY_COMPARE(spies.disconnected.count(), 1);
    QCOMPARE(spies.connected.count(), 0);
    QCOMPARE(spies.errorOccurred.count(), 1);
    QCOMPARE(spies.errorOccurred.at(0).at(0).value<QAbstractSocket::SocketError>(),
             QAbstractSocket::ConnectionRefusedError);
    QVERIFY2(!socket.errorString().isEmpty(), qPrintable(socket.errorString()));
    QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
    QVERIFY(!socket.isValid());
}

void tst_RsWebSocket::closeOrAbortEarly_data()
{
    QTest::addColumn<bool>("handshakeDone");
    QTest::addColumn<bool>("useAbort");
    QTest::newRow("close() during the opening handshake") << false << false;
    QTest::newRow("abort() during the opening handshake") << false << true;
    QTest::newRow("abort() when connected: no Close frame") << true << true;
}

void tst_RsWebSocket::closeOrAbortEarly()
{
    QFETCH(bool, handshakeDone);
    QFETCH(bool, useAbort);
    RawServer server;
    if (!handshakeDone)
        server.respond = [](const QByteArray &) { return QByteArray(); }; // never answers
    QVERIFY(server.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.open(server.url());
    if (handshakeDone)
        QTRY_COMPARE(spies.connected.count(), 1);
    else
        QTRY_VERIFY(!server.requestHead.isEmpty());
    if (useAbort)
        socket.abort();
    else
        socket.close();
    QTRY_COMPARE(spies.disconnected.count(), 1);
    QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(spies.errorOccurred.count(), 0);
    QCOMPARE(spies.aboutToClose.count(), useAbort ? 0 : 1);
    QTest::qWait(50);
    QCOMPARE(server.received, QByteArray()); // nothing but the request went out
    QCOMPARE(spies.disconnected.count(), 1);
}

void tst_RsWebSocket::deleteFromSlot_data()
{
    QTest::addColumn<QString>("signal");
    QTest::newRow("textMessageReceived (more data pending)") << QStringLiteral("text");
    QTest::newRow("textFrameReceived") << QStringLiteral("frame");
    QTest::newRow("connected") << QStringLiteral("connected");
    QTest::newRow("pong") << QStringLiteral("pong");
    QTest::newRow("aboutToClose (server closes)") << QStringLiteral("aboutToClose");
    QTest::newRow("disconnected (server closes)") << QStringLiteral("disconnected");
    QTest::newRow("errorOccurred (refused)") << QStringLiteral("error");
}

void tst_RsWebSocket::deleteFromSlot()
{
    QFETCH(QString, signal);
    EchoServer server;
    QVERIFY(server.listen());
    QPointer<RsWebSocket> socket = new RsWebSocket;
    int calls = 0;
    auto destroy = [&] {
        ++calls;
        delete socket.data();
    };
    if (signal == QLatin1String("text"))
        connect(socket.data(), &RsWebSocket::textMessageReceived, this, destroy);
    else if (signal == QLatin1String("frame"))
        connect(socket.data(), &RsWebSocket::textFrameReceived, this, destroy);
    else if (signal == QLatin1String("connected"))
        connect(socket.data(), &RsWebSocket::connected, this, destroy);
    else if (signal == QLatin1String("pong"))
        connect(socket.data(), &RsWebSocket::pong, this, destroy);
    else if (signal == QLatin1String("aboutToClose"))
        connect(socket.data(), &RsWebSocket::aboutToClose, this, destroy);
    else if (signal == QLatin1String("disconnected"))
        connect(socket.data(), &RsWebSocket::disconnected, this, destroy);
    else
        connect(socket.data(), &RsWebSocket::errorOccurred, this, destroy);

    if (signal == QLatin1String("error")) {
        socket->open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(unusedPort())));
    } else {
        socket->open(server.url());
        if (signal != QLatin1String("connected")) {
            QTRY_VERIFY(socket && socket->state() == QAbstractSocket::ConnectedState);
            QTRY_VERIFY(server.last());
        }
        if (signal == QLatin1String("text") || signal == QLatin1String("frame")) {
            // both messages arrive in one TCP segment
            server.last()->sendTextMessage(QStringLiteral("one"));
            server.last()->sendTextMessage(QStringLiteral("two"));
        } else if (signal == QLatin1String("pong")) {
            socket->ping("p");
        } else if (signal != QLatin1String("connected")) {
            server.last()->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("bye"));
        }
    }
    QTRY_VERIFY(socket.isNull());
    QTest::qWait(50);
    QCOMPARE(calls, 1);
}

void tst_RsWebSocket::reopen()
{
    EchoServer server;
    QVERIFY(server.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.open(server.url());
    QTRY_COMPARE(spies.connected.count(), 1);
    socket.open(server.url()); // replaces the live connection, as QWebSocket does
    QTRY_COMPARE(spies.connected.count(), 2);
    socket.sendTextMessage(QStringLiteral("again"));
    QTRY_COMPARE(spies.textMessageReceived.count(), 1);
    socket.close();
    QTRY_COMPARE(socket.state(), QAbstractSocket::UnconnectedState);
    socket.open(server.url());
    QTRY_COMPARE(spies.connected.count(), 3);
    QCOMPARE(socket.closeCode(), RsWebSocketProtocol::CloseCodeNormal);
    socket.sendBinaryMessage(QByteArray("bin"));
    QTRY_COMPARE(spies.binaryMessageReceived.count(), 1);
    QCOMPARE(spies.errorOccurred.count(), 0);
}

void tst_RsWebSocket::worksInAnotherThread()
{
    EchoServer server;
    QVERIFY(server.listen());
    QThread thread;
    thread.start();
    auto *socket = new RsWebSocket;
    socket->setKeepAliveInterval(30); // the engine's timer moves along with the socket
    socket->moveToThread(&thread);
    QStringList received; // filled in this thread (queued from the socket's thread)
    int pongs = 0;
    bool disconnected = false;
    connect(socket, &RsWebSocket::textMessageReceived, this,
            [&received](const QString &message) { received << message; });
    connect(socket, &RsWebSocket::pong, this, [&pongs] { ++pongs; });
    connect(socket, &RsWebSocket::disconnected, this, [&disconnected] { disconnected = true; });
    connect(socket, &RsWebSocket::connected, socket, [socket] {
        QCOMPARE(QThread::currentThread(), socket->thread());
        socket->sendTextMessage(QStringLiteral("from the worker"));
    });
    const QUrl url = server.url();
    QMetaObject::invokeMethod(socket, [socket, url] { socket->open(url); });
    QTRY_COMPARE(received, QStringList{ QStringLiteral("from the worker") });
    QTRY_VERIFY(pongs >= 2);
    QMetaObject::invokeMethod(socket, [socket] { socket->close(); });
    QTRY_VERIFY(disconnected);
    QMetaObject::invokeMethod(socket, [socket] { delete socket; }, Qt::BlockingQueuedConnection);
    thread.quit();
    QVERIFY(thread.wait(5000));
}

QTEST_MAIN(tst_RsWebSocket)
