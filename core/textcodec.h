#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace km {

// Small text codecs the JSON reader, the JSON path locator, the message stream and the request
// decoders share: hex digits, \uXXXX escapes and UTF-8 encoding.

// 0-15 for a hex digit, -1 otherwise.
inline int hexDigitValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// The four hex digits at s[pos], as in a \uXXXX escape; false when they are not all there.
inline bool readHex4(std::string_view s, std::size_t pos, unsigned *out)
{
    if (pos + 4 > s.size())
        return false;
    unsigned v = 0;
    for (std::size_t i = pos; i < pos + 4; ++i) {
        const int d = hexDigitValue(s[i]);
        if (d < 0)
            return false;
        v = (v << 4) | static_cast<unsigned>(d);
    }
    *out = v;
    return true;
}

inline void appendUtf8(std::string &out, char32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

} // namespace km
