// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// RsWebSocketHandshake (the opening handshake as plain C++ helpers): the RFC 6455 accept-key
// vector, client requests, server checks with their rejections and statuses, subprotocols,
// permessage-deflate negotiation, and responses that a client must refuse.

#include <RsWebSockets/RsWebSocketHandshake>

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtTest/QTest>

#include <algorithm>
#include <string>

using namespace RsWebSocketHandshake;

Q_DECLARE_METATYPE(RsWebSocketHandshake::Error)

namespace {

std::string_view view(const QByteArray &bytes)
{
    return std::string_view(bytes.constData(), std::size_t(bytes.size()));
}

QByteArray bytesOf(const std::string &s)
{
    return QByteArray(s.data(), qsizetype(s.size()));
}

std::vector<std::string> strings(const QByteArrayList &list)
{
    std::vector<std::string> out;
    for (const QByteArray &b : list)
        out.emplace_back(b.constData(), std::size_t(b.size()));
    return out;
}

// A valid request, with the RFC 6455 §1.3 key; `extra` lines are appended to the headers.
QByteArray request(const QByteArray &extra = {}, const QByteArray &requestLine = "GET /chat HTTP/1.1")
{
    return requestLine + "\r\nHost: server.example.com\r\nUpgrade: websocket\r\n"
                         "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                         "Sec-WebSocket-Version: 13\r\n"
            + extra + "\r\n";
}

std::string headerValue(const std::vector<Header> &headers, std::string_view name)
{
    for (const auto &[n, v] : headers) {
        if (std::equal(n.begin(), n.end(), name.begin(), name.end(),
                       [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
            return v;
    }
    return {};
}

} // namespace

class tst_RsWebSocketHandshake : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acceptKeyVector_data();
    void acceptKeyVector();
    void generatedKeys();
    void clientRequest();
    void clientInvalidOptions_data();
    void clientInvalidOptions();
    void serverAcceptsRfcRequest();
    void serverIncomplete();
    void serverRejections_data();
    void serverRejections();
    void serverApplicationReject();
    void serverExtraHeaders();
    void origins_data();
    void origins();
    void subprotocols_data();
    void subprotocols();
    void clientRefusesBadResponses_data();
    void clientRefusesBadResponses();
    void clientLeftoverBytes();
    void deflateNegotiation_data();
    void deflateNegotiation();
    void extensionToString();
    void deflateOffers_data();
    void deflateOffers();
    void notUtf8Inputs();
    void invalidDeflateOptions_data();
    void invalidDeflateOptions();
};

void tst_RsWebSocketHandshake::acceptKeyVector_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("accept");
    QTest::newRow("RFC 6455 §1.3") << QByteArray("dGhlIHNhbXBsZSBub25jZQ==")
                                   << QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    QTest::newRow("x3JJHMbDL1EzLkh9GBhXDw==") << QByteArray("x3JJHMbDL1EzLkh9GBhXDw==")
                                               << QByteArray("HSmrc0sMlYUkAGmm5OPpG2HaGWk=");
}

void tst_RsWebSocketHandshake::acceptKeyVector()
{
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, accept);
    QCOMPARE(bytesOf(acceptKey(view(key))), accept);
}

void tst_RsWebSocketHandshake::generatedKeys()
{
    const std::string a = generateKey();
    const std::string b = generateKey();
    QCOMPARE(a.size(), std::size_t(24));
    QVERIFY(a != b);
    QCOMPARE(QByteArray::fromBase64(bytesOf(a)).size(), 16);
}

void tst_RsWebSocketHandshake::clientRequest()
{
    ClientOptions o;
    o.url = "ws://example.com:8080/chat?room=1";
    o.origin = "http://example.com";
    o.protocols = {"chat", "superchat"};
    o.headers = {{"Authorization", "Bearer x"}};
    Client client(o);
    QVERIFY2(client.isValid(), client.errorString().c_str());
    QCOMPARE(client.error(), Error::NoError);
    QVERIFY(!client.isSecure());
    QCOMPARE(client.host(), std::string("example.com:8080"));
    QCOMPARE(client.resourceName(), std::string("/chat?room=1"));
    const QByteArray req = bytesOf(client.request());
    QVERIFY(req.startsWith("GET /chat?room=1 HTTP/1.1\r\n"));
    QVERIFY(req.endsWith("\r\n\r\n"));
    const QByteArray lower = req.toLower();
    QVERIFY(lower.contains("\r\nhost: example.com:8080\r\n"));
    QVERIFY(lower.contains("\r\nupgrade: websocket\r\n"));
    QVERIFY(lower.contains("\r\nconnection: upgrade\r\n"));
    QVERIFY(lower.contains("\r\nsec-websocket-version: 13\r\n"));
    QVERIFY(req.contains("Origin: http://example.com\r\n"));
    QVERIFY(req.contains("Sec-WebSocket-Protocol: chat, superchat\r\n"));
    QVERIFY(req.contains("Authorization: Bearer x\r\n"));
    QVERIFY(req.contains(QByteArray(QByteArray("Sec-WebSocket-Key: ") + bytesOf(client.key()) + "\r\n")));
    QVERIFY(!lower.contains("sec-websocket-extensions"));

    // The server side reads back what the client wrote.
    ServerOptions so;
    so.protocols = {"superchat"};
    Server server(so);
    const auto checked = server.check(client.request());
    QCOMPARE(checked.status, Status::Complete);
    QCOMPARE(checked.resourceName, std::string("/chat?room=1"));
    QCOMPARE(checked.origin, std::string("http://example.com"));
    QCOMPARE(checked.key, client.key());
    QCOMPARE(checked.version, 13);
    QCOMPARE(checked.protocols, (std::vector<std::string>{"chat", "superchat"}));
    QCOMPARE(headerValue(checked.headers, "authorization"), std::string("Bearer x"));

    ClientOptions secure;
    secure.url = "wss://example.com/";
    Client tls(secure);
    QVERIFY(tls.isValid());
    QVERIFY(tls.isSecure());
    QCOMPARE(tls.host(), std::string("example.com"));
}

void tst_RsWebSocketHandshake::clientInvalidOptions_data()
{
    QTest::addColumn<QByteArray>("url");
    QTest::addColumn<QByteArrayList>("protocols");
    QTest::addColumn<QByteArray>("headerName");
    QTest::newRow("ftp scheme") << QByteArray("ftp://example.com/") << QByteArrayList()
                                 << QByteArray();
    QTest::newRow("no host") << QByteArray("ws:///path") << QByteArrayList() << QByteArray();
    QTest::newRow("garbage") << QByteArray("not a url") << QByteArrayList() << QByteArray();
    QTest::newRow("fragment") << QByteArray("ws://example.com/#frag") << QByteArrayList()
                              << QByteArray();
    QTest::newRow("protocol with space") << QByteArray("ws://example.com/")
                                         << QByteArrayList{"bad name"} << QByteArray();
    QTest::newRow("header set by the handshake")
            << QByteArray("ws://example.com/") << QByteArrayList() << QByteArray("Sec-WebSocket-Key");
}

void tst_RsWebSocketHandshake::clientInvalidOptions()
{
    QFETCH(QByteArray, url);
    QFETCH(QByteArrayList, protocols);
    QFETCH(QByteArray, headerName);
    ClientOptions o;
    o.url = url.toStdString();
    o.protocols = strings(protocols);
    if (!headerName.isEmpty())
        o.headers = {{headerName.toStdString(), "x"}};
    Client client(o);
    QVERIFY(!client.isValid());
    QCOMPARE(client.error(), Error::Failed);
    QVERIFY(!client.errorString().empty());
    QVERIFY(client.request().empty());
    const auto result = client.verify("HTTP/1.1 101 Switching Protocols\r\n\r\n");
    QCOMPARE(result.status, Status::Failed);
}

void tst_RsWebSocketHandshake::serverAcceptsRfcRequest()
{
    Server server(ServerOptions{});
    const QByteArray req = request();
    const auto checked = server.check(view(req));
    QCOMPARE(checked.status, Status::Complete);
    QCOMPARE(checked.error, Error::NoError);
    QCOMPARE(checked.consumed, std::size_t(req.size()));
    QCOMPARE(checked.resourceName, std::string("/chat"));
    QCOMPARE(checked.host, std::string("server.example.com"));
    QVERIFY(checked.origin.empty());
    const auto response = server.accept();
    QVERIFY(response.accepted);
    QCOMPARE(response.httpStatus, 101);
    const QByteArray bytes = bytesOf(response.response);
    QVERIFY(bytes.startsWith("HTTP/1.1 101"));
    QVERIFY(bytes.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
    QVERIFY(bytes.endsWith("\r\n\r\n"));
    QVERIFY(response.protocol.empty());
    QVERIFY(response.extensions.empty());
    QVERIFY(response.negotiation.extensions().empty());
}

void tst_RsWebSocketHandshake::serverIncomplete()
{
    const QByteArray req = request();
    Server server(ServerOptions{});
    for (qsizetype cut : {qsizetype(0), qsizetype(1), req.size() / 2, req.size() - 1}) {
        const auto partial = server.check(view(req.left(cut)));
        QCOMPARE(partial.status, Status::Incomplete);
        QCOMPARE(partial.error, Error::NoError);
    }
    // Frames right after the head are not part of it.
    const auto full = server.check(view(req + QByteArray::fromHex("818537fa213d7f9f4d5158")));
    QCOMPARE(full.status, Status::Complete);
    QCOMPARE(full.consumed, std::size_t(req.size()));
}

void tst_RsWebSocketHandshake::serverRejections_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<Error>("error");
    QTest::addColumn<int>("httpStatus");

    QTest::newRow("POST") << request({}, "POST /chat HTTP/1.1") << Error::NotWebSocket << 400;
    QTest::newRow("HTTP/1.0") << request({}, "GET /chat HTTP/1.0") << Error::NotWebSocket << 400;
    QTest::newRow("not HTTP") << QByteArray("\x16\x03\x01\x02\x01\r\n\r\n")
                              << Error::NotWebSocket << 400;
    QTest::newRow("no Upgrade")
            << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
            << Error::NotWebSocket << 400;
    QTest::newRow("version 8")
            << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n")
            << Error::BadHandshake << 426;
    QTest::newRow("no key")
            << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Version: 13\r\n\r\n")
            << Error::BadHandshake << 400;
    QTest::newRow("short key")
            << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: c2hvcnQ=\r\nSec-WebSocket-Version: 13\r\n\r\n")
            << Error::BadHandshake << 400;
    QTest::newRow("no Host")
            << QByteArray("GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
            << Error::BadHandshake << 400;
    QTest::newRow("header line too long")
            << request("X-Long: " + QByteArray(9000, 'a') + "\r\n") << Error::BadHandshake << 431;
    QByteArray many;
    for (int i = 0; i < 120; ++i)
        many += "X-" + QByteArray::number(i) + ": v\r\n";
    QTest::newRow("too many headers") << request(many) << Error::BadHandshake << 431;
}

void tst_RsWebSocketHandshake::serverRejections()
{
    QFETCH(QByteArray, bytes);
    QFETCH(Error, error);
    QFETCH(int, httpStatus);

    Server server(ServerOptions{});
    const auto checked = server.check(view(bytes));
    QCOMPARE(checked.status, Status::Failed);
    QCOMPARE(checked.error, error);
    QCOMPARE(checked.httpStatus, httpStatus);
    QVERIFY(!checked.errorString.empty());

    const auto response = server.reject();
    QVERIFY(!response.accepted);
    QCOMPARE(response.httpStatus, httpStatus);
    const QByteArray out = bytesOf(response.response);
    QVERIFY(out.startsWith(QByteArray("HTTP/1.1 " + QByteArray::number(httpStatus) + ' ')));
    QCOMPARE(out.contains("Sec-WebSocket-Version: 13\r\n"), httpStatus == 426);
    QVERIFY(!server.accept().accepted); // nothing to accept after a failed check
}

void tst_RsWebSocketHandshake::serverApplicationReject()
{
    Server server(ServerOptions{});
    QCOMPARE(server.check(view(request())).status, Status::Complete);
    const auto response = server.reject(403, "go away");
    QVERIFY(!response.accepted);
    QCOMPARE(response.httpStatus, 403);
    QVERIFY(bytesOf(response.response).startsWith("HTTP/1.1 403 "));
}

void tst_RsWebSocketHandshake::serverExtraHeaders()
{
    ServerOptions o;
    o.headers = {{"Server", "RsWebSockets test"}, {"Set-Cookie", "a=b"}};
    Server server(o);
    QCOMPARE(server.check(view(request())).status, Status::Complete);
    const auto response = server.accept();
    QVERIFY(response.accepted);
    QVERIFY(bytesOf(response.response).contains("\r\nServer: RsWebSockets test\r\n"));
    QVERIFY(bytesOf(response.response).contains("\r\nSet-Cookie: a=b\r\n"));

    // Headers the handshake owns cannot be overridden: accepting fails, nothing to write.
    o.headers = {{"Sec-WebSocket-Accept", "forged"}};
    Server forged(o);
    QCOMPARE(forged.check(view(request())).status, Status::Complete);
    const auto refused = forged.accept();
    QVERIFY(!refused.accepted);
    QCOMPARE(refused.error, Error::Failed);
    QVERIFY(refused.response.empty());
    QVERIFY(!refused.errorString.empty());
}

void tst_RsWebSocketHandshake::origins_data()
{
    QTest::addColumn<QByteArrayList>("allowed");
    QTest::addColumn<QByteArray>("originHeader");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("any, with origin") << QByteArrayList() << QByteArray("Origin: http://a.example\r\n")
                                      << true;
    QTest::newRow("any, without origin") << QByteArrayList() << QByteArray() << true;
    QTest::newRow("listed") << QByteArrayList{"http://b.example", "http://a.example"}
                            << QByteArray("Origin: http://a.example\r\n") << true;
    QTest::newRow("not listed") << QByteArrayList{"http://b.example"}
                                << QByteArray("Origin: http://a.example\r\n") << false;
    QTest::newRow("missing when a list is set") << QByteArrayList{"http://b.example"} << QByteArray()
                                                << false;
}

void tst_RsWebSocketHandshake::origins()
{
    QFETCH(QByteArrayList, allowed);
    QFETCH(QByteArray, originHeader);
    QFETCH(bool, accepted);
    ServerOptions o;
    o.allowedOrigins = strings(allowed);
    Server server(o);
    const auto checked = server.check(view(request(originHeader)));
    if (accepted) {
        QCOMPARE(checked.status, Status::Complete);
        QVERIFY(server.accept().accepted);
    } else {
        QCOMPARE(checked.status, Status::Failed);
        QCOMPARE(checked.error, Error::BadOrigin);
        QCOMPARE(checked.httpStatus, 403);
        QCOMPARE(server.reject().httpStatus, 403);
    }
}

void tst_RsWebSocketHandshake::subprotocols_data()
{
    QTest::addColumn<QByteArrayList>("offered");
    QTest::addColumn<QByteArrayList>("supported");
    QTest::addColumn<QByteArray>("chosen");
    QTest::newRow("none offered") << QByteArrayList() << QByteArrayList{"chat"} << QByteArray();
    QTest::newRow("none supported") << QByteArrayList{"chat"} << QByteArrayList() << QByteArray();
    QTest::newRow("common one") << QByteArrayList{"a", "chat"} << QByteArrayList{"chat"}
                                << QByteArray("chat");
    QTest::newRow("no common one") << QByteArrayList{"a"} << QByteArrayList{"b"} << QByteArray();
    QTest::newRow("several in common: one the client offered")
            << QByteArrayList{"v2", "v1"} << QByteArrayList{"v1", "v2"} << QByteArray("*");
}

void tst_RsWebSocketHandshake::subprotocols()
{
    QFETCH(QByteArrayList, offered);
    QFETCH(QByteArrayList, supported);
    QFETCH(QByteArray, chosen);

    ClientOptions co;
    co.url = "ws://localhost/";
    co.protocols = strings(offered);
    Client client(co);
    ServerOptions so;
    so.protocols = strings(supported);
    Server server(so);
    QCOMPARE(server.check(client.request()).status, Status::Complete);
    auto response = server.accept();
    QVERIFY2(response.accepted, response.errorString.c_str());
    const auto verified = client.verify(response.response);
    QCOMPARE(verified.status, Status::Complete);
    QCOMPARE(verified.protocol, response.protocol);
    QCOMPARE(response.negotiation.protocol(), response.protocol);
    if (chosen == "*") {
        QVERIFY(offered.contains(bytesOf(verified.protocol)));
        QVERIFY(supported.contains(bytesOf(verified.protocol)));
    } else {
        QCOMPARE(bytesOf(verified.protocol), chosen);
    }
}

void tst_RsWebSocketHandshake::clientRefusesBadResponses_data()
{
    QTest::addColumn<QByteArray>("response"); // "ACCEPT" is replaced by the right accept key
    QTest::addColumn<Error>("error");
    QTest::addColumn<int>("httpStatus");

    const QByteArray ok = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                          "Connection: Upgrade\r\nSec-WebSocket-Accept: ACCEPT\r\n";
    QTest::newRow("valid") << ok + "\r\n" << Error::NoError << 101;
    QTest::newRow("403") << QByteArray("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                         << Error::NotWebSocket << 403;
    QTest::newRow("200") << QByteArray("HTTP/1.1 200 OK\r\n\r\n") << Error::NotWebSocket << 200;
    QTest::newRow("not http") << QByteArray("SSH-2.0-OpenSSH\r\n\r\n") << Error::NotWebSocket << 0;
    QTest::newRow("wrong accept")
            << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                          "Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n")
            << Error::BadHandshake << 101;
    QTest::newRow("no accept") << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                                             "Connection: Upgrade\r\n\r\n")
                               << Error::BadHandshake << 101;
    QTest::newRow("protocol not offered") << ok + "Sec-WebSocket-Protocol: other\r\n\r\n"
                                          << Error::BadHandshake << 101;
    QTest::newRow("extension not offered") << ok + "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n"
                                           << Error::BadHandshake << 101;
}

void tst_RsWebSocketHandshake::clientRefusesBadResponses()
{
    QFETCH(QByteArray, response);
    QFETCH(Error, error);
    QFETCH(int, httpStatus);

    ClientOptions o;
    o.url = "ws://localhost/";
    o.protocols = {"chat"};
    Client client(o);
    response.replace("ACCEPT", bytesOf(acceptKey(client.key())));
    const auto result = client.verify(view(response));
    QCOMPARE(result.error, error);
    QCOMPARE(result.status, error == Error::NoError ? Status::Complete : Status::Failed);
    if (httpStatus)
        QCOMPARE(result.httpStatus, httpStatus);
    QCOMPARE(result.errorString.empty(), error == Error::NoError);
}

void tst_RsWebSocketHandshake::clientLeftoverBytes()
{
    ClientOptions o;
    o.url = "ws://localhost/";
    Client client(o);
    const QByteArray head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                            "Connection: Upgrade\r\nSec-WebSocket-Accept: "
            + bytesOf(acceptKey(client.key())) + "\r\n\r\n";
    QCOMPARE(client.verify(view(head.left(10))).status, Status::Incomplete);
    const auto result = client.verify(view(head + QByteArray::fromHex("810548656c6c6f")));
    QCOMPARE(result.status, Status::Complete);
    QCOMPARE(result.consumed, std::size_t(head.size()));
    QCOMPARE(result.httpStatus, 101);
    QCOMPARE(headerValue(result.headers, "upgrade"), std::string("websocket"));
}

void tst_RsWebSocketHandshake::deflateNegotiation_data()
{
    QTest::addColumn<bool>("clientOffers");
    QTest::addColumn<bool>("serverSupports");
    QTest::addColumn<bool>("noContextTakeover");
    QTest::addColumn<int>("clientWindowBits");
    QTest::addColumn<QByteArrayList>("expectedParams");
    QTest::newRow("both, defaults") << true << true << false << 0 << QByteArrayList();
    QTest::newRow("client only") << true << false << false << 0 << QByteArrayList();
    QTest::newRow("server only") << false << true << false << 0 << QByteArrayList();
    QTest::newRow("no context takeover")
            << true << true << true << 0
            << QByteArrayList{"client_no_context_takeover", "server_no_context_takeover"};
    QTest::newRow("client window 10") << true << true << false << 10
                                      << QByteArrayList{"client_max_window_bits=10"};
}

void tst_RsWebSocketHandshake::deflateNegotiation()
{
    QFETCH(bool, clientOffers);
    QFETCH(bool, serverSupports);
    QFETCH(bool, noContextTakeover);
    QFETCH(int, clientWindowBits);
    QFETCH(QByteArrayList, expectedParams);

    ClientOptions co;
    co.url = "ws://localhost/";
    if (clientOffers) {
        RsWebSocketDeflateOptions d;
        d.clientNoContextTakeover = d.serverNoContextTakeover = noContextTakeover;
        if (clientWindowBits)
            d.clientMaxWindowBits = clientWindowBits;
        co.extensions.deflate = d;
    }
    Client client(co);
    QVERIFY2(client.isValid(), client.errorString().c_str());
    QCOMPARE(bytesOf(client.request()).contains("Sec-WebSocket-Extensions: permessage-deflate"),
             clientOffers);

    ServerOptions so;
    if (serverSupports)
        so.extensions.deflate = RsWebSocketDeflateOptions{};
    Server server(so);
    const auto checked = server.check(client.request());
    QCOMPARE(checked.status, Status::Complete);
    QCOMPARE(checked.extensionOffers.empty(), !clientOffers);
    auto response = server.accept();
    QVERIFY(response.accepted);
    auto verified = client.verify(response.response);
    QCOMPARE(verified.status, Status::Complete);

    const bool negotiated = clientOffers && serverSupports;
    QCOMPARE(verified.extensions.size(), std::size_t(negotiated ? 1 : 0));
    QCOMPARE(response.extensions.size(), std::size_t(negotiated ? 1 : 0));
    QCOMPARE(verified.negotiation.extensions().size(), std::size_t(negotiated ? 1 : 0));
    if (!negotiated)
        return;
    QCOMPARE(verified.extensions[0].name, std::string("permessage-deflate"));
    QCOMPARE(verified.extensions[0].toString(), response.extensions[0].toString());
    QByteArrayList params;
    for (const auto &p : verified.extensions[0].parameters)
        params << bytesOf(p.value ? p.name + '=' + *p.value : p.name);
    for (const QByteArray &expected : expectedParams)
        QVERIFY2(params.contains(expected), expected.constData());
}

void tst_RsWebSocketHandshake::deflateOffers_data()
{
    QTest::addColumn<bool>("offerClientBits");
    QTest::addColumn<bool>("fallback");
    QTest::addColumn<int>("serverBits");
    QTest::addColumn<QByteArray>("header");
    QTest::newRow("default") << true << false << 0
                             << QByteArray("permessage-deflate; client_max_window_bits");
    QTest::newRow("bare") << false << false << 0 << QByteArray("permessage-deflate");
    QTest::newRow("server window 9") << false << false << 9
                                     << QByteArray("permessage-deflate; server_max_window_bits=9");
    QTest::newRow("with fallback")
            << true << true << 9
            << QByteArray("permessage-deflate; server_max_window_bits=9; client_max_window_bits, "
                          "permessage-deflate; client_max_window_bits");
}

void tst_RsWebSocketHandshake::deflateOffers()
{
    QFETCH(bool, offerClientBits);
    QFETCH(bool, fallback);
    QFETCH(int, serverBits);
    QFETCH(QByteArray, header);
    RsWebSocketDeflateOptions d;
    d.offerClientMaxWindowBits = offerClientBits;
    d.fallbackOffer = fallback;
    if (serverBits)
        d.serverMaxWindowBits = serverBits;
    ClientOptions o;
    o.url = "ws://localhost/";
    o.extensions.deflate = d;
    Client client(o);
    QVERIFY2(client.isValid(), client.errorString().c_str());
    const QByteArray line = QByteArray("\r\nSec-WebSocket-Extensions: ") + header + "\r\n";
    QVERIFY2(bytesOf(client.request()).contains(line), client.request().c_str());

    // A server limited to what the fallback asks still negotiates compression.
    Server server(ServerOptions{{}, {}, {}, {RsWebSocketDeflateOptions{}}});
    QCOMPARE(server.check(client.request()).status, Status::Complete);
    auto response = server.accept();
    QVERIFY(response.accepted);
    QCOMPARE(response.extensions.size(), std::size_t(1));
    QCOMPARE(client.verify(response.response).status, Status::Complete);
}

void tst_RsWebSocketHandshake::extensionToString()
{
    RsWebSocketExtension e;
    e.name = "permessage-deflate";
    QCOMPARE(e.toString(), std::string("permessage-deflate"));
    e.parameters.push_back({"client_max_window_bits", std::string("10")});
    e.parameters.push_back({"server_no_context_takeover", std::nullopt});
    QCOMPARE(e.toString(),
             std::string("permessage-deflate; client_max_window_bits=10; server_no_context_takeover"));
}

// Bytes that are not UTF-8 in any std::string given to the helpers: a clear failure or a
// usable request, never an exception.
void tst_RsWebSocketHandshake::notUtf8Inputs()
{
    ClientOptions o;
    o.url = "ws://example.com/\xff";
    Client resource(o);
    QVERIFY(resource.isValid()); // percent-encoded in the request line
    QVERIFY(bytesOf(resource.request()).startsWith("GET /%EF%BF%BD HTTP/1.1") ||
            bytesOf(resource.request()).startsWith("GET /%FF HTTP/1.1"));

    o.url = "ws://example.com/";
    o.protocols = {"ch\xe9" "at"};
    Client protocol(o);
    QVERIFY(!protocol.isValid());
    QCOMPARE(protocol.error(), Error::Failed);

    o.protocols.clear();
    o.headers = {{"X-Bad\xff", "v"}};
    Client header(o);
    QVERIFY(!header.isValid());

    ServerOptions so;
    so.allowedOrigins = {"http://\xff"};
    Server server(so);
    const auto checked = server.check(view(request("Origin: http://\xff\r\n")));
    QVERIFY(checked.status != Status::Incomplete);
    QCOMPARE(acceptKey("\xff\xfe").size(), std::size_t(28));
}

void tst_RsWebSocketHandshake::invalidDeflateOptions_data()
{
    QTest::addColumn<int>("which"); // 0 client bits, 1 server bits, 2 level, 3 memory, 4 local window
    QTest::addColumn<int>("value");
    QTest::addColumn<bool>("valid");
    QTest::newRow("client window 7") << 0 << 7 << false;
    QTest::newRow("client window 8") << 0 << 8 << true;
    QTest::newRow("server window 16") << 1 << 16 << false;
    QTest::newRow("level 10") << 2 << 10 << false;
    QTest::newRow("level 0") << 2 << 0 << true;
    QTest::newRow("memory level 10") << 3 << 10 << false;
    QTest::newRow("memory level 1") << 3 << 1 << true;
    QTest::newRow("local window 15") << 4 << 15 << true;
    QTest::newRow("local window 20") << 4 << 20 << false;
}

// Out-of-range deflate settings are a Failed client (or server), never a crash.
void tst_RsWebSocketHandshake::invalidDeflateOptions()
{
    QFETCH(int, which);
    QFETCH(int, value);
    QFETCH(bool, valid);
    RsWebSocketDeflateOptions d;
    switch (which) {
    case 0: d.clientMaxWindowBits = value; break;
    case 1: d.serverMaxWindowBits = value; break;
    case 2: d.compressionLevel = value; break;
    case 3: d.memoryLevel = value; break;
    default: d.compressionWindowBits = value; break;
    }
    ClientOptions co;
    co.url = "ws://localhost/";
    co.extensions.deflate = d;
    Client client(co);
    QCOMPARE(client.isValid(), valid);
    if (!valid)
        QCOMPARE(client.error(), Error::Failed);

    ServerOptions so;
    so.extensions.deflate = d;
    Server server(so);
    ClientOptions plain;
    plain.url = "ws://localhost/";
    plain.extensions.deflate = RsWebSocketDeflateOptions{};
    const auto checked = server.check(Client(plain).request());
    QCOMPARE(checked.status, valid ? Status::Complete : Status::Failed);
}

QTEST_APPLESS_MAIN(tst_RsWebSocketHandshake)

#include "tst_rswebsockethandshake.moc"
