#include "jsonwriter.h"

#include "jsdate.h"
#include "jsnumber.h"
#include "value.h"

#include <array>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace km {

namespace {

// What a byte needs in a JSON string: 0 = copy, 'u' = \u00xx, a letter = that short escape,
// '"' / '\\' = backslash + itself, 'S' = maybe an encoded surrogate (0xED lead byte).
constexpr std::array<char, 256> kEscapes = [] {
    std::array<char, 256> table{};
    for (int c = 0; c < 0x20; ++c)
        table[static_cast<std::size_t>(c)] = 'u';
    table['\b'] = 'b';
    table['\f'] = 'f';
    table['\n'] = 'n';
    table['\r'] = 'r';
    table['\t'] = 't';
    table['"'] = '"';
    table['\\'] = '\\';
    table[0xED] = 'S';
    return table;
}();

constexpr char kHex[] = "0123456789abcdef";

// Whether any of 8 bytes is < 0x20, '"', '\\' or 0xED (the bytes kEscapes flags), with the
// classic "has zero byte" bit trick: lets clean text be skipped 8 bytes at a time.
bool needsCare(std::uint64_t w)
{
    constexpr std::uint64_t ones = 0x0101010101010101ull;
    constexpr std::uint64_t highs = 0x8080808080808080ull;
    const auto hasZeroByte = [](std::uint64_t x) { return (x - ones) & ~x & highs; };
    const std::uint64_t below0x20 = (w - ones * 0x20) & ~w & highs;
    return (below0x20 | hasZeroByte(w ^ (ones * '"')) | hasZeroByte(w ^ (ones * '\\')) | hasZeroByte(w ^ (ones * 0xED)))
           != 0;
}

// The UTF-16 code unit of a 3-byte surrogate encoding at s[i], or 0 if there is none there.
unsigned surrogateAt(std::string_view s, std::size_t i)
{
    if (i + 2 >= s.size() || static_cast<unsigned char>(s[i]) != 0xED)
        return 0;
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    const auto b2 = static_cast<unsigned char>(s[i + 2]);
    if (b1 < 0xA0 || b1 > 0xBF || (b2 & 0xC0) != 0x80)
        return 0;
    return 0xD000u | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
}

void appendUnicodeEscape(std::string &out, unsigned unit)
{
    const char escape[6] = {
            '\\', 'u', kHex[(unit >> 12) & 0xF], kHex[(unit >> 8) & 0xF], kHex[(unit >> 4) & 0xF], kHex[unit & 0xF]};
    out.append(escape, 6);
}

} // namespace

void appendJsonString(std::string &out, std::string_view s)
{
    out.push_back('"');
    std::size_t runStart = 0;
    std::size_t i = 0;
    while (i < s.size()) {
        if (s.size() - i >= 8) {
            std::uint64_t word;
            std::memcpy(&word, s.data() + i, 8);
            if (!needsCare(word)) {
                i += 8;
                continue;
            }
        }
        const char kind = kEscapes[static_cast<unsigned char>(s[i])];
        if (kind == 0) {
            ++i;
            continue;
        }
        if (kind == 'S') {
            const unsigned unit = surrogateAt(s, i);
            if (unit == 0) { // an ordinary U+D000..U+D7FF character
                ++i;
                continue;
            }
            out.append(s.data() + runStart, i - runStart);
            const unsigned low = unit < 0xDC00 ? surrogateAt(s, i + 3) : 0;
            if (low >= 0xDC00) {
                // A pair split over two 3-byte sequences is one character to JavaScript.
                const unsigned cp = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                const char utf8[4] = {
                        static_cast<char>(0xF0 | (cp >> 18)), static_cast<char>(0x80 | ((cp >> 12) & 0x3F)),
                        static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), static_cast<char>(0x80 | (cp & 0x3F))};
                out.append(utf8, 4);
                i += 6;
            } else {
                appendUnicodeEscape(out, unit);
                i += 3;
            }
            runStart = i;
            continue;
        }
        out.append(s.data() + runStart, i - runStart);
        if (kind == 'u') {
            appendUnicodeEscape(out, static_cast<unsigned char>(s[i]));
        } else {
            const char escape[2] = {'\\', kind};
            out.append(escape, 2);
        }
        runStart = ++i;
    }
    out.append(s.data() + runStart, s.size() - runStart);
    out.push_back('"');
}

void appendJsonNumber(std::string &out, double number)
{
    if (std::isfinite(number))
        js::appendNumber(out, number);
    else
        out.append("null", 4);
}

void JsonWriter::clear()
{
    m_out.clear();
    m_first.clear();
    m_afterKey = false;
}

void JsonWriter::separate()
{
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (m_first.empty())
        return; // top-level values are the caller's to separate (one per line, say)
    if (m_first.back())
        m_first.back() = 0;
    else
        m_out.push_back(',');
}

void JsonWriter::beginObject()
{
    separate();
    m_out.push_back('{');
    m_first.push_back(1);
}

void JsonWriter::endObject()
{
    assert(!m_first.empty() && !m_afterKey);
    m_first.pop_back();
    m_out.push_back('}');
}

void JsonWriter::beginArray()
{
    separate();
    m_out.push_back('[');
    m_first.push_back(1);
}

void JsonWriter::endArray()
{
    assert(!m_first.empty() && !m_afterKey);
    m_first.pop_back();
    m_out.push_back(']');
}

void JsonWriter::key(std::string_view name)
{
    assert(!m_first.empty() && !m_afterKey);
    separate();
    appendJsonString(m_out, name);
    m_out.push_back(':');
    m_afterKey = true;
}

void JsonWriter::value(std::string_view s)
{
    separate();
    appendJsonString(m_out, s);
}

void JsonWriter::value(double number)
{
    separate();
    appendJsonNumber(m_out, number);
}

void JsonWriter::value(bool b)
{
    separate();
    if (b)
        m_out.append("true", 4);
    else
        m_out.append("false", 5);
}

void JsonWriter::value(std::nullptr_t)
{
    separate();
    m_out.append("null", 4);
}

void JsonWriter::value(const Value &v, UndefinedPolicy undefinedPolicy, DatePolicy datePolicy)
{
    separate();
    writeValue(v, undefinedPolicy, datePolicy);
}

void JsonWriter::rawValue(std::string_view json)
{
    separate();
    m_out.append(json);
}

void JsonWriter::member(std::string_view name, const Value &v, UndefinedPolicy undefinedPolicy, DatePolicy datePolicy)
{
    if (v.isUndefined() && undefinedPolicy == UndefinedPolicy::Omit)
        return;
    key(name);
    value(v, undefinedPolicy, datePolicy);
}

void JsonWriter::writeValue(const Value &v, UndefinedPolicy undefinedPolicy, DatePolicy datePolicy)
{
    switch (v.type()) {
    case Value::Type::Undefined:
    case Value::Type::Null:
        m_out.append("null", 4);
        break;
    case Value::Type::Boolean:
        if (v.toBool())
            m_out.append("true", 4);
        else
            m_out.append("false", 5);
        break;
    case Value::Type::Number:
        appendJsonNumber(m_out, v.toNumber());
        break;
    case Value::Type::String:
        appendJsonString(m_out, v.toString());
        break;
    case Value::Type::Array: {
        m_out.push_back('[');
        bool first = true;
        for (const Value &item : v.items()) {
            if (!first)
                m_out.push_back(',');
            first = false;
            writeValue(item, undefinedPolicy, datePolicy);
        }
        m_out.push_back(']');
        break;
    }
    case Value::Type::Object: {
        m_out.push_back('{');
        bool first = true;
        for (const Member &m : v.members()) {
            if (m.value.isUndefined() && undefinedPolicy == UndefinedPolicy::Omit)
                continue;
            if (!first)
                m_out.push_back(',');
            first = false;
            appendJsonString(m_out, m.key);
            m_out.push_back(':');
            writeValue(m.value, undefinedPolicy, datePolicy);
        }
        m_out.push_back('}');
        break;
    }
    case Value::Type::Date: {
        const double t = js::timeClip(v.toNumber());
        if (std::isnan(t)) {
            m_out.append("null", 4); // toJSON of an Invalid Date is null
        } else if (datePolicy == DatePolicy::EpochMillis) {
            js::appendNumber(m_out, t);
        } else {
            // An ISO date never needs escaping.
            m_out.push_back('"');
            js::appendDateIsoString(m_out, t);
            m_out.push_back('"');
        }
        break;
    }
    }
}

} // namespace km
