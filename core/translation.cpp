#include "translation.h"

namespace km {

const char *ruleDescription(PropertyRule rule)
{
    switch (rule) {
    case PropertyRule::None:
        return "";
    case PropertyRule::Prefixed:
        return "prefixed";
    case PropertyRule::Flattened:
        return "flattened";
    case PropertyRule::ArrayJoined:
        return "array joined";
    case PropertyRule::Stringified:
        return "stringified";
    case PropertyRule::DateToUnix:
        return "ISO date \u2192 Unix seconds";
    case PropertyRule::DateToIso:
        return "date sent as ISO text";
    case PropertyRule::BillingAmountCopy:
        return "copied to Billing Amount";
    case PropertyRule::Overwritten:
        return "overwritten";
    case PropertyRule::RevenueParsed:
        return "revenue parsed as a number";
    case PropertyRule::Reserved:
        return "Kissmetrics parameter";
    case PropertyRule::FromTotal:
        return "revenue taken from total";
    case PropertyRule::AddedByFacade:
        return "added by Segment's message wrapper";
    }
    return "";
}

void Translation::clear()
{
    for (HttpRequest &r : requests) {
        r.pairs.clear();
        r.wire.clear();
        r.origins.clear();
        m_spareRequests.push_back(std::move(r));
    }
    requests.clear();
    pushes.clear();
    error.clear();
    for (Warning &w : warnings)
        m_spareWarnings.push_back(std::move(w));
    warnings.clear();
}

HttpRequest &Translation::addRequest()
{
    if (m_spareRequests.empty())
        return requests.emplace_back();
    requests.push_back(std::move(m_spareRequests.back()));
    m_spareRequests.pop_back();
    HttpRequest &r = requests.back();
    r.endpoint = Endpoint::Event;
    r.method = HttpMethod::Get;
    r.payload = Value();
    return r;
}

void Translation::warn(std::string_view code, std::string_view message, std::string_view path)
{
    // Most calls warn about something; the texts reuse the buffers of earlier translations.
    if (m_spareWarnings.empty()) {
        warnings.push_back(Warning{std::string(code), std::string(message), std::string(path)});
        return;
    }
    warnings.push_back(std::move(m_spareWarnings.back()));
    m_spareWarnings.pop_back();
    Warning &w = warnings.back();
    w.code.assign(code);
    w.message.assign(message);
    w.path.assign(path);
}

std::string quote(std::string_view text)
{
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    out += text;
    out += '"';
    return out;
}

OutputKind outputKind(EngineId engine)
{
    return engine == EngineId::SegmentCloud || engine == EngineId::RudderCloud ? OutputKind::Http : OutputKind::Client;
}

const char *engineName(EngineId engine)
{
    switch (engine) {
    case EngineId::SegmentDevice:
        return "segment-device";
    case EngineId::SegmentCloud:
        return "segment-cloud";
    case EngineId::RudderDevice:
        return "rudder-device";
    case EngineId::RudderCloud:
        return "rudder-cloud";
    }
    return "";
}

bool engineFromName(std::string_view name, EngineId *engine)
{
    for (EngineId id :
         {EngineId::SegmentDevice, EngineId::SegmentCloud, EngineId::RudderDevice, EngineId::RudderCloud}) {
        if (name == engineName(id)) {
            *engine = id;
            return true;
        }
    }
    return false;
}

const char *endpointName(Endpoint endpoint)
{
    switch (endpoint) {
    case Endpoint::Event:
        return "e";
    case Endpoint::Set:
        return "s";
    case Endpoint::Alias:
        return "a";
    }
    return "";
}

const char *methodName(HttpMethod method)
{
    return method == HttpMethod::Get ? "GET" : "POST";
}

} // namespace km
