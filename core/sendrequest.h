#pragma once

#include "redaction.h"
#include "translation.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>
#include <QStringList>

namespace km {

class JsonWriter;
class Settings;
class Value;

// One HTTP request to send, as it is stored (outbox, history): never holds the API key.
struct SendRequest
{
    QString id;     // a UUID, stable across resends (the outbox and history key)
    QString target; // base URL, e.g. "http://127.0.0.1:8080" (the endpoint path is added)
    Endpoint endpoint = Endpoint::Event;
    HttpMethod method = HttpMethod::Get;
    QByteArray wire;          // GET: the query; POST: the form body; the key as `_k=<API_KEY>` (SecretPlaceholder)
    qint64 createdAt = 0;     // ms since the epoch
    QString engine;           // engineName(), e.g. "segment-cloud"
    QString settingsSnapshot; // the settings as JSON, apiKey removed
    QStringList warnings;     // the preview's warnings: a 200 does not make them go away
    QByteArray call;          // the Segment call it was made from (its JSON text; no key in it), for "open as new call"
    // Which key it was queued with (Outbox::keyFingerprint(): a salted HMAC, never the key), so that
    // a resume sends it only with that key. Empty when it needs none or was stored before.
    QByteArray keyFingerprint;

    bool isValid() const { return !id.isEmpty() && !target.isEmpty(); }
    // Whether sending needs a key (the wire holds the placeholder).
    bool needsApiKey() const;
    // The wire with the placeholder replaced by the percent-encoded key; in memory only.
    QByteArray wireWithKey(const QByteArray &apiKey) const;
    // target + "/e" (+ "?" + wire for GET): the URL a user may see (the key as the placeholder).
    QString displayUrl() const;
    // The same request under a new id, for "send again" (same _t: the same event).
    SendRequest copyForResend(qint64 createdAt) const;

    // One JSON object (the outbox and history format); writeJson() is the fast path the stores use.
    void writeJson(JsonWriter &writer) const;
    QJsonObject toJson() const;
    static SendRequest fromJson(const QJsonObject &object, bool *ok = nullptr);

    // A request from a translation: the wire as OutputFormat::wire(..., Redacted) gives it, and a
    // `_k` pair that still holds a key (an encoding the redaction did not recognise) is redacted
    // too, so the key cannot reach a file by accident.
    static SendRequest fromHttpRequest(const HttpRequest &request,
                                       EngineId engine,
                                       const QString &target,
                                       const Value &apiKey,
                                       const QString &settingsSnapshot,
                                       const std::vector<Warning> &warnings,
                                       qint64 createdAt);
    // The settings as compact JSON without apiKey.
    static QString settingsSnapshotOf(const Settings &settings);
    // The API key's text as the engines put it on the wire (empty when the key is falsy).
    static QByteArray apiKeyText(const Value &apiKey);
};

// The outcome of sending one request (or where it is on its way).
struct SendResult
{
    enum class State { Queued, InFlight, Sent, Failed, Cancelled };
    // What went wrong on the way, as the retry policy needs to know it.
    enum class Error {
        NoError,
        ConnectionRefused,
        ConnectionClosed, // the server closed the connection before a whole response
        HostNotFound,
        Timeout,
        TlsError,       // certificate or handshake: never retried
        HttpError,      // a response with a status that is not 2xx
        InvalidRequest, // bad URL, unsupported scheme, missing key
        Aborted,        // abort() or cancel()
        NetworkError,   // anything else on the way (no route, proxy, ...)
    };
    using Header = QPair<QByteArray, QByteArray>;

    State state = State::Queued;
    Error error = Error::NoError;
    int httpStatus = 0;    // 0 when no response came
    QList<Header> headers; // the last response's headers (values that hold the key redacted)
    qint64 bodySize = 0;
    qint64 latencyMs = 0; // of the last attempt
    int attempts = 0;
    QString failureReason; // in words, for people; never holds the key
    QStringList warnings;  // the request's preview warnings, carried along

    bool isFinal() const { return state == State::Sent || state == State::Failed || state == State::Cancelled; }
    QByteArray header(const QByteArray &name) const; // case-insensitive, first match

    // The response as stored (warnings are the request's and are stored with it).
    void writeJson(JsonWriter &writer) const;
    QJsonObject toJson() const;
    static SendResult fromJson(const QJsonObject &object);

    static QString stateName(State state); // "queued", "in flight", "sent", "failed", "cancelled"
    static bool stateFromName(const QString &name, State *state);
};

} // namespace km

Q_DECLARE_METATYPE(km::SendRequest)
Q_DECLARE_METATYPE(km::SendResult)
