#pragma once

#include "translation.h"
#include "value.h"

#include <memory>
#include <string>

namespace km {

// An owned copy of a JSON object (settings, environment): values read with JavaScript rules.
class OwnedObject
{
public:
    OwnedObject();
    explicit OwnedObject(const Value &object);

    const Value &object() const { return m_object; }
    Value value(std::string_view key) const { return m_object.get(key); }
    bool contains(std::string_view key) const { return m_object.has(key); }
    void set(std::string_view key, const Value &value);
    // Object.assign: every member of object replaces (or joins) this one's; the others stay.
    void assign(const Value &object);
    void remove(std::string_view key);
    bool isEmpty() const { return m_object.size() == 0; }

private:
    std::shared_ptr<Arena> m_arena;
    Value m_object;
};

// The destination settings as Segment names them. A missing key takes the value the chosen
// engine really uses when it is absent; the engines do not all agree (see the mapping reference).
class Settings
{
public:
    Settings() = default;
    explicit Settings(const Value &object)
        : m_values(object)
    { }
    // Parses a JSON object; on failure returns false and says why in `error`.
    static bool fromJson(std::string_view json, Settings *settings, std::string *error);

    const OwnedObject &values() const { return m_values; }
    OwnedObject &values() { return m_values; }

    Value apiKey() const { return m_values.value("apiKey"); }
    bool isPrefixProperties(EngineId engine) const;
    bool isTrackNamedPages(EngineId engine) const;
    bool isTrackCategorizedPages(EngineId engine) const;

    // The default an engine uses for a missing key, and whether it reads the key at all.
    static bool defaultValue(EngineId engine, std::string_view key);
    static bool isReadBy(EngineId engine, std::string_view key);

private:
    bool read(EngineId engine, std::string_view key) const;
    OwnedObject m_values;
};

// Browser globals the device-mode engines read (`KM_SKIP_PAGE_VIEW`) and the user agent.
class Environment
{
public:
    Environment() = default;
    explicit Environment(const Value &object)
        : m_values(object)
    { }
    const OwnedObject &values() const { return m_values; }
    OwnedObject &values() { return m_values; }

    bool isSkipPageView() const { return m_values.value("KM_SKIP_PAGE_VIEW").isTruthy(); }
    std::string userAgent() const;
    // The mobile-session rule of both device integrations (Android, BlackBerry, IEMobile,
    // Opera Mini, iPad, iPhone, iPod; case-insensitive).
    bool isMobile() const;

private:
    OwnedObject m_values;
};

} // namespace km
