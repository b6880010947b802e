// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// RsWebSockets::Core without Qt, against hostile input: RsWebSocketConnection fed bad frames
// (each with its close code), random and mutated byte streams cut anywhere and read directly
// (same events as whole), deflate bombs, misuse of every command; RsWebSocketHandshake fed
// hostile requests and responses (tst_rswebsocketadversarial_handshake.cpp). Nothing may
// throw, abort or hang; failures come back as values. Exits non-zero on failure.

#include <RsWebSockets/RsWebSocketConnection>
#include <RsWebSockets/RsWebSocketHandshake>

#include "tst_rswebsocketadversarial.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <exception>
#include <iostream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#if defined(QT_VERSION) || defined(QT_CORE_LIB) || defined(RSWEBSOCKETS_QT_LIB)
#  error "the Core test must build without Qt"
#endif

namespace {

using Connection = RsWebSocketConnection;
using Role = RsWebSocketConnection::Role;
using EventType = RsWebSocketConnection::EventType;
namespace Handshake = RsWebSocketHandshake;

int g_checks = 0;
int g_failures = 0;

using Adversarial::check;

const std::uint8_t kKey[4] = {0x37, 0xfa, 0x21, 0x3d};

// One frame as the peer of `receiver` sends it (masked towards a server).
std::string frame(Role receiver, std::uint8_t first, std::string_view payload,
                  std::uint64_t claimedLength = UINT64_MAX)
{
    const std::uint64_t n = claimedLength == UINT64_MAX ? payload.size() : claimedLength;
    const bool masked = receiver == Role::Server;
    std::string out;
    out.push_back(char(first));
    const std::uint8_t maskBit = masked ? 0x80 : 0;
    if (n < 126) {
        out.push_back(char(maskBit | n));
    } else if (n <= 0xFFFF) {
        out.push_back(char(maskBit | 126));
        out.push_back(char(n >> 8));
        out.push_back(char(n & 0xFF));
    } else {
        out.push_back(char(maskBit | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            out.push_back(char((n >> shift) & 0xFF));
    }
    if (masked)
        out.append(reinterpret_cast<const char *>(kKey), 4);
    for (std::size_t i = 0; i < payload.size(); ++i)
        out.push_back(char(std::uint8_t(payload[i]) ^ (masked ? kKey[i % 4] : 0)));
    return out;
}

std::string closePayload(int code, std::string_view reason)
{
    std::string p;
    p.push_back(char((code >> 8) & 0xFF));
    p.push_back(char(code & 0xFF));
    p.append(reason);
    return p;
}

const char *roleName(Role role)
{
    return role == Role::Server ? "server" : "client";
}

struct Outcome
{
    std::vector<Connection::Event> events;
    std::string outgoing;
    int closeCode = 0;

    bool operator==(const Outcome &o) const
    {
        if (events.size() != o.events.size() || outgoing != o.outgoing || closeCode != o.closeCode)
            return false;
        for (std::size_t i = 0; i < events.size(); ++i) {
            const auto &a = events[i];
            const auto &b = o.events[i];
            if (a.type != b.type || a.data != b.data || a.isLast != b.isLast
                || a.closeCode != b.closeCode)
                return false;
        }
        return true;
    }
};

void drain(Connection &c, Outcome &o)
{
    while (auto e = c.nextEvent())
        o.events.push_back(*e);
}

// Ends a run: EOF, the last events, and the invariants every run must keep.
Outcome finish(Connection &c, Outcome o, const std::string &what)
{
    drain(c, o);
    c.receiveEof();
    drain(c, o);
    o.outgoing = c.takeOutgoing();
    o.closeCode = c.closeCode();
    int closes = 0;
    for (const auto &e : o.events) {
        if (e.type == EventType::Close)
            ++closes;
        if (e.type == EventType::Error) {
            const int code = e.closeCode;
            check(code == 1002 || code == 1007 || code == 1009 || code == 1010,
                  what + ": failure code " + std::to_string(code));
        }
    }
    check(closes == 1, what + ": exactly one Close event");
    check(!o.events.empty() && o.events.back().type == EventType::Close,
          what + ": Close is the last event");
    return o;
}

Connection makeConnection(Role role, const RsWebSocketConnectionOptions &options = {})
{
    RsWebSocketConnectionOptions o = options;
    o.fixedMaskingKey = 0x01020304u;
    return Connection(role, o);
}

Outcome runWhole(Role role, const std::string &bytes, const RsWebSocketConnectionOptions &options)
{
    Connection c = makeConnection(role, options);
    c.receiveData(bytes);
    return finish(c, {}, "whole");
}

Outcome runCut(Role role, const std::string &bytes, const RsWebSocketConnectionOptions &options,
               std::mt19937 &rng)
{
    Connection c = makeConnection(role, options);
    Outcome o;
    std::size_t at = 0;
    while (at < bytes.size()) {
        const std::size_t n = std::min<std::size_t>(bytes.size() - at, 1 + rng() % 64);
        c.receiveData(std::string_view(bytes).substr(at, n));
        drain(c, o);
        at += n;
    }
    return finish(c, o, "cut");
}

Outcome runUntilEvent(Role role, const std::string &bytes,
                      const RsWebSocketConnectionOptions &options)
{
    Connection c = makeConnection(role, options);
    Outcome o;
    std::string_view rest(bytes);
    int guard = 0;
    while (!rest.empty() && ++guard < 1000000) {
        const std::size_t used = c.receiveDataUntilEvent(rest);
        drain(c, o);
        rest.remove_prefix(used);
    }
    check(rest.empty(), "receiveDataUntilEvent makes progress");
    return finish(c, o, "until event");
}

// Like a driver that reads large frame payloads straight into the message buffer
// (inputBuffer / commitInput) and the rest through receiveDataUntilEvent.
Outcome runDirect(Role role, const std::string &bytes, const RsWebSocketConnectionOptions &options,
                  std::mt19937 &rng)
{
    Connection c = makeConnection(role, options);
    Outcome o;
    std::string_view rest(bytes);
    int guard = 0;
    while (!rest.empty() && ++guard < 1000000) {
        std::uint8_t *space = nullptr;
        const std::size_t room = c.inputBuffer(&space);
        if (room > 0) {
            const std::size_t n = std::min({room, rest.size(), std::size_t(1 + rng() % 20000)});
            std::memcpy(space, rest.data(), n);
            check(c.commitInput(n), "commitInput accepts what inputBuffer lent");
            rest.remove_prefix(n);
        } else {
            const std::size_t piece = std::min<std::size_t>(rest.size(), 1 + rng() % 4096);
            rest.remove_prefix(c.receiveDataUntilEvent(rest.substr(0, piece)));
        }
        drain(c, o);
    }
    check(rest.empty(), "direct input makes progress");
    return finish(c, o, "direct");
}

// The opcode of the first frame in `out` (-1 if none).
int lastFrameOpcode(const std::string &out)
{
    return out.empty() ? -1 : (std::uint8_t(out[0]) & 0x0F);
}

// The first Error event, if any.
const Connection::Event *failure(const Outcome &o)
{
    for (const auto &e : o.events) {
        if (e.type == EventType::Error)
            return &e;
    }
    return nullptr;
}

// The close code of the last Close frame in `out`.
int lastCloseSent(const std::string &out)
{
    int code = -1;
    std::size_t at = 0;
    while (at + 2 <= out.size()) {
        const std::uint8_t b0 = std::uint8_t(out[at]);
        const std::uint8_t b1 = std::uint8_t(out[at + 1]);
        std::uint64_t n = b1 & 0x7F;
        std::size_t pos = at + 2;
        if (n == 126) {
            n = (std::uint64_t(std::uint8_t(out[pos])) << 8) | std::uint8_t(out[pos + 1]);
            pos += 2;
        } else if (n == 127) {
            n = 0;
            for (int i = 0; i < 8; ++i)
                n = (n << 8) | std::uint8_t(out[pos + i]);
            pos += 8;
        }
        std::uint8_t key[4] = {0, 0, 0, 0};
        if (b1 & 0x80) {
            for (int i = 0; i < 4; ++i)
                key[i] = std::uint8_t(out[pos + i]);
            pos += 4;
        }
        if ((b0 & 0x0F) == 0x8 && n >= 2) {
            const int hi = std::uint8_t(out[pos]) ^ key[0];
            const int lo = std::uint8_t(out[pos + 1]) ^ key[1];
            code = (hi << 8) | lo;
        }
        at = pos + std::size_t(n);
    }
    return code;
}

void testBadFramesGetTheirCloseCodes()
{
    struct Case
    {
        const char *what;
        int code;
        std::string (*bytes)(Role);
    };
    const Case cases[] = {
        {"reserved opcode 3", 1002, [](Role r) { return frame(r, 0x83, "x"); }},
        {"reserved opcode 0xB", 1002, [](Role r) { return frame(r, 0x8B, ""); }},
        {"RSV1 without extension", 1002, [](Role r) { return frame(r, 0xC1, "x"); }},
        {"RSV3 without extension", 1002, [](Role r) { return frame(r, 0x91, "x"); }},
        {"continuation without a message", 1002, [](Role r) { return frame(r, 0x80, "x"); }},
        {"new message inside a fragmented one", 1002,
         [](Role r) { return frame(r, 0x01, "a") + frame(r, 0x81, "b"); }},
        {"fragmented ping", 1002, [](Role r) { return frame(r, 0x09, "x"); }},
        {"ping of 126 bytes", 1002, [](Role r) { return frame(r, 0x89, std::string(126, 'p')); }},
        {"close of one byte", 1002, [](Role r) { return frame(r, 0x88, "\x03"); }},
        {"close code 1005", 1002, [](Role r) { return frame(r, 0x88, closePayload(1005, "")); }},
        {"close code 999", 1002, [](Role r) { return frame(r, 0x88, closePayload(999, "")); }},
        {"close code 1016", 1002, [](Role r) { return frame(r, 0x88, closePayload(1016, "")); }},
        {"close code 2999", 1002, [](Role r) { return frame(r, 0x88, closePayload(2999, "")); }},
        {"close code 5000", 1002, [](Role r) { return frame(r, 0x88, closePayload(5000, "")); }},
        {"length with the top bit set", 1002,
         [](Role r) { return frame(r, 0x82, "", std::uint64_t(1) << 63); }},
        {"invalid UTF-8 text", 1007, [](Role r) { return frame(r, 0x81, "abc\xed\xa0\x80"); }},
        {"invalid UTF-8 across fragments", 1007,
         [](Role r) { return frame(r, 0x01, "\xf0\x9f") + frame(r, 0x80, "\x28"); }},
        {"truncated code point at the end", 1007, [](Role r) { return frame(r, 0x81, "\xe2\x82"); }},
        {"invalid UTF-8 close reason", 1007,
         [](Role r) { return frame(r, 0x88, closePayload(1000, "\xff")); }},
        {"frame over the limit", 1009,
         [](Role r) { return frame(r, 0x82, "", std::uint64_t(1) << 40); }},
        {"fragments over the message limit", 1009,
         [](Role r) {
             std::string s = frame(r, 0x02, std::string(60000, 'a'));
             for (int i = 0; i < 4; ++i)
                 s += frame(r, 0x00, std::string(60000, 'a'));
             return s;
         }},
    };
    RsWebSocketConnectionOptions options;
    options.maxIncomingPayloadSize = 100000;
    options.maxMessageSize = 200000;
    for (Role role : {Role::Server, Role::Client}) {
        for (const Case &c : cases) {
            const std::string what = std::string(roleName(role)) + ": " + c.what;
            const Outcome o = runWhole(role, c.bytes(role), options);
            const auto *err = failure(o);
            check(err != nullptr, what + ": an Error event");
            if (err) {
                check(err->closeCode == c.code, what + ": code " + std::to_string(err->closeCode));
                check(!err->data.empty(), what + ": the error has a message");
            }
            check(lastCloseSent(o.outgoing) == c.code,
                  what + ": sent Close " + std::to_string(lastCloseSent(o.outgoing)));
        }
        // The wrong mask direction.
        const std::string wrong = role == Role::Server ? frame(Role::Client, 0x81, "hi")
                                                       : frame(Role::Server, 0x81, "hi");
        const auto *err = failure(runWhole(role, wrong, {}));
        check(err && err->closeCode == 1002, std::string(roleName(role)) + ": wrong masking is 1002");
    }
}

std::string randomValidStream(Role receiver, std::mt19937 &rng)
{
    std::string s;
    const int count = 1 + int(rng() % 6);
    for (int i = 0; i < count; ++i) {
        switch (rng() % 6) {
        case 0:
            s += frame(receiver, 0x81, "κόσμε text");
            break;
        case 1:
            s += frame(receiver, 0x82, std::string(rng() % 300, char(rng())));
            break;
        case 2:
            s += frame(receiver, 0x01, "\xe2\x82") + frame(receiver, 0x89, "p")
                 + frame(receiver, 0x80, "\xac");
            break;
        case 3:
            s += frame(receiver, 0x8A, std::string(rng() % 126, 'o'));
            break;
        case 4:
            // Big enough for direct input, split in two fragments around a Ping.
            s += frame(receiver, 0x02, std::string(20000 + rng() % 20000, char(rng())))
                 + frame(receiver, 0x89, "") + frame(receiver, 0x80, std::string(30000, 'z'));
            break;
        default:
            s += frame(receiver, 0x89, "");
            break;
        }
    }
    if (rng() % 4 == 0)
        s += frame(receiver, 0x88, closePayload(1000, "bye"));
    return s;
}

void testRandomStreamsCutAnywhere()
{
    std::mt19937 rng(20260121);
    int failures = 0;
    for (int round = 0; round < 600; ++round) {
        for (Role role : {Role::Server, Role::Client}) {
            std::string bytes = randomValidStream(role, rng);
            // Mutate most of them; some stay valid.
            const int kind = int(rng() % 4);
            if (kind == 0) {
                for (auto &b : bytes)
                    b = char(rng());
            } else if (kind != 3 && !bytes.empty()) {
                for (int m = 0; m < 1 + int(rng() % 3); ++m)
                    bytes[rng() % bytes.size()] ^= char(1 << (rng() % 8));
            }
            RsWebSocketConnectionOptions options;
            options.deliverFragments = rng() % 2 == 0;
            if (rng() % 3 == 0) {
                options.maxIncomingPayloadSize = 100;
                options.maxMessageSize = 200;
            }
            const std::string what = std::string(roleName(role)) + " round " + std::to_string(round);
            const Outcome whole = runWhole(role, bytes, options);
            check(runCut(role, bytes, options, rng) == whole, what + ": cut differs");
            check(runUntilEvent(role, bytes, options) == whole, what + ": until-event differs");
            check(runDirect(role, bytes, options, rng) == whole, what + ": direct input differs");
            if (kind == 3 && options.maxMessageSize > 200)
                check(failure(whole) == nullptr, what + ": a valid stream fails");
            if (failure(whole))
                ++failures;
        }
    }
    check(failures > 300, "the mutations reach the checks (" + std::to_string(failures) + ")");
}

void testMisuseIsRefusedNotThrown()
{
    for (Role role : {Role::Server, Role::Client}) {
        const std::string who = roleName(role);
        Connection c = makeConnection(role);
        check(!c.sendText("bad \xff text"), who + ": sendText refuses invalid UTF-8");
        check(!c.errorString().empty(), who + ": ... and says why");
        check(c.outgoingSize() == 0, who + ": ... and sends nothing");
        check(!c.sendMessage(Connection::MessageType::Text, "\xc0\xaf", 2),
              who + ": sendMessage(Text) refuses an overlong sequence");
        check(!c.ping(std::string(126, 'x')), who + ": ping of 126 bytes refused");
        check(!c.pong(std::string(200, 'x')), who + ": pong of 200 bytes refused");
        check(!c.continueMessage("x", 1), who + ": continueMessage without beginMessage");
        check(!c.finishMessage("x", 1), who + ": finishMessage without beginMessage");
        for (int code : {-1, 0, 999, 1004, 1005, 1006, 1015, 2999, 5000, 65536, 70000, 1 << 30})
            check(!c.close(code), who + ": close(" + std::to_string(code) + ") refused");
        check(!c.close(1000, std::string(124, 'r')), who + ": a 124-byte reason is refused");
        check(!c.close(1000, "\xff"), who + ": a reason that is not UTF-8 is refused");
        check(c.state() == Connection::State::Open, who + ": still open after refusals");
        check(!c.commitInput(1), who + ": commitInput without inputBuffer");
        std::uint8_t *space = nullptr;
        const std::size_t size = c.inputBuffer(&space);
        if (size > 0)
            check(!c.commitInput(size + 1), who + ": commitInput past the lent space");
        {
            // Space lent inside a big frame, then another call before commitInput: refused.
            Connection big = makeConnection(role);
            const std::string payload(100000, 'b');
            const std::string wire = frame(role, 0x82, payload);
            big.receiveData(std::string_view(wire).substr(0, 20000));
            std::uint8_t *lent = nullptr;
            const std::size_t room = big.inputBuffer(&lent);
            check(room > 0 && lent != nullptr, who + ": direct input offered in a big frame");
            big.receiveData(std::string_view(wire).substr(20000, 10));
            check(!big.commitInput(1), who + ": commitInput after another call is refused");
            big.receiveData(std::string_view(wire).substr(20010));
            Outcome o;
            drain(big, o);
            check(!o.events.empty() && o.events.front().type == EventType::Binary
                      && o.events.front().data == payload,
                  who + ": the message is intact after the refused commit");
        }
        c.consumeOutgoing(std::size_t(-1));
        c.receiveData(nullptr, 0);
        c.receiveData(std::string_view());
        check(c.sendText("fine"), who + ": still usable");
        check(c.close(4000, "app"), who + ": close(4000)");
        check(!c.sendText("after close"), who + ": nothing is sent after Close");
        check(!c.close(1000), who + ": a second close is refused");
        // Clocks at the ends of their range: no overflow, the keepalive runs its course (a
        // Ping, then 1011 when no Pong comes).
        {
            RsWebSocketConnectionOptions keepalive;
            keepalive.keepaliveInterval = std::chrono::milliseconds(1000);
            Connection k = makeConnection(role, keepalive);
            k.handleTimeout(std::chrono::steady_clock::time_point::min());
            check(k.state() == Connection::State::Open, who + ": a clock before the start");
            const auto end = std::chrono::steady_clock::time_point::max();
            k.handleTimeout(end);
            check(lastFrameOpcode(k.takeOutgoing()) == 0x9, who + ": a keepalive Ping at the end of time");
            // The Pong deadline is past the end of the clock: it is reported as the end, not as
            // a time that wrapped around into the past (which would make a driver spin).
            const auto next = k.nextTimeout();
            check(!next || *next >= std::chrono::steady_clock::now(),
                  who + ": the next deadline is not in the past");
            Outcome o;
            drain(k, o);
            check(failure(o) == nullptr, who + ": no failure before the Pong deadline");
            RsWebSocketConnectionOptions negative;
            negative.keepaliveInterval = std::chrono::milliseconds(-5);
            negative.closeTimeout = std::chrono::milliseconds(-5);
            Connection n = makeConnection(role, negative);
            check(!n.nextTimeout().has_value(), who + ": negative intervals are off");
        }
        // fail() with codes that may not be sent: no Close with them, no crash.
        for (int code : {-5, 0, 1005, 1006, 1015, 3000, 99999}) {
            Connection f = makeConnection(role);
            f.fail(code, "\xff\xfe not UTF-8");
            const int sent = lastCloseSent(f.takeOutgoing());
            check(sent != 1005 && sent != 1006 && sent != 1015 && sent != 0 && sent != 99999,
                  who + ": fail(" + std::to_string(code) + ") sent " + std::to_string(sent));
            Outcome o;
            drain(f, o);
            check(failure(o) != nullptr, who + ": fail reports an Error event");
        }
    }
}

// A negotiated pair of handshakes with permessage-deflate.
bool negotiateDeflate(Handshake::Negotiation &client, Handshake::Negotiation &server)
{
    Handshake::ClientOptions co;
    co.url = "ws://localhost/x";
    co.extensions.deflate = RsWebSocketDeflateOptions{};
    Handshake::Client hc(co);
    Handshake::ServerOptions so;
    so.extensions.deflate = RsWebSocketDeflateOptions{};
    Handshake::Server hs(so);
    if (hs.check(hc.request()).status != Handshake::Status::Complete)
        return false;
    Handshake::ServerResponse response = hs.accept();
    Handshake::ClientResult result = hc.verify(response.response);
    if (result.status != Handshake::Status::Complete || result.extensions.size() != 1)
        return false;
    client = std::move(result.negotiation);
    server = std::move(response.negotiation);
    return true;
}

void testDeflateBombAndCorruptData()
{
    for (Role role : {Role::Server, Role::Client}) {
        const std::string who = roleName(role);
        Handshake::Negotiation cn, sn;
        check(negotiateDeflate(cn, sn), who + ": deflate negotiated");
        Handshake::Negotiation pcn, psn;
        check(negotiateDeflate(pcn, psn), who + ": deflate negotiated (peer)");
        RsWebSocketConnectionOptions limits;
        limits.maxMessageSize = 1 << 20;
        limits.fixedMaskingKey = 0x11223344u;
        RsWebSocketConnectionOptions big;
        big.outgoingFrameSize = 0;
        big.fixedMaskingKey = 0x11223344u;
        const Role peerRole = role == Role::Server ? Role::Client : Role::Server;
        Connection peer(peerRole, big, role == Role::Server ? std::move(pcn) : std::move(psn));
        Connection c(role, limits, role == Role::Server ? std::move(sn) : std::move(cn));
        // 32 MiB of zeros compress to a few dozen KiB: inflating stops at the limit (1009).
        const std::string zeros(32u << 20, '\0');
        check(peer.sendBinary(zeros), who + ": the peer compresses the bomb");
        const std::string bomb = peer.takeOutgoing();
        check(bomb.size() < (64u << 10), who + ": bomb size " + std::to_string(bomb.size()));
        c.receiveData(bomb);
        Outcome o;
        drain(c, o);
        const auto *err = failure(o);
        check(err && err->closeCode == 1009, who + ": a deflate bomb is 1009");
        check(lastCloseSent(c.takeOutgoing()) == 1009, who + ": ... and Close 1009 is sent");

        // Corrupt compressed data (a reserved block type) is 1007.
        Handshake::Negotiation cn2, sn2;
        check(negotiateDeflate(cn2, sn2), who + ": deflate negotiated again");
        Connection d(role, limits, role == Role::Server ? std::move(sn2) : std::move(cn2));
        d.receiveData(frame(role, 0xC2, "\xff\xff\xff"));
        Outcome od;
        drain(d, od);
        const auto *bad = failure(od);
        check(bad && bad->closeCode == 1007, who + ": corrupt deflate data is 1007");
    }
}

} // namespace

void Adversarial::check(bool ok, const std::string &what)
{
    ++g_checks;
    if (!ok) {
        ++g_failures;
        std::cerr << "FAIL: " << what << '\n';
    }
}

int main()
{
    try {
        testBadFramesGetTheirCloseCodes();
        testRandomStreamsCutAnywhere();
        testMisuseIsRefusedNotThrown();
        testDeflateBombAndCorruptData();
        Adversarial::testHostileRequests();
        Adversarial::testHostileResponses();
    } catch (const std::exception &e) {
        std::cerr << "FAIL: exception " << e.what() << '\n';
        return 2;
    } catch (...) {
        std::cerr << "FAIL: unknown exception\n";
        return 2;
    }
    std::cout << (g_checks - g_failures) << " passed, " << g_failures << " failed\n";
    return g_failures == 0 ? 0 : 1;
}
