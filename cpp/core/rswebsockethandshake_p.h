// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//
//  W A R N I N G
//  -------------
//
// This file is not part of the RsWebSockets API. It exists purely as an implementation detail.
// This header file may change from version to version without notice, or even be removed.
//
// We mean it.
//

#ifndef RSWEBSOCKETHANDSHAKE_P_H
#define RSWEBSOCKETHANDSHAKE_P_H

#include <RsWebSockets/rswebsockethandshake.h>

#include "rswebsockets-bridge/src/handshake.rs.h"
#include "rust/cxx.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace RsWebSocketBridge {

// Bytes as the bridge takes them (no copy). A null pointer with size 0 is fine.
inline rust::Slice<const std::uint8_t> bytes(const void *data, std::size_t size)
{
    static const std::uint8_t none = 0;
    return rust::Slice<const std::uint8_t>(size ? static_cast<const std::uint8_t *>(data) : &none,
                                           size);
}

inline rust::Slice<const std::uint8_t> bytes(std::string_view data)
{
    return bytes(data.data(), data.size());
}

inline std::string toStd(const rust::String &s)
{
    return std::string(s.data(), s.size());
}

inline std::string toStd(rust::Str s)
{
    return std::string(s.data(), s.size());
}

// Text handed to Rust: invalid UTF-8 becomes U+FFFD instead of throwing.
inline rust::String toRust(std::string_view s)
{
    return rust::String::lossy(s.data(), s.size());
}

std::vector<RsWebSocketExtension>
toExtensions(const rust::Vec<rswebsockets::bridge::ExtensionInfo> &infos);

} // namespace RsWebSocketBridge

namespace RsWebSocketHandshake {

class NegotiationPrivate
{
public:
    explicit NegotiationPrivate(rust::Box<rswebsockets::bridge::Negotiated> &&negotiated);

    static Negotiation create(rust::Box<rswebsockets::bridge::Negotiated> &&negotiated);
    // The bridge object behind a Negotiation (nullptr for a default-constructed one).
    static rswebsockets::bridge::Negotiated *get(Negotiation &negotiation);
    static const NegotiationPrivate *of(const Negotiation &negotiation);

    rust::Box<rswebsockets::bridge::Negotiated> negotiated;
    std::string protocol;
    std::vector<RsWebSocketExtension> extensions;
};

class ClientPrivate
{
public:
    explicit ClientPrivate(rust::Box<rswebsockets::bridge::Client> &&client);

    rust::Box<rswebsockets::bridge::Client> client;
    std::string request;
};

class ServerPrivate
{
public:
    explicit ServerPrivate(rust::Box<rswebsockets::bridge::Server> &&server);

    rust::Box<rswebsockets::bridge::Server> server;
};

} // namespace RsWebSocketHandshake

#endif // RSWEBSOCKETHANDSHAKE_P_H
