// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#ifndef RSWEBSOCKETPROTOCOL_QT_H
#define RSWEBSOCKETPROTOCOL_QT_H

#include <RsWebSockets/rswebsocketprotocol.h>

#include <QtCore/qbytearray.h>
#include <QtCore/qglobal.h>
#include <QtCore/qstringview.h>

// The Qt overloads of the RsWebSocketProtocol helpers (part of RsWebSockets::Qt). Included by
// <RsWebSockets/RsWebSocketProtocol> whenever RsWebSockets::Qt is linked.
//
// mask(char *, quint64, quint32) needs no overload of its own: quint64 is `unsigned long long`
// and std::uint64_t `unsigned long` on LP64 Linux, but both are 64-bit unsigned, so Qt-typed
// arguments convert implicitly and exactly to the Core declaration.

namespace RsWebSocketProtocol {

// Masks the whole byte array in place (detaching it if shared). A null pointer is ignored.
RSWEBSOCKETS_EXPORT void mask(QByteArray *payload, quint32 maskingKey);

// The version named by versionString, with the semantics of QStringView::toInt.
RSWEBSOCKETS_EXPORT Version versionFromString(QStringView versionString);

} // namespace RsWebSocketProtocol

#endif // RSWEBSOCKETPROTOCOL_QT_H
