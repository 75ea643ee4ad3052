#pragma once

#include "engine.h"
#include "jsops.h"

#include <string>

namespace km::support {

// Shared building blocks of the engines: message fields read the way each wrapper reads them.

// `a || b` on JavaScript values.
inline Value orElse(const Value &a, const Value &b)
{
    return a.isTruthy() ? a : b;
}

// Assigns unless the value is undefined (npm `extend` and object spread then JSON).
void setDefined(ObjectBuilder &builder, std::string_view key, const Value &value);

// A map-valued field (properties, traits) as `field || {}`: non-objects give an empty object and
// a warning, since the real code's behaviour on them is not something a user wants to rely on.
Value mapField(EngineContext &context, const Value &value, std::string_view path);

// The context object the Segment facade reads: `options` when truthy, else `context`.
Value segmentContext(const Value &message);
// A value under that context object found by obj-case, with the facade's ISO conversion applied
// (the engines convert the rest of the message up front, the context only where they read it).
Value segmentContextValue(const Value &message, std::string_view path, js::IsoTraversal flavor, Arena &arena);
// The same for a context object already looked up. AsIs: segment-cloud's traversal leaves
// array-likes (numeric `length`) alone, the message or the context itself.
enum class ContextDates { Converted, AsIs };
Value segmentContextValue(
        const Value &contextObject, ContextDates dates, std::string_view path, js::IsoTraversal flavor, Arena &arena);

// Milliseconds since the epoch for the message time, as each wrapper computes it (mapping reference 18.5).
// segment-cloud: `timestamp` after the ISO traversal, or null when the message has none.
double segmentCloudTimestamp(const Value *timestamp, double nowMillis);
double segmentDeviceTimestamp(const Value &rawMessage, double nowMillis);
double rudderCloudTimestamp(const Value &message);

// `regex.test(String(event))` for the order-completion patterns.
bool matchesCompletedOrderAnywhere(const std::string &event); // /completed ?order/i
bool matchesOrderCompletedV2(
        const std::string &event); // ^[ _]?completed[ _]?order[ _]?|^[ _]?order[ _]?completed[ _]?$
bool matchesCompletedOrderV1(const std::string &event); // ^[ _]?completed[ _]?order[ _]?$

// Sets the GET/POST form of a segment-cloud request from its payload (mapping reference 18.9).
void finishSegmentCloudRequest(HttpRequest &request, Arena &arena);

std::string typeOf(const Value &message);

// The message time when Kissmetrics cannot use it (NaN, before 2009).
void warnLongTimestamp(Translation &out, double millis);
void warnLongTimestamp(EngineContext &context, double millis);

// The Segment wrappers turn ISO-looking ids into Dates too; say so where it happens.
inline constexpr const char *kConvertedIdFields[] = {"userId", "anonymousId", "previousId", "groupId",
                                                     "event",  "name",        "category"};
void warnConvertedIds(EngineContext &context, const Value &converted);
void warnConvertedId(EngineContext &context, const char *field);

} // namespace km::support
