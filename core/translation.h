#pragma once

#include "value.h"

#include <cstdint>
#include <string>
#include <vector>

namespace km {

enum class EngineId { SegmentDevice, SegmentCloud, RudderDevice, RudderCloud };
enum class OutputKind { Http, Client };
enum class Endpoint { Event, Set, Alias };
enum class HttpMethod { Get, Post };

// What shaped an output property, shown to the user as chips beside it.
enum class PropertyRule : std::uint32_t {
    None = 0,
    Prefixed = 1u << 0,
    Flattened = 1u << 1,
    ArrayJoined = 1u << 2,
    Stringified = 1u << 3,
    DateToUnix = 1u << 4,
    DateToIso = 1u << 5,
    BillingAmountCopy = 1u << 6,
    Overwritten = 1u << 7,
    RevenueParsed = 1u << 8,
    Reserved = 1u << 9,
    FromTotal = 1u << 10,
    AddedByFacade = 1u << 11,
};
constexpr PropertyRule operator|(PropertyRule a, PropertyRule b)
{
    return static_cast<PropertyRule>(static_cast<std::uint32_t>(a) | static_cast<std::uint32_t>(b));
}
constexpr bool hasRule(PropertyRule set, PropertyRule rule)
{
    return (static_cast<std::uint32_t>(set) & static_cast<std::uint32_t>(rule)) != 0;
}
const char *ruleDescription(PropertyRule rule);

// Where an output property came from: the input path and the rules that shaped it.
struct PropertyOrigin
{
    std::string key;
    std::string path;
    PropertyRule rules = PropertyRule::None;
};

// A problem or fact a user should know about one call (a quirk, a Kissmetrics limit, why nothing
// is sent). `path` points into the input message, so the UI can select the field.
struct Warning
{
    std::string code;
    std::string message;
    std::string path;
};

struct QueryPair
{
    std::string_view key; // decoded text, e.g. "Page - nested[a]"
    std::string_view value;
    bool bare = false; // a key with no '=' (null under strictNullHandling)
};

// A request an HTTP engine sends. `wire` is always set; `payload` and `pairs` are left empty by
// the segment-cloud wire route (CloudWireRoute), which writes the wire without building them
// (decodeFormParams reads the pairs back).
struct HttpRequest
{
    Endpoint endpoint = Endpoint::Event;
    HttpMethod method = HttpMethod::Get;
    Value payload;                // the object the integration hands to its HTTP client, in order
    std::vector<QueryPair> pairs; // what goes on the wire, decoded, in order
    std::string wire;             // GET: the query string; POST: the form body
    std::vector<PropertyOrigin> origins;
};

struct ClientCall
{
    Value args; // the pushed array: ["record", name, props], ["set", props], ["function"], ["KM.set", payload]
    std::vector<PropertyOrigin> origins;
};

struct Translation
{
    EngineId engine = EngineId::SegmentCloud;
    std::vector<HttpRequest> requests;
    std::vector<ClientCall> pushes;
    std::string error; // the real implementation throws or rejects the call
    std::vector<Warning> warnings;

    bool isRejected() const { return !error.empty(); }
    void clear();
    // A fresh request at the end of `requests`, reusing the buffers of earlier translations.
    HttpRequest &addRequest();
    void warn(std::string_view code, std::string_view message, std::string_view path = {});

private:
    std::vector<HttpRequest> m_spareRequests;
    std::vector<Warning> m_spareWarnings;
};

// "text" in double quotes, for messages (built by append: GCC 12 warns, wrongly, on the `+` chain).
std::string quote(std::string_view text);

OutputKind outputKind(EngineId engine);
const char *engineName(EngineId engine);
bool engineFromName(std::string_view name, EngineId *engine);
const char *endpointName(Endpoint endpoint); // "e", "s", "a"
const char *methodName(HttpMethod method);

} // namespace km
