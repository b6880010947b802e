// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// RsWebSocketConnection (the sans-I/O C++ face) fed by hand: the RFC 6455 §5.7 vectors, the
// failures with their close codes, the close handshake, timers, and two connections talking
// through memory (with permessage-deflate negotiated by RsWebSocketHandshake).

#include <RsWebSockets/RsWebSocketConnection>
#include <RsWebSockets/RsWebSocketHandshake>
#include <RsWebSockets/RsWebSocketProtocol>

#include <QtCore/QByteArray>
#include <QtTest/QTest>

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <vector>

using Connection = RsWebSocketConnection;
using Role = RsWebSocketConnection::Role;
using State = RsWebSocketConnection::State;
using EventType = RsWebSocketConnection::EventType;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(RsWebSocketConnection::Role)
Q_DECLARE_METATYPE(RsWebSocketConnection::EventType)

namespace {

std::string_view view(const QByteArray &bytes)
{
    return std::string_view(bytes.constData(), std::size_t(bytes.size()));
}

QByteArray bytesOf(const std::string &s)
{
    return QByteArray(s.data(), qsizetype(s.size()));
}

// A frame as a peer would send it (masked when maskingKey is given).
QByteArray frame(int opcode, bool fin, const QByteArray &payload,
                 std::optional<quint32> maskingKey = std::nullopt, int rsv = 0)
{
    QByteArray out;
    out.append(char((fin ? 0x80 : 0) | rsv | opcode));
    const char maskBit = maskingKey ? char(0x80) : char(0);
    const quint64 size = quint64(payload.size());
    if (size < 126) {
        out.append(char(maskBit | char(size)));
    } else if (size < 65536) {
        out.append(char(maskBit | 126));
        out.append(char(size >> 8));
        out.append(char(size));
    } else {
        out.append(char(maskBit | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            out.append(char(size >> shift));
    }
    QByteArray body = payload;
    if (maskingKey) {
        for (int shift = 24; shift >= 0; shift -= 8)
            out.append(char(*maskingKey >> shift));
        RsWebSocketProtocol::mask(body.data(), std::uint64_t(body.size()), *maskingKey);
    }
    return out + body;
}

QByteArray closePayload(int code, const QByteArray &reason = {})
{
    QByteArray out;
    out.append(char(code >> 8));
    out.append(char(code & 0xff));
    return out + reason;
}

struct WireFrame
{
    int opcode = 0;
    bool fin = false;
    int rsv = 0;
    bool masked = false;
    quint32 key = 0;
    QByteArray payload; // unmasked
};

// Decodes every complete frame in bytes (what a connection wrote).
std::vector<WireFrame> parseFrames(const QByteArray &bytes)
{
    std::vector<WireFrame> frames;
    qsizetype pos = 0;
    const auto byte = [&](qsizetype i) { return quint8(bytes.at(i)); };
    while (bytes.size() - pos >= 2) {
        WireFrame f;
        f.fin = byte(pos) & 0x80;
        f.rsv = byte(pos) & 0x70;
        f.opcode = byte(pos) & 0x0f;
        f.masked = byte(pos + 1) & 0x80;
        quint64 size = byte(pos + 1) & 0x7f;
        qsizetype at = pos + 2;
        const int extra = size == 126 ? 2 : size == 127 ? 8 : 0;
        if (extra) {
            if (bytes.size() - at < extra)
                break;
            size = 0;
            for (int i = 0; i < extra; ++i)
                size = (size << 8) | byte(at + i);
            at += extra;
        }
        quint32 &key = f.key;
        if (f.masked) {
            if (bytes.size() - at < 4)
                break;
            key = quint32(byte(at)) << 24 | quint32(byte(at + 1)) << 16 | quint32(byte(at + 2)) << 8
                | byte(at + 3);
            at += 4;
        }
        if (quint64(bytes.size() - at) < size)
            break;
        f.payload = bytes.mid(at, qsizetype(size));
        if (f.masked)
            RsWebSocketProtocol::mask(f.payload.data(), size, key);
        frames.push_back(f);
        pos = at + qsizetype(size);
    }
    return frames;
}

std::vector<Connection::Event> drain(Connection &c)
{
    std::vector<Connection::Event> events;
    Connection::Event e;
    while (c.nextEvent(e))
        events.push_back(e);
    return events;
}

QByteArray takeOut(Connection &c)
{
    return bytesOf(c.takeOutgoing());
}

// Moves every pending byte from a to b and back until both are quiet.
void pump(Connection &a, Connection &b)
{
    for (int round = 0; round < 100; ++round) {
        const std::string ab = a.takeOutgoing();
        const std::string ba = b.takeOutgoing();
        if (ab.empty() && ba.empty())
            return;
        b.receiveData(ab);
        a.receiveData(ba);
    }
}

RsWebSocketConnectionOptions clientOptions()
{
    RsWebSocketConnectionOptions o;
    o.fixedMaskingKey = 0x37fa213d; // the RFC 6455 §5.7 key
    return o;
}

constexpr quint32 Key = 0x37fa213d;

} // namespace

class tst_RsWebSocketConnection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void construction();
    void receiveVectors_data();
    void receiveVectors();
    void sendVectors_data();
    void sendVectors();
    void fragmentsDelivered();
    void autoPong();
    void controlFrameInsideFragmentedMessage();
    void failures_data();
    void failures();
    void invalidCommands();
    void applicationFailure_data();
    void applicationFailure();
    void randomInput_data();
    void randomInput();
    void closeInitiatedLocally_data();
    void closeInitiatedLocally();
    void closeInitiatedByPeer_data();
    void closeInitiatedByPeer();
    void eofWithoutClose();
    void outgoingFragmentation();
    void autoFragment();
    void zeroCopyOutgoingAndEvents();
    void queuedMaskingKeys();
    void keepalive();
    void closeTimeout();
    void memoryPair_data();
    void memoryPair();
    void memoryPairWithDeflate_data();
    void memoryPairWithDeflate();
};

void tst_RsWebSocketConnection::construction()
{
    RsWebSocketConnectionOptions o;
    o.origin = "http://example.com";
    o.protocol = "chat";
    o.uri = "ws://example.com/chat";
    o.maxIncomingPayloadSize = 1000;
    o.keepaliveInterval = 30s;
    Connection c(Role::Server, o);
    QCOMPARE(c.role(), Role::Server);
    QCOMPARE(c.state(), State::Open);
    QCOMPARE(c.origin(), std::string("http://example.com"));
    QCOMPARE(c.protocol(), std::string("chat"));
    QCOMPARE(c.uri(), std::string("ws://example.com/chat"));
    QCOMPARE(c.maxIncomingPayloadSize(), std::uint64_t(1000));
    QCOMPARE(c.keepaliveInterval(), std::chrono::milliseconds(30s));
    QCOMPARE(c.closeCode(), 0);
    QVERIFY(c.closeReason().empty());
    QVERIFY(c.extensions().empty());
    QCOMPARE(c.outgoingSize(), std::size_t(0));
    QVERIFY(!c.shouldCloseTransport());
    QVERIFY(!c.nextEvent().has_value());
    c.setMaxIncomingPayloadSize(5);
    QCOMPARE(c.maxIncomingPayloadSize(), std::uint64_t(5));

    Connection client(Role::Client);
    QCOMPARE(client.role(), Role::Client);
    Connection moved(std::move(client));
    QCOMPARE(moved.role(), Role::Client);
    QCOMPARE(moved.state(), State::Open);
}

void tst_RsWebSocketConnection::receiveVectors_data()
{
    QTest::addColumn<Role>("role");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<EventType>("type");
    QTest::addColumn<QByteArray>("payload");

    const QByteArray hello("Hello");
    // RFC 6455 §5.7, byte for byte.
    QTest::newRow("unmasked text") << Role::Client << QByteArray::fromHex("810548656c6c6f")
                                   << EventType::Text << hello;
    QTest::newRow("masked text") << Role::Server
                                 << QByteArray::fromHex("818537fa213d7f9f4d5158") << EventType::Text
                                 << hello;
    QTest::newRow("fragmented text")
            << Role::Client << QByteArray::fromHex("010348656c80026c6f") << EventType::Text << hello;
    QTest::newRow("unmasked ping") << Role::Client << QByteArray::fromHex("890548656c6c6f")
                                   << EventType::Ping << hello;
    QTest::newRow("masked pong") << Role::Server
                                 << QByteArray::fromHex("8a8537fa213d7f9f4d5158") << EventType::Pong
                                 << hello;
    QByteArray b256(256, '\0');
    for (int i = 0; i < b256.size(); ++i)
        b256[i] = char(i);
    QTest::newRow("256-byte binary") << Role::Client << QByteArray::fromHex("827e0100") + b256
                                     << EventType::Binary << b256;
    QByteArray b64k(65536, 'x');
    QTest::newRow("64 KiB binary") << Role::Client
                                   << QByteArray::fromHex("827f0000000000010000") + b64k
                                   << EventType::Binary << b64k;
    QTest::newRow("64 KiB masked binary") << Role::Server << frame(2, true, b64k, Key)
                                          << EventType::Binary << b64k;
    QTest::newRow("empty text") << Role::Client << QByteArray::fromHex("8100") << EventType::Text
                                << QByteArray();
    QTest::newRow("utf-8 text") << Role::Client
                                << frame(1, true, QByteArray("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5"))
                                << EventType::Text
                                << QByteArray("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5");
}

void tst_RsWebSocketConnection::receiveVectors()
{
    QFETCH(Role, role);
    QFETCH(QByteArray, input);
    QFETCH(EventType, type);
    QFETCH(QByteArray, payload);

    // All at once, then one byte at a time, then in 7-byte chunks: the same single event.
    for (const qsizetype chunk : {input.size(), qsizetype(1), qsizetype(7)}) {
        Connection c(role);
        for (qsizetype at = 0; at < input.size(); at += chunk)
            c.receiveData(input.constData() + at, std::size_t(qMin(chunk, input.size() - at)));
        const auto events = drain(c);
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].type, type);
        QCOMPARE(bytesOf(events[0].data), payload);
        QVERIFY(events[0].isLast);
        QCOMPARE(c.state(), State::Open);
    }
}

void tst_RsWebSocketConnection::sendVectors_data()
{
    QTest::addColumn<Role>("role");
    QTest::addColumn<int>("kind"); // 0 text, 1 binary, 2 ping, 3 pong
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray hello("Hello");
    QTest::newRow("server text") << Role::Server << 0 << hello
                                 << QByteArray::fromHex("810548656c6c6f");
    QTest::newRow("client text, RFC key")
            << Role::Client << 0 << hello << QByteArray::fromHex("818537fa213d7f9f4d5158");
    QTest::newRow("server ping") << Role::Server << 2 << hello
                                 << QByteArray::fromHex("890548656c6c6f");
    QTest::newRow("client pong") << Role::Client << 3 << hello
                                 << QByteArray::fromHex("8a8537fa213d7f9f4d5158");
    const QByteArray b256(256, 'b');
    QTest::newRow("server 256 binary") << Role::Server << 1 << b256
                                       << QByteArray::fromHex("827e0100") + b256;
    const QByteArray b64k(65536, 'c');
    QTest::newRow("server 64 KiB binary")
            << Role::Server << 1 << b64k << QByteArray::fromHex("827f0000000000010000") + b64k;
    QTest::newRow("client 64 KiB binary") << Role::Client << 1 << b64k << frame(2, true, b64k, Key);
    QTest::newRow("server empty text") << Role::Server << 0 << QByteArray()
                                       << QByteArray::fromHex("8100");
}

void tst_RsWebSocketConnection::sendVectors()
{
    QFETCH(Role, role);
    QFETCH(int, kind);
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, expected);

    Connection c(role, clientOptions());
    bool ok = false;
    switch (kind) {
    case 0:
        ok = c.sendText(view(payload));
        break;
    case 1:
        ok = c.sendBinary(payload.constData(), std::size_t(payload.size()));
        break;
    case 2:
        ok = c.ping(view(payload));
        break;
    case 3:
        ok = c.pong(view(payload));
        break;
    }
    QVERIFY2(ok, c.errorString().c_str());
    QCOMPARE(c.outgoingSize(), std::size_t(expected.size()));
    QCOMPARE(takeOut(c), expected);
    QCOMPARE(c.outgoingSize(), std::size_t(0));
}

void tst_RsWebSocketConnection::fragmentsDelivered()
{
    RsWebSocketConnectionOptions o;
    o.deliverFragments = true;
    Connection c(Role::Client, o);
    c.receiveData(view(QByteArray::fromHex("010348656c")));
    c.receiveData(view(QByteArray::fromHex("00016c")));
    c.receiveData(view(QByteArray::fromHex("80016f")));
    c.receiveData(view(frame(2, false, "ab") + frame(0, true, "c")));
    const auto events = drain(c);
    QCOMPARE(events.size(), std::size_t(5));
    QCOMPARE(events[0].type, EventType::TextFrame);
    QCOMPARE(events[0].data, std::string("Hel"));
    QVERIFY(!events[0].isLast);
    QCOMPARE(events[1].data, std::string("l"));
    QVERIFY(!events[1].isLast);
    QCOMPARE(events[2].type, EventType::TextFrame);
    QCOMPARE(events[2].data, std::string("o"));
    QVERIFY(events[2].isLast);
    QCOMPARE(events[3].type, EventType::BinaryFrame);
    QCOMPARE(events[3].data, std::string("ab"));
    QVERIFY(!events[3].isLast);
    QCOMPARE(events[4].type, EventType::BinaryFrame);
    QVERIFY(events[4].isLast);
}

void tst_RsWebSocketConnection::autoPong()
{
    Connection server(Role::Server);
    server.receiveData(view(QByteArray::fromHex("898537fa213d7f9f4d5158"))); // masked ping "Hello"
    const auto events = drain(server);
    QCOMPARE(events.size(), std::size_t(1));
    QCOMPARE(events[0].type, EventType::Ping);
    QCOMPARE(takeOut(server), QByteArray::fromHex("8a0548656c6c6f")); // unmasked pong "Hello"

    RsWebSocketConnectionOptions o;
    o.autoPong = false;
    Connection quiet(Role::Client, o);
    quiet.receiveData(view(QByteArray::fromHex("890548656c6c6f")));
    QCOMPARE(drain(quiet).size(), std::size_t(1));
    QCOMPARE(quiet.outgoingSize(), std::size_t(0));
}

void tst_RsWebSocketConnection::controlFrameInsideFragmentedMessage()
{
    Connection c(Role::Client);
    c.receiveData(view(frame(1, false, "Hel") + frame(9, true, "p") + frame(0, true, "lo")));
    const auto events = drain(c);
    QCOMPARE(events.size(), std::size_t(2));
    QCOMPARE(events[0].type, EventType::Ping);
    QCOMPARE(events[1].type, EventType::Text);
    QCOMPARE(events[1].data, std::string("Hello"));
}

void tst_RsWebSocketConnection::failures_data()
{
    QTest::addColumn<Role>("role");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("closeCode");

    const int protocolError = RsWebSocketProtocol::CloseCodeProtocolError;
    QTest::newRow("unmasked frame to server") << Role::Server
                                              << QByteArray::fromHex("810548656c6c6f") << protocolError;
    QTest::newRow("masked frame to client") << Role::Client
                                            << QByteArray::fromHex("818537fa213d7f9f4d5158")
                                            << protocolError;
    QTest::newRow("invalid utf-8") << Role::Client << frame(1, true, "\xc3\x28")
                                   << int(RsWebSocketProtocol::CloseCodeWrongDatatype);
    QTest::newRow("invalid utf-8 in first fragment, fails early")
            << Role::Client << frame(1, false, "ok\xed\xa0\x80")
            << int(RsWebSocketProtocol::CloseCodeWrongDatatype);
    QTest::newRow("too big") << Role::Client << frame(2, true, QByteArray(11, 'x'))
                             << int(RsWebSocketProtocol::CloseCodeTooMuchData);
    QTest::newRow("2^63 length header") << Role::Client
                                        << QByteArray::fromHex("827f7fffffffffffffff")
                                        << int(RsWebSocketProtocol::CloseCodeTooMuchData);
    QTest::newRow("reserved bit") << Role::Client << frame(1, true, "a", std::nullopt, 0x40)
                                  << protocolError;
    QTest::newRow("reserved opcode") << Role::Client << frame(3, true, "") << protocolError;
    QTest::newRow("fragmented ping") << Role::Client << frame(9, false, "") << protocolError;
    QTest::newRow("ping payload > 125") << Role::Client << frame(9, true, QByteArray(126, 'p'))
                                        << protocolError;
    QTest::newRow("continuation without start") << Role::Client << frame(0, true, "a")
                                                << protocolError;
    QTest::newRow("new message inside fragmented one")
            << Role::Client << frame(1, false, "a") + frame(1, true, "b") << protocolError;
    QTest::newRow("close code 999") << Role::Client << frame(8, true, closePayload(999))
                                    << protocolError;
    QTest::newRow("close code 1005 on the wire")
            << Role::Client << frame(8, true, closePayload(1005)) << protocolError;
    QTest::newRow("close with 1-byte payload") << Role::Client << frame(8, true, "\x03")
                                               << protocolError;
    QTest::newRow("close reason not utf-8")
            << Role::Client << frame(8, true, closePayload(1000, "\xff")) << int(RsWebSocketProtocol::CloseCodeWrongDatatype);
}

void tst_RsWebSocketConnection::failures()
{
    QFETCH(Role, role);
    QFETCH(QByteArray, input);
    QFETCH(int, closeCode);

    RsWebSocketConnectionOptions o = clientOptions();
    o.maxIncomingPayloadSize = 10;
    o.maxMessageSize = 10;
    Connection c(role, o);
    c.receiveData(view(input));
    const auto events = drain(c);
    const auto failed = std::find_if(events.begin(), events.end(),
                                     [](const auto &e) { return e.type == EventType::Error; });
    QVERIFY(failed != events.end());
    const auto &error = *failed;
    QCOMPARE(error.closeCode, closeCode);
    QVERIFY(!error.data.empty());
    QVERIFY(c.state() == State::Closing || c.state() == State::Closed);
    QVERIFY(!c.errorString().empty());

    // The connection sent a Close with that code, and nothing after it.
    const auto frames = parseFrames(takeOut(c));
    QCOMPARE(frames.size(), std::size_t(1));
    QCOMPARE(frames[0].opcode, 8);
    QCOMPARE(frames[0].masked, role == Role::Client);
    QVERIFY(frames[0].payload.size() >= 2);
    QCOMPARE((quint8(frames[0].payload[0]) << 8) | quint8(frames[0].payload[1]), closeCode);

    // Failed means failed: no more messages in, none out.
    QVERIFY(!c.sendText("late"));
    c.receiveData(view(frame(1, true, "after", role == Role::Server ? std::optional<quint32>(Key) : std::nullopt)));
    for (const auto &e : drain(c))
        QVERIFY(e.type != EventType::Text);
}

void tst_RsWebSocketConnection::invalidCommands()
{
    Connection c(Role::Server);
    QVERIFY(!c.ping(std::string(126, 'p')));
    QVERIFY(!c.errorString().empty());
    QVERIFY(!c.pong(std::string(126, 'p')));
    QVERIFY(!c.close(1005));
    QVERIFY(!c.close(999));
    QVERIFY(!c.close(1000, std::string(124, 'r'))); // 2 + 124 > 125
    QVERIFY(!c.continueMessage("x", 1));           // no message begun
    QVERIFY(!c.finishMessage("x", 1));
    QVERIFY(!c.sendText("\xff\xfe"));       // text must be UTF-8
    QVERIFY(!c.close(1000, "\xc3"));         // so must a close reason
    QCOMPARE(c.outgoingSize(), std::size_t(0));
    QCOMPARE(c.state(), State::Open);
    QVERIFY(c.sendText("still open"));
}

void tst_RsWebSocketConnection::applicationFailure_data()
{
    QTest::addColumn<Role>("role");
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("sent");
    QTest::newRow("server, policy") << Role::Server << int(RsWebSocketProtocol::CloseCodePolicyViolated)
                                    << 1008;
    QTest::newRow("client, too much data") << Role::Client
                                           << int(RsWebSocketProtocol::CloseCodeTooMuchData) << 1009;
    QTest::newRow("not a CloseCode value") << Role::Server << 4000 << 1002;
}

void tst_RsWebSocketConnection::applicationFailure()
{
    QFETCH(Role, role);
    QFETCH(int, code);
    QFETCH(int, sent);
    Connection c(role, clientOptions());
    c.fail(code, "giving up");
    const auto events = drain(c);
    QVERIFY(!events.empty());
    QCOMPARE(events.front().type, EventType::Error);
    QCOMPARE(events.front().closeCode, sent);
    QCOMPARE(events.front().data, std::string("giving up"));
    const auto frames = parseFrames(takeOut(c));
    QCOMPARE(frames.size(), std::size_t(1));
    QCOMPARE(frames[0].payload, closePayload(sent, "giving up"));
    QVERIFY(!c.sendText("after"));
    c.fail(); // a second failure changes nothing
    QCOMPARE(c.outgoingSize(), std::size_t(0));
}

void tst_RsWebSocketConnection::randomInput_data()
{
    QTest::addColumn<Role>("role");
    QTest::addColumn<quint32>("seed");
    for (quint32 seed = 1; seed <= 40; ++seed) {
        QTest::addRow("client %u", seed) << Role::Client << seed;
        QTest::addRow("server %u", seed) << Role::Server << seed;
    }
}

// Garbage in any chunking: never a crash or an exception; a failure always comes with a close
// code that may be sent, and nothing is delivered after it.
void tst_RsWebSocketConnection::randomInput()
{
    QFETCH(Role, role);
    QFETCH(quint32, seed);
    std::mt19937 rng(seed);
    RsWebSocketConnectionOptions o;
    o.maxIncomingPayloadSize = 4096;
    o.maxMessageSize = 8192;
    Connection c(role, o);
    bool failed = false;
    for (int round = 0; round < 50; ++round) {
        std::string chunk(rng() % 64, '\0');
        for (char &ch : chunk)
            ch = char(rng());
        // Mostly valid headers of random frames, sometimes raw noise.
        if (rng() % 2 && chunk.size() >= 2)
            chunk[1] = char((role == Role::Server ? 0x80 : 0) | (rng() % 40));
        c.receiveData(chunk);
        for (const auto &e : drain(c)) {
            QVERIFY(!failed || e.type == EventType::Close);
            if (e.type == EventType::Error) {
                failed = true;
                QVERIFY2(RsWebSocketProtocol::isCloseCodeValid(e.closeCode)
                                 || e.closeCode == RsWebSocketProtocol::CloseCodeAbnormalDisconnection,
                         std::to_string(e.closeCode).c_str());
            }
        }
        c.takeOutgoing();
    }
    c.receiveEof();
    drain(c);
    QCOMPARE(c.state() == State::Closed, true);
}

void tst_RsWebSocketConnection::closeInitiatedLocally_data()
{
    QTest::addColumn<Role>("role");
    QTest::newRow("client") << Role::Client;
    QTest::newRow("server") << Role::Server;
}

void tst_RsWebSocketConnection::closeInitiatedLocally()
{
    QFETCH(Role, role);
    Connection c(role, clientOptions());
    QVERIFY(c.close(RsWebSocketProtocol::CloseCodeGoingAway, "bye"));
    QCOMPARE(c.state(), State::Closing);
    auto frames = parseFrames(takeOut(c));
    QCOMPARE(frames.size(), std::size_t(1));
    QCOMPARE(frames[0].opcode, 8);
    QCOMPARE(frames[0].payload, closePayload(1001, "bye"));
    QVERIFY(!c.sendText("after close"));
    QVERIFY(!c.close());

    // Data still arriving before the peer's Close is delivered.
    const std::optional<quint32> peerKey = role == Role::Server ? std::optional<quint32>(Key) : std::nullopt;
    c.receiveData(view(frame(1, true, "late", peerKey) + frame(8, true, closePayload(1001, "ok"), peerKey)));
    const auto events = drain(c);
    QCOMPARE(events.size(), std::size_t(2));
    QCOMPARE(events[0].type, EventType::Text);
    QCOMPARE(events[1].type, EventType::Close);
    QCOMPARE(events[1].closeCode, 1001);
    QCOMPARE(events[1].data, std::string("ok"));
    QCOMPARE(c.closeCode(), 1001);
    QCOMPARE(c.closeReason(), std::string("ok"));
    QCOMPARE(c.outgoingSize(), std::size_t(0)); // no second Close
    if (role == Role::Client) {
        // The server closes TCP first (RFC 6455 §7.1.1): the client waits for it.
        QCOMPARE(c.state(), State::Closing);
        QVERIFY(!c.shouldCloseTransport());
        c.receiveEof();
    }
    QCOMPARE(c.state(), State::Closed);
    QVERIFY(c.shouldCloseTransport());
}

void tst_RsWebSocketConnection::closeInitiatedByPeer_data()
{
    QTest::addColumn<Role>("role");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("code");
    QTest::addColumn<QByteArray>("reason");
    QTest::newRow("server, 1000 + reason") << Role::Server << closePayload(1000, "done") << 1000
                                           << QByteArray("done");
    QTest::newRow("client, application code") << Role::Client << closePayload(4000) << 4000
                                              << QByteArray();
    QTest::newRow("client, empty Close reports 1005") << Role::Client << QByteArray() << 1005
                                                      << QByteArray();
}

void tst_RsWebSocketConnection::closeInitiatedByPeer()
{
    QFETCH(Role, role);
    QFETCH(QByteArray, payload);
    QFETCH(int, code);
    QFETCH(QByteArray, reason);

    Connection c(role, clientOptions());
    const std::optional<quint32> peerKey = role == Role::Server ? std::optional<quint32>(Key) : std::nullopt;
    c.receiveData(view(frame(8, true, payload, peerKey)));
    const auto events = drain(c);
    QCOMPARE(events.size(), std::size_t(1));
    QCOMPARE(events[0].type, EventType::Close);
    QCOMPARE(events[0].closeCode, code);
    QCOMPARE(bytesOf(events[0].data), reason);
    QCOMPARE(c.closeCode(), code);
    // The Close is echoed (1005 is never sent: an empty Close is answered with an empty one).
    const auto frames = parseFrames(takeOut(c));
    QCOMPARE(frames.size(), std::size_t(1));
    QCOMPARE(frames[0].opcode, 8);
    if (code == 1005) // answered without a code, or with 1000 (RFC 6455 §5.5.1)
        QVERIFY(frames[0].payload.isEmpty() || frames[0].payload.left(2) == closePayload(1000));
    else
        QCOMPARE(frames[0].payload.left(2), closePayload(code));
    QVERIFY(!c.sendBinary("x", 1));
    if (role == Role::Client) {
        QCOMPARE(c.state(), State::Closing); // until the server closes TCP
        c.receiveEof();
    }
    QCOMPARE(c.state(), State::Closed);
    QVERIFY(c.shouldCloseTransport());
}

void tst_RsWebSocketConnection::eofWithoutClose()
{
    Connection c(Role::Client);
    c.receiveData(view(frame(1, false, "part")));
    c.receiveEof();
    QCOMPARE(c.state(), State::Closed);
    QCOMPARE(c.closeCode(), int(RsWebSocketProtocol::CloseCodeAbnormalDisconnection));
    QVERIFY(c.shouldCloseTransport());
    for (const auto &e : drain(c))
        QVERIFY(e.type != EventType::Text); // the partial message is not delivered as whole
}

void tst_RsWebSocketConnection::outgoingFragmentation()
{
    Connection c(Role::Server);
    QVERIFY(c.beginMessage(Connection::MessageType::Text, "Hel", 3));
    QVERIFY(!c.sendText("interleaved data")); // a data message cannot start inside another
    QVERIFY(c.ping("p"));                      // control frames may interleave
    QVERIFY(c.continueMessage("l", 1));
    QVERIFY(c.finishMessage("o", 1));
    QVERIFY(!c.continueMessage("x", 1));
    const auto frames = parseFrames(takeOut(c));
    QCOMPARE(frames.size(), std::size_t(4));
    QCOMPARE(frames[0].opcode, 1);
    QVERIFY(!frames[0].fin);
    QCOMPARE(frames[0].payload, QByteArray("Hel"));
    QCOMPARE(frames[1].opcode, 9);
    QCOMPARE(frames[2].opcode, 0);
    QVERIFY(!frames[2].fin);
    QCOMPARE(frames[3].opcode, 0);
    QVERIFY(frames[3].fin);

    // The receiving side sees one message.
    Connection client(Role::Client);
    QVERIFY(c.beginMessage(Connection::MessageType::Binary, "ab", 2));
    QVERIFY(c.finishMessage("cd", 2));
    client.receiveData(c.takeOutgoing());
    const auto events = drain(client);
    QCOMPARE(events.size(), std::size_t(1));
    QCOMPARE(events[0].type, EventType::Binary);
    QCOMPARE(events[0].data, std::string("abcd"));
}

void tst_RsWebSocketConnection::autoFragment()
{
    RsWebSocketConnectionOptions o;
    o.outgoingFrameSize = 4;
    Connection c(Role::Server, o);
    QCOMPARE(c.outgoingFrameSize(), std::size_t(4));
    QVERIFY(c.sendMessage(Connection::MessageType::Text, "0123456789", 10));
    const auto frames = parseFrames(takeOut(c));
    QCOMPARE(frames.size(), std::size_t(3));
    QCOMPARE(frames[0].opcode, 1);
    QCOMPARE(frames[0].payload, QByteArray("0123"));
    QCOMPARE(frames[1].opcode, 0);
    QCOMPARE(frames[2].payload, QByteArray("89"));
    QVERIFY(frames[2].fin);
}

void tst_RsWebSocketConnection::zeroCopyOutgoingAndEvents()
{
    Connection server(Role::Server);
    QVERIFY(server.sendText("Hello"));
    QCOMPARE(server.outgoingSize(), std::size_t(7));
    const QByteArray first(reinterpret_cast<const char *>(server.outgoingData()), 3);
    QCOMPARE(first, QByteArray::fromHex("810548"));
    server.consumeOutgoing(3); // a partial write
    QCOMPARE(server.outgoingSize(), std::size_t(4));
    QCOMPARE(QByteArray(reinterpret_cast<const char *>(server.outgoingData()), 4), QByteArray("ello"));
    server.consumeOutgoing(100); // more than pending is clamped
    QCOMPARE(server.outgoingSize(), std::size_t(0));

    Connection client(Role::Client);
    client.receiveData(view(QByteArray::fromHex("810548656c6c6f8a00")));
    Connection::EventView v;
    QVERIFY(client.nextEvent(v));
    QCOMPARE(v.type, EventType::Text);
    QCOMPARE(v.data, std::string_view("Hello"));
    const auto pong = client.nextEvent();
    QVERIFY(pong.has_value());
    QCOMPARE(pong->type, EventType::Pong);
    QVERIFY(pong->data.empty());
    QVERIFY(!client.nextEvent(v));
}

void tst_RsWebSocketConnection::queuedMaskingKeys()
{
    Connection client(Role::Client);
    QCOMPARE(client.queuedMaskingKeys(), std::size_t(0));
    const std::uint32_t keys[] = {0x37fa213d, 0x01020304};
    client.queueMaskingKeys(keys, 2);
    QCOMPARE(client.queuedMaskingKeys(), std::size_t(2));
    QVERIFY(client.sendText("Hello"));
    QVERIFY(client.ping("x"));
    QVERIFY(client.sendText("Hello"));
    QCOMPARE(client.queuedMaskingKeys(), std::size_t(0));
    const QByteArray wire = takeOut(client);
    QVERIFY(wire.startsWith(QByteArray::fromHex("818537fa213d7f9f4d5158"))); // RFC 6455 §5.7
    const auto frames = parseFrames(wire);
    QCOMPARE(frames.size(), std::size_t(3));
    QCOMPARE(frames[1].key, quint32(0x01020304));
    QVERIFY(frames[2].masked); // back to the CSPRNG
    QCOMPARE(frames[2].payload, QByteArray("Hello"));
}

void tst_RsWebSocketConnection::keepalive()
{
    RsWebSocketConnectionOptions o = clientOptions();
    o.keepaliveInterval = 1000ms;
    o.keepalivePongTimeout = 500ms;
    Connection c(Role::Client, o);
    const auto deadline = c.nextTimeout();
    QVERIFY(deadline.has_value());
    const auto now = std::chrono::steady_clock::now();
    QVERIFY(*deadline > now);
    QVERIFY(*deadline <= now + 1000ms);

    c.handleTimeout(*deadline - 10ms); // too early: nothing
    QCOMPARE(c.outgoingSize(), std::size_t(0));
    c.handleTimeout(*deadline);
    auto frames = parseFrames(takeOut(c));
    QCOMPARE(frames.size(), std::size_t(1));
    QCOMPARE(frames[0].opcode, 9);

    // The pong arrives: still open. Then no pong to the next ping: failed.
    c.receiveData(view(frame(10, true, frames[0].payload)));
    drain(c);
    QCOMPARE(c.state(), State::Open);
    auto next = c.nextTimeout();
    QVERIFY(next.has_value());
    c.handleTimeout(*next);
    frames = parseFrames(takeOut(c));
    QCOMPARE(frames.size(), std::size_t(1));
    QCOMPARE(frames[0].opcode, 9);
    next = c.nextTimeout();
    QVERIFY(next.has_value());
    c.handleTimeout(*next + 1ms);
    QVERIFY(c.state() == State::Closing || c.state() == State::Closed);
    const auto events = drain(c);
    QVERIFY(std::any_of(events.begin(), events.end(), [](const auto &e) {
        return e.type == EventType::Error && e.closeCode == RsWebSocketProtocol::CloseCodeBadOperation;
    }));

    Connection off(Role::Client);
    QVERIFY(!off.nextTimeout().has_value());

    // A pong timeout of 0 never gives up on the peer: the pings just go on.
    RsWebSocketConnectionOptions patient = clientOptions();
    patient.keepaliveInterval = 1000ms;
    patient.keepalivePongTimeout = 0ms;
    Connection p(Role::Client, patient);
    for (int i = 0; i < 3; ++i) {
        const auto due = p.nextTimeout();
        QVERIFY(due.has_value());
        p.handleTimeout(*due);
    }
    QCOMPARE(p.state(), State::Open);
    QCOMPARE(parseFrames(takeOut(p)).size(), std::size_t(3));
}

void tst_RsWebSocketConnection::closeTimeout()
{
    RsWebSocketConnectionOptions o;
    o.closeTimeout = 2000ms;
    Connection c(Role::Server, o);
    QVERIFY(c.close());
    takeOut(c);
    const auto deadline = c.nextTimeout();
    QVERIFY(deadline.has_value());
    c.handleTimeout(*deadline);
    QCOMPARE(c.state(), State::Closed);
    QVERIFY(c.shouldCloseTransport());
    QCOMPARE(c.closeCode(), int(RsWebSocketProtocol::CloseCodeAbnormalDisconnection));
}

void tst_RsWebSocketConnection::memoryPair_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<bool>("text");
    for (const int size : {0, 1, 125, 126, 65535, 65536, 1 << 20}) {
        QTest::addRow("text %d", size) << size << true;
        QTest::addRow("binary %d", size) << size << false;
    }
}

void tst_RsWebSocketConnection::memoryPair()
{
    QFETCH(int, size);
    QFETCH(bool, text);
    Connection client(Role::Client);
    Connection server(Role::Server);
    QByteArray payload(size, 'a');
    for (int i = 0; i < size; ++i)
        payload[i] = text ? char('a' + i % 26) : char(i * 7);

    const auto type = text ? Connection::MessageType::Text : Connection::MessageType::Binary;
    QVERIFY(client.sendMessage(type, payload.constData(), std::size_t(size)));
    QVERIFY(server.sendMessage(type, payload.constData(), std::size_t(size)));
    pump(client, server);
    for (Connection *c : {&client, &server}) {
        const auto events = drain(*c);
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].type, text ? EventType::Text : EventType::Binary);
        QCOMPARE(bytesOf(events[0].data), payload);
    }

    QVERIFY(client.ping("are you there"));
    pump(client, server);
    QCOMPARE(drain(server).at(0).type, EventType::Ping);
    const auto pong = drain(client);
    QCOMPARE(pong.size(), std::size_t(1));
    QCOMPARE(pong[0].type, EventType::Pong);
    QCOMPARE(pong[0].data, std::string("are you there"));

    QVERIFY(client.close(RsWebSocketProtocol::CloseCodeNormal, "done"));
    pump(client, server);
    QCOMPARE(server.state(), State::Closed);
    QVERIFY(server.shouldCloseTransport()); // the server closes TCP first...
    QCOMPARE(client.state(), State::Closing);
    client.receiveEof(); // ...and the client sees it
    QCOMPARE(client.state(), State::Closed);
    QCOMPARE(server.closeCode(), 1000);
    QCOMPARE(server.closeReason(), std::string("done"));
    QCOMPARE(client.closeCode(), 1000);
    QVERIFY(server.shouldCloseTransport());
}

void tst_RsWebSocketConnection::memoryPairWithDeflate_data()
{
    QTest::addColumn<bool>("noContextTakeover");
    QTest::addColumn<int>("windowBits");
    QTest::newRow("defaults") << false << 0;
    QTest::newRow("no context takeover") << true << 0;
    QTest::newRow("window bits 10") << false << 10;
}

void tst_RsWebSocketConnection::memoryPairWithDeflate()
{
    QFETCH(bool, noContextTakeover);
    QFETCH(int, windowBits);

    RsWebSocketDeflateOptions deflate;
    deflate.clientNoContextTakeover = noContextTakeover;
    deflate.serverNoContextTakeover = noContextTakeover;
    if (windowBits)
        deflate.clientMaxWindowBits = deflate.serverMaxWindowBits = windowBits;

    RsWebSocketHandshake::ClientOptions co;
    co.url = "ws://localhost:8080/echo";
    co.extensions.deflate = deflate;
    RsWebSocketHandshake::Client hsClient(co);
    QVERIFY2(hsClient.isValid(), hsClient.errorString().c_str());

    RsWebSocketHandshake::ServerOptions so;
    so.extensions.deflate = RsWebSocketDeflateOptions{};
    RsWebSocketHandshake::Server hsServer(so);
    const auto request = hsServer.check(hsClient.request());
    QCOMPARE(request.status, RsWebSocketHandshake::Status::Complete);
    auto response = hsServer.accept();
    QVERIFY2(response.accepted, response.errorString.c_str());
    auto verified = hsClient.verify(response.response);
    QCOMPARE(verified.status, RsWebSocketHandshake::Status::Complete);
    QCOMPARE(verified.extensions.size(), std::size_t(1));
    QCOMPARE(verified.extensions[0].name, std::string("permessage-deflate"));
    QCOMPARE(response.extensions.size(), std::size_t(1));

    Connection client(Role::Client, {}, std::move(verified.negotiation));
    Connection server(Role::Server, {}, std::move(response.negotiation));
    QVERIFY(verified.negotiation.extensions().empty()); // used up by the connection
    QCOMPARE(client.extensions().size(), std::size_t(1));
    QCOMPARE(client.extensions()[0].name, std::string("permessage-deflate"));
    QCOMPARE(server.extensions()[0].toString(), response.extensions[0].toString());

    const std::string text(10000, 'z');
    for (int round = 0; round < 3; ++round) {
        QVERIFY(client.sendText(text));
        const QByteArray wire = bytesOf(client.takeOutgoing());
        const auto frames = parseFrames(wire);
        QCOMPARE(frames.size(), std::size_t(1));
        QCOMPARE(frames[0].rsv, 0x40); // RSV1: compressed
        QVERIFY(wire.size() < 200);
        server.receiveData(view(wire));
        const auto events = drain(server);
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].data, text);
        QVERIFY(server.sendBinary(text));
        pump(client, server);
        const auto back = drain(client);
        QCOMPARE(back.size(), std::size_t(1));
        QCOMPARE(back[0].type, EventType::Binary);
        QCOMPARE(back[0].data, text);
    }
    // The per-message switch: this one goes out as it is.
    QVERIFY(client.sendMessage(Connection::MessageType::Text, text.data(), text.size(), false));
    const QByteArray plain = bytesOf(client.takeOutgoing());
    QCOMPARE(parseFrames(plain).at(0).rsv, 0);
    QVERIFY(plain.size() > qsizetype(text.size()));
    server.receiveData(view(plain));
    QCOMPARE(drain(server).at(0).data, text);
    // Control frames are never compressed.
    QVERIFY(server.ping("p"));
    QCOMPARE(parseFrames(bytesOf(server.takeOutgoing())).at(0).rsv, 0);
}

QTEST_APPLESS_MAIN(tst_RsWebSocketConnection)

#include "tst_rswebsocketconnection.moc"
