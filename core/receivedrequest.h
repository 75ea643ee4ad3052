#pragma once

#include "formparams.h"
#include "translation.h"
#include "value.h"

#include <QByteArray>
#include <QDateTime>
#include <QHostAddress>
#include <QMetaType>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace km {

// A request the built-in tracking endpoint received, accepted or not. A plain value.
class ReceivedRequest
{
public:
    ReceivedRequest() = default;

    QDateTime receivedAt() const { return m_receivedAt; } // UTC
    void setReceivedAt(const QDateTime &at) { m_receivedAt = at; }

    // "e", "s" or "a" for the tracking paths, otherwise the raw path ("/favicon.ico").
    const std::string &endpoint() const { return m_endpoint; }
    void setEndpoint(std::string endpoint) { m_endpoint = std::move(endpoint); }
    // The endpoint as a km::Endpoint, nullopt for any other path.
    std::optional<Endpoint> trackingEndpoint() const;

    // "GET", "POST", or whatever other method was refused.
    const std::string &method() const { return m_method; }
    void setMethod(std::string method) { m_method = std::move(method); }

    // Decoded, in order: the query's pairs, then (for a form POST) the body's.
    const std::vector<ReceivedParam> &parameters() const { return m_parameters; }
    void setParameters(std::vector<ReceivedParam> parameters) { m_parameters = std::move(parameters); }

    QByteArray query() const { return m_query; } // raw, still percent-encoded, without '?'
    void setQuery(const QByteArray &query) { m_query = query; }
    QByteArray body() const { return m_body; } // raw; empty when refused for its size
    void setBody(const QByteArray &body) { m_body = body; }

    int status() const { return m_status; } // the HTTP status it was answered with
    void setStatus(int status) { m_status = status; }
    bool isAccepted() const { return m_status == 200; }

    QHostAddress clientAddress() const { return m_clientAddress; }
    void setClientAddress(const QHostAddress &address) { m_clientAddress = address; }

    // The CLI contract's `params`: a repeated key gives a list of strings, a bare key null; keys
    // are taken literally (a POST body's "k[0]" stays "k[0]"). Strings are copied into `arena`.
    Value params(Arena &arena) const;
    // {"endpoint","method","params","received_at"} (+ "status" when the request was refused),
    // without a trailing newline.
    std::string toJsonLine() const;

    // The first value of `key`; nullopt when it is absent or bare.
    std::optional<std::string> value(std::string_view key) const;
    std::optional<std::string> person() const { return value("_p"); }
    // `_n`: the event on /e; on /a it is the identity `_p` is aliased to.
    std::optional<std::string> eventName() const { return value("_n"); }
    // Every parameter but the reserved ones (isReservedKey), in order.
    std::vector<ReceivedParam> properties() const;
    // _k _p _n _t _d _ip _ua: what Kissmetrics reads as the call itself rather than as properties.
    static bool isReservedKey(std::string_view key);

    friend bool operator==(const ReceivedRequest &, const ReceivedRequest &) = default;

private:
    QDateTime m_receivedAt;
    std::string m_endpoint;
    std::string m_method;
    std::vector<ReceivedParam> m_parameters;
    QByteArray m_query;
    QByteArray m_body;
    int m_status = 0;
    QHostAddress m_clientAddress;
};

// Whether `received` is exactly the request the preview predicted: same endpoint, same method and
// the same decoded parameters in the same order (the preview's wire text decoded like a received
// one, so encoding differences that decode alike do not count). When it is not and `difference`
// is given, it gets a short description for the user, e.g.
// `"Plan": "Pro" where the preview has "Basic"; missing "_t"`.
bool matchesPreview(const ReceivedRequest &received, const HttpRequest &previewed, std::string *difference = nullptr);

} // namespace km

Q_DECLARE_METATYPE(km::ReceivedRequest)
