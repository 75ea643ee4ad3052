#pragma once

#include "value.h"

#include <functional>
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

// The own enumerable (key, value) pairs a `for…in` loop visits: object members, array indices,
// string characters (by code point). Other values have none.
void forIn(const Value &value, Arena &arena, const std::function<void(std::string_view, const Value &)> &fn);
bool hasOwnKeys(const Value &value);

// component-each: arrays call fn(item, index); objects with a numeric `length` member are taken
// for arrays (fn(obj[i], i) for i < length); other objects fn(key, value); strings fn(char, i).
// Returns false when it gave up because `length` is too large to iterate.
bool componentEach(const Value &value, Arena &arena, const std::function<void(const Value &, const Value &)> &fn);
// True when component-each would take this object for an array.
bool hasNumericLength(const Value &value);

// Segment facade `currency()`: numbers as they are; strings with every `$` removed, parseFloat;
// anything else, NaN or 0: no revenue (undefined).
Value currency(const Value &value);

// `regex.test(String(value))` style coercion helpers for event-name routing.
std::string eventText(const Value &event);

// Date for a Value the JavaScript way: `new Date(value)` (numbers are milliseconds).
double newDate(const Value &value);

// Segment facade ISO traversal. Device mode (isodate-traverse 1.x) walks objects and arrays,
// nested arrays included; cloud mode (0.3.2) skips array-likes (numeric `length`), tests values
// through their text (a one-element array holding an ISO string becomes one Date) and does not
// descend into arrays nested in arrays. Returns the same value when nothing changed.
enum class IsoTraversal { SegmentDevice, SegmentCloud };
Value convertIsoDates(const Value &value, IsoTraversal flavor, Arena &arena);

// Math.floor(ms / 1000) as a double (NaN stays NaN).
double unixSeconds(double millis);

} // namespace js
} // namespace km
