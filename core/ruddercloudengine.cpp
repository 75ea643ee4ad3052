#include "ruddercloudengine.h"

#include "cleaners.h"
#include "enginesupport.h"
#include "jsnumber.h"
#include "jsops.h"
#include "querystring.h"

#include <algorithm>
#include <cctype>

namespace km {

using namespace support;

namespace {

struct RudderCall
{
    EngineContext &context;
    Value message;
    Value apiKey;

    bool prefixOn() const { return context.settings().isPrefixProperties(EngineId::RudderCloud); }

    Value timestampText()
    {
        std::string text;
        js::appendNumber(text, js::unixSeconds(rudderCloudTimestamp(message)));
        return context.str(text);
    }

    Value person() const { return orElse(message.get("userId"), message.get("anonymousId")); }

    void send(Endpoint endpoint, const ObjectBuilder &params)
    {
        // The transformer's params go through JSON: undefined members disappear.
        ObjectBuilder defined(context.arena());
        for (const Member &m : params.members())
            if (!m.value.isUndefined())
                defined.set(m.key, m.value);
        const Value built = defined.build();
        HttpRequest &r = context.request(endpoint, built);
        r.method = HttpMethod::Get;
        r.origins = context.trace().originsFor(built);
        qs::appendGoQuery(r.wire, built);
    }

    void traceReserved()
    {
        context.trace().set("_k", "settings.apiKey", PropertyRule::Reserved);
        context.trace().set("_p", message.get("userId").isTruthy() ? "userId" : "anonymousId", PropertyRule::Reserved);
        context.trace().set("_t", message.get("timestamp").isTruthy() ? "timestamp" : "originalTimestamp",
                            PropertyRule::Reserved);
        context.trace().set("_n", "event", PropertyRule::Reserved);
    }

    void track(const Value &event, const std::string &type, bool firstOnly)
    {
        const Value properties = message.get("properties");
        ObjectBuilder props(context.arena());
        if (properties.isTruthy())
            js::forIn(properties, context.arena(), [&](std::string_view k, const Value &v) { props.set(k, v); });
        const Value ts = timestampText();
        const Value revenue = js::currency(props.find("revenue") ? *props.find("revenue") : Value());
        if (revenue.isTruthy())
            props.set("revenue", revenue);
        const Value products = props.find("products") ? *props.find("products") : Value();
        if (products.isTruthy())
            props.remove("products");
        Value cleaned = cleanProperties(props.build(), CleanFlavor::RudderCloud, context, "properties");
        if (prefixOn()) {
            if (type == "track")
                cleaned = prefixProperties(event, cleaned, PrefixFlavor::ComponentEachTight, context, "properties");
            else if (type == "page")
                cleaned = prefixProperties(EngineContext::lit("Page"), cleaned, PrefixFlavor::ComponentEachTight,
                                           context, "properties");
        }
        if (type == "screen" && prefixOn())
            context.warn("screen-not-prefixed", "rudder-cloud never prefixes screen properties.", "properties");
        ObjectBuilder params(context.arena());
        params.append(cleaned);
        params.set("_k", apiKey);
        params.set("_p", person());
        params.set("_n", event);
        params.set("_t", ts);
        params.set("_d", Value::number(1));
        traceReserved();
        send(Endpoint::Event, params);

        if (!products.isTruthy())
            return;
        if (!products.isArray())
            throw JsError("TypeError: products.forEach is not a function (\"products\" is not an array)");
        if (firstOnly) {
            context.warn("page-products-discarded",
                         "Page and screen calls go through the track path, but only its first request is kept: the "
                         "per-product calls are discarded.",
                         "properties.products");
            return;
        }
        std::size_t i = 0;
        for (const Value &product : products.items()) {
            context.trace().clear();
            const std::string path = "properties.products." + std::to_string(i++);
            Value item = product;
            if (prefixOn())
                item = prefixProperties(event, product, PrefixFlavor::ComponentEachTight, context, path);
            else
                traceMembers(product, context, path);
            if (item.isNull())
                throw JsError("TypeError: Cannot set properties of null (setting '_k')");
            ObjectBuilder params(context.arena());
            js::forIn(item, context.arena(), [&](std::string_view k, const Value &v) { params.set(k, v); });
            if (item.isObject() || item.isArray()) {
                params.set("_k", apiKey);
                params.set("_p", person());
            }
            traceReserved();
            send(Endpoint::Set, params);
        }
    }

    void identify()
    {
        Value traits = message.get("traits");
        if (!traits.isTruthy())
            traits = message.get("context").get("traits");
        else if (message.get("context").get("traits").isTruthy())
            context.warn("context-traits-hidden",
                         "Top-level traits are set, so rudder-cloud ignores context.traits entirely.",
                         "context.traits");
        if (!traits.isTruthy())
            traits = Value::object({});
        const Value cleaned = cleanProperties(traits, CleanFlavor::RudderCloud, context, "traits");
        ObjectBuilder params(context.arena());
        params.append(cleaned);
        params.set("_k", apiKey);
        params.set("_p", person());
        params.set("_t", timestampText());
        params.set("_d", Value::number(1));
        traceReserved();
        send(Endpoint::Set, params);
    }
};

} // namespace

void RudderCloudEngine::run(EngineContext &context) const
{
    const Value message = context.message();
    const Value typeValue = message.get("type");
    if (typeValue.isNullish())
        throw JsError(std::string("TypeError: Cannot read properties of ") + (typeValue.isNull() ? "null" : "undefined")
                      + " (reading 'toLowerCase')");
    if (!typeValue.isString())
        throw JsError("TypeError: message.type.toLowerCase is not a function");
    std::string type(typeValue.toString());
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });

    RudderCall call{context, message, context.settings().apiKey()};
    if (call.apiKey.isUndefined())
        context.warn("missing-api-key", "No apiKey: rudder-cloud sends the requests without _k.", "settings.apiKey");
    if (type == "page" || type == "screen") {
        const Value name = message.get("name");
        const Value properties = message.get("properties");
        const Value category = properties.isTruthy() ? properties.get("category") : Value();
        const bool isScreen = type == "screen";
        std::string eventName = isScreen ? "Loaded a Screen" : "Loaded a Page";
        if (name.isTruthy())
            eventName = "Viewed " + js::toString(name) + (isScreen ? " screen" : " page");
        if (category.isTruthy() && name.isTruthy()) {
            eventName = "Viewed " + js::toString(category) + " " + js::toString(name) + " page";
            if (isScreen)
                context.warn(
                        "screen-named-page",
                        "A screen with a name and properties.category is named \"… page\" (a bug in rudder-cloud).",
                        "properties.category");
        }
        call.track(context.str(eventName), type, true);
    } else if (type == "track") {
        call.track(message.get("event"), type, false);
    } else if (type == "identify") {
        call.identify();
    } else if (type == "alias") {
        ObjectBuilder params(context.arena());
        params.set("_k", call.apiKey);
        params.set("_p", message.get("previousId"));
        params.set("_n", message.get("userId"));
        context.trace().set("_k", "settings.apiKey", PropertyRule::Reserved);
        context.trace().set("_p", "previousId", PropertyRule::Reserved);
        context.trace().set("_n", "userId", PropertyRule::Reserved);
        call.send(Endpoint::Alias, params);
    } else {
        throw JsError("InstrumentationError: Event type " + type + " is not supported");
    }
}

} // namespace km
