#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace km {

// Where a value sits in a JSON text, in bytes: [begin, end) is the value, keyBegin the opening
// quote of its member name (== begin for array elements and the root).
struct JsonSpan
{
    std::size_t keyBegin = 0;
    std::size_t begin = 0;
    std::size_t end = 0;
};

// Finds the value at a path of member names / array indices ("properties", "products", "0").
// Works on the raw text, so it finds places the parsed values do not remember; on broken JSON
// it finds what lies before the break. For a repeated member name it returns the last one,
// the one JSON.parse keeps.
std::optional<JsonSpan> locateJsonPath(std::string_view text, std::span<const std::string> path);
// The same for a dotted path as warnings and property origins give it ("properties.referrer.id").
// A member whose name itself holds dots ("referrer.id") is found too.
std::optional<JsonSpan> locateJsonPath(std::string_view text, std::string_view dottedPath);
// The spans of every element (or member) of the container at path, in one pass: for texts with
// many elements, where locating each one from the start would cost the whole text each time.
// Empty when the path does not lead to an array or an object.
std::vector<JsonSpan> locateJsonChildren(std::string_view text, std::span<const std::string> path);

// The UTF-16 offset of a byte offset in UTF-8 text (what QString and QTextCursor count).
int utf16Offset(std::string_view utf8, std::size_t byteOffset);

} // namespace km
