#include "querystring.h"

#include "bytescan.h"

#include "jsdate.h"
#include "jsnumber.h"
#include "jsops.h"
#include "objectbuilder.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>

namespace km::qs {

namespace {

constexpr char kHex[] = "0123456789ABCDEF";

struct UnreservedTable
{
    bool table[256] = {};
    constexpr UnreservedTable()
    {
        for (int c = 0; c < 256; ++c)
            table[c] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
                       || c == '.' || c == '_' || c == '~';
    }
};
constexpr UnreservedTable kUnreserved;

// Each byte's escape "%XY" in four bytes: one 4-byte copy writes it (the fourth byte is
// overwritten by what follows).
struct EscapeTable
{
    char text[256][4] = {};
    constexpr EscapeTable()
    {
        for (unsigned c = 0; c < 256; ++c) {
            text[c][0] = '%';
            text[c][1] = kHex[c >> 4];
            text[c][2] = kHex[c & 0xF];
        }
    }
};
constexpr EscapeTable kEscapes;

inline bool isUnreserved(unsigned char c)
{
    return kUnreserved.table[c];
}

std::string_view scalarText(const Value &value, Arena &arena)
{
    switch (value.type()) {
    case Value::Type::String:
        return value.toString();
    case Value::Type::Boolean:
        return value.toBool() ? "true" : "false";
    case Value::Type::Number: {
        char text[js::kNumberBufferSize];
        return arena.copy(std::string_view(text, js::formatNumber(text, value.toNumber())));
    }
    default:
        return {};
    }
}

void inner(const Value &value,
           std::string_view prefix,
           ArrayFormat arrays,
           NullFormat nulls,
           Arena &arena,
           std::vector<QueryPair> &out,
           int depth)
{
    if (depth > 1100)
        throw JsError("RangeError: Maximum call stack size exceeded");
    switch (value.type()) {
    case Value::Type::Undefined:
        return;
    case Value::Type::Null:
        if (nulls == NullFormat::BareKey)
            out.push_back(QueryPair{prefix, {}, true});
        else
            out.push_back(QueryPair{prefix, {}, false});
        return;
    case Value::Type::Date: {
        if (std::isnan(value.toNumber()))
            throw JsError("RangeError: Invalid time value (an invalid date cannot be put in a query string)");
        out.push_back(QueryPair{prefix, arena.copy(js::dateToIsoString(value.toNumber())), false});
        return;
    }
    case Value::Type::String:
    case Value::Type::Boolean:
    case Value::Type::Number:
        out.push_back(QueryPair{prefix, scalarText(value, arena), false});
        return;
    case Value::Type::Array: {
        std::size_t i = 0;
        for (const Value &item : value.items()) {
            if (arrays == ArrayFormat::Repeat) {
                inner(item, prefix, arrays, nulls, arena, out, depth + 1);
            } else {
                std::string key(prefix);
                key += '[';
                key += std::to_string(i);
                key += ']';
                inner(item, arena.copy(key), arrays, nulls, arena, out, depth + 1);
            }
            ++i;
        }
        return;
    }
    case Value::Type::Object:
        for (const Member &m : value.members()) {
            std::string key(prefix);
            key += '[';
            key += m.key;
            key += ']';
            inner(m.value, arena.copy(key), arrays, nulls, arena, out, depth + 1);
        }
        return;
    }
}

} // namespace

void collectPairs(const Value &payload, ArrayFormat arrays, NullFormat nulls, Arena &arena, std::vector<QueryPair> &out)
{
    out.reserve(out.size() + payload.size());
    for (const Member &m : payload.members()) {
        // Payload members are nearly all texts: those without the walk.
        if (m.value.isString())
            out.push_back(QueryPair{m.key, m.value.toString(), false});
        else
            inner(m.value, m.key, arrays, nulls, arena, out, 0);
    }
}

void appendEncoded(std::string &out, std::string_view text)
{
    const auto *p = reinterpret_cast<const unsigned char *>(text.data());
    const auto *end = p + text.size();
    while (p < end) {
        // Copy the longest run of unreserved bytes at once, then escape one byte.
        const auto *run = p;
        while (p < end && kUnreserved.table[*p])
            ++p;
        out.append(reinterpret_cast<const char *>(run), static_cast<std::size_t>(p - run));
        if (p == end)
            break;
        out.append(kEscapes.text[*p], 3);
        ++p;
    }
}

void QueryBuilder::clear()
{
    std::fill_n(m_separators.begin(), std::min(m_separators.size(), m_size / 16 + 1), std::uint16_t(0));
    m_size = 0;
}

void QueryBuilder::grow(std::size_t n)
{
    m_raw.resize(std::max(m_raw.size() * 2, m_size + n + 256));
    m_separators.resize(m_raw.size() / 16 + 1, 0);
}

void QueryBuilder::encodeTo(std::string &out)
{
    // The whole text is percent-encoded in one pass, separators excepted: most keys and values are
    // shorter than a 16-byte block, and one pass over them all beats a pass per string.
    const std::size_t rawSize = m_size;
    if (rawSize == 0)
        return;
    const std::size_t blocks = (rawSize + 15) / 16;
    m_escapes.assign(m_separators.begin(), m_separators.begin() + static_cast<std::ptrdiff_t>(blocks));
    // The separators were marked: reservedMasks flips those bits so they read "keep".
    bytescan::reservedMasks(m_raw.data(), blocks, m_escapes.data());
    if (rawSize % 16)
        m_escapes[blocks - 1] = static_cast<std::uint16_t>(m_escapes[blocks - 1] & ((1u << (rawSize % 16)) - 1));

    // The worst case, and room for the last speculative copy.
    if (m_encoded.size() < 3 * rawSize + kSlack)
        m_encoded.resize(3 * rawSize + kSlack);
    char *const start = m_encoded.data();
    char *q = start;
    // Two blocks a step: most steps have an escape or two and copy the rest 32 bytes at a time.
    for (std::size_t b = 0; b < blocks; b += 2) {
        const unsigned char *block = m_raw.data() + b * 16;
        const std::size_t left = rawSize - b * 16;
        const int length = left >= 32 ? 32 : static_cast<int>(left);
        std::uint32_t reserved = m_escapes[b];
        if (b + 1 < blocks)
            reserved |= static_cast<std::uint32_t>(m_escapes[b + 1]) << 16;
        int done = 0;
        while (reserved) {
            // Copy up to the next escape speculatively (the raw buffer is padded).
            const int i = __builtin_ctz(reserved);
            std::memcpy(q, block + done, 32);
            q += i - done;
            std::memcpy(q, kEscapes.text[block[i]], 4);
            q += 3;
            done = i + 1;
            reserved &= reserved - 1;
        }
        std::memcpy(q, block + done, 32);
        q += length - done;
    }
    out.append(start, static_cast<std::size_t>(q - start));
}

void appendPairs(std::string &out, const std::vector<QueryPair> &pairs)
{
    thread_local QueryBuilder query;
    query.clear();
    for (const QueryPair &p : pairs) {
        query.beginPair();
        query.append(p.key);
        if (!p.bare) {
            query.equals();
            query.append(p.value);
        }
    }
    query.encodeTo(out);
}

namespace {

// Go's strconv.FormatFloat(f, 'g', -1, 64): exponent form when exp < -4 or exp >= 6.
std::string goFloat(double d)
{
    if (std::isnan(d))
        return "NaN";
    if (std::isinf(d))
        return d > 0 ? "+Inf" : "-Inf";
    char digits[32];
    auto res = std::to_chars(digits, digits + sizeof digits, d, std::chars_format::scientific);
    std::string sci(digits, res.ptr);
    // sci: [-]d[.ddd]e[+-]XX
    const bool negative = sci[0] == '-';
    if (negative)
        sci.erase(0, 1);
    const std::size_t e = sci.find('e');
    std::string mantissa = sci.substr(0, e);
    const int exponent = std::stoi(sci.substr(e + 1));
    std::string digitsOnly;
    for (char c : mantissa)
        if (c != '.')
            digitsOnly.push_back(c);
    std::string out = negative ? "-" : "";
    if (exponent < -4 || exponent >= 6) {
        out += digitsOnly.substr(0, 1);
        if (digitsOnly.size() > 1) {
            out += '.';
            out += digitsOnly.substr(1);
        }
        char buf[16];
        std::snprintf(buf, sizeof buf, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
        out += buf;
        return out;
    }
    if (exponent < 0) {
        out += "0.";
        out.append(static_cast<std::size_t>(-exponent - 1), '0');
        out += digitsOnly;
        return out;
    }
    const std::size_t intDigits = static_cast<std::size_t>(exponent) + 1;
    if (digitsOnly.size() <= intDigits) {
        out += digitsOnly;
        out.append(intDigits - digitsOnly.size(), '0');
    } else {
        out += digitsOnly.substr(0, intDigits);
        out += '.';
        out += digitsOnly.substr(intDigits);
    }
    return out;
}

void goQueryEscape(std::string &out, std::string_view text)
{
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (isUnreserved(c))
            out.push_back(ch);
        else if (c == ' ')
            out.push_back('+');
        else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0xF]);
        }
    }
}

} // namespace

std::string goSprint(const Value &value)
{
    switch (value.type()) {
    case Value::Type::Undefined:
    case Value::Type::Null:
        return "<nil>";
    case Value::Type::Boolean:
        return value.toBool() ? "true" : "false";
    case Value::Type::Number:
        // Go's fmt.Sprint(float64) is %v: 'g' with the shortest digits, which switches to an
        // exponent from 1e6 on (a numeric Unix time goes out as 1.5778368e+09).
        return goFloat(value.toNumber());
    case Value::Type::String:
        return std::string(value.toString());
    case Value::Type::Date:
        return js::dateToIsoString(value.toNumber());
    case Value::Type::Array: {
        std::string out = "[";
        bool first = true;
        for (const Value &item : value.items()) {
            if (!first)
                out += ' ';
            first = false;
            out += goSprint(item);
        }
        return out + "]";
    }
    case Value::Type::Object: {
        std::map<std::string, std::string> sorted;
        for (const Member &m : value.members())
            sorted[std::string(m.key)] = goSprint(m.value);
        std::string out = "map[";
        bool first = true;
        for (const auto &[k, v] : sorted) {
            if (!first)
                out += ' ';
            first = false;
            out += k + ":" + v;
        }
        return out + "]";
    }
    }
    return {};
}

void appendGoQuery(std::string &out, const Value &params)
{
    std::vector<const Member *> members;
    for (const Member &m : params.members())
        if (!m.value.isUndefined())
            members.push_back(&m);
    std::stable_sort(members.begin(), members.end(), [](const Member *a, const Member *b) { return a->key < b->key; });
    bool first = true;
    for (const Member *m : members) {
        if (!first)
            out.push_back('&');
        first = false;
        goQueryEscape(out, m->key);
        out.push_back('=');
        goQueryEscape(out, goSprint(m->value));
    }
}

Value paramsFromPairs(const std::vector<QueryPair> &pairs, HttpMethod method, Arena &arena)
{
    ObjectBuilder params(arena);
    // Count first so single keys stay scalars and repeated ones become lists in order.
    std::vector<std::size_t> firstIndex;
    std::vector<std::vector<Value>> lists;
    std::vector<std::string_view> order;
    auto pairValue = [&](const QueryPair &p) {
        if (p.bare)
            return method == HttpMethod::Post ? Value::string("") : Value::null();
        return Value::string(p.value);
    };
    std::map<std::string_view, std::size_t> slot;
    for (const QueryPair &p : pairs) {
        auto it = slot.find(p.key);
        if (it == slot.end()) {
            slot.emplace(p.key, lists.size());
            lists.push_back({pairValue(p)});
            order.push_back(p.key);
        } else {
            lists[it->second].push_back(pairValue(p));
        }
    }
    for (std::size_t i = 0; i < order.size(); ++i) {
        const auto &values = lists[i];
        if (values.size() == 1) {
            params.set(order[i], values.front());
            continue;
        }
        Value *items = arena.allocValues(values.size());
        std::copy(values.begin(), values.end(), items);
        params.set(order[i], Value::array({items, values.size()}));
    }
    return params.build();
}

} // namespace km::qs
