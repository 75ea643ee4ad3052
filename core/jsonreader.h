#pragma once

#include "jsontape.h"
#include "value.h"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace km {

// A problem found in a JSON text, at a 1-based line and a 1-based column counted in characters
// (UTF-8 code points), so it matches what an editor shows.
struct JsonIssue
{
    int line = 0;
    int column = 0;
    std::string message;

    // "line L, column C: message"
    std::string toString() const;
};

struct JsonResult
{
    Value value; // undefined when error is set
    std::optional<JsonIssue> error;
    std::vector<JsonIssue> warnings; // in text order
    bool ok() const { return !error.has_value(); }
};

// Maps byte offsets in a text to line/column. Calls with increasing offsets cost the distance
// walked, so reporting many places in one big text stays linear.
class TextLocator
{
public:
    explicit TextLocator(std::string_view text, int firstLine = 1);

    struct Position
    {
        int line = 0;
        int column = 0;
    };
    Position locate(std::size_t offset);

private:
    std::string_view m_text;
    int m_firstLine;
    std::size_t m_offset = 0;
    int m_line;
    int m_column = 1;
};

// Parses one JSON text into Values with JavaScript JSON.parse semantics: property order as
// JavaScript enumerates it (integer-like keys first, duplicates keep the first position and the
// last value), numbers as doubles (out-of-range numbers become ±Infinity with a warning), lone
// surrogate escapes stored as U+FFFD with a warning. Unlike JSON.parse, invalid UTF-8 and nesting
// deeper than MaxDepth are errors. Reuse one reader: it keeps its parser buffers between calls.
class JsonReader
{
public:
    static constexpr int MaxDepth = 1000;
    // Bytes that must be readable after a text for it to be parsed in place (SIMDJSON_PADDING).
    static constexpr std::size_t Padding = 64;

    JsonReader();
    ~JsonReader();
    JsonReader(const JsonReader &) = delete;
    JsonReader &operator=(const JsonReader &) = delete;

    // Where the result's strings live. Arena: as long as the arena (the default). Reader: most
    // stay in the reader's own buffer, valid only until the next parse; for callers that are done
    // with one text's values before they parse the next, and want to skip copying every string.
    enum class StringStorage { Arena, Reader };
    void setStringStorage(StringStorage storage);
    StringStorage stringStorage() const;

    // Containers of the result live in arena. firstLine numbers the text's first line.
    JsonResult parse(std::string_view text, Arena &arena, int firstLine = 1);
    // As above; readable is how many bytes starting at text.data() may be read. With at least
    // text.size() + Padding the text is parsed in place instead of being copied first.
    JsonResult parse(std::string_view text, std::size_t readable, Arena &arena, int firstLine = 1);

    // For callers that may not need Values at all: parses with the fast parser only and hands back
    // its tape, or a null tape when the text needs the exact parser (it is broken, or holds a
    // number beyond range or a lone surrogate); then call parse(). The text must stay as it is
    // until the next parse. convertTape() then gives exactly what parse() gives for that text.
    JsonTape parseTape(std::string_view text, std::size_t readable);
    JsonResult convertTape(Arena &arena, int firstLine = 1);

    // Bytes held by the reader's reusable buffers (document capacity of the parser included).
    std::size_t bufferCapacity() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace km
