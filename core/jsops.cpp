#include "jsops.h"

#include "jsdate.h"
#include "jsnumber.h"
#include "objectbuilder.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace km::js {

namespace {

// An object's own `toString` member shadows Object.prototype.toString; JSON can only give it a
// non-callable value, so any conversion to a primitive throws.
void throwIfToStringShadowed(const Value &value)
{
    if (value.isObject() && value.find("toString"))
        throw JsError("TypeError: value.toString is not a function (the object has its own \"toString\" member)");
}

void appendArrayJoin(std::string &out, const Value &array, int depth)
{
    if (depth > 1100)
        throw JsError("RangeError: Maximum call stack size exceeded");
    bool first = true;
    for (const Value &item : array.items()) {
        if (!first)
            out.push_back(',');
        first = false;
        if (item.isNullish())
            continue;
        if (item.isArray()) {
            appendArrayJoin(out, item, depth + 1);
            continue;
        }
        appendString(out, item);
    }
}

} // namespace

std::size_t utf8SequenceLength(unsigned char lead)
{
    if (lead < 0x80)
        return 1;
    if ((lead >> 5) == 0x6)
        return 2;
    if ((lead >> 4) == 0xE)
        return 3;
    if ((lead >> 3) == 0x1E)
        return 4;
    return 1;
}

std::string_view indexKey(std::uint32_t index, Arena &arena)
{
    static const std::string_view small[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    if (index < 10)
        return small[index];
    return arena.copy(std::to_string(index));
}

void appendString(std::string &out, const Value &value)
{
    switch (value.type()) {
    case Value::Type::Undefined:
        out += "undefined";
        return;
    case Value::Type::Null:
        out += "null";
        return;
    case Value::Type::Boolean:
        out += value.toBool() ? "true" : "false";
        return;
    case Value::Type::Number:
        appendNumber(out, value.toNumber());
        return;
    case Value::Type::String:
        out += value.toString();
        return;
    case Value::Type::Date:
        out += dateToString(value.toNumber());
        return;
    case Value::Type::Array:
        appendArrayJoin(out, value, 0);
        return;
    case Value::Type::Object:
        throwIfToStringShadowed(value);
        out += "[object Object]";
        return;
    }
}

std::string toString(const Value &value)
{
    std::string out;
    appendString(out, value);
    return out;
}

Value toStringValue(const Value &value, Arena &arena)
{
    if (value.isString())
        return value;
    return Value::string(arena.copy(toString(value)));
}

bool toStringIsObjectTag(const Value &value)
{
    if (value.isObject()) {
        throwIfToStringShadowed(value);
        return true;
    }
    if (value.isArray())
        return toString(value) == "[object Object]";
    if (value.isString())
        return value.toString() == "[object Object]";
    return false;
}

std::string objCaseNormalize(std::string_view key)
{
    std::string out;
    out.reserve(key.size());
    for (char c : key) {
        if (c >= 'A' && c <= 'Z')
            out.push_back(static_cast<char>(c - 'A' + 'a'));
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.')
            out.push_back(c);
    }
    return out;
}

namespace {

// Fast check for the common case: is `key` already in normal form and equal to `path`?
bool normalizedEquals(std::string_view key, std::string_view normalizedPath, std::size_t *consumed)
{
    std::size_t p = 0;
    for (char c : key) {
        char n;
        if (c >= 'A' && c <= 'Z')
            n = static_cast<char>(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.')
            n = c;
        else
            continue;
        if (p >= normalizedPath.size() || normalizedPath[p] != n)
            return false;
        ++p;
    }
    *consumed = p;
    return true;
}

} // namespace

bool objCaseKeyIs(std::string_view key, std::string_view name)
{
    std::size_t consumed = 0;
    return normalizedEquals(key, name, &consumed) && consumed == name.size();
}

const Value *objCaseFind(const Value &object, std::string_view path)
{
    // Paths are nearly always literals already in normal form ("revenue"): no copy for those.
    const bool normal = std::all_of(path.begin(), path.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.';
    });
    const std::string normalizedPath = normal ? std::string() : objCaseNormalize(path);
    std::string_view rest = normal ? path : std::string_view(normalizedPath);
    const Value *current = &object;
    while (true) {
        if (!current->isObject())
            return nullptr;
        const Value *next = nullptr;
        bool matched = false;
        for (const Member &m : current->members()) {
            std::size_t consumed = 0;
            if (!normalizedEquals(m.key, rest, &consumed))
                continue;
            std::string_view temp = rest.substr(consumed);
            if (!temp.empty() && temp.front() != '.')
                continue;
            matched = true;
            rest = temp.empty() ? temp : temp.substr(1);
            if (m.value.isNullish() || rest.empty())
                return &m.value;
            next = &m.value;
            break;
        }
        if (!matched)
            return nullptr;
        current = next;
    }
}

bool hasOwnKeys(const Value &value)
{
    if (value.isObject() || value.isArray())
        return value.size() > 0;
    if (value.isString())
        return !value.toString().empty();
    return false;
}

bool hasNumericLength(const Value &value)
{
    if (!value.isObject())
        return false;
    const Value *length = value.find("length");
    return length && length->isNumber();
}

const char *typeDescription(const Value &value)
{
    switch (value.type()) {
    case Value::Type::Undefined:
        return "undefined";
    case Value::Type::Null:
        return "null";
    case Value::Type::Boolean:
        return "a boolean";
    case Value::Type::Number:
        return "a number";
    case Value::Type::String:
        return "a string";
    case Value::Type::Array:
        return "an array";
    case Value::Type::Object:
        return "an object";
    case Value::Type::Date:
        return "a date";
    }
    return "a value";
}

Value currency(const Value &value)
{
    if (!value.isTruthy())
        return {};
    if (value.isNumber())
        return value;
    if (!value.isString())
        return {};
    std::string text;
    for (char c : value.toString())
        if (c != '$')
            text.push_back(c);
    const double parsed = parseFloat(text);
    if (std::isnan(parsed))
        return {};
    return Value::number(parsed);
}

double newDate(const Value &value)
{
    switch (value.type()) {
    case Value::Type::Undefined:
        return std::nan("");
    case Value::Type::Null:
        return 0;
    case Value::Type::Boolean:
        return value.toBool() ? 1 : 0;
    case Value::Type::Number: {
        const double t = std::trunc(value.toNumber());
        return std::fabs(t) > 8.64e15 || std::isnan(t) ? std::nan("") : t + 0.0;
    }
    case Value::Type::Date:
        return value.toNumber();
    case Value::Type::String:
        return parseDate(value.toString());
    case Value::Type::Array:
    case Value::Type::Object:
        return parseDate(toString(value));
    }
    return std::nan("");
}

double unixSeconds(double millis)
{
    return std::floor(millis / 1000.0);
}

namespace {

Value traverseDevice(const Value &value, Arena &arena, int depth);

template<typename Convert>
Value rebuildArray(const Value &array, Arena &arena, Convert convert)
{
    Value *items = nullptr;
    const auto src = array.items();
    for (std::size_t i = 0; i < src.size(); ++i) {
        Value converted = convert(src[i]);
        if (!items) {
            if (converted.isIdentical(src[i]))
                continue;
            items = arena.allocValues(src.size());
            for (std::size_t j = 0; j < i; ++j)
                items[j] = src[j];
        }
        items[i] = converted;
    }
    return items ? Value::array({items, src.size()}) : array;
}

template<typename Convert, typename ConvertMember>
Value rebuildObject(const Value &object, Arena &arena, Convert, ConvertMember convertMember)
{
    Member *members = nullptr;
    const auto src = object.members();
    for (std::size_t i = 0; i < src.size(); ++i) {
        Value converted = convertMember(src[i]);
        if (!members) {
            if (converted.isIdentical(src[i].value))
                continue;
            members = arena.allocMembers(src.size());
            for (std::size_t j = 0; j < i; ++j)
                members[j] = src[j];
        }
        members[i] = Member{src[i].key, converted};
    }
    return members ? Value::object({members, src.size()}) : object;
}

template<typename Convert>
Value rebuildObject(const Value &object, Arena &arena, Convert convert)
{
    return rebuildObject(object, arena, convert, [&](const Member &m) { return convert(m.value); });
}

Value traverseDevice(const Value &value, Arena &arena, int depth)
{
    if (depth > 1100)
        return value;
    if (value.isObject())
        return rebuildObject(value, arena, [&](const Value &v) { return traverseDevice(v, arena, depth + 1); });
    if (value.isArray())
        return rebuildArray(value, arena, [&](const Value &v) { return traverseDevice(v, arena, depth + 1); });
    if (value.isString() && isIsoDate(value.toString(), IsoStrictness::Strict))
        return Value::date(parseIsoDate(value.toString(), IsoFraction::Truncate));
    return value;
}

// An array's text (its join) can only be a strict ISO date when it starts "dddd-dd-dd": then
// its first item is a string of at least ten characters starting so, or a nested array.
bool arrayMayBeIso(const Value &array)
{
    if (array.size() == 0)
        return false;
    const Value &first = array.items()[0];
    if (first.isArray())
        return true;
    if (!first.isString())
        return false; // numbers, booleans, dates, objects and empty texts start otherwise
    const std::string_view s = first.toString();
    auto digits = [&](std::size_t from, std::size_t n) {
        for (std::size_t i = from; i < from + n; ++i)
            if (s[i] < '0' || s[i] > '9')
                return false;
        return true;
    };
    return s.size() >= 10 && digits(0, 4) && s[4] == '-' && digits(5, 2) && s[7] == '-' && digits(8, 2);
}

// isodate 0.0.1 `is(value, strict)` tests the value's text; a match becomes a Date (isodate-traverse).
bool cloudDate(const Value &value, Value *date)
{
    double millis = 0;
    if (value.isString()) {
        if (!isCloudIsoDate(value.toString(), &millis))
            return false;
        *date = Value::date(millis);
        return true;
    }
    if (!value.isArray() || !arrayMayBeIso(value))
        return false;
    std::string text;
    try {
        text = toString(value);
    } catch (const JsError &) {
        return false;
    }
    if (!parseStrictIsoDate(text, IsoFraction::WholeNumber, &millis))
        return false;
    *date = Value::date(millis);
    return true;
}

Value traverseCloud(const Value &value, Arena &arena, int depth)
{
    if (depth > 1100)
        return value;
    if (value.isObject()) {
        if (hasNumericLength(value))
            return value; // taken for an array-like: nothing is converted
        return rebuildObject(value, arena, [&](const Value &v) {
            Value date;
            if (cloudDate(v, &date))
                return date;
            if (v.isObject() || v.isArray())
                return traverseCloud(v, arena, depth + 1);
            return v;
        });
    }
    if (value.isArray()) {
        return rebuildArray(value, arena, [&](const Value &v) {
            if (v.isObject())
                return traverseCloud(v, arena, depth + 1);
            Value date;
            if (cloudDate(v, &date))
                return date;
            return v;
        });
    }
    return value;
}

} // namespace

bool isCloudIsoDate(std::string_view text, double *millis)
{
    // Most texts fail on their first character or their length, without a call.
    return text.size() >= 10 && text[0] >= '0' && text[0] <= '9'
           && parseStrictIsoDate(text, IsoFraction::WholeNumber, millis);
}

Value convertIsoDates(const Value &value, IsoTraversal flavor, Arena &arena)
{
    return flavor == IsoTraversal::SegmentDevice ? traverseDevice(value, arena, 0) : traverseCloud(value, arena, 0);
}

Value memberWithIsoDates(const Value &value, IsoTraversal flavor, Arena &arena)
{
    if (flavor == IsoTraversal::SegmentDevice)
        return traverseDevice(value, arena, 1);
    Value date;
    if (cloudDate(value, &date))
        return date;
    if (value.isObject() || value.isArray())
        return traverseCloud(value, arena, 1);
    return value;
}

Value convertIsoDatesOutsideContext(const Value &message, IsoTraversal flavor, Arena &arena)
{
    if (!message.isObject() || (flavor == IsoTraversal::SegmentCloud && hasNumericLength(message)))
        return message;
    return rebuildObject(
            message, arena, [&](const Value &v) { return v; },
            [&](const Member &m) {
                if (m.key == "context" || m.key == "options")
                    return m.value;
                return memberWithIsoDates(m.value, flavor, arena);
            });
}

} // namespace km::js
