#include "segmentdeviceengine.h"

#include "cleaners.h"
#include "enginesupport.h"
#include "jsops.h"

namespace km {

using namespace support;

namespace {

Value found(const Value *v)
{
    return v ? *v : Value();
}

void page(EngineContext &context, const Value &message)
{
    const Settings &settings = context.settings();
    const Value name = message.get("name");
    const Value category = message.get("category");
    ObjectBuilder props(context.arena());
    props.append(mapField(context, message.get("properties"), "properties"));
    traceMembers(props.build(), context, "properties");
    if (category.isTruthy()) {
        props.set("category", category);
        context.trace().set("category", "category", PropertyRule::AddedByFacade);
    }
    if (name.isTruthy()) {
        props.set("name", name);
        context.trace().set("name", "name", PropertyRule::AddedByFacade);
    }
    const Value properties = props.build();

    if (!context.environment().isSkipPageView()) {
        const auto flavor = js::IsoTraversal::SegmentDevice;
        const Value url = found(js::objCaseFind(properties, "url"));
        Value referrer = segmentContextValue(message, "referrer.url", flavor, context.arena());
        if (!referrer.isTruthy())
            referrer = segmentContextValue(message, "page.referrer", flavor, context.arena());
        if (!referrer.isTruthy())
            referrer = found(js::objCaseFind(properties, "referrer"));
        Member members[2] = {{"Viewed URL", url}, {"Referrer", orElse(referrer, EngineContext::lit("Direct"))}};
        Member *stored = context.arena().allocMembers(2);
        std::copy(std::begin(members), std::end(members), stored);
        context.push({EngineContext::lit("record"), EngineContext::lit("Page View"), Value::object({stored, 2})});
        context.warn("page-view-record",
                     "KM_SKIP_PAGE_VIEW is not set, so a \"Page View\" event is recorded first. Kissmetrics' own "
                     "script sets it when automatic page views are off (its default).",
                     "env.KM_SKIP_PAGE_VIEW");
    }

    const bool named = settings.isTrackNamedPages(EngineId::SegmentDevice);
    const bool categorized = settings.isTrackCategorizedPages(EngineId::SegmentDevice);
    const Value fullName = name.isTruthy() && category.isTruthy()
                                   ? context.str(js::toString(category) + " " + js::toString(name))
                                   : name;
    Value label;
    if (categorized && category.isTruthy())
        label = category;
    if (named && fullName.isTruthy())
        label = name;
    if (!label.isTruthy()) {
        std::string why;
        if (!name.isTruthy() && !category.isTruthy())
            why = "The page has neither a name nor a category, so no \"Viewed … Page\" event is recorded.";
        else if (name.isTruthy() && !named && !(category.isTruthy() && categorized))
            why = "Track Named Pages is off and the page has no category (or Track Categorized Pages is off), so "
                  "nothing is recorded for it.";
        else
            why = "Track Categorized Pages is off and the page has no name, so nothing is recorded for it.";
        context.warn("nothing-sent", why, name.isTruthy() ? "name" : "category");
        return;
    }
    const Value event = context.str("Viewed " + js::toString(label) + " Page");
    if (!settings.isPrefixProperties(EngineId::SegmentDevice))
        context.warn("page-prefix-always",
                     "Page properties are prefixed with \"Page - \" even though Prefix Properties is off.",
                     "properties");
    const Value prefixed = prefixProperties(EngineContext::lit("Page"), properties, PrefixFlavor::ComponentEach,
                                            context, "properties");
    context.pushWithOrigins({EngineContext::lit("record"), event, prefixed}, context.trace().originsFor(prefixed));
}

void identify(EngineContext &context, const Value &message)
{
    const Value userId = message.get("userId");
    ObjectBuilder traits(context.arena());
    traits.append(mapField(context, message.get("traits"), "traits"));
    if (userId.isTruthy())
        traits.set("id", userId);
    const Value cleaned = cleanProperties(traits.build(), CleanFlavor::SegmentDevice, context, "traits");
    if (userId.isTruthy()) {
        context.trace().set("id", "userId", PropertyRule::AddedByFacade);
        context.push({EngineContext::lit("identify"), userId});
    }
    context.pushWithOrigins({EngineContext::lit("set"), cleaned}, context.trace().originsFor(cleaned));
}

void completedOrder(
        EngineContext &context, const Value &message, const Value &event, const Value &properties, double millis)
{
    const Value *productsField = js::objCaseFind(properties, "products");
    const Value products = productsField && productsField->isArray() ? *productsField : Value::array({});
    ObjectBuilder props(context.arena());
    props.append(properties);
    traceMembers(properties, context, "properties");
    const std::string wanted = js::objCaseNormalize("products");
    for (const Member &m : properties.members()) {
        if (js::objCaseNormalize(m.key) == wanted) {
            props.remove(m.key);
            break;
        }
    }
    Value record = props.build();
    if (context.settings().isPrefixProperties(EngineId::SegmentDevice))
        record = prefixProperties(event, record, PrefixFlavor::ComponentEach, context, "properties");
    else if (js::objCaseFind(properties, "revenue") || js::objCaseFind(properties, "total"))
        context.warn("order-no-billing-amount",
                     "With Prefix Properties off, the completed-order handler sends no Billing Amount.", "properties");
    context.pushWithOrigins({EngineContext::lit("record"), event, record}, context.trace().originsFor(record));
    context.push({EngineContext::lit("function")});
    const double seconds = js::unixSeconds(millis);
    if (!context.settings().isPrefixProperties(EngineId::SegmentDevice) && products.size() > 0)
        context.warn("order-items-prefix-always",
                     "Product KM.set calls are always prefixed with the event name (the real code tests the options "
                     "object, which is always truthy).",
                     "properties.products");
    std::size_t i = 0;
    for (const Value &product : products.items()) {
        const std::string path = "properties.products." + std::to_string(i);
        context.trace().clear();
        const Value prefixed = prefixProperties(event, product, PrefixFlavor::ComponentEach, context, path);
        ObjectBuilder item(context.arena());
        item.append(prefixed);
        item.set("_t", Value::number(seconds + static_cast<double>(i)));
        item.set("_d", Value::number(1));
        context.trace().set("_t", "timestamp", PropertyRule::Reserved);
        context.trace().set("_d", "", PropertyRule::Reserved);
        const Value built = item.build();
        context.pushWithOrigins({EngineContext::lit("KM.set"), built}, context.trace().originsFor(built));
        ++i;
    }
    (void)message;
}

void track(EngineContext &context, const Value &message, double millis)
{
    const Value event = message.get("event");
    const Value properties = mapField(context, message.get("properties"), "properties");
    const std::string eventText = event.isNullish() ? std::string() : js::toString(event);
    if (event.isTruthy() && matchesCompletedOrderV1(eventText)) {
        completedOrder(context, message, event, properties, millis);
        return;
    }
    if (event.isTruthy() && matchesOrderCompletedV2(eventText) && properties.find("products"))
        context.warn("order-completed-not-special",
                     "In device mode only \"Completed Order\"-style names reach the order handler; \"" + eventText
                             + "\" is a generic track, so its products are stringified or dropped.",
                     "event");

    const Value *revenueField = js::objCaseFind(properties, "revenue");
    Value raw = found(revenueField);
    bool fromTotal = false;
    if (!raw.isTruthy() && event.isTruthy()) {
        if (!event.isString())
            throw JsError("TypeError: event.match is not a function (the event name is not a string)");
        if (matchesOrderCompletedV2(eventText)) {
            raw = found(js::objCaseFind(properties, "total"));
            fromTotal = raw.isTruthy();
        }
    }
    const Value revenue = js::currency(raw);
    ObjectBuilder props(context.arena());
    props.append(properties);
    if (!revenue.isUndefined()) {
        props.set("Billing Amount", revenue);
        props.remove("revenue");
    } else if (raw.isTruthy()) {
        context.warn("revenue-unparsed", "The revenue value cannot be read as a number.", "properties.revenue");
    }
    ObjectBuilder cleaned(context.arena());
    cleaned.append(cleanProperties(props.build(), CleanFlavor::SegmentDevice, context, "properties"));
    const std::string revenuePath = fromTotal ? "properties.total" : "properties.revenue";
    if (!revenue.isUndefined())
        context.trace().set("Billing Amount", revenuePath,
                            PropertyRule::BillingAmountCopy | PropertyRule::RevenueParsed
                                    | (fromTotal ? PropertyRule::FromTotal : PropertyRule::None));
    if (revenue.isTruthy()) {
        cleaned.set("revenue", revenue);
        context.trace().set("revenue", revenuePath, PropertyRule::RevenueParsed);
    }
    Value result = cleaned.build();
    if (context.settings().isPrefixProperties(EngineId::SegmentDevice))
        result = prefixProperties(event, result, PrefixFlavor::ComponentEach, context, "properties");
    context.pushWithOrigins({EngineContext::lit("record"), event, result}, context.trace().originsFor(result));
}

void group(EngineContext &context, const Value &message)
{
    const Value groupId = message.get("groupId");
    Value traitsField = message.get("traits");
    if (!traitsField.isTruthy())
        traitsField = message.get("properties");
    ObjectBuilder traits(context.arena());
    traits.append(mapField(context, traitsField, "traits"));
    traceMembers(traits.build(), context, "traits");
    if (groupId.isTruthy()) {
        traits.set("id", groupId);
        context.trace().set("id", "groupId", PropertyRule::AddedByFacade);
    }
    const Value prefixed = prefixProperties(EngineContext::lit("Group"), traits.build(), PrefixFlavor::ComponentEach,
                                            context, "traits");
    if (traits.size() > (groupId.isTruthy() ? 1u : 0u))
        context.warn("group-trait-case",
                     "Segment's documentation shows \"Group - Name\"; the code keeps the trait's own case "
                     "(\"Group - name\") and does not call identify first.",
                     "traits");
    context.pushWithOrigins({EngineContext::lit("set"), prefixed}, context.trace().originsFor(prefixed));
}

void alias(EngineContext &context, const Value &message)
{
    const Value to = orElse(message.get("userId"), message.get("to"));
    const Value from = orElse(message.get("previousId"), message.get("from"));
    context.push({EngineContext::lit("alias"), to, from});
}

} // namespace

void SegmentDeviceEngine::run(EngineContext &context) const
{
    if (context.options().isFirstMessage && context.environment().isMobile()) {
        Member *m = context.arena().allocMembers(1);
        *m = Member{"Mobile Session", EngineContext::lit("Yes")};
        context.push({EngineContext::lit("set"), Value::object({m, 1})});
        context.warn("mobile-session", "The user agent is a mobile one, so initialise() sets \"Mobile Session\".",
                     "env.userAgent");
    }
    const Value raw = context.message();
    const double millis = segmentDeviceTimestamp(raw, context.options().nowMillis);
    const Value message = js::convertIsoDatesOutsideContext(raw, js::IsoTraversal::SegmentDevice, context.arena());
    context.setMessage(message);
    warnConvertedIds(context, message);

    const std::string type = typeOf(message);
    if (type == "page")
        page(context, message);
    else if (type == "identify")
        identify(context, message);
    else if (type == "track")
        track(context, message, millis);
    else if (type == "group")
        group(context, message);
    else if (type == "alias")
        alias(context, message);
    else if (type == "screen")
        context.warn("unsupported-type",
                     "The analytics.js Kissmetrics integration has no screen method: nothing is sent. (Segment's "
                     "catalog marks screen as unsupported.)",
                     "type");
    else
        context.warn("unsupported-type",
                     type.empty() ? "The message has no type: nothing is sent."
                                  : "segment-device has no method for type \"" + type + "\": nothing is sent.",
                     "type");
}

} // namespace km
