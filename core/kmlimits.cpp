#include "kmlimits.h"

#include "bytescan.h"
#include "jsops.h"

namespace km {

namespace {

void checkName(Translation &t, std::string_view name, const char *what)
{
    if (name.size() >= kKissmetricsNameLimit)
        t.warn("km-name-too-long",
               std::string(what) + " \"" + std::string(name.substr(0, 40)) + "…\" is " + std::to_string(name.size())
                       + " characters long; Kissmetrics expects names under 255.",
               {});
    if (hasKissmetricsPunctuation(name)) {
        std::string cleaned(name);
        for (char &c : cleaned)
            if (c == ',' || c == ':')
                c = ' ';
        t.warn("km-name-punctuation",
               std::string(what) + " \"" + std::string(name)
                       + "\" contains a comma or colon; Kissmetrics stores it as \"" + cleaned + "\".",
               {});
    }
}

void checkKeys(Translation &t, const Value &props)
{
    if (!props.isObject())
        return;
    for (const Member &m : props.members()) {
        if (m.key.size() >= 2 && m.key[0] == '_' && m.key.size() <= 3)
            continue; // _k _p _n _t _d _ip _ua
        checkName(t, m.key, "The property name");
    }
}

} // namespace

bool hasKissmetricsPunctuation(std::string_view name)
{
    return bytescan::containsEither(name.data(), name.size(), ',', ':');
}

bool isKissmetricsNameClean(std::string_view name)
{
    return name.size() < kKissmetricsNameLimit && !hasKissmetricsPunctuation(name);
}

void warnMissingPerson(Translation &t, Endpoint endpoint)
{
    t.warn("km-missing-person",
           std::string("This /") + endpointName(endpoint)
                   + " request has no _p: Kissmetrics cannot tie it to a person and drops it.",
           "userId");
}

void checkKissmetricsLimits(Translation &t)
{
    for (const HttpRequest &r : t.requests) {
        checkKeys(t, r.payload);
        const Value name = r.payload.get("_n");
        if (r.endpoint == Endpoint::Event && name.isString())
            checkName(t, name.toString(), "The event name");
        if (r.endpoint != Endpoint::Alias && !r.payload.has("_p"))
            warnMissingPerson(t, r.endpoint);
    }
    for (const ClientCall &c : t.pushes) {
        const auto args = c.args.items();
        if (args.empty() || !args[0].isString())
            continue;
        const std::string_view verb = args[0].toString();
        if (verb == "record" && args.size() >= 2) {
            if (args[1].isString())
                checkName(t, args[1].toString(), "The event name");
            if (args.size() >= 3)
                checkKeys(t, args[2]);
        } else if ((verb == "set" || verb == "KM.set") && args.size() >= 2) {
            checkKeys(t, args[1]);
        }
    }
}

} // namespace km
