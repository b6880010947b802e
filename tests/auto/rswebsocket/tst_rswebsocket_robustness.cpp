// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// RsWebSocket against peers that go wrong: dead peers found by keep-alive, peers that never
// answer a Close, limits, peers that vanish mid-frame or break the protocol; large messages,
// the buffered amount, and permessage-deflate against python-websockets.

#include "tst_rswebsocket.h"

#include "socketspies.h"
#include "testpeers.h"

#include <RsWebSockets/RsWebSocket>

#include <QtCore/QElapsedTimer>
#include <QtCore/QFileInfo>
#include <QtCore/QProcess>
#include <QtCore/QPointer>
#include <QtTest/QTest>

Q_DECLARE_METATYPE(RsWebSocketProtocol::CloseCode)

namespace {

// The first client frame in `bytes`, unmasked: {opcode, payload}. Empty opcode -1 if none.
std::pair<int, QByteArray> firstClientFrame(const QByteArray &bytes)
{
    if (bytes.size() < 6)
        return { -1, {} };
    const int opcode = quint8(bytes[0]) & 0x0F;
    quint64 length = quint8(bytes[1]) & 0x7F;
    qsizetype at = 2;
    if (length == 126) {
        length = (quint64(quint8(bytes[2])) << 8) | quint8(bytes[3]);
        at = 4;
    } else if (length == 127) {
        length = 0;
        for (int i = 0; i < 8; ++i)
            length = (length << 8) | quint8(bytes[2 + i]);
        at = 10;
    }
    if (!(quint8(bytes[1]) & 0x80) || bytes.size() < at + 4 + qsizetype(length))
        return { -1, {} };
    const QByteArray key = bytes.mid(at, 4);
    QByteArray payload = bytes.mid(at + 4, qsizetype(length));
    for (qsizetype i = 0; i < payload.size(); ++i)
        payload[i] = char(payload[i] ^ key[i % 4]);
    return { opcode, payload };
}

int closeCodeOf(const QByteArray &closePayload)
{
    if (closePayload.size() < 2)
        return -1;
    return (quint8(closePayload[0]) << 8) | quint8(closePayload[1]);
}

// python-websockets echo server (pyecho.py) in a child process.
class PythonServer
{
public:
    // Tries the interpreters listed in RSWEBSOCKETS_TEST_PYTHON (':'-separated; set by ctest:
    // the interop venv of scripts/test-all.sh, then python3) until one runs pyecho.py.
    bool start(QString *why)
    {
        const QString script = QFINDTESTDATA("pyecho.py");
        if (script.isEmpty()) {
            *why = QStringLiteral("pyecho.py not found");
            return false;
        }
        const QStringList candidates =
                qEnvironmentVariable("RSWEBSOCKETS_TEST_PYTHON", QStringLiteral("python3"))
                        .split(QLatin1Char(':'), Qt::SkipEmptyParts);
        QStringList failures;
        for (const QString &python : candidates) {
            if (python.contains(QLatin1Char('/')) && !QFileInfo::exists(python))
                continue;
            QString failure;
            if (startWith(python, script, &failure))
                return true;
            failures << failure;
        }
        *why = QStringLiteral("python-websockets is not available (tried %1): %2")
                       .arg(candidates.join(QStringLiteral(", ")), failures.join(QStringLiteral("; ")));
        return false;
    }

    bool startWith(const QString &python, const QString &script, QString *why)
    {
        process.start(python, { script });
        if (!process.waitForStarted(5000)) {
            *why = QStringLiteral("cannot start %1").arg(python);
            return false;
        }
        QByteArray out;
        QElapsedTimer timer;
        timer.start();
        while (!out.contains('\n') && timer.elapsed() < 10000) {
            if (process.state() != QProcess::Running)
                break;
            process.waitForReadyRead(200);
            out += process.readAllStandardOutput();
        }
        if (!out.startsWith("PORT ")) {
            *why = python + QStringLiteral(": ")
                    + QString::fromLocal8Bit(process.readAllStandardError()).trimmed().section(QLatin1Char('\n'), -1);
            process.kill();
            process.waitForFinished(3000);
            return false;
        }
        port = out.mid(5).trimmed().toUShort();
        return port != 0;
    }

    ~PythonServer()
    {
        process.kill();
        process.waitForFinished(3000);
    }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port)); }

    QProcess process;
    quint16 port = 0;
};

} // namespace

void tst_RsWebSocket::keepAliveDetectsDeadPeer()
{
    RawServer server; // answers the handshake, then never says a word
    QVERIFY(server.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.setKeepAliveInterval(100);
    socket.setPongTimeout(200);
    socket.open(server.url());
    QTRY_COMPARE(spies.connected.count(), 1);
    QElapsedTimer timer;
    timer.start();
    QTRY_COMPARE_WITH_TIMEOUT(spies.disconnected.count(), 1, 5000);
    QVERIFY2(timer.elapsed() >= 250, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(spies.errorOccurred.count(), 1);
    QCOMPARE(spies.errorOccurred.at(0).at(0).value<QAbstractSocket::SocketError>(),
             QAbstractSocket::SocketTimeoutError);
    QCOMPARE(socket.closeCode(), RsWebSocketProtocol::CloseCodeBadOperation);
    QVERIFY(!socket.errorString().isEmpty());
    // the peer got a masked Ping first
    const auto [opcode, payload] = firstClientFrame(server.received);
    QCOMPARE(opcode, 0x9);
    Q_UNUSED(payload);
}

void tst_RsWebSocket::keepAliveKeepsLivePeer()
{
    EchoServer server; // QWebSocket answers every Ping
    QVERIFY(server.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.setKeepAliveInterval(50);
    socket.setPongTimeout(1000);
    socket.open(server.url());
    QTRY_COMPARE(spies.connected.count(), 1);
    QTest::qWait(400);
    QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
    QVERIFY(spies.pong.count() >= 1); // keep-alive pongs are reported too
    QCOMPARE(spies.errorOccurred.count(), 0);
    // switching keep-alive off at run time takes effect
    socket.setKeepAliveInterval(0);
    QTest::qWait(60);
    const int pongs = spies.pong.count();
    QTest::qWait(300);
    QCOMPARE(spies.pong.count(), pongs);
}

void tst_RsWebSocket::closeTimeout_data()
{
    QTest::addColumn<int>("timeout");
    QTest::addColumn<int>("minimum");
    QTest::addColumn<int>("maximum");
    QTest::newRow("300 ms") << 300 << 250 << 3000;
    QTest::newRow("0: drop TCP at once, like QWebSocket") << 0 << 0 << 250;
}

void tst_RsWebSocket::closeTimeout()
{
    QFETCH(int, timeout);
    QFETCH(int, minimum);
    QFETCH(int, maximum);
    RawServer server; // never answers the Close
    QVERIFY(server.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.setCloseTimeout(timeout);
    socket.open(server.url());
    QTRY_COMPARE(spies.connected.count(), 1);
    QElapsedTimer timer;
    timer.start();
    socket.close(RsWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("done"));
    QTRY_COMPARE_WITH_TIMEOUT(spies.disconnected.count(), 1, 5000);
    QVERIFY2(timer.elapsed() >= minimum && timer.elapsed() <= maximum,
             qPrintable(QString::number(timer.elapsed())));
    QTRY_VERIFY(!server.received.isEmpty());
    const auto [opcode, payload] = firstClientFrame(server.received);
    QCOMPARE(opcode, 0x8);
    QCOMPARE(closeCodeOf(payload), 1001);
    QCOMPARE(payload.mid(2), QByteArray("done"));
    QCOMPARE(socket.closeCode(), RsWebSocketProtocol::CloseCodeGoingAway);
}

void tst_RsWebSocket::incomingLimits_data()
{
    QTest::addColumn<quint64>("maxFrame");
    QTest::addColumn<quint64>("maxMessage");
    QTest::addColumn<int>("serverFrameSize");
    QTest::addColumn<int>("messageSize");
    QTest::addColumn<bool>("accepted");
    const quint64 big = RsWebSocket::maxIncomingFrameSize();
    QTest::newRow("frame over the limit") << quint64(100) << big << 1000 << 200 << false;
    QTest::newRow("frame at the limit") << quint64(100) << big << 1000 << 100 << true;
    QTest::newRow("message over the limit") << big << quint64(1000) << 100 << 2000 << false;
    QTest::newRow("message at the limit") << big << quint64(1000) << 100 << 1000 << true;
    QTest::newRow("one-frame message over") << big << quint64(1000) << 100000 << 1001 << false;
}

void tst_RsWebSocket::incomingLimits()
{
    QFETCH(quint64, maxFrame);
    QFETCH(quint64, maxMessage);
    QFETCH(int, serverFrameSize);
    QFETCH(int, messageSize);
    QFETCH(bool, accepted);
    EchoServer server;
    server.onConnection = [serverFrameSize](QWebSocket *peer) {
        peer->setOutgoingFrameSize(serverFrameSize);
    };
    QVERIFY(server.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.setMaxAllowedIncomingFrameSize(maxFrame);
    socket.setMaxAllowedIncomingMessageSize(maxMessage);
    socket.open(server.url());
    QTRY_COMPARE(spies.connected.count(), 1);
    QTRY_VERIFY(server.last());
    QPointer<QWebSocket> peer = server.last();
    QSignalSpy peerDisconnected(peer.data(), &QWebSocket::disconnected);
    peer->sendBinaryMessage(QByteArray(messageSize, 'L'));
    if (accepted) {
        QTRY_COMPARE(spies.binaryMessageReceived.count(), 1);
        QCOMPARE(spies.binaryMessageReceived.at(0).at(0).toByteArray().size(), messageSize);
        QCOMPARE(spies.errorOccurred.count(), 0);
        return;
    }
    QTRY_COMPARE(spies.disconnected.count(), 1);
    QCOMPARE(spies.binaryMessageReceived.count(), 0);
    QCOMPARE(spies.errorOccurred.count(), 1);
    QCOMPARE(spies.errorOccurred.at(0).at(0).value<QAbstractSocket::SocketError>(),
             QAbstractSocket::DatagramTooLargeError);
    QCOMPARE(socket.closeCode(), RsWebSocketProtocol::CloseCodeTooMuchData);
    QTRY_COMPARE(peerDisconnected.count(), 1);
    QCOMPARE(int(peer->closeCode()), 1009);
}

void tst_RsWebSocket::peerVanishes_data()
{
    QTest::addColumn<QByteArray>("bytes"); // what the peer sends before it closes TCP
    QTest::addColumn<int>("frames");       // complete frames delivered before
    QTest::newRow("right after the handshake") << QByteArray() << 0;
    QTest::newRow("in a frame header") << QByteArray("\x81", 1) << 0;
    QTest::newRow("in a 64-bit length") << QByteArray("\x82\x7f\x00\x00", 4) << 0;
    QTest::newRow("in a payload") << RawServer::frame(0x1, QByteArray(100, 'v')).left(50) << 0;
    QTest::newRow("in a fragmented message")
            << RawServer::frame(0x1, "abc", false) + RawServer::frame(0x0, "def", false) << 2;
}

void tst_RsWebSocket::peerVanishes()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, frames);
    RawServer server;
    server.afterHandshake = [bytes](QTcpSocket *peer) {
        peer->write(bytes);
        peer->flush();
        peer->disconnectFromHost();
    };
    QVERIFY(server.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.open(server.url());
    QTRY_COMPARE(spies.disconnected.count(), 1);
    QCOMPARE(spies.textMessageReceived.count() + spies.binaryMessageReceived.count(), 0);
    QCOMPARE(spies.textFrameReceived.count(), frames);
    QCOMPARE(spies.errorOccurred.count(), 1);
    QCOMPARE(spies.errorOccurred.at(0).at(0).value<QAbstractSocket::SocketError>(),
             QAbstractSocket::RemoteHostClosedError);
    QCOMPARE(socket.closeCode(), RsWebSocketProtocol::CloseCodeAbnormalDisconnection);

    // the same signals, in the same order, as QWebSocket
    QWebSocket qt;
    QtRecorder qtOrder(&qt);
    qt.open(server.url());
    QTRY_VERIFY(qtOrder.order.contains(QStringLiteral("disconnected")));
    QTest::qWait(20);
    QVERIFY2(spies.order == qtOrder.order,
             qPrintable(spies.order.join(QLatin1Char(' ')) + QStringLiteral(" != ")
                        + qtOrder.order.join(QLatin1Char(' '))));
    QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
}

void tst_RsWebSocket::protocolViolation_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("code");
    QTest::newRow("masked server frame") << QByteArray("\x81\x82\x01\x02\x03\x04\x60\x60", 8) << 1002;
    QTest::newRow("reserved opcode") << RawServer::frame(0x3, "x") << 1002;
    QTest::newRow("RSV1 without extension") << QByteArray("\xc1\x01x", 3) << 1002;
    QTest::newRow("control frame over 125") << RawServer::frame(0x9, QByteArray(126, 'p')) << 1002;
    QTest::newRow("fragmented control frame") << RawServer::frame(0x9, "p", false) << 1002;
    QTest::newRow("continuation without start") << RawServer::frame(0x0, "c") << 1002;
    QTest::newRow("invalid UTF-8") << RawServer::frame(0x1, "\xff\xfe") << 1007;
    QTest::newRow("invalid close code") << RawServer::frame(0x8, QByteArray("\x03\xe7", 2)) << 1002;
}

void tst_RsWebSocket::protocolViolation()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, code);
    RawServer server;
    server.afterHandshake = [bytes](QTcpSocket *peer) { peer->write(bytes); };
    QVERIFY(server.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.setCloseTimeout(300);
    socket.open(server.url());
    QTRY_COMPARE_WITH_TIMEOUT(spies.disconnected.count(), 1, 5000);
    QCOMPARE(spies.errorOccurred.count(), 1);
    QCOMPARE(int(socket.closeCode()), code);
    QVERIFY(!socket.errorString().isEmpty());
    QCOMPARE(spies.aboutToClose.count(), 1);
    // the peer was told why
    QTRY_VERIFY(!server.received.isEmpty());
    const auto [opcode, payload] = firstClientFrame(server.received);
    QCOMPARE(opcode, 0x8);
    QCOMPARE(closeCodeOf(payload), code);
}

void tst_RsWebSocket::largeMessage()
{
    EchoServer server;
    QVERIFY(server.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.open(server.url());
    QTRY_COMPARE(spies.connected.count(), 1);
    QByteArray payload(64 * 1024 * 1024, Qt::Uninitialized);
    quint32 x = 12345;
    for (qsizetype i = 0; i < payload.size(); ++i) {
        x = x * 1664525u + 1013904223u;
        payload[i] = char(x >> 24);
    }
    QCOMPARE(socket.sendBinaryMessage(payload), qint64(payload.size()));
    QTRY_COMPARE_WITH_TIMEOUT(spies.binaryMessageReceived.count(), 1, 120000);
    const QByteArray echoed = spies.binaryMessageReceived.at(0).at(0).toByteArray();
    QCOMPARE(echoed.size(), payload.size());
    QVERIFY(echoed == payload);
    QCOMPARE(spies.errorOccurred.count(), 0);
}

void tst_RsWebSocket::bufferedAmount()
{
    EchoServer server;
    QVERIFY(server.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.setBufferedAmountLowThreshold(1024 * 1024);
    socket.open(server.url());
    QTRY_COMPARE(spies.connected.count(), 1);
    spies.bytesWritten.clear();
    const QByteArray payload(16 * 1024 * 1024, 'B');
    socket.sendBinaryMessage(payload);
    QVERIFY(socket.bufferedAmount() > 1024 * 1024);
    QVERIFY(socket.bytesToWrite() > 0);
    QTRY_VERIFY_WITH_TIMEOUT(spies.bufferedAmountLow.count() >= 1, 30000);
    QVERIFY(spies.bufferedAmountLow.at(0).at(0).toLongLong() <= 1024 * 1024);
    QTRY_COMPARE_WITH_TIMEOUT(socket.bufferedAmount(), 0, 30000);
    qint64 written = 0;
    for (const QList<QVariant> &args : std::as_const(spies.bytesWritten))
        written += args.at(0).toLongLong();
    QVERIFY(written >= payload.size()); // headers and mask keys on top
    QTRY_COMPARE_WITH_TIMEOUT(spies.binaryMessageReceived.count(), 1, 30000);
}

void tst_RsWebSocket::pauseMode()
{
    EchoServer server;
    QVERIFY(server.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.setPauseMode(QAbstractSocket::PauseOnSslErrors);
    socket.setReadBufferSize(1024); // a small socket buffer does not lose data
    socket.open(server.url());
    QTRY_COMPARE(spies.connected.count(), 1);
    QCOMPARE(socket.pauseMode(), QAbstractSocket::PauseOnSslErrors);
    socket.resume(); // nothing paused: a no-op
    const QByteArray payload(300 * 1024, 'r');
    socket.sendBinaryMessage(payload);
    QTRY_COMPARE_WITH_TIMEOUT(spies.binaryMessageReceived.count(), 1, 10000);
    QCOMPARE(spies.binaryMessageReceived.at(0).at(0).toByteArray(), payload);
    QVERIFY(socket.flush() || socket.bytesToWrite() == 0);
}

void tst_RsWebSocket::compressionDeclinedByQtServer()
{
    EchoServer server; // QtWebSockets has no permessage-deflate
    QVERIFY(server.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.setCompressionEnabled(true);
    socket.open(server.url());
    QTRY_COMPARE(spies.connected.count(), 1);
    QCOMPARE(socket.isCompressionActive(), false);
    QCOMPARE(socket.extensions(), QString());
    socket.sendTextMessage(QStringLiteral("plain"));
    QTRY_COMPARE(spies.textMessageReceived.count(), 1);
    QCOMPARE(spies.textMessageReceived.at(0).at(0).toString(), QStringLiteral("plain"));
}

void tst_RsWebSocket::compressionWithPythonWebsockets_data()
{
    QTest::addColumn<bool>("clientNoContextTakeover");
    QTest::addColumn<bool>("serverNoContextTakeover");
    QTest::addColumn<int>("clientBits");
    QTest::addColumn<int>("serverBits");
    QTest::addColumn<QString>("expectedParameter"); // in the negotiated header
    QTest::newRow("defaults") << false << false << 0 << 0 << QString();
    QTest::newRow("client_no_context_takeover") << true << false << 0 << 0
                                                << QStringLiteral("client_no_context_takeover");
    QTest::newRow("server_no_context_takeover") << false << true << 0 << 0
                                                << QStringLiteral("server_no_context_takeover");
    QTest::newRow("server_max_window_bits=10") << false << false << 0 << 10
                                               << QStringLiteral("server_max_window_bits=10");
    QTest::newRow("client_max_window_bits=9") << false << false << 9 << 0
                                              << QStringLiteral("client_max_window_bits=9");
}

void tst_RsWebSocket::compressionWithPythonWebsockets()
{
    QFETCH(bool, clientNoContextTakeover);
    QFETCH(bool, serverNoContextTakeover);
    QFETCH(int, clientBits);
    QFETCH(int, serverBits);
    QFETCH(QString, expectedParameter);
    PythonServer python;
    QString why;
    if (!python.start(&why))
        QSKIP(qPrintable(why));
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.setCompressionEnabled(true);
    socket.setCompressionClientNoContextTakeover(clientNoContextTakeover);
    socket.setCompressionServerNoContextTakeover(serverNoContextTakeover);
    socket.setCompressionClientMaxWindowBits(clientBits);
    socket.setCompressionServerMaxWindowBits(serverBits);
    socket.open(python.url());
    QTRY_COMPARE_WITH_TIMEOUT(spies.connected.count(), 1, 10000);
    QVERIFY(socket.isCompressionActive());
    QVERIFY2(socket.extensions().startsWith(QStringLiteral("permessage-deflate")),
             qPrintable(socket.extensions()));
    if (!expectedParameter.isEmpty()) {
        socket.sendTextMessage(QStringLiteral("__offer__"));
        QTRY_COMPARE(spies.textMessageReceived.count(), 1);
        const QString offer = spies.textMessageReceived.takeFirst().at(0).toString();
        QVERIFY2(socket.extensions().contains(expectedParameter),
                 qPrintable(socket.extensions() + QStringLiteral(" for the offer ") + offer));
    }

    // the server saw the same agreement
    socket.sendTextMessage(QStringLiteral("__extensions__"));
    QTRY_COMPARE(spies.textMessageReceived.count(), 1);
    QCOMPARE(spies.textMessageReceived.at(0).at(0).toString().remove(QLatin1Char(' ')),
             socket.extensions().remove(QLatin1Char(' ')));

    // a compressible 1 MiB message goes out small and comes back whole, several times
    QString text;
    for (int i = 0; text.size() < 1024 * 1024; ++i)
        text += QStringLiteral("line %1 of a very compressible text\n").arg(i % 100);
    spies.bytesWritten.clear();
    for (int round = 0; round < 3; ++round)
        socket.sendTextMessage(text);
    QTRY_COMPARE_WITH_TIMEOUT(spies.textMessageReceived.count(), 4, 20000);
    for (int round = 1; round < 4; ++round)
        QVERIFY(spies.textMessageReceived.at(round).at(0).toString() == text);
    qint64 written = 0;
    for (const QList<QVariant> &args : std::as_const(spies.bytesWritten))
        written += args.at(0).toLongLong();
    QVERIFY2(written < 3 * text.size() / 10, qPrintable(QString::number(written)));

    socket.sendBinaryMessage(QByteArray(100000, '\0'));
    QTRY_COMPARE(spies.binaryMessageReceived.count(), 1);
    QCOMPARE(spies.binaryMessageReceived.at(0).at(0).toByteArray(), QByteArray(100000, '\0'));
    socket.close();
    QTRY_COMPARE(spies.disconnected.count(), 1);
    QCOMPARE(spies.errorOccurred.count(), 0);
    QCOMPARE(int(socket.closeCode()), 1000);
}

void tst_RsWebSocket::inflatedSizeLimit()
{
    PythonServer python;
    QString why;
    if (!python.start(&why))
        QSKIP(qPrintable(why));
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.setCompressionEnabled(true);
    socket.setMaxAllowedIncomingMessageSize(1024 * 1024);
    socket.open(python.url());
    QTRY_COMPARE_WITH_TIMEOUT(spies.connected.count(), 1, 10000);
    QVERIFY(socket.isCompressionActive());
    // ~10 KB on the wire, 20 MB once inflated
    socket.sendTextMessage(QStringLiteral("__bomb__ 20000000"));
    QTRY_COMPARE_WITH_TIMEOUT(spies.disconnected.count(), 1, 10000);
    QCOMPARE(spies.textMessageReceived.count(), 0);
    QCOMPARE(socket.closeCode(), RsWebSocketProtocol::CloseCodeTooMuchData);
    QCOMPARE(spies.errorOccurred.count(), 1);
    QCOMPARE(spies.errorOccurred.at(0).at(0).value<QAbstractSocket::SocketError>(),
             QAbstractSocket::DatagramTooLargeError);
}
