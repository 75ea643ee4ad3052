#include "segmentcloudengine.h"

#include "cleaners.h"
#include "cloudpayloadwriter.h"
#include "enginesupport.h"
#include "jsops.h"
#include "segmentcloudfields.h"
#include "segmentcloudwarnings.h"

namespace km {

using namespace support;

namespace {

// The message as the integration sees it, after the facade's ISO traversal (every member but
// context and options; none when the message has a numeric length). Each field is converted
// when read, which gives the same values as converting the whole message first, for less.
class ConvertedMessage
{
public:
    ConvertedMessage(const Value &raw, Arena &arena)
        : m_arena(arena)
        , m_asIs(!raw.isObject() || js::hasNumericLength(raw))
    {
        // One pass files the members handlers read.
        static const MemberFinder finder(cloudfields::kNames);
        finder.find(raw, m_fields);
    }

    using Field = cloudfields::Field;

    Value get(Field field) const
    {
        const Value *value = m_fields[field];
        if (!value)
            return {};
        return m_asIs ? *value : js::memberWithIsoDates(*value, js::IsoTraversal::SegmentCloud, m_arena);
    }
    // A field as the message holds it (the facade leaves the channel alone).
    Value raw(Field field) const { return m_fields[field] ? *m_fields[field] : Value(); }
    // Not an object, or an object with a numeric length: nothing is converted.
    bool isArrayLike() const { return m_asIs; }
    bool has(Field field) const { return m_fields[field] != nullptr; }

private:
    Arena &m_arena;
    bool m_asIs;
    const Value *m_fields[cloudfields::Count];
};

struct CloudCall
{
    EngineContext &context;
    ConvertedMessage message;
    Value apiKey;
    Value userId;
    Value anonymousId;
    double seconds = 0;
    Value ip;
    Value userAgent;
    std::string prefixText = {}; // track: "<event> - " once prefixing applies

    Value reservedSeconds(double extra = 0) const { return Value::number(seconds + extra); }

    void addClientInfo(ObjectBuilder &payload)
    {
        // The server integration adds them only when they have a value (`if (ip) …`).
        if (ip.isTruthy())
            payload.set("_ip", ip);
        if (userAgent.isTruthy())
            payload.set("_ua", userAgent);
        context.trace().set("_ip", "context.ip", PropertyRule::Reserved);
        context.trace().set("_ua", "context.userAgent", PropertyRule::Reserved);
    }

    void traceReserved()
    {
        context.trace().set("_k", "settings.apiKey", PropertyRule::Reserved);
        context.trace().set("_p", userId.isTruthy() ? "userId" : "anonymousId", PropertyRule::Reserved);
        context.trace().set("_t", "timestamp", PropertyRule::Reserved);
        context.trace().set("_d", "", PropertyRule::Reserved);
        context.trace().set("_n", "event", PropertyRule::Reserved);
    }

    HttpRequest &send(Endpoint endpoint, const ObjectBuilder &payload)
    {
        const Value built = payload.build();
        HttpRequest &r = context.request(endpoint, built);
        r.origins = context.trace().originsFor(built);
        finishSegmentCloudRequest(r, context.arena());
        return r;
    }

    // Revenue for a track map: `revenue`, or `total` when the event reads as a completed order.
    // Undefined when there is none; warns when a value is there but unreadable.
    Value revenueOf(const Value &properties, const Value &event, std::string_view path)
    {
        const Value *revenueField = js::objCaseFind(properties, "revenue");
        Value raw = revenueField ? *revenueField : Value();
        bool fromTotal = false;
        if (!raw.isTruthy() && event.isTruthy() && matchesCompletedOrderAnywhere(js::toString(event))) {
            const Value *total = js::objCaseFind(properties, "total");
            raw = total ? *total : Value();
            fromTotal = raw.isTruthy();
        }
        const Value revenue = js::currency(raw);
        if (raw.isTruthy() && revenue.isUndefined())
            context.warn("revenue-unparsed",
                         "The revenue value cannot be read as a number, so no Billing Amount is sent.",
                         joinPath(path, fromTotal ? "total" : "revenue"));
        if (!revenue.isTruthy())
            return {};
        const std::string source = joinPath(path, fromTotal ? "total" : "revenue");
        const PropertyRule extra = fromTotal ? PropertyRule::FromTotal : PropertyRule::None;
        context.trace().set("revenue", source, PropertyRule::RevenueParsed | extra);
        context.trace().set("Billing Amount", source, PropertyRule::BillingAmountCopy | extra);
        if (fromTotal)
            cloudwarnings::revenueFromTotal(context.out(), source);
        return revenue;
    }

    // The stages one by one: clean, drop `products`, revenue and Billing Amount, prefix.
    Value stagedTrackMap(const Value &properties, const Value &event, std::string_view path)
    {
        Arena &arena = context.arena();
        const std::size_t warningsBefore = context.out().warnings.size();
        const Value cleaned = cleanProperties(properties, CleanFlavor::SegmentCloud, context, path);
        // `products` is omitted after the clean step anyway: what clean did to it is not news.
        const std::string productsPath = joinPath(path, "products");
        auto &warnings = context.out().warnings;
        for (std::size_t i = warnings.size(); i > warningsBefore; --i)
            if (warnings[i - 1].path == productsPath)
                warnings.erase(warnings.begin() + static_cast<std::ptrdiff_t>(i - 1));
        ObjectBuilder props(arena, cleaned.size() + 2);
        for (const Member &m : cleaned.members())
            if (m.key != "products")
                props.set(m.key, m.value);
        const Value revenue = revenueOf(properties, event, path);
        if (revenue.isTruthy()) {
            props.set("revenue", revenue);
            props.set("Billing Amount", revenue);
        }
        Value result = props.build();
        if (context.settings().isPrefixProperties(EngineId::SegmentCloud))
            result = prefixProperties(event, result, PrefixFlavor::ObjectKeys, context, path);
        return result;
    }

    // identify and group: the map's cleaned members, `id` set to `id` first when that is truthy (the
    // facade does it before clean), written under `prefix` in one pass. False, with `payload`
    // empty, when the single pass cannot stand in for the stages.
    bool writeMap(ObjectBuilder &payload, const Value &map, std::string_view prefix, const Value &id)
    {
        if (!context.mayTakeShortcuts())
            return false;
        CloudPayloadWriter writer(payload, context.arena(), prefix, CloudPayloadWriter::Products::Keep);
        const bool setsId = id.isTruthy();
        bool idSeen = false;
        bool written = true;
        for (const Member &m : map.members()) {
            const bool isId = setsId && m.key == "id";
            idSeen |= isId;
            if (!(written = writer.add(m.key, isId ? id : m.value)))
                break;
        }
        if (written && setsId && !idSeen)
            written = writer.add("id", id);
        if (!written)
            payload.clear();
        return written;
    }

    // The common part of every track: the map's members (see stagedTrackMap), then the reserved keys.
    ObjectBuilder baseTrack(const Value &properties,
                            const Value &event,
                            const Value &personId,
                            double extraSeconds,
                            std::string_view path)
    {
        Arena &arena = context.arena();
        ObjectBuilder payload(arena, properties.size() + 10);
        bool written = false;
        if (context.mayTakeShortcuts() && properties.isObject()) {
            // Every payload of a call (an order's products too) has the same event, so one prefix.
            if (prefixText.empty() && context.settings().isPrefixProperties(EngineId::SegmentCloud))
                prefixText = js::toString(event) + " - ";
            CloudPayloadWriter writer(payload, arena, prefixText, CloudPayloadWriter::Products::Drop);
            written = writer.addAll(properties);
            if (written) {
                const Value revenue = revenueOf(properties, event, path);
                if (revenue.isTruthy()) {
                    payload.set(writer.payloadKey("revenue"), revenue);
                    payload.set("Billing Amount", revenue);
                }
            } else {
                payload.clear();
            }
        }
        if (!written)
            payload.append(stagedTrackMap(properties, event, path));
        addClientInfo(payload);
        setDefined(payload, "_d", Value::number(1));
        setDefined(payload, "_k", apiKey);
        setDefined(payload, "_p", personId);
        payload.set("_t", reservedSeconds(extraSeconds));
        return payload;
    }
};

void track(CloudCall &call)
{
    EngineContext &context = call.context;
    const Value event = call.message.get(cloudfields::Event);
    const Value properties = mapField(context, call.message.get(cloudfields::Properties), "properties");
    const std::string eventText = js::toString(event);
    const Value personId = orElse(call.userId, call.anonymousId);

    if (!matchesOrderCompletedV2(eventText)) {
        if (properties.find("products"))
            cloudwarnings::productsRemoved(context.out());
        ObjectBuilder payload = call.baseTrack(properties, event, personId, 0, "properties");
        payload.set("_n", event);
        call.traceReserved();
        call.send(Endpoint::Event, payload);
        return;
    }

    ObjectBuilder order = call.baseTrack(properties, event, personId, 0, "properties");
    order.set("_n", event);
    call.traceReserved();
    call.send(Endpoint::Event, order);

    const Value *productsField = js::objCaseFind(properties, "products");
    if (!productsField || !productsField->isArray()) {
        cloudwarnings::orderWithoutProducts(context.out());
        return;
    }
    if (!call.userId.isTruthy() && productsField->size() > 0)
        cloudwarnings::orderProductsWithoutPerson(context.out());
    std::size_t i = 0;
    for (const Value &product : productsField->items()) {
        const std::string path = "properties.products." + std::to_string(i);
        context.trace().clear();
        const Value productProps = product.isTruthy() ? product : Value::object({});
        ObjectBuilder payload = call.baseTrack(productProps, event, call.userId, static_cast<double>(i), path);
        call.traceReserved();
        context.trace().set("_t", "timestamp", PropertyRule::Reserved);
        call.send(Endpoint::Set, payload);
        ++i;
    }
}

void page(CloudCall &call, bool isScreen)
{
    EngineContext &context = call.context;
    const Value name = call.message.get(cloudfields::Name);
    const Value category = call.message.get(cloudfields::Category);
    ObjectBuilder props(context.arena());
    props.append(mapField(context, call.message.get(cloudfields::Properties), "properties"));
    traceMembers(props.build(), context, "properties");
    if (category.isTruthy()) {
        props.set("category", category);
        context.trace().set("category", "category", PropertyRule::AddedByFacade);
    }
    if (name.isTruthy()) {
        props.set("name", name);
        context.trace().set("name", "name", PropertyRule::AddedByFacade);
    }
    const char *word = isScreen ? "Screen" : "Page";
    const Value label = orElse(name, category);
    if (!label.isTruthy())
        cloudwarnings::pageWithoutName(context.out(), js::toString(label), word);
    const Value eventName = context.str("Viewed " + js::toString(label) + " " + word);
    const Value prefixed =
            prefixProperties(EngineContext::lit(word), props.build(), PrefixFlavor::ObjectKeys, context, "properties");
    ObjectBuilder payload(context.arena(), 16);
    payload.append(prefixed);
    call.addClientInfo(payload);
    setDefined(payload, "_p", orElse(call.userId, call.anonymousId));
    payload.set("_t", call.reservedSeconds());
    setDefined(payload, "_k", call.apiKey);
    payload.set("_n", eventName);
    payload.set("_d", Value::number(1));
    call.traceReserved();
    context.trace().set("_n", label.isTruthy() && name.isTruthy() ? "name" : "category", PropertyRule::Reserved);
    call.send(Endpoint::Event, payload);
}

void identify(CloudCall &call)
{
    EngineContext &context = call.context;
    const Value traitsMap = mapField(context, call.message.get(cloudfields::Traits), "traits");
    ObjectBuilder payload(context.arena(), traitsMap.size() + 8);
    if (!call.writeMap(payload, traitsMap, {}, call.userId)) {
        ObjectBuilder traits(context.arena());
        traits.append(traitsMap);
        if (call.userId.isTruthy())
            traits.set("id", call.userId);
        payload.append(cleanProperties(traits.build(), CleanFlavor::SegmentCloud, context, "traits"));
    }
    if (call.userId.isTruthy())
        context.trace().set("id", "userId", PropertyRule::AddedByFacade);
    call.addClientInfo(payload);
    setDefined(payload, "_k", call.apiKey);
    setDefined(payload, "_p", orElse(call.userId, call.anonymousId));
    payload.set("_t", call.reservedSeconds());
    payload.set("_d", Value::number(1));
    call.traceReserved();
    call.send(Endpoint::Set, payload);

    if (call.userId.isTruthy() && call.anonymousId.isTruthy()) {
        cloudwarnings::identifyAlias(context.out());
        context.trace().clear();
        ObjectBuilder alias(context.arena());
        setDefined(alias, "_k", call.apiKey);
        alias.set("_p", call.userId);
        alias.set("_n", call.anonymousId);
        call.addClientInfo(alias);
        context.trace().set("_k", "settings.apiKey", PropertyRule::Reserved);
        context.trace().set("_p", "userId", PropertyRule::Reserved);
        context.trace().set("_n", "anonymousId", PropertyRule::Reserved);
        call.send(Endpoint::Alias, alias);
    }
}

void group(CloudCall &call)
{
    EngineContext &context = call.context;
    const Value groupId = call.message.get(cloudfields::GroupId);
    Value traitsField = call.message.get(cloudfields::Traits);
    if (!traitsField.isTruthy())
        traitsField = call.message.get(cloudfields::Properties);
    const Value traitsMap = mapField(context, traitsField, "traits");
    ObjectBuilder payload(context.arena(), traitsMap.size() + 8);
    std::size_t cleanedSize = 0;
    if (call.writeMap(payload, traitsMap, "Group - ", groupId)) {
        cleanedSize = payload.size();
    } else {
        ObjectBuilder traits(context.arena());
        traits.append(traitsMap);
        if (groupId.isTruthy())
            traits.set("id", groupId);
        const Value cleaned = cleanProperties(traits.build(), CleanFlavor::SegmentCloud, context, "traits");
        cleanedSize = cleaned.size();
        if (groupId.isTruthy())
            context.trace().set("id", "groupId", PropertyRule::AddedByFacade);
        payload.append(
                prefixProperties(EngineContext::lit("Group"), cleaned, PrefixFlavor::ObjectKeys, context, "traits"));
    }
    setDefined(payload, "Group - id", groupId);
    call.addClientInfo(payload);
    setDefined(payload, "_p", orElse(call.userId, call.anonymousId));
    payload.set("_t", call.reservedSeconds());
    setDefined(payload, "_k", call.apiKey);
    payload.set("_d", Value::number(1));
    call.traceReserved();
    context.trace().set("Group - id", "groupId", PropertyRule::Prefixed);
    if (cleanedSize > 0)
        cloudwarnings::groupTraitCase(context.out());
    call.send(Endpoint::Set, payload);
}

void alias(CloudCall &call)
{
    EngineContext &context = call.context;
    const Value from = orElse(call.message.get(cloudfields::PreviousId), call.message.get(cloudfields::From));
    const Value to = orElse(call.message.get(cloudfields::UserId), call.message.get(cloudfields::To));
    ObjectBuilder payload(context.arena(), 16);
    setDefined(payload, "_k", call.apiKey);
    setDefined(payload, "_p", from);
    setDefined(payload, "_n", to);
    call.addClientInfo(payload);
    context.trace().set("_k", "settings.apiKey", PropertyRule::Reserved);
    context.trace().set("_p", "previousId", PropertyRule::Reserved);
    context.trace().set("_n", "userId", PropertyRule::Reserved);
    if (from.isUndefined())
        context.warn("alias-without-previous", "No previousId: the /a call has no _p and aliases nothing.",
                     "previousId");
    call.send(Endpoint::Alias, payload);
}

} // namespace

void SegmentCloudEngine::run(EngineContext &context) const
{
    const Value apiKey = context.settings().apiKey();
    if (!apiKey.isTruthy())
        throw JsError("IntegrationValidationError: setting \"apiKey\" is required");
    if (!context.settings().values().contains("prefixProperties"))
        cloudwarnings::prefixDefault(context.out());

    const Value raw = context.message();
    const ConvertedMessage message(raw, context.arena());
    const Value channel = message.raw(cloudfields::Channel);
    if (!channel.isString() || channel.toString() != "server")
        cloudwarnings::channelNotServer(context.out());

    // The ids warnConvertedIds() names, in its order.
    static constexpr cloudfields::Field kIds[] = {
            cloudfields::UserId, cloudfields::AnonymousId, cloudfields::PreviousId, cloudfields::GroupId,
            cloudfields::Event,  cloudfields::Name,        cloudfields::Category};
    static_assert(std::size(kIds) == std::size(kConvertedIdFields));
    for (std::size_t i = 0; i < std::size(kIds); ++i)
        if (message.get(kIds[i]).isDate())
            warnConvertedId(context, kConvertedIdFields[i]);
    const Value contextObject = segmentContext(raw);
    const ContextDates contextDates =
            message.isArrayLike() || js::hasNumericLength(contextObject) ? ContextDates::AsIs : ContextDates::Converted;
    // obj-case paths in normal form ("userAgent" is looked up as "useragent" either way).
    const Value ip =
            segmentContextValue(contextObject, contextDates, "ip", js::IsoTraversal::SegmentCloud, context.arena());
    const Value ua = segmentContextValue(contextObject, contextDates, "useragent", js::IsoTraversal::SegmentCloud,
                                         context.arena());

    const Value timestamp = message.get(cloudfields::Timestamp);
    const double millis =
            segmentCloudTimestamp(raw.has("timestamp") ? &timestamp : nullptr, context.options().nowMillis);
    CloudCall call{context,
                   message,
                   apiKey,
                   message.get(cloudfields::UserId),
                   orElse(message.get(cloudfields::AnonymousId), message.get(cloudfields::SessionId)),
                   js::unixSeconds(millis),
                   ip,
                   ua};

    const Value typeField = message.get(cloudfields::Type);
    const std::string type = typeField.isString() ? std::string(typeField.toString()) : std::string();
    if (type == "track")
        track(call);
    else if (type == "page")
        page(call, false);
    else if (type == "screen")
        page(call, true);
    else if (type == "identify")
        identify(call);
    else if (type == "group")
        group(call);
    else if (type == "alias")
        alias(call);
    else {
        context.warn("unsupported-type",
                     type.empty() ? "The message has no type: nothing is sent."
                                  : "segment-cloud has no handler for type \"" + type + "\": nothing is sent.",
                     "type");
        return;
    }
    if (type != "alias")
        warnLongTimestamp(context, millis);
}

} // namespace km
