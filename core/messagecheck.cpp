#include "messagecheck.h"

#include "jsops.h"

#include <string>

namespace km {

namespace {

// The members the checks read, found in one pass (objects hold each key once).
struct Fields
{
    enum Slot {
        Type,
        UserId,
        AnonymousId,
        Properties,
        Traits,
        Context,
        Options,
        Event,
        Name,
        Category,
        GroupId,
        PreviousId,
        From,
        Count
    };
    const Value *at[Count];

    explicit Fields(const Value &message)
    {
        static constexpr std::string_view kNames[Count] = {
                "type",  "userId", "anonymousId", "properties", "traits",     "context", "options",
                "event", "name",   "category",    "groupId",    "previousId", "from"};
        static const MemberFinder finder(kNames);
        finder.find(message, at);
    }
};

void expectString(const Value *v, std::string_view field, Translation &out, const char *consequence)
{
    if (!v || v->isString() || v->isNull())
        return;
    out.warn("field-type", quote(field) + " is " + js::typeDescription(*v) + ", not a string: " + consequence,
             std::string(field));
}

void expectObject(const Value *v, std::string_view field, Translation &out)
{
    if (!v || v->isObject() || v->isNull())
        return;
    out.warn("field-type", quote(field) + " is " + js::typeDescription(*v) + ", not an object.", std::string(field));
}

} // namespace

void checkMessageShape(const Value &message, Translation &out)
{
    const Fields f(message);
    const Value type = f.at[Fields::Type] ? *f.at[Fields::Type] : Value();
    if (type.isUndefined()) {
        out.warn("missing-type", "The message has no \"type\" (page, screen, identify, track, group or alias).",
                 "type");
        return;
    }
    if (!type.isString()) {
        out.warn("field-type", std::string("\"type\" is ") + js::typeDescription(type) + ", not a string.", "type");
        return;
    }
    const std::string_view t = type.toString();
    expectString(f.at[Fields::UserId], "userId", out, "JavaScript turns it into text where it is used as an id.");
    expectString(f.at[Fields::AnonymousId], "anonymousId", out,
                 "JavaScript turns it into text where it is used as an id.");
    expectObject(f.at[Fields::Properties], "properties", out);
    expectObject(f.at[Fields::Traits], "traits", out);
    expectObject(f.at[Fields::Context], "context", out);
    expectObject(f.at[Fields::Options], "options", out);
    if (t == "track") {
        const Value *event = f.at[Fields::Event];
        if (!event || event->isNullish())
            out.warn("missing-event", "A track call without \"event\": the event name is sent as undefined.", "event");
        else
            expectString(event, "event", out,
                         "JavaScript turns it into text in names and prefixes; some code paths throw on it.");
    } else if (t == "page" || t == "screen") {
        expectString(f.at[Fields::Name], "name", out, "JavaScript turns it into text in the event name.");
        expectString(f.at[Fields::Category], "category", out, "JavaScript turns it into text in the event name.");
    } else if (t == "group") {
        if (!f.at[Fields::GroupId])
            out.warn("missing-group-id", "A group call without \"groupId\".", "groupId");
    } else if (t == "alias") {
        if (!f.at[Fields::PreviousId] && !f.at[Fields::From])
            out.warn("missing-previous-id", "An alias call without \"previousId\".", "previousId");
    }
}

} // namespace km
