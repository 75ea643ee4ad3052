#pragma once

#include "configuration.h"
#include "engine.h"
#include "jsonreader.h"
#include "outputformat.h"
#include "translation.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace km {

// Parses the text of one call as a Segment message: JSON that is not an object is an error too
// ("line 1, column 1: a Segment message is a JSON object, not an array"). The reader is reused
// per thread, so calling this on every keystroke does not reallocate its buffers.
JsonResult parseCall(std::string_view json, Arena &arena);

// One call translated for the preview.
struct PreviewResult
{
    bool isValid = false;                 // the text is a JSON object and was translated
    JsonIssue parseError;                 // when not valid: where and why
    std::vector<JsonIssue> inputWarnings; // JSON the engines read differently from the text
    Translation translation;              // may itself be rejected (translation.error) by the engine
    std::shared_ptr<Arena> arena;         // owns the values message and translation point to
    Value message;                        // the parsed message (undefined when not valid)
    // What it was translated with. Kept because the translation also points into the settings
    // (the API key): the result stays valid when the caller's configuration changes or goes.
    Configuration configuration;
};

// Translates the text of one call, as the first message of a page load (device engines push
// their initialise-time calls first). Never throws.
PreviewResult translateCall(std::string_view json,
                            const Configuration &config,
                            double nowMillis,
                            ExplainMode explain = ExplainMode::On);

// The raw form of what is sent, one entry per output call: for the HTTP engines a GET as its URL
// and a POST as "POST <url>\n<form body>"; for the device engines each `window._kmq.push(...)`
// line (the KM.set calls of a pushed function indented under it). The API key is <API_KEY>
// unless shown. Empty when nothing is sent.
std::vector<std::string> rawRequests(const PreviewResult &result,
                                     const Configuration &config,
                                     KeyVisibility visibility = KeyVisibility::Redacted,
                                     std::string_view host = OutputFormat::DefaultHost);
// Each HTTP request as a cURL command line (empty for the device engines).
std::vector<std::string> curlCommands(const PreviewResult &result,
                                      const Configuration &config,
                                      KeyVisibility visibility = KeyVisibility::Redacted,
                                      std::string_view host = OutputFormat::DefaultHost);

} // namespace km
