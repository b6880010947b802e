// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#ifndef RSWEBSOCKETCORSAUTHENTICATOR_H
#define RSWEBSOCKETCORSAUTHENTICATOR_H

#include <RsWebSockets/rswebsockets_global.h>

#include <QtCore/QString>

#include <memory>

class RsWebSocketCorsAuthenticatorPrivate;

// The answer an application gives to RsWebSocketServer::originAuthenticationRequired():
// QWebSocketCorsAuthenticator with the Rs prefix. Allowed by default; setAllowed(false)
// makes the server refuse the handshake with 403 Forbidden.
class RSWEBSOCKETS_EXPORT RsWebSocketCorsAuthenticator
{
    Q_DECLARE_PRIVATE(RsWebSocketCorsAuthenticator)

public:
    explicit RsWebSocketCorsAuthenticator(const QString &origin);
    ~RsWebSocketCorsAuthenticator();
    explicit RsWebSocketCorsAuthenticator(const RsWebSocketCorsAuthenticator &other);

    RsWebSocketCorsAuthenticator(RsWebSocketCorsAuthenticator &&other) noexcept;
    RsWebSocketCorsAuthenticator &operator=(RsWebSocketCorsAuthenticator &&other) noexcept;

    void swap(RsWebSocketCorsAuthenticator &other) noexcept;

    RsWebSocketCorsAuthenticator &operator=(const RsWebSocketCorsAuthenticator &other);

    QString origin() const;

    void setAllowed(bool allowed);
    bool allowed() const;

private:
    std::unique_ptr<RsWebSocketCorsAuthenticatorPrivate> d_ptr;
};

#endif // RSWEBSOCKETCORSAUTHENTICATOR_H
