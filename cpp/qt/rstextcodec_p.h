// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#ifndef RSTEXTCODEC_P_H
#define RSTEXTCODEC_P_H

// Text conversions on the message path that skip Qt's general codecs for plain ASCII, the
// common case of small text messages: the general UTF-8 encoder and decoder cost more in setup
// (and in an allocation per message) than the conversion itself for a few dozen characters.
// Anything else goes through QString's UTF-8 conversions as before.

#include <QtCore/QString>

#include <cstddef>
#include <cstdint>
#include <cstring>

// Whether every byte of `data` is ASCII (eight bytes per step).
inline bool rsIsAscii(const char *data, std::size_t size)
{
    std::uint64_t high = 0;
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, data + i, 8);
        high |= word;
    }
    for (; i < size; ++i)
        high |= static_cast<unsigned char>(data[i]);
    return (high & 0x8080808080808080u) == 0;
}

// Writes `text` into `out` (at least text.size() bytes) and returns true when it is all ASCII;
// returns false, with `out` partly written, otherwise.
inline bool rsNarrowAscii(QStringView text, char *out)
{
    const char16_t *units = text.utf16();
    const qsizetype size = text.size();
    char16_t high = 0;
    for (qsizetype i = 0; i < size; ++i) {
        high |= units[i];
        out[i] = static_cast<char>(units[i]);
    }
    return high < 0x80;
}

#endif // RSTEXTCODEC_P_H
