#pragma once

#include "objectbuilder.h"
#include "settings.h"
#include "translation.h"

#include <memory>
#include <string>
#include <unordered_map>

namespace km {

enum class ExplainMode { Off, On };
// Shortcuts: single-pass routes an engine may take where they give exactly what its staged route
// (the reference's steps one by one) gives. Staged is for tests that compare the two.
enum class Route { Shortcuts, Staged };

struct TranslateOptions
{
    double nowMillis = 0; // the clock, wherever an engine uses the current time
    ExplainMode explain = ExplainMode::Off;
    Route route = Route::Shortcuts;
    bool isFirstMessage = true; // the device integrations push their initialise-time calls first
};

// Per-key notes on where a property came from, kept only when explanations are on.
class PropertyTrace
{
public:
    struct Entry
    {
        std::string path;
        PropertyRule rules = PropertyRule::None;
    };
    bool isEnabled() const { return m_enabled; }
    void setEnabled(bool enabled) { m_enabled = enabled; }
    void clear() { m_entries.clear(); }
    void set(std::string_view key, std::string path, PropertyRule rules);
    // As set(), but the path is only built when explanations are on (it costs an allocation).
    template<typename PathFn>
    void setLazy(std::string_view key, PathFn &&path, PropertyRule rules)
    {
        if (m_enabled)
            set(key, path(), rules);
    }
    void addRule(std::string_view key, PropertyRule rule);
    const Entry *find(std::string_view key) const;
    void swap(PropertyTrace &other) { m_entries.swap(other.m_entries); }
    std::vector<PropertyOrigin> originsFor(const Value &object) const;

private:
    bool m_enabled = false;
    std::unordered_map<std::string, Entry> m_entries;
};

// Everything one translation needs; engines are stateless and share these helpers.
class EngineContext
{
public:
    EngineContext(const Value &message,
                  const Settings &settings,
                  const Environment &environment,
                  const TranslateOptions &options,
                  Arena &arena,
                  Translation &out);

    const Value &message() const { return m_message; }
    void setMessage(const Value &message) { m_message = message; }
    const Settings &settings() const { return m_settings; }
    const Environment &environment() const { return m_environment; }
    const TranslateOptions &options() const { return m_options; }
    Arena &arena() { return m_arena; }
    Translation &out() { return m_out; }
    PropertyTrace &trace() { return m_trace; }
    bool isExplaining() const { return m_options.explain == ExplainMode::On; }
    // Shortcuts never record origins, so explaining always takes the staged route.
    bool mayTakeShortcuts() const { return m_options.route == Route::Shortcuts && !isExplaining(); }

    Value field(std::string_view key) const { return m_message.get(key); }
    Value str(std::string_view text) { return Value::string(m_arena.copy(text)); }
    static Value lit(std::string_view text) { return Value::string(text); }
    void warn(std::string_view code, std::string_view message, std::string_view path = {});

    // Output helpers.
    void push(std::initializer_list<Value> args);
    void pushWithOrigins(std::initializer_list<Value> args, std::vector<PropertyOrigin> origins);
    HttpRequest &request(Endpoint endpoint, const Value &payload);

private:
    Value m_message;
    const Settings &m_settings;
    const Environment &m_environment;
    const TranslateOptions &m_options;
    Arena &m_arena;
    Translation &m_out;
    PropertyTrace m_trace;
};

class Engine
{
public:
    virtual ~Engine() = default;
    virtual EngineId id() const = 0;

    // Translates one message into what the real implementation sends. Never throws: a call the
    // real code rejects comes back with `error` set and no output.
    void translate(const Value &message,
                   const Settings &settings,
                   const Environment &environment,
                   const TranslateOptions &options,
                   Arena &arena,
                   Translation &out) const;

    static std::unique_ptr<Engine> create(EngineId id);

protected:
    virtual void run(EngineContext &context) const = 0;
};

} // namespace km
