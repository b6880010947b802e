// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// RsWebSocketConnection without payload copies: sendMessageShared() writes the caller's bytes
// from where they are (outgoingSlices() gives the chunks) and releases them exactly once; the
// wire bytes equal sendMessage()'s. externalInput()/commitExternal() read a large one-frame
// message into the caller's memory: masked input at every split, invalid UTF-8 failing with 1007
// at the first bad byte, limits (1009) before any payload, misuse refused.

#include "tst_rswebsocketconnection.h"

#include <QtTest/QTest>

#include <algorithm>
#include <cstring>

using namespace ConnectionTest;

namespace {

struct Releases
{
    int count = 0;
    static void release(void *context) { ++static_cast<Releases *>(context)->count; }
};

const std::uint8_t *bytes(const QByteArray &a)
{
    return reinterpret_cast<const std::uint8_t *>(a.constData());
}

QByteArray pattern(qsizetype size)
{
    QByteArray out(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        out[i] = char((i * 7 + i / 251) & 0xff);
    return out;
}

// Every byte waiting, through outgoingSlices() (several per call) and consumeOutgoing().
QByteArray writeAll(Connection &c)
{
    QByteArray out;
    while (c.outgoingSize() > 0) {
        Connection::OutgoingSlice slices[3];
        const std::size_t n = c.outgoingSlices(slices, 3);
        std::size_t written = 0;
        for (std::size_t i = 0; i < n; ++i) {
            out.append(reinterpret_cast<const char *>(slices[i].data), qsizetype(slices[i].size));
            written += slices[i].size;
        }
        if (n == 0)
            break;
        c.consumeOutgoing(written);
    }
    return out;
}

} // namespace

void tst_RsWebSocketConnection::sharedSend_data()
{
    QTest::addColumn<Role>("role");
    QTest::addColumn<qsizetype>("size");
    QTest::addColumn<std::size_t>("frameSize");
    QTest::newRow("server 64 KiB") << Role::Server << qsizetype(64 * 1024) << std::size_t(512 * 1024);
    QTest::newRow("server 100 KB in 16 KiB frames") << Role::Server << qsizetype(100000) << std::size_t(16384);
    QTest::newRow("server small (copied)") << Role::Server << qsizetype(100) << std::size_t(512 * 1024);
    QTest::newRow("client 64 KiB (masked copy)") << Role::Client << qsizetype(64 * 1024) << std::size_t(512 * 1024);
}

void tst_RsWebSocketConnection::sharedSend()
{
    QFETCH(Role, role);
    QFETCH(qsizetype, size);
    QFETCH(std::size_t, frameSize);
    RsWebSocketConnectionOptions options = clientOptions();
    options.outgoingFrameSize = frameSize;
    Connection shared(role, options);
    Connection copied(role, options);
    const QByteArray data = pattern(size);
    const QByteArray original = data;
    Releases releases;
    QVERIFY(shared.sendMessageShared(Connection::MessageType::Binary, bytes(data),
                                     std::size_t(size), &releases, &Releases::release));
    QVERIFY(shared.ping("p"));
    QVERIFY(copied.sendBinary(data.constData(), std::size_t(size)));
    QVERIFY(copied.ping("p"));
    QCOMPARE(shared.outgoingSize(), copied.outgoingSize());
    const bool inPlace = role == Role::Server && size >= 4096;
    Connection::OutgoingSlice slices[16];
    const std::size_t n = shared.outgoingSlices(slices, 16);
    if (inPlace) {
        QVERIFY(n >= 3); // header, payload (from `data` itself), ..., the Ping
        QCOMPARE(static_cast<const void *>(slices[1].data), static_cast<const void *>(data.constData()));
        QCOMPARE(releases.count, 0);
        QCOMPARE(shared.outgoingChunkSize(), slices[0].size);
    } else {
        QCOMPARE(n, std::size_t(1));
        QCOMPARE(releases.count, 1); // copied: released at once
    }
    std::size_t total = 0;
    for (std::size_t i = 0; i < n; ++i)
        total += slices[i].size;
    QCOMPARE(total, shared.outgoingSize());
    QCOMPARE(writeAll(shared), takeOut(copied));
    QCOMPARE(releases.count, 1);
    QCOMPARE(data, original); // never written to (clients mask a copy)
}

void tst_RsWebSocketConnection::sharedSendReleasedOnceEverywhere()
{
    const QByteArray data = pattern(20000);
    // Written out byte by byte: released with the last byte.
    {
        Connection c(Role::Server);
        Releases r;
        QVERIFY(c.sendMessageShared(Connection::MessageType::Binary, bytes(data), 20000, &r,
                                    &Releases::release));
        const std::size_t total = c.outgoingSize();
        for (std::size_t i = 0; i + 1 < total; ++i)
            c.consumeOutgoing(1);
        QCOMPARE(r.count, 0);
        c.consumeOutgoing(1);
        QCOMPARE(r.count, 1);
        c.consumeOutgoing(10);
        QCOMPARE(r.count, 1);
    }
    // takeOutgoing(), close, failure, destruction.
    {
        Releases taken, closed, dropped;
        {
            Connection c(Role::Server);
            QVERIFY(c.sendMessageShared(Connection::MessageType::Binary, bytes(data), 20000, &taken,
                                        &Releases::release));
            QCOMPARE(bytesOf(c.takeOutgoing()).size(), 4 + 20000);
            QCOMPARE(taken.count, 1);
            QVERIFY(c.sendMessageShared(Connection::MessageType::Text, bytes(data), 0, &closed,
                                        &Releases::release)); // empty: copied
            QCOMPARE(closed.count, 1);
            QVERIFY(c.sendMessageShared(Connection::MessageType::Binary, bytes(data), 20000, &dropped,
                                        &Releases::release));
            c.consumeOutgoing(2 + 2 + 100);
            QVERIFY(c.close(1000, "bye"));
            c.fail(1011, "gone");
            QCOMPARE(dropped.count, 0);
        }
        QCOMPARE(dropped.count, 1);
    }
    // Refused: text that is not UTF-8, a closed connection, no release function.
    {
        Connection c(Role::Server);
        QByteArray bad(10000, 'a');
        bad[5000] = char(0xff);
        Releases r;
        QVERIFY(!c.sendMessageShared(Connection::MessageType::Text, bytes(bad), 10000, &r,
                                     &Releases::release));
        QCOMPARE(r.count, 1);
        QVERIFY(!c.errorString().empty());
        QVERIFY(c.close());
        QVERIFY(!c.sendMessageShared(Connection::MessageType::Binary, bytes(data), 20000, &r,
                                     &Releases::release));
        QCOMPARE(r.count, 2);
        QCOMPARE(c.outgoingSize(), c.outgoingChunkSize()); // only the Close
        Connection d(Role::Server);
        QVERIFY(d.sendMessageShared(Connection::MessageType::Binary, bytes(data), 20000, nullptr, nullptr));
        QCOMPARE(bytesOf(d.takeOutgoing()).mid(4), data);
    }
}

namespace {

// Reads `wire` (one frame) into `c`: `split` bytes through receiveDataUntilEvent(), then into
// caller memory in pieces of `piece` bytes. Returns the message; *answers the commit results.
QByteArray readExternal(Connection &c, const QByteArray &wire, qsizetype split, qsizetype piece,
                        std::vector<Connection::ExternalResult> *answers)
{
    if (c.receiveDataUntilEvent(wire.constData(), std::size_t(split)) != std::size_t(split))
        return {};
    Connection::ExternalMessage message;
    if (!c.externalInput(message))
        return {};
    QByteArray out(qsizetype(message.size), Qt::Uninitialized);
    const auto have = qsizetype(message.received);
    const std::string_view prefix = c.externalPrefix();
    if (qsizetype(prefix.size()) != have)
        return {};
    std::memcpy(out.data(), prefix.data(), prefix.size());
    const qsizetype headerSize = split - have;
    qsizetype at = have;
    do {
        const qsizetype n = std::min(piece, out.size() - at);
        std::memcpy(out.data() + at, wire.constData() + headerSize + at, std::size_t(n));
        answers->push_back(c.commitExternal(reinterpret_cast<std::uint8_t *>(out.data() + at),
                                            std::size_t(n)));
        at += n;
    } while (at < out.size() && c.externalInput(message));
    return out;
}

} // namespace

void tst_RsWebSocketConnection::externalInput_data()
{
    QTest::addColumn<Role>("role");
    QTest::addColumn<bool>("text");
    QTest::addColumn<qsizetype>("piece");
    for (const Role role : {Role::Server, Role::Client}) {
        for (const qsizetype piece : {qsizetype(1), qsizetype(3), qsizetype(4096), qsizetype(1 << 20)}) {
            const QByteArray who = role == Role::Server ? "server (masked)" : "client";
            QTest::addRow("%s binary, pieces of %lld", who.constData(), qlonglong(piece))
                    << role << false << piece;
            QTest::addRow("%s text, pieces of %lld", who.constData(), qlonglong(piece))
                    << role << true << piece;
        }
    }
}

void tst_RsWebSocketConnection::externalInput()
{
    QFETCH(Role, role);
    QFETCH(bool, text);
    QFETCH(qsizetype, piece);
    const QByteArray payload = text ? QString(QStringLiteral("€ü")).repeated(4000).toUtf8() : pattern(20000);
    const std::optional<quint32> key = role == Role::Server ? std::optional<quint32>(Key) : std::nullopt;
    const QByteArray wire = frame(text ? 1 : 2, true, payload, key)
            + frame(1, true, "after", key);
    const qsizetype header = wire.size() - payload.size() - frame(1, true, "after", key).size();
    for (qsizetype split = header; split <= header + 9; ++split) {
        Connection c(role);
        std::vector<Connection::ExternalResult> answers;
        const QByteArray message = readExternal(c, wire, split, piece, &answers);
        QCOMPARE(message, payload);
        QCOMPARE(answers.back(), Connection::ExternalResult::Complete);
        QVERIFY(std::all_of(answers.begin(), answers.end() - 1, [](Connection::ExternalResult r) {
            return r == Connection::ExternalResult::Incomplete;
        }));
        QVERIFY(drain(c).empty()); // the message is the caller's
        Connection::ExternalMessage none;
        QVERIFY(!c.externalInput(none));
        // The next message arrives as usual.
        const qsizetype rest = header + payload.size();
        c.receiveData(wire.constData() + rest, std::size_t(wire.size() - rest));
        const auto events = drain(c);
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].data, std::string("after"));
    }
}

void tst_RsWebSocketConnection::externalInputInvalidUtf8()
{
    QByteArray text(20000, 'a');
    text[12345] = char(0xff);
    const QByteArray wire = frame(1, true, text, Key);
    for (const qsizetype piece : {qsizetype(1), qsizetype(7), qsizetype(5000)}) {
        Connection c(Role::Server);
        std::vector<Connection::ExternalResult> answers;
        readExternal(c, wire, 100, piece, &answers);
        const qsizetype have = 100 - (wire.size() - text.size());
        // The commit holding the bad byte is the last one.
        QCOMPARE(qsizetype(answers.size()), (12345 - have) / piece + 1);
        QCOMPARE(answers.back(), Connection::ExternalResult::Incomplete);
        const auto events = drain(c);
        QVERIFY(!events.empty());
        QCOMPARE(events[0].type, EventType::Error);
        QCOMPARE(events[0].closeCode, 1007);
        const auto frames = parseFrames(takeOut(c));
        QCOMPARE(frames.size(), std::size_t(1));
        QCOMPARE(frames[0].payload.left(2), closePayload(1007));
    }
}

void tst_RsWebSocketConnection::externalInputRefusesMisuse()
{
    Connection c(Role::Server);
    Connection::ExternalMessage message;
    QVERIFY(!c.externalInput(message));
    QVERIFY(c.externalPrefix().empty());
    std::uint8_t byte = 0;
    QCOMPARE(c.commitExternal(&byte, 1), Connection::ExternalResult::Refused);
    // Fragments and small frames are not offered.
    c.receiveData(view(frame(2, false, pattern(20000), Key).left(50)));
    QVERIFY(!c.externalInput(message));
    Connection small(Role::Server);
    small.receiveData(view(frame(2, true, pattern(8000), Key).left(50)));
    QVERIFY(!small.externalInput(message));
    // Limits fail on the header (1009), before any payload is offered.
    RsWebSocketConnectionOptions limited;
    limited.maxMessageSize = 10000;
    Connection l(Role::Server, limited);
    l.receiveData(view(frame(2, true, pattern(20000), Key).left(50)));
    QVERIFY(!l.externalInput(message));
    const auto events = drain(l);
    QVERIFY(!events.empty());
    QCOMPARE(events[0].closeCode, 1009);
    // More bytes than the message has left, or a null pointer: refused, nothing changes.
    Connection e(Role::Server);
    e.receiveData(view(frame(2, true, pattern(20000), Key).left(50)));
    QVERIFY(e.externalInput(message));
    QByteArray big(30000, 0);
    QCOMPARE(e.commitExternal(reinterpret_cast<std::uint8_t *>(big.data()), 30000),
             Connection::ExternalResult::Refused);
    QCOMPARE(e.commitExternal(nullptr, 5), Connection::ExternalResult::Refused);
    QCOMPARE(e.externalPrefix().size(), std::size_t(message.received));
}
