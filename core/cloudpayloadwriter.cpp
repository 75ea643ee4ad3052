#include "cloudpayloadwriter.h"

#include "jsdate.h"
#include "jsnumber.h"
#include "jsops.h"

#include <cstring>

namespace km {

namespace {

constexpr std::string_view kObjectTag = "[object Object]";
constexpr int kMaxDepth = 1100; // beyond it the real flattener overflows the stack

// An array's text as clean writes it, or nothing when the join throws (the staged route then
// reports the error as the real code does).
bool arrayText(const Value &array, std::string *text)
{
    try {
        *text = js::toString(array);
    } catch (const JsError &) {
        return false;
    }
    return true;
}

} // namespace

CloudPayloadWriter::CloudPayloadWriter(ObjectBuilder &payload, Arena &arena, std::string_view prefix, Products products)
    : m_payload(payload)
    , m_arena(arena)
    , m_prefix(prefix)
    , m_products(products)
{ }

std::string_view CloudPayloadWriter::payloadKey(std::string_view key)
{
    if (m_prefix.empty() || key == "Billing Amount")
        return key;
    return m_arena.join(m_prefix, key);
}

std::string_view CloudPayloadWriter::leafKey()
{
    return m_arena.copy(m_key);
}

bool CloudPayloadWriter::addAll(const Value &map)
{
    if (!map.isObject())
        return false;
    for (const Member &m : map.members())
        if (!add(m.key, m.value))
            return false;
    return true;
}

bool CloudPayloadWriter::add(std::string_view key, const Value &value)
{
    if (m_products == Products::Drop && key == "products") {
        // Whatever clean made of it is omitted next, warnings included; only its flattened
        // children ("products.x", from an object) would survive.
        if (value.isObject())
            return value.size() == 0;
        std::string ignored;
        return !value.isArray() || arrayText(value, &ignored);
    }
    // Clean sorts integer-like keys before the others, prefixing then keeps that order: a
    // single pass under prefixed keys would not.
    if (!key.empty() && key.front() >= '0' && key.front() <= '9' && isArrayIndexKey(key))
        return false;
    switch (value.type()) {
    case Value::Type::Undefined:
    case Value::Type::Null:
        return false;
    case Value::Type::Date:
        m_payload.set(payloadKey(key), Value::number(js::unixSeconds(value.toNumber())));
        return true;
    case Value::Type::String:
        if (value.toString() == kObjectTag)
            return false;
        m_payload.set(payloadKey(key), value);
        return true;
    case Value::Type::Boolean:
        m_payload.set(payloadKey(key), Value::string(value.toBool() ? "true" : "false"));
        return true;
    case Value::Type::Number: {
        char text[js::kNumberBufferSize];
        const std::size_t n = js::formatNumber(text, value.toNumber());
        m_payload.set(payloadKey(key), Value::string(m_arena.copy(std::string_view(text, n))));
        return true;
    }
    case Value::Type::Array: {
        std::string text;
        if (!arrayText(value, &text) || text.find(kObjectTag) != std::string::npos)
            return false;
        m_payload.set(payloadKey(key), Value::string(m_arena.copy(text)));
        return true;
    }
    case Value::Type::Object:
        break;
    }
    // Under an empty key, the flattened paths lose their leading dot and become top-level names
    // ("products", "Billing Amount", ...) that the later stages treat apart.
    if (value.size() == 0 || value.find("toString") || key.empty())
        return false;
    // Clean deletes the object's own key after flattening it: only a dotted key can have been
    // written before (by an earlier object's flattened path).
    if (key.find('.') != std::string_view::npos && m_payload.has(payloadKey(key)))
        return false;
    m_key.assign(m_prefix);
    m_key += key;
    return flatten(value, 0);
}

bool CloudPayloadWriter::flatten(const Value &object, int depth)
{
    if (depth > kMaxDepth)
        return false;
    for (const Member &m : object.members()) {
        const std::size_t length = m_key.size();
        if (length > m_prefix.size())
            m_key += '.'; // as npm flat joins: an empty path takes no delimiter
        m_key += m.key;
        if (m.value.isObject() && m.value.size() > 0) {
            if (!flatten(m.value, depth + 1))
                return false;
        } else if (m.value.isArray()) {
            std::string text;
            if (!arrayText(m.value, &text))
                return false;
            m_payload.set(leafKey(), Value::string(m_arena.copy(text)));
        } else {
            // Nested leaves keep their type: numbers stay numbers, dates are written as ISO text.
            m_payload.set(leafKey(), m.value);
        }
        m_key.resize(length);
    }
    return true;
}

} // namespace km
