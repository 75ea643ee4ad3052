#include "sendrequest.h"

#include "jsonwriter.h"
#include "jsops.h"
#include "outputformat.h"
#include "querystring.h"
#include "settings.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>

namespace km {

namespace {

const QByteArray kPlaceholder(SecretPlaceholder);
const QByteArray kKeyPairPrefix = QByteArrayLiteral("_k=");

bool endpointFromName(const QString &name, Endpoint *endpoint)
{
    for (Endpoint e : {Endpoint::Event, Endpoint::Set, Endpoint::Alias}) {
        if (name == QLatin1String(endpointName(e))) {
            *endpoint = e;
            return true;
        }
    }
    return false;
}

QStringList toStringList(const QJsonValue &value)
{
    QStringList list;
    for (const QJsonValue &v : value.toArray())
        list << v.toString();
    return list;
}

// Calls fn(start, end, value) for each `_k=...` pair of a query or form body (start at '_').
template<typename Fn>
void forEachKeyPair(const QByteArray &wire, Fn fn)
{
    const QByteArrayView view(wire);
    qsizetype start = 0;
    while (start <= view.size()) {
        qsizetype end = view.indexOf('&', start);
        if (end < 0)
            end = view.size();
        const QByteArrayView pair = view.sliced(start, end - start);
        if (pair.startsWith(kKeyPairPrefix))
            fn(start, end, pair.sliced(kKeyPairPrefix.size()));
        start = end + 1;
    }
}

// engineName() as a QString, built once per engine.
QString engineText(EngineId engine)
{
    static const QString names[] = {
            QLatin1String(engineName(EngineId::SegmentDevice)), QLatin1String(engineName(EngineId::SegmentCloud)),
            QLatin1String(engineName(EngineId::RudderDevice)), QLatin1String(engineName(EngineId::RudderCloud))};
    return names[static_cast<int>(engine)];
}

void writeString(JsonWriter &w, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    w.value(std::string_view(utf8.constData(), std::size_t(utf8.size())));
}

// toJson() from writeJson(): one definition of the format.
template<typename T>
QJsonObject jsonObjectOf(const T &value)
{
    JsonWriter writer;
    value.writeJson(writer);
    return QJsonDocument::fromJson(QByteArray::fromStdString(writer.buffer())).object();
}

} // namespace

bool SendRequest::needsApiKey() const
{
    bool found = false;
    forEachKeyPair(wire, [&](qsizetype, qsizetype, QByteArrayView value) {
        if (value == kPlaceholder)
            found = true;
    });
    return found;
}

QByteArray SendRequest::wireWithKey(const QByteArray &apiKey) const
{
    std::string encoded;
    qs::appendEncoded(encoded, std::string_view(apiKey.constData(), static_cast<std::size_t>(apiKey.size())));
    QByteArray out;
    out.reserve(wire.size() + qsizetype(encoded.size()));
    qsizetype copied = 0;
    forEachKeyPair(wire, [&](qsizetype start, qsizetype end, QByteArrayView value) {
        if (value != kPlaceholder)
            return;
        const qsizetype valueStart = start + kKeyPairPrefix.size();
        out.append(wire.constData() + copied, valueStart - copied);
        out.append(encoded.data(), qsizetype(encoded.size()));
        copied = end;
    });
    out.append(wire.constData() + copied, wire.size() - copied);
    return out;
}

QString SendRequest::displayUrl() const
{
    QString url = target;
    while (url.endsWith(QLatin1Char('/')))
        url.chop(1);
    url += QLatin1Char('/') + QLatin1String(endpointName(endpoint));
    if (method == HttpMethod::Get)
        url += QLatin1Char('?') + QString::fromUtf8(wire);
    return url;
}

SendRequest SendRequest::copyForResend(qint64 createdAtMs) const
{
    SendRequest copy = *this;
    copy.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    copy.createdAt = createdAtMs;
    return copy;
}

void SendRequest::writeJson(JsonWriter &w) const
{
    w.beginObject();
    w.key("id");
    writeString(w, id);
    w.key("target");
    writeString(w, target);
    w.key("endpoint");
    w.value(endpointName(endpoint));
    w.key("method");
    w.value(methodName(method));
    w.key("wire");
    w.value(std::string_view(wire.constData(), std::size_t(wire.size())));
    w.key("createdAt");
    w.value(createdAt);
    w.key("engine");
    writeString(w, engine);
    w.key("settings");
    writeString(w, settingsSnapshot);
    w.key("warnings");
    w.beginArray();
    for (const QString &warning : warnings)
        writeString(w, warning);
    w.endArray();
    if (!call.isEmpty()) {
        w.key("call");
        w.value(std::string_view(call.constData(), std::size_t(call.size())));
    }
    if (!keyFingerprint.isEmpty()) {
        w.key("keyFingerprint");
        w.value(std::string_view(keyFingerprint.constData(), std::size_t(keyFingerprint.size())));
    }
    w.endObject();
}

QJsonObject SendRequest::toJson() const
{
    return jsonObjectOf(*this);
}

SendRequest SendRequest::fromJson(const QJsonObject &o, bool *ok)
{
    SendRequest r;
    r.id = o.value(QStringLiteral("id")).toString();
    r.target = o.value(QStringLiteral("target")).toString();
    const bool endpointOk = endpointFromName(o.value(QStringLiteral("endpoint")).toString(), &r.endpoint);
    const QString method = o.value(QStringLiteral("method")).toString();
    r.method = method == QLatin1String("POST") ? HttpMethod::Post : HttpMethod::Get;
    r.wire = o.value(QStringLiteral("wire")).toString().toUtf8();
    r.createdAt = qint64(o.value(QStringLiteral("createdAt")).toDouble());
    r.engine = o.value(QStringLiteral("engine")).toString();
    r.settingsSnapshot = o.value(QStringLiteral("settings")).toString();
    r.warnings = toStringList(o.value(QStringLiteral("warnings")));
    r.call = o.value(QStringLiteral("call")).toString().toUtf8();
    r.keyFingerprint = o.value(QStringLiteral("keyFingerprint")).toString().toLatin1();
    if (ok)
        *ok = endpointOk && r.isValid() && (method == QLatin1String("GET") || method == QLatin1String("POST"));
    return r;
}

SendRequest SendRequest::fromHttpRequest(const HttpRequest &request,
                                         EngineId engineId,
                                         const QString &target,
                                         const Value &apiKey,
                                         const QString &settingsSnapshot,
                                         const std::vector<Warning> &warnings,
                                         qint64 createdAt)
{
    SendRequest r;
    r.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    r.target = target;
    r.endpoint = request.endpoint;
    r.method = request.method;
    const std::string redacted = OutputFormat::wire(request, apiKey, KeyVisibility::Redacted);
    r.wire = QByteArray(redacted.data(), qsizetype(redacted.size()));
    if (apiKey.isTruthy()) {
        // rudder-cloud encodes as Go does ('+' for a space): OutputFormat's needle may miss it.
        bool isKeyLeft = false;
        forEachKeyPair(r.wire, [&](qsizetype, qsizetype, QByteArrayView value) { isKeyLeft |= value != kPlaceholder; });
        if (isKeyLeft) {
            QByteArray safe;
            qsizetype copied = 0;
            forEachKeyPair(r.wire, [&](qsizetype start, qsizetype end, QByteArrayView) {
                const qsizetype valueStart = start + kKeyPairPrefix.size();
                safe.append(r.wire.constData() + copied, valueStart - copied);
                safe.append(kPlaceholder);
                copied = end;
            });
            safe.append(r.wire.constData() + copied, r.wire.size() - copied);
            r.wire = safe;
        }
    }
    r.createdAt = createdAt;
    r.engine = engineText(engineId);
    r.settingsSnapshot = settingsSnapshot;
    for (const Warning &w : warnings) {
        QString text = QString::fromStdString(w.code) + QLatin1String(": ") + QString::fromStdString(w.message);
        if (!w.path.empty())
            text += QLatin1String(" (") + QString::fromStdString(w.path) + QLatin1Char(')');
        r.warnings << text;
    }
    return r;
}

QString SendRequest::settingsSnapshotOf(const Settings &settings)
{
    OwnedObject copy(settings.values().object());
    copy.remove("apiKey");
    JsonWriter writer;
    writer.value(copy.object(), JsonWriter::UndefinedPolicy::Omit);
    return QString::fromStdString(writer.buffer());
}

QByteArray SendRequest::apiKeyText(const Value &apiKey)
{
    if (!apiKey.isTruthy())
        return {};
    try {
        return QByteArray::fromStdString(js::toString(apiKey));
    } catch (const JsError &) {
        return {};
    }
}

QByteArray SendResult::header(const QByteArray &name) const
{
    for (const Header &h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return {};
}

QString SendResult::stateName(State state)
{
    switch (state) {
    case State::Queued:
        return QStringLiteral("queued");
    case State::InFlight:
        return QStringLiteral("in flight");
    case State::Sent:
        return QStringLiteral("sent");
    case State::Failed:
        return QStringLiteral("failed");
    case State::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

bool SendResult::stateFromName(const QString &name, State *state)
{
    for (State s : {State::Queued, State::InFlight, State::Sent, State::Failed, State::Cancelled}) {
        if (stateName(s) == name) {
            *state = s;
            return true;
        }
    }
    return false;
}

void SendResult::writeJson(JsonWriter &w) const
{
    w.beginObject();
    w.key("state");
    writeString(w, stateName(state));
    w.key("error");
    w.value(int(error));
    w.key("status");
    w.value(httpStatus);
    w.key("headers");
    w.beginArray();
    for (const Header &header : headers) {
        w.beginArray();
        w.value(std::string_view(header.first.constData(), std::size_t(header.first.size())));
        w.value(std::string_view(header.second.constData(), std::size_t(header.second.size())));
        w.endArray();
    }
    w.endArray();
    w.key("bodySize");
    w.value(bodySize);
    w.key("latencyMs");
    w.value(latencyMs);
    w.key("attempts");
    w.value(attempts);
    if (!failureReason.isEmpty()) {
        w.key("failureReason");
        writeString(w, failureReason);
    }
    w.endObject();
}

QJsonObject SendResult::toJson() const
{
    return jsonObjectOf(*this);
}

SendResult SendResult::fromJson(const QJsonObject &o)
{
    SendResult r;
    stateFromName(o.value(QStringLiteral("state")).toString(), &r.state);
    const int error = o.value(QStringLiteral("error")).toInt();
    if (error >= int(Error::NoError) && error <= int(Error::NetworkError))
        r.error = Error(error);
    r.httpStatus = o.value(QStringLiteral("status")).toInt();
    for (const QJsonValue &v : o.value(QStringLiteral("headers")).toArray()) {
        const QJsonArray pair = v.toArray();
        r.headers.append({pair.at(0).toString().toUtf8(), pair.at(1).toString().toUtf8()});
    }
    r.bodySize = qint64(o.value(QStringLiteral("bodySize")).toDouble());
    r.latencyMs = qint64(o.value(QStringLiteral("latencyMs")).toDouble());
    r.attempts = o.value(QStringLiteral("attempts")).toInt();
    r.failureReason = o.value(QStringLiteral("failureReason")).toString();
    return r;
}

} // namespace km
