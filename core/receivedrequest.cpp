#include "receivedrequest.h"

#include "jsonwriter.h"
#include "querystring.h"

#include <algorithm>

namespace km {

namespace {

// "(no value)" for a bare key, the quoted text otherwise, shortened so a message stays one line.
std::string shown(const std::optional<std::string> &value)
{
    if (!value)
        return "(no value)";
    constexpr std::size_t MaxShown = 40;
    if (value->size() <= MaxShown)
        return quote(*value);
    std::size_t cut = MaxShown - 3;
    while (cut > 0 && (static_cast<unsigned char>((*value)[cut]) & 0xC0) == 0x80)
        --cut; // not inside a UTF-8 sequence
    return quote(value->substr(0, cut) + "...");
}

std::string shown(const std::vector<std::optional<std::string>> &values)
{
    if (values.size() == 1)
        return shown(values.front());
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0)
            out += ", ";
        out += shown(values[i]);
    }
    return out + "]";
}

std::vector<std::optional<std::string>> valuesOf(const std::vector<ReceivedParam> &params, std::string_view key)
{
    std::vector<std::optional<std::string>> out;
    for (const ReceivedParam &p : params)
        if (p.key == key)
            out.push_back(p.value);
    return out;
}

std::vector<std::string_view> distinctKeys(const std::vector<ReceivedParam> &params)
{
    std::vector<std::string_view> keys;
    for (const ReceivedParam &p : params)
        if (std::find(keys.begin(), keys.end(), p.key) == keys.end())
            keys.push_back(p.key);
    return keys;
}

void describeParams(const std::vector<ReceivedParam> &got,
                    const std::vector<ReceivedParam> &want,
                    std::vector<std::string> &parts)
{
    const std::vector<std::string_view> wantKeys = distinctKeys(want);
    for (std::string_view key : wantKeys) {
        const auto gotValues = valuesOf(got, key);
        const auto wantValues = valuesOf(want, key);
        if (gotValues.empty())
            parts.push_back("missing " + quote(key));
        else if (gotValues != wantValues)
            parts.push_back(quote(key) + ": " + shown(gotValues) + " where the preview has " + shown(wantValues));
    }
    for (std::string_view key : distinctKeys(got))
        if (std::find(wantKeys.begin(), wantKeys.end(), key) == wantKeys.end())
            parts.push_back("unexpected " + quote(key) + " = " + shown(valuesOf(got, key)));
    if (!parts.empty())
        return;
    // Same keys with the same values: only the order differs.
    for (std::size_t i = 0; i < got.size() && i < want.size(); ++i) {
        if (got[i].key != want[i].key) {
            parts.push_back("parameters in another order: " + quote(got[i].key) + " is at position "
                            + std::to_string(i + 1) + " where the preview has " + quote(want[i].key));
            return;
        }
    }
}

} // namespace

std::optional<Endpoint> ReceivedRequest::trackingEndpoint() const
{
    for (Endpoint e : {Endpoint::Event, Endpoint::Set, Endpoint::Alias})
        if (m_endpoint == endpointName(e))
            return e;
    return std::nullopt;
}

Value ReceivedRequest::params(Arena &arena) const
{
    std::vector<QueryPair> pairs;
    pairs.reserve(m_parameters.size());
    for (const ReceivedParam &p : m_parameters) {
        QueryPair pair;
        pair.key = arena.copy(p.key);
        if (p.value)
            pair.value = arena.copy(*p.value);
        pair.bare = !p.value;
        pairs.push_back(pair);
    }
    // Get: a bare key is null whatever the method (the contract turns a POST one into "", but a
    // received body is shown as it arrived).
    return qs::paramsFromPairs(pairs, HttpMethod::Get, arena);
}

std::string ReceivedRequest::toJsonLine() const
{
    Arena arena;
    JsonWriter writer;
    writer.beginObject();
    writer.key("endpoint");
    writer.value(m_endpoint);
    writer.key("method");
    writer.value(m_method);
    writer.key("params");
    writer.value(params(arena));
    writer.key("received_at");
    writer.value(m_receivedAt.toUTC().toString(Qt::ISODateWithMs).toStdString());
    if (!isAccepted()) {
        writer.key("status");
        writer.value(m_status);
    }
    writer.endObject();
    return std::move(writer.buffer());
}

std::optional<std::string> ReceivedRequest::value(std::string_view key) const
{
    for (const ReceivedParam &p : m_parameters)
        if (p.key == key)
            return p.value;
    return std::nullopt;
}

std::vector<ReceivedParam> ReceivedRequest::properties() const
{
    std::vector<ReceivedParam> out;
    for (const ReceivedParam &p : m_parameters)
        if (!isReservedKey(p.key))
            out.push_back(p);
    return out;
}

bool ReceivedRequest::isReservedKey(std::string_view key)
{
    for (std::string_view reserved : {"_k", "_p", "_n", "_t", "_d", "_ip", "_ua"})
        if (key == reserved)
            return true;
    return false;
}

bool matchesPreview(const ReceivedRequest &received, const HttpRequest &previewed, std::string *difference)
{
    std::vector<std::string> parts;
    const std::string wantEndpoint = endpointName(previewed.endpoint);
    if (received.endpoint() != wantEndpoint) {
        const std::string got = received.trackingEndpoint() ? "/" + received.endpoint() : received.endpoint();
        parts.push_back("sent to " + got + " where the preview has /" + wantEndpoint);
    }
    const std::string wantMethod = methodName(previewed.method);
    if (received.method() != wantMethod)
        parts.push_back(received.method() + " where the preview has " + wantMethod);
    const std::vector<ReceivedParam> want = decodeFormParams(previewed.wire);
    if (received.parameters() != want)
        describeParams(received.parameters(), want, parts);
    if (parts.empty())
        return true;
    if (difference) {
        constexpr std::size_t MaxParts = 3;
        difference->clear();
        for (std::size_t i = 0; i < parts.size() && i < MaxParts; ++i) {
            if (i > 0)
                *difference += "; ";
            *difference += parts[i];
        }
        if (parts.size() > MaxParts)
            *difference += "; and " + std::to_string(parts.size() - MaxParts) + " more";
    }
    return false;
}

} // namespace km
