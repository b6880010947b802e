// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#ifndef RSWEBSOCKETHANDSHAKEOPTIONS_H
#define RSWEBSOCKETHANDSHAKEOPTIONS_H

#include <RsWebSockets/rswebsockets_global.h>

#include <QtCore/QSharedDataPointer>
#include <QtCore/QStringList>

class RsWebSocketHandshakeOptionsPrivate;

// QWebSocketHandshakeOptions with the Rs prefix: options for the opening handshake of
// RsWebSocket::open(). An implicitly shared value type, copyable and comparable.
class RSWEBSOCKETS_EXPORT RsWebSocketHandshakeOptions
{
public:
    RsWebSocketHandshakeOptions();
    RsWebSocketHandshakeOptions(const RsWebSocketHandshakeOptions &other);
    RsWebSocketHandshakeOptions(RsWebSocketHandshakeOptions &&other) noexcept;
    ~RsWebSocketHandshakeOptions();

    RsWebSocketHandshakeOptions &operator=(const RsWebSocketHandshakeOptions &other);
    RsWebSocketHandshakeOptions &operator=(RsWebSocketHandshakeOptions &&other) noexcept;

    void swap(RsWebSocketHandshakeOptions &other) noexcept { d.swap(other.d); }

    // The subprotocols offered in Sec-WebSocket-Protocol, in order of preference.
    QStringList subprotocols() const;
    void setSubprotocols(const QStringList &protocols);

private:
    bool equals(const RsWebSocketHandshakeOptions &other) const;

    friend bool operator==(const RsWebSocketHandshakeOptions &lhs,
                           const RsWebSocketHandshakeOptions &rhs)
    {
        return lhs.equals(rhs);
    }
    friend bool operator!=(const RsWebSocketHandshakeOptions &lhs,
                           const RsWebSocketHandshakeOptions &rhs)
    {
        return !lhs.equals(rhs);
    }

    QSharedDataPointer<RsWebSocketHandshakeOptionsPrivate> d;
};

Q_DECLARE_SHARED(RsWebSocketHandshakeOptions)

#endif // RSWEBSOCKETHANDSHAKEOPTIONS_H
