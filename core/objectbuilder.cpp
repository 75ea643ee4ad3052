#include "objectbuilder.h"

#include <algorithm>

namespace km {

namespace {
constexpr std::size_t kLookupThreshold = 24;

// Which of the 128 filter bits a key sets.
inline unsigned keyBit(std::string_view key)
{
    // Prefixed keys share long beginnings ("Order Completed - …"), so hash the end and the length.
    const std::size_t n = key.size();
    if (n == 0)
        return 0;
    const unsigned last = static_cast<unsigned char>(key[n - 1]);
    const unsigned before = n > 1 ? static_cast<unsigned char>(key[n - 2]) : 0u;
    const unsigned h = static_cast<unsigned>(n) * 0x9E37u + last * 0x85EBu + before * 0xC2B2u;
    return (h ^ (h >> 7)) & 127u;
}

inline bool hasBit(const std::uint64_t *bits, unsigned bit)
{
    return (bits[bit >> 6] >> (bit & 63u)) & 1u;
}

inline void setBit(std::uint64_t *bits, unsigned bit)
{
    bits[bit >> 6] |= std::uint64_t(1) << (bit & 63u);
}
} // namespace

ObjectBuilder::ObjectBuilder(Arena &arena)
    : m_arena(arena)
    , m_members(arena.resource())
    , m_lookup(arena.resource())
{ }

std::ptrdiff_t ObjectBuilder::indexOf(std::string_view key) const
{
    if (!hasBit(m_keyBits, keyBit(key)))
        return -1;
    if (m_members.size() < kLookupThreshold) {
        for (std::size_t i = 0; i < m_members.size(); ++i)
            if (m_members[i].key == key)
                return static_cast<std::ptrdiff_t>(i);
        return -1;
    }
    if (!m_lookupValid)
        rebuildIndex();
    auto it = m_lookup.find(key);
    return it == m_lookup.end() ? -1 : static_cast<std::ptrdiff_t>(it->second);
}

void ObjectBuilder::rebuildIndex() const
{
    m_lookup.clear();
    for (std::size_t i = 0; i < m_members.size(); ++i)
        m_lookup.emplace(m_members[i].key, i);
    m_lookupValid = true;
}

ObjectBuilder::ObjectBuilder(Arena &arena, std::size_t expectedSize)
    : ObjectBuilder(arena)
{
    m_members.reserve(expectedSize);
}

void ObjectBuilder::set(std::string_view key, Value value)
{
    const std::ptrdiff_t at = indexOf(key);
    if (at >= 0) {
        m_members[static_cast<std::size_t>(at)].value = value;
        return;
    }
    std::uint32_t index = 0;
    if (!key.empty() && key.front() >= '0' && key.front() <= '9' && isArrayIndexKey(key, &index)) {
        auto begin = m_members.begin();
        auto pos = std::upper_bound(begin, begin + static_cast<std::ptrdiff_t>(m_indexKeys), index,
                                    [](std::uint32_t i, const Member &m) {
                                        std::uint32_t other = 0;
                                        isArrayIndexKey(m.key, &other);
                                        return i < other;
                                    });
        m_members.insert(pos, Member{key, value});
        setBit(m_keyBits, keyBit(key));
        ++m_indexKeys;
        m_lookupValid = false;
        return;
    }
    m_members.push_back(Member{key, value});
    setBit(m_keyBits, keyBit(key));
    if (m_lookupValid)
        m_lookup.emplace(key, m_members.size() - 1);
}

bool ObjectBuilder::remove(std::string_view key)
{
    const std::ptrdiff_t at = indexOf(key);
    if (at < 0)
        return false;
    if (static_cast<std::size_t>(at) < m_indexKeys)
        --m_indexKeys;
    m_members.erase(m_members.begin() + at);
    m_lookupValid = false;
    return true;
}

const Value *ObjectBuilder::find(std::string_view key) const
{
    const std::ptrdiff_t at = indexOf(key);
    return at < 0 ? nullptr : &m_members[static_cast<std::size_t>(at)].value;
}

void ObjectBuilder::append(const Value &object)
{
    if (m_members.empty() && object.isObject()) {
        // An object value already has unique keys in JavaScript order: copy it as it is.
        m_members.assign(object.members().begin(), object.members().end());
        for (const Member &m : m_members)
            setBit(m_keyBits, keyBit(m.key));
        m_indexKeys = 0;
        while (m_indexKeys < m_members.size() && isArrayIndexKey(m_members[m_indexKeys].key))
            ++m_indexKeys;
        m_lookupValid = false;
        return;
    }
    for (const Member &m : object.members())
        set(m.key, m.value);
}

void ObjectBuilder::clear()
{
    m_members.clear();
    m_indexKeys = 0;
    m_lookup.clear();
    m_lookupValid = false;
    m_keyBits[0] = m_keyBits[1] = 0;
}

Value ObjectBuilder::build() const
{
    if (m_members.empty())
        return Value::object({});
    Member *out = m_arena.allocMembers(m_members.size());
    std::copy(m_members.begin(), m_members.end(), out);
    return Value::object({out, m_members.size()});
}

} // namespace km
