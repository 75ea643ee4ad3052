#include "preview.h"

#include "jsops.h"

namespace km {

namespace {

std::size_t firstNonSpace(std::string_view text)
{
    std::size_t pos = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\n' || text[pos] == '\r' || text[pos] == '\t'))
        ++pos;
    return pos;
}

} // namespace

JsonResult parseCall(std::string_view json, Arena &arena)
{
    thread_local JsonReader reader;
    JsonResult result = reader.parse(json, arena);
    if (result.ok() && !result.value.isObject()) {
        TextLocator locator(json);
        const TextLocator::Position at = locator.locate(firstNonSpace(json));
        result.error =
                JsonIssue{at.line, at.column,
                          std::string("a Segment message is a JSON object, not ") + js::typeDescription(result.value)};
        result.value = Value();
    }
    return result;
}

PreviewResult translateCall(std::string_view json, const Configuration &config, double nowMillis, ExplainMode explain)
{
    PreviewResult result;
    result.arena = std::make_shared<Arena>();
    result.configuration = config;
    result.translation.engine = config.engine;
    JsonResult parsed = parseCall(json, *result.arena);
    result.inputWarnings = std::move(parsed.warnings);
    if (!parsed.ok()) {
        result.parseError = std::move(*parsed.error);
        return result;
    }
    result.isValid = true;
    result.message = parsed.value;
    TranslateOptions options;
    options.nowMillis = nowMillis;
    options.explain = explain;
    options.isFirstMessage = true;
    const std::unique_ptr<Engine> engine = Engine::create(config.engine);
    engine->translate(result.message, result.configuration.settings, result.configuration.environment, options,
                      *result.arena, result.translation);
    return result;
}

std::vector<std::string>
rawRequests(const PreviewResult &result, const Configuration &config, KeyVisibility visibility, std::string_view host)
{
    std::vector<std::string> out;
    const Translation &t = result.translation;
    const Value apiKey = config.settings.apiKey();
    for (const HttpRequest &r : t.requests) {
        std::string text = OutputFormat::url(r, host, apiKey, visibility);
        if (r.method == HttpMethod::Post)
            text = "POST " + text + "\n" + OutputFormat::wire(r, apiKey, visibility);
        out.push_back(std::move(text));
    }
    for (const ClientCall &c : t.pushes)
        out.push_back(OutputFormat::javaScript(c));
    return out;
}

std::vector<std::string>
curlCommands(const PreviewResult &result, const Configuration &config, KeyVisibility visibility, std::string_view host)
{
    std::vector<std::string> out;
    const Value apiKey = config.settings.apiKey();
    for (const HttpRequest &r : result.translation.requests)
        out.push_back(OutputFormat::curl(r, host, apiKey, visibility));
    return out;
}

} // namespace km
