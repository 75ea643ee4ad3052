#pragma once

#include "engine.h"

namespace km {

// The "clean" steps of the real integrations, each with its own quirks (see the mapping
// reference, section 4). `basePath` is the input path of the map, for explanations and warnings.
enum class CleanFlavor {
    SegmentCloud,  // npm `flat`, every sibling kept, values become text, null dropped at top level
    SegmentDevice, // hand-rolled flattener that stops at the first nested object; typed values
    RudderDevice,  // as SegmentDevice but without the null skip: null anywhere it looks throws
    RudderCloud,   // as SegmentDevice but the flattener is capped at depth 2 (no sibling loss)
};
Value cleanProperties(const Value &map, CleanFlavor flavor, EngineContext &context, std::string_view basePath);

enum class PrefixFlavor {
    ObjectKeys,         // segment-cloud: Object.keys, "<P> - k", no revenue special case
    ComponentEach,      // segment-device, rudder-device: component-each, revenue also writes Billing Amount
    ComponentEachTight, // rudder-cloud: as ComponentEach but "<P>-k" (revenue keeps " - ")
};
Value prefixProperties(
        const Value &prefix, const Value &map, PrefixFlavor flavor, EngineContext &context, std::string_view basePath);

// Copies an object's members into a builder with the given trace path prefix (uncleaned maps).
void traceMembers(const Value &map, EngineContext &context, std::string_view basePath);

std::string joinPath(std::string_view base, std::string_view key);

} // namespace km
