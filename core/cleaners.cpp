#include "cleaners.h"

#include "jsdate.h"
#include "jsnumber.h"
#include "jsops.h"

#include <cmath>
#include <cstring>

namespace km {

std::string joinPath(std::string_view base, std::string_view key)
{
    std::string path;
    path.reserve(base.size() + key.size() + 1);
    path += base;
    if (!base.empty())
        path += '.';
    path += key;
    return path;
}

namespace {

PropertyRule leafRules(const Value &value)
{
    if (value.isArray())
        return PropertyRule::ArrayJoined;
    if (value.isDate())
        return PropertyRule::DateToIso;
    return PropertyRule::None;
}

// npm `flat` as segment-cloud uses it: every nested object is walked, arrays are leaves.
void flatComplete(const Value &object,
                  const std::string &prev,
                  ObjectBuilder &out,
                  EngineContext &context,
                  std::string_view basePath,
                  int depth)
{
    if (depth > 1100)
        throw JsError("RangeError: Maximum call stack size exceeded");
    for (const Member &m : object.members()) {
        std::string key = prev.empty() ? std::string(m.key) : prev + "." + std::string(m.key);
        if (m.value.isObject() && m.value.size() > 0) {
            flatComplete(m.value, key, out, context, basePath, depth + 1);
            continue;
        }
        const std::string_view stored = context.arena().copy(key);
        out.set(stored, m.value);
        context.trace().setLazy(
                stored, [&] { return joinPath(basePath, key); }, PropertyRule::Flattened | leafRules(m.value));
    }
}

struct DeviceFlattener
{
    CleanFlavor flavor;
    EngineContext &context;
    std::string_view basePath;
    ObjectBuilder &output;
    int currentDepth = 1;
    int maxDepth = 0; // 0: not yet fixed

    void checkVisited(const Value &value, const std::string &key)
    {
        if (flavor == CleanFlavor::RudderDevice && value.isNullish())
            throw JsError("TypeError: Cannot convert undefined or null to object (flattening \"" + key + "\")");
        if (flavor != CleanFlavor::RudderDevice && value.isObject() && value.find("hasOwnProperty"))
            throw JsError("TypeError: value.hasOwnProperty is not a function (\"" + key
                          + "\" has its own \"hasOwnProperty\" member)");
    }

    // Returns after descending into the first non-empty nested object, as the original does.
    void step(const Value &object, const std::string &prev)
    {
        if (currentDepth > 1100)
            throw JsError("RangeError: Maximum call stack size exceeded");
        const auto members = object.members();
        for (std::size_t i = 0; i < members.size(); ++i) {
            const Member &m = members[i];
            const Value &value = m.value;
            std::string newKey = prev.empty() ? std::string(m.key) : prev + "." + std::string(m.key);
            // rudder-cloud fixes the depth limit once (at 2); the others raise it at every step.
            if (flavor == CleanFlavor::RudderCloud) {
                if (maxDepth == 0)
                    maxDepth = currentDepth + 1;
            } else {
                maxDepth = currentDepth + 1;
            }
            checkVisited(value, newKey);
            const bool isPlainOrArray = value.isObject() || value.isArray();
            if (!value.isArray() && isPlainOrArray && js::hasOwnKeys(value) && currentDepth < maxDepth) {
                ++currentDepth;
                if (i + 1 < members.size()) {
                    std::string lost;
                    for (std::size_t j = i + 1; j < members.size(); ++j) {
                        if (!lost.empty())
                            lost += ", ";
                        lost += prev.empty() ? std::string(members[j].key) : prev + "." + std::string(members[j].key);
                    }
                    context.warn("flatten-drops-siblings",
                                 "The device-mode flattener stops after the first nested object, so " + lost
                                         + " (after \"" + newKey + "\") is not sent.",
                                 joinPath(basePath, prev.empty() ? std::string(members[i + 1].key)
                                                                 : prev + "." + std::string(members[i + 1].key)));
                }
                step(value, newKey);
                return;
            }
            const std::string_view stored = context.arena().copy(newKey);
            output.set(stored, value);
            PropertyRule rules = PropertyRule::Flattened | leafRules(value);
            if (flavor == CleanFlavor::RudderCloud && value.isObject())
                context.warn("nested-object-param",
                             "rudder-cloud flattens only two levels deep: \"" + newKey
                                     + "\" is sent as a raw object, which Kissmetrics cannot store.",
                             joinPath(basePath, newKey));
            context.trace().setLazy(
                    stored, [&] { return joinPath(basePath, newKey); }, rules);
        }
    }
};

} // namespace

Value cleanProperties(const Value &map, CleanFlavor flavor, EngineContext &context, std::string_view basePath)
{
    Arena &arena = context.arena();
    ObjectBuilder ret(arena, map.size() + 4);
    const bool deviceStyle = flavor != CleanFlavor::SegmentCloud;

    if ((flavor == CleanFlavor::SegmentDevice || flavor == CleanFlavor::RudderCloud) && map.isObject()
        && map.find("hasOwnProperty"))
        throw JsError(
                "TypeError: obj.hasOwnProperty is not a function (the map has its own \"hasOwnProperty\" member)");

    js::forIn(map, arena, [&](std::string_view key, const Value &value) {
        auto path = [&] { return joinPath(basePath, key); };
        if (value.isNullish()) {
            if (flavor == CleanFlavor::RudderDevice)
                throw JsError(std::string("TypeError: Cannot read properties of ")
                              + (value.isNull() ? "null" : "undefined") + " (reading 'toString') at " + quote(path()));
            context.warn("null-dropped", quote(key) + " is null, so the clean step drops it.", path());
            return;
        }
        if (value.isDate()) {
            const double seconds = js::unixSeconds(value.toNumber());
            if (flavor == CleanFlavor::RudderCloud) {
                std::string text;
                js::appendNumber(text, seconds);
                ret.set(key, context.str(text));
            } else {
                ret.set(key, Value::number(seconds));
            }
            context.trace().setLazy(key, path, PropertyRule::DateToUnix);
            return;
        }
        if (deviceStyle && (value.isBoolean() || value.isNumber())) {
            ret.set(key, value);
            context.trace().setLazy(key, path, PropertyRule::None);
            return;
        }
        if (!js::toStringIsObjectTag(value)) {
            if (value.isString()) {
                ret.set(key, value);
                context.trace().setLazy(key, path, PropertyRule::None);
            } else {
                const Value text = js::toStringValue(value, arena);
                if (value.isArray() && text.toString().find("[object Object]") != std::string_view::npos)
                    context.warn("objects-stringified",
                                 quote(key) + " holds objects, so it is sent as the text \""
                                         + std::string(text.toString().substr(0, 80))
                                         + "\", which Kissmetrics cannot use.",
                                 path());
                ret.set(key, text);
                context.trace().setLazy(key, path,
                                        value.isArray() ? PropertyRule::ArrayJoined : PropertyRule::Stringified);
            }
            return;
        }
        // Objects (and values whose text is "[object Object]") are flattened under their key; the
        // original key is deleted afterwards, which silently drops empty objects and one-object arrays.
        ObjectBuilder flattened(arena);
        if (flavor == CleanFlavor::SegmentCloud) {
            if (value.isObject() && value.size() > 0)
                flatComplete(value, std::string(key), flattened, context, basePath, 0);
            else
                flattened.set(key, value);
        } else {
            Member wrapper{key, value};
            DeviceFlattener flattener{flavor, context, basePath, flattened};
            flattener.step(Value::object({&wrapper, 1}), std::string());
        }
        for (const Member &m : flattened.members()) {
            Value v = m.value;
            if (v.isArray()) {
                v = js::toStringValue(v, arena);
                context.trace().addRule(m.key, PropertyRule::ArrayJoined);
            }
            if (ret.has(m.key))
                context.trace().addRule(m.key, PropertyRule::Overwritten);
            ret.set(m.key, v);
        }
        if (ret.remove(key)) {
            if (value.isObject() && value.size() == 0)
                context.warn("empty-object-dropped", quote(key) + " is an empty object and is dropped.", path());
            else if (value.isArray())
                context.warn("object-array-dropped",
                             quote(key)
                                     + " is a one-element array holding an object; the clean step drops it entirely.",
                             path());
            else
                context.warn("value-dropped",
                             quote(key) + " (" + js::typeDescription(value)
                                     + " whose text is \"[object Object]\") is dropped by the clean step.",
                             path());
        }
    });
    return ret.build();
}

Value prefixProperties(
        const Value &prefix, const Value &map, PrefixFlavor flavor, EngineContext &context, std::string_view basePath)
{
    Arena &arena = context.arena();
    ObjectBuilder out(arena, map.size() + 1);
    PropertyTrace before;
    before.setEnabled(context.trace().isEnabled());
    before.swap(context.trace());
    const std::string prefixText = js::toString(prefix);
    const std::string_view normalSeparator = flavor == PrefixFlavor::ComponentEachTight ? "-" : " - ";

    const bool tracing = context.trace().isEnabled();
    auto origin = [&](const Value &key) -> PropertyTrace::Entry {
        if (!tracing || !key.isString())
            return {};
        if (const auto *e = before.find(key.toString()))
            return *e;
        return {joinPath(basePath, key.toString()), PropertyRule::None};
    };
    auto assign = [&](std::string_view key, const Value &value, PropertyTrace::Entry entry, PropertyRule rule) {
        if (out.has(key))
            entry.rules = entry.rules | PropertyRule::Overwritten;
        out.set(key, value);
        if (tracing)
            context.trace().set(key, entry.path, entry.rules | rule);
    };

    if (flavor == PrefixFlavor::ObjectKeys) {
        js::forIn(map, arena, [&](std::string_view key, const Value &value) {
            if (key == "Billing Amount") {
                assign(key, value, origin(Value::string(key)), PropertyRule::None);
                return;
            }
            assign(arena.join(prefixText, " - ", key), value, origin(Value::string(key)), PropertyRule::Prefixed);
        });
        return out.build();
    }

    if (js::hasNumericLength(map))
        context.warn("length-quirk",
                     "The properties have a numeric \"length\", so the prefixer (component-each) walks them as an "
                     "array: every property is lost and only \""
                             + prefixText + (flavor == PrefixFlavor::ComponentEachTight ? "-" : " - ")
                             + "undefined\" = length - 1 is sent.",
                     joinPath(basePath, "length"));
    const bool complete = js::componentEach(map, arena, [&](const Value &key, const Value &value) {
        if (key.isString() && key.toString() == "Billing Amount") {
            assign("Billing Amount", value, origin(key), PropertyRule::None);
            return;
        }
        if (key.isString() && key.toString() == "revenue") {
            const PropertyTrace::Entry e = origin(key);
            assign(arena.join(prefixText, " - ", "revenue"), value, e, PropertyRule::Prefixed);
            const Value *previous = out.find("Billing Amount");
            if (previous && !(previous->isNumber() && value.isNumber() && previous->toNumber() == value.toNumber()))
                context.warn("billing-amount-overwritten",
                             "\"revenue\" overwrites the \"Billing Amount\" written before it (last write wins).",
                             joinPath(basePath, "revenue"));
            assign("Billing Amount", value, e, PropertyRule::BillingAmountCopy);
            return;
        }
        if (key.isString())
            assign(arena.join(prefixText, normalSeparator, key.toString()), value, origin(key), PropertyRule::Prefixed);
        else
            assign(arena.join(prefixText, normalSeparator, js::toString(key)), value, origin(key),
                   PropertyRule::Prefixed);
    });
    if (!complete)
        throw JsError("RangeError: the properties' numeric \"length\" is too large: the real prefixer would loop "
                      "for ever");
    return out.build();
}

void traceMembers(const Value &map, EngineContext &context, std::string_view basePath)
{
    if (!context.trace().isEnabled())
        return;
    js::forIn(map, context.arena(), [&](std::string_view key, const Value &value) {
        context.trace().set(key, joinPath(basePath, key),
                            value.isDate() ? PropertyRule::DateToIso : PropertyRule::None);
    });
}

} // namespace km
