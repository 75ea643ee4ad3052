#include "engine.h"

#include "jsops.h"
#include "kmlimits.h"
#include "messagecheck.h"
#include "ruddercloudengine.h"
#include "rudderdeviceengine.h"
#include "segmentcloudengine.h"
#include "segmentdeviceengine.h"

namespace km {

void PropertyTrace::set(std::string_view key, std::string path, PropertyRule rules)
{
    if (!m_enabled)
        return;
    m_entries[std::string(key)] = Entry{std::move(path), rules};
}

void PropertyTrace::addRule(std::string_view key, PropertyRule rule)
{
    if (!m_enabled)
        return;
    auto it = m_entries.find(std::string(key));
    if (it != m_entries.end())
        it->second.rules = it->second.rules | rule;
}

const PropertyTrace::Entry *PropertyTrace::find(std::string_view key) const
{
    auto it = m_entries.find(std::string(key));
    return it == m_entries.end() ? nullptr : &it->second;
}

std::vector<PropertyOrigin> PropertyTrace::originsFor(const Value &object) const
{
    std::vector<PropertyOrigin> origins;
    if (!m_enabled || !object.isObject())
        return origins;
    origins.reserve(object.size());
    for (const Member &m : object.members()) {
        const Entry *e = find(m.key);
        origins.push_back(
                PropertyOrigin{std::string(m.key), e ? e->path : std::string(), e ? e->rules : PropertyRule::None});
    }
    return origins;
}

EngineContext::EngineContext(const Value &message,
                             const Settings &settings,
                             const Environment &environment,
                             const TranslateOptions &options,
                             Arena &arena,
                             Translation &out)
    : m_message(message)
    , m_settings(settings)
    , m_environment(environment)
    , m_options(options)
    , m_arena(arena)
    , m_out(out)
{
    m_trace.setEnabled(options.explain == ExplainMode::On);
}

void EngineContext::warn(std::string_view code, std::string_view message, std::string_view path)
{
    m_out.warn(code, message, path);
}

void EngineContext::push(std::initializer_list<Value> args)
{
    Value *items = m_arena.allocValues(args.size());
    std::size_t i = 0;
    for (const Value &v : args)
        items[i++] = v;
    m_out.pushes.push_back(ClientCall{Value::array({items, args.size()}), {}});
}

void EngineContext::pushWithOrigins(std::initializer_list<Value> args, std::vector<PropertyOrigin> origins)
{
    push(args);
    m_out.pushes.back().origins = std::move(origins);
}

HttpRequest &EngineContext::request(Endpoint endpoint, const Value &payload)
{
    HttpRequest &r = m_out.addRequest();
    r.endpoint = endpoint;
    r.payload = payload;
    return r;
}

void Engine::translate(const Value &message,
                       const Settings &settings,
                       const Environment &environment,
                       const TranslateOptions &options,
                       Arena &arena,
                       Translation &out) const
{
    out.clear();
    out.engine = id();
    EngineContext context(message, settings, environment, options, arena, out);
    checkMessageShape(message, out);
    try {
        run(context);
    } catch (const JsError &e) {
        out.requests.clear();
        out.pushes.clear();
        out.error = e.what();
        return;
    }
    checkKissmetricsLimits(out);
}

std::unique_ptr<Engine> Engine::create(EngineId id)
{
    switch (id) {
    case EngineId::SegmentDevice:
        return std::make_unique<SegmentDeviceEngine>();
    case EngineId::SegmentCloud:
        return std::make_unique<SegmentCloudEngine>();
    case EngineId::RudderDevice:
        return std::make_unique<RudderDeviceEngine>();
    case EngineId::RudderCloud:
        return std::make_unique<RudderCloudEngine>();
    }
    return nullptr;
}

} // namespace km
