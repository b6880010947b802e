// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// RsWebSocketConnection over a whole session: the close handshake in both roles, outgoing
// fragmentation, zero-copy access, masking keys, timers on the caller's clock, and two
// connections talking through memory, with permessage-deflate negotiated by RsWebSocketHandshake.

#include "tst_rswebsocketconnection.h"

#include <RsWebSockets/RsWebSocketHandshake>

#include <QtTest/QTest>

using namespace ConnectionTest;

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
    QTest::newRow("window bits 8, no context takeover") << true << 8;
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

// Beyond the RFC: messages under the sender's threshold go out uncompressed.
void tst_RsWebSocketConnection::deflateThreshold()
{
    RsWebSocketDeflateOptions deflate;
    deflate.compressionThreshold = 100;
    deflate.compressionLevel = 9;
    RsWebSocketHandshake::ClientOptions co;
    co.url = "ws://localhost/";
    co.extensions.deflate = deflate;
    RsWebSocketHandshake::Client hsClient(co);
    RsWebSocketHandshake::ServerOptions so;
    so.extensions.deflate = RsWebSocketDeflateOptions{};
    RsWebSocketHandshake::Server hsServer(so);
    QCOMPARE(hsServer.check(hsClient.request()).status, RsWebSocketHandshake::Status::Complete);
    auto response = hsServer.accept();
    auto verified = hsClient.verify(response.response);
    QCOMPARE(verified.status, RsWebSocketHandshake::Status::Complete);
    Connection client(Role::Client, {}, std::move(verified.negotiation));
    Connection server(Role::Server, {}, std::move(response.negotiation));

    const std::string small(99, 's');
    const std::string large(100, 'l');
    QVERIFY(client.sendText(small));
    QVERIFY(client.sendText(large));
    const QByteArray wire = takeOut(client);
    const auto frames = parseFrames(wire);
    QCOMPARE(frames.size(), std::size_t(2));
    QCOMPARE(frames[0].rsv, 0);
    QCOMPARE(frames[1].rsv, 0x40);
    server.receiveData(view(wire));
    const auto events = drain(server);
    QCOMPARE(events.size(), std::size_t(2));
    QCOMPARE(events[0].data, small);
    QCOMPARE(events[1].data, large);
}
