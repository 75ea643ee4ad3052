#include "callsummary.h"

#include "jsonformat.h"
#include "jsonlocate.h"
#include "jsonreader.h"
#include "preview.h"

#include <functional>

namespace km {

namespace {

// Text for a scalar field the way a list shows it: strings as they are, numbers and booleans
// as JavaScript writes them; nothing for null, objects and arrays.
QString fieldText(const Value &v)
{
    if (v.isString()) {
        const std::string_view s = v.toString();
        return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
    }
    if (v.isNumber() || v.isBoolean())
        return QString::fromStdString(compactJson(v));
    return {};
}

CallSummary summarize(const std::function<QString(std::string_view)> &field)
{
    CallSummary summary;
    summary.type = field("type");
    summary.user = field("userId");
    if (summary.user.isEmpty())
        summary.user = field("anonymousId");
    QString label;
    if (summary.type == QLatin1String("track")) {
        label = field("event");
    } else if (summary.type == QLatin1String("page") || summary.type == QLatin1String("screen")) {
        label = field("name");
        if (label.isEmpty())
            label = field("category");
    } else if (summary.type == QLatin1String("group")) {
        label = field("traits.name");
        if (label.isEmpty())
            label = field("groupId");
    } else if (summary.type == QLatin1String("alias")) {
        const QString from = field("previousId");
        const QString to = field("userId");
        if (!from.isEmpty() || !to.isEmpty())
            label = (from.isEmpty() ? QStringLiteral("?") : from) + QStringLiteral(" \u2192 ")
                    + (to.isEmpty() ? QStringLiteral("?") : to);
    }
    if (label.isEmpty())
        label = summary.type.isEmpty() ? QStringLiteral("(no type)") : summary.type;
    summary.label = label;
    return summary;
}

} // namespace

CallSummary summarizeCall(std::string_view json)
{
    Arena arena;
    const JsonResult parsed = parseCall(json, arena);
    if (parsed.ok()) {
        CallSummary summary = summarize([&](std::string_view path) {
            const std::size_t dot = path.find('.');
            if (dot == std::string_view::npos)
                return fieldText(parsed.value.get(path));
            return fieldText(parsed.value.get(path.substr(0, dot)).get(path.substr(dot + 1)));
        });
        summary.isValid = true;
        return summary;
    }

    // Read what can be read from the raw text: each field whose value is complete.
    JsonReader fieldReader;
    Arena fieldArena;
    CallSummary summary = summarize([&](std::string_view path) -> QString {
        const std::optional<JsonSpan> span = locateJsonPath(json, path);
        if (!span)
            return {};
        const JsonResult value = fieldReader.parse(json.substr(span->begin, span->end - span->begin), fieldArena);
        return value.ok() ? fieldText(value.value) : QString();
    });
    summary.isValid = false;
    summary.error = QString::fromStdString(parsed.error->toString());
    return summary;
}

} // namespace km
