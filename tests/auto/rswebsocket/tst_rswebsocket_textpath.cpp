// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// The message path's shortcuts keep Qt's meaning: short ASCII text is converted without Qt's
// general codecs (both ways), and the per-frame signals are only emitted when something is
// connected to them, which RsWebSocket tracks through connectNotify()/disconnectNotify(). Both
// are checked here against QtWebSockets' own echo server.

#include "tst_rswebsocket.h"

#include "socketspies.h"
#include "testpeers.h"

#include <RsWebSockets/RsWebSocket>

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

void tst_RsWebSocket::textAsciiAndBeyond_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("one ascii") << QStringLiteral("a");
    QTest::newRow("ascii 255") << QString(255, QLatin1Char('x'));
    QTest::newRow("ascii 256") << QString(256, QLatin1Char('y'));
    QTest::newRow("ascii 257") << QString(257, QLatin1Char('z'));
    QTest::newRow("control and DEL") << QStringLiteral("\t\r\n\u0001\u007f end");
    QTest::newRow("U+0080") << QStringLiteral("just past ascii: \u0080");
    QTest::newRow("latin-1") << QStringLiteral("h\u00e9llo w\u00f6rld \u00ff");
    QTest::newRow("bmp and astral") << QStringLiteral("\u20ac \u2713 \U0001F389");
    QString lastNonAscii(256, QLatin1Char('q'));
    lastNonAscii[255] = QChar(0x00e9);
    QTest::newRow("non-ascii at 255") << lastNonAscii;
    QString firstNonAscii(200, QLatin1Char('r'));
    firstNonAscii[0] = QChar(0x4e2d);
    QTest::newRow("non-ascii at 0") << firstNonAscii;
    // A lone surrogate becomes U+FFFD on the wire (QString::toUtf8()); the echo carries that.
    QTest::newRow("lone surrogate") << QString(QChar(0xd800)) + QStringLiteral("tail");
}

void tst_RsWebSocket::textAsciiAndBeyond()
{
    QFETCH(QString, text);
    EchoServer server;
    QVERIFY(server.listen());
    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.open(server.url());
    QTRY_COMPARE(spies.connected.count(), 1);

    const QByteArray utf8 = text.toUtf8();
    QCOMPARE(socket.sendTextMessage(text), qint64(utf8.size()));
    QTRY_COMPARE(spies.textMessageReceived.count(), 1);
    QCOMPARE(spies.textMessageReceived.at(0).at(0).toString(), QString::fromUtf8(utf8));
    // A second message of another length through the buffer kept from the first.
    const QString shorter = text.left(text.size() / 2);
    socket.sendTextMessage(shorter);
    QTRY_COMPARE(spies.textMessageReceived.count(), 2);
    QCOMPARE(spies.textMessageReceived.at(1).at(0).toString(),
             QString::fromUtf8(shorter.toUtf8()));
    QCOMPARE(spies.errorOccurred.count(), 0);
}

void tst_RsWebSocket::frameSignalsFollowConnections()
{
    EchoServer server;
    QVERIFY(server.listen());
    RsWebSocket socket;
    int messages = 0;
    connect(&socket, &RsWebSocket::textMessageReceived, this, [&] { ++messages; });
    connect(&socket, &RsWebSocket::binaryMessageReceived, this, [&] { ++messages; });
    QSignalSpy connected(&socket, &RsWebSocket::connected);
    socket.open(server.url());
    QTRY_COMPARE(connected.count(), 1);

    // Nothing connected to the frame signals: messages only.
    socket.sendTextMessage(QStringLiteral("one"));
    QTRY_COMPARE(messages, 1);

    // Connected after the connection opened (a lambda): the next message's frame arrives.
    QStringList frames;
    const QMetaObject::Connection lambda = connect(
            &socket, &RsWebSocket::textFrameReceived, this,
            [&](const QString &frame, bool isLast) {
                frames << frame;
                QVERIFY(isLast);
            });
    socket.sendTextMessage(QStringLiteral("two"));
    QTRY_COMPARE(messages, 2);
    QCOMPARE(frames, QStringList{QStringLiteral("two")});

    // QSignalSpy (QMetaObject::connect) on the binary frame signal.
    QSignalSpy binaryFrames(&socket, &RsWebSocket::binaryFrameReceived);
    socket.sendBinaryMessage(QByteArray("\x01\x02\x03", 3));
    QTRY_COMPARE(messages, 3);
    QCOMPARE(binaryFrames.count(), 1);
    QCOMPARE(binaryFrames.at(0).at(0).toByteArray(), QByteArray("\x01\x02\x03", 3));

    // Disconnected: no more frames for that receiver; the spy still gets its own.
    QVERIFY(disconnect(lambda));
    socket.sendTextMessage(QStringLiteral("three"));
    socket.sendBinaryMessage(QByteArray("\x04", 1));
    QTRY_COMPARE(messages, 5);
    QCOMPARE(frames.size(), 1);
    QCOMPARE(binaryFrames.count(), 2);

    // A wildcard disconnect of this receiver leaves other receivers connected and delivered.
    QStringList late;
    connect(&socket, &RsWebSocket::textFrameReceived, &socket,
            [&](const QString &frame) { late << frame; });
    connect(&socket, &RsWebSocket::textFrameReceived, this, [&](const QString &frame) {
        frames << frame;
    });
    QVERIFY(disconnect(&socket, nullptr, this, nullptr));
    socket.sendTextMessage(QStringLiteral("four"));
    socket.sendBinaryMessage(QByteArray("\x05", 1));
    QTRY_COMPARE(late.size(), 1);
    QTRY_COMPARE(binaryFrames.count(), 3);
    QCOMPARE(late.at(0), QStringLiteral("four"));
    QCOMPARE(frames.size(), 1); // this receiver was disconnected
}
