#include "networkmanager.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSet>
#include <QSslError>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

#include <limits>

namespace km {

namespace {

QByteArray baseOf(const QString &target)
{
    QByteArray url = target.toUtf8();
    while (url.endsWith('/'))
        url.chop(1);
    return url;
}

QUrl requestUrl(const SendRequest &request, const QByteArray &apiKey)
{
    QByteArray url = baseOf(request.target) + '/' + endpointName(request.endpoint);
    if (request.method == HttpMethod::Get)
        url += '?' + request.wireWithKey(apiKey);
    return QUrl::fromEncoded(url, QUrl::StrictMode);
}

int defaultPort(const QUrl &url)
{
    return url.scheme() == QLatin1String("https") ? 443 : 80;
}

QString hostPort(const QUrl &url)
{
    return url.host() + QLatin1Char(':') + QString::number(url.port(defaultPort(url)));
}

QString originOf(const QUrl &url)
{
    return url.scheme() + QLatin1String("://") + hostPort(url);
}

// What may stand in an HTTP request line as it is: the rest (spaces, CR, LF, non-ASCII) is
// percent-encoded, so no text can add a header line.
QByteArray safeRequestTarget(const QByteArray &target)
{
    QByteArray out;
    out.reserve(target.size());
    static const char hex[] = "0123456789ABCDEF";
    for (char ch : target) {
        const auto c = static_cast<unsigned char>(ch);
        if (c <= 0x20 || c >= 0x7f) {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += ch;
        }
    }
    return out;
}

constexpr qsizetype MaxHeaderBytes = 64 * 1024;
constexpr int IdleConnectionMs = 30000;
constexpr int MaxIdlePerOrigin = 64;

} // namespace

// ---------------------------------------------------------------------------------------------
// The Direct transport: one HTTP/1.1 connection, one request on it at a time.

struct Origin
{
    QString key; // scheme://host:port
    QString host;
    quint16 port = 80;
    bool isTls = false;
};

class HttpConnection : public QObject
{
public:
    HttpConnection(HttpConnectionPool *pool, const Origin &origin);
    ~HttpConnection() override;

    const Origin &origin() const { return m_origin; }
    bool isIdle() const { return !m_handle && !m_broken; }
    // One timer per connection, restarted: a timer per release would pile up by the thousand.
    void startIdleTimer() { m_idleTimer.start(IdleConnectionMs); }

    // Sends `request` for `handle` (reusing the open socket when there is one).
    void start(SendHandle *handle, const QByteArray &request, bool isStaleRetry);
    void abortCurrent();
    // The handle is being destroyed: stop without telling it anything.
    void detach();

private:
    enum class Phase { StatusLine, Headers, Body, ChunkSize, ChunkData, ChunkEnd, Trailers, Done };

    void open();
    void onReadyRead();
    void onSocketError(QAbstractSocket::SocketError error);
    void onClosed();
    void restartTimer();
    bool parse(); // false on a malformed response (already reported)
    bool readLine(QByteArray *line);
    void headersDone();
    void succeed();
    void fail(SendResult::Error error, const QString &words);
    void breakConnection();

    HttpConnectionPool *m_pool;
    Origin m_origin;
    QTcpSocket *m_socket = nullptr;
    QTimer m_timer; // the transfer timeout
    QTimer m_idleTimer;
    QPointer<SendHandle> m_handle;
    QByteArray m_request;
    bool m_isReused = false;
    bool m_isStaleRetry = false;
    bool m_broken = false;

    // The response being read.
    QByteArray m_buffer;
    qsizetype m_bufferPos = 0;
    qint64 m_received = 0;
    Phase m_phase = Phase::StatusLine;
    int m_status = 0;
    QByteArray m_reason;
    QList<SendResult::Header> m_headers;
    qsizetype m_headerBytes = 0;
    qint64 m_remaining = 0; // of the body or of the current chunk
    qint64 m_bodySize = 0;
    bool m_untilClose = false;
    bool m_keepAlive = true;
    bool m_isHttp10 = false;
};

class HttpConnectionPool : public QObject
{
public:
    explicit HttpConnectionPool(QObject *parent)
        : QObject(parent)
    { }
    ~HttpConnectionPool() override
    {
        // Here rather than in ~QObject: their destructors call forget() on this object.
        // (Every child is a connection, those waiting for deleteLater() included.)
        const QObjectList connections = children();
        qDeleteAll(connections);
    }

    HttpConnection *acquire(const Origin &origin, bool fresh)
    {
        if (!fresh) {
            QList<HttpConnection *> &idle = m_idle[origin.key];
            while (!idle.isEmpty()) {
                HttpConnection *c = idle.takeLast(); // the most recently used: least likely stale
                if (c->isIdle())
                    return c;
            }
        }
        auto *c = new HttpConnection(this, origin);
        m_all.insert(c);
        return c;
    }

    void release(HttpConnection *c)
    {
        QList<HttpConnection *> &idle = m_idle[c->origin().key];
        if (idle.size() >= MaxIdlePerOrigin) {
            discard(c);
            return;
        }
        idle.append(c);
        c->startIdleTimer(); // closed after a while rather than kept forever
    }

    void discard(HttpConnection *c)
    {
        if (!m_all.remove(c))
            return;
        m_idle[c->origin().key].removeOne(c);
        c->deleteLater();
    }

    void forget(HttpConnection *c)
    {
        m_all.remove(c);
        m_idle[c->origin().key].removeOne(c);
    }

    int count() const { return int(m_all.size()); }

private:
    QSet<HttpConnection *> m_all;
    QHash<QString, QList<HttpConnection *>> m_idle;
};

HttpConnection::HttpConnection(HttpConnectionPool *pool, const Origin &origin)
    : QObject(pool)
    , m_pool(pool)
    , m_origin(origin)
{
    m_idleTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        if (!m_handle)
            breakConnection();
    });
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (m_handle)
            fail(SendResult::Error::Timeout,
                 SendHandle::tr("no data for %1 ms: timed out").arg(m_handle->m_timeout.count()));
    });
}

HttpConnection::~HttpConnection()
{
    m_pool->forget(this);
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void HttpConnection::open()
{
    if (m_origin.isTls) {
        auto *tls = new QSslSocket(this);
        // Always verified: a tester that accepts any certificate would hand the key to anyone.
        tls->setPeerVerifyMode(QSslSocket::VerifyPeer);
        connect(tls, &QSslSocket::encrypted, this, &HttpConnection::restartTimer);
        connect(tls, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            if (m_handle)
                for (const QSslError &e : errors)
                    m_handle->m_tlsErrors << e.errorString();
        });
        m_socket = tls;
    } else {
        m_socket = new QTcpSocket(this);
        connect(m_socket, &QTcpSocket::connected, this, &HttpConnection::restartTimer);
    }
    connect(m_socket, &QTcpSocket::connected, this,
            [this] { m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1); });
    connect(m_socket, &QIODevice::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QIODevice::bytesWritten, this, &HttpConnection::restartTimer);
    connect(m_socket, &QAbstractSocket::errorOccurred, this, &HttpConnection::onSocketError);
    connect(m_socket, &QAbstractSocket::disconnected, this, &HttpConnection::onClosed);
    if (m_origin.isTls)
        static_cast<QSslSocket *>(m_socket)->connectToHostEncrypted(m_origin.host, m_origin.port);
    else
        m_socket->connectToHost(m_origin.host, m_origin.port);
}

void HttpConnection::start(SendHandle *handle, const QByteArray &request, bool isStaleRetry)
{
    m_idleTimer.stop();
    m_handle = handle;
    handle->m_connection = this;
    m_request = request;
    m_isStaleRetry = isStaleRetry;
    m_buffer.clear();
    m_bufferPos = 0;
    m_received = 0;
    m_phase = Phase::StatusLine;
    m_status = 0;
    m_reason.clear();
    m_headers.clear();
    m_headerBytes = 0;
    m_remaining = 0;
    m_bodySize = 0;
    m_untilClose = false;
    m_keepAlive = true;
    m_isHttp10 = false;
    m_isReused = m_socket != nullptr;
    if (!m_socket)
        open();
    m_socket->write(request); // buffered by the socket until it is connected
    if (m_socket->state() == QAbstractSocket::ConnectedState && !m_origin.isTls)
        m_socket->flush(); // now, rather than on the next turn of the event loop
    m_timer.start(int(std::min<qint64>(handle->m_timeout.count(), std::numeric_limits<int>::max())));
}

void HttpConnection::restartTimer()
{
    if (m_handle)
        m_timer.start();
}

void HttpConnection::abortCurrent()
{
    if (m_handle)
        fail(SendResult::Error::Aborted, SendHandle::tr("cancelled"));
}

void HttpConnection::detach()
{
    m_handle = nullptr;
    breakConnection();
}

void HttpConnection::breakConnection()
{
    m_broken = true;
    m_timer.stop();
    m_idleTimer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    m_pool->discard(this);
}

void HttpConnection::onReadyRead()
{
    const QByteArray data = m_socket->readAll();
    if (!m_handle) {
        // Bytes on an idle connection: nothing is owed on it, so it cannot be trusted any more.
        breakConnection();
        return;
    }
    m_received += data.size();
    if (m_bufferPos > 0 && m_bufferPos == m_buffer.size()) {
        m_buffer.clear();
        m_bufferPos = 0;
    }
    m_buffer += data;
    restartTimer();
    parse();
}

bool HttpConnection::readLine(QByteArray *line)
{
    const qsizetype end = m_buffer.indexOf('\n', m_bufferPos);
    if (end < 0) {
        if (m_buffer.size() - m_bufferPos > MaxHeaderBytes) {
            fail(SendResult::Error::NetworkError, SendHandle::tr("the server sent a malformed response (a line "
                                                                 "longer than 64 KiB)"));
        }
        return false;
    }
    qsizetype len = end - m_bufferPos;
    if (len > 0 && m_buffer.at(end - 1) == '\r')
        --len;
    *line = m_buffer.mid(m_bufferPos, len);
    m_bufferPos = end + 1;
    return true;
}

bool HttpConnection::parse()
{
    const auto malformed = [this](const QString &what) {
        fail(SendResult::Error::NetworkError, SendHandle::tr("the server sent a malformed response (%1)").arg(what));
        return false;
    };
    QByteArray line;
    while (m_handle) {
        switch (m_phase) {
        case Phase::StatusLine: {
            if (!readLine(&line))
                return bool(m_handle);
            if (line.isEmpty())
                continue; // tolerated before a status line
            // "HTTP/1.1 200 OK"
            if (!line.startsWith("HTTP/1.") || line.size() < 12 || line.at(8) != ' ')
                return malformed(SendHandle::tr("status line \"%1\"").arg(QString::fromLatin1(line.left(40))));
            bool ok = false;
            m_status = line.mid(9, 3).toInt(&ok);
            if (!ok || m_status < 100 || m_status > 999)
                return malformed(SendHandle::tr("status line \"%1\"").arg(QString::fromLatin1(line.left(40))));
            m_isHttp10 = line.at(7) == '0';
            m_reason = line.mid(13).trimmed();
            m_headers.clear();
            m_headerBytes = 0;
            m_phase = Phase::Headers;
            break;
        }
        case Phase::Headers: {
            if (!readLine(&line))
                return bool(m_handle);
            m_headerBytes += line.size() + 2;
            if (m_headerBytes > MaxHeaderBytes)
                return malformed(SendHandle::tr("headers over 64 KiB"));
            if (!line.isEmpty()) {
                const qsizetype colon = line.indexOf(':');
                if (colon <= 0)
                    return malformed(SendHandle::tr("header line \"%1\"").arg(QString::fromLatin1(line.left(40))));
                m_headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
                continue;
            }
            headersDone();
            if (m_phase == Phase::StatusLine) // a 1xx interim response: the real one follows
                continue;
            if (m_phase == Phase::Done) {
                succeed();
                return true;
            }
            break;
        }
        case Phase::Body: {
            const qint64 available = m_buffer.size() - m_bufferPos;
            if (m_untilClose) {
                m_bodySize += available;
                m_bufferPos = m_buffer.size();
                return true; // ends when the server closes
            }
            const qint64 take = std::min(available, m_remaining);
            m_bodySize += take;
            m_remaining -= take;
            m_bufferPos += take;
            if (m_remaining > 0)
                return true;
            m_phase = Phase::Done;
            succeed();
            return true;
        }
        case Phase::ChunkSize: {
            if (!readLine(&line))
                return bool(m_handle);
            const qsizetype semicolon = line.indexOf(';');
            bool ok = false;
            m_remaining = (semicolon < 0 ? line : line.left(semicolon)).trimmed().toLongLong(&ok, 16);
            if (!ok || m_remaining < 0)
                return malformed(SendHandle::tr("chunk size \"%1\"").arg(QString::fromLatin1(line.left(20))));
            m_phase = m_remaining == 0 ? Phase::Trailers : Phase::ChunkData;
            break;
        }
        case Phase::ChunkData: {
            const qint64 take = std::min<qint64>(m_buffer.size() - m_bufferPos, m_remaining);
            m_bodySize += take;
            m_remaining -= take;
            m_bufferPos += take;
            if (m_remaining > 0)
                return true;
            m_phase = Phase::ChunkEnd;
            break;
        }
        case Phase::ChunkEnd:
            if (!readLine(&line))
                return bool(m_handle);
            if (!line.isEmpty())
                return malformed(SendHandle::tr("no line end after a chunk"));
            m_phase = Phase::ChunkSize;
            break;
        case Phase::Trailers:
            if (!readLine(&line))
                return bool(m_handle);
            if (line.isEmpty()) {
                m_phase = Phase::Done;
                succeed();
                return true;
            }
            break;
        case Phase::Done:
            return true;
        }
    }
    return false;
}

void HttpConnection::headersDone()
{
    if (m_status >= 100 && m_status < 200 && m_status != 101) {
        m_phase = Phase::StatusLine;
        return;
    }
    QByteArray connection, transferEncoding, contentLength;
    for (const auto &[name, value] : std::as_const(m_headers)) {
        if (name.compare("Connection", Qt::CaseInsensitive) == 0)
            connection += value.toLower() + ',';
        else if (name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0)
            transferEncoding += value.toLower() + ',';
        else if (name.compare("Content-Length", Qt::CaseInsensitive) == 0)
            contentLength = value;
    }
    m_keepAlive = m_isHttp10 ? connection.contains("keep-alive") : !connection.contains("close");
    if (m_status == 204 || m_status == 304 || m_status == 101) {
        m_phase = Phase::Done;
        if (m_status == 101)
            m_keepAlive = false;
    } else if (transferEncoding.contains("chunked")) {
        m_phase = Phase::ChunkSize;
    } else if (!contentLength.isEmpty()) {
        bool ok = false;
        m_remaining = contentLength.toLongLong(&ok);
        if (!ok || m_remaining < 0) {
            fail(SendResult::Error::NetworkError, SendHandle::tr("the server sent a malformed response "
                                                                 "(Content-Length \"%1\")")
                                                          .arg(QString::fromLatin1(contentLength.left(20))));
            return;
        }
        m_phase = m_remaining == 0 ? Phase::Done : Phase::Body;
    } else {
        m_untilClose = true;
        m_keepAlive = false;
        m_phase = Phase::Body;
    }
}

void HttpConnection::succeed()
{
    SendHandle *handle = m_handle;
    m_handle = nullptr;
    m_timer.stop();
    handle->m_connection = nullptr;
    handle->m_result.httpStatus = m_status;
    handle->m_reasonPhrase = QString::fromLatin1(m_reason);
    handle->m_result.headers = m_headers;
    handle->m_result.bodySize = m_bodySize;
    // Back to the pool before the handle reports: its receiver may start the next request at once.
    const bool leftovers = m_bufferPos < m_buffer.size();
    if (m_keepAlive && !leftovers && m_socket->state() == QAbstractSocket::ConnectedState)
        m_pool->release(this);
    else
        breakConnection();
    handle->complete(SendResult::Error::NoError, {});
}

void HttpConnection::fail(SendResult::Error error, const QString &words)
{
    SendHandle *handle = m_handle;
    if (!handle)
        return;
    m_handle = nullptr;
    handle->m_connection = nullptr;
    handle->m_result.httpStatus = m_phase == Phase::StatusLine ? 0 : m_status;
    handle->m_result.headers = m_headers;
    handle->m_result.bodySize = m_bodySize;
    breakConnection();
    handle->complete(error, words);
}

void HttpConnection::onSocketError(QAbstractSocket::SocketError error)
{
    if (!m_handle) {
        breakConnection();
        return;
    }
    using Error = SendResult::Error;
    switch (error) {
    case QAbstractSocket::RemoteHostClosedError:
        onClosed();
        return;
    case QAbstractSocket::ConnectionRefusedError:
        fail(Error::ConnectionRefused, SendHandle::tr("connection refused by %1:%2 (is anything listening there?)")
                                               .arg(m_origin.host)
                                               .arg(m_origin.port));
        return;
    case QAbstractSocket::HostNotFoundError:
        fail(Error::HostNotFound, SendHandle::tr("host %1 not found").arg(m_origin.host));
        return;
    case QAbstractSocket::SocketTimeoutError:
        fail(Error::Timeout, SendHandle::tr("the connection timed out"));
        return;
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
        fail(Error::TlsError, SendHandle::tr("TLS handshake with %1 failed: %2")
                                      .arg(m_origin.host, m_handle->m_tlsErrors.isEmpty()
                                                                  ? m_socket->errorString()
                                                                  : m_handle->m_tlsErrors.join(QLatin1String("; "))));
        return;
    default:
        fail(Error::NetworkError, m_socket->errorString());
        return;
    }
}

void HttpConnection::onClosed()
{
    if (!m_handle) {
        breakConnection();
        return;
    }
    if (m_phase == Phase::Body && m_untilClose) {
        m_phase = Phase::Done;
        succeed();
        return;
    }
    if (m_received == 0 && m_isReused && !m_isStaleRetry) {
        // A kept-alive connection the server had already closed: the request never reached it.
        // Send it once more on a new connection, as browsers do; it is not a new attempt.
        SendHandle *handle = m_handle;
        const QByteArray request = m_request;
        m_handle = nullptr;
        handle->m_connection = nullptr;
        breakConnection();
        m_pool->acquire(m_origin, true)->start(handle, request, true);
        return;
    }
    fail(SendResult::Error::ConnectionClosed,
         m_phase == Phase::StatusLine
                 ? SendHandle::tr("the server closed the connection without a response")
                 : SendHandle::tr("the server closed the connection in the middle of its response (HTTP %1)")
                           .arg(m_status));
}

// ---------------------------------------------------------------------------------------------

SendHandle::SendHandle(const SendRequest &request,
                       const QByteArray &apiKey,
                       std::chrono::milliseconds timeout,
                       QObject *parent)
    : QObject(parent)
    , m_request(request)
    , m_apiKey(apiKey)
    , m_timeout(timeout)
{
    m_result.state = SendResult::State::InFlight;
    m_result.attempts = 1;
    m_result.warnings = request.warnings;
    m_elapsed.start();
}

SendHandle::~SendHandle()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
    if (m_connection)
        m_connection->detach();
}

void SendHandle::startWithAccessManager(QNetworkAccessManager *manager, const QUrl &url, const QByteArray &userAgent)
{
    QNetworkRequest request(url);
    request.setTransferTimeout(int(std::min<qint64>(m_timeout.count(), std::numeric_limits<int>::max())));
    // Not following redirects: the key is in the URL and would go wherever the server points.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    if (!userAgent.isEmpty())
        request.setHeader(QNetworkRequest::UserAgentHeader, userAgent);

    if (m_request.method == HttpMethod::Post) {
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
        m_reply = manager->post(request, m_request.wireWithKey(m_apiKey));
    } else {
        m_reply = manager->get(request);
    }
    QNetworkReply *reply = m_reply;
    connect(reply, &QNetworkReply::sslErrors, this, [this](const QList<QSslError> &errors) {
        for (const QSslError &e : errors)
            m_tlsErrors << e.errorString();
    });
    // The body is counted, not kept: a tracking pixel is all that should come back.
    connect(reply, &QIODevice::readyRead, this,
            [this, reply] { m_result.bodySize += qMax<qint64>(reply->skip(reply->bytesAvailable()), 0); });
    connect(reply, &QNetworkReply::finished, this, &SendHandle::onReplyFinished);
}

void SendHandle::failEarly(SendResult::Error error, const QString &reason)
{
    // Queued: the caller connects to finished() after send() returns.
    QTimer::singleShot(0, this, [this, error, reason] {
        if (!m_finished)
            complete(error, reason);
    });
}

void SendHandle::abort()
{
    if (m_finished)
        return;
    m_abortRequested = true;
    if (m_reply) {
        m_reply->abort(); // emits finished() synchronously: onReplyFinished() runs
        return;
    }
    if (m_connection) {
        m_connection->abortCurrent(); // calls complete()
        return;
    }
    complete(SendResult::Error::Aborted, tr("cancelled"));
}

void SendHandle::onReplyFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply || m_finished)
        return;
    m_reply = nullptr;
    if (reply->isOpen())
        m_result.bodySize += qMax<qint64>(reply->skip(reply->bytesAvailable()), 0);
    m_result.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    m_result.headers = reply->rawHeaderPairs();
    m_reasonPhrase = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    const QUrl url = reply->url();

    using Error = SendResult::Error;
    Error kind = Error::NoError;
    QString words;
    switch (reply->error()) {
    case QNetworkReply::NoError:
        break;
    case QNetworkReply::ConnectionRefusedError:
        kind = Error::ConnectionRefused;
        words = tr("connection refused by %1 (is anything listening there?)").arg(hostPort(url));
        break;
    case QNetworkReply::RemoteHostClosedError:
        kind = Error::ConnectionClosed;
        words = m_result.httpStatus ? tr("the server closed the connection in the middle of its response (HTTP %1)")
                                              .arg(m_result.httpStatus)
                                    : tr("the server closed the connection without a response");
        break;
    case QNetworkReply::HostNotFoundError:
        kind = Error::HostNotFound;
        words = tr("host %1 not found").arg(url.host());
        break;
    case QNetworkReply::TimeoutError:
        kind = Error::Timeout;
        words = tr("no data for %1 ms: timed out").arg(m_timeout.count());
        break;
    case QNetworkReply::OperationCanceledError:
        // The transfer timeout aborts the reply the same way abort() does.
        if (m_abortRequested) {
            kind = Error::Aborted;
            words = tr("cancelled");
        } else {
            kind = Error::Timeout;
            words = tr("no data for %1 ms: timed out").arg(m_timeout.count());
        }
        break;
    case QNetworkReply::SslHandshakeFailedError:
        kind = Error::TlsError;
        words = tr("TLS handshake with %1 failed: %2")
                        .arg(url.host(),
                             m_tlsErrors.isEmpty() ? reply->errorString() : m_tlsErrors.join(QLatin1String("; ")));
        break;
    case QNetworkReply::ProtocolUnknownError:
    case QNetworkReply::ProtocolInvalidOperationError:
        if (m_result.httpStatus > 0) // how Qt reports a 400
            break;
        kind = Error::InvalidRequest;
        words = tr("cannot send to %1: %2").arg(url.scheme(), reply->errorString());
        break;
    default:
        // A status with an error is the status's story (404 is ContentNotFoundError, ...).
        if (m_result.httpStatus == 0) {
            kind = Error::NetworkError;
            words = reply->errorString();
        }
        break;
    }
    reply->disconnect(this);
    reply->deleteLater();
    complete(kind, words);
}

void SendHandle::complete(SendResult::Error error, const QString &words)
{
    if (m_finished)
        return;
    using Error = SendResult::Error;
    QString reason = words;
    if (error == Error::NoError && (m_result.httpStatus < 200 || m_result.httpStatus >= 300)) {
        error = Error::HttpError;
        reason = QStringLiteral("HTTP %1").arg(m_result.httpStatus);
        if (!m_reasonPhrase.isEmpty())
            reason += QLatin1Char(' ') + m_reasonPhrase;
        if (m_result.httpStatus >= 300 && m_result.httpStatus < 400) {
            const QByteArray location = m_result.header(QByteArrayLiteral("Location"));
            reason += tr(": redirected to %1 (not followed; send to that target instead)")
                              .arg(location.isEmpty() ? tr("nowhere") : QString::fromUtf8(location));
        }
    }
    m_result.error = error;
    m_result.state = error == Error::NoError   ? SendResult::State::Sent
                     : error == Error::Aborted ? SendResult::State::Cancelled
                                               : SendResult::State::Failed;
    // Error texts and headers may echo the URL, key included.
    m_result.failureReason = redactSecrets(reason, QList<QByteArray>{m_apiKey});
    for (SendResult::Header &h : m_result.headers)
        h.second = redactSecrets(h.second, QList<QByteArray>{m_apiKey});
    finish();
}

void SendHandle::finish()
{
    m_finished = true;
    m_result.latencyMs = m_elapsed.elapsed();
    Q_EMIT finished(m_result);
    deleteLater();
}

// ---------------------------------------------------------------------------------------------

NetworkManager::NetworkManager(QObject *parent)
    : QObject(parent)
    , m_pool(new HttpConnectionPool(this))
    , m_userAgent(QByteArrayLiteral("kmtester"))
{
    auto *manager = new QNetworkAccessManager;
    m_owned << manager;
    m_lanes.append(Lane{manager, {}});
}

NetworkManager::NetworkManager(QNetworkAccessManager *manager, QObject *parent)
    : NetworkManager(parent)
{
    if (manager) {
        m_lanes.first().manager = manager;
        m_transport = Transport::AccessManager;
    }
}

NetworkManager::~NetworkManager()
{
    // Handles first: they abort their replies and connections.
    qDeleteAll(findChildren<SendHandle *>(Qt::FindDirectChildrenOnly));
    delete m_pool;
    qDeleteAll(m_owned);
}

QNetworkAccessManager *NetworkManager::accessManager() const
{
    return m_lanes.first().manager;
}

int NetworkManager::directConnectionCount() const
{
    return m_pool->count();
}

qsizetype NetworkManager::laneFor(const QString &origin)
{
    for (qsizetype i = 0; i < m_lanes.size(); ++i)
        if (m_lanes.at(i).busy.value(origin) < ConnectionsPerAccessManager)
            return i;
    auto *extra = new QNetworkAccessManager;
    extra->setProxy(m_lanes.first().manager->proxy());
    extra->setStrictTransportSecurityEnabled(m_lanes.first().manager->isStrictTransportSecurityEnabled());
    m_owned << extra;
    m_lanes.append(Lane{extra, {}});
    return m_lanes.size() - 1;
}

SendHandle *
NetworkManager::send(const SendRequest &request, const QByteArray &apiKey, std::chrono::milliseconds timeout)
{
    auto *handle = new SendHandle(request, apiKey, timeout, this);
    const QUrl url = requestUrl(request, apiKey);
    const QString scheme = url.scheme();
    const bool isHttps = scheme == QLatin1String("https");
    if (!url.isValid() || url.host().isEmpty() || (scheme != QLatin1String("http") && !isHttps)) {
        handle->failEarly(SendResult::Error::InvalidRequest,
                          tr("the target \"%1\" is not an http:// or https:// URL").arg(request.target));
        return handle;
    }
    if (isHttps && !QSslSocket::supportsSsl()) {
        handle->failEarly(SendResult::Error::TlsError, tr("TLS is not available on this system (no OpenSSL)"));
        return handle;
    }
    ++m_inFlight;
    connect(handle, &SendHandle::finished, this, [this] { --m_inFlight; });

    const bool direct = m_transport == Transport::Direct || (m_transport == Transport::Automatic && !isHttps);
    if (!direct) {
        const QString origin = originOf(url);
        const qsizetype lane = laneFor(origin);
        ++m_lanes[lane].busy[origin];
        connect(handle, &SendHandle::finished, this, [this, lane, origin] { --m_lanes[lane].busy[origin]; });
        handle->startWithAccessManager(m_lanes.at(lane).manager, url, m_userAgent);
        return handle;
    }

    // The request as it goes on the wire: request line from the target's own path.
    const QUrl base(request.target);
    QByteArray path = base.path(QUrl::FullyEncoded).toUtf8();
    while (path.endsWith('/'))
        path.chop(1);
    QByteArray target = path + '/' + endpointName(request.endpoint);
    if (request.method == HttpMethod::Get)
        target += '?' + request.wireWithKey(apiKey);
    const int port = url.port(defaultPort(url));
    const QByteArray host = url.host(QUrl::FullyEncoded).toUtf8();
    QByteArray hostHeader = host.contains(':') ? '[' + host + ']' : host;
    if (port != defaultPort(url))
        hostHeader += ':' + QByteArray::number(port);
    QByteArray bytes;
    bytes.reserve(target.size() + 160);
    bytes += request.method == HttpMethod::Post ? "POST " : "GET ";
    bytes += safeRequestTarget(target);
    bytes += " HTTP/1.1\r\nHost: ";
    bytes += hostHeader;
    if (!m_userAgent.isEmpty())
        bytes += "\r\nUser-Agent: " + safeRequestTarget(m_userAgent);
    bytes += "\r\nAccept: */*";
    QByteArray body;
    if (request.method == HttpMethod::Post) {
        body = request.wireWithKey(apiKey);
        bytes += "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ";
        bytes += QByteArray::number(body.size());
    }
    bytes += "\r\n\r\n";
    bytes += body;

    Origin origin;
    origin.key = originOf(url);
    origin.host = url.host();
    origin.port = quint16(port);
    origin.isTls = isHttps;
    m_pool->acquire(origin, false)->start(handle, bytes, false);
    return handle;
}

} // namespace km
