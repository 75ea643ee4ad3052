#include "rudderdeviceengine.h"

#include "cleaners.h"
#include "enginesupport.h"
#include "jsnumber.h"
#include "jsops.h"

namespace km {

using namespace support;

namespace {

bool prefixOn(EngineContext &context)
{
    return context.settings().isPrefixProperties(EngineId::RudderDevice);
}

void identify(EngineContext &context, const Value &message)
{
    const Value ctx = message.get("context");
    if (ctx.isNullish())
        throw JsError("TypeError: Cannot destructure property 'traits' of 'context' as it is undefined.");
    const Value traits = ctx.get("traits");
    if (traits.isNullish())
        throw JsError("TypeError: Cannot convert undefined or null to object (context.traits is missing)");
    if (message.find("traits"))
        context.warn("top-level-traits-ignored",
                     "rudder-device reads context.traits only; top-level traits are ignored.", "traits");
    const Value cleaned = cleanProperties(traits, CleanFlavor::RudderDevice, context, "context.traits");
    const Value userId = message.get("userId");
    if (userId.isTruthy())
        context.push({EngineContext::lit("identify"), userId});
    if (traits.isTruthy())
        context.pushWithOrigins({EngineContext::lit("set"), cleaned}, context.trace().originsFor(cleaned));
}

void track(EngineContext &context, const Value &message)
{
    const Value event = message.get("event");
    const Value *propertiesField = message.find("properties");
    if (!propertiesField || propertiesField->isUndefined())
        throw JsError("SyntaxError: \"undefined\" is not valid JSON (the track has no properties)");
    if (propertiesField->isNull())
        throw JsError("TypeError: Cannot destructure property 'revenue' of 'properties' as it is null.");
    const Value properties = *propertiesField;
    ObjectBuilder props(context.arena());
    if (properties.isObject())
        props.append(properties);
    const Value revenue = js::currency(properties.get("revenue"));
    if (revenue.isTruthy())
        props.set("revenue", revenue);
    const Value products = properties.get("products");
    if (products.isTruthy())
        props.remove("products");
    Value cleaned = cleanProperties(props.build(), CleanFlavor::RudderDevice, context, "properties");
    if (revenue.isTruthy())
        context.trace().addRule("revenue", PropertyRule::RevenueParsed);
    if (prefixOn(context))
        cleaned = prefixProperties(event, cleaned, PrefixFlavor::ComponentEach, context, "properties");
    else if (revenue.isTruthy())
        context.warn("revenue-no-billing-amount",
                     "With Prefix Properties off, rudder-device sends revenue but no Billing Amount.",
                     "properties.revenue");
    context.pushWithOrigins({EngineContext::lit("record"), event, cleaned}, context.trace().originsFor(cleaned));
    if (!products.isTruthy())
        return;

    context.push({EngineContext::lit("function")});
    const double now = js::unixSeconds(context.options().nowMillis);
    context.warn("product-time-is-clock",
                 "Product KM.set calls use the browser clock plus the index for _t, not the message time.",
                 "properties.products");
    std::string failure;
    js::componentEach(products, context.arena(), [&](const Value &product, const Value &index) {
        if (!failure.empty())
            return;
        context.trace().clear();
        Value item = product;
        if (prefixOn(context))
            item = prefixProperties(event, product, PrefixFlavor::ComponentEach, context, "properties.products");
        if (!item.isObject() && !item.isArray()) {
            failure = "TypeError: Cannot create property '_t' on " + std::string(item.isNull() ? "null" : "a primitive")
                      + " (a product that is not an object)";
            return;
        }
        ObjectBuilder out(context.arena());
        js::forIn(item, context.arena(), [&](std::string_view k, const Value &v) { out.set(k, v); });
        Value t;
        if (index.isNumber())
            t = Value::number(now + index.toNumber());
        else {
            std::string text;
            js::appendNumber(text, now);
            text += js::toString(index);
            t = context.str(text);
        }
        out.set("_t", t);
        out.set("_d", Value::number(1));
        const Value built = out.build();
        context.pushWithOrigins({EngineContext::lit("KM.set"), built}, context.trace().originsFor(built));
    });
    if (!failure.empty())
        context.warn("queued-function-throws", "The queued product function throws once Kissmetrics loads: " + failure,
                     "properties.products");
}

void page(EngineContext &context, const Value &message)
{
    const Value properties = message.get("properties");
    if (properties.isNullish())
        throw JsError("TypeError: Cannot read properties of " + std::string(properties.isNull() ? "null" : "undefined")
                      + " (reading 'category')");
    const Value pageName = message.get("name");
    const Value pageCategory = properties.get("category");
    std::string name = "Loaded a Page";
    if (pageName.isTruthy())
        name = "Viewed " + js::toString(pageName) + " page";
    if (pageCategory.isTruthy() && pageName.isTruthy())
        name = "Viewed " + js::toString(pageCategory) + " " + js::toString(pageName) + " page";
    if (message.get("category").isTruthy())
        context.warn("page-category-ignored",
                     "rudder-device names pages from properties.category only; the message-level category is ignored.",
                     "category");
    Value props = properties;
    traceMembers(properties, context, "properties");
    if (prefixOn(context))
        props = prefixProperties(EngineContext::lit("Page"), properties, PrefixFlavor::ComponentEach, context,
                                 "properties");
    context.pushWithOrigins({EngineContext::lit("record"), context.str(name), props},
                            context.trace().originsFor(props));
}

void group(EngineContext &context, const Value &message)
{
    const Value groupId = message.get("groupId");
    const Value traits = message.get("traits");
    traceMembers(traits, context, "traits");
    ObjectBuilder out(context.arena());
    out.append(prefixProperties(EngineContext::lit("Group"), traits, PrefixFlavor::ComponentEach, context, "traits"));
    if (groupId.isTruthy()) {
        out.set("Group - id", groupId);
        context.trace().set("Group - id", "groupId", PropertyRule::Prefixed);
    }
    const Value built = out.build();
    context.pushWithOrigins({EngineContext::lit("set"), built}, context.trace().originsFor(built));
}

} // namespace

void RudderDeviceEngine::run(EngineContext &context) const
{
    if (context.options().isFirstMessage && context.environment().isMobile()) {
        Member *m = context.arena().allocMembers(1);
        *m = Member{"Mobile Session", EngineContext::lit("Yes")};
        context.push({EngineContext::lit("set"), Value::object({m, 1})});
        context.warn("mobile-session", "The user agent is a mobile one, so init() sets \"Mobile Session\".",
                     "env.userAgent");
    }
    const Value message = context.message();
    const std::string type = typeOf(message);
    if (type == "identify")
        identify(context, message);
    else if (type == "track")
        track(context, message);
    else if (type == "page")
        page(context, message);
    else if (type == "group")
        group(context, message);
    else if (type == "alias")
        context.push({EngineContext::lit("alias"), message.get("userId"), message.get("previousId")});
    else
        context.warn("unsupported-type",
                     type.empty() ? "The message has no type: nothing is sent."
                                  : "rudder-device has no method for type \"" + type + "\": nothing is sent.",
                     "type");
}

} // namespace km
