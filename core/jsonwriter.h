#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace km {

class Value;

// Appends `utf8` as a JSON string literal exactly as JSON.stringify writes it: '"', '\\' and
// U+0000..U+001F escaped (\b \f \n \r \t, else \u00xx in lower-case hex), everything else raw,
// U+2028/U+2029 and all other non-ASCII included. Bytes that are not UTF-8 are copied as they
// are, except a UTF-16 surrogate encoded on its own (ED A0..BF xx, how a JS string with a
// lone surrogate is carried in 8 bits): a high+low pair is written as the real 4-byte
// character, a lone one as "\udxxx", like JSON.stringify does for lone surrogates.
void appendJsonString(std::string &out, std::string_view utf8);
// A JSON number: Number::toString for finite values, "null" for NaN and +-Infinity.
void appendJsonNumber(std::string &out, double number);

// Streams JSON text into a std::string that is reused across documents (the CLI prints
// millions of lines). Separators are the writer's job: callers open/close containers, give
// keys and values, and never write ',' or ':' themselves. No pretty printing.
class JsonWriter
{
public:
    // How a JS undefined is written by writeValue()/value()/member().
    enum class UndefinedPolicy : std::uint8_t {
        Null, // the CLI contract: null everywhere, object members included
        Omit, // JSON.stringify: object members holding undefined are left out; null elsewhere
    };
    // How a Date value is written.
    enum class DatePolicy : std::uint8_t {
        IsoString,   // JSON.stringify (Date.prototype.toJSON): "2014-01-02T03:04:05.000Z", invalid -> null
        EpochMillis, // the time value as a number, invalid -> null
    };

    JsonWriter() = default;

    std::string &buffer() { return m_out; }
    const std::string &buffer() const { return m_out; }
    // Empties the text and the nesting state; keeps the capacity for the next document.
    void clear();

    // Containers and keys.
    void beginObject();
    void endObject();
    void beginArray();
    void endArray();
    void key(std::string_view name);

    // One value, preceded by ',' when needed. Integers go through double like any JS number.
    void value(std::string_view s);
    void value(const char *s) { value(std::string_view(s)); }
    void value(double number);
    void value(bool b);
    void value(std::nullptr_t);
    // (enable_if rather than a concept: moc 6.4 cannot read <concepts>.)
    template<typename T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
    void value(T number)
    {
        value(static_cast<double>(number));
    }
    void value(const Value &v,
               UndefinedPolicy undefinedPolicy = UndefinedPolicy::Null,
               DatePolicy datePolicy = DatePolicy::IsoString);
    // Already serialised JSON text, inserted as one value.
    void rawValue(std::string_view json);
    // key(name) + value(v), except that the whole member is skipped for an undefined value
    // under UndefinedPolicy::Omit.
    void member(std::string_view name,
                const Value &v,
                UndefinedPolicy undefinedPolicy = UndefinedPolicy::Null,
                DatePolicy datePolicy = DatePolicy::IsoString);

    // Bare tokens appended at the end of the buffer, with no separator handling.
    void writeString(std::string_view utf8) { appendJsonString(m_out, utf8); }
    void writeNumber(double number) { appendJsonNumber(m_out, number); }
    // A whole km::Value, recursively (an undefined at the top is written as null).
    void writeValue(const Value &v,
                    UndefinedPolicy undefinedPolicy = UndefinedPolicy::Null,
                    DatePolicy datePolicy = DatePolicy::IsoString);

private:
    void separate();

    std::string m_out;
    // One entry per open container: true until its first element has been written.
    std::vector<std::uint8_t> m_first;
    bool m_afterKey = false;
};

} // namespace km
