// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#ifndef RSWEBSOCKETPROTOCOL_H
#define RSWEBSOCKETPROTOCOL_H

#include <RsWebSockets/rswebsockets_global.h>

#include <cstdint>
#include <string_view>

// The QWebSocketProtocol namespace, renamed: the same unscoped enums with the same enumerator
// names and values, and the same helpers. Code written against QWebSocketProtocol compiles
// against RsWebSocketProtocol by renaming the namespace (and the include).
//
// The enums are mirrored by the Rust bridge (bridge/src/protocol.rs); cxx static-asserts every
// enumerator value against this header, so the two cannot drift. The enums deliberately keep
// Qt's implicit underlying type (int-sized on every supported compiler, which the bridge also
// asserts), so `int x = RsWebSocketProtocol::CloseCodeNormal;` works as with Qt.

namespace RsWebSocketProtocol {

// The WebSocket protocol versions (the value of the Sec-WebSocket-Version header).
enum Version {
    VersionUnknown = -1,
    Version0 = 0,
    // hybi-01, hybi-02 and hybi-03 are not supported
    Version4 = 4,
    Version5 = 5,
    Version6 = 6,
    Version7 = 7,
    Version8 = 8,
    Version13 = 13,
    VersionLatest = Version13
};

// The close codes of RFC 6455 §7.4.1, with Qt's names and values.
enum CloseCode {
    CloseCodeNormal = 1000,
    CloseCodeGoingAway = 1001,
    CloseCodeProtocolError = 1002,
    CloseCodeDatatypeNotSupported = 1003,
    CloseCodeReserved1004 = 1004,
    CloseCodeMissingStatusCode = 1005,
    CloseCodeAbnormalDisconnection = 1006,
    CloseCodeWrongDatatype = 1007,
    CloseCodePolicyViolated = 1008,
    CloseCodeTooMuchData = 1009,
    CloseCodeMissingExtension = 1010,
    CloseCodeBadOperation = 1011,
    CloseCodeTlsHandshakeFailed = 1015
};

// The frame opcodes of RFC 6455 §5.2, with Qt's names and values.
enum OpCode {
    OpCodeContinue = 0x0,
    OpCodeText = 0x1,
    OpCodeBinary = 0x2,
    OpCodeReserved3 = 0x3,
    OpCodeReserved4 = 0x4,
    OpCodeReserved5 = 0x5,
    OpCodeReserved6 = 0x6,
    OpCodeReserved7 = 0x7,
    OpCodeClose = 0x8,
    OpCodePing = 0x9,
    OpCodePong = 0xA,
    OpCodeReservedB = 0xB,
    OpCodeReservedC = 0xC,
    OpCodeReservedD = 0xD,
    OpCodeReservedE = 0xE,
    OpCodeReservedF = 0xF
};

// True for the reserved opcodes 0x3–0x7 and 0xB–0xF.
RSWEBSOCKETS_EXPORT bool isOpCodeReserved(OpCode code);

// True if closeCode may be sent in a Close frame: 1000–1003, 1007–1011 and 3000–4999.
RSWEBSOCKETS_EXPORT bool isCloseCodeValid(int closeCode);

// The version this implementation speaks: VersionLatest.
RSWEBSOCKETS_EXPORT Version currentVersion();

// The version named by a Sec-WebSocket-Version value, parsed like QString::toInt: surrounding
// whitespace ignored, an optional sign, decimal digits (leading zeros allowed) in int range.
// Anything else, including bytes that are not UTF-8, is VersionUnknown.
RSWEBSOCKETS_EXPORT Version versionFromString(std::string_view versionString);

// Masks (or unmasks) size bytes at payload in place with maskingKey (RFC 6455 §5.3); the key's
// most significant byte masks payload[0]. size 0 is fine, with payload == nullptr too.
RSWEBSOCKETS_EXPORT void mask(char *payload, std::uint64_t size, std::uint32_t maskingKey);

} // namespace RsWebSocketProtocol

// The Qt overloads, declared when the RsWebSockets::Qt target is linked (it defines
// RSWEBSOCKETS_QT_LIB in its interface, as Qt6::Core defines QT_CORE_LIB).
#if defined(RSWEBSOCKETS_QT_LIB)
#  include <RsWebSockets/rswebsocketprotocol_qt.h>
#endif

#endif // RSWEBSOCKETPROTOCOL_H
