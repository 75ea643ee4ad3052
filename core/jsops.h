#pragma once

#include "value.h"

#include <algorithm>
#include <cstdint>

#include <stdexcept>
#include <string>

namespace km {

class ObjectBuilder;

// A JavaScript exception the real implementation would throw (TypeError, …). Engines catch it at
// the call boundary and report the call as rejected, exactly as the real code would fail.
class JsError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

namespace js {

// ToString as `String(value)` / `value.toString()` do. Throws JsError for an object whose own
// `toString` member is not a function (JSON can only give it a non-function value).
std::string toString(const Value &value);
void appendString(std::string &out, const Value &value);
// The same text as a Value whose bytes live in the arena (strings are returned as they are).
Value toStringValue(const Value &value, Arena &arena);

// `Object.prototype.toString.call(v) === '[object Object]'` after calling v.toString(): true for
// plain objects and for arrays whose join gives exactly that text (e.g. a one-object array).
bool toStringIsObjectTag(const Value &value);

// obj-case lookup as the Segment facade does it: keys compared with everything outside
// [A-Za-z0-9.] removed and case folded; dotted paths step into children. Returns the first
// match in property order even when its value is falsy; nullptr when nothing matches.
const Value *objCaseFind(const Value &object, std::string_view path);
std::string objCaseNormalize(std::string_view key);
// True when objCaseFind(object, name) would take the member named `key`, for a name in normal
// form without dots ("revenue", "useragent").
bool objCaseKeyIs(std::string_view key, std::string_view name);

// The own enumerable (key, value) pairs a `for…in` loop visits: object members, array indices,
// string characters (by code point). Other values have none.
template<typename Fn>
void forIn(const Value &value, Arena &arena, Fn &&fn);
bool hasOwnKeys(const Value &value);
// UTF-8 code points of a string, each as a Value viewing the original bytes.
std::size_t utf8SequenceLength(unsigned char lead);
std::string_view indexKey(std::uint32_t index, Arena &arena);

// component-each: arrays call fn(item, index); objects with a numeric `length` member are taken
// for arrays (fn(obj[i], i) for i < length); other objects fn(key, value); strings fn(char, i).
// Returns false when it gave up because `length` is too large to iterate.
template<typename Fn>
bool componentEach(const Value &value, Arena &arena, Fn &&fn);
// True when component-each would take this object for an array.
bool hasNumericLength(const Value &value);

// "a number", "an object", … for messages about a value.
const char *typeDescription(const Value &value);

// Segment facade `currency()`: numbers as they are; strings with every `$` removed, parseFloat;
// anything else, NaN or 0: no revenue (undefined).
Value currency(const Value &value);

// Date for a Value the JavaScript way: `new Date(value)` (numbers are milliseconds).
double newDate(const Value &value);

// Segment facade ISO traversal. Device mode (isodate-traverse 1.x) walks objects and arrays,
// nested arrays included; cloud mode (0.3.2) skips array-likes (numeric `length`), tests values
// through their text (a one-element array holding an ISO string becomes one Date) and does not
// descend into arrays nested in arrays. Returns the same value when nothing changed.
enum class IsoTraversal { SegmentDevice, SegmentCloud };
Value convertIsoDates(const Value &value, IsoTraversal flavor, Arena &arena);
// The same for a message, leaving `context` and `options` (large, and read only at a few keys)
// for memberWithIsoDates() at look-up time. The result is identical for every key an engine reads.
Value convertIsoDatesOutsideContext(const Value &message, IsoTraversal flavor, Arena &arena);
// How the traversal converts a value found as a member of an ordinary object.
Value memberWithIsoDates(const Value &value, IsoTraversal flavor, Arena &arena);
// The cloud traversal's test of a text: true, with its time, when it becomes a Date.
bool isCloudIsoDate(std::string_view text, double *millis);

// Math.floor(ms / 1000) as a double (NaN stays NaN).
double unixSeconds(double millis);

template<typename Fn>
void forIn(const Value &value, Arena &arena, Fn &&fn)
{
    if (value.isObject()) {
        for (const Member &m : value.members())
            fn(m.key, m.value);
    } else if (value.isArray()) {
        std::uint32_t i = 0;
        for (const Value &item : value.items())
            fn(indexKey(i++, arena), item);
    } else if (value.isString()) {
        const std::string_view s = value.toString();
        std::uint32_t i = 0;
        for (std::size_t pos = 0; pos < s.size();) {
            const std::size_t len = std::min(utf8SequenceLength(static_cast<unsigned char>(s[pos])), s.size() - pos);
            fn(indexKey(i++, arena), Value::string(s.substr(pos, len)));
            pos += len;
        }
    }
}

template<typename Fn>
bool componentEach(const Value &value, Arena &arena, Fn &&fn)
{
    if (value.isArray()) {
        double i = 0;
        for (const Value &item : value.items())
            fn(item, Value::number(i++));
        return true;
    }
    if (value.isString()) {
        double i = 0;
        forIn(value, arena, [&](std::string_view, const Value &ch) { fn(ch, Value::number(i++)); });
        return true;
    }
    if (!value.isObject())
        return true;
    if (hasNumericLength(value)) {
        const double length = value.find("length")->toNumber();
        if (!(length <= 1e6))
            return false;
        for (double i = 0; i < length; ++i)
            fn(value.get(indexKey(static_cast<std::uint32_t>(i), arena)), Value::number(i));
        return true;
    }
    for (const Member &m : value.members())
        fn(Value::string(m.key), m.value);
    return true;
}

} // namespace js
} // namespace km
