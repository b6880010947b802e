// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// RsWebSocket and RsMaskGenerator: the default CSPRNG generator, and an application generator
// whose keys mask every frame the client sends (checked on the wire).

#include "tst_rswebsocket.h"

#include "testpeers.h"

#include <RsWebSockets/RsMaskGenerator>
#include <RsWebSockets/RsWebSocket>

#include <QtCore/QSet>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

namespace {

class CountingMaskGenerator : public RsMaskGenerator
{
public:
    bool seed() override { return true; }
    quint32 nextMask() override { return ++calls; }
    quint32 calls = 0;
};

// The masking key of each client frame in `bytes` (masked frames, payload length < 126).
QList<quint32> maskingKeys(const QByteArray &bytes)
{
    QList<quint32> keys;
    qsizetype at = 0;
    while (at + 6 <= bytes.size()) {
        const auto length = qsizetype(quint8(bytes.at(at + 1)) & 0x7F);
        if (!(quint8(bytes.at(at + 1)) & 0x80) || length >= 126)
            break;
        const auto *key = reinterpret_cast<const uchar *>(bytes.constData() + at + 2);
        keys << (quint32(key[0]) << 24 | quint32(key[1]) << 16 | quint32(key[2]) << 8 | key[3]);
        at += 6 + length;
    }
    return keys;
}

} // namespace

void tst_RsWebSocket::maskGeneratorOnTheWire()
{
    // An application generator supplies the key of every frame the client sends.
    RawServer server;
    QVERIFY(server.listen());
    CountingMaskGenerator generator;
    RsWebSocket socket;
    socket.setMaskGenerator(&generator);
    QSignalSpy connected(&socket, &RsWebSocket::connected);
    socket.open(server.url());
    QTRY_COMPARE(connected.size(), 1);
    socket.sendTextMessage(QStringLiteral("one"));
    socket.sendBinaryMessage(QByteArrayLiteral("two"));
    socket.ping(QByteArrayLiteral("three"));
    QTRY_COMPARE(maskingKeys(server.received).size(), 3);
    QCOMPARE(maskingKeys(server.received), (QList<quint32>{1, 2, 3}));
    QCOMPARE(generator.calls, 3u);
}

void tst_RsWebSocket::maskGenerator()
{
    RsWebSocket socket;
    const RsMaskGenerator *defaultGenerator = socket.maskGenerator();
    QVERIFY(defaultGenerator);
    CountingMaskGenerator custom;
    socket.setMaskGenerator(&custom);
    QCOMPARE(socket.maskGenerator(), &custom);
    socket.setMaskGenerator(nullptr);
    QCOMPARE(socket.maskGenerator(), defaultGenerator);
    // the default generator is a CSPRNG that never yields 0
    auto *generator = const_cast<RsMaskGenerator *>(defaultGenerator);
    QVERIFY(generator->seed());
    QSet<quint32> seen;
    for (int i = 0; i < 1000; ++i) {
        const quint32 mask = generator->nextMask();
        QVERIFY(mask != 0);
        seen.insert(mask);
    }
    QVERIFY(seen.size() > 990);
}
