#include "jsonreader.h"

#include "objectbuilder.h"
#include "textcodec.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>

namespace km {

static_assert(JsonReader::Padding == simdjson::SIMDJSON_PADDING);
static_assert(JsonTape::PayloadMask == simdjson::internal::JSON_VALUE_MASK);
static_assert(JsonTape::CountMask == simdjson::internal::JSON_COUNT_MASK);

namespace {

constexpr std::size_t kInitialCapacity = 64 * 1024;   // parser capacity that fits typical messages
constexpr std::size_t kShrinkAbove = 4 * 1024 * 1024; // give memory back after a huge text
constexpr std::size_t kQuadraticDuplicateLimit = 24;  // beyond this, sorting hashes is cheaper
constexpr std::size_t kMaxQuotedNumber = 40;          // longer numbers are shortened in messages

inline bool isJsonSpace(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

inline bool isDigit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

// Length of the well-formed UTF-8 sequence at p, or 0. Strict like a validating decoder: no
// overlong forms, no encoded surrogates, nothing above U+10FFFF.
int utf8Length(const char *at, const char *end, char32_t *codePoint = nullptr)
{
    const auto *p = reinterpret_cast<const unsigned char *>(at);
    const auto *e = reinterpret_cast<const unsigned char *>(end);
    const unsigned char c = p[0];
    auto cont = [&](int i) { return p + i < e && (p[i] & 0xC0) == 0x80; };
    char32_t cp = 0;
    int len = 0;
    if (c < 0x80) {
        cp = c;
        len = 1;
    } else if (c < 0xC2) {
        return 0;
    } else if (c < 0xE0) {
        if (!cont(1))
            return 0;
        cp = ((c & 0x1Fu) << 6) | (p[1] & 0x3Fu);
        len = 2;
    } else if (c < 0xF0) {
        if (!cont(1) || !cont(2))
            return 0;
        if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0))
            return 0;
        cp = ((c & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
        len = 3;
    } else if (c < 0xF5) {
        if (!cont(1) || !cont(2) || !cont(3))
            return 0;
        if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
            return 0;
        cp = ((c & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
        len = 4;
    } else {
        return 0;
    }
    if (codePoint)
        *codePoint = cp;
    return len;
}

std::string codePointName(char32_t cp)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    return buf;
}

std::string byteName(unsigned char c)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02x", static_cast<unsigned>(c));
    return buf;
}

// Printable ASCII is shown quoted; anything else (invisible, confusable) as U+XXXX.
std::string characterName(char32_t cp)
{
    if (cp > 0x20 && cp < 0x7F) {
        if (cp == '\'')
            return "\"'\"";
        return std::string{'\'', static_cast<char>(cp), '\''};
    }
    return codePointName(cp);
}

std::size_t countCodePoints(const char *from, const char *to)
{
    std::size_t n = 0;
    for (const char *p = from; p < to; ++p)
        n += (static_cast<unsigned char>(*p) & 0xC0) != 0x80;
    return n;
}

// simdjson reads "-0" as the integer 0; JSON.parse gives -0. Only texts with an integer zero
// need this look. A hit inside a string ("a -0 b") just sends the text to the exact parser.
bool mayContainNegativeZero(std::string_view text)
{
    const char *begin = text.data();
    const char *end = begin + text.size();
    for (const char *p = begin; p < end; ++p) {
        p = static_cast<const char *>(std::memchr(p, '-', static_cast<std::size_t>(end - p)));
        if (!p)
            return false;
        if (p + 1 == end || p[1] != '0')
            continue;
        // A number token starts after a structural character or whitespace ("sku-0" is text).
        if (p > begin && !std::strchr(":[, \t\r\n", p[-1]))
            continue;
        if (p + 2 == end)
            return true;
        const char next = p[2];
        if (!isDigit(static_cast<unsigned char>(next)) && next != '.' && next != 'e' && next != 'E')
            return true;
    }
    return false;
}

// For a number std::from_chars found out of range: true when it is too large (JS: Infinity),
// false when too small (JS: 0). Out of range means beyond 1e308 or below 1e-323, so comparing
// the decimal exponent of the first significant digit with 0 decides it.
bool isBeyondDoubleRange(const char *p, const char *end)
{
    if (p < end && *p == '-')
        ++p;
    const char *intEnd = p;
    while (intEnd < end && isDigit(static_cast<unsigned char>(*intEnd)))
        ++intEnd;
    long long leadExponent = 0;
    const char *q = intEnd;
    if (!(intEnd - p == 1 && *p == '0')) {
        leadExponent = intEnd - p - 1;
    } else {
        if (q == end || *q != '.')
            return false;
        const char *r = q + 1;
        while (r < end && *r == '0')
            ++r;
        if (r == end || !isDigit(static_cast<unsigned char>(*r)))
            return false;
        leadExponent = -(r - q);
    }
    while (q < end && *q != 'e' && *q != 'E')
        ++q;
    long long exponent = 0;
    if (q < end) {
        ++q;
        bool negative = false;
        if (q < end && (*q == '+' || *q == '-'))
            negative = *q++ == '-';
        for (; q < end && isDigit(static_cast<unsigned char>(*q)); ++q)
            if (exponent < 1'000'000'000'000LL) // saturate: only the sign of the sum matters
                exponent = exponent * 10 + (*q - '0');
        if (negative)
            exponent = -exponent;
    }
    return leadExponent + exponent >= 0;
}

} // namespace

std::string JsonIssue::toString() const
{
    std::string s = "line " + std::to_string(line) + ", column " + std::to_string(column) + ": ";
    s += message;
    return s;
}

TextLocator::TextLocator(std::string_view text, int firstLine)
    : m_text(text)
    , m_firstLine(firstLine)
    , m_line(firstLine)
{ }

TextLocator::Position TextLocator::locate(std::size_t offset)
{
    offset = std::min(offset, m_text.size());
    if (offset < m_offset) {
        m_offset = 0;
        m_line = m_firstLine;
        m_column = 1;
    }
    const char *from = m_text.data() + m_offset;
    const char *to = m_text.data() + offset;
    const char *lastNewline = nullptr;
    int newlines = 0;
    for (const char *p = from; p < to; ++p) {
        p = static_cast<const char *>(std::memchr(p, '\n', static_cast<std::size_t>(to - p)));
        if (!p)
            break;
        ++newlines;
        lastNewline = p;
    }
    if (lastNewline) {
        m_line += newlines;
        m_column = 1;
        from = lastNewline + 1;
    }
    m_column += static_cast<int>(countCodePoints(from, to));
    m_offset = offset;
    return {m_line, m_column};
}

namespace {

// Buffers reused between texts by the exact parser and the object check.
struct Scratch
{
    Value finishObject(Member *members, std::size_t n, bool digitKey, Arena &arena);
    bool hasDuplicateKeys(const Member *members, std::size_t n);
    std::size_t capacity() const;
    void shrink();

    struct Frame
    {
        bool isObject = false;
        bool digitKey = false; // a key starts with a digit: may need JavaScript's integer order
        std::size_t start = 0; // first pending item of this container in values / members
    };
    std::vector<Frame> frames;
    std::vector<Value> values;
    std::vector<Member> members;
    std::string decoded;
    std::vector<std::size_t> hashes;
};

} // namespace

struct JsonReader::Private
{
    Private() { resetParser(); }

    void resetParser()
    {
        parser = simdjson::dom::parser();
        // A failure here only means the first parse allocates instead.
        if (parser.allocate(kInitialCapacity, MaxDepth) != simdjson::SUCCESS)
            parser = simdjson::dom::parser();
    }

    Value convert(const simdjson::dom::document &doc, std::size_t &i, Arena &arena);
    // simdjson alone; false when the text needs the exact parser.
    bool fastParse(std::string_view text, std::size_t readable);
    // The parsed document as Values; false when the exact parser must decide (a possible -0).
    bool convertParsed(std::string_view text, Arena &arena, JsonResult &result);
    void shrink();

    simdjson::dom::parser parser;
    std::vector<char> padded; // copy of texts that lack simdjson's padding
    bool sawIntegerZero = false;
    StringStorage storage = StringStorage::Arena;
    Scratch scratch;
    std::string_view tapeText; // the text of the last parseTape()

    std::string_view keep(std::string_view s, Arena &arena) const
    {
        return storage == StringStorage::Reader ? s : arena.copy(s);
    }
};

Value JsonReader::Private::convert(const simdjson::dom::document &doc, std::size_t &i, Arena &arena)
{
    // Read straight off simdjson's tape, which skips the element API's per-value checks.
    const JsonTape tape(doc.tape.get(), doc.string_buf.get(), {});
    // A container's element: strings, the most common value, without a call.
    auto element = [&]() {
        if (tape.type(i) == '"')
            return Value::string(keep(tape.string(i++), arena));
        return convert(doc, i, arena);
    };
    switch (tape.type(i)) {
    case '[': {
        const std::size_t end = tape.after(i);
        const std::size_t n = tape.count(i);
        ++i;
        if (n == 0) {
            i = end;
            return Value::array({});
        }
        Value *items = arena.allocValues(n);
        for (std::size_t k = 0; k < n; ++k)
            items[k] = element();
        i = end;
        return Value::array({items, n});
    }
    case '{': {
        const std::size_t end = tape.after(i);
        const std::size_t n = tape.count(i);
        ++i;
        if (n == 0) {
            i = end;
            return Value::object({});
        }
        Member *out = arena.allocMembers(n);
        bool digitKey = false;
        for (std::size_t k = 0; k < n; ++k) {
            const std::string_view key = tape.string(i++);
            digitKey |= !key.empty() && isDigit(static_cast<unsigned char>(key[0]));
            out[k].key = keep(key, arena);
            out[k].value = element();
        }
        i = end;
        return scratch.finishObject(out, n, digitKey, arena);
    }
    case 'l':
    case 'u':
    case 'd': {
        const double v = tape.number(i);
        sawIntegerZero |= tape.type(i) == 'l' && v == 0;
        i += 2;
        return Value::number(v);
    }
    case '"':
        return Value::string(keep(tape.string(i++), arena));
    case 't':
        ++i;
        return Value::boolean(true);
    case 'f':
        ++i;
        return Value::boolean(false);
    case 'n':
        ++i;
        return Value::null();
    default:
        ++i;
        return {};
    }
}

Value Scratch::finishObject(Member *out, std::size_t n, bool digitKey, Arena &arena)
{
    // Source order is JavaScript order unless an integer-like key or a duplicate is present.
    if (!digitKey && !hasDuplicateKeys(out, n))
        return Value::object({out, n});
    ObjectBuilder builder(arena);
    for (std::size_t i = 0; i < n; ++i)
        builder.set(out[i].key, out[i].value);
    return builder.build();
}

bool Scratch::hasDuplicateKeys(const Member *m, std::size_t n)
{
    if (n < 2)
        return false;
    if (n <= kQuadraticDuplicateLimit) {
        for (std::size_t i = 1; i < n; ++i)
            for (std::size_t j = 0; j < i; ++j)
                if (m[i].key == m[j].key)
                    return true;
        return false;
    }
    // Equal hashes may be a collision; then the exact (slower) path runs, which is still right.
    hashes.resize(n);
    std::hash<std::string_view> hash;
    for (std::size_t i = 0; i < n; ++i)
        hashes[i] = hash(m[i].key);
    std::sort(hashes.begin(), hashes.end());
    return std::adjacent_find(hashes.begin(), hashes.end()) != hashes.end();
}

void Scratch::shrink()
{
    auto release = [](auto &container) {
        if (container.capacity() * sizeof(container[0]) > kShrinkAbove) {
            std::remove_reference_t<decltype(container)> empty;
            container.swap(empty);
        }
    };
    release(values);
    release(members);
    release(frames);
    release(decoded);
    release(hashes);
}

std::size_t Scratch::capacity() const
{
    return frames.capacity() * sizeof(Frame) + values.capacity() * sizeof(Value) + members.capacity() * sizeof(Member)
           + decoded.capacity() + hashes.capacity() * sizeof(std::size_t);
}

void JsonReader::Private::shrink()
{
    // Strings kept in the parser's buffer must outlive this parse: release it before the next.
    if (parser.capacity() > kShrinkAbove && storage == StringStorage::Arena)
        resetParser();
    if (padded.capacity() > kShrinkAbove)
        std::vector<char>().swap(padded);
    scratch.shrink();
}

namespace {

// The exact parser: used when simdjson rejects a text, to either read what JSON.parse accepts
// (1e400, integers beyond 64 bits, lone surrogates, -0) or find the first error and its place.
// Iterative, so any nesting depth is reported instead of overflowing the stack.
class ExactParser
{
public:
    ExactParser(std::string_view text, int firstLine, Arena &arena, Scratch &scratch, JsonResult &result)
        : m_begin(text.data())
        , m_p(text.data())
        , m_end(text.data() + text.size())
        , m_arena(arena)
        , m_s(scratch)
        , m_result(result)
        , m_locator(text, firstLine)
    { }

    void run();

private:
    bool fail(const char *at, std::string message);
    bool failExpecting(const char *at, std::string_view expected);
    bool failUnexpected(const char *at);
    void warn(const char *at, std::string message);

    void skipSpace()
    {
        while (m_p < m_end && isJsonSpace(static_cast<unsigned char>(*m_p)))
            ++m_p;
    }
    bool parseKey(std::string_view expected);
    bool parseString(std::string_view &out);
    bool parseEscape(const char *open);
    bool parseHex4(const char *backslash, const char *open, char32_t &out);
    bool parseNumber(Value &out);
    bool parseLiteral(std::string_view word, Value value, Value &out);
    Value closeArray();
    Value closeObject();

    const char *m_begin;
    const char *m_p;
    const char *m_end;
    Arena &m_arena;
    Scratch &m_s;
    JsonResult &m_result;
    TextLocator m_locator;
};

bool ExactParser::fail(const char *at, std::string message)
{
    if (!m_result.error) {
        const auto pos = m_locator.locate(static_cast<std::size_t>(at - m_begin));
        m_result.error = JsonIssue{pos.line, pos.column, std::move(message)};
    }
    m_result.value = {};
    m_result.warnings.clear(); // the text is rejected as a whole
    return false;
}

// Reports the end of input or bad UTF-8 as such, anything else with what was expected there.
bool ExactParser::failExpecting(const char *at, std::string_view expected)
{
    if (at == m_end)
        return fail(at, "unexpected end of input");
    const auto c = static_cast<unsigned char>(*at);
    if (c >= 0x80 && utf8Length(at, m_end) == 0)
        return fail(at, "invalid UTF-8 byte " + byteName(c));
    return fail(at, std::string(expected));
}

bool ExactParser::failUnexpected(const char *at)
{
    if (at == m_end)
        return fail(at, "unexpected end of input");
    char32_t cp = 0;
    if (utf8Length(at, m_end, &cp) == 0)
        return fail(at, "invalid UTF-8 byte " + byteName(static_cast<unsigned char>(*at)));
    return fail(at, "unexpected character " + characterName(cp));
}

void ExactParser::warn(const char *at, std::string message)
{
    const auto pos = m_locator.locate(static_cast<std::size_t>(at - m_begin));
    m_result.warnings.push_back(JsonIssue{pos.line, pos.column, std::move(message)});
}

void ExactParser::run()
{
    auto &frames = m_s.frames;
    frames.clear();
    m_s.values.clear();
    m_s.members.clear();

    Value value;
    for (;;) {
        // A value starts here (or a container opens and its first value follows).
        skipSpace();
        if (m_p == m_end) {
            fail(m_p, "unexpected end of input");
            return;
        }
        const char c = *m_p;
        if (c == '{' || c == '[') {
            if (frames.size() >= static_cast<std::size_t>(JsonReader::MaxDepth)) {
                fail(m_p, "nesting deeper than " + std::to_string(JsonReader::MaxDepth) + " levels");
                return;
            }
            const bool isObject = c == '{';
            frames.push_back({isObject, false, isObject ? m_s.members.size() : m_s.values.size()});
            ++m_p;
            skipSpace();
            if (m_p < m_end && *m_p == (isObject ? '}' : ']')) {
                ++m_p;
                value = isObject ? closeObject() : closeArray();
            } else {
                if (isObject && !parseKey("expected a key in double quotes or '}'"))
                    return;
                continue;
            }
        } else if (c == '"') {
            std::string_view s;
            if (!parseString(s))
                return;
            value = Value::string(s);
        } else if (c == 't') {
            if (!parseLiteral("true", Value::boolean(true), value))
                return;
        } else if (c == 'f') {
            if (!parseLiteral("false", Value::boolean(false), value))
                return;
        } else if (c == 'n') {
            if (!parseLiteral("null", Value::null(), value))
                return;
        } else if (c == '-' || isDigit(static_cast<unsigned char>(c))) {
            if (!parseNumber(value))
                return;
        } else {
            failUnexpected(m_p);
            return;
        }

        // Hand the value to its container; close containers that end right after it.
        for (;;) {
            if (frames.empty()) {
                skipSpace();
                if (m_p != m_end) {
                    failExpecting(m_p, "trailing content after the JSON value");
                    return;
                }
                m_result.value = value;
                return;
            }
            const bool isObject = frames.back().isObject;
            if (isObject)
                m_s.members.back().value = value;
            else
                m_s.values.push_back(value);
            skipSpace();
            if (m_p < m_end && *m_p == ',') {
                const char *comma = m_p++;
                skipSpace();
                if (m_p < m_end && *m_p == (isObject ? '}' : ']')) {
                    fail(comma, isObject ? "trailing comma before '}'" : "trailing comma before ']'");
                    return;
                }
                if (isObject && !parseKey("expected a key in double quotes after ','"))
                    return;
                break; // the next value
            }
            if (m_p < m_end && *m_p == (isObject ? '}' : ']')) {
                ++m_p;
                value = isObject ? closeObject() : closeArray();
                continue;
            }
            failExpecting(m_p, isObject ? "expected ',' or '}' after a member"
                                        : "expected ',' or ']' after an array element");
            return;
        }
    }
}

bool ExactParser::parseKey(std::string_view expected)
{
    if (m_p == m_end || *m_p != '"')
        return failExpecting(m_p, expected);
    std::string_view key;
    if (!parseString(key))
        return false;
    if (!key.empty() && isDigit(static_cast<unsigned char>(key[0])))
        m_s.frames.back().digitKey = true;
    skipSpace();
    if (m_p == m_end || *m_p != ':')
        return failExpecting(m_p, "expected ':' after a key");
    ++m_p;
    m_s.members.push_back(Member{key, Value()});
    return true;
}

bool ExactParser::parseString(std::string_view &out)
{
    const char *open = m_p++;
    const char *segment = m_p;
    bool escaped = false;
    std::string &decoded = m_s.decoded;
    for (;;) {
        while (m_p < m_end) {
            const auto c = static_cast<unsigned char>(*m_p);
            if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
                break;
            ++m_p;
        }
        if (m_p == m_end)
            return fail(open, "unterminated string");
        const auto c = static_cast<unsigned char>(*m_p);
        if (c == '"')
            break;
        if (c == '\\') {
            if (!escaped) {
                decoded.clear();
                escaped = true;
            }
            decoded.append(segment, m_p);
            if (!parseEscape(open))
                return false;
            segment = m_p;
            continue;
        }
        if (c < 0x20)
            return fail(m_p, "control character " + codePointName(c) + " in a string");
        const int len = utf8Length(m_p, m_end);
        if (len == 0)
            return fail(m_p, "invalid UTF-8 byte " + byteName(c));
        m_p += len;
    }
    if (escaped) {
        decoded.append(segment, m_p);
        out = m_arena.copy(decoded);
    } else {
        out = m_arena.copy({segment, static_cast<std::size_t>(m_p - segment)});
    }
    ++m_p; // closing quote
    return true;
}

bool ExactParser::parseEscape(const char *open)
{
    const char *backslash = m_p;
    if (m_p + 1 == m_end)
        return fail(open, "unterminated string");
    std::string &decoded = m_s.decoded;
    const char e = m_p[1];
    char simple = 0;
    switch (e) {
    case '"':
        simple = '"';
        break;
    case '\\':
        simple = '\\';
        break;
    case '/':
        simple = '/';
        break;
    case 'b':
        simple = '\b';
        break;
    case 'f':
        simple = '\f';
        break;
    case 'n':
        simple = '\n';
        break;
    case 'r':
        simple = '\r';
        break;
    case 't':
        simple = '\t';
        break;
    case 'u': {
        char32_t cp = 0;
        if (!parseHex4(backslash, open, cp))
            return false;
        m_p = backslash + 6;
        if (cp >= 0xD800 && cp <= 0xDBFF && m_end - m_p >= 6 && m_p[0] == '\\' && m_p[1] == 'u') {
            char32_t low = 0;
            bool isHex = true;
            for (int i = 0; i < 4; ++i) {
                const int h = hexDigitValue(static_cast<char>(m_p[2 + i]));
                isHex &= h >= 0;
                low = (low << 4) | static_cast<char32_t>(h < 0 ? 0 : h);
            }
            if (isHex && low >= 0xDC00 && low <= 0xDFFF) {
                appendUtf8(decoded, 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00));
                m_p += 6;
                return true;
            }
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            warn(backslash,
                 "lone UTF-16 surrogate " + std::string(backslash, 6)
                         + " in a string; JavaScript keeps it, but UTF-8 cannot hold it, so it is stored as U+FFFD");
            cp = 0xFFFD;
        }
        appendUtf8(decoded, cp);
        return true;
    }
    default: {
        char32_t cp = 0;
        if (utf8Length(m_p + 1, m_end, &cp) == 0)
            return fail(backslash, "invalid escape \\ followed by byte " + byteName(static_cast<unsigned char>(e)));
        if (cp > 0x20 && cp < 0x7F)
            return fail(backslash, std::string("invalid escape \\") + static_cast<char>(cp));
        return fail(backslash, "invalid escape \\ followed by " + codePointName(cp));
    }
    }
    decoded.push_back(simple);
    m_p += 2;
    return true;
}

bool ExactParser::parseHex4(const char *backslash, const char *open, char32_t &out)
{
    out = 0;
    for (int i = 0; i < 4; ++i) {
        const char *at = backslash + 2 + i;
        if (at >= m_end)
            return fail(open, "unterminated string");
        const auto c = static_cast<unsigned char>(*at);
        const int h = hexDigitValue(static_cast<char>(c));
        if (h < 0) {
            std::string message = "invalid escape " + std::string(backslash, at);
            if (c > 0x20 && c < 0x7F)
                message += static_cast<char>(c);
            else
                message += " followed by " + (c < 0x80 ? codePointName(c) : "byte " + byteName(c));
            return fail(backslash, message + " (\\u needs 4 hex digits)");
        }
        out = (out << 4) | static_cast<char32_t>(h);
    }
    return true;
}

bool ExactParser::parseNumber(Value &out)
{
    const char *start = m_p;
    const bool negative = *m_p == '-';
    if (negative)
        ++m_p;
    auto digit = [this] { return m_p < m_end && isDigit(static_cast<unsigned char>(*m_p)); };
    auto skipDigits = [&] {
        while (digit())
            ++m_p;
    };
    if (!digit())
        return failExpecting(m_p, "expected a digit after '-'");
    if (*m_p == '0') {
        ++m_p;
        if (digit())
            return fail(m_p - 1, "number with a leading zero");
    } else {
        skipDigits();
    }
    if (m_p < m_end && *m_p == '.') {
        ++m_p;
        if (!digit())
            return failExpecting(m_p, "expected a digit after '.'");
        skipDigits();
    }
    if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
        ++m_p;
        if (m_p < m_end && (*m_p == '+' || *m_p == '-'))
            ++m_p;
        if (!digit())
            return failExpecting(m_p, "expected a digit in the exponent");
        skipDigits();
    }

    double d = 0;
    const auto [end, ec] = std::from_chars(start, m_p, d);
    if (ec == std::errc::result_out_of_range) {
        if (isBeyondDoubleRange(start, m_p)) {
            d = negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
            std::string token(start, m_p);
            if (token.size() > kMaxQuotedNumber)
                token = token.substr(0, kMaxQuotedNumber - 3) + "...";
            warn(start, "number " + token + " is beyond the range of a double; JavaScript reads it as "
                                + (negative ? "-Infinity" : "Infinity"));
        } else {
            d = negative ? -0.0 : 0.0; // JavaScript rounds what is too small to zero, silently
        }
    } else if (ec != std::errc() || end != m_p) {
        return fail(start, "invalid number"); // not expected: the grammar was checked above
    }
    out = Value::number(d);
    return true;
}

bool ExactParser::parseLiteral(std::string_view word, Value value, Value &out)
{
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (m_p + i == m_end || m_p[i] != word[i])
            return failUnexpected(m_p + i);
    }
    m_p += word.size();
    out = value;
    return true;
}

Value ExactParser::closeArray()
{
    const Scratch::Frame frame = m_s.frames.back();
    m_s.frames.pop_back();
    const std::size_t n = m_s.values.size() - frame.start;
    if (n == 0)
        return Value::array({});
    Value *items = m_arena.allocValues(n);
    std::copy(m_s.values.begin() + static_cast<std::ptrdiff_t>(frame.start), m_s.values.end(), items);
    m_s.values.resize(frame.start);
    return Value::array({items, n});
}

Value ExactParser::closeObject()
{
    const Scratch::Frame frame = m_s.frames.back();
    m_s.frames.pop_back();
    const std::size_t n = m_s.members.size() - frame.start;
    if (n == 0)
        return Value::object({});
    Member *members = m_arena.allocMembers(n);
    std::copy(m_s.members.begin() + static_cast<std::ptrdiff_t>(frame.start), m_s.members.end(), members);
    m_s.members.resize(frame.start);
    return m_s.finishObject(members, n, frame.digitKey, m_arena);
}

} // namespace

JsonReader::JsonReader()
    : d(std::make_unique<Private>())
{ }

JsonReader::~JsonReader() = default;

void JsonReader::setStringStorage(StringStorage storage)
{
    d->storage = storage;
}

JsonReader::StringStorage JsonReader::stringStorage() const
{
    return d->storage;
}

JsonResult JsonReader::parse(std::string_view text, Arena &arena, int firstLine)
{
    return parse(text, text.size(), arena, firstLine);
}

bool JsonReader::Private::fastParse(std::string_view text, std::size_t readable)
{
    if (storage == StringStorage::Reader && parser.capacity() > kShrinkAbove)
        resetParser(); // the previous text's strings are no longer in use
    if (text.empty() || text.size() > simdjson::SIMDJSON_MAXSIZE_BYTES)
        return false;
    simdjson::padded_string_view input(text.data(), text.size(), readable);
    if (readable < text.size() + Padding) {
        if (padded.size() < text.size() + Padding)
            padded.resize(text.size() + Padding);
        std::memcpy(padded.data(), text.data(), text.size());
        input = simdjson::padded_string_view(padded.data(), text.size(), padded.size());
    }
    return !parser.parse(input).error();
}

bool JsonReader::Private::convertParsed(std::string_view text, Arena &arena, JsonResult &result)
{
    sawIntegerZero = false;
    std::size_t root = JsonTape::Root;
    const Value value = convert(parser.doc, root, arena);
    // simdjson reads "-0" as the integer 0; JavaScript keeps the sign, so the exact parser decides.
    if (sawIntegerZero && mayContainNegativeZero(text))
        return false;
    result.value = value;
    return true;
}

JsonResult JsonReader::parse(std::string_view text, std::size_t readable, Arena &arena, int firstLine)
{
    JsonResult result;
    if (!d->fastParse(text, readable) || !d->convertParsed(text, arena, result))
        ExactParser(text, firstLine, arena, d->scratch, result).run();
    d->shrink();
    return result;
}

JsonTape JsonReader::parseTape(std::string_view text, std::size_t readable)
{
    d->tapeText = {};
    if (!d->fastParse(text, readable))
        return {};
    d->tapeText = text;
    const simdjson::dom::document &doc = d->parser.doc;
    return JsonTape(doc.tape.get(), doc.string_buf.get(), text);
}

JsonResult JsonReader::convertTape(Arena &arena, int firstLine)
{
    JsonResult result;
    if (!d->convertParsed(d->tapeText, arena, result))
        ExactParser(d->tapeText, firstLine, arena, d->scratch, result).run();
    d->tapeText = {};
    d->shrink();
    return result;
}

std::size_t JsonReader::bufferCapacity() const
{
    return d->parser.capacity() + d->padded.capacity() + d->scratch.capacity();
}

} // namespace km
