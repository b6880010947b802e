// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// RsWebSocketConnection fed by hand: the RFC 6455 §5.7 vectors, framing, the failures with their
// close codes, commands refused, random input. See tst_rswebsocketconnection.h.

#include "tst_rswebsocketconnection.h"

#include <QtTest/QTest>

#include <algorithm>
#include <random>

using namespace ConnectionTest;

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

void tst_RsWebSocketConnection::receiveUntilEvent()
{
    // A valid message and a bad frame in one read: the message is handed out and answered
    // before the engine reads the bad frame, so the echo precedes the Close(1002).
    Connection server(Role::Server);
    const QByteArray first = frame(1, true, "Hello", Key);
    const QByteArray input = first + frame(2, true, "x") /* unmasked: 1002 */;
    std::size_t used = server.receiveDataUntilEvent(view(input));
    QCOMPARE(used, std::size_t(first.size()));
    // Nothing is taken while an event is waiting.
    QCOMPARE(server.receiveDataUntilEvent(view(input.mid(qsizetype(used)))), std::size_t(0));
    auto events = drain(server);
    QCOMPARE(events.size(), std::size_t(1));
    QCOMPARE(events[0].type, EventType::Text);
    QVERIFY(server.sendText(events[0].data));
    QCOMPARE(server.receiveDataUntilEvent(view(input.mid(qsizetype(used)))),
             std::size_t(input.size() - qsizetype(used)));
    events = drain(server);
    QVERIFY(!events.empty());
    QCOMPARE(events[0].type, EventType::Error); // (then Close, once closed)
    QCOMPARE(events[0].closeCode, int(RsWebSocketProtocol::CloseCodeProtocolError));
    const auto frames = parseFrames(takeOut(server));
    QCOMPARE(frames.size(), std::size_t(2));
    QCOMPARE(frames[0].opcode, 1);
    QCOMPARE(frames[0].payload, QByteArray("Hello"));
    QCOMPARE(frames[1].opcode, 8);
    // Input after the failure counts as used (it is ignored).
    QCOMPARE(server.receiveDataUntilEvent(view(first)), std::size_t(first.size()));
    QVERIFY(drain(server).empty());

    // Byte by byte, a message is complete on its last byte.
    Connection client(Role::Client);
    const QByteArray two = frame(2, true, "ab") + frame(1, true, "cd");
    std::vector<Connection::Event> got;
    for (qsizetype i = 0; i < two.size(); ++i) {
        QCOMPARE(client.receiveDataUntilEvent(view(two.mid(i, 1))), std::size_t(1));
        for (auto &e : drain(client))
            got.push_back(e);
    }
    QCOMPARE(got.size(), std::size_t(2));
    QCOMPARE(got[0].type, EventType::Binary);
    QCOMPARE(got[1].type, EventType::Text);
    QCOMPARE(got[1].data, std::string("cd"));
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

void tst_RsWebSocketConnection::outgoingLimit()
{
    RsWebSocketConnectionOptions o;
    o.maxOutgoingSize = 64;
    Connection c(Role::Server, o);
    QVERIFY(c.sendText(std::string(40, 'a')));
    QVERIFY(!c.sendText(std::string(40, 'b'))); // 42 + 42 > 64: refused, nothing queued
    QVERIFY(!c.errorString().empty());
    QCOMPARE(c.outgoingSize(), std::size_t(42));
    QVERIFY(c.ping("still")); // control frames always go
    c.consumeOutgoing(c.outgoingSize());
    QVERIFY(c.sendText(std::string(40, 'b')));
    QCOMPARE(c.state(), State::Open);
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

QTEST_APPLESS_MAIN(tst_RsWebSocketConnection)
