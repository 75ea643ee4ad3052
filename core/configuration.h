#pragma once

#include "jsonwriter.h"
#include "settings.h"
#include "translation.h"

#include <string>
#include <string_view>

namespace km {

// What the window translates with: an engine, the destination settings and the browser
// environment. Default-constructed, it is what a user sees in Segment's settings page for a new
// Kissmetrics destination, on a site where Kissmetrics' automatic page views are off.
struct Configuration
{
    EngineId engine = EngineId::SegmentCloud;
    Settings settings = defaultSettings();
    Environment environment = defaultEnvironment();

    // {"apiKey": "", "prefixProperties": true, "trackCategorizedPages": true, "trackNamedPages": true}
    static Settings defaultSettings();
    // {"KM_SKIP_PAGE_VIEW": 1}: the per-site script sets it when automatic page views are off,
    // which is Kissmetrics' default.
    static Environment defaultEnvironment();

    // {"engine": "segment-cloud", "settings": {...}, "environment": {...}}, members in order.
    void write(JsonWriter &writer) const;
    Value toValue(Arena &arena) const;
    std::string toJson() const;

    // Reads the shape write() produces. "engine" is required; a missing "settings" or
    // "environment" means an empty object (the engines' own defaults apply). On failure returns
    // false, sets error and, when given, errorKey to the member at fault ("" for the object).
    static bool
    fromValue(const Value &value, Configuration *configuration, std::string *error, std::string *errorKey = nullptr);
    static bool fromJson(std::string_view json, Configuration *configuration, std::string *error);

    // Same engine, and settings and environment with the same members in the same order.
    friend bool operator==(const Configuration &a, const Configuration &b);
};

} // namespace km
