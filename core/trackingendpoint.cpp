#include "trackingendpoint.h"

#include "gif.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <chrono>
#include <string_view>
#include <utility>

namespace km {

namespace {

using Status = QHttpServerResponder::StatusCode;

// Request line and headers a connection may send beyond maxBodySize() before it is cut off.
constexpr qint64 HeaderAllowance = 64 * 1024;
// How much of a request's start is kept to find its raw request line.
constexpr qsizetype MaxHead = 16 * 1024;
// A refused upload is read and thrown away until it ends, so the client gets to read the 413
// rather than a reset connection; a connection that goes quiet, or drags on, is closed.
constexpr std::chrono::seconds DrainIdleTime(2);
constexpr std::chrono::seconds DrainMaxTime(30);

std::string methodText(QHttpServerRequest::Method method)
{
    using M = QHttpServerRequest::Method;
    switch (method) {
    case M::Get:
        return "GET";
    case M::Put:
        return "PUT";
    case M::Delete:
        return "DELETE";
    case M::Post:
        return "POST";
    case M::Head:
        return "HEAD";
    case M::Options:
        return "OPTIONS";
    case M::Patch:
        return "PATCH";
    case M::Connect:
        return "CONNECT";
    case M::Trace:
        return "TRACE";
    default:
        return "UNKNOWN";
    }
}

bool isFormContentType(const QByteArray &contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    const QByteArray mediaType = (semicolon < 0 ? contentType : contentType.left(semicolon)).trimmed();
    return mediaType.compare("application/x-www-form-urlencoded", Qt::CaseInsensitive) == 0;
}

std::string_view view(const QByteArray &bytes)
{
    return {bytes.constData(), static_cast<std::size_t>(bytes.size())};
}

// What the start of a request says: "METHOD /path?query HTTP/1.1" and the headers after it.
struct RequestHead
{
    QByteArray method;
    QByteArray path;
    QByteArray query;
    QList<QPair<QByteArray, QByteArray>> headers;
    bool isValid = false;    // the request line parsed
    bool isComplete = false; // the headers ended

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers)
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        return {};
    }
};

RequestHead parseRequestHead(const QByteArray &head)
{
    RequestHead parsed;
    const qsizetype lineEnd = head.indexOf("\r\n");
    if (lineEnd < 0)
        return parsed;
    const QList<QByteArray> parts = head.left(lineEnd).split(' ');
    if (parts.size() != 3 || !parts.at(1).startsWith('/'))
        return parsed;
    const QByteArray &target = parts.at(1);
    const qsizetype question = target.indexOf('?');
    parsed.method = parts.at(0);
    parsed.path = question < 0 ? target : target.left(question);
    parsed.query = question < 0 ? QByteArray() : target.mid(question + 1);
    parsed.isValid = true;
    const qsizetype headersEnd = head.indexOf("\r\n\r\n", lineEnd);
    parsed.isComplete = headersEnd >= 0;
    const QList<QByteArray> lines = head.mid(lineEnd + 2, headersEnd < 0 ? -1 : headersEnd - lineEnd - 2).split('\n');
    for (const QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            parsed.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    return parsed;
}

bool isTrackingTarget(const QByteArray &path)
{
    return path == "/e" || path == "/s" || path == "/a";
}

QByteArray bodyLimitText(qint64 size, qint64 limit)
{
    return "Body of " + QByteArray::number(size) + " bytes is over the limit of " + QByteArray::number(limit)
           + " bytes.";
}

} // namespace

// What the size guard knows about one connection.
struct TrackingEndpoint::Connection
{
    qint64 pending = 0;         // bytes received since the last request was handled
    QByteArray head;            // the start of the request being received, up to the end of its headers
    bool hasHeaders = false;    // head holds all the headers and they have been looked at
    qint64 expected = -1;       // the request's size with its Content-Length, when it has one
    bool isRefused = false;     // answered 413; what still arrives is thrown away
    QPointer<QTimer> drainIdle; // closes a refused connection that went quiet
};

// Hands each new connection to the size guard before QHttpServer sees it, so the guard's
// readyRead slot runs before QHttpServer's reads the data.
class TrackingEndpoint::GuardedTcpServer : public QTcpServer
{
public:
    GuardedTcpServer(TrackingEndpoint *endpoint, QObject *parent)
        : QTcpServer(parent)
        , m_endpoint(endpoint)
    { }

    QTcpSocket *nextPendingConnection() override
    {
        QTcpSocket *socket = QTcpServer::nextPendingConnection();
        if (socket)
            m_endpoint->watch(socket);
        return socket;
    }

private:
    TrackingEndpoint *m_endpoint;
};

TrackingEndpoint::TrackingEndpoint(QObject *parent)
    : QObject(parent)
    , m_clock([] { return QDateTime::currentDateTimeUtc(); })
{ }

TrackingEndpoint::~TrackingEndpoint()
{
    delete m_server.data();
}

bool TrackingEndpoint::listen(quint16 port)
{
    close();
    auto *server = new QHttpServer(this);
    for (const char *path : {"/e", "/s", "/a"}) {
        server->route(QString::fromLatin1(path),
                      [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                          handle(request, std::move(responder), true);
                      });
    }
    server->setMissingHandler([this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        handle(request, std::move(responder), false);
    });
    auto *tcpServer = new GuardedTcpServer(this, server);
    // Loopback only: the endpoint records API keys and personal data sent to it.
    if (!tcpServer->listen(QHostAddress::LocalHost, port)) {
        m_errorString = tcpServer->errorString();
        delete server;
        return false;
    }
    server->bind(tcpServer);
    m_server = server;
    m_port = tcpServer->serverPort();
    m_errorString.clear();
    return true;
}

void TrackingEndpoint::close()
{
    if (!m_server)
        return;
    for (QTcpServer *tcpServer : m_server->servers())
        tcpServer->close();
    const QList<QTcpSocket *> sockets = m_connections.keys();
    for (QTcpSocket *socket : sockets)
        socket->abort();
    // Later: close() may be called from a requestReceived slot, inside the server's own handler.
    m_server->deleteLater();
    m_server = nullptr;
    m_port = 0;
}

bool TrackingEndpoint::isListening() const
{
    return m_server && m_port != 0;
}

QUrl TrackingEndpoint::baseUrl() const
{
    if (!isListening())
        return {};
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(m_port);
    return url;
}

void TrackingEndpoint::setMaxBodySize(qint64 bytes)
{
    m_maxBodySize = qMax<qint64>(0, bytes);
}

void TrackingEndpoint::setMaxHistory(qsizetype count)
{
    m_maxHistory = qMax<qsizetype>(0, count);
    if (m_received.size() > m_maxHistory)
        m_received.remove(0, m_received.size() - m_maxHistory);
}

void TrackingEndpoint::setClock(Clock clock)
{
    m_clock = std::move(clock);
}

void TrackingEndpoint::handle(const QHttpServerRequest &request, QHttpServerResponder &&responder, bool isRouted)
{
    const QUrl url = request.url();
    const QHttpServerRequest::Method method = request.method();
    std::string methodName = methodText(method);
    QByteArray path = url.path(QUrl::FullyEncoded).toUtf8();
    QByteArray query = url.query(QUrl::FullyEncoded).toUtf8();
    if (const auto it = m_connections.constFind(responder.socket()); it != m_connections.constEnd()) {
        // QHttpServer only offers the target as a QUrl, which re-encodes it (%7e becomes ~; with
        // one stray '%' every '%' becomes %25), and no method it does not know. Take the raw
        // text when it is this request's.
        const RequestHead head = parseRequestHead((*it)->head);
        QUrl probe;
        probe.setQuery(QString::fromUtf8(head.query));
        if (head.isValid && (head.method.toStdString() == methodName || method == QHttpServerRequest::Method::Unknown)
            && probe.query(QUrl::FullyEncoded) == url.query(QUrl::FullyEncoded)) {
            methodName = head.method.toStdString();
            path = head.path;
            query = head.query;
        }
        **it = Connection();
    }
    const bool isTracking = isRouted || isTrackingTarget(url.path().toUtf8()); // (routes skip unknown methods)
    const bool isHead = method == QHttpServerRequest::Method::Head;
    const QByteArray body = request.body();

    ReceivedRequest received;
    received.setReceivedAt(m_clock().toUTC());
    received.setEndpoint(isTracking ? url.path().mid(1).toStdString() : path.toStdString());
    received.setMethod(methodName);
    received.setQuery(query);
    received.setClientAddress(request.remoteAddress());
    std::vector<ReceivedParam> params = decodeFormParams(view(query));

    QHttpServerResponse response(Status::Ok);
    auto refuse = [&](Status status, const QByteArray &text) {
        // A HEAD response has no body, or the next response on the connection would be misread.
        response = QHttpServerResponse(QByteArrayLiteral("text/plain; charset=utf-8"),
                                       isHead ? QByteArray() : text + '\n', status);
    };
    if (!isTracking) {
        refuse(Status::NotFound, "Not found: this endpoint answers /e, /s and /a.");
    } else if (method != QHttpServerRequest::Method::Get && method != QHttpServerRequest::Method::Post) {
        refuse(Status::MethodNotAllowed,
               "Method " + QByteArray::fromStdString(methodName) + " not allowed: use GET or POST.");
        response.addHeader(QByteArrayLiteral("Allow"), QByteArrayLiteral("GET, POST"));
    } else if (body.size() > m_maxBodySize) {
        refuse(Status::PayloadTooLarge, bodyLimitText(body.size(), m_maxBodySize));
    } else if (method == QHttpServerRequest::Method::Post
               && !isFormContentType(request.value(QByteArrayLiteral("Content-Type")))) {
        const QByteArray contentType = request.value(QByteArrayLiteral("Content-Type"));
        refuse(Status::UnsupportedMediaType,
               "POST bodies must be application/x-www-form-urlencoded, not "
                       + (contentType.isEmpty() ? QByteArray("a body without Content-Type") : '"' + contentType + '"')
                       + '.');
    } else {
        response = QHttpServerResponse(QByteArrayLiteral("image/gif"), transparentGif(), Status::Ok);
        if (method == QHttpServerRequest::Method::Post) {
            std::vector<ReceivedParam> bodyParams = decodeFormParams(view(body));
            params.insert(params.end(), std::make_move_iterator(bodyParams.begin()),
                          std::make_move_iterator(bodyParams.end()));
        }
    }
    // A tracking pixel must never be served from a cache, or repeated calls would not arrive.
    response.addHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-cache"));
    received.setStatus(static_cast<int>(response.statusCode()));
    if (response.statusCode() != Status::PayloadTooLarge)
        received.setBody(body);
    received.setParameters(std::move(params));
    {
        // Answered before anyone is told: a slot may take its time, or even close the endpoint.
        QHttpServerResponder local(std::move(responder));
        response.write(std::move(local));
    }
    record(std::move(received));
}

void TrackingEndpoint::watch(QTcpSocket *socket)
{
    m_connections.insert(socket, std::make_shared<Connection>());
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { guard(socket); });
    connect(socket, &QObject::destroyed, this, [this, socket] { m_connections.remove(socket); });
}

void TrackingEndpoint::guard(QTcpSocket *socket)
{
    const auto it = m_connections.constFind(socket);
    if (it == m_connections.constEnd())
        return;
    Connection &connection = **it;
    if (connection.isRefused) {
        connection.pending += socket->skip(socket->bytesAvailable());
        if (connection.expected >= 0 && connection.pending >= connection.expected)
            socket->disconnectFromHost(); // the whole upload is in: the client reads the 413 now
        else if (connection.drainIdle)
            connection.drainIdle->start();
        return;
    }
    // QHttpServer reads everything on each readyRead, so what is available now is new.
    const qint64 available = socket->bytesAvailable();
    connection.pending += available;
    if (!connection.hasHeaders) {
        if (connection.head.size() < MaxHead)
            connection.head += socket->peek(qMin<qint64>(available, MaxHead - connection.head.size()));
        const RequestHead head = parseRequestHead(connection.head);
        if (head.isComplete) {
            connection.hasHeaders = true;
            bool hasLength = false;
            const qint64 length = head.header("Content-Length").toLongLong(&hasLength);
            if (hasLength)
                connection.expected = connection.head.indexOf("\r\n\r\n") + 4 + length;
            if (hasLength && length > m_maxBodySize) {
                refuseOversized(socket, connection, bodyLimitText(length, m_maxBodySize));
                return;
            }
            // QHttpServer 6.4 never sends "100 Continue": curl would wait a second before each
            // large body.
            if (head.header("Expect").compare("100-continue", Qt::CaseInsensitive) == 0)
                socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        }
    }
    if (connection.pending > m_maxBodySize + HeaderAllowance)
        refuseOversized(socket, connection,
                        "Request of over " + QByteArray::number(m_maxBodySize + HeaderAllowance)
                                + " bytes refused: the body limit is " + QByteArray::number(m_maxBodySize) + " bytes.");
}

void TrackingEndpoint::refuseOversized(QTcpSocket *socket, Connection &connection, const QByteArray &reason)
{
    connection.isRefused = true;
    // QHttpServer stops reading this connection (its slot after this one is not called either).
    if (m_server)
        disconnect(socket, &QTcpSocket::readyRead, m_server.data(), nullptr);
    if (socket->isTransactionStarted())
        socket->commitTransaction();        // releases what QHttpServer kept of the partial request
    socket->skip(socket->bytesAvailable()); // already counted in pending

    const QByteArray text = reason + '\n';
    socket->write("HTTP/1.1 413 Payload Too Large\r\n"
                  "Content-Type: text/plain; charset=utf-8\r\n"
                  "Cache-Control: no-cache\r\n"
                  "Connection: close\r\n"
                  "Content-Length: "
                  + QByteArray::number(text.size()) + "\r\n\r\n" + text);
    if (connection.expected >= 0 && connection.pending >= connection.expected) {
        socket->disconnectFromHost(); // after the answer is written
    } else {
        connection.drainIdle = new QTimer(socket);
        connection.drainIdle->setSingleShot(true);
        connection.drainIdle->callOnTimeout(socket, [socket] { socket->disconnectFromHost(); });
        connection.drainIdle->start(DrainIdleTime);
        QTimer::singleShot(DrainMaxTime, socket, [socket] { socket->abort(); });
    }

    // The body is not kept: only the request line is known.
    ReceivedRequest received;
    received.setReceivedAt(m_clock().toUTC());
    received.setStatus(static_cast<int>(Status::PayloadTooLarge));
    received.setClientAddress(socket->peerAddress());
    if (const RequestHead head = parseRequestHead(connection.head); head.isValid) {
        received.setMethod(head.method.toStdString());
        received.setEndpoint(isTrackingTarget(head.path) ? head.path.mid(1).toStdString() : head.path.toStdString());
        received.setQuery(head.query);
        received.setParameters(decodeFormParams(view(head.query)));
    }
    connection.head.clear();
    record(std::move(received));
}

void TrackingEndpoint::record(ReceivedRequest request)
{
    if (m_maxHistory > 0) {
        if (m_received.size() >= m_maxHistory)
            m_received.remove(0, m_received.size() - m_maxHistory + 1);
        m_received.append(request);
    }
    Q_EMIT requestReceived(request);
}

} // namespace km
