// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#ifndef PROTOCOLVECTORS_H
#define PROTOCOLVECTORS_H

// Reader for tests/vectors/protocol.txt, the vectors shared with the Rust tests (plain C++, so
// the Qt-free Core test can use it too). The path comes from RSWEBSOCKETS_VECTORS_FILE.

#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace ProtocolVectors {

struct Vector
{
    int line = 0;
    std::vector<std::string> fields; // fields[0] is the kind: enum, close_code_valid, version, mask
};

// Every vector of the given kind (all kinds when kind is empty). Throws if the file is missing.
inline std::vector<Vector> load(const std::string &kind = std::string())
{
    std::ifstream in(RSWEBSOCKETS_VECTORS_FILE);
    if (!in)
        throw std::runtime_error("cannot open " RSWEBSOCKETS_VECTORS_FILE);
    std::vector<Vector> result;
    std::string text;
    int lineNumber = 0;
    while (std::getline(in, text)) {
        ++lineNumber;
        if (text.empty() || text[0] == '#')
            continue;
        Vector vector;
        vector.line = lineNumber;
        std::istringstream words(text);
        for (std::string word; words >> word;)
            vector.fields.push_back(word);
        if (kind.empty() || vector.fields.front() == kind)
            result.push_back(vector);
    }
    return result;
}

// Lowercase hex to bytes; "-" is the empty string.
inline std::string fromHex(const std::string &hex)
{
    if (hex == "-")
        return std::string();
    if (hex.size() % 2 != 0)
        throw std::runtime_error("odd hex string " + hex);
    std::string bytes;
    for (std::size_t i = 0; i < hex.size(); i += 2)
        bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return bytes;
}

inline std::uint32_t keyFromHex(const std::string &hex)
{
    return static_cast<std::uint32_t>(std::stoul(hex, nullptr, 16));
}

} // namespace ProtocolVectors

#endif // PROTOCOLVECTORS_H
