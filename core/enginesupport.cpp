#include "enginesupport.h"

#include "jsdate.h"
#include "jsnumber.h"
#include "jsops.h"
#include "querystring.h"

#include <algorithm>
#include <cmath>

namespace km::support {

void setDefined(ObjectBuilder &builder, std::string_view key, const Value &value)
{
    if (!value.isUndefined())
        builder.set(key, value);
}

Value mapField(EngineContext &context, const Value &value, std::string_view path)
{
    if (value.isObject())
        return value;
    if (value.isTruthy())
        context.warn("not-an-object", quote(path) + " should be an object; the engine treats it as empty.",
                     std::string(path));
    return Value::object({});
}

Value segmentContext(const Value &message)
{
    const Value options = message.get("options");
    if (options.isTruthy())
        return options;
    const Value context = message.get("context");
    return context.isTruthy() ? context : Value::object({});
}

Value segmentContextValue(const Value &message, std::string_view path, js::IsoTraversal flavor, Arena &arena)
{
    const Value contextObject = segmentContext(message);
    const bool arrayLike = flavor == js::IsoTraversal::SegmentCloud
                           && (js::hasNumericLength(message) || js::hasNumericLength(contextObject));
    return segmentContextValue(contextObject, arrayLike ? ContextDates::AsIs : ContextDates::Converted, path, flavor,
                               arena);
}

Value segmentContextValue(
        const Value &contextObject, ContextDates dates, std::string_view path, js::IsoTraversal flavor, Arena &arena)
{
    const Value *found = js::objCaseFind(contextObject, path);
    if (!found)
        return {};
    if (dates == ContextDates::AsIs)
        return *found;
    return js::memberWithIsoDates(*found, flavor, arena);
}

namespace {

double secondsOrMillis(double n)
{
    return n < 31557600000.0 ? n * 1000.0 : n;
}

bool hasDigitRun(std::string_view s, std::size_t length)
{
    std::size_t run = 0;
    for (char c : s) {
        run = (c >= '0' && c <= '9') ? run + 1 : 0;
        if (run >= length)
            return true;
    }
    return false;
}

// ASCII only, as a JavaScript /i match of these ASCII patterns is.
std::string lower(std::string s)
{
    for (char &c : s)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return s;
}

// Matches `[ _]?` then `word` at position `pos`; returns the position after it or npos.
std::size_t matchWordsAt(const std::string &s, std::size_t pos, const char *first, const char *second)
{
    auto optSep = [&](std::size_t p) { return p < s.size() && (s[p] == ' ' || s[p] == '_') ? p + 1 : p; };
    auto word = [&](std::size_t p, const char *w) -> std::size_t {
        const std::size_t n = std::char_traits<char>::length(w);
        return s.compare(p, n, w) == 0 ? p + n : std::string::npos;
    };
    // [ _]? is greedy but may backtrack: try with and without the separator.
    for (std::size_t start : {optSep(pos), pos}) {
        std::size_t p = word(start, first);
        if (p == std::string::npos)
            continue;
        for (std::size_t mid : {optSep(p), p}) {
            std::size_t q = word(mid, second);
            if (q != std::string::npos)
                return q;
        }
    }
    return std::string::npos;
}

} // namespace

double segmentCloudTimestamp(const Value *ts, double nowMillis)
{
    if (!ts)
        return nowMillis;
    switch (ts->type()) {
    case Value::Type::Date:
        return ts->toNumber();
    case Value::Type::Number:
        return js::newDate(Value::number(secondsOrMillis(ts->toNumber())));
    case Value::Type::String: {
        const double parsed = js::parseDate(ts->toString());
        if (!std::isnan(parsed))
            return parsed;
        const double leading = js::parseInt10(ts->toString());
        if (std::isnan(leading))
            return leading;
        return js::newDate(Value::number(secondsOrMillis(leading)));
    }
    default:
        return js::newDate(*ts);
    }
}

double segmentDeviceTimestamp(const Value &message, double nowMillis)
{
    const Value *ts = message.find("timestamp");
    if (!ts)
        return nowMillis;
    if (ts->isNumber())
        return js::newDate(Value::number(secondsOrMillis(ts->toNumber())));
    if (ts->isString()) {
        const std::string_view s = ts->toString();
        if (js::isIsoDate(s, js::IsoStrictness::Loose))
            return js::parseIsoDate(s, js::IsoFraction::Truncate);
        if (hasDigitRun(s, 13))
            return js::newDate(Value::number(js::parseInt10(s)));
        if (hasDigitRun(s, 10))
            return js::newDate(Value::number(js::parseInt10(s) * 1000));
        return js::parseDate(s);
    }
    return js::newDate(*ts);
}

double rudderCloudTimestamp(const Value &message)
{
    Value ts = message.get("timestamp");
    if (!ts.isTruthy())
        ts = message.get("originalTimestamp");
    return js::newDate(ts);
}

bool matchesCompletedOrderAnywhere(const std::string &event)
{
    const std::string s = lower(event);
    for (std::size_t pos = s.find("completed"); pos != std::string::npos; pos = s.find("completed", pos + 1)) {
        std::size_t p = pos + 9;
        if (p < s.size() && s[p] == ' ')
            ++p;
        if (s.compare(p, 5, "order") == 0)
            return true;
    }
    return false;
}

bool matchesCompletedOrderV1(const std::string &event)
{
    const std::string s = lower(event);
    for (std::size_t start : {std::size_t(0)}) {
        // ^[ _]?completed[ _]?order[ _]?$
        for (std::size_t a : {std::size_t(1), std::size_t(0)}) {
            if (a == 1 && !(s.size() > 0 && (s[0] == ' ' || s[0] == '_')))
                continue;
            std::size_t p = start + a;
            if (s.compare(p, 9, "completed") != 0)
                continue;
            p += 9;
            for (std::size_t b : {std::size_t(1), std::size_t(0)}) {
                if (b == 1 && !(p < s.size() && (s[p] == ' ' || s[p] == '_')))
                    continue;
                std::size_t q = p + b;
                if (s.compare(q, 5, "order") != 0)
                    continue;
                q += 5;
                if (q == s.size() || (q + 1 == s.size() && (s[q] == ' ' || s[q] == '_')))
                    return true;
            }
        }
    }
    return false;
}

bool matchesOrderCompletedV2(const std::string &event)
{
    const std::string s = lower(event);
    if (matchWordsAt(s, 0, "completed", "order") != std::string::npos)
        return true;
    // ^[ _]?order[ _]?completed[ _]?$
    for (std::size_t a : {std::size_t(1), std::size_t(0)}) {
        if (a == 1 && !(!s.empty() && (s[0] == ' ' || s[0] == '_')))
            continue;
        if (s.compare(a, 5, "order") != 0)
            continue;
        std::size_t p = a + 5;
        for (std::size_t b : {std::size_t(1), std::size_t(0)}) {
            if (b == 1 && !(p < s.size() && (s[p] == ' ' || s[p] == '_')))
                continue;
            std::size_t q = p + b;
            if (s.compare(q, 9, "completed") != 0)
                continue;
            q += 9;
            if (q == s.size() || (q + 1 == s.size() && (s[q] == ' ' || s[q] == '_')))
                return true;
        }
    }
    return false;
}

void finishSegmentCloudRequest(HttpRequest &request, Arena &arena)
{
    request.pairs.clear();
    request.wire.clear();
    // The length test uses qs's default form, which is also the POST body; a GET re-serialises
    // with repeated keys and bare nulls, which only differs when there are arrays, objects or nulls.
    qs::collectPairs(request.payload, qs::ArrayFormat::Indices, qs::NullFormat::EmptyValue, arena, request.pairs);
    qs::appendPairs(request.wire, request.pairs);
    if (request.wire.size() > 2048) {
        request.method = HttpMethod::Post;
        return;
    }
    request.method = HttpMethod::Get;
    for (const Member &m : request.payload.members()) {
        if (m.value.isArray() || m.value.isObject() || m.value.isNull()) {
            request.pairs.clear();
            request.wire.clear();
            qs::collectPairs(request.payload, qs::ArrayFormat::Repeat, qs::NullFormat::BareKey, arena, request.pairs);
            qs::appendPairs(request.wire, request.pairs);
            return;
        }
    }
}

std::string typeOf(const Value &message)
{
    const Value type = message.get("type");
    return type.isString() ? std::string(type.toString()) : std::string();
}

void warnConvertedId(EngineContext &context, const char *field)
{
    context.warn("id-became-date",
                 quote(field)
                         + " looks like an ISO date, so Segment's message wrapper turns it into a Date "
                           "before the integration sees it.",
                 field);
}

void warnConvertedIds(EngineContext &context, const Value &converted)
{
    // Nearly always no member became a Date: one pass over the members says so.
    const auto members = converted.members();
    if (!converted.isObject()
        || std::none_of(members.begin(), members.end(), [](const Member &m) { return m.value.isDate(); }))
        return;
    for (const char *field : kConvertedIdFields)
        if (converted.get(field).isDate())
            warnConvertedId(context, field);
}

void warnLongTimestamp(Translation &out, double millis)
{
    if (std::isnan(millis)) {
        out.warn("invalid-timestamp", "The message time cannot be read as a date, so _t is NaN.", "timestamp");
        return;
    }
    if (millis < 1230768000000.0)
        out.warn("before-2009", "The message time is before 2009-01-01; Kissmetrics does not store data that old.",
                 "timestamp");
}

void warnLongTimestamp(EngineContext &context, double millis)
{
    warnLongTimestamp(context.out(), millis);
}

} // namespace km::support
