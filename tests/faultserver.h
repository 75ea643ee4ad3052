#pragma once

// FaultServer: a tiny HTTP/1.1 server on 127.0.0.1 that misbehaves on purpose, for sender tests
// (retries, timeouts, backoff, Retry-After). Header-only and without Q_OBJECT, so any test can
// include it. It needs a running event loop (QTRY_*, QSignalSpy::wait) to accept and answer.
//
//   km::test::FaultServer server;
//   QVERIFY(server.listen());                          // 127.0.0.1, a free port
//   server.setScript({FaultServer::respond(500),         // 1st request
//                     FaultServer::respond(429, {{"Retry-After", "1"}}),  // 2nd
//                     FaultServer::closeMidResponse()}); // 3rd; later ones: the default behaviour
//   ... send to server.url("/e?_n=x") ...
//   QTRY_COMPARE(server.attempts(), 4);
//   QCOMPARE(server.requestLines().first(), "GET /e?_n=x HTTP/1.1");
//
// Behaviours (what happens once a whole request has arrived; every request counts as an attempt):
//   respond(status, headers, body)  answer with that status, headers and body (Content-Length is
//                                   added unless given). The connection stays open for the next
//                                   request unless a "Connection: close" header is given.
//   hang()                          never answer; the connection stays open until the server dies.
//   closeMidResponse()              send the status line, headers promising a 64-byte body and
//                                   half of it, then close: a truncated response.
//   closeImmediately()              close the connection without sending anything. Note that
//                                   QNetworkAccessManager silently sends the request once more
//                                   when a connection closes before any answer, so one attempt of
//                                   a QNAM-based sender shows as 2 requests here.
// Which behaviour a request gets, first match wins:
//   setHandler(fn)      fn(request) decides, per request (e.g. by path or by attempt number);
//   setScript(list)     the n-th request (counting from 1 since listen()/clear()) gets list[n-1];
//   setDefaultBehaviour(b)  everything else (initially respond(200) with the 43-byte GIF).
// Records: attempts(), requests() (request line, headers, body, ms since listen() on arrival),
// requestLines(), connections() (accepted TCP connections), clear() to start counting again.
// refusedPort(): a loopback port with nothing listening, for "connection refused" (bound to port
// 0, read and closed; another process could take it meanwhile, which is unlikely in a test).
//
// Only request bodies with Content-Length are understood (not chunked ones). Give clients of this
// server QNetworkProxy::NoProxy, or an http_proxy in the environment would receive the requests.

#include "gif.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

#include <functional>
#include <memory>

namespace km::test {

class FaultServer
{
public:
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    enum class Action { Respond, Hang, CloseMidResponse, CloseImmediately };

    struct Behaviour
    {
        Action action = Action::Respond;
        int status = 200;
        Headers headers;
        QByteArray body;
    };

    struct Request
    {
        QByteArray requestLine; // "GET /e?_n=x HTTP/1.1"
        QByteArray method;
        QByteArray target; // "/e?_n=x"
        Headers headers;
        QByteArray body;
        qint64 elapsedMs = 0; // since listen() or clear()
        int attempt = 0;      // 1 for the first request
        QByteArray header(const QByteArray &name) const
        {
            for (const auto &h : headers)
                if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                    return h.second;
            return {};
        }
    };

    static Behaviour respond(int status, Headers headers = {}, QByteArray body = {})
    {
        return {Action::Respond, status, std::move(headers), std::move(body)};
    }
    static Behaviour hang() { return {Action::Hang, 0, {}, {}}; }
    static Behaviour closeMidResponse() { return {Action::CloseMidResponse, 200, {}, {}}; }
    static Behaviour closeImmediately() { return {Action::CloseImmediately, 0, {}, {}}; }

    FaultServer()
        : m_default(respond(200, {{"Content-Type", "image/gif"}}, km::transparentGif()))
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] { accept(); });
    }
    ~FaultServer()
    {
        m_server.close();
        // The sockets are the QTcpServer's children; delete them while the members they use exist.
        for (QTcpSocket *socket : m_server.findChildren<QTcpSocket *>()) {
            QObject::disconnect(socket, nullptr, nullptr, nullptr);
            delete socket;
        }
    }
    FaultServer(const FaultServer &) = delete;
    FaultServer &operator=(const FaultServer &) = delete;

    bool listen()
    {
        m_clock.start();
        return m_server.listen(QHostAddress::LocalHost, 0);
    }
    quint16 port() const { return m_server.serverPort(); }
    QUrl baseUrl() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port())); }
    QUrl url(const QString &pathAndQuery) const { return QUrl(baseUrl().toString() + pathAndQuery); }

    void setDefaultBehaviour(Behaviour behaviour) { m_default = std::move(behaviour); }
    void setScript(QList<Behaviour> script) { m_script = std::move(script); }
    void setHandler(std::function<Behaviour(const Request &)> handler) { m_handler = std::move(handler); }

    int attempts() const { return static_cast<int>(m_requests.size()); }
    QList<Request> requests() const { return m_requests; }
    QList<QByteArray> requestLines() const
    {
        QList<QByteArray> lines;
        for (const Request &r : m_requests)
            lines << r.requestLine;
        return lines;
    }
    int connections() const { return m_connections; }
    void clear()
    {
        m_requests.clear();
        m_connections = 0;
        m_clock.restart();
    }

    static quint16 refusedPort()
    {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            return 0;
        const quint16 port = probe.serverPort();
        probe.close();
        return port;
    }

private:
    void accept()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            ++m_connections;
            m_pending.insert(socket, {});
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { read(socket); });
            QObject::connect(socket, &QTcpSocket::disconnected, socket, [this, socket] {
                m_pending.remove(socket);
                socket->deleteLater();
            });
        }
    }

    void read(QTcpSocket *socket)
    {
        auto it = m_pending.find(socket);
        if (it == m_pending.end())
            return;
        it->bytes.append(socket->readAll());
        // Several requests may have arrived at once (pipelining); answer them in order.
        while (socket->state() == QAbstractSocket::ConnectedState) {
            it = m_pending.find(socket);
            if (it == m_pending.end() || it->isHung) {
                if (it != m_pending.end())
                    it->bytes.clear(); // whatever arrives on a hung connection is ignored
                return;
            }
            QByteArray &bytes = it->bytes;
            const qsizetype headerEnd = bytes.indexOf("\r\n\r\n");
            if (headerEnd < 0)
                return;
            Request request;
            const QList<QByteArray> lines = bytes.left(headerEnd).split('\n');
            request.requestLine = lines.first().trimmed();
            const QList<QByteArray> parts = request.requestLine.split(' ');
            request.method = parts.value(0);
            request.target = parts.value(1);
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                if (colon > 0)
                    request.headers.append({lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()});
            }
            const qsizetype length = request.header("Content-Length").toLongLong();
            if (bytes.size() < headerEnd + 4 + length)
                return; // the body is still on its way
            request.body = bytes.mid(headerEnd + 4, length);
            bytes.remove(0, headerEnd + 4 + length);
            request.elapsedMs = m_clock.elapsed();
            request.attempt = attempts() + 1;
            m_requests.append(request);
            answer(socket, request);
        }
    }

    Behaviour behaviourFor(const Request &request) const
    {
        if (m_handler)
            return m_handler(request);
        if (request.attempt <= m_script.size())
            return m_script.at(request.attempt - 1);
        return m_default;
    }

    static QByteArray reason(int status)
    {
        switch (status) {
        case 200:
            return "OK";
        case 400:
            return "Bad Request";
        case 404:
            return "Not Found";
        case 408:
            return "Request Timeout";
        case 429:
            return "Too Many Requests";
        case 500:
            return "Internal Server Error";
        case 502:
            return "Bad Gateway";
        case 503:
            return "Service Unavailable";
        case 504:
            return "Gateway Timeout";
        default:
            return "Status";
        }
    }

    void answer(QTcpSocket *socket, const Request &request)
    {
        const Behaviour behaviour = behaviourFor(request);
        switch (behaviour.action) {
        case Action::Respond: {
            QByteArray head =
                    "HTTP/1.1 " + QByteArray::number(behaviour.status) + ' ' + reason(behaviour.status) + "\r\n";
            bool hasLength = false;
            bool closes = false;
            for (const auto &h : behaviour.headers) {
                head += h.first + ": " + h.second + "\r\n";
                hasLength = hasLength || h.first.compare("Content-Length", Qt::CaseInsensitive) == 0;
                closes = closes
                         || (h.first.compare("Connection", Qt::CaseInsensitive) == 0
                             && h.second.compare("close", Qt::CaseInsensitive) == 0);
            }
            if (!hasLength)
                head += "Content-Length: " + QByteArray::number(behaviour.body.size()) + "\r\n";
            socket->write(head + "\r\n" + behaviour.body);
            if (closes)
                socket->disconnectFromHost();
            return;
        }
        case Action::Hang:
            m_pending[socket].isHung = true;
            return;
        case Action::CloseMidResponse:
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 64\r\n\r\n"
                          "only 32 of the 64 promised bytes");
            socket->disconnectFromHost(); // after the partial response is written
            return;
        case Action::CloseImmediately:
            socket->abort();
            return;
        }
    }

    QTcpServer m_server;
    QElapsedTimer m_clock;
    Behaviour m_default;
    QList<Behaviour> m_script;
    std::function<Behaviour(const Request &)> m_handler;
    QList<Request> m_requests;
    struct Pending
    {
        QByteArray bytes; // received, not yet parsed
        bool isHung = false;
    };
    QHash<QTcpSocket *, Pending> m_pending; // per open connection
    int m_connections = 0;
};

} // namespace km::test
