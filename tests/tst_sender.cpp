// The network layer and the Sender against real servers on 127.0.0.1: the built-in tracking
// endpoint receives exactly the previewed requests; faults injected by a test server (refused
// connection, a server that hangs, 500, 429 with Retry-After, a connection closed mid-response,
// 4xx, a redirect) each end in the documented state after the right number of attempts; the
// concurrency limit, the rate limit (on a hand-driven clock), pause, resume and cancel. Every
// case runs on both transports (Direct and the QNetworkAccessManager).

#include "engine.h"
#include "faultserver.h"
#include "jsonreader.h"
#include "networkmanager.h"
#include "outputformat.h"
#include "receivedrequest.h"
#include "sender.h"
#include "settings.h"
#include "trackingendpoint.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimeZone>
#include <QTimer>

#include <map>

using namespace km;
using km::test::FaultServer;
using std::chrono::milliseconds;

Q_DECLARE_METATYPE(NetworkManager::Transport)
Q_DECLARE_METATYPE(SendResult::State)
Q_DECLARE_METATYPE(SendResult::Error)

namespace {

const QByteArray kKey = "key-Secret_7";

SendRequest makeRequest(const QString &target, const QString &event, const QStringList &warnings = {})
{
    SendRequest r;
    r.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    r.target = target;
    r.endpoint = Endpoint::Event;
    r.method = HttpMethod::Get;
    r.wire = "_n=" + QUrl::toPercentEncoding(event) + "&_p=u1&_t=1700000000&_k=<API_KEY>";
    r.createdAt = 1700000000000;
    r.engine = QStringLiteral("segment-cloud");
    r.warnings = warnings;
    return r;
}

RetryPolicy fastPolicy(int attempts = 3)
{
    RetryPolicy policy;
    policy.setBaseDelay(milliseconds(10));
    policy.setMaxDelay(milliseconds(40));
    policy.setMaxAttempts(attempts);
    return policy;
}

// Collects what a Sender reports.
struct Recorder
{
    explicit Recorder(Sender &sender)
    {
        QObject::connect(&sender, &Sender::requestFinished,
                         [this](const SendRequest &request, const SendResult &result) { finals[request.id] = result; });
        QObject::connect(&sender, &Sender::requestStateChanged,
                         [this](const QString &id, const SendResult &result) { states[id] << result.state; });
        QObject::connect(&sender, &Sender::progressChanged, [this](const SendProgress &p) { last = p; });
        QObject::connect(&sender, &Sender::finished, [this] { ++finishedCount; });
    }
    std::map<QString, SendResult> finals;
    QHash<QString, QList<SendResult::State>> states;
    SendProgress last;
    int finishedCount = 0;
};

// Answers every request after a delay, and counts how many it holds at once.
class SlowServer
{
public:
    explicit SlowServer(int delayMs)
        : m_delayMs(delayMs)
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                ++m_open;
                m_maxOpen = std::max(m_maxOpen, m_open);
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { read(socket); });
                QObject::connect(socket, &QTcpSocket::disconnected, socket, [this, socket] {
                    --m_open;
                    socket->deleteLater();
                });
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QString baseUrl() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()); }
    int requests() const { return m_requests; }
    int maxActive() const { return m_maxActive; }
    int maxOpen() const { return m_maxOpen; }

private:
    void read(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        qsizetype end;
        while ((end = buffer.indexOf("\r\n\r\n")) >= 0) {
            buffer.remove(0, end + 4);
            ++m_requests;
            ++m_active;
            m_maxActive = std::max(m_maxActive, m_active);
            QPointer<QTcpSocket> guard(socket);
            QTimer::singleShot(m_delayMs, [this, guard] {
                --m_active;
                if (guard)
                    guard->write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
            });
        }
    }

    QTcpServer m_server;
    int m_delayMs;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    int m_requests = 0, m_active = 0, m_maxActive = 0, m_open = 0, m_maxOpen = 0;
};

// Answers every request on the server with an empty 200 (counted in `requests`), then keeps the
// connection or closes it. Connections count once ready (for TLS: after the handshake).
enum class AfterAnswer { KeepOpen, Close };
void answerEveryRequest(QTcpServer &server, int &requests, AfterAnswer after)
{
    QObject::connect(&server, &QTcpServer::pendingConnectionAvailable, &server, [&server, &requests, after] {
        while (QTcpSocket *socket = server.nextPendingConnection()) {
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [&requests, socket, after] {
                if (!socket->readAll().contains("\r\n\r\n"))
                    return;
                ++requests;
                socket->write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
                if (after == AfterAnswer::Close)
                    socket->disconnectFromHost();
            });
            QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
}

// Answers each request with a kept-alive 200, then closes the connection anyway: the client's
// next request on it meets a closed connection before any response.
class DroppingServer
{
public:
    DroppingServer() { answerEveryRequest(m_server, m_requests, AfterAnswer::Close); }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QString baseUrl() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()); }
    int requests() const { return m_requests; }

private:
    QTcpServer m_server;
    int m_requests = 0;
};

// Answers each request with the given bytes, as they are (optionally a few bytes at a time),
// then closes the connection if asked: for the Direct transport's response parser.
class RawServer
{
public:
    RawServer(QByteArray response, bool trickle, bool closeAfter)
        : m_response(std::move(response))
        , m_trickle(trickle)
        , m_closeAfter(closeAfter)
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    if (socket->readAll().contains("\r\n\r\n"))
                        answer(socket, 0);
                });
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QString baseUrl() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()); }

private:
    void answer(QTcpSocket *socket, qsizetype from)
    {
        const qsizetype piece = m_trickle ? 3 : m_response.size();
        socket->write(m_response.mid(from, piece));
        socket->flush();
        if (from + piece < m_response.size()) {
            QPointer<QTcpSocket> guard(socket);
            QTimer::singleShot(2, socket, [this, guard, from, piece] {
                if (guard)
                    answer(guard, from + piece);
            });
        } else if (m_closeAfter) {
            socket->disconnectFromHost();
        }
    }

    QTcpServer m_server;
    QByteArray m_response;
    bool m_trickle;
    bool m_closeAfter;
};

// A throwaway self-signed certificate for 127.0.0.1 (generated for this test, valid until 2126).
const char kTestCertificate[] = "-----BEGIN CERTIFICATE-----\n"
                                "MIIBkTCCATagAwIBAgIUew8002qgLfj/xRe/3AXTuX9fiTgwCgYIKoZIzj0EAwIw\n"
                                "FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEzMDE4MjYwOVoYDzIxMjYxMTA2\n"
                                "MTgyNjA5WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO\n"
                                "PQMBBwNCAAS0kqgxkqJPW31KZ2qx9/rEyZDusWX7t3Tr85Jm8IhSY/himm0v9DeI\n"
                                "J+Q5OhaeS+IvRmuaoTpBMzAfmyr4sPvxo2QwYjAdBgNVHQ4EFgQUYx9zML7lB5p3\n"
                                "8kAuxbbXFbVfJ6MwHwYDVR0jBBgwFoAUYx9zML7lB5p38kAuxbbXFbVfJ6MwDwYD\n"
                                "VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0kAMEYC\n"
                                "IQCglsUNnvhOJEyQKR8M+47D7fzroiPfVMdFIRucpUvCtAIhALoOcbfQSxmlkLWM\n"
                                "FuQW//GZcSeIUwg6RXQMVKYIIEbu\n"
                                "-----END CERTIFICATE-----\n";
const char kTestKey[] = "-----BEGIN PRIVATE KEY-----\n"
                        "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgyrZIpb6O2aZm4aCb\n"
                        "QMQs5d16qpQwB6qddCshmuPryaShRANCAAS0kqgxkqJPW31KZ2qx9/rEyZDusWX7\n"
                        "t3Tr85Jm8IhSY/himm0v9DeIJ+Q5OhaeS+IvRmuaoTpBMzAfmyr4sPvx\n"
                        "-----END PRIVATE KEY-----\n";

// HTTPS on 127.0.0.1 with the self-signed certificate: a 200 for every request.
class TlsServer
{
public:
    TlsServer()
    {
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setLocalCertificate(QSslCertificate(QByteArray(kTestCertificate)));
        config.setPrivateKey(QSslKey(QByteArray(kTestKey), QSsl::Ec));
        config.setPeerVerifyMode(QSslSocket::VerifyNone); // clients have no certificate
        m_server.setSslConfiguration(config);
        answerEveryRequest(m_server, m_requests, AfterAnswer::KeepOpen);
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QString baseUrl() const { return QStringLiteral("https://127.0.0.1:%1").arg(m_server.serverPort()); }
    int requests() const { return m_requests; }

private:
    QSslServer m_server;
    int m_requests = 0;
};

// A clock that moves only when told to.
class FakeClock : public SendClock
{
public:
    qint64 monotonicMs() const override { return m_now; }
    QDateTime currentDateTimeUtc() const override
    {
        return QDateTime::fromMSecsSinceEpoch(1700000000000 + m_now, QTimeZone::utc());
    }
    void callAfter(qint64 delayMs, QObject *context, std::function<void()> fn) override
    {
        m_timers.push_back({m_now + delayMs, context, std::move(fn)});
    }
    void advance(qint64 ms)
    {
        m_now += ms;
        for (bool fired = true; fired;) {
            fired = false;
            for (std::size_t i = 0; i < m_timers.size(); ++i) {
                if (m_timers[i].due <= m_now) {
                    Timer t = std::move(m_timers[i]);
                    m_timers.erase(m_timers.begin() + qsizetype(i));
                    if (t.context)
                        t.fn();
                    fired = true;
                    break;
                }
            }
        }
    }

private:
    struct Timer
    {
        qint64 due;
        QPointer<QObject> context;
        std::function<void()> fn;
    };
    qint64 m_now = 0;
    std::vector<Timer> m_timers;
};

void addTransports()
{
    QTest::addColumn<NetworkManager::Transport>("transport");
}

std::unique_ptr<NetworkManager> makeNetwork(NetworkManager::Transport transport)
{
    auto network = std::make_unique<NetworkManager>();
    network->setTransport(transport);
    // An http_proxy in the environment must not see the test's requests.
    network->accessManager()->setProxy(QNetworkProxy::NoProxy);
    return network;
}

} // namespace

class TestSender : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        qRegisterMetaType<SendResult>();
        qRegisterMetaType<SendProgress>();
        QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    }

    void deliversThePreviewedRequests_data();
    void deliversThePreviewedRequests();
    void faults_data();
    void faults();
    void retryAfterIsWaitedOut_data() { transports(); }
    void retryAfterIsWaitedOut();
    void statesOfARetriedRequest_data() { transports(); }
    void statesOfARetriedRequest();
    void warningsTravelWithA200_data() { transports(); }
    void warningsTravelWithA200();
    void concurrencyLimitIsRespected_data();
    void concurrencyLimitIsRespected();
    void keepAliveReusesConnections();
    void connectionClosedAfterEachResponse_data() { transports(); }
    void connectionClosedAfterEachResponse();
    void pauseAndResume_data() { transports(); }
    void pauseAndResume();
    void cancelAbortsAndDrops_data() { transports(); }
    void cancelAbortsAndDrops();
    void cancelOneQueuedRequest();
    void rateLimitOnTheInjectedClock();
    void invalidTargetFailsAtOnce();
    void responseFramings_data();
    void responseFramings();
    void tlsCertificatesAreVerified_data() { transports(); }
    void tlsCertificatesAreVerified();
    void tlsWithATrustedCertificate_data() { transports(); }
    void tlsWithATrustedCertificate();
    void injectedAccessManagerIsUsed();

private:
    static void transports()
    {
        addTransports();
        QTest::newRow("direct") << NetworkManager::Transport::Direct;
        QTest::newRow("access manager") << NetworkManager::Transport::AccessManager;
    }
};

void TestSender::deliversThePreviewedRequests_data()
{
    transports();
}

void TestSender::deliversThePreviewedRequests()
{
    QFETCH(NetworkManager::Transport, transport);
    TrackingEndpoint endpoint;
    QVERIFY2(endpoint.listen(0), qPrintable(endpoint.errorString()));
    const QString target = endpoint.baseUrl().toString();

    const char *const messages[] = {
            R"({"type":"track","userId":"u1","event":"Signed Up","properties":{"plan":"Pro","seats":3},"timestamp":"2024-01-01T00:00:00Z"})",
            R"({"type":"identify","userId":"u1","traits":{"name":"Ann Lee","email":"ann@example.com"},"timestamp":"2024-01-01T00:00:01Z"})",
            R"({"type":"alias","userId":"u2","previousId":"u1","timestamp":"2024-01-01T00:00:02Z"})",
            R"({"type":"page","userId":"u1","name":"Home","properties":{"url":"https://example.com/?a=1&b=2"},"timestamp":"2024-01-01T00:00:03Z"})",
            R"({"type":"track","anonymousId":"a 1","event":"Ünïcode & more","properties":{"x":"1+1=2"},"timestamp":"2024-01-01T00:00:04Z"})",
    };
    Settings settings;
    std::string error;
    QVERIFY(Settings::fromJson(R"({"apiKey":"key-Secret_7","prefixProperties":true})", &settings, &error));
    const auto engine = Engine::create(EngineId::SegmentCloud);
    Arena arena;
    JsonReader reader;
    std::vector<Translation> translations(std::size(messages));
    QList<SendRequest> requests;
    std::vector<const HttpRequest *> previews;
    TranslateOptions options;
    options.nowMillis = 1700000000000;
    for (std::size_t i = 0; i < std::size(messages); ++i) {
        const JsonResult parsed = reader.parse(messages[i], arena);
        QVERIFY(parsed.ok());
        engine->translate(parsed.value, settings, Environment(), options, arena, translations[i]);
        for (const HttpRequest &r : translations[i].requests) {
            requests << SendRequest::fromHttpRequest(r, EngineId::SegmentCloud, target, settings.apiKey(),
                                                     SendRequest::settingsSnapshotOf(settings),
                                                     translations[i].warnings, 0);
            previews.push_back(&r);
        }
    }
    QVERIFY(requests.size() >= 5);
    for (const SendRequest &r : requests) {
        QVERIFY(r.wire.contains("_k=<API_KEY>"));
        QVERIFY(!r.wire.contains(kKey));
        QVERIFY(!r.settingsSnapshot.contains(QString::fromLatin1(kKey)));
    }

    auto network = makeNetwork(transport);
    Sender sender(network.get());
    sender.setApiKey(kKey);
    sender.setConcurrency(3);
    Recorder recorder(sender);
    sender.enqueue(requests);
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finishedCount, 1, 20000);

    QCOMPARE(int(recorder.finals.size()), int(requests.size()));
    for (const auto &[id, result] : recorder.finals) {
        QCOMPARE(result.state, SendResult::State::Sent);
        QCOMPARE(result.httpStatus, 200);
        QCOMPARE(result.attempts, 1);
        QCOMPARE(result.bodySize, qint64(43)); // the GIF
        QVERIFY(!result.header("Content-Type").isEmpty());
        QVERIFY(result.failureReason.isEmpty());
    }
    QCOMPARE(recorder.last.sent, int(requests.size()));
    QCOMPARE(recorder.last.attempts, int(requests.size()));
    QCOMPARE(recorder.last.remaining(), 0);

    // Exactly the previewed requests arrived (in whatever order three connections gave them),
    // the key among them: it is put back at send time.
    const QList<ReceivedRequest> received = endpoint.received();
    QCOMPARE(received.size(), requests.size());
    std::vector<bool> matched(previews.size(), false);
    for (const ReceivedRequest &r : received) {
        QCOMPARE(r.value("_k").value_or(""), std::string(kKey.constData()));
        bool found = false;
        for (std::size_t i = 0; i < previews.size() && !found; ++i) {
            if (!matched[i] && matchesPreview(r, *previews[i])) {
                matched[i] = true;
                found = true;
            }
        }
        QVERIFY2(found, r.toJsonLine().c_str());
    }
}

void TestSender::faults_data()
{
    QTest::addColumn<NetworkManager::Transport>("transport");
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<SendResult::State>("state");
    QTest::addColumn<SendResult::Error>("error");
    QTest::addColumn<int>("attempts");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason"); // a part of failureReason

    using S = SendResult::State;
    using E = SendResult::Error;
    for (const auto &[transport, name] : {std::pair{NetworkManager::Transport::Direct, "direct"},
                                          std::pair{NetworkManager::Transport::AccessManager, "access manager"}}) {
        const auto row = [&, name = name](const char *scenario) {
            return &(QTest::addRow("%s: %s", name, scenario) << transport << QString::fromLatin1(scenario));
        };
        *row("refused") << S::Failed << E::ConnectionRefused << 3 << 0 << QStringLiteral("connection refused");
        *row("hang") << S::Failed << E::Timeout << 3 << 0 << QStringLiteral("timed out; gave up after 3");
        *row("500") << S::Failed << E::HttpError << 3 << 500
                    << QStringLiteral("HTTP 500 Internal Server Error; gave up after 3 attempts");
        *row("500 then 200") << S::Sent << E::NoError << 2 << 200 << QString();
        *row("503 twice then 200") << S::Sent << E::NoError << 3 << 200 << QString();
        *row("429 always") << S::Failed << E::HttpError << 3 << 429 << QStringLiteral("HTTP 429");
        *row("close mid-response") << S::Failed << E::ConnectionClosed << 3 << 200 << QStringLiteral("in the middle");
        *row("close mid-response then 200") << S::Sent << E::NoError << 2 << 200 << QString();
        *row("close immediately") << S::Failed << E::ConnectionClosed << 3 << 0
                                  << QStringLiteral("closed the connection");
        *row("404") << S::Failed << E::HttpError << 1 << 404 << QStringLiteral("HTTP 404 Not Found (not retried");
        *row("400") << S::Failed << E::HttpError << 1 << 400 << QStringLiteral("not retried");
        *row("302 to a URL holding the key")
                << S::Failed << E::HttpError << 1 << 302
                << QStringLiteral("redirected to http://elsewhere.example/e?_k=<API_KEY> (not followed");
    }
}

void TestSender::faults()
{
    QFETCH(NetworkManager::Transport, transport);
    QFETCH(QString, scenario);
    QFETCH(SendResult::State, state);
    QFETCH(SendResult::Error, error);
    QFETCH(int, attempts);
    QFETCH(int, status);
    QFETCH(QString, reason);

    FaultServer server;
    QVERIFY(server.listen());
    QString target = server.baseUrl().toString();
    int timeoutMs = 5000;
    if (scenario == QLatin1String("refused")) {
        target = QStringLiteral("http://127.0.0.1:%1").arg(FaultServer::refusedPort());
    } else if (scenario == QLatin1String("hang")) {
        server.setDefaultBehaviour(FaultServer::hang());
        timeoutMs = 300;
    } else if (scenario == QLatin1String("500")) {
        server.setDefaultBehaviour(FaultServer::respond(500));
    } else if (scenario == QLatin1String("500 then 200")) {
        server.setScript({FaultServer::respond(500)});
    } else if (scenario == QLatin1String("503 twice then 200")) {
        server.setScript({FaultServer::respond(503), FaultServer::respond(503)});
    } else if (scenario == QLatin1String("429 always")) {
        server.setDefaultBehaviour(FaultServer::respond(429, {{"Retry-After", "0"}}));
    } else if (scenario == QLatin1String("close mid-response")) {
        server.setDefaultBehaviour(FaultServer::closeMidResponse());
    } else if (scenario == QLatin1String("close mid-response then 200")) {
        server.setScript({FaultServer::closeMidResponse()});
    } else if (scenario == QLatin1String("close immediately")) {
        server.setDefaultBehaviour(FaultServer::closeImmediately());
    } else if (scenario == QLatin1String("404")) {
        server.setDefaultBehaviour(FaultServer::respond(404));
    } else if (scenario == QLatin1String("400")) {
        server.setDefaultBehaviour(FaultServer::respond(400));
    } else if (scenario.startsWith(QLatin1String("302"))) {
        server.setDefaultBehaviour(FaultServer::respond(302, {{"Location", "http://elsewhere.example/e?_k=" + kKey}}));
    } else {
        QFAIL("unknown scenario");
    }

    auto network = makeNetwork(transport);
    Sender sender(network.get());
    sender.setApiKey(kKey);
    sender.setTimeout(milliseconds(timeoutMs));
    sender.setRetryPolicy(fastPolicy(3));
    Recorder recorder(sender);
    const SendRequest request = makeRequest(target, QStringLiteral("Fault"));
    sender.enqueue(request);
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finishedCount, 1, 20000);

    QCOMPARE(int(recorder.finals.size()), 1);
    const SendResult result = recorder.finals.at(request.id);
    QCOMPARE(result.state, state);
    QCOMPARE(result.error, error);
    QCOMPARE(result.attempts, attempts);
    if (error != SendResult::Error::ConnectionClosed || transport == NetworkManager::Transport::Direct)
        QCOMPARE(result.httpStatus, status);
    QVERIFY2(result.failureReason.contains(reason), qPrintable(result.failureReason));
    if (state == SendResult::State::Failed)
        QCOMPARE(recorder.last.failed, 1);
    else
        QCOMPARE(recorder.last.sent, 1);
    QCOMPARE(recorder.last.attempts, attempts);

    // The server saw each attempt (QNetworkAccessManager may resend once by itself on a
    // connection closed without a response, as browsers do; the attempt count is still ours).
    if (scenario != QLatin1String("refused")) {
        if (scenario == QLatin1String("close immediately") && transport == NetworkManager::Transport::AccessManager)
            QVERIFY(server.attempts() >= attempts);
        else
            QCOMPARE(server.attempts(), attempts);
        QVERIFY(server.requests().first().target.contains("_k=" + kKey));
    }

    // The key never comes back in what is kept about the send.
    QVERIFY(!result.failureReason.contains(QString::fromLatin1(kKey)));
    for (const auto &h : result.headers)
        QVERIFY2(!h.second.contains(kKey), h.second.constData());
}

void TestSender::retryAfterIsWaitedOut()
{
    QFETCH(NetworkManager::Transport, transport);
    FaultServer server;
    QVERIFY(server.listen());
    server.setScript({FaultServer::respond(429, {{"Retry-After", "1"}})});
    auto network = makeNetwork(transport);
    Sender sender(network.get());
    sender.setApiKey(kKey);
    sender.setRetryPolicy(fastPolicy(3)); // the backoff alone would wait under 10 ms
    Recorder recorder(sender);
    const SendRequest request = makeRequest(server.baseUrl().toString(), QStringLiteral("Rate limited"));
    sender.enqueue(request);
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finishedCount, 1, 20000);
    const SendResult result = recorder.finals.at(request.id);
    QCOMPARE(result.state, SendResult::State::Sent);
    QCOMPARE(result.attempts, 2);
    QCOMPARE(server.attempts(), 2);
    const qint64 gap = server.requests().at(1).elapsedMs - server.requests().at(0).elapsedMs;
    QVERIFY2(gap >= 950 && gap < 5000, qPrintable(QString::number(gap)));
}

void TestSender::statesOfARetriedRequest()
{
    QFETCH(NetworkManager::Transport, transport);
    FaultServer server;
    QVERIFY(server.listen());
    server.setScript({FaultServer::respond(500)});
    auto network = makeNetwork(transport);
    Sender sender(network.get());
    sender.setApiKey(kKey);
    sender.setRetryPolicy(fastPolicy(3));
    Recorder recorder(sender);
    const SendRequest request = makeRequest(server.baseUrl().toString(), QStringLiteral("Retried"));
    sender.enqueue(request);
    QCOMPARE(sender.progress().total, 1);
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finishedCount, 1, 20000);
    using S = SendResult::State;
    QCOMPARE(recorder.states.value(request.id), (QList<S>{S::InFlight, S::Queued, S::InFlight, S::Sent}));
    QVERIFY(sender.isIdle());
    QCOMPARE(recorder.last.sent, 1);
    QCOMPARE(recorder.last.attempts, 2);
    QCOMPARE(recorder.last.total, 1);
}

void TestSender::warningsTravelWithA200()
{
    QFETCH(NetworkManager::Transport, transport);
    FaultServer server;
    QVERIFY(server.listen());
    auto network = makeNetwork(transport);
    Sender sender(network.get());
    sender.setApiKey(kKey);
    Recorder recorder(sender);
    const QStringList warnings{QStringLiteral("revenue-not-number: \"revenue\" is not a number")};
    const SendRequest request = makeRequest(server.baseUrl().toString(), QStringLiteral("Bought"), warnings);
    sender.enqueue(request);
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finishedCount, 1, 20000);
    const SendResult result = recorder.finals.at(request.id);
    QCOMPARE(result.state, SendResult::State::Sent); // transport OK, nothing more
    QCOMPARE(result.warnings, warnings);
}

void TestSender::concurrencyLimitIsRespected_data()
{
    QTest::addColumn<NetworkManager::Transport>("transport");
    QTest::addColumn<int>("concurrency");
    QTest::newRow("direct, 1") << NetworkManager::Transport::Direct << 1;
    QTest::newRow("direct, 3") << NetworkManager::Transport::Direct << 3;
    QTest::newRow("direct, 10") << NetworkManager::Transport::Direct << 10;
    QTest::newRow("access manager, 3") << NetworkManager::Transport::AccessManager << 3;
    // Beyond Qt's 6 connections per host: a second access manager takes the rest.
    QTest::newRow("access manager, 10") << NetworkManager::Transport::AccessManager << 10;
}

void TestSender::concurrencyLimitIsRespected()
{
    QFETCH(NetworkManager::Transport, transport);
    QFETCH(int, concurrency);
    SlowServer server(60);
    QVERIFY(server.listen());
    auto network = makeNetwork(transport);
    Sender sender(network.get());
    sender.setConcurrency(concurrency);
    sender.setApiKey(kKey);
    Recorder recorder(sender);
    int maxInFlight = 0;
    connect(&sender, &Sender::progressChanged, this,
            [&](const SendProgress &p) { maxInFlight = std::max(maxInFlight, p.inFlight); });
    QList<SendRequest> requests;
    for (int i = 0; i < concurrency * 3 + 2; ++i)
        requests << makeRequest(server.baseUrl(), QStringLiteral("Call %1").arg(i));
    sender.enqueue(requests);
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finishedCount, 1, 30000);
    QCOMPARE(recorder.last.sent, int(requests.size()));
    QCOMPARE(server.requests(), int(requests.size()));
    // Never more at once than allowed, and the limit is reached (not a hidden lower one).
    QCOMPARE(server.maxActive(), concurrency);
    QCOMPARE(maxInFlight, concurrency);
    QVERIFY2(server.maxOpen() <= concurrency, qPrintable(QString::number(server.maxOpen())));
}

void TestSender::keepAliveReusesConnections()
{
    SlowServer server(1);
    QVERIFY(server.listen());
    auto network = makeNetwork(NetworkManager::Transport::Direct);
    Sender sender(network.get());
    sender.setConcurrency(2);
    Recorder recorder(sender);
    QList<SendRequest> requests;
    for (int i = 0; i < 20; ++i)
        requests << makeRequest(server.baseUrl(), QStringLiteral("Call %1").arg(i));
    sender.enqueue(requests);
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finishedCount, 1, 20000);
    QCOMPARE(recorder.last.sent, 20);
    QCOMPARE(server.maxOpen(), 2);
    QCOMPARE(network->directConnectionCount(), 2); // idle, kept for the next batch
}

void TestSender::connectionClosedAfterEachResponse()
{
    // A kept-alive connection the server has closed meanwhile is not a failed attempt: the request
    // goes again on a new connection, as browsers do.
    QFETCH(NetworkManager::Transport, transport);
    DroppingServer server;
    QVERIFY(server.listen());
    auto network = makeNetwork(transport);
    Sender sender(network.get());
    sender.setConcurrency(1);
    sender.setRetryPolicy(fastPolicy(1)); // a real failure would show: no retries
    Recorder recorder(sender);
    QList<SendRequest> requests;
    for (int i = 0; i < 10; ++i)
        requests << makeRequest(server.baseUrl(), QStringLiteral("Call %1").arg(i));
    sender.enqueue(requests);
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finishedCount, 1, 20000);
    QCOMPARE(recorder.last.sent, 10);
    QCOMPARE(recorder.last.attempts, 10);
    QCOMPARE(server.requests(), 10);
}

void TestSender::pauseAndResume()
{
    QFETCH(NetworkManager::Transport, transport);
    SlowServer server(50);
    QVERIFY(server.listen());
    auto network = makeNetwork(transport);
    Sender sender(network.get());
    sender.setConcurrency(1);
    Recorder recorder(sender);

    // Paused before anything starts: nothing goes out.
    sender.pause();
    QVERIFY(sender.isPaused());
    QList<SendRequest> requests;
    for (int i = 0; i < 6; ++i)
        requests << makeRequest(server.baseUrl(), QStringLiteral("Call %1").arg(i));
    sender.enqueue(requests);
    QTest::qWait(200);
    QCOMPARE(server.requests(), 0);
    QCOMPARE(sender.progress().queued, 6);

    // Resumed, then paused again after the first answer: the one in flight finishes, no more start.
    sender.resume();
    QTRY_COMPARE_WITH_TIMEOUT(recorder.last.sent, 1, 10000);
    sender.pause();
    const int started = server.requests();
    QVERIFY(started <= 2);
    QTest::qWait(300);
    QCOMPARE(server.requests(), started);
    QCOMPARE(recorder.last.inFlight, 0);
    QCOMPARE(recorder.finishedCount, 0);

    sender.resume();
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finishedCount, 1, 10000);
    QCOMPARE(recorder.last.sent, 6);
    QCOMPARE(server.requests(), 6);
}

void TestSender::cancelAbortsAndDrops()
{
    QFETCH(NetworkManager::Transport, transport);
    FaultServer server;
    QVERIFY(server.listen());
    server.setDefaultBehaviour(FaultServer::hang());
    auto network = makeNetwork(transport);
    Sender sender(network.get());
    sender.setConcurrency(2);
    sender.setTimeout(milliseconds(30000));
    Recorder recorder(sender);
    QList<SendRequest> requests;
    for (int i = 0; i < 5; ++i)
        requests << makeRequest(server.baseUrl().toString(), QStringLiteral("Call %1").arg(i));
    sender.enqueue(requests);
    QTRY_COMPARE_WITH_TIMEOUT(server.attempts(), 2, 10000);
    QCOMPARE(sender.progress().inFlight, 2);
    QCOMPARE(sender.progress().queued, 3);

    sender.cancel();
    QCOMPARE(recorder.finishedCount, 1); // at once, not after a timeout
    QCOMPARE(int(recorder.finals.size()), 5);
    int neverSent = 0;
    for (const auto &[id, result] : recorder.finals) {
        QCOMPARE(result.state, SendResult::State::Cancelled);
        if (result.failureReason.contains(QLatin1String("before it was sent")))
            ++neverSent;
    }
    QCOMPARE(neverSent, 3);
    QCOMPARE(recorder.last.cancelled, 5);
    QCOMPARE(recorder.last.remaining(), 0);
    QVERIFY(sender.isIdle());
    QTest::qWait(200);
    QCOMPARE(server.attempts(), 2); // nothing else went out
    QCOMPARE(network->inFlightCount(), 0);
}

void TestSender::cancelOneQueuedRequest()
{
    SlowServer server(30);
    QVERIFY(server.listen());
    auto network = makeNetwork(NetworkManager::Transport::Direct);
    Sender sender(network.get());
    sender.setConcurrency(1);
    Recorder recorder(sender);
    const QList<SendRequest> requests{makeRequest(server.baseUrl(), QStringLiteral("A")),
                                      makeRequest(server.baseUrl(), QStringLiteral("B")),
                                      makeRequest(server.baseUrl(), QStringLiteral("C"))};
    sender.enqueue(requests);
    sender.cancel(requests[1].id);
    QCOMPARE(recorder.finals.at(requests[1].id).state, SendResult::State::Cancelled);
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finishedCount, 1, 10000);
    QCOMPARE(recorder.finals.at(requests[0].id).state, SendResult::State::Sent);
    QCOMPARE(recorder.finals.at(requests[2].id).state, SendResult::State::Sent);
    QCOMPARE(server.requests(), 2);
}

void TestSender::rateLimitOnTheInjectedClock()
{
    FaultServer server;
    QVERIFY(server.listen());
    FakeClock clock;
    auto network = makeNetwork(NetworkManager::Transport::Direct);
    Sender sender(network.get(), &clock);
    sender.setConcurrency(10);
    sender.setRateLimit(10); // one every 100 ms of the fake clock
    Recorder recorder(sender);
    QList<SendRequest> requests;
    for (int i = 0; i < 4; ++i)
        requests << makeRequest(server.baseUrl().toString(), QStringLiteral("Call %1").arg(i));
    sender.enqueue(requests);
    QTRY_COMPARE_WITH_TIMEOUT(recorder.last.sent, 1, 10000);
    QTest::qWait(100); // real time passes; the fake clock does not
    QCOMPARE(server.attempts(), 1);
    clock.advance(50);
    QTest::qWait(50);
    QCOMPARE(server.attempts(), 1);
    clock.advance(50);
    QTRY_COMPARE_WITH_TIMEOUT(server.attempts(), 2, 10000);
    clock.advance(100);
    QTRY_COMPARE_WITH_TIMEOUT(server.attempts(), 3, 10000);
    clock.advance(100);
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finishedCount, 1, 10000);
    QCOMPARE(server.attempts(), 4);
}

void TestSender::invalidTargetFailsAtOnce()
{
    NetworkManager network;
    Sender sender(&network);
    Recorder recorder(sender);
    const SendRequest request = makeRequest(QStringLiteral("ftp://127.0.0.1:1"), QStringLiteral("X"));
    sender.enqueue(request);
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finishedCount, 1, 5000);
    const SendResult result = recorder.finals.at(request.id);
    QCOMPARE(result.state, SendResult::State::Failed);
    QCOMPARE(result.error, SendResult::Error::InvalidRequest);
    QCOMPARE(result.attempts, 1);
}

void TestSender::responseFramings_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<bool>("closeAfter");
    QTest::addColumn<SendResult::State>("state");
    QTest::addColumn<int>("status");
    QTest::addColumn<qint64>("bodySize");
    using S = SendResult::State;
    const QByteArray chunked = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "5\r\nhello\r\n6;note=1\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n";
    QTest::newRow("chunked, trailer") << chunked << false << S::Sent << 200 << qint64(11);
    QTest::newRow("content-length") << QByteArray(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\nGIF8")
                                    << false << S::Sent << 200 << qint64(4);
    QTest::newRow("HTTP/1.0, body until close") << QByteArray("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nabc")
                                                << true << S::Sent << 200 << qint64(3);
    QTest::newRow("100 Continue first") << QByteArray(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: a/b\r\n"
            "Content-Length: 2\r\n\r\nok")
                                        << false << S::Sent << 200 << qint64(2);
    QTest::newRow("204, no body") << QByteArray("HTTP/1.1 204 No Content\r\nContent-Type: x/y\r\n\r\n") << false
                                  << S::Sent << 204 << qint64(0);
    QTest::newRow("LF line ends") << QByteArray("HTTP/1.1 200 OK\nContent-Type: a/b\nContent-Length: 1\n\nx") << false
                                  << S::Sent << 200 << qint64(1);
    QTest::newRow("not HTTP") << QByteArray("SSH-2.0-OpenSSH\r\n\r\n") << true << S::Failed << 0 << qint64(0);
    QTest::newRow("bad Content-Length") << QByteArray(
            "HTTP/1.1 200 OK\r\nContent-Type: a/b\r\nContent-Length: x\r\n\r\n")
                                        << true << S::Failed << 200 << qint64(0);
    QTest::newRow("chunked, cut short") << chunked.left(chunked.size() - 12) << true << S::Failed << 200 << qint64(11);
}

void TestSender::responseFramings()
{
    QFETCH(QByteArray, response);
    QFETCH(bool, closeAfter);
    QFETCH(SendResult::State, state);
    QFETCH(int, status);
    QFETCH(qint64, bodySize);
    for (const bool trickle : {false, true}) {
        RawServer server(response, trickle, closeAfter);
        QVERIFY(server.listen());
        auto network = makeNetwork(NetworkManager::Transport::Direct);
        Sender sender(network.get());
        sender.setRetryPolicy(fastPolicy(1));
        Recorder recorder(sender);
        const SendRequest request = makeRequest(server.baseUrl(), QStringLiteral("Framing"));
        sender.enqueue(request);
        QTRY_COMPARE_WITH_TIMEOUT(recorder.finishedCount, 1, 10000);
        const SendResult result = recorder.finals.at(request.id);
        QVERIFY2(result.state == state, qPrintable(result.failureReason));
        QCOMPARE(result.httpStatus, status);
        QCOMPARE(result.bodySize, bodySize);
        if (state == SendResult::State::Sent)
            QVERIFY(!result.header("content-type").isEmpty());
    }
}

void TestSender::tlsCertificatesAreVerified()
{
    // A certificate nobody vouches for: the send fails, it is not retried, and nothing reaches
    // the server (the key included).
    QFETCH(NetworkManager::Transport, transport);
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend");
    TlsServer server;
    QVERIFY(server.listen());
    auto network = makeNetwork(transport);
    Sender sender(network.get());
    sender.setApiKey(kKey);
    sender.setRetryPolicy(fastPolicy(3));
    Recorder recorder(sender);
    const SendRequest request = makeRequest(server.baseUrl(), QStringLiteral("Secure"));
    sender.enqueue(request);
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finishedCount, 1, 20000);
    const SendResult result = recorder.finals.at(request.id);
    QCOMPARE(result.state, SendResult::State::Failed);
    QCOMPARE(result.error, SendResult::Error::TlsError);
    QCOMPARE(result.attempts, 1);
    QVERIFY2(result.failureReason.contains(QLatin1String("self signed"), Qt::CaseInsensitive)
                     || result.failureReason.contains(QLatin1String("self-signed"), Qt::CaseInsensitive),
             qPrintable(result.failureReason));
    QCOMPARE(server.requests(), 0);
}

void TestSender::tlsWithATrustedCertificate()
{
    QFETCH(NetworkManager::Transport, transport);
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend");
    // Trusted for this test only (both transports read the default configuration).
    const QSslConfiguration saved = QSslConfiguration::defaultConfiguration();
    QSslConfiguration trusting = saved;
    trusting.addCaCertificate(QSslCertificate(QByteArray(kTestCertificate)));
    QSslConfiguration::setDefaultConfiguration(trusting);
    const auto restore = qScopeGuard([&] { QSslConfiguration::setDefaultConfiguration(saved); });

    TlsServer server;
    QVERIFY(server.listen());
    auto network = makeNetwork(transport);
    Sender sender(network.get());
    sender.setApiKey(kKey);
    sender.setConcurrency(2);
    Recorder recorder(sender);
    QList<SendRequest> requests;
    for (int i = 0; i < 5; ++i)
        requests << makeRequest(server.baseUrl(), QStringLiteral("Secure %1").arg(i));
    sender.enqueue(requests);
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finishedCount, 1, 20000);
    for (const auto &[id, result] : recorder.finals)
        QVERIFY2(result.state == SendResult::State::Sent, qPrintable(result.failureReason));
    QCOMPARE(server.requests(), 5);
}

void TestSender::injectedAccessManagerIsUsed()
{
    FaultServer server;
    QVERIFY(server.listen());
    QNetworkAccessManager manager;
    manager.setProxy(QNetworkProxy::NoProxy);
    NetworkManager network(&manager);
    QCOMPARE(network.accessManager(), &manager);
    QCOMPARE(network.transport(), NetworkManager::Transport::AccessManager);
    int created = 0;
    connect(&manager, &QNetworkAccessManager::finished, this, [&] { ++created; });
    Sender sender(&network);
    Recorder recorder(sender);
    sender.enqueue(makeRequest(server.baseUrl().toString(), QStringLiteral("X")));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finishedCount, 1, 10000);
    QCOMPARE(recorder.last.sent, 1);
    QCOMPARE(created, 1);
}

QTEST_GUILESS_MAIN(TestSender)
#include "tst_sender.moc"
