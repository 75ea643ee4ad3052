#include "harcapture.h"

#include "jsonformat.h"
#include "jsonlocate.h"
#include "jsops.h"
#include "redaction.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <algorithm>
#include <array>

namespace km {

namespace {

// The last path segments of Segment's tracking API (analytics.js writes the short forms,
// the batching delivery /b, the HTTP API the long ones).
constexpr std::array kSegmentMethods = {"t",    "p",        "i",     "g",     "a",      "s",     "b",     "track",
                                        "page", "identify", "group", "alias", "screen", "batch", "import"};

std::string_view textOf(const Value &value)
{
    return value.isString() ? value.toString() : std::string_view();
}

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return (x >= 'A' && x <= 'Z' ? x + 32 : x) == (y >= 'A' && y <= 'Z' ? y + 32 : y);
           });
}

// "…/v1/t": the segment after "v1" names a Segment API method.
bool isSegmentApiPath(std::string_view path)
{
    const std::size_t slash = path.rfind('/');
    if (slash == std::string_view::npos || !path.substr(0, slash).ends_with("/v1"))
        return false;
    const std::string_view method = path.substr(slash + 1);
    return std::any_of(kSegmentMethods.begin(), kSegmentMethods.end(),
                       [&](const char *name) { return method == name; });
}

// "…/v1/projects/<write key>/settings": what analytics.js loads before anything else.
bool isSettingsPath(std::string_view path)
{
    return path.ends_with("/settings") && path.find("/v1/projects/") != std::string_view::npos;
}

bool isKissmetricsHost(std::string_view host)
{
    return host == "kissmetrics.io" || host == "kissmetrics.com" || host.ends_with(".kissmetrics.io")
           || host.ends_with(".kissmetrics.com");
}

bool listsKissmetrics(const Value &list)
{
    if (!list.isArray())
        return false;
    return std::any_of(list.items().begin(), list.items().end(), [](const Value &item) {
        return item.isString() && equalsIgnoringCase(item.toString(), "KISSmetrics");
    });
}

std::string_view rawQuery(std::string_view url)
{
    const std::size_t question = url.find('?');
    if (question == std::string_view::npos)
        return {};
    std::string_view query = url.substr(question + 1);
    return query.substr(0, query.find('#'));
}

} // namespace

std::optional<std::string> CapturedRequest::value(std::string_view key) const
{
    for (const ReceivedParam &p : parameters) {
        if (p.key == key)
            return p.value;
    }
    return std::nullopt;
}

HarCapture::HarCapture()
    : m_arena(std::make_unique<Arena>())
    , m_reader(std::make_unique<JsonReader>())
{ }

HarCapture::~HarCapture() = default;
HarCapture::HarCapture(HarCapture &&) noexcept = default;
HarCapture &HarCapture::operator=(HarCapture &&) noexcept = default;

bool HarCapture::isCapture(const Value &document)
{
    const Value *log = document.isObject() ? document.find("log") : nullptr;
    if (!log || !log->isObject())
        return false;
    const Value *entries = log->find("entries");
    return entries && entries->isArray();
}

HarCapture HarCapture::read(const Value &document, std::string_view text, int firstLine)
{
    HarCapture capture;
    if (!isCapture(document))
        return capture;
    TextLocator locator(text, firstLine); // offsets only grow, so the whole text is walked once
    const std::span<const Value> entries = document.get("log").get("entries").items();
    static const std::vector<std::string> kEntriesPath = {"log", "entries"};
    const std::vector<JsonSpan> spans = locateJsonChildren(text, kEntriesPath);
    capture.m_entryCount = entries.size();
    // Without spans (a text that does not match the values) places fall back to the start.
    const bool located = spans.size() == entries.size();
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const std::size_t offset = located ? spans[i].begin : 0;
        const std::string_view entryText = located ? text.substr(offset, spans[i].end - offset) : std::string_view();
        capture.readEntry(i, entries[i], entryText, offset, locator);
    }
    capture.m_engineHint = capture.connectionOfCalls();
    // Captures cleared of bodies still show device mode by the browser's own Kissmetrics calls.
    if (!capture.m_engineHint && !capture.m_kissmetrics.empty())
        capture.m_engineHint = EngineId::SegmentDevice;
    return capture;
}

void HarCapture::readEntry(std::size_t index,
                           const Value &entry,
                           std::string_view entryText,
                           std::size_t entryOffset,
                           TextLocator &locator)
{
    const Value request = entry.get("request");
    const std::string_view method = textOf(request.get("method"));
    const std::string_view url = textOf(request.get("url"));
    const QUrl parsed(QString::fromUtf8(url.data(), static_cast<qsizetype>(url.size())));
    const std::string host = parsed.host().toLower().toStdString();
    const std::string path = parsed.path(QUrl::FullyEncoded).toStdString();
    const std::string label = std::string(method) + ' ' + std::string(url);

    if (equalsIgnoringCase(method, "POST") && isSegmentApiPath(path)) {
        static const std::vector<std::string> kBodyPath = {"request", "postData", "text"};
        const std::optional<JsonSpan> span = locateJsonPath(entryText, kBodyPath);
        const TextLocator::Position bodyAt = locator.locate(entryOffset + (span ? span->begin : 0));
        const Value body = request.get("postData").get("text");
        if (!body.isString()) {
            addCall(index, label, bodyAt, {}, "the capture holds no request body (it was saved without content)");
            return;
        }
        if (m_userAgent.empty()) {
            const Value headers = request.get("headers");
            for (const Value &header : headers.isArray() ? headers.items() : std::span<const Value>()) {
                if (equalsIgnoringCase(textOf(header.get("name")), "User-Agent"))
                    m_userAgent = textOf(header.get("value"));
            }
        }
        addCalls(index, label, body.toString(), bodyAt);
        return;
    }

    if (equalsIgnoringCase(method, "GET") && isSettingsPath(path)) {
        const Value content = entry.get("response").get("content");
        std::string_view text = textOf(content.get("text"));
        QByteArray decoded;
        if (textOf(content.get("encoding")) == "base64") {
            decoded = QByteArray::fromBase64(QByteArray::fromRawData(text.data(), static_cast<qsizetype>(text.size())));
            text = {decoded.constData(), static_cast<std::size_t>(decoded.size())}; // the reader copies what it keeps
        }
        const JsonResult settings = m_reader->parse(text, *m_arena);
        const Value integrations = settings.value.get("integrations");
        if (integrations.isObject()) {
            for (const Member &member : integrations.members()) {
                if (equalsIgnoringCase(member.key, "KISSmetrics") && member.value.isObject()) {
                    m_settings = Settings(member.value); // the last settings the browser loaded win
                    m_settingsEntry = index;
                }
            }
        }
        return;
    }

    if (isKissmetricsHost(host) && (path == "/e" || path == "/s" || path == "/a")) {
        CapturedRequest captured;
        captured.entry = index;
        captured.endpoint = path.substr(1);
        captured.method = method;
        captured.url = url;
        captured.parameters = decodeFormParams(rawQuery(url));
        const std::string_view form = textOf(request.get("postData").get("text"));
        if (!form.empty()) {
            std::vector<ReceivedParam> more = decodeFormParams(form);
            captured.parameters.insert(captured.parameters.end(), more.begin(), more.end());
        }
        const Value status = entry.get("response").get("status");
        captured.status = status.isNumber() ? static_cast<int>(status.toNumber()) : 0;
        captured.startedDateTime = textOf(entry.get("startedDateTime"));
        m_kissmetrics.push_back(std::move(captured));
    }
}

void HarCapture::addCall(std::size_t index,
                         const std::string &request,
                         TextLocator::Position at,
                         const Value &value,
                         const std::string &error,
                         std::vector<JsonIssue> warnings)
{
    HarCall call;
    call.entry = index;
    call.line = at.line;
    call.request = request;
    if (error.empty())
        call.value = value;
    else
        call.error = JsonIssue{at.line, at.column, "entry " + std::to_string(index) + " (" + request + "): " + error}
                             .toString();
    call.warnings = std::move(warnings);
    m_calls.push_back(std::move(call));
}

void HarCapture::addCalls(std::size_t index,
                          const std::string &request,
                          std::string_view body,
                          TextLocator::Position at)
{
    JsonResult parsed = m_reader->parse(body, *m_arena);
    // The body is a string inside the capture: its own places are given after the capture's.
    std::vector<JsonIssue> warnings;
    for (const JsonIssue &w : parsed.warnings)
        warnings.push_back({at.line, at.column,
                            "entry " + std::to_string(index) + " (" + request + "): request body, " + w.toString()});
    if (!parsed.ok()) {
        addCall(index, request, at, {}, "request body, " + parsed.error->toString(), std::move(warnings));
        return;
    }
    const Value &value = parsed.value;
    if (!value.isObject()) {
        addCall(index, request, at, {},
                std::string("the request body is ") + js::typeDescription(value) + ", not a JSON object",
                std::move(warnings));
        return;
    }
    const Value *batch = value.find("batch");
    if (!batch || !batch->isArray()) {
        addCall(index, request, at, value, {}, std::move(warnings));
        return;
    }
    const std::span<const Value> items = batch->items();
    for (std::size_t i = 0; i < items.size(); ++i) {
        // The body's warnings go with its first message, so each is shown once.
        std::vector<JsonIssue> these = i == 0 ? std::move(warnings) : std::vector<JsonIssue>();
        if (items[i].isObject())
            addCall(index, request, at, items[i], {}, std::move(these));
        else
            addCall(index, request, at, {},
                    "batch element " + std::to_string(i) + " is " + js::typeDescription(items[i])
                            + ", not a JSON object",
                    std::move(these));
    }
}

// Device mode when the calls list KISSmetrics as bundled, cloud mode when as unbundled; nothing
// when they do not say, or say both.
std::optional<EngineId> HarCapture::connectionOfCalls() const
{
    bool bundled = false, unbundled = false;
    for (const HarCall &call : m_calls) {
        const Value metadata = call.value.get("_metadata");
        bundled = bundled || listsKissmetrics(metadata.get("bundled"));
        unbundled = unbundled || listsKissmetrics(metadata.get("unbundled"));
    }
    if (bundled == unbundled)
        return std::nullopt;
    return bundled ? EngineId::SegmentDevice : EngineId::SegmentCloud;
}

std::size_t HarCapture::validCallCount() const
{
    return static_cast<std::size_t>(
            std::count_if(m_calls.begin(), m_calls.end(), [](const HarCall &c) { return c.isValid(); }));
}

const Settings &HarCapture::settings() const
{
    static const Settings kNone;
    return m_settings ? *m_settings : kNone;
}

std::string HarCapture::settingsJson(KeyVisibility visibility) const
{
    if (!m_settings)
        return {};
    if (visibility == KeyVisibility::Shown || !m_settings->values().contains("apiKey"))
        return compactJson(m_settings->values().object());
    OwnedObject redacted(m_settings->values().object());
    redacted.set("apiKey", Value::string(SecretPlaceholder));
    return compactJson(redacted.object());
}

CaptureSetup HarCapture::setup() const
{
    return CaptureSetup{m_settings, m_engineHint, m_userAgent};
}

Configuration CaptureSetup::applyTo(Configuration base) const
{
    if (settings)
        base.settings.values().assign(settings->values().object());
    if (engine)
        base.engine = *engine;
    if (!userAgent.empty())
        base.environment.values().set("userAgent", Value::string(userAgent));
    return base;
}

std::string HarCapture::summary(KeyVisibility visibility) const
{
    const std::size_t valid = validCallCount();
    std::string text = "HAR capture: " + std::to_string(valid) + (valid == 1 ? " Segment call" : " Segment calls")
                       + " in " + std::to_string(m_entryCount) + (m_entryCount == 1 ? " entry" : " entries");
    if (valid < m_calls.size())
        text += " (" + std::to_string(m_calls.size() - valid) + " could not be read)";
    if (m_settings)
        text += "; Kissmetrics settings from entry " + std::to_string(m_settingsEntry) + ": "
                + settingsJson(visibility);
    else
        text += "; no Kissmetrics settings (no Segment settings response with KISSmetrics)";
    if (m_engineHint == EngineId::SegmentDevice)
        text += "; device mode (segment-device)";
    else if (m_engineHint == EngineId::SegmentCloud)
        text += "; cloud mode (segment-cloud)";
    if (!m_kissmetrics.empty())
        text += "; " + std::to_string(m_kissmetrics.size()) + (m_kissmetrics.size() == 1 ? " request" : " requests")
                + " to Kissmetrics";
    return text;
}

} // namespace km
