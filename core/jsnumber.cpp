#include "jsnumber.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace km::js {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

std::size_t putLiteral(char *out, const char *text)
{
    const std::size_t n = std::strlen(text);
    std::memcpy(out, text, n);
    return n;
}

// Writes the exponent part "e+N" / "e-N".
char *putExponent(char *p, int exponent)
{
    *p++ = 'e';
    *p++ = exponent < 0 ? '-' : '+';
    const unsigned magnitude = static_cast<unsigned>(exponent < 0 ? -exponent : exponent);
    return std::to_chars(p, p + 4, magnitude).ptr;
}

// A validated StrUnsignedDecimalLiteral (without "Infinity") found by scanDecimal.
struct DecimalScan
{
    const char *end = nullptr; // nullptr: no digits, so not a literal
    // Power of ten of the most significant non-zero digit (saturated), used to tell overflow
    // from underflow when from_chars reports out of range. Meaningless for zero.
    long long magnitude = 0;
};

// Longest prefix of [p, end) matching  Digits [. Digits?] [Exp] | . Digits [Exp],
// where Exp = (e|E) [+-] Digits and is only taken when it has a digit.
DecimalScan scanDecimal(const char *p, const char *end)
{
    DecimalScan scan;
    const char *q = p;
    long long intDigits = 0;        // significant integer digits (after leading zeros)
    long long leadingFracZeros = 0; // zeros before the first significant fraction digit
    bool sawNonZero = false;
    bool sawDigit = false;
    for (; q != end && isDigit(*q); ++q) {
        sawDigit = true;
        if (sawNonZero || *q != '0') {
            sawNonZero = true;
            if (intDigits < 1'000'000'000)
                ++intDigits;
        }
    }
    if (q != end && *q == '.') {
        const char *f = q + 1;
        for (; f != end && isDigit(*f); ++f) {
            if (!sawNonZero) {
                if (*f == '0') {
                    if (leadingFracZeros < 1'000'000'000)
                        ++leadingFracZeros;
                } else {
                    sawNonZero = true;
                }
            }
        }
        if (f != q + 1)
            sawDigit = true;
        if (sawDigit)
            q = f; // "5." is a literal, a lone "." is not
    }
    if (!sawDigit)
        return scan;
    long long exponent = 0;
    if (q != end && (*q == 'e' || *q == 'E')) {
        const char *e = q + 1;
        bool negative = false;
        if (e != end && (*e == '+' || *e == '-')) {
            negative = *e == '-';
            ++e;
        }
        if (e != end && isDigit(*e)) {
            for (; e != end && isDigit(*e); ++e) {
                if (exponent < 1'000'000'000)
                    exponent = exponent * 10 + (*e - '0');
            }
            if (negative)
                exponent = -exponent;
            q = e;
        }
    }
    scan.end = q;
    scan.magnitude = intDigits > 0 ? exponent + intDigits - 1 : exponent - leadingFracZeros - 1;
    return scan;
}

// Correctly rounded value of a validated unsigned decimal literal [p, scan.end).
double decimalValue(const char *p, const DecimalScan &scan)
{
    double value = 0;
    const auto result = std::from_chars(p, scan.end, value, std::chars_format::general);
    if (result.ec == std::errc::result_out_of_range)
        return scan.magnitude > 0 ? kInf : 0.0;
    return value;
}

// Digits of a 0x / 0o / 0b literal, rounded to nearest-even like the spec's "mathematical
// value rounded to a Number". NaN when there are no digits or a bad one.
double radixValue(const char *p, const char *end, int bitsPerDigit)
{
    if (p == end)
        return kNaN;
    const unsigned radix = 1u << bitsPerDigit;
    std::uint64_t mantissa = 0;
    int droppedBits = 0;
    bool sticky = false;
    for (; p != end; ++p) {
        const char c = *p;
        unsigned digit;
        if (isDigit(c))
            digit = static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'z')
            digit = static_cast<unsigned>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'Z')
            digit = static_cast<unsigned>(c - 'A' + 10);
        else
            return kNaN;
        if (digit >= radix)
            return kNaN;
        if (std::bit_width(mantissa) + bitsPerDigit <= 64) {
            mantissa = (mantissa << bitsPerDigit) | digit;
        } else {
            // Only 54 significant bits matter; the rest just decides ties.
            droppedBits += bitsPerDigit;
            sticky = sticky || digit != 0;
        }
    }
    const int width = static_cast<int>(std::bit_width(mantissa));
    if (width <= 53)
        return std::ldexp(static_cast<double>(mantissa), droppedBits);
    const int shift = width - 53;
    std::uint64_t top = mantissa >> shift;
    const std::uint64_t rest = mantissa & ((std::uint64_t{1} << shift) - 1);
    const std::uint64_t half = std::uint64_t{1} << (shift - 1);
    if (rest > half || (rest == half && (sticky || (top & 1))))
        ++top; // may become 2^53, still exact in a double
    return std::ldexp(static_cast<double>(top), shift + droppedBits);
}

bool startsWith(const char *p, const char *end, std::string_view prefix)
{
    return static_cast<std::size_t>(end - p) >= prefix.size() && std::memcmp(p, prefix.data(), prefix.size()) == 0;
}

} // namespace

std::size_t formatNumber(char *buffer, double value)
{
    if (std::isnan(value))
        return putLiteral(buffer, "NaN");
    if (value == 0)
        return putLiteral(buffer, "0"); // also -0
    char *p = buffer;
    if (value < 0) {
        *p++ = '-';
        value = -value;
    }
    if (std::isinf(value))
        return static_cast<std::size_t>(p - buffer) + putLiteral(p, "Infinity");

    // Integers below 2^53 are their own shortest representation: skip the float printer.
    if (value < 9007199254740992.0) {
        const auto asInteger = static_cast<std::uint64_t>(value);
        if (static_cast<double>(asInteger) == value)
            return static_cast<std::size_t>(std::to_chars(p, buffer + kNumberBufferSize, asInteger).ptr - buffer);
    }

    // A call's revenue is printed up to three times (the property, revenue, Billing Amount).
    struct Last
    {
        double value = -1;
        char text[kNumberBufferSize];
        std::size_t size = 0;
    };
    thread_local Last last;
    if (value == last.value) {
        std::memcpy(p, last.text, last.size);
        return static_cast<std::size_t>(p - buffer) + last.size;
    }
    char *const start = p;

    // to_chars gives the shortest round-trip digits (nearest, ties even) as "d.ddde[+-]XX";
    // ES lays the same digits out differently.
    char scientific[kNumberBufferSize];
    const char *sciEnd =
            std::to_chars(scientific, scientific + sizeof scientific, value, std::chars_format::scientific).ptr;
    char digits[20];
    int k = 0;
    const char *q = scientific;
    digits[k++] = *q++;
    if (*q == '.') {
        for (++q; *q != 'e'; ++q)
            digits[k++] = *q;
    }
    ++q; // 'e'
    const bool negativeExponent = *q == '-';
    int exponent = 0;
    for (++q; q != sciEnd; ++q)
        exponent = exponent * 10 + (*q - '0');
    if (negativeExponent)
        exponent = -exponent;
    const int n = exponent + 1; // the ES "n": value = 0.digits * 10^n

    if (k <= n && n <= 21) {
        std::memcpy(p, digits, static_cast<std::size_t>(k));
        p += k;
        std::memset(p, '0', static_cast<std::size_t>(n - k));
        p += n - k;
    } else if (0 < n && n <= 21) {
        std::memcpy(p, digits, static_cast<std::size_t>(n));
        p += n;
        *p++ = '.';
        std::memcpy(p, digits + n, static_cast<std::size_t>(k - n));
        p += k - n;
    } else if (-6 < n && n <= 0) {
        *p++ = '0';
        *p++ = '.';
        std::memset(p, '0', static_cast<std::size_t>(-n));
        p += -n;
        std::memcpy(p, digits, static_cast<std::size_t>(k));
        p += k;
    } else {
        *p++ = digits[0];
        if (k > 1) {
            *p++ = '.';
            std::memcpy(p, digits + 1, static_cast<std::size_t>(k - 1));
            p += k - 1;
        }
        p = putExponent(p, n - 1);
    }
    last.value = value;
    last.size = static_cast<std::size_t>(p - start);
    std::memcpy(last.text, start, last.size);
    return static_cast<std::size_t>(p - buffer);
}

std::string numberToString(double value)
{
    char buffer[kNumberBufferSize];
    return std::string(buffer, formatNumber(buffer, value));
}

void appendNumber(std::string &out, double value)
{
    char buffer[kNumberBufferSize];
    out.append(buffer, formatNumber(buffer, value));
}

std::size_t whiteSpaceLengthAt(std::string_view s, std::size_t pos)
{
    if (pos >= s.size())
        return 0;
    const auto b0 = static_cast<unsigned char>(s[pos]);
    if (b0 == ' ' || (b0 >= 0x09 && b0 <= 0x0D))
        return 1;
    if (b0 < 0xC2)
        return 0;
    const std::size_t left = s.size() - pos;
    const auto b1 = left > 1 ? static_cast<unsigned char>(s[pos + 1]) : 0u;
    if (b0 == 0xC2)
        return b1 == 0xA0 ? 2 : 0; // U+00A0
    if (left < 3)
        return 0;
    const auto b2 = static_cast<unsigned char>(s[pos + 2]);
    switch (b0) {
    case 0xE1: // U+1680
        return b1 == 0x9A && b2 == 0x80 ? 3 : 0;
    case 0xE2:
        if (b1 == 0x80) // U+2000..U+200A, U+2028, U+2029, U+202F
            return (b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF ? 3 : 0;
        return b1 == 0x81 && b2 == 0x9F ? 3 : 0; // U+205F
    case 0xE3:                                   // U+3000
        return b1 == 0x80 && b2 == 0x80 ? 3 : 0;
    case 0xEF: // U+FEFF
        return b1 == 0xBB && b2 == 0xBF ? 3 : 0;
    default:
        return 0;
    }
}

std::string_view trimStart(std::string_view s)
{
    std::size_t pos = 0;
    while (const std::size_t len = whiteSpaceLengthAt(s, pos))
        pos += len;
    return s.substr(pos);
}

std::string_view trim(std::string_view s)
{
    s = trimStart(s);
    // UTF-8 is self-synchronising, so a whitespace sequence found at the tail really is one.
    while (!s.empty()) {
        if (whiteSpaceLengthAt(s, s.size() - 1) == 1)
            s.remove_suffix(1);
        else if (s.size() >= 2 && whiteSpaceLengthAt(s, s.size() - 2) == 2)
            s.remove_suffix(2);
        else if (s.size() >= 3 && whiteSpaceLengthAt(s, s.size() - 3) == 3)
            s.remove_suffix(3);
        else
            break;
    }
    return s;
}

double stringToNumber(std::string_view s)
{
    s = trim(s);
    if (s.empty())
        return 0;
    const char *p = s.data();
    const char *end = p + s.size();
    if (s.size() > 2 && p[0] == '0') {
        // Non-decimal literals take no sign.
        switch (p[1]) {
        case 'x':
        case 'X':
            return radixValue(p + 2, end, 4);
        case 'o':
        case 'O':
            return radixValue(p + 2, end, 3);
        case 'b':
        case 'B':
            return radixValue(p + 2, end, 1);
        default:
            break;
        }
    }
    double sign = 1;
    if (*p == '+' || *p == '-') {
        sign = *p == '-' ? -1 : 1;
        ++p;
    }
    if (startsWith(p, end, "Infinity"))
        return p + 8 == end ? sign * kInf : kNaN;
    const DecimalScan scan = scanDecimal(p, end);
    if (scan.end != end)
        return kNaN; // also covers "no digits" (scan.end == nullptr)
    return sign * decimalValue(p, scan);
}

double parseFloat(std::string_view s)
{
    s = trimStart(s);
    const char *p = s.data();
    const char *end = p + s.size();
    double sign = 1;
    if (p != end && (*p == '+' || *p == '-')) {
        sign = *p == '-' ? -1 : 1;
        ++p;
    }
    if (startsWith(p, end, "Infinity"))
        return sign * kInf;
    const DecimalScan scan = scanDecimal(p, end);
    if (!scan.end)
        return kNaN;
    return sign * decimalValue(p, scan);
}

double parseInt10(std::string_view s)
{
    s = trimStart(s);
    const char *p = s.data();
    const char *end = p + s.size();
    double sign = 1;
    if (p != end && (*p == '+' || *p == '-')) {
        sign = *p == '-' ? -1 : 1;
        ++p;
    }
    const char *digitsEnd = p;
    while (digitsEnd != end && isDigit(*digitsEnd))
        ++digitsEnd;
    if (digitsEnd == p)
        return kNaN;
    double value = 0;
    if (std::from_chars(p, digitsEnd, value).ec == std::errc::result_out_of_range)
        value = kInf; // only overflow is possible for an integer
    return sign * value;
}

} // namespace km::js
