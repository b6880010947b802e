// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// RsWebSocket on plain TCP moves large payloads around QTcpSocket's buffers (reads into the
// engine's message buffer, sends straight to the kernel): an RsWebSocketServer and an RsWebSocket
// in this process echo large messages both ways and account for every byte in bytesWritten(),
// and a peer that vanishes in the middle of a large message is still seen.

#include "tst_rswebsocket.h"

#include "socketspies.h"
#include "testpeers.h"

#include <RsWebSockets/RsWebSocket>
#include <RsWebSockets/RsWebSocketServer>

#include <QtCore/QPointer>
#include <QtNetwork/QHostAddress>
#include <QtTest/QTest>

#include <memory>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace {

constexpr qint64 FrameSize = 512 * 1024; // the default outgoing frame size

// Bytes on the wire for a message of `size` bytes cut into frames of FrameSize.
qint64 wireSize(qint64 size, bool masked)
{
    qint64 total = 0;
    do {
        const qint64 payload = qMin(size, FrameSize);
        total += payload + (payload < 126 ? 2 : payload < 65536 ? 4 : 10) + (masked ? 4 : 0);
        size -= payload;
    } while (size > 0);
    return total;
}

QByteArray pattern(qsizetype size)
{
    QByteArray out(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        out[i] = char('A' + (i * 7) % 26);
    return out;
}

// An RsWebSocketServer whose accepted sockets echo every message and count their bytesWritten().
struct EchoingServer
{
    RsWebSocketServer server{QStringLiteral("direct io"), RsWebSocketServer::NonSecureMode};
    QPointer<RsWebSocket> accepted;
    qint64 written = 0;
    int disconnected = 0;

    // The socket taken from the server is ours; its slots use this object, so it goes first.
    ~EchoingServer() { delete accepted.data(); }

    bool listen()
    {
        QObject::connect(&server, &RsWebSocketServer::newConnection, &server, [this] {
            RsWebSocket *socket = server.nextPendingConnection();
            accepted = socket;
            QObject::connect(socket, &RsWebSocket::textMessageReceived, socket,
                             [socket](const QString &message) { socket->sendTextMessage(message); });
            QObject::connect(socket, &RsWebSocket::binaryMessageReceived, socket,
                             [socket](const QByteArray &message) { socket->sendBinaryMessage(message); });
            QObject::connect(socket, &RsWebSocket::bytesWritten, socket,
                             [this](qint64 bytes) { written += bytes; });
            QObject::connect(socket, &RsWebSocket::disconnected, socket, [this] { ++disconnected; });
        });
        return server.listen(QHostAddress::LocalHost);
    }
};

} // namespace

void tst_RsWebSocket::directIoLargeEcho_data()
{
    QTest::addColumn<bool>("binary");
    QTest::addColumn<int>("size");
    for (const int size : {20 * 1024, 300 * 1024, 5 * 1024 * 1024 + 3}) {
        QTest::addRow("binary %d", size) << true << size;
        QTest::addRow("text %d", size) << false << size;
    }
}

void tst_RsWebSocket::directIoLargeEcho()
{
    QFETCH(bool, binary);
    QFETCH(int, size);
    EchoingServer echo;
    QVERIFY(echo.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    qint64 written = 0;
    connect(&socket, &RsWebSocket::bytesWritten, this, [&written](qint64 bytes) { written += bytes; });
    socket.open(echo.server.serverUrl());
    QTRY_COMPARE(spies.connected.count(), 1);
    QTRY_VERIFY(echo.accepted);
    // The server's 101 response is reported by the accepted socket too: count from here.
    QTRY_COMPARE(echo.accepted->bytesToWrite(), qint64(0));
    QTest::qWait(50);
    written = 0;
    echo.written = 0;

    const QByteArray payload = pattern(size);
    constexpr int Rounds = 3;
    for (int round = 0; round < Rounds; ++round) {
        if (binary)
            QCOMPARE(socket.sendBinaryMessage(payload), qint64(size));
        else
            QCOMPARE(socket.sendTextMessage(QString::fromLatin1(payload)), qint64(size));
    }
    if (binary) {
        QTRY_COMPARE_WITH_TIMEOUT(spies.binaryMessageReceived.count(), Rounds, 60000);
        for (int round = 0; round < Rounds; ++round)
            QVERIFY(spies.binaryMessageReceived.at(round).at(0).toByteArray() == payload);
    } else {
        QTRY_COMPARE_WITH_TIMEOUT(spies.textMessageReceived.count(), Rounds, 60000);
        for (int round = 0; round < Rounds; ++round)
            QVERIFY(spies.textMessageReceived.at(round).at(0).toString() == QString::fromLatin1(payload));
    }
    // Every byte on the wire is reported once by bytesWritten(), on both sides, also the ones
    // sent around QTcpSocket's buffer.
    QTRY_COMPARE(written, Rounds * wireSize(size, true));
    QTRY_COMPARE(echo.written, Rounds * wireSize(size, false));
    QCOMPARE(socket.bytesToWrite(), qint64(0));
    QCOMPARE(echo.accepted->bytesToWrite(), qint64(0));
    QCOMPARE(spies.errorOccurred.count(), 0);

    socket.close();
    QTRY_COMPARE(spies.disconnected.count(), 1);
    QTRY_COMPARE(echo.disconnected, 1);
    QCOMPARE(int(socket.closeCode()), 1000);
}

void tst_RsWebSocket::directIoPeerVanishesMidMessage()
{
    EchoingServer echo;
    QVERIFY(echo.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.open(echo.server.serverUrl());
    QTRY_COMPARE(spies.connected.count(), 1);
    QTRY_VERIFY(echo.accepted);

    // The server sends a message far larger than what the kernel buffers can hold, and its
    // TCP connection goes away (no Close frame) as soon as the client has the first frame: the
    // client is reading around QTcpSocket's buffer by then, and still sees the end.
    bool aborted = false;
    connect(&socket, &RsWebSocket::binaryFrameReceived, this, [&] {
        if (!aborted && echo.accepted) {
            aborted = true;
            echo.accepted->abort();
        }
    });
    echo.accepted->sendBinaryMessage(pattern(32 * 1024 * 1024));
    QTRY_VERIFY_WITH_TIMEOUT(aborted, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(spies.disconnected.count(), 1, 10000);
    QCOMPARE(spies.binaryMessageReceived.count(), 0);
    QVERIFY(spies.binaryFrameReceived.count() < 64); // 512 KiB frames: the message was cut
    QCOMPARE(int(socket.closeCode()), int(RsWebSocketProtocol::CloseCodeAbnormalDisconnection));
    QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
}

void tst_RsWebSocket::deliveredMessagesStayIntact()
{
    // The connection hands messages out in a buffer it reuses while no slot kept the last one;
    // messages a slot kept, and those it only looked at, are each what was sent.
    EchoingServer echo;
    QVERIFY(echo.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    QList<QByteArray> kept;
    QList<QString> keptText;
    QList<QByteArray> seenPrefixes;
    int looked = 0;
    connect(&socket, &RsWebSocket::binaryMessageReceived, this, [&](const QByteArray &message) {
        if (message.size() % 2 == 0)
            kept << message; // shared: the next message needs a buffer of its own
        else
            seenPrefixes << message.left(16); // a deep copy; the buffer may be reused
        ++looked;
    });
    connect(&socket, &RsWebSocket::textMessageReceived, this,
            [&](const QString &message) { keptText << message; });
    socket.open(echo.server.serverUrl());
    QTRY_COMPARE(spies.connected.count(), 1);

    const QList<int> sizes = {10, 300001, 5, 70000, 300000, 1, 0, 2 * 1024 * 1024 + 1, 64};
    QList<QByteArray> sent;
    for (int i = 0; i < sizes.size(); ++i) {
        QByteArray payload = pattern(sizes.at(i));
        if (!payload.isEmpty())
            payload[0] = char('0' + i); // every message differs
        sent << payload;
        socket.sendBinaryMessage(payload);
        socket.sendTextMessage(QString::fromUtf8(payload) + QStringLiteral("\u00e9\u20ac\U0001F600"));
    }
    QTRY_COMPARE_WITH_TIMEOUT(looked, int(sizes.size()), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(keptText.size(), sizes.size(), 30000);
    int even = 0;
    int odd = 0;
    for (int i = 0; i < sizes.size(); ++i) {
        if (sizes.at(i) % 2 == 0)
            QVERIFY(kept.at(even++) == sent.at(i));
        else
            QCOMPARE(seenPrefixes.at(odd++), sent.at(i).left(16));
        QCOMPARE(keptText.at(i),
                 QString::fromUtf8(sent.at(i)) + QStringLiteral("\u00e9\u20ac\U0001F600"));
    }
    // A BOM at the start of a text message is kept, as QString::fromUtf8() keeps it.
    keptText.clear();
    socket.sendTextMessage(QStringLiteral("\uFEFFbom"));
    QTRY_COMPARE(keptText.size(), 1);
    QCOMPARE(keptText.at(0), QStringLiteral("\uFEFFbom"));
}

void tst_RsWebSocket::smallBurstWaitsForTheNextTurn()
{
    // Small messages sent from the application's own code (not from a slot on our signals) wait
    // for the next event-loop turn, as they would in QTcpSocket's buffer with QWebSocket: a burst
    // (up to 16 KiB of it) is counted by bytesToWrite() right after, then goes out together, in
    // order, and bytesWritten() accounts for every byte.
    EchoingServer echo;
    QVERIFY(echo.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.open(echo.server.serverUrl());
    QTRY_COMPARE(spies.connected.count(), 1);
    QTRY_COMPARE(socket.bytesToWrite(), qint64(0));
    qint64 written = 0;
    connect(&socket, &RsWebSocket::bytesWritten, this, [&written](qint64 bytes) { written += bytes; });
    QStringList received;
    connect(&socket, &RsWebSocket::textMessageReceived, this,
            [&received](const QString &message) { received << message; });

    QStringList sent;
    qint64 wire = 0;
    for (int i = 0; i < 2000; ++i) {
        sent << QStringLiteral("burst message %1").arg(i);
        QCOMPARE(socket.sendTextMessage(sent.last()), qint64(sent.last().size()));
        wire += 2 + 4 + sent.last().size(); // short masked client frames
    }
    // Written in pieces of 16 KiB or more as the burst grows; the tail waits for the next turn.
    QVERIFY(socket.bytesToWrite() > 0);
    QVERIFY(socket.bytesToWrite() < 16 * 1024);
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), sent.size(), 20000);
    QCOMPARE(received, sent);
    QTRY_COMPARE(written, wire);
    QCOMPARE(socket.bytesToWrite(), qint64(0));

    // One message: out on the next turn, without any call to flush().
    socket.sendTextMessage(QStringLiteral("single"));
    QCOMPARE(socket.bytesToWrite(), qint64(2 + 4 + 6));
    QTRY_COMPARE(received.size(), sent.size() + 1);
    QCOMPARE(received.last(), QStringLiteral("single"));
    // flush() writes at once.
    socket.sendTextMessage(QStringLiteral("flushed"));
    QVERIFY(socket.flush()); // as QAbstractSocket::flush(): true, something was written
    QVERIFY(!socket.flush()); // nothing left
    QCOMPARE(socket.bytesToWrite(), qint64(0));
    QTRY_COMPARE(received.last(), QStringLiteral("flushed"));
}

void tst_RsWebSocket::automaticAnswersPrecedeTheSlots_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("expectedCode");
    QTest::addColumn<bool>("viaError");
    // Two messages and the peer's Close in one read: both messages are handed out, and the
    // Close echo is already with the kernel when aboutToClose() runs.
    QTest::newRow("peer close") << QByteArray(RawServer::frame(0x1, "a") + RawServer::frame(0x1, "b")
                                              + RawServer::frame(0x8, QByteArray("\x03\xe8" "bye", 5)))
                                << 1000 << false;
    // A message and a frame with a reserved opcode: the Close with 1002 is out before
    // errorOccurred() runs.
    QTest::newRow("protocol error")
            << QByteArray(RawServer::frame(0x1, "a") + RawServer::frame(0x3, "x")) << 1002 << true;
}

void tst_RsWebSocket::automaticAnswersPrecedeTheSlots()
{
#ifndef Q_OS_UNIX
    QSKIP("peeks at the peer's kernel buffer with recv(MSG_PEEK)");
#else
    // The answers the engine gives on its own (a Close echo, a failure's Close) reach the socket
    // before the application's slots hear of their cause, while the echoes of a read's messages
    // go out together once the read is handed out.
    QFETCH(QByteArray, input);
    QFETCH(int, expectedCode);
    QFETCH(bool, viaError);
    RawServer server;
    QVERIFY(server.listen());
    server.afterHandshake = [&input](QTcpSocket *peer) { peer->write(input); };
    RsWebSocket socket;
    QStringList received;
    connect(&socket, &RsWebSocket::textMessageReceived, this,
            [&received](const QString &message) { received << message; });
    int codeSeen = -1;
    const auto peekAtPeer = [&server, &codeSeen] {
        // What the kernel holds for the peer, unread: the client's masked Close frame.
        QVERIFY(!server.sockets.isEmpty() && server.sockets.first());
        unsigned char bytes[64];
        const auto n = ::recv(int(server.sockets.first()->socketDescriptor()), bytes, sizeof bytes,
                              MSG_PEEK | MSG_DONTWAIT);
        QVERIFY2(n >= 8, "the Close is not with the kernel yet");
        QCOMPARE(int(bytes[0]), 0x88);
        QVERIFY((bytes[1] & 0x80) && (bytes[1] & 0x7f) >= 2);
        codeSeen = ((bytes[6] ^ bytes[2]) << 8) | (bytes[7] ^ bytes[3]);
    };
    if (viaError)
        connect(&socket, &RsWebSocket::errorOccurred, this, peekAtPeer);
    else
        connect(&socket, &RsWebSocket::aboutToClose, this, peekAtPeer);
    socket.open(server.url());
    QTRY_COMPARE(codeSeen, expectedCode);
    QCOMPARE(received, viaError ? QStringList{QStringLiteral("a")}
                                : (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
#endif
}
