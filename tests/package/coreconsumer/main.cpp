// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// Plain C++ against the installed RsWebSockets::Core: no Qt, and no cxx header reachable.

#include <RsWebSockets/RsWebSocketProtocol>
#include <RsWebSockets/RsWebSocketsVersion>

#include <cstdio>
#include <cstring>
#include <string>

#if defined(QT_VERSION) || defined(RSWEBSOCKETS_QT_LIB)
#  error "a Core-only consumer must not see Qt"
#endif
#if __has_include(<rust/cxx.h>)
#  error "rust/cxx.h must not be reachable from the installed package"
#endif

int main()
{
    int failures = 0;
    auto expect = [&failures](bool ok, const char *what) {
        if (!ok) {
            std::fprintf(stderr, "FAIL: %s\n", what);
            ++failures;
        }
    };
    using namespace RsWebSocketProtocol;
    expect(currentVersion() == VersionLatest, "currentVersion");
    expect(versionFromString(" 13") == Version13, "versionFromString");
    expect(versionFromString("\xff") == VersionUnknown, "invalid UTF-8");
    expect(isCloseCodeValid(CloseCodeNormal) && !isCloseCodeValid(CloseCodeAbnormalDisconnection),
           "isCloseCodeValid");
    expect(isOpCodeReserved(OpCodeReserved3) && !isOpCodeReserved(OpCodePing), "isOpCodeReserved");
    char hello[] = "Hello";
    mask(hello, 5, 0x37fa213du);
    expect(std::memcmp(hello, "\x7f\x9f\x4d\x51\x58", 5) == 0, "mask (RFC 6455 5.7)");
    mask(nullptr, 0, 1u);
    std::printf("RsWebSockets %s Core consumer: %s\n", RSWEBSOCKETS_VERSION_STR, failures ? "FAILED" : "ok");
    return failures == 0 ? 0 : 1;
}
