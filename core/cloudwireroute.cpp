#include "cloudwireroute.h"

#include "bytescan.h"
#include "cleaners.h"
#include "enginesupport.h"
#include "jsdate.h"
#include "jsnumber.h"
#include "jsops.h"
#include "kmlimits.h"
#include "segmentcloudfields.h"
#include "segmentcloudwarnings.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace km {

namespace {

using Text = CloudWireRoute::Text;

Text orElse(Text a, Text b)
{
    return a.isTruthy() ? a : b;
}

using namespace cloudfields;

constexpr int kIgnored = -1;
constexpr int kDecline = -2;

int fieldOf(std::string_view key)
{
    switch (key.size()) {
    case 2:
        return key == "to" ? To : kIgnored;
    case 4:
        return key == "type" ? Type : key == "name" ? Name : key == "from" ? From : kIgnored;
    case 5:
        return key == "event" ? Event : kIgnored;
    case 6:
        return key == "userId" ? UserId : key == "traits" ? Traits : key == "length" ? kDecline : kIgnored;
    case 7:
        return key == "groupId"   ? GroupId
               : key == "context" ? Context
               : key == "channel" ? Channel
               : key == "options" ? kDecline
                                  : kIgnored;
    case 8:
        return key == "category" ? Category : kIgnored;
    case 9:
        return key == "sessionId" ? SessionId : key == "timestamp" ? Timestamp : kIgnored;
    case 10:
        return key == "properties" ? Properties : key == "previousId" ? PreviousId : kIgnored;
    case 11:
        return key == "anonymousId" ? AnonymousId : kIgnored;
    default:
        return kIgnored;
    }
}

bool startsWithDigit(std::string_view s)
{
    return !s.empty() && s.front() >= '0' && s.front() <= '9';
}

bool isIsoDate(std::string_view s)
{
    double ignored = 0;
    return js::isCloudIsoDate(s, &ignored);
}

constexpr std::string_view kObjectTag = "[object Object]";
constexpr std::string_view kBillingAmount = "Billing Amount";

// The first character obj-case compares (letters lower-cased; others than letters, digits and
// '.' skipped), or 0: most keys can be told apart from "revenue" or "ip" by it alone.
char objCaseFirst(std::string_view key)
{
    for (char c : key) {
        if (c >= 'A' && c <= 'Z')
            return static_cast<char>(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.')
            return c;
    }
    return 0;
}

} // namespace

struct CloudWireRoute::MapScan
{
    // Tape indices of the first obj-case matches: key and value (0 when there is none).
    std::size_t revenueKey = 0, totalKey = 0, productsKey = 0;
    bool exactProducts = false;
    bool billingAmount = false;
};

// A member the engine assigns over the map's own (identify's and group's `id`, track's revenue):
// written at the member's position when the map has it, else appended by the caller.
struct CloudWireRoute::Override
{
    std::string_view key;
    bool active = false;
    bool isNumber = false;
    std::string_view text;
    double number = 0;
    bool written = false;
};

CloudWireRoute::CloudWireRoute(const Settings &settings, double nowMillis)
    : m_now(nowMillis)
{
    const Value apiKey = settings.apiKey();
    if (apiKey.isString())
        m_apiKey = {true, apiKey.toString()};
    m_prefixOn = settings.isPrefixProperties(EngineId::SegmentCloud);
    m_prefixSet = settings.values().contains("prefixProperties");
    m_billingAmount = padded({}, kBillingAmount);
    growClaims();
}

bool CloudWireRoute::translate(const JsonTape &message, Translation &out)
{
    out.clear();
    out.engine = EngineId::SegmentCloud;
    m_tape = &message;
    m_out = &out;
    m_withoutPerson.clear();
    // A missing key is an error the engine reports; keys that are not strings are left to it.
    if (!m_apiKey.isTruthy() || message.type(JsonTape::Root) != '{' || !readRoot())
        return false;

    const JsonTape &t = message;
    Text type, sessionId;
    m_userId = m_anonymousId = {};
    if (!readText(Type, &type) || !type.defined || !readText(UserId, &m_userId)
        || !readText(AnonymousId, &m_anonymousId) || !readText(SessionId, &sessionId))
        return false;
    m_anonymousId = orElse(m_anonymousId, sessionId);
    // The engine tells when the facade makes a Date of an id, whatever the call reads (readText
    // has ruled that out for the ids read above).
    for (Field f : {PreviousId, GroupId, Event, Name, Category}) {
        const std::size_t i = m_fields[f];
        if (i && (t.type(i) == '[' || (t.type(i) == '"' && isIsoDate(t.string(i)))))
            return false;
    }
    for (Field f : {Properties, Traits, Context})
        if (m_fields[f] && t.type(m_fields[f]) != '{')
            return false;
    m_ip = {};
    m_userAgent = {};
    if (m_fields[Context] && !readContext(m_fields[Context]))
        return false;

    if (const std::size_t ts = m_fields[Timestamp]) {
        if (t.type(ts) != '"')
            return false;
        const std::string_view s = t.string(ts);
        double millis = 0;
        const Value converted = js::isCloudIsoDate(s, &millis) ? Value::date(millis) : Value::string(s);
        m_millis = support::segmentCloudTimestamp(&converted, m_now);
    } else {
        m_millis = m_now;
    }
    m_seconds = js::unixSeconds(m_millis);

    const std::string_view kind = type.text;
    enum class Kind { Track, Page, Screen, Identify, Group, Alias } call;
    if (kind == "track")
        call = Kind::Track;
    else if (kind == "page")
        call = Kind::Page;
    else if (kind == "screen")
        call = Kind::Screen;
    else if (kind == "identify")
        call = Kind::Identify;
    else if (kind == "group")
        call = Kind::Group;
    else if (kind == "alias")
        call = Kind::Alias;
    else
        return false;

    if (!m_prefixSet)
        cloudwarnings::prefixDefault(out);
    const std::size_t channel = m_fields[Channel];
    if (!channel || t.type(channel) != '"' || t.string(channel) != "server")
        cloudwarnings::channelNotServer(out);

    bool taken = false;
    switch (call) {
    case Kind::Track:
        taken = track();
        break;
    case Kind::Page:
        taken = page("Page");
        break;
    case Kind::Screen:
        taken = page("Screen");
        break;
    case Kind::Identify:
        taken = identify();
        break;
    case Kind::Group:
        taken = group();
        break;
    case Kind::Alias:
        taken = alias();
        break;
    }
    if (!taken)
        return false;
    if (call != Kind::Alias)
        support::warnLongTimestamp(out, m_millis);
    for (Endpoint endpoint : m_withoutPerson)
        warnMissingPerson(out, endpoint);
    return true;
}

bool CloudWireRoute::readText(int field, Text *value) const
{
    const std::size_t i = m_fields[field];
    if (!i)
        return true; // undefined
    const JsonTape &t = *m_tape;
    if (t.type(i) != '"' || isIsoDate(t.string(i)))
        return false; // the shape check warns, or the facade makes a Date of it
    *value = {true, t.string(i)};
    return true;
}

bool CloudWireRoute::readRoot()
{
    const JsonTape &t = *m_tape;
    std::fill(std::begin(m_fields), std::end(m_fields), 0);
    for (std::size_t k = JsonTape::Root + 1, end = t.close(JsonTape::Root); k < end; k = t.after(k + 1)) {
        const int field = fieldOf(t.string(k));
        if (field == kDecline)
            return false;
        if (field == kIgnored)
            continue;
        if (m_fields[field])
            return false; // a duplicate: JavaScript keeps the last value at the first position
        m_fields[field] = k + 1;
    }
    return true;
}

bool CloudWireRoute::readContext(std::size_t context)
{
    // The first obj-case match in property order, whatever its value (integer-like keys, which
    // JavaScript puts first, cannot match either name).
    const JsonTape &t = *m_tape;
    std::size_t ipKey = 0, uaKey = 0;
    auto take = [&](std::size_t key, std::size_t *found, Text *value) {
        if (*found)
            return t.string(*found) != t.string(key); // a duplicate key: its last value would count
        *found = key;
        const std::size_t v = key + 1;
        switch (t.type(v)) {
        case 'n':
            return true; // not truthy: not sent
        case '"':
            if (isIsoDate(t.string(v)))
                return false;
            *value = {true, t.string(v)};
            return true;
        default:
            return false;
        }
    };
    for (std::size_t k = context + 1, end = t.close(context); k < end; k = t.after(k + 1)) {
        const std::string_view key = t.string(k);
        const char first = objCaseFirst(key);
        if (first == 'i' && js::objCaseKeyIs(key, "ip")) {
            if (!take(k, &ipKey, &m_ip))
                return false;
        } else if (first == 'u' && js::objCaseKeyIs(key, "useragent")) {
            if (!take(k, &uaKey, &m_userAgent))
                return false;
        }
    }
    return true;
}

bool CloudWireRoute::scanMap(std::size_t map, MapScan &scan) const
{
    if (!map)
        return true;
    const JsonTape &t = *m_tape;
    auto first = [&](std::size_t key, std::size_t *found) {
        if (!*found)
            *found = key;
        else if (t.string(*found) == t.string(key))
            return false; // a duplicate key: its last value would count
        return true;
    };
    for (std::size_t k = map + 1, end = t.close(map); k < end; k = t.after(k + 1)) {
        const std::string_view key = t.string(k);
        switch (objCaseFirst(key)) {
        case 'r':
            if (js::objCaseKeyIs(key, "revenue") && !first(k, &scan.revenueKey))
                return false;
            break;
        case 't':
            if (js::objCaseKeyIs(key, "total") && !first(k, &scan.totalKey))
                return false;
            break;
        case 'p':
            if (js::objCaseKeyIs(key, "products") && !first(k, &scan.productsKey))
                return false;
            break;
        default:
            break;
        }
        scan.exactProducts |= key == "products";
        scan.billingAmount |= key == kBillingAmount;
    }
    return true;
}

bool CloudWireRoute::revenueOf(const MapScan &scan, std::string_view path, double *revenue)
{
    const JsonTape &t = *m_tape;
    // The value as the engine reads it; false for what this route leaves to the engine.
    auto scalar = [&](std::size_t key, Value *value) {
        if (!key)
            return true;
        const std::size_t v = key + 1;
        switch (t.type(v)) {
        case '"':
            if (isIsoDate(t.string(v)))
                return false; // a Date by then
            *value = Value::string(t.string(v));
            return true;
        case 't':
        case 'f':
            *value = Value::boolean(t.type(v) == 't');
            return true;
        case 'n':
            *value = Value::null();
            return true;
        case '{':
        case '[':
            return false;
        default:
            *value = Value::number(t.number(v));
            return true;
        }
    };
    *revenue = std::nan("");
    Value raw;
    if (!scalar(scan.revenueKey, &raw))
        return false;
    bool fromTotal = false;
    if (!raw.isTruthy() && m_event.completedOrderAnywhere) {
        raw = Value();
        if (!scalar(scan.totalKey, &raw))
            return false;
        fromTotal = raw.isTruthy();
    }
    const Value parsed = js::currency(raw);
    if (raw.isTruthy() && parsed.isUndefined())
        return false; // the engine warns that it cannot be read
    if (!parsed.isTruthy())
        return true;
    if (fromTotal)
        cloudwarnings::revenueFromTotal(*m_out, joinPath(path, "total"));
    *revenue = parsed.toNumber();
    return true;
}

bool CloudWireRoute::track()
{
    const JsonTape &t = *m_tape;
    const std::size_t eventIndex = m_fields[Event];
    if (!eventIndex || t.type(eventIndex) != '"')
        return false; // the shape check warns
    const std::string_view event = t.string(eventIndex);
    if (isIsoDate(event) || !isKissmetricsNameClean(event))
        return false;
    const std::size_t properties = m_fields[Properties];
    MapScan scan;
    if (!scanMap(properties, scan) || scan.billingAmount)
        return false;
    m_prefix.clear();
    if (m_prefixOn) {
        m_prefix += event;
        m_prefix += " - ";
    }
    const Text person = orElse(m_userId, m_anonymousId);
    if (event != m_event.text) {
        // Calls of one event come in runs: the patterns are matched once per name.
        m_event.text.assign(event);
        m_event.orderCompleted = support::matchesOrderCompletedV2(m_event.text);
        m_event.completedOrderAnywhere = !event.empty() && support::matchesCompletedOrderAnywhere(m_event.text);
    }
    const bool isOrder = m_event.orderCompleted;
    if (!isOrder && scan.exactProducts)
        cloudwarnings::productsRemoved(*m_out);
    if (!trackPayload(Endpoint::Event, properties, scan, person, 0, "properties"))
        return false;
    if (!isOrder)
        return true;

    const std::size_t productsKey = scan.productsKey;
    if (!productsKey || t.type(productsKey + 1) != '[') {
        cloudwarnings::orderWithoutProducts(*m_out);
        return true;
    }
    const std::size_t products = productsKey + 1;
    if (!m_userId.isTruthy() && !t.isEmpty(products))
        cloudwarnings::orderProductsWithoutPerson(*m_out);
    std::size_t i = 0;
    std::string path;
    for (std::size_t p = products + 1, end = t.close(products); p < end; p = t.after(p), ++i) {
        if (t.type(p) != '{')
            return false;
        MapScan productScan;
        if (!scanMap(p, productScan) || productScan.billingAmount)
            return false;
        path = "properties.products.";
        path += std::to_string(i);
        if (!trackPayload(Endpoint::Set, p, productScan, m_userId, static_cast<double>(i), path))
            return false;
    }
    return true;
}

bool CloudWireRoute::trackPayload(Endpoint endpoint,
                                  std::size_t map,
                                  const MapScan &scan,
                                  Text person,
                                  double extraSeconds,
                                  std::string_view path)
{
    double revenue = 0;
    if (!revenueOf(scan, path, &revenue))
        return false;
    beginRequest();
    Override revenueOverride{"revenue", !std::isnan(revenue), true, {}, revenue};
    if (!writeCleanedMap(map, m_prefix, true, &revenueOverride))
        return false;
    if (revenueOverride.active) {
        if (!revenueOverride.written) {
            if (!beginUserKey(m_prefix, "revenue") || !endKey())
                return false;
            appendNumber(revenue);
        }
        // A flattened path under an empty key can be "Billing Amount" when nothing is prefixed.
        if (!claim(kBillingAmount.size(), m_billingAmount))
            return false;
        putReservedNumber(kBillingAmount, revenue);
    }
    putClientInfo();
    putReserved("_d", "1");
    putReserved("_k", m_apiKey.text);
    if (person.defined)
        putReserved("_p", person.text);
    putReservedNumber("_t", m_seconds + extraSeconds);
    if (endpoint == Endpoint::Event)
        putReserved("_n", m_tape->string(m_fields[Event]));
    return finishRequest(endpoint, person.defined);
}

bool CloudWireRoute::page(std::string_view word)
{
    const JsonTape &t = *m_tape;
    Text name, category;
    if (!readText(Name, &name) || !readText(Category, &category))
        return false;
    const Text label = orElse(name, category);
    const std::string_view labelText = label.defined ? label.text : std::string_view("undefined");
    std::string eventName = "Viewed ";
    eventName += labelText;
    eventName += ' ';
    eventName += word;
    if (!isKissmetricsNameClean(eventName))
        return false;

    std::string prefix(word);
    prefix += " - ";
    beginRequest();
    // The wrapper assigns category, then name, over the properties when they are truthy.
    struct Assigned
    {
        std::string_view key;
        Text value;
        bool written = false;
    } assigned[] = {{"category", category}, {"name", name}};
    // Page properties are not cleaned: scalars go out as they are, Dates as ISO text.
    if (const std::size_t map = m_fields[Properties]) {
        for (std::size_t k = map + 1, end = t.close(map); k < end; k = t.after(k + 1)) {
            const std::string_view key = t.string(k);
            const std::size_t v = k + 1;
            // JavaScript puts integer-like keys first; a numeric `length` stops the date conversion.
            if ((startsWithDigit(key) && isArrayIndexKey(key)) || key == "length")
                return false;
            const std::string_view keyPrefix = key == kBillingAmount ? std::string_view() : prefix;
            const auto over = std::find_if(std::begin(assigned), std::end(assigned),
                                           [&](const Assigned &a) { return a.key == key && a.value.isTruthy(); });
            if (over != std::end(assigned)) {
                over->written = true;
                if (!beginUserKey(keyPrefix, key) || !endKey())
                    return false;
                m_query.append(over->value.text);
                continue;
            }
            const char type = t.type(v);
            if (type == 'n' || type == '{' || type == '[')
                return false;
            if (!beginUserKey(keyPrefix, key) || !endKey() || !writeNestedLeaf(v))
                return false;
        }
    }
    for (const Assigned &a : assigned) {
        if (!a.value.isTruthy() || a.written)
            continue;
        if (!beginUserKey(prefix, a.key) || !endKey())
            return false;
        m_query.append(a.value.text);
    }
    if (!label.isTruthy())
        cloudwarnings::pageWithoutName(*m_out, labelText, word);
    const Text person = orElse(m_userId, m_anonymousId);
    putClientPersonTimeKey(person);
    putReserved("_n", eventName);
    putReserved("_d", "1");
    return finishRequest(Endpoint::Event, person.defined);
}

bool CloudWireRoute::identify()
{
    beginRequest();
    // The id goes through clean like every trait.
    if (m_userId.text == kObjectTag)
        return false;
    Override id{"id", m_userId.isTruthy(), false, m_userId.text};
    if (!writeCleanedMap(m_fields[Traits], {}, false, &id))
        return false;
    if (id.active && !id.written) {
        if (!beginUserKey({}, "id") || !endKey())
            return false;
        m_query.append(m_userId.text);
    }
    const Text person = orElse(m_userId, m_anonymousId);
    putClientInfo();
    putReserved("_k", m_apiKey.text);
    if (person.defined)
        putReserved("_p", person.text);
    putReservedNumber("_t", m_seconds);
    putReserved("_d", "1");
    if (!finishRequest(Endpoint::Set, person.defined))
        return false;

    if (m_userId.isTruthy() && m_anonymousId.isTruthy()) {
        cloudwarnings::identifyAlias(*m_out);
        beginRequest();
        putReserved("_k", m_apiKey.text);
        putReserved("_p", m_userId.text);
        putReserved("_n", m_anonymousId.text);
        putClientInfo();
        return finishRequest(Endpoint::Alias, true);
    }
    return true;
}

bool CloudWireRoute::group()
{
    const JsonTape &t = *m_tape;
    const std::size_t groupIndex = m_fields[GroupId];
    if (!groupIndex || t.type(groupIndex) != '"')
        return false;
    const std::string_view groupId = t.string(groupIndex);
    if (groupId.empty() || groupId == kObjectTag)
        return false;
    // `traits || properties`: an object is truthy even when empty.
    const std::size_t map = m_fields[Traits] ? m_fields[Traits] : m_fields[Properties];
    constexpr std::string_view prefix = "Group - ";
    beginRequest();
    Override id{"id", true, false, groupId};
    if (!writeCleanedMap(map, prefix, false, &id))
        return false;
    if (!id.written) {
        if (!beginUserKey(prefix, "id") || !endKey())
            return false;
        m_query.append(groupId);
    }
    const Text person = orElse(m_userId, m_anonymousId);
    putClientPersonTimeKey(person);
    putReserved("_d", "1");
    // The payload holds at least "Group - id".
    cloudwarnings::groupTraitCase(*m_out);
    return finishRequest(Endpoint::Set, person.defined);
}

bool CloudWireRoute::alias()
{
    Text previousId, from, to;
    if (!readText(PreviousId, &previousId) || !readText(From, &from) || !readText(To, &to))
        return false;
    const Text source = orElse(previousId, from);
    const Text target = orElse(m_userId, to);
    if (!source.defined)
        return false; // the engine warns
    beginRequest();
    putReserved("_k", m_apiKey.text);
    putReserved("_p", source.text);
    if (target.defined)
        putReserved("_n", target.text);
    putClientInfo();
    return finishRequest(Endpoint::Alias, true);
}

bool CloudWireRoute::writeCleanedMap(std::size_t map, std::string_view prefix, bool dropProducts, Override *override)
{
    if (!map)
        return true;
    const JsonTape &t = *m_tape;
    for (std::size_t k = map + 1, end = t.close(map); k < end; k = t.after(k + 1)) {
        const std::string_view key = t.string(k);
        const std::size_t v = k + 1;
        if (key.size() == 6 && key == "length")
            return false; // the facade leaves an array-like map's dates alone
        if (dropProducts && key == "products") {
            // Omitted after clean, warnings included; only an object's flattened members would stay.
            if (t.type(v) == '{' && !t.isEmpty(v))
                return false;
            if (t.type(v) == '[' && !joinSucceeds(v, 0))
                return false;
            continue;
        }
        if (override && override->active && key == override->key) {
            if (override->isNumber) {
                // Assigned after clean: it takes the place of a cleaned scalar only (clean drops
                // the text "[object Object]", so the value would go to the end instead).
                const char type = t.type(v);
                if (type == 'n' || type == '{' || type == '[' || (type == '"' && t.string(v) == kObjectTag))
                    return false;
                if (!beginUserKey(prefix, key) || !endKey())
                    return false;
                appendNumber(override->number);
            } else {
                // Assigned before clean, so cleaned itself (a string stays as it is).
                if (!beginUserKey(prefix, key) || !endKey())
                    return false;
                m_query.append(override->text);
            }
            override->written = true;
            continue;
        }
        if (!writeCleaned(prefix, key, v))
            return false;
    }
    return true;
}

bool CloudWireRoute::writeCleaned(std::string_view prefix, std::string_view key, std::size_t value)
{
    const JsonTape &t = *m_tape;
    if (startsWithDigit(key) && isArrayIndexKey(key))
        return false; // clean puts integer-like keys first
    const std::string_view keyPrefix = key == kBillingAmount ? std::string_view() : prefix;
    switch (t.type(value)) {
    case 'n':
        return false; // dropped with a warning
    case '"': {
        const std::string_view s = t.string(value);
        if (s == kObjectTag)
            return false;
        if (!beginUserKey(keyPrefix, key) || !endKey())
            return false;
        double millis = 0;
        if (js::isCloudIsoDate(s, &millis))
            appendNumber(js::unixSeconds(millis));
        else
            m_query.append(s);
        return true;
    }
    case 't':
        if (!beginUserKey(keyPrefix, key) || !endKey())
            return false;
        m_query.append("true");
        return true;
    case 'f':
        if (!beginUserKey(keyPrefix, key) || !endKey())
            return false;
        m_query.append("false");
        return true;
    case '[': {
        m_scratch.clear();
        if (!writeArray(value, &m_scratch) || m_scratch.find(kObjectTag) != std::string::npos)
            return false;
        if (!beginUserKey(keyPrefix, key) || !endKey())
            return false;
        m_query.append(m_scratch);
        return true;
    }
    case '{':
        // Clean drops an empty object. Under an empty key, the flattened paths lose their leading
        // dot and become top-level names ("products", "Billing Amount", …) that later stages
        // treat apart: the engine decides those.
        if (t.isEmpty(value) || key.empty())
            return false;
        m_path.assign(key);
        m_pathPrefix = prefix;
        return claimPath() && flatten(value, 0);
    default:
        if (!beginUserKey(keyPrefix, key) || !endKey())
            return false;
        appendNumber(t.number(value));
        return true;
    }
}

bool CloudWireRoute::flatten(std::size_t object, int depth)
{
    const JsonTape &t = *m_tape;
    if (depth > 64)
        return false;
    for (std::size_t k = object + 1, end = t.close(object); k < end; k = t.after(k + 1)) {
        const std::string_view key = t.string(k);
        const std::size_t v = k + 1;
        // Integer-like keys come first in JavaScript; an own `toString` throws; an own numeric
        // `length` stops the facade's date conversion.
        if (startsWithDigit(key) || key == "toString" || key == "length")
            return false;
        const std::size_t length = m_path.size();
        if (!m_path.empty())
            m_path += '.'; // as npm flat joins: an empty path takes no delimiter
        m_path += key;
        switch (t.type(v)) {
        case '{':
            if (t.isEmpty(v) || !claimPath() || !flatten(v, depth + 1))
                return false;
            break;
        case '[':
            m_scratch.clear();
            if (!writeArray(v, &m_scratch) || !beginUserKey(m_pathPrefix, m_path) || !endKey())
                return false;
            m_query.append(m_scratch);
            break;
        case 'n':
            return false; // a bare key on a GET, "key=" in the length test
        default:
            if (!beginUserKey(m_pathPrefix, m_path) || !endKey() || !writeNestedLeaf(v))
                return false;
        }
        m_path.resize(length);
    }
    return true;
}

bool CloudWireRoute::writeNestedLeaf(std::size_t value)
{
    // A value kept as it is: numbers and booleans as JavaScript prints them, Dates as ISO text.
    const JsonTape &t = *m_tape;
    switch (t.type(value)) {
    case '"': {
        const std::string_view s = t.string(value);
        double millis = 0;
        if (!js::isCloudIsoDate(s, &millis)) {
            m_query.append(s);
            return true;
        }
        m_scratch.clear();
        if (!js::appendDateIsoString(m_scratch, millis))
            return false; // toISOString throws on an Invalid Date
        m_query.append(m_scratch);
        return true;
    }
    case 't':
        m_query.append("true");
        return true;
    case 'f':
        m_query.append("false");
        return true;
    case 'n':
    case '{':
    case '[':
        return false;
    default:
        appendNumber(t.number(value));
        return true;
    }
}

bool CloudWireRoute::joinSucceeds(std::size_t array, int depth) const
{
    // Array#join throws where an element object has its own `toString` (or the nesting is too deep).
    const JsonTape &t = *m_tape;
    if (depth > 64)
        return false;
    for (std::size_t i = array + 1, end = t.close(array); i < end; i = t.after(i)) {
        if (t.type(i) == '[' && !joinSucceeds(i, depth + 1))
            return false;
        if (t.type(i) != '{')
            continue;
        for (std::size_t k = i + 1, close = t.close(i); k < close; k = t.after(k + 1))
            if (t.string(k) == "toString")
                return false;
    }
    return true;
}

bool CloudWireRoute::writeArray(std::size_t array, std::string *text)
{
    // String(array): the elements comma-joined. Only strings, numbers and booleans are taken.
    const JsonTape &t = *m_tape;
    const std::size_t first = array + 1, end = t.close(array);
    if (first < end && t.after(first) == end) {
        // One element: the facade tests the array's own text for a date.
        if (t.isNumber(first) || (t.type(first) == '"' && startsWithDigit(t.string(first))))
            return false;
    }
    char buffer[js::kNumberBufferSize];
    for (std::size_t i = first; i < end; i = t.after(i)) {
        if (i != first)
            text->push_back(',');
        switch (t.type(i)) {
        case '"': {
            const std::string_view s = t.string(i);
            if (isIsoDate(s))
                return false; // a Date, joined as its long text
            text->append(s);
            break;
        }
        case 't':
            text->append("true");
            break;
        case 'f':
            text->append("false");
            break;
        case 'l':
        case 'u':
        case 'd':
            text->append(buffer, js::formatNumber(buffer, t.number(i)));
            break;
        default:
            return false;
        }
    }
    return true;
}

void CloudWireRoute::beginRequest()
{
    m_query.clear();
    for (std::size_t slot : m_claimed)
        m_claims[slot] = 0;
    m_claimed.clear();
}

bool CloudWireRoute::beginUserKey(std::string_view prefix, std::string_view key)
{
    // An unprefixed user key could be, or stand in for, a reserved one (_p, _k, ...).
    if (prefix.empty() && !key.empty() && key.front() == '_')
        return false;
    m_keyStart = m_query.beginKey(prefix, key);
    return true;
}

bool CloudWireRoute::endKey()
{
    // The raw buffer has room past its end, as digestPadded() needs.
    const std::string_view key = m_query.raw(m_keyStart, m_query.size());
    if (!claim(key.size(), bytescan::digestPadded(key.data(), key.size())))
        return false;
    m_query.equals();
    return true;
}

bool CloudWireRoute::claimPath()
{
    // An object's own path is claimed like a written key: a duplicate key holding an object, or an
    // object meeting a dotted key, is then a second claim.
    return claim(m_pathPrefix.size() + m_path.size(), padded(m_pathPrefix, m_path));
}

bytescan::KeyDigest CloudWireRoute::padded(std::string_view prefix, std::string_view key)
{
    m_padded.assign(prefix.begin(), prefix.end());
    m_padded.insert(m_padded.end(), key.begin(), key.end());
    m_padded.resize(m_padded.size() + 16);
    return bytescan::digestPadded(m_padded.data(), prefix.size() + key.size());
}

void CloudWireRoute::growClaims()
{
    // Small enough to stay in the first-level cache for common payloads; doubled for big ones.
    std::vector<std::uint64_t> hashes;
    for (std::size_t slot : m_claimed)
        hashes.push_back(m_claims[slot]);
    m_claims.assign(std::max<std::size_t>(64, m_claims.size() * 2), 0);
    m_claimed.clear();
    for (std::uint64_t hash : hashes) {
        std::size_t slot = hash & (m_claims.size() - 1);
        while (m_claims[slot] != 0)
            slot = (slot + 1) & (m_claims.size() - 1);
        m_claims[slot] = hash;
        m_claimed.push_back(slot);
    }
}

bool CloudWireRoute::claim(std::size_t size, bytescan::KeyDigest digest)
{
    // Kissmetrics' limits: the checks warn about long names and about commas and colons, so
    // such keys are the engine's.
    if (size >= kKissmetricsNameLimit || digest.hasPunctuation)
        return false;
    // Each key once: a second write would land on the first one's position, and a duplicate JSON
    // key keeps only its last value. Equal hashes of different keys only make the route decline.
    // An open-addressing table of hashes (0 marks a free slot), cleared per request.
    const std::uint64_t hash = digest.hash | 1;
    if ((m_claimed.size() + 1) * 2 > m_claims.size())
        growClaims();
    std::size_t slot = hash & (m_claims.size() - 1);
    while (m_claims[slot] != 0) {
        if (m_claims[slot] == hash)
            return false;
        slot = (slot + 1) & (m_claims.size() - 1);
    }
    m_claims[slot] = hash;
    m_claimed.push_back(slot);
    return true;
}

void CloudWireRoute::putReserved(std::string_view key, std::string_view value)
{
    // No user key can be one of these: unprefixed user keys starting with '_' decline.
    m_query.appendPair(key, value);
}

void CloudWireRoute::putReservedNumber(std::string_view key, double value)
{
    putReserved(key, {});
    appendNumber(value);
}

void CloudWireRoute::putClientInfo()
{
    // The server integration adds them only when they have a value.
    if (m_ip.isTruthy())
        putReserved("_ip", m_ip.text);
    if (m_userAgent.isTruthy())
        putReserved("_ua", m_userAgent.text);
}

void CloudWireRoute::putClientPersonTimeKey(Text person)
{
    // page, screen and group write these in this order.
    putClientInfo();
    if (person.defined)
        putReserved("_p", person.text);
    putReservedNumber("_t", m_seconds);
    putReserved("_k", m_apiKey.text);
}

bool CloudWireRoute::finishRequest(Endpoint endpoint, bool hasPerson)
{
    HttpRequest &r = m_out->addRequest();
    r.endpoint = endpoint;
    r.pairs.clear();
    r.origins.clear();
    r.wire.clear();
    m_query.encodeTo(r.wire);
    // Every value here is a scalar, so qs's default form and the GET form are the same text.
    r.method = r.wire.size() > 2048 ? HttpMethod::Post : HttpMethod::Get;
    if (!hasPerson && endpoint != Endpoint::Alias)
        m_withoutPerson.push_back(endpoint);
    return true;
}

void CloudWireRoute::appendNumber(double value)
{
    m_query.appendWith(js::kNumberBufferSize, [value](char *at) { return js::formatNumber(at, value); });
}

} // namespace km
