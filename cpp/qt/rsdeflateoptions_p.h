// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// The permessage-deflate settings RsWebSocket and RsWebSocketServer keep (one
// RsWebSocketDeflateOptions each), brought into range the same way for both classes.

#ifndef RSDEFLATEOPTIONS_P_H
#define RSDEFLATEOPTIONS_P_H

#include <RsWebSockets/rswebsockethandshake.h>

#include <QtCore/QtGlobal>

#include <optional>

namespace RsDeflateOptions {

// A window size in bits as the setters take it: 8..15, or unset for 0 and below.
inline std::optional<int> windowBits(int bits)
{
    if (bits <= 0)
        return std::nullopt;
    return qBound(8, bits, 15);
}

// The window size as the getters return it: 0 when unset.
inline int windowBits(const std::optional<int> &bits)
{
    return bits.value_or(0);
}

// Every field in its documented range: window bits 8..15 (or unset), zlib level -1 (default) to
// 9, memory level 0 (default) to 9, local window 0 (default) or 8..15.
inline RsWebSocketDeflateOptions normalized(RsWebSocketDeflateOptions options)
{
    if (options.serverMaxWindowBits)
        options.serverMaxWindowBits = windowBits(*options.serverMaxWindowBits);
    if (options.clientMaxWindowBits)
        options.clientMaxWindowBits = windowBits(*options.clientMaxWindowBits);
    options.compressionLevel = qBound(-1, options.compressionLevel, 9);
    options.memoryLevel = qBound(0, options.memoryLevel, 9);
    options.compressionWindowBits = windowBits(windowBits(options.compressionWindowBits));
    return options;
}

} // namespace RsDeflateOptions

#endif // RSDEFLATEOPTIONS_P_H
