// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// RsWebSocketHandshake against hostile requests (limits, keys, versions, methods, smuggling
// shapes, bad extension offers, origins, random bytes) and responses (what the client did not
// offer, bad status, unusable options). Every verdict is a value; nothing throws.

#include <RsWebSockets/RsWebSocketHandshake>

#include "tst_rswebsocketadversarial.h"

#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace Handshake = RsWebSocketHandshake;
using Adversarial::check;

std::string request(std::string_view extra = {}, std::string_view version = "13")
{
    std::string r = "GET /chat HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     "Sec-WebSocket-Version: ";
    r += version;
    r += "\r\n";
    r += extra;
    r += "\r\n";
    return r;
}

// The verdict on `bytes`, fed whole and as a growing buffer one byte at a time.
Handshake::ServerRequest serverCheck(const Handshake::ServerOptions &options,
                                     const std::string &bytes, const std::string &what)
{
    Handshake::Server whole(options);
    Handshake::ServerRequest r = whole.check(bytes);
    Handshake::Server growing(options);
    Handshake::ServerRequest g;
    for (std::size_t n = 1; n <= bytes.size(); ++n) {
        g = growing.check(std::string_view(bytes).substr(0, n));
        if (g.status != Handshake::Status::Incomplete)
            break;
    }
    check(g.status == r.status && g.httpStatus == r.httpStatus && g.error == r.error,
          what + ": the same verdict byte by byte");
    return r;
}

} // namespace

void Adversarial::testHostileRequests()
{
    Handshake::ServerOptions any;
    struct Case
    {
        std::string what;
        std::string bytes;
        int status;
        Handshake::Error error;
    };
    const std::vector<Case> cases = {
        {"long line", request("X-Long: " + std::string(9000, 'a') + "\r\n"), 431,
         Handshake::Error::BadHandshake},
        {"no key", request().replace(request().find("Sec-WebSocket-Key"), 45, ""), 400,
         Handshake::Error::BadHandshake},
        {"short key", request("", "13").replace(request().find("Q=="), 3, "=="), 400,
         Handshake::Error::BadHandshake},
        {"two keys", request("Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n"), 400,
         Handshake::Error::BadHandshake},
        {"version 8", request({}, "8"), 426, Handshake::Error::BadHandshake},
        {"POST", "POST" + request().substr(3), 400, Handshake::Error::NotWebSocket},
        {"HTTP/1.0", request().replace(request().find("1.1"), 3, "1.0"), 400,
         Handshake::Error::NotWebSocket},
        {"obs-fold", request("X-A: a\r\n folded\r\n"), 400, Handshake::Error::NotWebSocket},
        {"NUL in a value", request(std::string_view("X-A: a\0b\r\n", 10)), 400,
         Handshake::Error::NotWebSocket},
        {"request body", request("Content-Length: 5\r\n") + "hello", 400,
         Handshake::Error::NotWebSocket},
        {"chunked body", request("Transfer-Encoding: chunked\r\n"), 400,
         Handshake::Error::NotWebSocket},
        {"bad extension header", request("Sec-WebSocket-Extensions: permessage-deflate;;\r\n"), 400,
         Handshake::Error::BadHandshake},
    };
    for (const Case &c : cases) {
        const auto r = serverCheck(any, c.bytes, c.what);
        check(r.status == Handshake::Status::Failed, c.what + ": refused");
        check(r.httpStatus == c.status, c.what + ": status " + std::to_string(r.httpStatus));
        check(r.error == c.error, c.what + ": error kind");
        check(!r.errorString.empty(), c.what + ": error string");
        Handshake::Server s(any);
        s.check(c.bytes);
        const auto response = s.reject();
        check(!response.accepted && response.response.rfind("HTTP/1.1 " + std::to_string(c.status), 0) == 0,
              c.what + ": rejection response");
        if (c.status == 426)
            check(response.response.find("Sec-WebSocket-Version: 13\r\n") != std::string::npos,
                  c.what + ": 426 names version 13");
    }
    // Origin policy.
    Handshake::ServerOptions strict;
    strict.allowedOrigins = {"https://good.example"};
    const auto r = serverCheck(strict, request("Origin: https://evil.example\r\n"), "origin");
    check(r.httpStatus == 403 && r.error == Handshake::Error::BadOrigin, "a bad Origin is 403");
    // Malformed deflate offers are declined, not failed.
    Handshake::ServerOptions deflate;
    deflate.extensions.deflate = RsWebSocketDeflateOptions{};
    for (const char *offer : {"permessage-deflate; server_max_window_bits=16",
                              "permessage-deflate; x-unknown",
                              "permessage-deflate; client_no_context_takeover; client_no_context_takeover"}) {
        Handshake::Server s(deflate);
        const auto req = s.check(request(std::string("Sec-WebSocket-Extensions: ") + offer + "\r\n"));
        check(req.status == Handshake::Status::Complete, std::string(offer) + ": request accepted");
        const auto resp = s.accept();
        check(resp.accepted && resp.extensions.empty(), std::string(offer) + ": offer declined");
    }
    // Extra response headers from the application cannot inject lines or replace the
    // handshake's own.
    for (const Handshake::Header &bad : std::vector<Handshake::Header>{
                 {"X-Evil", "a\r\nInjected: yes"}, {"Bad Name", "v"}, {"Sec-WebSocket-Accept", "x"},
                 {"Content-Length", "5"}}) {
        Handshake::ServerOptions withHeader;
        withHeader.headers = {bad};
        Handshake::Server s(withHeader);
        check(s.check(request()).status == Handshake::Status::Complete, bad.first + ": request ok");
        const auto resp = s.accept();
        check(!resp.accepted && resp.response.find("Injected") == std::string::npos
                  && !resp.errorString.empty(),
              bad.first + ": refused, not sent");
    }
    // A reason with CRLF goes in the body (counted by Content-Length), never in the head;
    // statuses that are not errors are refused.
    for (int status : {0, 99, 101, 200, 399, 403, 426, 599, 600, -1}) {
        Handshake::Server s(any);
        s.check(request({}, "8"));
        const auto resp = s.reject(status, "no\r\nInjected: yes");
        const std::string head = resp.response.substr(0, resp.response.find("\r\n\r\n"));
        const std::string what = "reject(" + std::to_string(status) + ") with CRLF in the reason";
        check(!resp.accepted && head.find("Injected") == std::string::npos, what);
        const bool valid = status == 0 || (status >= 400 && status <= 599);
        check(valid == !resp.response.empty(), what + ": answered only with an error status");
    }
    // Random bytes never complete a handshake and never throw.
    std::mt19937 rng(7);
    for (int i = 0; i < 300; ++i) {
        std::string junk(rng() % 400, '\0');
        for (auto &b : junk)
            b = char(rng());
        if (i % 3 == 0)
            junk = request().substr(0, rng() % request().size()) + junk;
        const auto v = serverCheck(any, junk + "\r\n\r\n", "random request " + std::to_string(i));
        check(v.status != Handshake::Status::Complete || v.key == "dGhlIHNhbXBsZSBub25jZQ==",
              "random request " + std::to_string(i) + " accepted");
    }
}

void Adversarial::testHostileResponses()
{
    Handshake::ClientOptions options;
    options.url = "ws://example.com/chat";
    options.protocols = {"chat"};
    options.extensions.deflate = RsWebSocketDeflateOptions{};
    struct Case
    {
        std::string what;
        std::string extra;
        Handshake::Error error;
    };
    const std::vector<Case> cases = {
        {"extension not offered", "Sec-WebSocket-Extensions: x-webkit-deflate-frame\r\n",
         Handshake::Error::BadHandshake},
        {"deflate parameter not allowed", "Sec-WebSocket-Extensions: permessage-deflate; x=1\r\n",
         Handshake::Error::BadHandshake},
        {"deflate twice", "Sec-WebSocket-Extensions: permessage-deflate, permessage-deflate\r\n",
         Handshake::Error::BadHandshake},
        {"protocol not offered", "Sec-WebSocket-Protocol: superchat\r\n",
         Handshake::Error::BadHandshake},
        {"two accepts", "Sec-WebSocket-Accept: x\r\n", Handshake::Error::BadHandshake},
    };
    for (const Case &c : cases) {
        Handshake::Client client(options);
        check(client.isValid(), c.what + ": client valid");
        const std::string response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                                     "Connection: Upgrade\r\nSec-WebSocket-Accept: "
                                     + Handshake::acceptKey(client.key()) + "\r\n" + c.extra + "\r\n";
        const auto r = client.verify(response);
        check(r.status == Handshake::Status::Failed, c.what + ": refused");
        check(r.error == c.error, c.what + ": error kind");
        check(r.httpStatus == 101, c.what + ": status line read");
        check(!r.errorString.empty(), c.what + ": error string");
    }
    {
        Handshake::Client client(options);
        const auto r = client.verify(std::string_view("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        check(r.status == Handshake::Status::Failed && r.error == Handshake::Error::NotWebSocket
                  && r.httpStatus == 200,
              "200 is not a WebSocket");
    }
    // Unusable options: errors, not exceptions.
    for (const char *url : {"", "http://", "ws://", "ws://host:99999/", "ws://ho st/", "ws://\xff/"}) {
        Handshake::ClientOptions bad = options;
        bad.url = url;
        Handshake::Client client(bad);
        check(!client.isValid() && !client.errorString().empty(),
              std::string("url \"") + url + "\" refused");
        const auto r = client.verify(std::string_view("HTTP/1.1 101 x\r\n\r\n"));
        check(r.status == Handshake::Status::Failed, std::string("url \"") + url + "\": verify fails");
    }
    Handshake::ClientOptions injected = options;
    injected.headers = {{"X-Evil", "a\r\nInjected: yes"}};
    check(!Handshake::Client(injected).isValid(), "CRLF in a header value refused");
    injected.headers = {{"Bad Name", "v"}};
    check(!Handshake::Client(injected).isValid(), "a header name that is not a token refused");
    Handshake::ClientOptions badProtocol = options;
    badProtocol.protocols = {"two words"};
    check(!Handshake::Client(badProtocol).isValid(), "a protocol that is not a token refused");
    // Random responses never throw.
    std::mt19937 rng(11);
    for (int i = 0; i < 300; ++i) {
        Handshake::Client client(options);
        std::string junk(rng() % 300, '\0');
        for (auto &b : junk)
            b = char(rng());
        const auto r = client.verify(junk + "\r\n\r\n");
        check(r.status != Handshake::Status::Complete, "random response " + std::to_string(i));
    }
}
