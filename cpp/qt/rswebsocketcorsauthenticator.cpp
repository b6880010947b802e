// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#include <RsWebSockets/rswebsocketcorsauthenticator.h>

#include <utility>

/*!
    \class RsWebSocketCorsAuthenticator
    \inmodule RsWebSockets
    \brief Lets the application accept or refuse the Origin of an incoming WebSocket handshake.

    RsWebSocketServer emits originAuthenticationRequired() with a pointer to an object of this
    class before it answers a handshake. The object starts as allowed; a slot connected with a
    direct connection calls setAllowed(false) to have the server answer 403 Forbidden.
    Same API and meaning as QWebSocketCorsAuthenticator.
*/

class RsWebSocketCorsAuthenticatorPrivate
{
public:
    RsWebSocketCorsAuthenticatorPrivate(const QString &origin, bool allowed)
        : m_origin(origin), m_isAllowed(allowed)
    {
    }

    QString m_origin;
    bool m_isAllowed;
};

/*!
    Constructs an authenticator for \a origin; it starts as allowed.
*/
RsWebSocketCorsAuthenticator::RsWebSocketCorsAuthenticator(const QString &origin)
    : d_ptr(std::make_unique<RsWebSocketCorsAuthenticatorPrivate>(origin, true))
{
}

/*!
    Destroys the authenticator.
*/
RsWebSocketCorsAuthenticator::~RsWebSocketCorsAuthenticator() = default;

/*!
    Constructs a copy of \a other.
*/
RsWebSocketCorsAuthenticator::RsWebSocketCorsAuthenticator(
        const RsWebSocketCorsAuthenticator &other)
    : d_ptr(std::make_unique<RsWebSocketCorsAuthenticatorPrivate>(other.origin(),
                                                                  other.allowed()))
{
}

/*!
    Move-constructs from \a other, which is left in a moved-from state that may only be
    assigned to or destroyed.
*/
RsWebSocketCorsAuthenticator::RsWebSocketCorsAuthenticator(
        RsWebSocketCorsAuthenticator &&other) noexcept = default;

/*!
    Move-assigns \a other to this object.
*/
RsWebSocketCorsAuthenticator &
RsWebSocketCorsAuthenticator::operator=(RsWebSocketCorsAuthenticator &&other) noexcept = default;

/*!
    Swaps \a other with this authenticator.
*/
void RsWebSocketCorsAuthenticator::swap(RsWebSocketCorsAuthenticator &other) noexcept
{
    std::swap(d_ptr, other.d_ptr);
}

/*!
    Copies the origin and the allowed flag of \a other into this object.
*/
RsWebSocketCorsAuthenticator &
RsWebSocketCorsAuthenticator::operator=(const RsWebSocketCorsAuthenticator &other)
{
    if (this != &other) {
        if (!d_ptr) {
            d_ptr = std::make_unique<RsWebSocketCorsAuthenticatorPrivate>(other.origin(),
                                                                          other.allowed());
        } else {
            Q_D(RsWebSocketCorsAuthenticator);
            d->m_origin = other.origin();
            d->m_isAllowed = other.allowed();
        }
    }
    return *this;
}

/*!
    Returns the Origin header of the request (empty when the client sent none).
*/
QString RsWebSocketCorsAuthenticator::origin() const
{
    Q_D(const RsWebSocketCorsAuthenticator);
    return d->m_origin;
}

/*!
    Sets whether the origin is accepted to \a allowed.
*/
void RsWebSocketCorsAuthenticator::setAllowed(bool allowed)
{
    Q_D(RsWebSocketCorsAuthenticator);
    d->m_isAllowed = allowed;
}

/*!
    Returns true when the origin is accepted (the default).
*/
bool RsWebSocketCorsAuthenticator::allowed() const
{
    Q_D(const RsWebSocketCorsAuthenticator);
    return d->m_isAllowed;
}
