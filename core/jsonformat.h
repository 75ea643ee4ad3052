#pragma once

#include "jsonreader.h"
#include "value.h"

#include <string>
#include <string_view>

namespace km {

enum class JsonStyle { Pretty, Compact };

// JSON text of a value as JSON.stringify(v, null, indent) writes it: members in the value's
// order, numbers as JavaScript prints them, members holding undefined left out. indent is
// clamped to 0..10 like JSON.stringify's; 0 gives the compact form.
std::string prettyJson(const Value &value, int indent = 2);
std::string compactJson(const Value &value);

// Re-writes a JSON text in the given style. The text is read with JavaScript JSON.parse rules, so
// what comes out is what the engines see: integer-like keys move first, a duplicated key keeps
// its first position and its last value, 1.0 becomes 1. On a syntax error returns false, leaves
// out untouched and fills error (when given) with the place and the reason.
bool reformatJson(std::string_view in, JsonStyle style, std::string *out, JsonIssue *error = nullptr);

} // namespace km
