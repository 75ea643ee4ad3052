#pragma once

#include "sendrequest.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>

#include <chrono>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace km {

class HttpConnection;
class HttpConnectionPool;
class NetworkManager;

// One attempt at sending one request. Emits finished() exactly once (also after abort()), then
// deletes itself later: keep it in a QPointer if it must be looked at after that.
class SendHandle : public QObject
{
    Q_OBJECT

public:
    ~SendHandle() override;

    const SendRequest &request() const { return m_request; }
    bool isFinished() const { return m_finished; }
    // The attempt's outcome, meaningful once finished (attempts is 1).
    const SendResult &result() const { return m_result; }

public Q_SLOTS:
    // Stops the attempt; finished() follows with the state Cancelled (unless it already finished).
    void abort();

Q_SIGNALS:
    void finished(const km::SendResult &result);

private:
    friend class HttpConnection;
    friend class NetworkManager;
    SendHandle(const SendRequest &request,
               const QByteArray &apiKey,
               std::chrono::milliseconds timeout,
               QObject *parent);
    void startWithAccessManager(QNetworkAccessManager *manager, const QUrl &url, const QByteArray &userAgent);
    void failEarly(SendResult::Error error, const QString &reason);
    void onReplyFinished();
    // The outcome of the attempt: the state follows from error and status.
    void complete(SendResult::Error error, const QString &words);
    void finish();

    SendRequest m_request;
    QByteArray m_apiKey; // only for the URL and for redacting what comes back
    std::chrono::milliseconds m_timeout;
    QPointer<QNetworkReply> m_reply;       // the AccessManager transport
    QPointer<HttpConnection> m_connection; // the Direct transport
    QElapsedTimer m_elapsed;
    SendResult m_result;
    QStringList m_tlsErrors;
    QString m_reasonPhrase;
    bool m_abortRequested = false;
    bool m_finished = false;
};

// Owns the HTTP client and sends requests: send() hands back a SendHandle whose
// finished(result) says how the attempt went.
//
// Two transports. Direct: a small HTTP/1.1 client on QTcpSocket/QSslSocket in this thread, with a
// keep-alive connection pool, one request per connection at a time. AccessManager: a
// QNetworkAccessManager (owned, or injected). QNetworkAccessManager runs HTTP on a thread of its
// own and pays several thread hand-overs per request; on loopback that halves the request rate,
// so by default (Automatic) plain http:// goes Direct and https:// through the access manager.
//
// Either way, TLS certificates are always verified (SSL errors are reported, never ignored),
// redirects are not followed (the key would go with them), no cookies are kept, nothing is
// cached, and `timeout` is a transfer timeout: no byte moving for that long ends the attempt.
class NetworkManager : public QObject
{
    Q_OBJECT

public:
    enum class Transport {
        Automatic, // Direct for http://, AccessManager for https://
        Direct,
        AccessManager,
    };

    // Qt opens at most this many HTTP/1.1 connections per host and access manager and queues the
    // rest, where their transfer timeouts would run: beyond it, more access managers are used.
    static constexpr int ConnectionsPerAccessManager = 6;

    // Transport Automatic, with an access manager of its own.
    explicit NetworkManager(QObject *parent = nullptr);
    // Transport AccessManager through `manager` (not owned; it must outlive this object).
    explicit NetworkManager(QNetworkAccessManager *manager, QObject *parent = nullptr);
    ~NetworkManager() override;

    Transport transport() const { return m_transport; }
    void setTransport(Transport transport) { m_transport = transport; }
    QNetworkAccessManager *accessManager() const;

    QByteArray userAgent() const { return m_userAgent; }
    void setUserAgent(const QByteArray &userAgent) { m_userAgent = userAgent; }

    // Starts one attempt. `apiKey` replaces the `_k=<API_KEY>` placeholder in memory only; it is
    // also removed from any error text or header that echoes it.
    SendHandle *send(const SendRequest &request, const QByteArray &apiKey, std::chrono::milliseconds timeout);

    int inFlightCount() const { return m_inFlight; }
    // Open connections of the Direct transport (idle and busy), for tests and diagnostics.
    int directConnectionCount() const;

private:
    struct Lane
    {
        QNetworkAccessManager *manager = nullptr;
        QHash<QString, int> busy; // in-flight attempts per scheme://host:port
    };
    qsizetype laneFor(const QString &origin);

    Transport m_transport = Transport::Automatic;
    QList<Lane> m_lanes; // m_lanes[0] is the injected or own manager
    QList<QNetworkAccessManager *> m_owned;
    HttpConnectionPool *m_pool;
    QByteArray m_userAgent;
    int m_inFlight = 0;
};

} // namespace km
