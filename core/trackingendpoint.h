#pragma once

#include "receivedrequest.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponder;
class QTcpSocket;

namespace km {

// A Kissmetrics-compatible tracking server on 127.0.0.1 (never any other interface), so Send
// works with no account and every request can be inspected. It answers /e, /s and /a by GET, or
// by POST with a form body, with 200 and a 1x1 transparent GIF, as trk.kissmetrics.io does; it
// refuses anything else with a status and a one-line text body: 404 for another path, 405 for
// another method (with Allow), 413 for a body over maxBodySize(), 415 for a POST that is not
// application/x-www-form-urlencoded. Every request, accepted or refused, is recorded.
//
// Qt 6.4's QHttpServer reads a whole request into memory before a handler sees it, so the
// endpoint also watches each connection's bytes as they arrive: a Content-Length over
// maxBodySize(), or more than maxBodySize() plus 64 KiB of request line and headers, is answered
// 413 at once and the rest thrown away instead of buffered. It answers "Expect: 100-continue"
// too, which QHttpServer 6.4 ignores. The raw method, path and query are recorded as sent (the
// QUrl QHttpServer offers re-encodes them).
class TrackingEndpoint : public QObject
{
    Q_OBJECT

public:
    using Clock = std::function<QDateTime()>;

    static constexpr qint64 DefaultMaxBodySize = 64 * 1024;
    static constexpr qsizetype DefaultMaxHistory = 10000;

    explicit TrackingEndpoint(QObject *parent = nullptr);
    ~TrackingEndpoint() override;

    // Listens on 127.0.0.1:port (0: a free port chosen by the system). Closes a previous
    // listener first. On failure returns false and errorString() says why.
    bool listen(quint16 port = 0);
    // Stops listening and drops open connections.
    void close();
    bool isListening() const;
    quint16 port() const { return m_port; } // 0 when not listening
    QUrl baseUrl() const;                   // http://127.0.0.1:PORT, empty when not listening
    QString errorString() const { return m_errorString; }

    qint64 maxBodySize() const { return m_maxBodySize; }
    void setMaxBodySize(qint64 bytes);

    // How many received requests are kept, oldest dropped first; 0 keeps none (requestReceived
    // is still emitted for each).
    qsizetype maxHistory() const { return m_maxHistory; }
    void setMaxHistory(qsizetype count);

    // What stamps receivedAt (default: QDateTime::currentDateTimeUtc).
    void setClock(Clock clock);

    QList<ReceivedRequest> received() const { return m_received; } // oldest first
    void clearReceived() { m_received.clear(); }

Q_SIGNALS:
    void requestReceived(const km::ReceivedRequest &request);

private:
    class GuardedTcpServer;
    struct Connection;

    void handle(const QHttpServerRequest &request, QHttpServerResponder &&responder, bool isRouted);
    void watch(QTcpSocket *socket);
    void guard(QTcpSocket *socket);
    void refuseOversized(QTcpSocket *socket, Connection &connection, const QByteArray &reason);
    void record(ReceivedRequest request);

    QPointer<QHttpServer> m_server;
    quint16 m_port = 0;
    QString m_errorString;
    qint64 m_maxBodySize = DefaultMaxBodySize;
    qsizetype m_maxHistory = DefaultMaxHistory;
    Clock m_clock;
    QList<ReceivedRequest> m_received;
    QHash<QTcpSocket *, std::shared_ptr<Connection>> m_connections;
};

} // namespace km
