#pragma once

#include "translation.h"
#include "value.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace km::qs {

// How the `qs` module lays out arrays: `k[0]=a&k[1]=b` (its default) or `k=a&k=b` (`indices: false`).
enum class ArrayFormat { Indices, Repeat };
// `null` as `k=` (default) or a bare `k` (`strictNullHandling: true`).
enum class NullFormat { EmptyValue, BareKey };

// Walks a payload as qs.stringify does and appends the (not yet percent-encoded) pairs:
// nested members become `key[sub]`, Dates their ISO text, numbers and booleans their JavaScript
// text; undefined, empty arrays and empty objects give nothing.
void collectPairs(
        const Value &payload, ArrayFormat arrays, NullFormat nulls, Arena &arena, std::vector<QueryPair> &out);

// Percent-encoding as qs does it (RFC 3986: only A-Z a-z 0-9 - . _ ~ stay as they are).
void appendEncoded(std::string &out, std::string_view text);
void appendPairs(std::string &out, const std::vector<QueryPair> &pairs);

// A query string laid out raw ("k=v&k=v"), then percent-encoded in one pass: the separators are
// kept, every other byte is encoded as appendEncoded() does. Keys and values may be appended in
// pieces. Reuse one builder: it keeps its buffers.
class QueryBuilder
{
public:
    void clear();
    void beginPair()
    {
        if (m_size > 0)
            separator('&');
    }
    void equals() { separator('='); }
    void append(std::string_view raw)
    {
        reserveMore(raw.size());
        copyShort(m_raw.data() + m_size, raw);
        m_size += raw.size();
    }
    // beginPair() and a key in two pieces; returns where the key starts. One bounds check for all.
    std::size_t beginKey(std::string_view prefix, std::string_view key)
    {
        reserveMore(prefix.size() + key.size() + 1);
        std::size_t at = m_size > 0 ? putSeparator(m_size, '&') : 0;
        const std::size_t start = at;
        unsigned char *const raw = m_raw.data();
        copyShort(raw + at, prefix);
        at += prefix.size();
        copyShort(raw + at, key);
        m_size = at + key.size();
        return start;
    }
    // A whole pair: beginPair(), key, equals(), value.
    void appendPair(std::string_view key, std::string_view value)
    {
        reserveMore(key.size() + value.size() + 2);
        std::size_t at = m_size > 0 ? putSeparator(m_size, '&') : 0;
        unsigned char *const raw = m_raw.data();
        copyShort(raw + at, key);
        at = putSeparator(at + key.size(), '=');
        copyShort(raw + at, value);
        m_size = at + value.size();
    }
    // Lets write(char *) put at most maxSize bytes at the end and return how many it put.
    template<typename Write>
    void appendWith(std::size_t maxSize, Write write)
    {
        reserveMore(maxSize);
        m_size += write(reinterpret_cast<char *>(m_raw.data() + m_size));
    }
    // The raw (not yet encoded) text written so far.
    std::size_t size() const { return m_size; }
    std::string_view raw(std::size_t from, std::size_t to) const
    {
        return {reinterpret_cast<const char *>(m_raw.data()) + from, to - from};
    }
    // Appends the encoded text to out.
    void encodeTo(std::string &out);

private:
    void separator(char c)
    {
        reserveMore(1);
        m_size = putSeparator(m_size, c);
    }
    // Writes a separator at `at` (room checked by the caller) and returns the position after it.
    std::size_t putSeparator(std::size_t at, char c)
    {
        std::uint16_t &marks = m_separators[at / 16];
        marks = static_cast<std::uint16_t>(marks | (1u << (at % 16)));
        m_raw[at] = static_cast<unsigned char>(c);
        return at + 1;
    }
    // Room for n more bytes, plus what copyShort() and the encoder's speculative reads may touch.
    static constexpr std::size_t kSlack = 64;
    void reserveMore(std::size_t n)
    {
        if (m_size + n + kSlack > m_raw.size())
            grow(n);
    }
    void grow(std::size_t n);
    // Copies a text of any length, short ones without a library call (dst has 16 bytes of room
    // past its end).
    static void copyShort(unsigned char *dst, std::string_view text)
    {
        const std::size_t n = text.size();
        const char *src = text.data();
        if (n > 16) {
            std::memcpy(dst, src, n);
        } else if (n >= 8) {
            std::uint64_t head, tail;
            std::memcpy(&head, src, 8);
            std::memcpy(&tail, src + n - 8, 8);
            std::memcpy(dst, &head, 8);
            std::memcpy(dst + n - 8, &tail, 8);
        } else if (n >= 4) {
            std::uint32_t head, tail;
            std::memcpy(&head, src, 4);
            std::memcpy(&tail, src + n - 4, 4);
            std::memcpy(dst, &head, 4);
            std::memcpy(dst + n - 4, &tail, 4);
        } else if (n > 0) {
            dst[0] = static_cast<unsigned char>(src[0]);
            dst[n / 2] = static_cast<unsigned char>(src[n / 2]);
            dst[n - 1] = static_cast<unsigned char>(src[n - 1]);
        }
    }

    std::vector<unsigned char> m_raw; // sized to capacity; m_size bytes are used
    std::size_t m_size = 0;
    std::vector<std::uint16_t> m_separators; // per 16-byte block of m_raw, one bit per separator byte
    std::vector<std::uint16_t> m_escapes;
    std::vector<char> m_encoded; // sized to capacity, so encoding never clears memory first
};

// How rudder-server puts the transformer's params on the URL: each value through Go's
// fmt.Sprint, keys sorted by url.Values.Encode (spaces as '+').
void appendGoQuery(std::string &out, const Value &params);
std::string goSprint(const Value &value);

// The CLI contract's `params` for a request: a key that repeats gives a list, a bare key null.
Value paramsFromPairs(const std::vector<QueryPair> &pairs, HttpMethod method, Arena &arena);

} // namespace km::qs
