#include "outputformat.h"

#include "formparams.h"
#include "jsops.h"
#include "querystring.h"

namespace km {

Value OutputFormat::params(const HttpRequest &request, EngineId engine, Arena &arena)
{
    if (engine == EngineId::RudderCloud)
        return request.payload;
    if (request.pairs.empty() && !request.wire.empty()) {
        // Written straight to the wire (CloudWireRoute): the pairs are read back off it, as the
        // built-in endpoint reads what it receives.
        std::vector<QueryPair> pairs;
        for (const ReceivedParam &p : decodeFormParams(request.wire))
            pairs.push_back(QueryPair{arena.copy(p.key), p.value ? arena.copy(*p.value) : std::string_view(),
                                      !p.value.has_value()});
        return qs::paramsFromPairs(pairs, request.method, arena);
    }
    return qs::paramsFromPairs(request.pairs, request.method, arena);
}

void OutputFormat::writeRequest(JsonWriter &writer, const HttpRequest &request, EngineId engine, Arena &arena)
{
    writer.beginObject();
    writer.key("endpoint");
    writer.value(endpointName(request.endpoint));
    writer.key("method");
    writer.value(methodName(request.method));
    writer.key("params");
    writer.value(params(request, engine, arena), JsonWriter::UndefinedPolicy::Omit);
    writer.endObject();
}

namespace {

void writeOrigins(JsonWriter &writer, const std::vector<PropertyOrigin> &origins)
{
    writer.beginArray();
    for (const PropertyOrigin &o : origins) {
        writer.beginObject();
        writer.key("key");
        writer.value(o.key);
        writer.key("path");
        writer.value(o.path);
        writer.key("rules");
        writer.beginArray();
        for (std::uint32_t bit = 1; bit != 0 && bit <= (1u << 11); bit <<= 1) {
            const auto rule = static_cast<PropertyRule>(bit);
            if (hasRule(o.rules, rule))
                writer.value(ruleDescription(rule));
        }
        writer.endArray();
        writer.endObject();
    }
    writer.endArray();
}

} // namespace

void OutputFormat::writeLine(
        JsonWriter &writer, std::size_t index, const Translation &t, Arena &arena, ExplainMode explain)
{
    writer.beginObject();
    writer.key("index");
    writer.value(static_cast<double>(index));
    writer.key("engine");
    writer.value(engineName(t.engine));
    writer.key("output");
    writer.beginArray();
    if (outputKind(t.engine) == OutputKind::Http) {
        for (const HttpRequest &r : t.requests)
            writeRequest(writer, r, t.engine, arena);
    } else {
        for (const ClientCall &c : t.pushes)
            writer.value(c.args);
    }
    writer.endArray();
    if (t.isRejected()) {
        writer.key("error");
        writer.value(t.error);
    }
    writer.key("warnings");
    writer.beginArray();
    for (const Warning &w : t.warnings) {
        writer.beginObject();
        writer.key("code");
        writer.value(w.code);
        writer.key("message");
        writer.value(w.message);
        writer.key("path");
        writer.value(w.path);
        writer.endObject();
    }
    writer.endArray();
    if (explain == ExplainMode::On) {
        writer.key("origins");
        writer.beginArray();
        if (outputKind(t.engine) == OutputKind::Http)
            for (const HttpRequest &r : t.requests)
                writeOrigins(writer, r.origins);
        else
            for (const ClientCall &c : t.pushes)
                writeOrigins(writer, c.origins);
        writer.endArray();
    }
    writer.endObject();
}

void OutputFormat::writeInputError(JsonWriter &writer, std::size_t index, std::string_view error)
{
    writer.beginObject();
    writer.key("index");
    writer.value(static_cast<double>(index));
    writer.key("error");
    writer.value(error);
    writer.key("output");
    writer.beginArray();
    writer.endArray();
    writer.endObject();
}

std::string OutputFormat::wire(const HttpRequest &request, const Value &apiKey, KeyVisibility visibility)
{
    std::string text = request.wire;
    if (visibility == KeyVisibility::Shown || !apiKey.isTruthy())
        return text;
    std::string keyText;
    try {
        keyText = js::toString(apiKey);
    } catch (const JsError &) {
        return text;
    }
    std::string encoded;
    qs::appendEncoded(encoded, keyText);
    const std::string needle = "_k=" + encoded;
    for (std::size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) {
        const bool atStart = pos == 0 || text[pos - 1] == '&';
        const std::size_t end = pos + needle.size();
        const bool atEnd = end == text.size() || text[end] == '&';
        if (atStart && atEnd) {
            text.replace(pos, needle.size(), "_k=<API_KEY>");
            pos += 11;
        }
    }
    return text;
}

std::string
OutputFormat::url(const HttpRequest &request, std::string_view host, const Value &apiKey, KeyVisibility visibility)
{
    std::string out(host);
    while (!out.empty() && out.back() == '/')
        out.pop_back();
    out += '/';
    out += endpointName(request.endpoint);
    if (request.method == HttpMethod::Get) {
        out += '?';
        out += wire(request, apiKey, visibility);
    }
    return out;
}

namespace {

std::string shellQuote(std::string_view text)
{
    std::string out = "'";
    for (char c : text) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

} // namespace

std::string
OutputFormat::curl(const HttpRequest &request, std::string_view host, const Value &apiKey, KeyVisibility visibility)
{
    if (request.method == HttpMethod::Get)
        return "curl " + shellQuote(url(request, host, apiKey, visibility));
    return "curl -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data "
           + shellQuote(wire(request, apiKey, visibility)) + " " + shellQuote(url(request, host, apiKey, visibility));
}

std::string OutputFormat::javaScript(const ClientCall &call)
{
    const auto args = call.args.items();
    if (!args.empty() && args[0].isString() && args[0].toString() == "function")
        return "window._kmq.push(function () { /* runs once Kissmetrics has loaded */ });";
    if (!args.empty() && args[0].isString() && args[0].toString() == "KM.set") {
        JsonWriter writer;
        writer.value(args.size() > 1 ? args[1] : Value());
        return "  KM.set(" + writer.buffer() + ");";
    }
    JsonWriter writer;
    writer.value(call.args);
    return "window._kmq.push(" + writer.buffer() + ");";
}

} // namespace km
