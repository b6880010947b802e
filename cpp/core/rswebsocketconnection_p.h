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

#ifndef RSWEBSOCKETCONNECTION_P_H
#define RSWEBSOCKETCONNECTION_P_H

#include <RsWebSockets/rswebsocketconnection.h>

#include "rswebsockethandshake_p.h"

#include "rswebsockets-bridge/src/connection.rs.h"
#include "rust/cxx.h"

#include <chrono>
#include <string>
#include <vector>

class RsWebSocketConnectionPrivate
{
public:
    RsWebSocketConnectionPrivate(RsWebSocketConnection::Role role,
                                 const RsWebSocketConnectionOptions &options,
                                 RsWebSocketHandshake::Negotiation &&negotiation);

    rswebsockets::bridge::ConnectionSettings settings() const;
    void applySettings();
    // Runs a bridge call; a C++ exception (only std::bad_alloc can occur) becomes a failed call.
    template<typename F>
    bool guarded(F &&f) noexcept;

    RsWebSocketConnection::Role role;
    RsWebSocketConnectionOptions options;
    std::vector<RsWebSocketExtension> extensions;
    std::chrono::steady_clock::time_point origin; // the C++ side of the shared clock origin
    rust::Box<rswebsockets::bridge::Connection> connection;
    rswebsockets::bridge::ConnectionEvent current; // the last pulled event (EventView data)
    std::string errorString;                        // set when a C++ exception was caught
};

#endif // RSWEBSOCKETCONNECTION_P_H
