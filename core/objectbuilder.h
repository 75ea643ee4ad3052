#pragma once

#include "value.h"

#include <memory_resource>
#include <unordered_map>
#include <vector>

namespace km {

// Builds an object with JavaScript assignment semantics: assigning an existing key keeps its
// position, integer-like keys sort first, delete removes. This is how every map the real
// integrations build behaves, so outcomes such as "the later flattened key wins" fall out of it.
class ObjectBuilder
{
public:
    explicit ObjectBuilder(Arena &arena);
    ObjectBuilder(Arena &arena, std::size_t expectedSize);
    void reserve(std::size_t size) { m_members.reserve(size); }

    void set(std::string_view key, Value value);
    bool remove(std::string_view key);
    const Value *find(std::string_view key) const;
    bool has(std::string_view key) const { return find(key) != nullptr; }
    void append(const Value &object); // set() every member of an object, in its order

    std::span<const Member> members() const { return {m_members.data(), m_members.size()}; }
    std::size_t size() const { return m_members.size(); }
    bool isEmpty() const { return m_members.empty(); }
    void clear();

    // Copies the members into the arena as an object value.
    Value build() const;

private:
    std::ptrdiff_t indexOf(std::string_view key) const;
    void rebuildIndex() const;

    Arena &m_arena;
    std::pmr::vector<Member> m_members;
    std::size_t m_indexKeys = 0; // how many leading members have array-index keys
    mutable std::pmr::unordered_map<std::string_view, std::size_t> m_lookup;
    mutable bool m_lookupValid = false;
    // One bit per key hash: a clear bit proves a key is absent without scanning the members.
    std::uint64_t m_keyBits[2] = {0, 0};
};

} // namespace km
