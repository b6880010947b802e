// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// RsWebSocket without payload copies: a server sends large messages as a reference to the
// application's QByteArray (written from there, released once written), and large one-frame
// messages are read straight into the QByteArray handed out. Pipelined echoes of large binary and
// text messages arrive byte-exact with the frame and message signals; bytesWritten() accounts for
// every byte; an application changing its array after sending does not change what goes out;
// abort() and deleteLater() with shared payloads still queued release them (no leak, no crash).

#include "tst_rswebsocket.h"

#include "socketspies.h"

#include <RsWebSockets/RsWebSocket>
#include <RsWebSockets/RsWebSocketServer>

#include <QtCore/QPointer>
#include <QtNetwork/QHostAddress>
#include <QtTest/QTest>

namespace {

// Bytes on the wire for one frame of `size` bytes (one frame per message below 512 KiB).
qint64 frameWireSize(qint64 size, bool masked)
{
    return size + (size < 126 ? 2 : size < 65536 ? 4 : 10) + (masked ? 4 : 0);
}

QByteArray numbered(qsizetype size, int n)
{
    QByteArray out(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        out[i] = char('a' + (i * 13 + n) % 26);
    return out;
}

// An RsWebSocketServer whose accepted socket echoes every message and counts bytesWritten().
struct ZeroCopyServer
{
    RsWebSocketServer server{QStringLiteral("zero copy"), RsWebSocketServer::NonSecureMode};
    QPointer<RsWebSocket> accepted;
    qint64 written = 0;
    bool echo = true;

    ~ZeroCopyServer() { delete accepted.data(); } // taken from the server: ours

    bool listen()
    {
        QObject::connect(&server, &RsWebSocketServer::newConnection, &server, [this] {
            RsWebSocket *socket = server.nextPendingConnection();
            accepted = socket;
            QObject::connect(socket, &RsWebSocket::textMessageReceived, socket, [this, socket](const QString &m) {
                if (echo)
                    socket->sendTextMessage(m);
            });
            QObject::connect(socket, &RsWebSocket::binaryMessageReceived, socket,
                             [this, socket](const QByteArray &m) {
                                 if (echo)
                                     socket->sendBinaryMessage(m);
                             });
            QObject::connect(socket, &RsWebSocket::bytesWritten, socket,
                             [this](qint64 bytes) { written += bytes; });
        });
        return server.listen(QHostAddress::LocalHost);
    }
};

} // namespace

void tst_RsWebSocket::zeroCopyEcho_data()
{
    QTest::addColumn<bool>("binary");
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("count");
    for (const int size : {16 * 1024 - 1, 16 * 1024, 64 * 1024, 300 * 1024}) {
        QTest::addRow("binary %d x 24", size) << true << size << 24;
        QTest::addRow("text %d x 24", size) << false << size << 24;
    }
}

void tst_RsWebSocket::zeroCopyEcho()
{
    QFETCH(bool, binary);
    QFETCH(int, size);
    QFETCH(int, count);
    ZeroCopyServer echo;
    QVERIFY(echo.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.open(echo.server.serverUrl());
    QTRY_COMPARE(spies.connected.count(), 1);
    QTRY_VERIFY(echo.accepted);
    QTRY_COMPARE(echo.accepted->bytesToWrite(), qint64(0));
    QTest::qWait(20);
    echo.written = 0;

    // Pipelined: every message goes out before the first echo comes back.
    QList<QByteArray> sent;
    for (int i = 0; i < count; ++i) {
        sent << numbered(size, i);
        if (binary)
            QCOMPARE(socket.sendBinaryMessage(sent.last()), qint64(size));
        else
            QCOMPARE(socket.sendTextMessage(QString::fromLatin1(sent.last())), qint64(size));
    }
    if (binary) {
        QTRY_COMPARE_WITH_TIMEOUT(spies.binaryMessageReceived.count(), count, 30000);
        QCOMPARE(spies.binaryFrameReceived.count(), count);
        for (int i = 0; i < count; ++i) {
            QVERIFY(spies.binaryMessageReceived.at(i).at(0).toByteArray() == sent.at(i));
            QVERIFY(spies.binaryFrameReceived.at(i).at(0).toByteArray() == sent.at(i));
            QCOMPARE(spies.binaryFrameReceived.at(i).at(1).toBool(), true);
        }
    } else {
        QTRY_COMPARE_WITH_TIMEOUT(spies.textMessageReceived.count(), count, 30000);
        QCOMPARE(spies.textFrameReceived.count(), count);
        for (int i = 0; i < count; ++i) {
            QVERIFY(spies.textMessageReceived.at(i).at(0).toString() == QString::fromLatin1(sent.at(i)));
            QVERIFY(spies.textFrameReceived.at(i).at(0).toString() == QString::fromLatin1(sent.at(i)));
        }
    }
    // The server wrote every echo exactly once, and nothing is left anywhere.
    QTRY_COMPARE(echo.written, count * frameWireSize(size, false));
    QCOMPARE(echo.accepted->bytesToWrite(), qint64(0));
    QCOMPARE(socket.bytesToWrite(), qint64(0));
    QCOMPARE(spies.errorOccurred.count(), 0);
    socket.close();
    QTRY_COMPARE(spies.disconnected.count(), 1);
    QCOMPARE(int(socket.closeCode()), 1000);
}

void tst_RsWebSocket::zeroCopySenderKeepsItsArray()
{
    // The engine holds a reference to the application's array: the application may change its
    // array right after sending (it detaches), and what was sent goes out unchanged.
    ZeroCopyServer peer;
    peer.echo = false;
    QVERIFY(peer.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.open(peer.server.serverUrl());
    QTRY_COMPARE(spies.connected.count(), 1);
    QTRY_VERIFY(peer.accepted);
    QByteArray message = numbered(200 * 1024, 1);
    const QByteArray original = message;
    for (int i = 0; i < 20; ++i) {
        QCOMPARE(peer.accepted->sendBinaryMessage(message), qint64(message.size()));
        message[0] = char('0' + i); // detaches from the bytes the engine holds
    }
    QTRY_COMPARE_WITH_TIMEOUT(spies.binaryMessageReceived.count(), 20, 30000);
    for (int i = 0; i < 20; ++i) {
        QByteArray expected = original;
        if (i > 0)
            expected[0] = char('0' + i - 1);
        QVERIFY(spies.binaryMessageReceived.at(i).at(0).toByteArray() == expected);
    }
}

void tst_RsWebSocket::zeroCopyAbortReleasesQueuedPayloads_data()
{
    QTest::addColumn<bool>("useDeleteLater");
    QTest::newRow("abort") << false;
    QTest::newRow("deleteLater") << true;
}

void tst_RsWebSocket::zeroCopyAbortReleasesQueuedPayloads()
{
    QFETCH(bool, useDeleteLater);
    ZeroCopyServer peer;
    peer.echo = false;
    QVERIFY(peer.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.open(peer.server.serverUrl());
    QTRY_COMPARE(spies.connected.count(), 1);
    QTRY_VERIFY(peer.accepted);
    QPointer<RsWebSocket> server = peer.accepted;

    // Far more than the kernel's buffers hold, sent without returning to the event loop: most
    // of it waits in the engine as references to `payload`.
    const QByteArray payload = numbered(1024 * 1024, 7);
    constexpr int Messages = 64;
    for (int i = 0; i < Messages; ++i)
        QCOMPARE(server->sendBinaryMessage(payload), qint64(payload.size()));
    QVERIFY(!payload.isDetached()); // still referenced by the queue
    const qint64 queued = server->bytesToWrite();
    QVERIFY(queued > 0);
    QVERIFY(queued <= Messages * frameWireSize(payload.size(), false));

    if (useDeleteLater) {
        server->deleteLater();
        QTRY_VERIFY(!server);
    } else {
        server->abort();
        QCOMPARE(server->state(), QAbstractSocket::UnconnectedState);
        QTest::qWait(20);
        delete server.data(); // the queue goes with the connection
    }
    QVERIFY(payload.isDetached()); // every reference was released
    QTRY_COMPARE_WITH_TIMEOUT(spies.disconnected.count(), 1, 10000);
    QVERIFY(spies.binaryMessageReceived.count() < Messages);
    for (const QList<QVariant> &args : std::as_const(spies.binaryMessageReceived))
        QVERIFY(args.at(0).toByteArray() == payload);
}
