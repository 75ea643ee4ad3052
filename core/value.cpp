#include "value.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>

namespace km {

Value Value::null()
{
    Value v;
    v.m_type = Type::Null;
    return v;
}

Value Value::boolean(bool b)
{
    Value v;
    v.m_type = Type::Boolean;
    v.m_bool = b;
    return v;
}

Value Value::number(double d)
{
    Value v;
    v.m_type = Type::Number;
    v.m_number = d;
    return v;
}

Value Value::date(double millis)
{
    Value v;
    v.m_type = Type::Date;
    v.m_number = millis;
    return v;
}

Value Value::string(std::string_view s)
{
    Value v;
    v.m_type = Type::String;
    v.m_str = s.data();
    v.m_size = static_cast<std::uint32_t>(s.size());
    return v;
}

Value Value::array(std::span<const Value> items)
{
    Value v;
    v.m_type = Type::Array;
    v.m_items = items.data();
    v.m_size = static_cast<std::uint32_t>(items.size());
    return v;
}

Value Value::object(std::span<const Member> members)
{
    Value v;
    v.m_type = Type::Object;
    v.m_members = members.data();
    v.m_size = static_cast<std::uint32_t>(members.size());
    return v;
}

const Value *Value::find(std::string_view key) const
{
    if (m_type != Type::Object || key.empty()) {
        if (m_type == Type::Object)
            for (const Member &m : members())
                if (m.key.empty())
                    return &m.value;
        return nullptr;
    }
    // Size and first byte reject almost every member before a memcmp call.
    const char first = key.front();
    for (const Member &m : members())
        if (m.key.size() == key.size() && m.key.front() == first
            && std::memcmp(m.key.data(), key.data(), key.size()) == 0)
            return &m.value;
    return nullptr;
}

Value Value::get(std::string_view key) const
{
    const Value *v = find(key);
    return v ? *v : Value();
}

bool Value::isTruthy() const
{
    switch (m_type) {
    case Type::Undefined:
    case Type::Null:
        return false;
    case Type::Boolean:
        return m_bool;
    case Type::Number:
        return m_number != 0 && !std::isnan(m_number);
    case Type::String:
        return m_size != 0;
    case Type::Array:
    case Type::Object:
    case Type::Date:
        return true;
    }
    return false;
}

bool Value::isIdentical(const Value &other) const
{
    if (m_type != other.m_type || m_size != other.m_size || m_bool != other.m_bool)
        return false;
    switch (m_type) {
    case Type::Undefined:
    case Type::Null:
    case Type::Boolean:
        return true;
    case Type::Number:
    case Type::Date:
        return std::memcmp(&m_number, &other.m_number, sizeof m_number) == 0;
    case Type::String:
        return m_str == other.m_str;
    case Type::Array:
        return m_items == other.m_items;
    case Type::Object:
        return m_members == other.m_members;
    }
    return false;
}

MemberFinder::MemberFinder(std::span<const std::string_view> names)
    : m_names(names)
{
    m_bucketed = names.size() < 256;
    for (std::size_t i = 0; i < names.size() && m_bucketed; ++i) {
        const std::size_t b = names[i].size() % 16;
        if (m_filled[b] == kPerBucket)
            m_bucketed = false;
        else
            m_bucket[b][m_filled[b]++] = static_cast<std::uint8_t>(i);
    }
}

void MemberFinder::find(const Value &object, const Value **out) const
{
    std::fill(out, out + m_names.size(), nullptr);
    if (!object.isObject())
        return;
    auto take = [&](std::size_t i, const Member &m) {
        // Size and first byte reject the other names of a bucket before a memcmp call.
        const std::string_view name = m_names[i];
        if (name.size() == m.key.size() && (name.empty() || name[0] == m.key[0]) && name == m.key && !out[i])
            out[i] = &m.value;
    };
    for (const Member &m : object.members()) {
        if (!m_bucketed) {
            for (std::size_t i = 0; i < m_names.size(); ++i)
                take(i, m);
            continue;
        }
        const std::size_t b = m.key.size() % 16;
        for (std::size_t k = 0; k < m_filled[b]; ++k)
            take(m_bucket[b][k], m);
    }
}

bool isArrayIndexKey(std::string_view key, std::uint32_t *index)
{
    if (key.empty() || key.size() > 10)
        return false;
    if (key.size() > 1 && key[0] == '0')
        return false;
    std::uint64_t n = 0;
    for (char c : key) {
        if (c < '0' || c > '9')
            return false;
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (n > 4294967294ULL)
        return false;
    if (index)
        *index = static_cast<std::uint32_t>(n);
    return true;
}

namespace {
constexpr std::size_t kInitialArena = 64 * 1024;
}

Arena::Arena()
    : m_initial(new char[kInitialArena])
    , m_pool(m_initial.get(), kInitialArena)
{ }

std::string_view Arena::copy(std::string_view s)
{
    if (s.empty())
        return {};
    auto *p = static_cast<char *>(bump(s.size(), 1));
    std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
}

std::string_view Arena::join(std::string_view a, std::string_view b, std::string_view c)
{
    const std::size_t n = a.size() + b.size() + c.size();
    if (n == 0)
        return {};
    char *p = static_cast<char *>(bump(n, 1));
    // An empty view may have no storage at all, and memcpy must not see a null source.
    for (std::string_view part : {a, b, c}) {
        if (!part.empty())
            std::memcpy(p, part.data(), part.size());
        p += part.size();
    }
    return {p - n, n};
}

void *Arena::refill(std::size_t size, std::size_t align)
{
    constexpr std::size_t kChunk = 16 * 1024;
    if (size > kChunk / 4)
        return m_pool.allocate(size, align); // big blocks keep the current chunk going
    m_next = static_cast<char *>(m_pool.allocate(kChunk, alignof(std::max_align_t)));
    m_end = m_next + kChunk;
    return bump(size, align);
}

// Value and Member are trivially copyable and trivially destructible (implicit-lifetime types),
// so callers may assign into this storage directly; it starts zeroed-out only when asked.
Value *Arena::allocValues(std::size_t n)
{
    static_assert(std::is_trivially_copyable_v<Value> && std::is_trivially_destructible_v<Value>);
    return static_cast<Value *>(bump(n * sizeof(Value), alignof(Value)));
}

Member *Arena::allocMembers(std::size_t n)
{
    static_assert(std::is_trivially_copyable_v<Member> && std::is_trivially_destructible_v<Member>);
    return static_cast<Member *>(bump(n * sizeof(Member), alignof(Member)));
}

} // namespace km
