#pragma once

#include <cstdint>
#include <memory>
#include <memory_resource>
#include <span>
#include <string_view>

namespace km {

class Arena;
struct Member;

// A JavaScript value as the real integrations see it. Objects keep JavaScript property order
// (integer-like keys first, ascending; then insertion order), which decides flattening and
// overwrite outcomes. Values are immutable views into an Arena; builders make new ones.
class Value
{
public:
    enum class Type : std::uint8_t { Undefined, Null, Boolean, Number, String, Array, Object, Date };

    constexpr Value() = default;

    static Value undefined() { return {}; }
    static Value null();
    static Value boolean(bool b);
    static Value number(double d);
    static Value date(double millis); // NaN = Invalid Date
    // The string's bytes must outlive the value (Arena-owned or static).
    static Value string(std::string_view s);
    static Value array(std::span<const Value> items);
    static Value object(std::span<const Member> members);

    Type type() const { return m_type; }
    bool isUndefined() const { return m_type == Type::Undefined; }
    bool isNull() const { return m_type == Type::Null; }
    bool isNullish() const { return m_type == Type::Undefined || m_type == Type::Null; }
    bool isBoolean() const { return m_type == Type::Boolean; }
    bool isNumber() const { return m_type == Type::Number; }
    bool isString() const { return m_type == Type::String; }
    bool isArray() const { return m_type == Type::Array; }
    bool isObject() const { return m_type == Type::Object; }
    bool isDate() const { return m_type == Type::Date; }

    bool toBool() const { return m_bool; }
    double toNumber() const { return m_number; } // Number and Date (millis)
    std::string_view toString() const { return {m_str, m_size}; }
    std::span<const Value> items() const { return {m_items, m_size}; }
    std::span<const Member> members() const;
    std::uint32_t size() const { return m_size; }

    // Own member lookup on an object; undefined when absent or not an object.
    const Value *find(std::string_view key) const;
    Value get(std::string_view key) const;
    bool has(std::string_view key) const { return find(key) != nullptr; }

    // JavaScript truthiness (ToBoolean).
    bool isTruthy() const;

    // Same value object (same type and same storage), not a deep comparison.
    bool isIdentical(const Value &other) const;

private:
    Type m_type = Type::Undefined;
    bool m_bool = false;
    std::uint32_t m_size = 0;
    union
    {
        double m_number = 0;
        const char *m_str;
        const Value *m_items;
        const Member *m_members;
    };
};

struct Member
{
    std::string_view key;
    Value value;
};

inline std::span<const Member> Value::members() const
{
    return {m_members, m_size};
}

// Finds several names in an object in one pass over its members, for a set of names fixed once
// (a static at the call site): out[i] is the member named names[i], or null (an object holds
// each key once; nothing is found in a non-object). The names must outlive it.
class MemberFinder
{
public:
    explicit MemberFinder(std::span<const std::string_view> names);
    void find(const Value &object, const Value **out) const;

private:
    static constexpr std::size_t kPerBucket = 4;
    std::span<const std::string_view> m_names;
    std::uint8_t m_bucket[16][kPerBucket] = {}; // name indices by length (mod 16)
    std::uint8_t m_filled[16] = {};
    bool m_bucketed = true; // false: too many names of one length, every name is compared
};

// True for keys JavaScript orders first: canonical array indices "0" … "4294967294".
bool isArrayIndexKey(std::string_view key, std::uint32_t *index = nullptr);

// Monotonic memory for one message's values. Cheap to reset between messages.
class Arena
{
public:
    Arena();
    Arena(const Arena &) = delete;
    Arena &operator=(const Arena &) = delete;

    std::pmr::memory_resource *resource() { return &m_pool; }
    std::string_view copy(std::string_view s);
    // a, b and c one after the other, as one arena string (prefixed keys).
    std::string_view join(std::string_view a, std::string_view b, std::string_view c = {});
    // Uninitialised storage: every element must be assigned before it is read.
    Value *allocValues(std::size_t n);
    Member *allocMembers(std::size_t n);
    void reset()
    {
        m_pool.release();
        m_next = m_end = nullptr;
    }

private:
    // Values, members and strings are bumped off a chunk inline: the pool's virtual allocate
    // costs more than the bump itself, and a message needs dozens of them.
    void *bump(std::size_t size, std::size_t align)
    {
        const auto at = (reinterpret_cast<std::uintptr_t>(m_next) + (align - 1)) & ~std::uintptr_t(align - 1);
        if (m_next && at + size <= reinterpret_cast<std::uintptr_t>(m_end)) {
            m_next = reinterpret_cast<char *>(at + size);
            return reinterpret_cast<void *>(at);
        }
        return refill(size, align);
    }
    void *refill(std::size_t size, std::size_t align);

    // The first block is the arena's own: reset() returns to it instead of freeing it, so a
    // message that fits costs no allocation at all.
    std::unique_ptr<char[]> m_initial;
    std::pmr::monotonic_buffer_resource m_pool;
    char *m_next = nullptr;
    char *m_end = nullptr;
};

} // namespace km
