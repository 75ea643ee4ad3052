#include "messagecheck.h"

#include "jsops.h"

#include <string>

namespace km {

namespace {

void expectString(const Value &message, std::string_view field, Translation &out, const char *consequence)
{
    const Value *v = message.find(field);
    if (!v || v->isString() || v->isNull())
        return;
    out.warn("field-type",
             quote(field) + " is " + js::typeDescription(*v) + ", not a string: " + consequence, std::string(field));
}

void expectObject(const Value &message, std::string_view field, Translation &out)
{
    const Value *v = message.find(field);
    if (!v || v->isObject() || v->isNull())
        return;
    out.warn("field-type", quote(field) + " is " + js::typeDescription(*v) + ", not an object.", std::string(field));
}

} // namespace

void checkMessageShape(const Value &message, Translation &out)
{
    const Value type = message.get("type");
    if (type.isUndefined()) {
        out.warn("missing-type", "The message has no \"type\" (page, screen, identify, track, group or alias).", "type");
        return;
    }
    if (!type.isString()) {
        out.warn("field-type", std::string("\"type\" is ") + js::typeDescription(type) + ", not a string.", "type");
        return;
    }
    const std::string_view t = type.toString();
    expectString(message, "userId", out, "JavaScript turns it into text where it is used as an id.");
    expectString(message, "anonymousId", out, "JavaScript turns it into text where it is used as an id.");
    for (const char *field : {"properties", "traits", "context", "options"})
        expectObject(message, field, out);
    if (t == "track") {
        const Value *event = message.find("event");
        if (!event || event->isNullish())
            out.warn("missing-event", "A track call without \"event\": the event name is sent as undefined.", "event");
        else
            expectString(message, "event", out,
                         "JavaScript turns it into text in names and prefixes; some code paths throw on it.");
    } else if (t == "page" || t == "screen") {
        expectString(message, "name", out, "JavaScript turns it into text in the event name.");
        expectString(message, "category", out, "JavaScript turns it into text in the event name.");
    } else if (t == "group") {
        if (!message.has("groupId"))
            out.warn("missing-group-id", "A group call without \"groupId\".", "groupId");
    } else if (t == "alias") {
        if (!message.has("previousId") && !message.has("from"))
            out.warn("missing-previous-id", "An alias call without \"previousId\".", "previousId");
    }
}

} // namespace km
