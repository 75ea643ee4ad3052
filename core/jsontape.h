#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace km {

// One parsed JSON text as simdjson lays it out (its "tape", see simdjson's tape.md): one 64-bit
// word per value with the type in the top byte, numbers followed by a word holding them,
// containers pointing past their end, strings as offsets into a buffer of length-prefixed texts.
// For code that reads a message without building Values (CloudWireRoute). A view: valid until the
// JsonReader that parsed it parses again.
class JsonTape
{
public:
    static constexpr std::size_t Root = 1; // the document's value (word 0 is the tape's own root)
    static constexpr std::uint64_t PayloadMask = 0x00FFFFFFFFFFFFFFull; // a word without its type
    static constexpr std::uint64_t CountMask = 0xFFFFFF;                // a container's element count, saturated

    JsonTape() = default;
    JsonTape(const std::uint64_t *words, const std::uint8_t *strings, std::string_view text)
        : m_words(words)
        , m_strings(strings)
        , m_text(text)
    { }

    bool isNull() const { return m_words == nullptr; }
    // The JSON text it was parsed from.
    std::string_view text() const { return m_text; }

    // '{' '[' '"' 't' 'f' 'n', and for numbers 'l' (int64), 'u' (uint64) or 'd' (double).
    char type(std::size_t i) const { return static_cast<char>(m_words[i] >> 56); }
    bool isNumber(std::size_t i) const
    {
        const char t = type(i);
        return t == 'l' || t == 'u' || t == 'd';
    }

    std::string_view string(std::size_t i) const
    {
        const std::uint8_t *at = m_strings + (m_words[i] & PayloadMask);
        std::uint32_t length;
        std::memcpy(&length, at, sizeof length);
        return {reinterpret_cast<const char *>(at + sizeof length), length};
    }

    double number(std::size_t i) const
    {
        switch (type(i)) {
        case 'l': {
            std::int64_t v;
            std::memcpy(&v, &m_words[i + 1], sizeof v);
            return static_cast<double>(v);
        }
        case 'u': {
            std::uint64_t v;
            std::memcpy(&v, &m_words[i + 1], sizeof v);
            return static_cast<double>(v);
        }
        default: {
            double v;
            std::memcpy(&v, &m_words[i + 1], sizeof v);
            return v;
        }
        }
    }

    // The index after the value at i.
    std::size_t after(std::size_t i) const
    {
        switch (type(i)) {
        case '{':
        case '[':
            return static_cast<std::uint32_t>(m_words[i]);
        case 'l':
        case 'u':
        case 'd':
            return i + 2;
        default:
            return i + 1;
        }
    }

    // A container at i: the index of its closing word. An object's members are a key word and a
    // value from i + 1 up to it; an array's items likewise, without keys.
    std::size_t close(std::size_t i) const { return static_cast<std::uint32_t>(m_words[i]) - 1; }
    bool isEmpty(std::size_t container) const { return close(container) == container + 1; }
    // A container's element count (members of an object, items of an array). The tape's own
    // count saturates, so the elements of very large containers are walked.
    std::size_t count(std::size_t container) const
    {
        const std::size_t n = static_cast<std::size_t>((m_words[container] >> 32) & CountMask);
        if (n < CountMask)
            return n;
        const bool object = type(container) == '{';
        std::size_t walked = 0;
        for (std::size_t j = container + 1, end = close(container); j < end; ++walked)
            j = after(object ? j + 1 : j);
        return walked;
    }

private:
    const std::uint64_t *m_words = nullptr;
    const std::uint8_t *m_strings = nullptr;
    std::string_view m_text;
};

} // namespace km
