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

void Translation::warn(std::string code, std::string message, std::string path)
{
    warnings.push_back(Warning{std::move(code), std::move(message), std::move(path)});
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
