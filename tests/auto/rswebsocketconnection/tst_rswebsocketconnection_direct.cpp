// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// RsWebSocketConnection's direct input (inputBuffer() / commitInput()): a driver reading large
// payloads straight into the engine gets the same events as one feeding receiveDataUntilEvent(),
// with every read size, masked and unmasked, and the same failures; misuse is refused.

#include "tst_rswebsocketconnection.h"

#include <QtTest/QTest>

#include <algorithm>
#include <cstring>

using namespace ConnectionTest;

namespace {

struct DirectRun
{
    std::vector<Connection::Event> events;
    std::size_t directBytes = 0; // bytes that went through inputBuffer()/commitInput()
};

// Feeds `wire` to `c` in reads of at most `readSize` bytes, into inputBuffer() whenever it
// offers space, else through receiveDataUntilEvent(); events are pulled after every read.
DirectRun feedDirect(Connection &c, const QByteArray &wire, std::size_t readSize)
{
    DirectRun run;
    std::size_t at = 0;
    const auto total = std::size_t(wire.size());
    while (at < total) {
        std::uint8_t *space = nullptr;
        const std::size_t room = c.inputBuffer(&space);
        if (room > 0) {
            const std::size_t n = std::min({room, readSize, total - at});
            std::memcpy(space, wire.constData() + at, n);
            if (!c.commitInput(n))
                break;
            run.directBytes += n;
            at += n;
        } else {
            const std::size_t n = std::min(readSize, total - at);
            std::size_t used = 0;
            while (used < n) {
                const std::size_t step = c.receiveDataUntilEvent(wire.constData() + at + used, n - used);
                used += step;
                for (Connection::Event &e : drain(c))
                    run.events.push_back(std::move(e));
                if (step == 0 && c.state() == State::Closed)
                    break;
            }
            at += n;
        }
        for (Connection::Event &e : drain(c))
            run.events.push_back(std::move(e));
    }
    return run;
}

QByteArray pattern(qsizetype size)
{
    QByteArray out(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        out[i] = char('a' + i % 26);
    return out;
}

} // namespace

void tst_RsWebSocketConnection::directInput_data()
{
    QTest::addColumn<Role>("role");
    QTest::addColumn<int>("readSize");
    for (const int size : {1, 7, 4096, 8192, 65536, 1 << 20}) {
        QTest::addRow("server, masked, reads of %d", size) << Role::Server << size;
        QTest::addRow("client, unmasked, reads of %d", size) << Role::Client << size;
    }
}

void tst_RsWebSocketConnection::directInput()
{
    QFETCH(Role, role);
    QFETCH(int, readSize);
    const std::optional<quint32> key = role == Role::Server ? std::optional<quint32>(Key) : std::nullopt;
    const QByteArray big = pattern(300 * 1000);
    const QByteArray text = pattern(70 * 1000);
    const QByteArray wire = frame(0x2, true, big, key) + frame(0x1, true, "small", key)
            + frame(0x1, false, text.left(20000), key) + frame(0x9, true, "ping", key)
            + frame(0x0, true, text.mid(20000), key);

    Connection direct(role);
    const DirectRun run = feedDirect(direct, wire, std::size_t(readSize));
    Connection copied(role);
    copied.receiveData(view(wire));
    const std::vector<Connection::Event> expected = drain(copied);

    QCOMPARE(run.events.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        QCOMPARE(run.events[i].type, expected[i].type);
        QVERIFY(run.events[i].data == expected[i].data);
    }
    QCOMPARE(run.events.size(), std::size_t(4)); // binary, small text, ping, long text
    QCOMPARE(run.events[0].type, EventType::Binary);
    QVERIFY(run.events[0].data == big.toStdString());
    QVERIFY(run.events[3].data == text.toStdString());
    // Space is offered once the frame is under way with at least 8 KiB of it to come: reads
    // smaller than the frame go mostly direct (a read as large as everything takes it at once).
    if (readSize < big.size())
        QVERIFY2(run.directBytes > std::size_t(big.size()) / 2, qPrintable(QString::number(run.directBytes)));
    else
        QCOMPARE(run.directBytes, std::size_t(0));
    // The Pong (masked with a random key by the client)
    const std::vector<WireFrame> pongs = parseFrames(takeOut(direct));
    QCOMPARE(pongs.size(), std::size_t(1));
    QCOMPARE(pongs[0].opcode, 0xA);
    QCOMPARE(pongs[0].payload, QByteArray("ping"));
}

void tst_RsWebSocketConnection::directInputInvalidUtf8()
{
    // A bad byte in the part read directly fails the connection there, with 1007.
    QByteArray text = pattern(100 * 1000);
    text[60000] = char(0xff);
    Connection server(Role::Server);
    const DirectRun run = feedDirect(server, frame(0x1, true, text, Key), 16 * 1024);
    QVERIFY(run.directBytes > 0);
    QVERIFY(!run.events.empty());
    QCOMPARE(run.events.front().type, EventType::Error);
    QCOMPARE(run.events.front().closeCode, int(RsWebSocketProtocol::CloseCodeWrongDatatype));
    const std::vector<WireFrame> out = parseFrames(takeOut(server));
    QVERIFY(!out.empty());
    QCOMPARE(out.back().opcode, 0x8);
    QCOMPARE(out.back().payload.left(2), closePayload(1007));
}

void tst_RsWebSocketConnection::directInputRefusesMisuse()
{
    Connection server(Role::Server);
    std::uint8_t *space = reinterpret_cast<std::uint8_t *>(&server); // must be overwritten
    QCOMPARE(server.inputBuffer(&space), std::size_t(0)); // no frame yet
    QCOMPARE(space, nullptr);
    QVERIFY(!server.commitInput(1)); // nothing lent

    const QByteArray wire = frame(0x2, true, pattern(50 * 1000), Key);
    server.receiveDataUntilEvent(wire.constData(), 1000);
    const std::size_t room = server.inputBuffer(&space);
    QVERIFY(room > 0);
    QVERIFY(room <= std::size_t(wire.size()) - 1000); // never past the frame's end
    QVERIFY(!server.commitInput(room + 1));           // longer than lent: refused
    QVERIFY(!server.commitInput(1));                  // the refusal used the space up

    QVERIFY(server.inputBuffer(&space) == room);
    server.receiveDataUntilEvent(wire.constData() + 1000, 10); // another call in between
    QVERIFY(!server.commitInput(1));
    QCOMPARE(server.state(), State::Open);

    // The rest, the usual way, still makes the message.
    server.receiveData(wire.constData() + 1010, std::size_t(wire.size()) - 1010);
    const std::vector<Connection::Event> events = drain(server);
    QCOMPARE(events.size(), std::size_t(1));
    QCOMPARE(events[0].data.size(), std::size_t(50 * 1000));

    Connection none(Role::Client, {}); // a moved-from connection answers 0 / false
    Connection moved(std::move(none));
    QCOMPARE(none.inputBuffer(&space), std::size_t(0));
    QVERIFY(!none.commitInput(0));
}
