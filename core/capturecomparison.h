#pragma once

#include "configuration.h"
#include "harcapture.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace km {

// One request a capture shows Kissmetrics received, set beside what the engine predicts.
struct CaptureMatch
{
    std::size_t entry = 0;               // the capture entry of the request
    std::string endpoint;                // "e", "s" or "a"
    std::string name;                    // `_n` on /e
    std::optional<std::size_t> call;     // the capture call whose predicted request it is
    std::string callType;                // that call's "type"
    std::vector<std::string> missing;    // predicted properties the request lacks
    std::vector<std::string> unexpected; // properties in the request that were not predicted
    std::vector<std::string> differing;  // "name: predicted \"a\", received \"b\""

    bool isExact() const { return call && missing.empty() && unexpected.empty() && differing.empty(); }
};

// How the requests a capture shows Kissmetrics received line up with what an engine predicts for
// the capture's calls. Each predicted record / set / alias (or HTTP request) is one request to
// Kissmetrics; /e requests match by event name, /a by the pair of identities, /s by the most
// properties in common. Properties are compared by name and by text (String(value)); the
// parameters `_k _p _n _t _d` are not properties. A device engine's `identify` sends nothing by
// itself (the library aliases on its own), so it is not expected in the capture.
struct CaptureComparison
{
    std::vector<CaptureMatch> received;  // one per Kissmetrics request, in capture order
    std::vector<std::string> unreceived; // predicted requests none matches: "call 1 (track): record \"A\""
    std::size_t predictedCount = 0;

    // The comparison for people, one line per request, then what was not seen.
    std::vector<std::string> lines() const;
};

CaptureComparison compareCapture(const HarCapture &capture, const Configuration &configuration, double nowMillis);

} // namespace km
