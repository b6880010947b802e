// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// RsWebSockets::Core without Qt: every enumerator and helper of RsWebSocketProtocol, checked
// against the shared vectors file and against plain reference loops. Exits non-zero on failure.

#include <RsWebSockets/RsWebSocketProtocol>
#include <RsWebSockets/RsWebSocketsVersion>

#include "protocolenums.h"
#include "protocolvectors.h"

#include <cstdint>
#include <cstring>
#include <exception>
#include <iostream>
#include <random>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#if defined(QT_VERSION) || defined(QT_CORE_LIB) || defined(RSWEBSOCKETS_QT_LIB)
#  error "the Core test must build without Qt"
#endif

namespace {

int g_checks = 0;
int g_failures = 0;

void check(bool ok, const std::string &what)
{
    ++g_checks;
    if (!ok) {
        ++g_failures;
        std::cerr << "FAIL: " << what << '\n';
    }
}

std::string where(const ProtocolVectors::Vector &v)
{
    return "protocol.txt line " + std::to_string(v.line);
}

// The reference: Qt's one-byte loop (key's most significant byte first).
void byteLoopMask(char *payload, std::size_t size, std::uint32_t key)
{
    for (std::size_t i = 0; i < size; ++i)
        payload[i] = static_cast<char>(payload[i] ^ static_cast<char>(key >> (8 * (3 - i % 4))));
}

void testTypes()
{
    using namespace RsWebSocketProtocol;
    static_assert(std::is_enum_v<CloseCode> && std::is_enum_v<OpCode> && std::is_enum_v<Version>);
    // Unscoped, like Qt's: enumerators convert to int implicitly and name the enum unqualified.
    static_assert(std::is_convertible_v<CloseCode, int>);
    static_assert(!std::is_convertible_v<int, CloseCode>);
    static_assert(sizeof(CloseCode) == sizeof(int) && sizeof(Version) == sizeof(int));
    static_assert(VersionLatest == Version13);
    static_assert(std::is_same_v<decltype(currentVersion()), Version>);
    static_assert(std::is_same_v<decltype(isCloseCodeValid(0)), bool>);
    static_assert(std::is_same_v<decltype(versionFromString(std::string_view())), Version>);
    CloseCode c = CloseCodeNormal;
    int x = c;
    check(x == 1000, "int x = CloseCodeNormal");
    check(RSWEBSOCKETS_VERSION == RSWEBSOCKETS_VERSION_CHECK(RSWEBSOCKETS_VERSION_MAJOR,
                                                             RSWEBSOCKETS_VERSION_MINOR,
                                                             RSWEBSOCKETS_VERSION_PATCH),
          "version macros");
    check(std::string(RSWEBSOCKETS_VERSION_STR).find('.') != std::string::npos, "version string");
}

void testEnumVectors()
{
    std::size_t seen = 0;
    for (const auto &v : ProtocolVectors::load("enum")) {
        const auto *e = ProtocolEnums::find(v.fields.at(1), v.fields.at(2));
        check(e != nullptr, where(v) + ": " + v.fields.at(2) + " is declared");
        if (e)
            check(e->value == std::stoi(v.fields.at(3)), where(v) + ": value of " + e->name);
        ++seen;
    }
    check(seen == ProtocolEnums::all().size(), "every enumerator has a vector");
}

void testCloseCodes()
{
    std::size_t seen = 0;
    for (const auto &v : ProtocolVectors::load("close_code_valid")) {
        const int code = std::stoi(v.fields.at(1));
        check(RsWebSocketProtocol::isCloseCodeValid(code) == (v.fields.at(2) == "1"), where(v));
        ++seen;
    }
    check(seen > 20, "close code vectors present");
    for (int code = -100; code < 70000; ++code) {
        const bool expected = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011)
                || (code >= 3000 && code <= 4999);
        if (RsWebSocketProtocol::isCloseCodeValid(code) != expected)
            check(false, "isCloseCodeValid(" + std::to_string(code) + ")");
    }
    ++g_checks;
}

void testOpCodes()
{
    using namespace RsWebSocketProtocol;
    for (int bits = 0; bits < 16; ++bits) {
        const bool reserved = (bits >= 3 && bits <= 7) || bits >= 0xB;
        check(isOpCodeReserved(static_cast<OpCode>(bits)) == reserved,
              "isOpCodeReserved(" + std::to_string(bits) + ")");
    }
}

void testVersions()
{
    using namespace RsWebSocketProtocol;
    check(currentVersion() == VersionLatest, "currentVersion() == VersionLatest");
    std::size_t seen = 0;
    for (const auto &v : ProtocolVectors::load("version")) {
        const std::string input = ProtocolVectors::fromHex(v.fields.at(1));
        const int expected = std::stoi(v.fields.at(2));
        check(versionFromString(input) == expected, where(v));
        ++seen;
    }
    check(seen > 40, "version vectors present");
    check(versionFromString(std::string_view()) == VersionUnknown, "default string_view");
    check(versionFromString(std::string_view("13\0", 3)) == Version13, "the text ends at a NUL, as in Qt");
    check(versionFromString(std::string_view("13", 2)) == Version13, "string_view without NUL");
    check(versionFromString(std::string_view("139", 2)) == Version13, "string_view prefix only");
}

void testMaskVectors()
{
    std::size_t seen = 0;
    for (const auto &v : ProtocolVectors::load("mask")) {
        const std::uint32_t key = ProtocolVectors::keyFromHex(v.fields.at(1));
        std::string data = ProtocolVectors::fromHex(v.fields.at(2));
        RsWebSocketProtocol::mask(data.data(), data.size(), key);
        check(data == ProtocolVectors::fromHex(v.fields.at(3)), where(v));
        ++seen;
    }
    check(seen > 10, "mask vectors present");
}

void testMaskAgainstByteLoop()
{
    std::mt19937 rng(6455);
    std::vector<char> source(300 + 16 + 64);
    for (char &c : source)
        c = static_cast<char>(rng());
    const std::uint32_t key = 0x9a3c71e4u;
    for (std::size_t offset = 0; offset <= 15; ++offset) {
        for (std::size_t length = 0; length <= 300; ++length) {
            std::vector<char> fast = source;
            std::vector<char> slow = source;
            RsWebSocketProtocol::mask(fast.data() + offset, length, key);
            byteLoopMask(slow.data() + offset, length, key);
            if (fast != slow)
                check(false, "mask offset " + std::to_string(offset) + " length " + std::to_string(length));
        }
    }
    ++g_checks;
    std::vector<char> big(1 << 20);
    for (char &c : big)
        c = static_cast<char>(rng());
    std::vector<char> expected = big;
    RsWebSocketProtocol::mask(big.data() + 3, big.size() - 3, 0xdeadbeefu);
    byteLoopMask(expected.data() + 3, expected.size() - 3, 0xdeadbeefu);
    check(big == expected, "1 MiB buffer at an odd offset");
}

void testMaskEdgeCases()
{
    RsWebSocketProtocol::mask(nullptr, 0, 0x12345678u);
    char one = 'a';
    RsWebSocketProtocol::mask(&one, 0, 0x12345678u);
    check(one == 'a', "size 0 leaves the payload alone");
    RsWebSocketProtocol::mask(&one, 1, 0x12345678u);
    check(one == static_cast<char>('a' ^ 0x12), "one byte uses the most significant key byte");
}

} // namespace

int main()
{
    try {
        testTypes();
        testEnumVectors();
        testCloseCodes();
        testOpCodes();
        testVersions();
        testMaskVectors();
        testMaskAgainstByteLoop();
        testMaskEdgeCases();
    } catch (const std::exception &e) {
        std::cerr << "FAIL: exception " << e.what() << '\n';
        return 2;
    }
    std::cout << (g_checks - g_failures) << " passed, " << g_failures << " failed\n";
    return g_failures == 0 ? 0 : 1;
}
