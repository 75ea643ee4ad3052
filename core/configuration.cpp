#include "configuration.h"

#include "jsonformat.h"
#include "jsonreader.h"
#include "objectbuilder.h"

namespace km {

Settings Configuration::defaultSettings()
{
    Settings settings;
    OwnedObject &values = settings.values();
    values.set("apiKey", Value::string(""));
    values.set("prefixProperties", Value::boolean(true));
    values.set("trackCategorizedPages", Value::boolean(true));
    values.set("trackNamedPages", Value::boolean(true));
    return settings;
}

Environment Configuration::defaultEnvironment()
{
    Environment environment;
    environment.values().set("KM_SKIP_PAGE_VIEW", Value::number(1));
    return environment;
}

void Configuration::write(JsonWriter &writer) const
{
    writer.beginObject();
    writer.key("engine");
    writer.value(engineName(engine));
    writer.key("settings");
    writer.value(settings.values().object(), JsonWriter::UndefinedPolicy::Omit);
    writer.key("environment");
    writer.value(environment.values().object(), JsonWriter::UndefinedPolicy::Omit);
    writer.endObject();
}

Value Configuration::toValue(Arena &arena) const
{
    ObjectBuilder builder(arena, 3);
    builder.set("engine", Value::string(engineName(engine)));
    builder.set("settings", settings.values().object());
    builder.set("environment", environment.values().object());
    return builder.build();
}

std::string Configuration::toJson() const
{
    JsonWriter writer;
    write(writer);
    return std::move(writer.buffer());
}

namespace {

bool fail(std::string *error, std::string *errorKey, std::string message, std::string_view key)
{
    if (error)
        *error = std::move(message);
    if (errorKey)
        *errorKey = key;
    return false;
}

} // namespace

bool Configuration::fromValue(const Value &value,
                              Configuration *configuration,
                              std::string *error,
                              std::string *errorKey)
{
    if (!value.isObject())
        return fail(error, errorKey, "a configuration is a JSON object", {});
    Configuration result;
    const Value *engine = value.find("engine");
    if (!engine)
        return fail(error, errorKey, "the configuration has no \"engine\"", {});
    if (!engine->isString() || !engineFromName(engine->toString(), &result.engine))
        return fail(error, errorKey,
                    "unknown engine " + compactJson(*engine)
                            + " (expected segment-cloud, segment-device, rudder-device or rudder-cloud)",
                    "engine");
    // Settings and environment are taken as they are, unknown keys included: the engines ignore
    // keys they do not read, and the user may be looking at exactly such a key.
    const Value *settings = value.find("settings");
    if (settings && !settings->isObject())
        return fail(error, errorKey, "\"settings\" must be a JSON object", "settings");
    result.settings = Settings(settings ? *settings : Value::object({}));
    const Value *environment = value.find("environment");
    if (environment && !environment->isObject())
        return fail(error, errorKey, "\"environment\" must be a JSON object", "environment");
    result.environment = Environment(environment ? *environment : Value::object({}));
    if (configuration)
        *configuration = std::move(result);
    return true;
}

bool Configuration::fromJson(std::string_view json, Configuration *configuration, std::string *error)
{
    Arena arena;
    JsonReader reader;
    const JsonResult parsed = reader.parse(json, arena);
    if (!parsed.ok()) {
        if (error)
            *error = parsed.error->toString();
        return false;
    }
    return fromValue(parsed.value, configuration, error);
}

bool operator==(const Configuration &a, const Configuration &b)
{
    return a.engine == b.engine
           && compactJson(a.settings.values().object()) == compactJson(b.settings.values().object())
           && compactJson(a.environment.values().object()) == compactJson(b.environment.values().object());
}

} // namespace km
