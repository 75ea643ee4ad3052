#pragma once

#include "translation.h"

namespace km {

// Adds a warning for each Kissmetrics limit the translated calls break: event and property names
// of 255 characters or more, commas and colons in names (Kissmetrics turns them into spaces),
// and /e or /s requests without a person (_p).
void checkKissmetricsLimits(Translation &translation);

// The names checkKissmetricsLimits() reads, one by one, for code that builds requests without a
// payload (CloudWireRoute). True when the name breaks no limit (nothing was added).
bool isKissmetricsNameClean(std::string_view name);
// Its two parts: names from this length on are too long; commas and colons become spaces.
inline constexpr std::size_t kKissmetricsNameLimit = 255;
bool hasKissmetricsPunctuation(std::string_view name);
void warnMissingPerson(Translation &translation, Endpoint endpoint);

} // namespace km
