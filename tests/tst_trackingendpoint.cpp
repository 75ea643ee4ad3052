// The built-in Kissmetrics-compatible endpoint over real HTTP on 127.0.0.1: what it accepts and
// answers, what it refuses, how it records and decodes requests, and whether a received request
// is the one a preview predicted.

#include "engine.h"
#include "faultserver.h"
#include "gif.h"
#include "httpexchange.h"
#include "jsonreader.h"
#include "jsonwriter.h"
#include "outputformat.h"
#include "receivedrequest.h"
#include "settings.h"
#include "trackingendpoint.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <functional>
#include <memory>
#include <string>

using namespace km;

namespace {

using Reply = HttpReply;

// One request and its whole answer.
Reply send(QNetworkAccessManager &manager,
           const QByteArray &method,
           const QUrl &url,
           const QByteArray &body = {},
           const QByteArray &contentType = {})
{
    return httpExchange(manager, method, url, body, contentType);
}

// Bytes written as they are (QUrl would re-encode a target, QNetworkAccessManager choose the
// framing); returns everything read until the response that `done` waits for is complete.
QByteArray
rawExchange(quint16 port, const QList<QByteArray> &parts, const std::function<bool(const QByteArray &)> &done)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return {};
    QByteArray response;
    for (const QByteArray &part : parts) {
        socket.write(part);
        // qWaitFor, not waitForReadyRead: the endpoint runs in this thread's event loop.
        if (!QTest::qWaitFor(
                    [&] {
                        response += socket.readAll();
                        return done(response) || socket.state() != QAbstractSocket::ConnectedState;
                    },
                    part == parts.back() ? 20000 : 200)
            && part == parts.back())
            return response;
    }
    return response;
}

// True once a response's headers and its Content-Length of body have arrived.
bool hasWholeResponse(const QByteArray &response)
{
    const qsizetype end = response.lastIndexOf("\r\n\r\n");
    if (end < 0 || response.endsWith("100 Continue\r\n\r\n"))
        return false;
    const qsizetype at = response.indexOf("Content-Length: ", response.lastIndexOf("HTTP/1.1 "));
    return at >= 0
           && response.size() - end - 4 >= response.mid(at + 16, response.indexOf("\r\n", at) - at - 16).toLongLong();
}

int rawRequest(quint16 port, const QByteArray &requestLine)
{
    const QByteArray response = rawExchange(port, {requestLine + "\r\nHost: 127.0.0.1\r\n\r\n"}, hasWholeResponse);
    return response.mid(9, 3).toInt(); // "HTTP/1.1 200 OK"
}

std::string paramsJson(const ReceivedRequest &request)
{
    Arena arena;
    JsonWriter writer;
    writer.value(request.params(arena));
    return writer.buffer();
}

QByteArray formBody(qsizetype size)
{
    QByteArray body = "_n=Big&pad=";
    body.append(size - body.size(), 'x');
    return body;
}

QDateTime fixedTime()
{
    return QDateTime(QDate(2026, 11, 30), QTime(17, 0, 0, 123), Qt::UTC);
}

} // namespace

class TestTrackingEndpoint : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void transparentGif();
    void acceptsTrackingCalls_data();
    void acceptsTrackingCalls();
    void decodesParametersInOrder_data();
    void decodesParametersInOrder();
    void postWithQueryKeepsBoth();
    void keepsTheRawQuery_data();
    void keepsTheRawQuery();
    void refuses_data();
    void refuses();
    void bodyAtTheLimitIsAccepted();
    void cutsOffHugeUploads();
    void chunkedBodies_data();
    void chunkedBodies();
    void expectContinue();
    void headHasNoBody();
    void unknownMethod();
    void bindsToLoopbackOnly();
    void closeAndListenAgain();
    void portInUse();
    void historyIsCapped();
    void clockAndJsonLine();
    void decodedView();
    void jsonLineOfRefusedRequest();
    void previewedRequestsMatch_data();
    void previewedRequestsMatch();
    void changedParameterDoesNotMatch();
    void matchDifferences_data();
    void matchDifferences();
    void faultServerBehaviours_data();
    void faultServerBehaviours();
    void faultServerScriptAndHandler();
    void faultServerRefusedPort();

private:
    std::unique_ptr<TrackingEndpoint> m_endpoint;
    std::unique_ptr<QNetworkAccessManager> m_manager;
};

void TestTrackingEndpoint::init()
{
    m_endpoint = std::make_unique<TrackingEndpoint>();
    QVERIFY2(m_endpoint->listen(), qPrintable(m_endpoint->errorString()));
    m_manager = std::make_unique<QNetworkAccessManager>();
    // Never through a proxy from the environment: these requests go to 127.0.0.1 only.
    m_manager->setProxy(QNetworkProxy::NoProxy);
}

void TestTrackingEndpoint::cleanup()
{
    m_manager.reset();
    m_endpoint.reset();
}

void TestTrackingEndpoint::transparentGif()
{
    const QByteArray gif = km::transparentGif();
    QCOMPARE(gif.size(), 43);
    QVERIFY(gif.startsWith("GIF89a"));
    QCOMPARE(gif.back(), ';');
}

void TestTrackingEndpoint::acceptsTrackingCalls_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("method");
    for (const char *path : {"e", "s", "a"}) {
        for (const char *method : {"GET", "POST"})
            QTest::addRow("%s %s", method, path) << QString::fromLatin1(path) << QByteArray(method);
    }
}

void TestTrackingEndpoint::acceptsTrackingCalls()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, method);
    QSignalSpy spy(m_endpoint.get(), &TrackingEndpoint::requestReceived);
    const QByteArray params = "_k=key&_p=u1&_n=Signed%20Up";
    QUrl url = m_endpoint->baseUrl();
    url.setPath(QLatin1Char('/') + path);
    if (method == "GET")
        url.setQuery(QString::fromLatin1(params));
    const Reply reply = send(*m_manager, method, url, method == "POST" ? params : QByteArray(),
                             method == "POST" ? QByteArray("application/x-www-form-urlencoded") : QByteArray());
    QCOMPARE(reply.error, QNetworkReply::NoError);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.body, km::transparentGif());
    QCOMPARE(reply.contentType, QByteArray("image/gif"));
    QCOMPARE(reply.cacheControl, QByteArray("no-cache"));

    QCOMPARE(spy.count(), 1);
    const auto received = m_endpoint->received();
    QCOMPARE(received.size(), 1);
    const ReceivedRequest &r = received.first();
    QCOMPARE(spy.first().first().value<ReceivedRequest>(), r);
    QCOMPARE(r.endpoint(), path.toStdString());
    QCOMPARE(r.method(), method.toStdString());
    QCOMPARE(r.status(), 200);
    QVERIFY(r.isAccepted());
    QCOMPARE(r.clientAddress(), QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(r.receivedAt().timeSpec(), Qt::UTC);
    QVERIFY(qAbs(r.receivedAt().secsTo(QDateTime::currentDateTimeUtc())) < 60);
    QCOMPARE(paramsJson(r), std::string(R"({"_k":"key","_p":"u1","_n":"Signed Up"})"));
    if (method == "POST")
        QCOMPARE(r.body(), params);
    else
        QCOMPARE(r.query(), params);
}

void TestTrackingEndpoint::decodesParametersInOrder_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<std::string>("params");

    QTest::newRow("order kept") << QByteArray("z=1&a=2&m=3") << std::string(R"({"z":"1","a":"2","m":"3"})");
    QTest::newRow("plus and %20 are spaces")
            << QByteArray("a+b=c+d&e%20f=g%20h") << std::string(R"({"a b":"c d","e f":"g h"})");
    QTest::newRow("encoded plus stays") << QByteArray("p=1%2B1") << std::string(R"({"p":"1+1"})");
    QTest::newRow("repeated key is a list")
            << QByteArray("tags=a&x=1&tags=b&tags=c") << std::string(R"({"tags":["a","b","c"],"x":"1"})");
    QTest::newRow("bare key is null") << QByteArray("_p=u1&gone&empty=")
                                      << std::string(R"({"_p":"u1","gone":null,"empty":""})");
    QTest::newRow("UTF-8")
            << QByteArray("_n=%C3%89t%C3%A9%20%F0%9F%9A%80&%E5%90%8D=%E5%80%A4")
            << std::string("{\"_n\":\"\xC3\x89t\xC3\xA9 \xF0\x9F\x9A\x80\",\"\xE5\x90\x8D\":\"\xE5\x80\xA4\"}");
    QTest::newRow("invalid UTF-8 replaced") << QByteArray("a=%FFx") << std::string("{\"a\":\"\xEF\xBF\xBDx\"}");
    QTest::newRow("brackets taken literally")
            << QByteArray("items%5B0%5D=a&items%5B1%5D=b") << std::string(R"({"items[0]":"a","items[1]":"b"})");
    QTest::newRow("malformed percent kept")
            << QByteArray("a=100%25&b=%zz&c=%4") << std::string(R"({"a":"100%","b":"%zz","c":"%4"})");
    QTest::newRow("empty pairs skipped") << QByteArray("&a=1&&b=2&") << std::string(R"({"a":"1","b":"2"})");
    QTest::newRow("= inside a value") << QByteArray("q=a%3Db=c") << std::string(R"({"q":"a=b=c"})");
    QTest::newRow("reserved characters") << QByteArray("s=%26%3D%3F%23%2F") << std::string(R"({"s":"&=?#/"})");
}

void TestTrackingEndpoint::decodesParametersInOrder()
{
    QFETCH(QByteArray, wire);
    QFETCH(std::string, params);

    // Without the network first, then the same text as a query and as a form body.
    ReceivedRequest offline;
    offline.setParameters(decodeFormParams(std::string_view(wire.constData(), wire.size())));
    QCOMPARE(paramsJson(offline), params);

    QCOMPARE(rawRequest(m_endpoint->port(), "GET /e?" + wire + " HTTP/1.1"), 200);
    QUrl url = m_endpoint->baseUrl();
    url.setPath(QStringLiteral("/e"));
    QCOMPARE(send(*m_manager, "POST", url, wire, "application/x-www-form-urlencoded").status, 200);
    const auto received = m_endpoint->received();
    QCOMPARE(received.size(), 2);
    QCOMPARE(received.at(0).query(), wire);
    QCOMPARE(paramsJson(received.at(0)), params);
    QCOMPARE(paramsJson(received.at(1)), params);
    QCOMPARE(received.at(0).parameters(), offline.parameters());
    QCOMPARE(received.at(1).parameters(), offline.parameters());
}

void TestTrackingEndpoint::postWithQueryKeepsBoth()
{
    const QUrl url(m_endpoint->baseUrl().toString() + QStringLiteral("/e?from=query"));
    QCOMPARE(send(*m_manager, "POST", url, "from=body&_n=x", "application/x-www-form-urlencoded; charset=UTF-8").status,
             200);
    const ReceivedRequest r = m_endpoint->received().first();
    QCOMPARE(paramsJson(r), std::string(R"({"from":["query","body"],"_n":"x"})"));
    QCOMPARE(r.query(), QByteArray("from=query"));
    QCOMPARE(r.body(), QByteArray("from=body&_n=x"));
}

void TestTrackingEndpoint::keepsTheRawQuery_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<std::string>("endpoint");
    // The percent-encoding qs writes (only A-Z a-z 0-9 - . _ ~ as they are).
    QTest::newRow("qs encoding") << QByteArray(
            "/e?_n=Viewed%20Page%20%2F%20%C3%A9&url=https%3A%2F%2Fx.io%2Fa%3Fb%3D1%26c%3D2&t%5B0%5D=~a.b-c_d")
                                 << QByteArray("_n=Viewed%20Page%20%2F%20%C3%A9&url=https%3A%2F%2Fx.io%2Fa%3Fb%3D1%26c%"
                                               "3D2&t%5B0%5D=~a.b-c_d")
                                 << std::string("e");
    // What QUrl would rewrite: encoded unreserved characters, lower-case hex, a stray '%'.
    QTest::newRow("unusual encoding") << QByteArray("/s?a=%7e%41%2b&b=100%&c=%25")
                                      << QByteArray("a=%7e%41%2b&b=100%&c=%25") << std::string("s");
    QTest::newRow("raw UTF-8") << QByteArray("/e?n=\xC3\xA9t\xC3\xA9") << QByteArray("n=\xC3\xA9t\xC3\xA9")
                               << std::string("e");
    QTest::newRow("refused path") << QByteArray("/%7euser/x?y=%7e") << QByteArray("y=%7e") << std::string("/%7euser/x");
}

void TestTrackingEndpoint::keepsTheRawQuery()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, query);
    QFETCH(std::string, endpoint);
    QVERIFY(rawRequest(m_endpoint->port(), "GET " + target + " HTTP/1.1") > 0);
    const ReceivedRequest r = m_endpoint->received().first();
    QCOMPARE(r.query(), query);
    QCOMPARE(r.endpoint(), endpoint);
    QCOMPARE(r.parameters(), decodeFormParams(query.toStdString()));
}

void TestTrackingEndpoint::refuses_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<std::string>("recordedEndpoint");

    const QByteArray form = "application/x-www-form-urlencoded";
    QTest::newRow("other path") << QByteArray("GET") << QStringLiteral("/favicon.ico?x=1") << QByteArray()
                                << QByteArray() << 404 << QByteArray("/e, /s and /a") << std::string("/favicon.ico");
    QTest::newRow("trailing slash") << QByteArray("GET") << QStringLiteral("/e/") << QByteArray() << QByteArray() << 404
                                    << QByteArray("Not found") << std::string("/e/");
    QTest::newRow("root") << QByteArray("GET") << QStringLiteral("/") << QByteArray() << QByteArray() << 404
                          << QByteArray("Not found") << std::string("/");
    QTest::newRow("PUT") << QByteArray("PUT") << QStringLiteral("/e?_n=x") << QByteArray("_n=x") << form << 405
                         << QByteArray("PUT not allowed") << std::string("e");
    QTest::newRow("DELETE") << QByteArray("DELETE") << QStringLiteral("/s") << QByteArray() << QByteArray() << 405
                            << QByteArray("DELETE not allowed") << std::string("s");
    QTest::newRow("body over the limit") << QByteArray("POST") << QStringLiteral("/e") << formBody(1001) << form << 413
                                         << QByteArray("1001 bytes is over the limit of 1000") << std::string("e");
    QTest::newRow("JSON body") << QByteArray("POST") << QStringLiteral("/e") << QByteArray(R"({"_n":"x"})")
                               << QByteArray("application/json") << 415 << QByteArray("\"application/json\"")
                               << std::string("e");
    QTest::newRow("text body") << QByteArray("POST") << QStringLiteral("/a") << QByteArray("_n=x")
                               << QByteArray("text/plain") << 415 << QByteArray("application/x-www-form-urlencoded")
                               << std::string("a");
    QTest::newRow("no content type") << QByteArray("POST") << QStringLiteral("/e") << QByteArray("_n=x") << QByteArray()
                                     << 415 << QByteArray("without Content-Type") << std::string("e");
}

void TestTrackingEndpoint::refuses()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(int, status);
    QFETCH(QByteArray, message);
    QFETCH(std::string, recordedEndpoint);

    m_endpoint->setMaxBodySize(1000);
    QSignalSpy spy(m_endpoint.get(), &TrackingEndpoint::requestReceived);
    const Reply reply = send(*m_manager, method, QUrl(m_endpoint->baseUrl().toString() + path), body, contentType);
    QCOMPARE(reply.status, status);
    QVERIFY2(reply.body.contains(message), reply.body.constData());
    QVERIFY(reply.contentType.startsWith("text/plain"));
    if (status == 405)
        QCOMPARE(reply.allow, QByteArray("GET, POST"));

    QCOMPARE(spy.count(), 1);
    const ReceivedRequest r = m_endpoint->received().first();
    QCOMPARE(r.status(), status);
    QVERIFY(!r.isAccepted());
    QCOMPARE(r.endpoint(), recordedEndpoint);
    QCOMPARE(r.method(), method.toStdString());
    QCOMPARE(r.body(), status == 413 ? QByteArray() : body); // an oversized body is not kept
    // A refused body is not decoded: only what the query says.
    QCOMPARE(r.parameters(), decodeFormParams(r.query().toStdString()));
}

void TestTrackingEndpoint::bodyAtTheLimitIsAccepted()
{
    m_endpoint->setMaxBodySize(1000);
    const QUrl url(m_endpoint->baseUrl().toString() + QStringLiteral("/e"));
    QCOMPARE(send(*m_manager, "POST", url, formBody(1000), "application/x-www-form-urlencoded").status, 200);
    QCOMPARE(m_endpoint->received().first().value("pad")->size(), std::size_t(1000 - 11));
}

void TestTrackingEndpoint::cutsOffHugeUploads()
{
    // Far over the limit: refused while it is still arriving rather than buffered whole.
    m_endpoint->setMaxBodySize(1000);
    QSignalSpy spy(m_endpoint.get(), &TrackingEndpoint::requestReceived);
    const QUrl url(m_endpoint->baseUrl().toString() + QStringLiteral("/e?_p=u1"));
    const Reply reply = send(*m_manager, "POST", url, formBody(1024 * 1024), "application/x-www-form-urlencoded");
    // The upload is read to its end and thrown away, so the client gets to read the answer.
    QCOMPARE(reply.status, 413);
    QCOMPARE(reply.body, QByteArray("Body of 1048576 bytes is over the limit of 1000 bytes.\n"));
    QTRY_COMPARE(spy.count(), 1);
    const ReceivedRequest r = m_endpoint->received().first();
    QCOMPARE(r.status(), 413);
    QCOMPARE(r.method(), std::string("POST"));
    QCOMPARE(r.endpoint(), std::string("e"));
    QCOMPARE(paramsJson(r), std::string(R"({"_p":"u1"})"));
    QVERIFY(r.body().isEmpty());

    // The endpoint goes on serving.
    QCOMPARE(send(*m_manager, "GET", QUrl(m_endpoint->baseUrl().toString() + QStringLiteral("/e?_n=next"))).status,
             200);
}

void TestTrackingEndpoint::chunkedBodies_data()
{
    QTest::addColumn<qsizetype>("size");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("message");
    // Without Content-Length the size is only known once the body is in, or once too much came.
    QTest::newRow("at the limit") << qsizetype(1000) << 200 << QByteArray();
    QTest::newRow("over the limit") << qsizetype(1001) << 413
                                    << QByteArray("Body of 1001 bytes is over the limit of 1000 bytes.\n");
    QTest::newRow("far over") << qsizetype(512 * 1024) << 413
                              << QByteArray("Request of over 66536 bytes refused: the body limit is 1000 bytes.\n");
}

void TestTrackingEndpoint::chunkedBodies()
{
    QFETCH(qsizetype, size);
    QFETCH(int, status);
    QFETCH(QByteArray, message);
    m_endpoint->setMaxBodySize(1000);
    QList<QByteArray> parts = {"POST /e?_p=c HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                               "Content-Type: application/x-www-form-urlencoded\r\n\r\n"};
    const QByteArray body = formBody(size);
    for (qsizetype at = 0; at < body.size(); at += 16 * 1024) {
        const QByteArray chunk = body.mid(at, 16 * 1024);
        parts.last() += QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n";
    }
    parts.last() += "0\r\n\r\n";
    const QByteArray response = rawExchange(m_endpoint->port(), parts, hasWholeResponse);
    QVERIFY2(response.startsWith("HTTP/1.1 " + QByteArray::number(status)), response.left(200).constData());
    if (!message.isEmpty())
        QVERIFY(response.endsWith("\r\n\r\n" + message));
    QTRY_COMPARE(m_endpoint->received().size(), 1);
    const ReceivedRequest r = m_endpoint->received().first();
    QCOMPARE(r.status(), status);
    QCOMPARE(r.body().size(), status == 200 ? size : 0);
    QCOMPARE(r.person(), std::optional<std::string>("c"));
}

void TestTrackingEndpoint::expectContinue()
{
    // The body only goes once "100 Continue" came back (a client waits for it, curl up to 1 s).
    const QByteArray head = "POST /e HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
                            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 8\r\n\r\n";
    QByteArray response =
            rawExchange(m_endpoint->port(), {head}, [](const QByteArray &r) { return r.contains("\r\n\r\n"); });
    QCOMPARE(response, QByteArray("HTTP/1.1 100 Continue\r\n\r\n"));
    response = rawExchange(m_endpoint->port(), {head, "_n=Hello"}, hasWholeResponse);
    QVERIFY2(response.startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 "), response.constData());
    QTRY_COMPARE(m_endpoint->received().size(), 1); // the first one's body never came: not answered
    QCOMPARE(m_endpoint->received().first().eventName(), std::optional<std::string>("Hello"));

    // Declared too large: refused at once, before any body.
    m_endpoint->setMaxBodySize(4);
    response = rawExchange(m_endpoint->port(), {head}, hasWholeResponse);
    QVERIFY2(response.startsWith("HTTP/1.1 413 "), response.constData());
    QVERIFY(response.endsWith("Body of 8 bytes is over the limit of 4 bytes.\n"));
}

void TestTrackingEndpoint::headHasNoBody()
{
    // Two requests on one connection: a body after the HEAD answer would be read as the next one.
    const QByteArray response = rawExchange(
            m_endpoint->port(),
            {"HEAD /e HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /e?_n=x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"},
            [](const QByteArray &r) { return r.count("HTTP/1.1 ") == 2 && r.endsWith(km::transparentGif()); });
    QVERIFY2(response.startsWith("HTTP/1.1 405 "), response.constData());
    QVERIFY(response.contains("Content-Length: 0\r\n"));
    QCOMPARE(response.count("HTTP/1.1 "), 2);
    QVERIFY(response.contains("\r\n\r\nHTTP/1.1 200 "));
}

void TestTrackingEndpoint::unknownMethod()
{
    QCOMPARE(rawRequest(m_endpoint->port(), "PURGE /e?_n=x HTTP/1.1"), 405);
    const ReceivedRequest r = m_endpoint->received().first();
    QCOMPARE(r.method(), std::string("PURGE"));
    QCOMPARE(r.endpoint(), std::string("e"));
    QCOMPARE(r.status(), 405);
}

void TestTrackingEndpoint::bindsToLoopbackOnly()
{
    QCOMPARE(m_endpoint->baseUrl().host(), QStringLiteral("127.0.0.1"));
    QCOMPARE(m_endpoint->baseUrl().port(), int(m_endpoint->port()));
    QVERIFY(m_endpoint->port() != 0);

    // Another loopback address: it reaches this machine, but a socket bound to 127.0.0.1 alone (not
    // to every address) refuses it. Tests never connect to anything outside 127.0.0.0/8.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress(QStringLiteral("127.0.0.2")), m_endpoint->port());
    QVERIFY(!socket.waitForConnected(5000));
    QCOMPARE(socket.error(), QAbstractSocket::ConnectionRefusedError);
}

void TestTrackingEndpoint::closeAndListenAgain()
{
    const quint16 port = m_endpoint->port();
    QVERIFY(m_endpoint->isListening());
    m_endpoint->close();
    QVERIFY(!m_endpoint->isListening());
    QCOMPARE(m_endpoint->port(), quint16(0));
    QVERIFY(m_endpoint->baseUrl().isEmpty());

    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(!socket.waitForConnected(5000));
    QCOMPARE(socket.error(), QAbstractSocket::ConnectionRefusedError);

    QVERIFY2(m_endpoint->listen(port), qPrintable(m_endpoint->errorString()));
    QCOMPARE(m_endpoint->port(), port);
    QCOMPARE(send(*m_manager, "GET", QUrl(m_endpoint->baseUrl().toString() + QStringLiteral("/s?_p=u"))).status, 200);
}

void TestTrackingEndpoint::portInUse()
{
    TrackingEndpoint second;
    QVERIFY(!second.listen(m_endpoint->port()));
    QVERIFY(!second.errorString().isEmpty());
    QVERIFY(!second.isListening());
}

void TestTrackingEndpoint::historyIsCapped()
{
    QCOMPARE(m_endpoint->maxHistory(), TrackingEndpoint::DefaultMaxHistory);
    QCOMPARE(m_endpoint->maxBodySize(), TrackingEndpoint::DefaultMaxBodySize);
    m_endpoint->setMaxHistory(3);
    QSignalSpy spy(m_endpoint.get(), &TrackingEndpoint::requestReceived);
    for (int i = 1; i <= 5; ++i)
        QCOMPARE(send(*m_manager, "GET", QUrl(m_endpoint->baseUrl().toString() + QStringLiteral("/e?i=%1").arg(i)))
                         .status,
                 200);
    QCOMPARE(spy.count(), 5);
    auto received = m_endpoint->received();
    QCOMPARE(received.size(), 3);
    QCOMPARE(*received.at(0).value("i"), std::string("3"));
    QCOMPARE(*received.at(2).value("i"), std::string("5"));

    m_endpoint->setMaxHistory(1); // shrinking drops the oldest at once
    received = m_endpoint->received();
    QCOMPARE(received.size(), 1);
    QCOMPARE(*received.at(0).value("i"), std::string("5"));

    m_endpoint->clearReceived();
    QVERIFY(m_endpoint->received().isEmpty());

    m_endpoint->setMaxHistory(0); // keeps nothing, still tells
    QCOMPARE(send(*m_manager, "GET", QUrl(m_endpoint->baseUrl().toString() + QStringLiteral("/e?i=6"))).status, 200);
    QCOMPARE(spy.count(), 6);
    QVERIFY(m_endpoint->received().isEmpty());
}

void TestTrackingEndpoint::clockAndJsonLine()
{
    m_endpoint->setClock(fixedTime);
    QCOMPARE(send(*m_manager, "GET",
                  QUrl(m_endpoint->baseUrl().toString()
                       + QStringLiteral("/e?_k=key&_p=u1&_n=Signed+Up&tags=a&tags=b&gone&_t=1764522000")))
                     .status,
             200);
    const ReceivedRequest r = m_endpoint->received().first();
    QCOMPARE(r.receivedAt(), fixedTime());
    QCOMPARE(r.toJsonLine(),
             std::string(
                     R"({"endpoint":"e","method":"GET","params":{"_k":"key","_p":"u1","_n":"Signed Up",)"
                     R"("tags":["a","b"],"gone":null,"_t":"1764522000"},"received_at":"2026-11-30T17:00:00.123Z"})"));
}

void TestTrackingEndpoint::decodedView()
{
    ReceivedRequest r;
    r.setEndpoint("e");
    r.setParameters(
            decodeFormParams("_k=key&_p=ann%40x.io&_n=Bought&plan=Pro&_t=1&seats=3&_d=1&flag&_ip=1.2.3.4&_ua=UA"));
    QCOMPARE(r.trackingEndpoint(), std::optional<Endpoint>(Endpoint::Event));
    QCOMPARE(r.person(), std::optional<std::string>("ann@x.io"));
    QCOMPARE(r.eventName(), std::optional<std::string>("Bought"));
    QCOMPARE(r.value("flag"), std::optional<std::string>()); // bare
    QCOMPARE(r.value("absent"), std::optional<std::string>());
    const std::vector<ReceivedParam> expected = {{"plan", "Pro"}, {"seats", "3"}, {"flag", std::nullopt}};
    QCOMPARE(r.properties(), expected);

    ReceivedRequest other;
    other.setEndpoint("/x");
    QCOMPARE(other.trackingEndpoint(), std::optional<Endpoint>());
    QCOMPARE(other.person(), std::optional<std::string>());
}

void TestTrackingEndpoint::jsonLineOfRefusedRequest()
{
    m_endpoint->setClock(fixedTime);
    QCOMPARE(send(*m_manager, "GET", QUrl(m_endpoint->baseUrl().toString() + QStringLiteral("/robots.txt"))).status,
             404);
    QCOMPARE(m_endpoint->received().first().toJsonLine(),
             std::string(R"({"endpoint":"/robots.txt","method":"GET","params":{},)"
                         R"("received_at":"2026-11-30T17:00:00.123Z","status":404})"));
}

void TestTrackingEndpoint::previewedRequestsMatch_data()
{
    QTest::addColumn<std::string>("message");
    QTest::addColumn<QString>("endpoints");

    QTest::newRow("track") << std::string(
            R"({"type":"track","event":"Signed Up","userId":"u1",)"
            R"("properties":{"plan":"Pro","seats":3},"timestamp":"2026-11-30T17:00:00Z"})")
                           << QStringLiteral("e");
    QTest::newRow("identify") << std::string(
            R"({"type":"identify","userId":"u1","traits":{"name":"Ann Lee","email":"a+b@x.io"}})")
                              << QStringLiteral("s");
    QTest::newRow("alias") << std::string(R"({"type":"alias","userId":"new-id","previousId":"old id"})")
                           << QStringLiteral("a");
    QTest::newRow("arrays and nulls") << std::string(R"({"type":"track","event":"E","userId":"u",)"
                                                     R"("properties":{"tags":["a","b"],"gone":null,"n":{"x":1}}})")
                                      << QStringLiteral("e");
    QTest::newRow("UTF-8 and reserved characters")
            << std::string("{\"type\":\"track\",\"event\":\"\xC3\x89t\xC3\xA9 \xF0\x9F\x9A\x80\",\"userId\":\"u&1=2\","
                           "\"properties\":{\"q\":\"a+b c%20d?#/\"}}")
            << QStringLiteral("e");
    QTest::newRow("long: POST") << std::string(R"({"type":"track","event":"Long","userId":"u1","properties":{"text":")")
                                           + std::string(3000, 'y') + R"("}})"
                                << QStringLiteral("e");
}

void TestTrackingEndpoint::previewedRequestsMatch()
{
    QFETCH(std::string, message);
    QFETCH(QString, endpoints);

    Arena arena;
    JsonReader reader;
    const JsonResult input = reader.parse(message, arena);
    QVERIFY(input.ok());
    Settings settings;
    std::string error;
    QVERIFY(Settings::fromJson(R"({"apiKey":"k-123"})", &settings, &error));
    TranslateOptions options;
    options.nowMillis = 1764522000000.0;
    Translation translation;
    Engine::create(EngineId::SegmentCloud)
            ->translate(input.value, settings, Environment(), options, arena, translation);
    QVERIFY2(!translation.isRejected(), translation.error.c_str());
    QStringList sentTo;
    for (const HttpRequest &r : translation.requests)
        sentTo << QString::fromLatin1(endpointName(r.endpoint));
    QCOMPARE(sentTo.join(QLatin1Char(',')), endpoints);

    // Exactly what a sender puts on the wire for each previewed request.
    const std::string host = m_endpoint->baseUrl().toString().toStdString();
    for (const HttpRequest &r : translation.requests) {
        const QUrl url = QUrl::fromEncoded(
                QByteArray::fromStdString(OutputFormat::url(r, host, settings.apiKey(), KeyVisibility::Shown)));
        const Reply reply = r.method == HttpMethod::Get ? send(*m_manager, "GET", url)
                                                        : send(*m_manager, "POST", url,
                                                               QByteArray::fromStdString(OutputFormat::wire(
                                                                       r, settings.apiKey(), KeyVisibility::Shown)),
                                                               "application/x-www-form-urlencoded");
        QCOMPARE(reply.status, 200);
    }
    const auto received = m_endpoint->received();
    QCOMPARE(received.size(), qsizetype(translation.requests.size()));
    for (std::size_t i = 0; i < translation.requests.size(); ++i) {
        std::string difference;
        QVERIFY2(matchesPreview(received.at(qsizetype(i)), translation.requests[i], &difference), difference.c_str());
        // And the JSON line carries the CLI contract's params for it.
        QCOMPARE(paramsJson(received.at(qsizetype(i))), [&] {
            JsonWriter writer;
            writer.value(OutputFormat::params(translation.requests[i], EngineId::SegmentCloud, arena),
                         JsonWriter::UndefinedPolicy::Omit);
            return writer.buffer();
        }());
    }
    if (QTest::currentDataTag() == QByteArrayLiteral("long: POST"))
        QCOMPARE(received.first().method(), std::string("POST"));
}

void TestTrackingEndpoint::changedParameterDoesNotMatch()
{
    Arena arena;
    JsonReader reader;
    const JsonResult input =
            reader.parse(R"({"type":"track","event":"Upgraded","userId":"u1","properties":{"plan":"Basic"}})", arena);
    QVERIFY(input.ok());
    Settings settings;
    std::string error;
    QVERIFY(Settings::fromJson(R"({"apiKey":"k-123","prefixProperties":false})", &settings, &error));
    TranslateOptions options;
    options.nowMillis = 1764522000000.0;
    Translation translation;
    Engine::create(EngineId::SegmentCloud)
            ->translate(input.value, settings, Environment(), options, arena, translation);
    QCOMPARE(translation.requests.size(), std::size_t(1));
    const HttpRequest &preview = translation.requests.front();
    std::string url = OutputFormat::url(preview, m_endpoint->baseUrl().toString().toStdString(), settings.apiKey(),
                                        KeyVisibility::Shown);
    const std::size_t at = url.find("plan=Basic");
    QVERIFY(at != std::string::npos);
    url.replace(at, 10, "plan=Pro");
    QCOMPARE(send(*m_manager, "GET", QUrl::fromEncoded(QByteArray::fromStdString(url))).status, 200);

    std::string difference;
    QVERIFY(!matchesPreview(m_endpoint->received().first(), preview, &difference));
    QCOMPARE(difference, std::string(R"("plan": "Pro" where the preview has "Basic")"));
}

void TestTrackingEndpoint::matchDifferences_data()
{
    QTest::addColumn<std::string>("endpoint");
    QTest::addColumn<std::string>("method");
    QTest::addColumn<std::string>("wire");
    QTest::addColumn<std::string>("difference"); // empty: matches

    // The preview: GET /e with "_n=E&a=1&b=2".
    QTest::newRow("same") << std::string("e") << std::string("GET") << std::string("_n=E&a=1&b=2") << std::string();
    QTest::newRow("same, other encoding")
            << std::string("e") << std::string("GET") << std::string("_n=%45&a=1&b=%32") << std::string();
    QTest::newRow("other endpoint") << std::string("s") << std::string("GET") << std::string("_n=E&a=1&b=2")
                                    << std::string("sent to /s where the preview has /e");
    QTest::newRow("other path") << std::string("/x") << std::string("GET") << std::string("_n=E&a=1&b=2")
                                << std::string("sent to /x where the preview has /e");
    QTest::newRow("other method") << std::string("e") << std::string("POST") << std::string("_n=E&a=1&b=2")
                                  << std::string("POST where the preview has GET");
    QTest::newRow("missing") << std::string("e") << std::string("GET") << std::string("_n=E&a=1")
                             << std::string(R"(missing "b")");
    QTest::newRow("unexpected") << std::string("e") << std::string("GET") << std::string("_n=E&a=1&b=2&c")
                                << std::string(R"(unexpected "c" = (no value))");
    QTest::newRow("repeated") << std::string("e") << std::string("GET") << std::string("_n=E&a=1&b=2&a=3")
                              << std::string(R"("a": ["1", "3"] where the preview has "1")");
    QTest::newRow("order")
            << std::string("e") << std::string("GET") << std::string("a=1&_n=E&b=2")
            << std::string(R"(parameters in another order: "a" is at position 1 where the preview has "_n")");
    QTest::newRow("long value shortened")
            << std::string("e") << std::string("GET") << std::string("_n=E&a=") + std::string(50, 'z') + "&b=2"
            << std::string(R"("a": ")") + std::string(37, 'z') + R"(..." where the preview has "1")";
    QTest::newRow("many") << std::string("s") << std::string("GET") << std::string("x=1&y=2&z=3")
                          << std::string(
                                     R"(sent to /s where the preview has /e; missing "_n"; missing "a"; and 4 more)");
}

void TestTrackingEndpoint::matchDifferences()
{
    QFETCH(std::string, endpoint);
    QFETCH(std::string, method);
    QFETCH(std::string, wire);
    QFETCH(std::string, difference);

    HttpRequest preview;
    preview.endpoint = Endpoint::Event;
    preview.method = HttpMethod::Get;
    preview.wire = "_n=E&a=1&b=2";
    ReceivedRequest received;
    received.setEndpoint(endpoint);
    received.setMethod(method);
    received.setParameters(decodeFormParams(wire));
    std::string got;
    QCOMPARE(matchesPreview(received, preview, &got), difference.empty());
    QCOMPARE(got, difference);
    QCOMPARE(matchesPreview(received, preview), difference.empty()); // the description is optional
}

// tests/faultserver.h is for the sender's tests; checked here against a plain QNetworkAccessManager.
void TestTrackingEndpoint::faultServerBehaviours_data()
{
    using test::FaultServer;
    QTest::addColumn<int>("behaviourIndex");
    QTest::addColumn<int>("status");
    QTest::addColumn<QNetworkReply::NetworkError>("error");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("attempts");
    QTest::newRow("default: 200 + GIF") << -1 << 200 << QNetworkReply::NoError << km::transparentGif() << 1;
    QTest::newRow("500") << 0 << 500 << QNetworkReply::InternalServerError << QByteArray("boom") << 1;
    QTest::newRow("429 with Retry-After") << 1 << 429 << QNetworkReply::UnknownContentError << QByteArray() << 1;
    QTest::newRow("hang") << 2 << 0 << QNetworkReply::OperationCanceledError << QByteArray() << 1;
    QTest::newRow("close mid-response") << 3 << 200 << QNetworkReply::RemoteHostClosedError << QByteArray() << 1;
    // QNetworkAccessManager itself sends a request once more when the connection closes before
    // any answer: a sender counting attempts sees 2 server-side requests per attempt here.
    QTest::newRow("close immediately") << 4 << 0 << QNetworkReply::RemoteHostClosedError << QByteArray() << 2;
}

void TestTrackingEndpoint::faultServerBehaviours()
{
    using test::FaultServer;
    QFETCH(int, behaviourIndex);
    QFETCH(int, status);
    QFETCH(QNetworkReply::NetworkError, error);
    QFETCH(QByteArray, body);
    QFETCH(int, attempts);
    const QList<FaultServer::Behaviour> behaviours = {
            FaultServer::respond(500, {}, "boom"),
            FaultServer::respond(429, {{"Retry-After", "1"}}),
            FaultServer::hang(),
            FaultServer::closeMidResponse(),
            FaultServer::closeImmediately(),
    };
    FaultServer server;
    QVERIFY(server.listen());
    if (behaviourIndex >= 0)
        server.setDefaultBehaviour(behaviours.at(behaviourIndex));
    QNetworkRequest request(server.url(QStringLiteral("/e?_n=x")));
    request.setTransferTimeout(500); // for the hang
    std::unique_ptr<QNetworkReply> reply(m_manager->get(request));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
    QCOMPARE(reply->error(), error);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), status);
    if (error == QNetworkReply::NoError || status >= 400)
        QCOMPARE(reply->readAll(), body);
    if (status == 429)
        QCOMPARE(reply->rawHeader("Retry-After"), QByteArray("1"));
    QCOMPARE(server.attempts(), attempts);
    QCOMPARE(server.requestLines().first(), QByteArray("GET /e?_n=x HTTP/1.1"));
    QCOMPARE(server.requests().first().header("host"), "127.0.0.1:" + QByteArray::number(server.port()));
}

void TestTrackingEndpoint::faultServerScriptAndHandler()
{
    using test::FaultServer;
    FaultServer server;
    QVERIFY(server.listen());
    server.setScript({FaultServer::respond(503), FaultServer::respond(429, {{"Retry-After", "1"}})});
    QList<int> statuses;
    for (int i = 0; i < 3; ++i)
        statuses << send(*m_manager, "POST", server.url(QStringLiteral("/e")), "_n=" + QByteArray::number(i),
                         "application/x-www-form-urlencoded")
                            .status;
    QCOMPARE(statuses, (QList<int>{503, 429, 200})); // then the default
    QCOMPARE(server.attempts(), 3);
    QCOMPARE(server.requests().at(2).body, QByteArray("_n=2"));
    QCOMPARE(server.requests().at(2).attempt, 3);
    QVERIFY(server.requests().at(2).elapsedMs >= server.requests().at(0).elapsedMs);
    QCOMPARE(server.connections(), 1); // kept alive between answers

    server.clear();
    server.setHandler([](const FaultServer::Request &r) {
        return r.target.startsWith("/s") ? FaultServer::respond(500) : FaultServer::respond(204);
    });
    QCOMPARE(send(*m_manager, "GET", server.url(QStringLiteral("/s?_p=u"))).status, 500);
    QCOMPARE(send(*m_manager, "GET", server.url(QStringLiteral("/e?_p=u"))).status, 204);
    QCOMPARE(server.attempts(), 2);
}

void TestTrackingEndpoint::faultServerRefusedPort()
{
    const quint16 port = test::FaultServer::refusedPort();
    QVERIFY(port != 0);
    const Reply reply = send(*m_manager, "GET", QUrl(QStringLiteral("http://127.0.0.1:%1/e").arg(port)));
    QCOMPARE(reply.error, QNetworkReply::ConnectionRefusedError);
}

QTEST_GUILESS_MAIN(TestTrackingEndpoint)
#include "tst_trackingendpoint.moc"
