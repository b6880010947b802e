// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#include <RsWebSockets/rswebsockethandshakeoptions.h>

/*!
    \class RsWebSocketHandshakeOptions
    \brief Options for the opening handshake of RsWebSocket::open() (QWebSocketHandshakeOptions).
*/

class RsWebSocketHandshakeOptionsPrivate : public QSharedData
{
public:
    QStringList subprotocols;
};

RsWebSocketHandshakeOptions::RsWebSocketHandshakeOptions()
    : d(new RsWebSocketHandshakeOptionsPrivate)
{
}

RsWebSocketHandshakeOptions::RsWebSocketHandshakeOptions(const RsWebSocketHandshakeOptions &other) =
        default;

RsWebSocketHandshakeOptions::RsWebSocketHandshakeOptions(
        RsWebSocketHandshakeOptions &&other) noexcept = default;

RsWebSocketHandshakeOptions::~RsWebSocketHandshakeOptions() = default;

RsWebSocketHandshakeOptions &
RsWebSocketHandshakeOptions::operator=(const RsWebSocketHandshakeOptions &other) = default;

RsWebSocketHandshakeOptions &
RsWebSocketHandshakeOptions::operator=(RsWebSocketHandshakeOptions &&other) noexcept
{
    swap(other);
    return *this;
}

/*!
    Returns the subprotocols the client offers, in order of preference.
*/
QStringList RsWebSocketHandshakeOptions::subprotocols() const
{
    return d ? d->subprotocols : QStringList();
}

/*!
    Sets the subprotocols the client offers in Sec-WebSocket-Protocol, most preferred first.
    Names that are not RFC 6455 tokens are skipped (with a warning) when the request is built.
*/
void RsWebSocketHandshakeOptions::setSubprotocols(const QStringList &protocols)
{
    if (!d)
        d = new RsWebSocketHandshakeOptionsPrivate;
    d->subprotocols = protocols;
}

bool RsWebSocketHandshakeOptions::equals(const RsWebSocketHandshakeOptions &other) const
{
    return subprotocols() == other.subprotocols();
}
