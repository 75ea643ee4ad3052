#include "capturecomparison.h"

#include "engine.h"
#include "jsops.h"

#include <algorithm>
#include <map>
#include <utility>

namespace km {

namespace {

using Properties = std::vector<std::pair<std::string, std::string>>;

// One request to Kissmetrics the engine predicts for a call.
struct Predicted
{
    std::size_t call = 0;
    std::string_view endpoint; // "e", "s", "a" (static text)
    std::string name;          // /e: the event; /a: one identity
    std::string other;         // /a: the other identity
    Properties properties;
    std::string label; // "record \"A\"", "set (3 properties)"
    bool matched = false;
};

bool isReserved(std::string_view key)
{
    return key == "_k" || key == "_p" || key == "_n" || key == "_t" || key == "_d";
}

std::string textOf(const Value &value)
{
    try {
        return js::toString(value);
    } catch (const JsError &) {
        return "[object Object]"; // an object whose own toString is not a function
    }
}

Properties propertiesOf(const Value &object)
{
    Properties out;
    if (!object.isObject())
        return out;
    for (const Member &m : object.members()) {
        if (!isReserved(m.key) && !m.value.isUndefined())
            out.emplace_back(std::string(m.key), textOf(m.value));
    }
    return out;
}

// "record \"A\"", "alias \"a\" \"b\"": built by appending (GCC 12 warns falsely on literal + string).
std::string labelOf(std::string_view head, std::string_view name, std::optional<std::string_view> other = {})
{
    std::string label(head);
    label += ' ';
    label += quote(name);
    if (other) {
        label += ' ';
        label += quote(*other);
    }
    return label;
}

std::string countText(std::size_t n, const char *one, const char *many)
{
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

void predictPushes(std::size_t call, const Translation &t, std::vector<Predicted> &out)
{
    for (const ClientCall &c : t.pushes) {
        const std::span<const Value> args = c.args.items();
        if (args.empty() || !args[0].isString())
            continue;
        const std::string_view command = args[0].toString();
        Predicted p;
        p.call = call;
        if (command == "record" && args.size() >= 2) {
            p.endpoint = "e";
            p.name = textOf(args[1]);
            if (args.size() >= 3)
                p.properties = propertiesOf(args[2]);
            p.label = labelOf("record", p.name);
        } else if ((command == "set" || command == "KM.set") && args.size() >= 2) {
            p.endpoint = "s";
            p.properties = propertiesOf(args[1]);
            p.label = std::string(command) + " (" + countText(p.properties.size(), "property", "properties") + ")";
        } else if (command == "alias" && args.size() >= 3) {
            p.endpoint = "a";
            p.name = textOf(args[1]);
            p.other = textOf(args[2]);
            p.label = labelOf("alias", p.name, p.other);
        } else {
            continue; // identify, a pushed function: no request of their own
        }
        out.push_back(std::move(p));
    }
}

void predictRequests(std::size_t call, const Translation &t, std::vector<Predicted> &out)
{
    for (const HttpRequest &r : t.requests) {
        Predicted p;
        p.call = call;
        const Value n = r.payload.get("_n");
        p.endpoint = endpointName(r.endpoint);
        if (r.endpoint == Endpoint::Event) {
            p.name = n.isUndefined() ? std::string() : textOf(n);
            p.label = labelOf("/e", p.name);
        } else if (r.endpoint == Endpoint::Alias) {
            p.name = textOf(r.payload.get("_p"));
            p.other = n.isUndefined() ? std::string() : textOf(n);
            p.label = labelOf("/a", p.name, p.other);
        }
        for (const QueryPair &pair : r.pairs) {
            if (!isReserved(pair.key))
                p.properties.emplace_back(std::string(pair.key), std::string(pair.value));
        }
        if (r.endpoint == Endpoint::Set)
            p.label = "/s (" + countText(p.properties.size(), "property", "properties") + ")";
        out.push_back(std::move(p));
    }
}

std::string typeOf(const Value &message)
{
    const Value type = message.get("type");
    return type.isString() ? std::string(type.toString()) : std::string("no type");
}

std::size_t commonKeys(const Properties &a, const Properties &b)
{
    std::size_t n = 0;
    for (const auto &[key, value] : a)
        n += std::any_of(b.begin(), b.end(), [&](const auto &kv) { return kv.first == key; }) ? 1 : 0;
    return n;
}

Predicted *findMatch(std::vector<Predicted> &predicted, const CapturedRequest &r, const Properties &received)
{
    Predicted *best = nullptr;
    std::size_t bestCommon = 0;
    for (Predicted &p : predicted) {
        if (p.matched || p.endpoint != r.endpoint)
            continue;
        if (p.endpoint == "e") {
            if (p.name == r.value("_n").value_or(std::string()))
                return &p;
        } else if (p.endpoint == "a") {
            const std::string a = r.value("_p").value_or(std::string());
            const std::string b = r.value("_n").value_or(std::string());
            if ((p.name == a && p.other == b) || (p.name == b && p.other == a))
                return &p;
        } else {
            const std::size_t common = commonKeys(p.properties, received);
            if (common > bestCommon) {
                best = &p;
                bestCommon = common;
            }
        }
    }
    return best;
}

} // namespace

CaptureComparison compareCapture(const HarCapture &capture, const Configuration &configuration, double nowMillis)
{
    CaptureComparison comparison;
    const std::unique_ptr<Engine> engine = Engine::create(configuration.engine);
    std::vector<Predicted> predicted;
    TranslateOptions options;
    options.nowMillis = nowMillis;
    options.isFirstMessage = true;
    const std::vector<HarCall> &calls = capture.calls();
    for (std::size_t i = 0; i < calls.size(); ++i) {
        if (!calls[i].isValid())
            continue;
        Arena arena;
        Translation t;
        engine->translate(calls[i].value, configuration.settings, configuration.environment, options, arena, t);
        options.isFirstMessage = false; // the integration's initialise-time pushes come once
        predictPushes(i, t, predicted);
        predictRequests(i, t, predicted);
    }
    comparison.predictedCount = predicted.size();

    for (const CapturedRequest &r : capture.kissmetricsRequests()) {
        CaptureMatch match;
        match.entry = r.entry;
        match.endpoint = r.endpoint;
        if (r.endpoint == "e")
            match.name = r.value("_n").value_or(std::string());
        Properties received;
        for (const ReceivedParam &param : r.parameters) {
            if (!isReserved(param.key))
                received.emplace_back(param.key, param.value.value_or(std::string()));
        }
        if (Predicted *p = findMatch(predicted, r, received)) {
            p->matched = true;
            match.call = p->call;
            match.callType = typeOf(calls[p->call].value);
            std::map<std::string, std::string> got(received.begin(), received.end());
            for (const auto &[key, value] : p->properties) {
                const auto it = got.find(key);
                if (it == got.end())
                    match.missing.push_back(key);
                else if (it->second != value)
                    match.differing.push_back(key + ": predicted " + quote(value) + ", received " + quote(it->second));
            }
            for (const auto &[key, value] : received) {
                if (std::none_of(p->properties.begin(), p->properties.end(),
                                 [&](const auto &kv) { return kv.first == key; }))
                    match.unexpected.push_back(key);
            }
        }
        comparison.received.push_back(std::move(match));
    }
    for (const Predicted &p : predicted) {
        if (!p.matched) {
            comparison.unreceived.push_back("call " + std::to_string(p.call) + " (" + typeOf(calls[p.call].value)
                                            + "): " + p.label);
        }
    }
    return comparison;
}

std::vector<std::string> CaptureComparison::lines() const
{
    constexpr std::size_t kListed = 8; // names listed per line; the rest are counted
    const auto list = [](const std::vector<std::string> &items, const char *separator) {
        std::string text;
        for (std::size_t i = 0; i < items.size() && i < kListed; ++i)
            text += (i ? separator : "") + items[i];
        if (items.size() > kListed)
            text += separator + ("and " + std::to_string(items.size() - kListed) + " more");
        return text;
    };
    std::vector<std::string> out;
    for (const CaptureMatch &m : received) {
        std::string line = "entry " + std::to_string(m.entry) + ": /" + m.endpoint;
        if (!m.name.empty()) {
            line += ' ';
            line += quote(m.name);
        }
        if (!m.call) {
            line += " was received, and none of the calls predicts it";
            out.push_back(std::move(line));
            continue;
        }
        line += (m.isExact() ? " matches call " : " is call ") + std::to_string(*m.call) + " (" + m.callType + ")";
        std::vector<std::string> differences;
        if (!m.missing.empty())
            differences.push_back("not in the request: " + list(m.missing, ", "));
        if (!m.unexpected.empty())
            differences.push_back("not predicted: " + list(m.unexpected, ", "));
        if (!m.differing.empty())
            differences.push_back("other values: " + list(m.differing, "; "));
        for (std::size_t i = 0; i < differences.size(); ++i)
            line += (i == 0 ? ", but " : "; ") + differences[i];
        out.push_back(std::move(line));
    }
    if (!unreceived.empty())
        out.push_back("predicted, not in the capture: " + list(unreceived, "; "));
    return out;
}

} // namespace km
