#include "settings.h"

#include "jsonreader.h"
#include "jsops.h"
#include "objectbuilder.h"

#include <algorithm>
#include <cctype>
#include <functional>

namespace km {

namespace {

Value deepCopy(const Value &value, Arena &arena)
{
    switch (value.type()) {
    case Value::Type::String:
        return Value::string(arena.copy(value.toString()));
    case Value::Type::Array: {
        Value *items = arena.allocValues(value.size());
        std::size_t i = 0;
        for (const Value &item : value.items())
            items[i++] = deepCopy(item, arena);
        return Value::array({items, value.size()});
    }
    case Value::Type::Object: {
        Member *members = arena.allocMembers(value.size());
        std::size_t i = 0;
        for (const Member &m : value.members())
            members[i++] = Member{arena.copy(m.key), deepCopy(m.value, arena)};
        return Value::object({members, value.size()});
    }
    default:
        return value;
    }
}

} // namespace

OwnedObject::OwnedObject()
    : m_arena(std::make_shared<Arena>())
    , m_object(Value::object({}))
{ }

OwnedObject::OwnedObject(const Value &object)
    : m_arena(std::make_shared<Arena>())
    , m_object(object.isObject() ? deepCopy(object, *m_arena) : Value::object({}))
{ }

void OwnedObject::set(std::string_view key, const Value &value)
{
    // Rebuild into a fresh arena so repeated edits do not grow memory without bound.
    auto arena = std::make_shared<Arena>();
    ObjectBuilder builder(*arena);
    builder.append(m_object);
    builder.set(key, value);
    m_object = deepCopy(builder.build(), *arena);
    m_arena = std::move(arena);
}

void OwnedObject::assign(const Value &object)
{
    if (!object.isObject() || object.size() == 0)
        return;
    auto arena = std::make_shared<Arena>();
    ObjectBuilder builder(*arena);
    builder.append(m_object);
    for (const Member &m : object.members())
        builder.set(m.key, m.value);
    m_object = deepCopy(builder.build(), *arena);
    m_arena = std::move(arena);
}

void OwnedObject::remove(std::string_view key)
{
    auto arena = std::make_shared<Arena>();
    ObjectBuilder builder(*arena);
    builder.append(m_object);
    builder.remove(key);
    m_object = deepCopy(builder.build(), *arena);
    m_arena = std::move(arena);
}

bool Settings::fromJson(std::string_view json, Settings *settings, std::string *error)
{
    Arena arena;
    JsonReader reader;
    JsonResult result = reader.parse(json, arena);
    if (!result.ok()) {
        if (error)
            *error = result.error->message;
        return false;
    }
    if (!result.value.isObject()) {
        if (error)
            *error = "settings must be a JSON object";
        return false;
    }
    *settings = Settings(result.value);
    return true;
}

bool Settings::defaultValue(EngineId engine, std::string_view key)
{
    // analytics.js declares all three options with default true; the server integration and
    // RudderStack's code read a missing value as undefined, i.e. off.
    if (engine == EngineId::SegmentDevice)
        return key == "prefixProperties" || key == "trackNamedPages" || key == "trackCategorizedPages";
    return false;
}

bool Settings::isReadBy(EngineId engine, std::string_view key)
{
    if (key == "apiKey" || key == "prefixProperties")
        return true;
    if (key == "trackNamedPages" || key == "trackCategorizedPages")
        return engine == EngineId::SegmentDevice;
    return false;
}

bool Settings::read(EngineId engine, std::string_view key) const
{
    const Value *v = m_values.object().find(key);
    if (!v)
        return defaultValue(engine, key);
    return v->isTruthy();
}

bool Settings::isPrefixProperties(EngineId engine) const
{
    return read(engine, "prefixProperties");
}

bool Settings::isTrackNamedPages(EngineId engine) const
{
    return read(engine, "trackNamedPages");
}

bool Settings::isTrackCategorizedPages(EngineId engine) const
{
    return read(engine, "trackCategorizedPages");
}

std::string Environment::userAgent() const
{
    const Value ua = m_values.value("userAgent");
    if (ua.isNullish())
        return {};
    try {
        return js::toString(ua);
    } catch (const JsError &) {
        return {};
    }
}

bool Environment::isMobile() const
{
    std::string ua = userAgent();
    std::transform(ua.begin(), ua.end(), ua.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const char *needle : {"android", "blackberry", "iemobile", "opera mini", "ipad", "iphone", "ipod"})
        if (ua.find(needle) != std::string::npos)
            return true;
    return false;
}

} // namespace km
