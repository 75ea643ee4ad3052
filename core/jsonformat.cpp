#include "jsonformat.h"

#include "jsonwriter.h"

#include <algorithm>

namespace km {

namespace {

void appendIndent(std::string &out, int indent, int depth)
{
    out.push_back('\n');
    out.append(static_cast<std::size_t>(indent) * static_cast<std::size_t>(depth), ' ');
}

void appendScalar(std::string &out, const Value &value)
{
    switch (value.type()) {
    case Value::Type::Undefined:
    case Value::Type::Null:
        out += "null";
        break;
    case Value::Type::Boolean:
        out += value.toBool() ? "true" : "false";
        break;
    case Value::Type::Number:
        appendJsonNumber(out, value.toNumber());
        break;
    case Value::Type::String:
        appendJsonString(out, value.toString());
        break;
    default: {
        // Dates (and anything else) as JSON.stringify writes them: let the writer decide.
        JsonWriter writer;
        writer.writeValue(value, JsonWriter::UndefinedPolicy::Omit);
        out += writer.buffer();
        break;
    }
    }
}

void appendPretty(std::string &out, const Value &value, int indent, int depth)
{
    if (value.isArray()) {
        if (value.size() == 0) {
            out += "[]";
            return;
        }
        out.push_back('[');
        bool first = true;
        for (const Value &item : value.items()) {
            if (!first)
                out.push_back(',');
            first = false;
            appendIndent(out, indent, depth + 1);
            appendPretty(out, item, indent, depth + 1);
        }
        appendIndent(out, indent, depth);
        out.push_back(']');
        return;
    }
    if (value.isObject()) {
        bool first = true;
        for (const Member &m : value.members()) {
            if (m.value.isUndefined())
                continue;
            out.push_back(first ? '{' : ',');
            first = false;
            appendIndent(out, indent, depth + 1);
            appendJsonString(out, m.key);
            out += ": ";
            appendPretty(out, m.value, indent, depth + 1);
        }
        if (first) {
            out += "{}";
            return;
        }
        appendIndent(out, indent, depth);
        out.push_back('}');
        return;
    }
    appendScalar(out, value);
}

} // namespace

std::string prettyJson(const Value &value, int indent)
{
    indent = std::clamp(indent, 0, 10);
    if (indent == 0)
        return compactJson(value);
    std::string out;
    appendPretty(out, value, indent, 0);
    return out;
}

std::string compactJson(const Value &value)
{
    JsonWriter writer;
    writer.writeValue(value, JsonWriter::UndefinedPolicy::Omit);
    return std::move(writer.buffer());
}

bool reformatJson(std::string_view in, JsonStyle style, std::string *out, JsonIssue *error)
{
    Arena arena;
    JsonReader reader;
    const JsonResult result = reader.parse(in, arena);
    if (!result.ok()) {
        if (error)
            *error = *result.error;
        return false;
    }
    if (out)
        *out = style == JsonStyle::Pretty ? prettyJson(result.value) : compactJson(result.value);
    return true;
}

} // namespace km
