// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// tst_RsWebSocketConnection: the sans-I/O C++ face fed by hand. The test functions are spread
// over tst_rswebsocketconnection.cpp (RFC 6455 §5.7 vectors, framing, failures and their close
// codes, commands, random input) and tst_rswebsocketconnection_session.cpp (close handshake,
// outgoing fragmentation, zero-copy access, masking keys, timers, two connections through memory
// with and without permessage-deflate), tst_rswebsocketconnection_direct.cpp (direct input) and
// tst_rswebsocketconnection_zerocopy.cpp (shared sends, external input).
// This header also holds the byte-level helpers.

#ifndef TST_RSWEBSOCKETCONNECTION_H
#define TST_RSWEBSOCKETCONNECTION_H

#include <RsWebSockets/RsWebSocketConnection>
#include <RsWebSockets/RsWebSocketProtocol>

#include <QtCore/QByteArray>
#include <QtCore/QObject>
#include <QtCore/QMetaType>

#include <optional>
#include <string>
#include <vector>

using Connection = RsWebSocketConnection;
using Role = RsWebSocketConnection::Role;
using State = RsWebSocketConnection::State;
using EventType = RsWebSocketConnection::EventType;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(RsWebSocketConnection::Role)
Q_DECLARE_METATYPE(RsWebSocketConnection::EventType)

namespace ConnectionTest {

inline std::string_view view(const QByteArray &bytes)
{
    return std::string_view(bytes.constData(), std::size_t(bytes.size()));
}

inline QByteArray bytesOf(const std::string &s)
{
    return QByteArray(s.data(), qsizetype(s.size()));
}

// A frame as a peer would send it (masked when maskingKey is given).
inline QByteArray frame(int opcode, bool fin, const QByteArray &payload,
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

inline QByteArray closePayload(int code, const QByteArray &reason = {})
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
inline std::vector<WireFrame> parseFrames(const QByteArray &bytes)
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

inline std::vector<Connection::Event> drain(Connection &c)
{
    std::vector<Connection::Event> events;
    Connection::Event e;
    while (c.nextEvent(e))
        events.push_back(e);
    return events;
}

inline QByteArray takeOut(Connection &c)
{
    return bytesOf(c.takeOutgoing());
}

// Moves every pending byte from a to b and back until both are quiet.
inline void pump(Connection &a, Connection &b)
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

inline RsWebSocketConnectionOptions clientOptions()
{
    RsWebSocketConnectionOptions o;
    o.fixedMaskingKey = 0x37fa213d; // the RFC 6455 §5.7 key
    return o;
}

inline constexpr quint32 Key = 0x37fa213d;

} // namespace ConnectionTest

class tst_RsWebSocketConnection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // tst_rswebsocketconnection.cpp
    void construction();
    void receiveVectors_data();
    void receiveVectors();
    void sendVectors_data();
    void sendVectors();
    void fragmentsDelivered();
    void autoPong();
    void controlFrameInsideFragmentedMessage();
    void receiveUntilEvent();
    void failures_data();
    void failures();
    void invalidCommands();
    void outgoingLimit();
    void applicationFailure_data();
    void applicationFailure();
    void randomInput_data();
    void randomInput();

    // tst_rswebsocketconnection_session.cpp
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
    void deflateThreshold();

    // tst_rswebsocketconnection_direct.cpp
    void directInput_data();
    void directInput();
    void directInputInvalidUtf8();
    void directInputRefusesMisuse();

    // tst_rswebsocketconnection_zerocopy.cpp
    void sharedSend_data();
    void sharedSend();
    void sharedSendReleasedOnceEverywhere();
    void externalInput_data();
    void externalInput();
    void externalInputInvalidUtf8();
    void externalInputRefusesMisuse();
};

#endif // TST_RSWEBSOCKETCONNECTION_H
