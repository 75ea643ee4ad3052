#pragma once

#include "objectbuilder.h"

#include <string>
#include <string_view>

namespace km {

// segment-cloud builds each payload in stages: clean (npm `flat`, values to text, top-level dates
// to Unix seconds), drop `products`, add revenue, prefix every key, add the reserved keys. Each
// stage is an object built with JavaScript assignment semantics, and the key changes after the
// clean stage are one-to-one, so for most maps the stages compose into a single pass that writes
// every cleaned member straight into the payload under its final key. This writer is that pass.
//
// It covers the maps the stages cannot tell apart from it, and declines (add() returns false)
// where a stage does something a single pass would not: an integer-like key (sorted first), a null or undefined value
// (dropped with a warning), an empty object, an object under an empty key, an object that shadows toString, arrays
// whose text holds
// "[object Object]", the text "[object Object]" itself, an object whose own key was already
// written by an earlier flattened path (clean deletes it afterwards), and `products` holding an
// object. A declined map must be built by the staged route; the builder then holds a partial
// payload and must be cleared. add() never warns, so declining leaves no trace.
class CloudPayloadWriter
{
public:
    enum class Products { Keep, Drop }; // Drop: the track stage that omits `products`

    // `prefix` is the full key prefix ("Event - "), empty for none.
    CloudPayloadWriter(ObjectBuilder &payload, Arena &arena, std::string_view prefix, Products products);

    // One member of the map, in the map's order.
    bool add(std::string_view key, const Value &value);
    // Every member of an object map; false when declined (or when the map is not an object).
    bool addAll(const Value &map);

    // The payload key a cleaned key ends up under: prefixed, except "Billing Amount".
    std::string_view payloadKey(std::string_view key);

private:
    bool flatten(const Value &object, int depth);
    std::string_view leafKey();

    ObjectBuilder &m_payload;
    Arena &m_arena;
    std::string_view m_prefix;
    Products m_products;
    std::string m_key; // prefix + the flattened path being written
};

} // namespace km
