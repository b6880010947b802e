// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#include <RsWebSockets/rswebsocketprotocol.h>

#include <QtCore/QByteArray>
#include <QtCore/QStringView>

namespace RsWebSocketProtocol {

/*!
    \fn void RsWebSocketProtocol::mask(QByteArray *payload, quint32 maskingKey)
    Masks the bytes of \a payload in place with \a maskingKey (the array detaches if shared).
    A null \a payload is ignored.
*/
void mask(QByteArray *payload, quint32 maskingKey)
{
    if (payload == nullptr || payload->isEmpty())
        return;
    mask(payload->data(), static_cast<std::uint64_t>(payload->size()), maskingKey);
}

/*!
    \fn RsWebSocketProtocol::Version RsWebSocketProtocol::versionFromString(QStringView versionString)
    Returns the version named by \a versionString, parsed like QStringView::toInt();
    VersionUnknown if it names none.
*/
Version versionFromString(QStringView versionString)
{
    // UTF-16 → UTF-8; unpaired surrogates become U+FFFD, which is not a digit either way.
    const QByteArray utf8 = versionString.toUtf8();
    return versionFromString(std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size())));
}

} // namespace RsWebSocketProtocol
