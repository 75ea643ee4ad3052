#pragma once

#include "bytescan.h"
#include "jsontape.h"
#include "querystring.h"
#include "segmentcloudfields.h"
#include "settings.h"
#include "translation.h"

#include <string>
#include <vector>

namespace km {

// segment-cloud straight from the parsed JSON (its tape) to the wire: no Values, no payload
// object, no decoded pairs; each request's query is laid out raw and percent-encoded in one pass.
// It gives exactly what SegmentCloudEngine gives (tst_wireroute compares the two byte for byte):
// the same requests in order (endpoint, method, wire) and the same warnings, limits included.
// Each request's `payload` is left undefined and its `pairs` empty; decodeFormParams() reads the
// pairs back off the wire.
//
// It takes the messages most traffic is made of and declines (translate() returns false, `out`
// then holds a partial result) wherever the engine has more to say or a single pass could differ:
// - a message the shape check would warn about, an unknown type, no API key;
// - `options`, or a `length` member in the message or in a map it reads;
// - an id, event, name or category that reads as an ISO date; a timestamp that is not a string;
// - nulls, empty objects and "[object Object]" in maps; page properties that are not scalars;
// - an object under an empty key (its flattened paths become top-level names);
// - arrays holding anything but strings, numbers and booleans, or one element that could read as
//   a date (the facade tests the array's text);
// - integer-like keys, and leading-digit keys in nested objects (JavaScript orders them first);
// - a key written twice: a duplicate JSON key, or a flattened path meeting a dotted key (keys are
//   told apart by hash, so a hash collision declines too);
// - `toString` keys, "Billing Amount" in track properties, unprefixed keys starting with '_';
// - names Kissmetrics would flag (255 characters or more, commas, colons);
// - revenue that does not parse.
// The settings must outlive the route (it views the API key).
class CloudWireRoute
{
public:
    // `nowMillis`: the clock for messages without a timestamp.
    CloudWireRoute(const Settings &settings, double nowMillis);

    bool translate(const JsonTape &message, Translation &out);

    // The texts it reads from a message: JavaScript undefined, or a string.
    struct Text
    {
        bool defined = false;
        std::string_view text;
        bool isTruthy() const { return defined && !text.empty(); }
    };

private:
    struct MapScan;
    struct Override;

    bool readRoot();
    // A field the call reads as text: false when it is there but not a string, or reads as a date.
    bool readText(int field, Text *value) const;
    bool readContext(std::size_t context);
    bool track();
    bool trackPayload(Endpoint endpoint,
                      std::size_t map,
                      const MapScan &scan,
                      Text person,
                      double extraSeconds,
                      std::string_view path);
    bool page(std::string_view word);
    bool identify();
    bool group();
    bool alias();

    bool scanMap(std::size_t map, MapScan &scan) const;
    bool revenueOf(const MapScan &scan, std::string_view path, double *revenue);
    bool writeCleanedMap(std::size_t map, std::string_view prefix, bool dropProducts, Override *override);
    bool writeCleaned(std::string_view prefix, std::string_view key, std::size_t value);
    bool flatten(std::size_t object, int depth);
    bool writeNestedLeaf(std::size_t value);
    bool writeArray(std::size_t array, std::string *text);
    bool joinSucceeds(std::size_t array, int depth) const;

    // The request being written: keys are checked for Kissmetrics' limits and written once.
    void beginRequest();
    bool beginUserKey(std::string_view prefix, std::string_view key);
    bool endKey();
    bool claimPath();
    // The digest of prefix + key, through a buffer with the room digestPadded() reads past it.
    bytescan::KeyDigest padded(std::string_view prefix, std::string_view key);
    bool claim(std::size_t size, bytescan::KeyDigest digest);
    void growClaims();
    void putReserved(std::string_view key, std::string_view value);
    void putReservedNumber(std::string_view key, double value);
    void putClientInfo();
    void putClientPersonTimeKey(Text person);
    bool finishRequest(Endpoint endpoint, bool hasPerson);
    void appendNumber(double value);

    double m_now;
    Text m_apiKey;
    bool m_prefixOn = false;
    bool m_prefixSet = false;

    // The message being translated.
    const JsonTape *m_tape = nullptr;
    Translation *m_out = nullptr;
    std::size_t m_fields[cloudfields::Count] = {}; // tape index of each field's value, 0 when absent
    Text m_userId, m_anonymousId, m_ip, m_userAgent;
    double m_millis = 0;
    double m_seconds = 0;
    std::string m_prefix; // track: "<event> - " when prefixing applies
    struct EventName
    {
        std::string text;
        bool orderCompleted = false;         // sends one /s per product
        bool completedOrderAnywhere = false; // `total` stands in for a missing revenue
    } m_event;
    std::vector<Endpoint> m_withoutPerson;

    qs::QueryBuilder m_query;
    std::size_t m_keyStart = 0;
    std::vector<std::uint64_t> m_claims; // the user keys of the request, by hash (see claim())
    std::vector<std::size_t> m_claimed;  // the slots in use
    std::string m_path;                  // the flattened path being written, without prefix
    std::string_view m_pathPrefix;       // its prefix
    std::string m_scratch;
    std::vector<char> m_padded;          // see padded()
    bytescan::KeyDigest m_billingAmount; // the digest of "Billing Amount", which track claims often
};

} // namespace km
