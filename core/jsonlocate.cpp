#include "jsonlocate.h"

#include "textcodec.h"
#include <vector>

namespace km {

namespace {

constexpr std::size_t npos = std::string_view::npos;

bool isSpace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

std::size_t skipSpace(std::string_view text, std::size_t pos)
{
    while (pos < text.size() && isSpace(text[pos]))
        ++pos;
    return pos;
}

// pos at the opening quote; returns the position after the closing one, or npos.
std::size_t skipString(std::string_view text, std::size_t pos)
{
    for (std::size_t i = pos + 1; i < text.size(); ++i) {
        if (text[i] == '\\')
            ++i;
        else if (text[i] == '"')
            return i + 1;
        else if (text[i] == '\n')
            return npos; // a string never spans lines: stop the damage of an unclosed quote
    }
    return npos;
}

std::size_t skipValue(std::string_view text, std::size_t pos)
{
    if (pos >= text.size())
        return npos;
    const char c = text[pos];
    if (c == '"')
        return skipString(text, pos);
    if (c == '{' || c == '[') {
        std::vector<char> closers;
        while (pos < text.size()) {
            const char ch = text[pos];
            if (ch == '"') {
                pos = skipString(text, pos);
                if (pos == npos)
                    return npos;
                continue;
            }
            if (ch == '{')
                closers.push_back('}');
            else if (ch == '[')
                closers.push_back(']');
            else if (ch == '}' || ch == ']') {
                if (closers.empty() || closers.back() != ch)
                    return npos;
                closers.pop_back();
                if (closers.empty())
                    return pos + 1;
            }
            ++pos;
        }
        return npos;
    }
    const std::size_t start = pos;
    while (pos < text.size() && !isSpace(text[pos]) && text[pos] != ',' && text[pos] != ':' && text[pos] != ']'
           && text[pos] != '}' && text[pos] != '[' && text[pos] != '{' && text[pos] != '"')
        ++pos;
    return pos == start ? npos : pos;
}

// The text of a JSON string literal (without its quotes), escapes decoded.
std::string decodeString(std::string_view raw)
{
    if (raw.find('\\') == npos)
        return std::string(raw);
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '\\' || i + 1 >= raw.size()) {
            out.push_back(raw[i]);
            continue;
        }
        const char e = raw[++i];
        switch (e) {
        case 'b':
            out.push_back('\b');
            break;
        case 'f':
            out.push_back('\f');
            break;
        case 'n':
            out.push_back('\n');
            break;
        case 'r':
            out.push_back('\r');
            break;
        case 't':
            out.push_back('\t');
            break;
        case 'u': {
            unsigned unit = 0;
            if (!readHex4(raw, i + 1, &unit)) {
                out.push_back('u');
                break;
            }
            i += 4;
            unsigned low = 0;
            if (unit >= 0xD800 && unit < 0xDC00 && i + 2 < raw.size() && raw[i + 1] == '\\' && raw[i + 2] == 'u'
                && readHex4(raw, i + 3, &low) && low >= 0xDC00 && low < 0xE000) {
                unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                i += 6;
            } else if (unit >= 0xD800 && unit < 0xE000) {
                unit = 0xFFFD; // what the reader stores for a lone surrogate
            }
            appendUtf8(out, unit);
            break;
        }
        default:
            out.push_back(e);
            break; // '"', '\\', '/'
        }
    }
    return out;
}

bool parseIndex(std::string_view s, std::size_t *index)
{
    if (s.empty() || s.size() > 10 || (s.size() > 1 && s[0] == '0'))
        return false;
    std::size_t v = 0;
    for (const char c : s) {
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + static_cast<std::size_t>(c - '0');
    }
    *index = v;
    return true;
}

struct Found
{
    std::size_t keyBegin = npos;
    std::size_t begin = npos;
};

// Calls fn(nameOrNull, keyBegin, valueBegin) for each member of the object (or element of the
// array) starting at pos, until the container ends or the text breaks.
template<typename Fn>
void forEachChild(std::string_view text, std::size_t pos, Fn &&fn)
{
    const bool isObject = text[pos] == '{';
    const char closer = isObject ? '}' : ']';
    pos = skipSpace(text, pos + 1);
    std::size_t index = 0;
    while (pos < text.size() && text[pos] != closer) {
        std::size_t keyBegin = pos;
        std::string name;
        if (isObject) {
            if (text[pos] != '"')
                return;
            const std::size_t keyEnd = skipString(text, pos);
            if (keyEnd == npos)
                return;
            name = decodeString(text.substr(pos + 1, keyEnd - pos - 2));
            pos = skipSpace(text, keyEnd);
            if (pos >= text.size() || text[pos] != ':')
                return;
            pos = skipSpace(text, pos + 1);
        } else {
            name = std::to_string(index++);
        }
        if (pos >= text.size())
            return;
        fn(name, keyBegin, pos);
        const std::size_t end = skipValue(text, pos);
        if (end == npos)
            return;
        pos = skipSpace(text, end);
        if (pos < text.size() && text[pos] == ',')
            pos = skipSpace(text, pos + 1);
        else if (pos >= text.size() || text[pos] != closer)
            return;
    }
}

// The last child named `name` of the container at pos.
Found findChild(std::string_view text, std::size_t pos, std::string_view name)
{
    Found found;
    if (pos >= text.size() || (text[pos] != '{' && text[pos] != '['))
        return found;
    if (text[pos] == '[') {
        std::size_t wanted = 0;
        if (!parseIndex(name, &wanted))
            return found;
    }
    forEachChild(text, pos, [&](const std::string &child, std::size_t keyBegin, std::size_t valueBegin) {
        if (child == name) {
            found.keyBegin = keyBegin;
            found.begin = valueBegin;
        }
    });
    return found;
}

std::optional<JsonSpan> spanAt(std::string_view text, std::size_t keyBegin, std::size_t begin)
{
    std::size_t end = skipValue(text, begin);
    if (end == npos) {
        // A broken value: up to the end of its line, so there is still something to select.
        end = text.find('\n', begin);
        if (end == npos)
            end = text.size();
    }
    return JsonSpan{keyBegin, begin, end};
}

std::size_t valueStart(std::string_view text)
{
    const std::size_t bom = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    return skipSpace(text, bom);
}

std::optional<JsonSpan> locateDotted(std::string_view text,
                                     std::size_t keyBegin,
                                     std::size_t pos,
                                     const std::vector<std::string_view> &segments,
                                     std::size_t first)
{
    if (first == segments.size())
        return spanAt(text, keyBegin, pos);
    // Try "a", then "a.b", … as one member name: flattened keys hold dots.
    std::string name;
    for (std::size_t last = first; last < segments.size(); ++last) {
        if (last > first)
            name += '.';
        name += segments[last];
        const Found found = findChild(text, pos, name);
        if (found.begin == npos)
            continue;
        if (auto span = locateDotted(text, found.keyBegin, found.begin, segments, last + 1))
            return span;
    }
    return std::nullopt;
}

} // namespace

std::optional<JsonSpan> locateJsonPath(std::string_view text, std::span<const std::string> path)
{
    const std::size_t pos = valueStart(text);
    if (pos >= text.size())
        return std::nullopt;
    std::size_t keyBegin = pos;
    std::size_t at = pos;
    for (const std::string &name : path) {
        const Found found = findChild(text, at, name);
        if (found.begin == npos)
            return std::nullopt;
        keyBegin = found.keyBegin;
        at = found.begin;
    }
    return spanAt(text, keyBegin, at);
}

std::optional<JsonSpan> locateJsonPath(std::string_view text, std::string_view dottedPath)
{
    const std::size_t pos = valueStart(text);
    if (pos >= text.size())
        return std::nullopt;
    std::vector<std::string_view> segments;
    if (!dottedPath.empty()) {
        std::size_t from = 0;
        for (;;) {
            const std::size_t dot = dottedPath.find('.', from);
            segments.push_back(dottedPath.substr(from, dot == npos ? npos : dot - from));
            if (dot == npos)
                break;
            from = dot + 1;
        }
    }
    return locateDotted(text, pos, pos, segments, 0);
}

std::vector<JsonSpan> locateJsonChildren(std::string_view text, std::span<const std::string> path)
{
    std::vector<JsonSpan> children;
    const std::optional<JsonSpan> container = locateJsonPath(text, path);
    if (!container || (text[container->begin] != '[' && text[container->begin] != '{'))
        return children;
    forEachChild(text, container->begin, [&](const std::string &, std::size_t keyBegin, std::size_t valueBegin) {
        if (const std::optional<JsonSpan> span = spanAt(text, keyBegin, valueBegin))
            children.push_back(*span);
    });
    return children;
}

int utf16Offset(std::string_view utf8, std::size_t byteOffset)
{
    if (byteOffset > utf8.size())
        byteOffset = utf8.size();
    int units = 0;
    for (std::size_t i = 0; i < byteOffset; ++i) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if ((c & 0xC0) == 0x80)
            continue;               // continuation byte
        units += c >= 0xF0 ? 2 : 1; // 4-byte sequences are surrogate pairs in UTF-16
    }
    return units;
}

} // namespace km
