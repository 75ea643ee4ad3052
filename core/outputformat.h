#pragma once

#include "engine.h"
#include "jsonwriter.h"
#include "translation.h"

#include <string>

namespace km {

enum class KeyVisibility { Redacted, Shown };

// The CLI contract's output, shared by the CLI, the tests and the app's "copy" actions.
class OutputFormat
{
public:
    static constexpr std::string_view DefaultHost = "https://trk.kissmetrics.io";

    // {"index": N, "engine": ..., "output": [...], "warnings": [...]} (+ "error" when rejected,
    // + "origins" per request/push when explanations are on).
    static void writeLine(JsonWriter &writer,
                          std::size_t index,
                          const Translation &translation,
                          Arena &arena,
                          ExplainMode explain = ExplainMode::Off);
    // {"index": N, "error": "line L, column C: ..."} for input that is not a message.
    static void writeInputError(JsonWriter &writer, std::size_t index, std::string_view error);

    // One request as `{"endpoint", "method", "params"}`.
    static void writeRequest(JsonWriter &writer, const HttpRequest &request, EngineId engine, Arena &arena);
    static Value params(const HttpRequest &request, EngineId engine, Arena &arena);

    // The wire text (query or form body) with the API key replaced by <API_KEY> unless shown.
    static std::string wire(const HttpRequest &request, const Value &apiKey, KeyVisibility visibility);
    static std::string
    url(const HttpRequest &request, std::string_view host, const Value &apiKey, KeyVisibility visibility);
    static std::string
    curl(const HttpRequest &request, std::string_view host, const Value &apiKey, KeyVisibility visibility);
    // `window._kmq.push([...]);` as the page would run it.
    static std::string javaScript(const ClientCall &call);
};

} // namespace km
