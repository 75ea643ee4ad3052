#pragma once

#include "configuration.h"
#include "formparams.h"
#include "jsonreader.h"
#include "outputformat.h"
#include "settings.h"
#include "translation.h"
#include "value.h"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace km {

// One Segment message found in a capture's requests, or why a request could not give one.
struct HarCall
{
    std::size_t entry = 0; // index in log.entries
    int line = 0;          // 1-based line of the request's body in the capture's text
    std::string request;   // "POST https://api.segment.io/v1/t"
    Value value;           // the message object; undefined when error is set
    std::string error;     // "line L, column C: entry N (…): …"; empty when valid
    std::vector<JsonIssue> warnings;
    bool isValid() const { return error.empty(); }
};

// A request the browser made to Kissmetrics' tracking API (/e, /s, /a), as the capture recorded it.
struct CapturedRequest
{
    std::size_t entry = 0; // index in log.entries
    std::string endpoint;  // "e", "s" or "a"
    std::string method;    // "GET", "POST"
    std::string url;
    std::vector<ReceivedParam> parameters; // decoded, in order: the query's, then a form body's
    int status = 0;                        // 0 when the capture has none
    std::string startedDateTime;           // as the capture gives it (ISO 8601)

    // The first value of key; nullopt when it is absent or bare.
    std::optional<std::string> value(std::string_view key) const;
};

// What a capture says about the setup it was recorded with, apart from its calls.
struct CaptureSetup
{
    std::optional<Settings> settings; // the KISSmetrics settings Segment gave the browser
    std::optional<EngineId> engine;   // the connection mode the calls name
    std::string userAgent;            // the browser's, as the device engines read it

    bool isEmpty() const { return !settings && !engine && userAgent.empty(); }
    // base with the capture's settings over it (its keys replace the base's; the others stay),
    // and the capture's engine and user agent where it has them.
    Configuration applyTo(Configuration base) const;
};

// What a browser's HAR capture (DevTools → Save all as HAR) tells about a site's Segment and
// Kissmetrics traffic: the Segment calls it sent (each request body is a message or a batch),
// the Kissmetrics settings from Segment's settings response, the connection mode the calls name,
// and the requests the browser made to Kissmetrics' tracking API itself.
class HarCapture
{
public:
    HarCapture();
    ~HarCapture();
    HarCapture(HarCapture &&) noexcept;
    HarCapture &operator=(HarCapture &&) noexcept;

    // A HAR document: an object whose "log" holds an "entries" array.
    static bool isCapture(const Value &document);
    // Reads a parsed capture. text is the document's text and firstLine the line it starts on,
    // so that each call and each problem names its place. Values live in the capture.
    static HarCapture read(const Value &document, std::string_view text, int firstLine = 1);

    std::size_t entryCount() const { return m_entryCount; }
    // The Segment messages in request order (a batch body gives one per element), including
    // the requests that could not be read, each with its error.
    const std::vector<HarCall> &calls() const { return m_calls; }
    std::size_t validCallCount() const;

    // "KISSmetrics" of the settings response (cdn.segment.com/v1/projects/<key>/settings).
    bool hasSettings() const { return m_settings.has_value(); }
    const Settings &settings() const;
    std::size_t settingsEntry() const { return m_settingsEntry; }
    // The settings as the --settings option takes them ({"apiKey":…,"prefixProperties":…}); the
    // API key as <API_KEY> unless it is to be shown.
    std::string settingsJson(KeyVisibility visibility = KeyVisibility::Redacted) const;

    // The engine the capture shows: segment-device when the calls list KISSmetrics as bundled
    // (analytics.js loaded Kissmetrics' own script), segment-cloud when they list it as unbundled
    // (Segment's servers send to Kissmetrics); nullopt when the calls do not say.
    std::optional<EngineId> engineHint() const { return m_engineHint; }

    // The requests the browser made to trk.kissmetrics.io / .com (/e, /s, /a), as Kissmetrics
    // received them: what device mode really sent.
    const std::vector<CapturedRequest> &kissmetricsRequests() const { return m_kissmetrics; }

    // The browser's user agent: the User-Agent header of its first Segment request.
    const std::string &userAgent() const { return m_userAgent; }
    CaptureSetup setup() const;

    // One line for people: "HAR capture: 3 Segment calls in 8 entries, …".
    std::string summary(KeyVisibility visibility = KeyVisibility::Redacted) const;

private:
    // locator places the entry's text (at entryOffset); the offsets it is asked for only grow.
    void readEntry(std::size_t index,
                   const Value &entry,
                   std::string_view entryText,
                   std::size_t entryOffset,
                   TextLocator &locator);
    void addCalls(std::size_t index, const std::string &request, std::string_view body, TextLocator::Position at);
    // One call (value) or one problem (error, placed at the request's body) of an entry.
    void addCall(std::size_t index,
                 const std::string &request,
                 TextLocator::Position at,
                 const Value &value,
                 const std::string &error,
                 std::vector<JsonIssue> warnings = {});
    std::optional<EngineId> connectionOfCalls() const;

    std::unique_ptr<Arena> m_arena;
    std::unique_ptr<JsonReader> m_reader;
    std::size_t m_entryCount = 0;
    std::vector<HarCall> m_calls;
    std::optional<Settings> m_settings;
    std::size_t m_settingsEntry = 0;
    std::optional<EngineId> m_engineHint;
    std::string m_userAgent;
    std::vector<CapturedRequest> m_kissmetrics;
};

} // namespace km
