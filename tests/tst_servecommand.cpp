// `kmtester-cli serve` as a user runs it: announces its port, prints one NDJSON line per request
// as it arrives, and stops cleanly on SIGTERM or SIGINT. Requests go to 127.0.0.1 only.

#include "httpexchange.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTest>

#include <csignal>
#include <memory>

#include <sys/types.h>

namespace {

const QRegularExpression kListening(QStringLiteral("kmtester-cli serve: listening on http://127\\.0\\.0\\.1:(\\d+)\n"));

// A running `kmtester-cli serve`, stopped (SIGKILL) if a test fails before stopping it.
class Server
{
public:
    explicit Server(const QStringList &extraArgs = {})
    {
        m_process.start(QStringLiteral(KM_CLI_PATH), QStringList{QStringLiteral("serve")} + extraArgs);
    }
    ~Server()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    QProcess &process() { return m_process; }

    // The port from the "listening on" line, 0 if it never came.
    quint16 waitForPort()
    {
        // A timeout shows as a missing port.
        [[maybe_unused]] const bool announced = QTest::qWaitFor(
                [&] {
                    m_stdErr += m_process.readAllStandardError();
                    return kListening.match(QString::fromUtf8(m_stdErr)).hasMatch()
                           || m_process.state() == QProcess::NotRunning;
                },
                20000);
        return static_cast<quint16>(kListening.match(QString::fromUtf8(m_stdErr)).captured(1).toUInt());
    }

    // The next `count` lines of standard output, as they arrive.
    QList<QByteArray> waitForLines(int count)
    {
        // A timeout shows as missing lines.
        [[maybe_unused]] const bool arrived = QTest::qWaitFor(
                [&] {
                    m_stdOut += m_process.readAllStandardOutput();
                    return m_stdOut.count('\n') >= count || m_process.state() == QProcess::NotRunning;
                },
                20000);
        QList<QByteArray> lines;
        while (lines.size() < count && m_stdOut.contains('\n')) {
            const qsizetype end = m_stdOut.indexOf('\n');
            lines << m_stdOut.left(end);
            m_stdOut.remove(0, end + 1);
        }
        return lines;
    }

    QByteArray stdErr()
    {
        m_stdErr += m_process.readAllStandardError();
        return m_stdErr;
    }

private:
    QProcess m_process;
    QByteArray m_stdErr;
    QByteArray m_stdOut;
};

int send(QNetworkAccessManager &manager,
         const QByteArray &method,
         const QUrl &url,
         const QByteArray &body = {},
         const QByteArray &contentType = {})
{
    const HttpReply reply = httpExchange(manager, method, url, body, contentType);
    return reply.status == 0 ? -1 : reply.status;
}

QJsonObject parse(const QByteArray &line)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    return error.error == QJsonParseError::NoError ? doc.object() : QJsonObject();
}

const QRegularExpression kTimestamp(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$"));

} // namespace

class TestServeCommand : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void help_data();
    void help();
    void badOptions_data();
    void badOptions();
    void printsEachRequest();
    void stopsOnSigint();
    void maxBody();
    void portInUse();
    void listedInUsage();

private:
    std::unique_ptr<QNetworkAccessManager> m_manager;
};

void TestServeCommand::init()
{
    m_manager = std::make_unique<QNetworkAccessManager>();
    m_manager->setProxy(QNetworkProxy::NoProxy); // 127.0.0.1 only, whatever http_proxy says
}

void TestServeCommand::help_data()
{
    QTest::addColumn<QString>("needle");
    for (const char *n : {"--port", "--max-body", "Examples:", "kmtester-cli serve --port 8080", "127.0.0.1", "SIGTERM",
                          "received_at", "413", "415"})
        QTest::newRow(n) << QString::fromLatin1(n);
}

void TestServeCommand::help()
{
    QFETCH(QString, needle);
    QProcess cli;
    cli.start(QStringLiteral(KM_CLI_PATH), {QStringLiteral("serve"), QStringLiteral("--help")});
    QVERIFY(cli.waitForFinished(20000));
    QCOMPARE(cli.exitCode(), 0);
    QVERIFY2(cli.readAllStandardOutput().contains(needle.toUtf8()), qPrintable(needle));
}

void TestServeCommand::badOptions_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("port not a number") << QStringList{QStringLiteral("--port"), QStringLiteral("http")}
                                       << QByteArray("--port expects 0 to 65535");
    QTest::newRow("port too large") << QStringList{QStringLiteral("--port"), QStringLiteral("65536")}
                                    << QByteArray("--port expects 0 to 65535");
    QTest::newRow("negative max body") << QStringList{QStringLiteral("--max-body"), QStringLiteral("-1")}
                                       << QByteArray("--max-body expects a number of bytes");
    QTest::newRow("unknown option") << QStringList{QStringLiteral("--verbose")} << QByteArray("Unknown option");
    QTest::newRow("positional") << QStringList{QStringLiteral("file.ndjson")} << QByteArray("unexpected argument");
}

void TestServeCommand::badOptions()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, message);
    QProcess cli;
    cli.start(QStringLiteral(KM_CLI_PATH), QStringList{QStringLiteral("serve")} + args);
    QVERIFY(cli.waitForFinished(20000));
    QCOMPARE(cli.exitCode(), 2);
    QVERIFY2(cli.readAllStandardError().contains(message), message.constData());
}

void TestServeCommand::printsEachRequest()
{
    Server server({QStringLiteral("--port"), QStringLiteral("0")});
    const quint16 port = server.waitForPort();
    QVERIFY2(port != 0, server.stdErr().constData());
    const QString base = QStringLiteral("http://127.0.0.1:%1").arg(port);

    QCOMPARE(send(*m_manager, "GET", QUrl(base + QStringLiteral("/e?_k=key&_p=u1&_n=Signed+Up&tags=a&tags=b&gone"))),
             200);
    // Each line is out as soon as its request is answered, before the next one is sent.
    QList<QByteArray> lines = server.waitForLines(1);
    QCOMPARE(lines.size(), 1);
    QCOMPARE(send(*m_manager, "POST", QUrl(base + QStringLiteral("/s")), "_k=key&_p=u1&Plan%20%28new%29=%C3%A9t%C3%A9",
                  "application/x-www-form-urlencoded"),
             200);
    QCOMPARE(send(*m_manager, "GET", QUrl(base + QStringLiteral("/missing"))), 404);
    lines += server.waitForLines(2);
    QCOMPARE(lines.size(), 3);

    const QJsonObject get = parse(lines.at(0));
    QCOMPARE(get.value(QStringLiteral("endpoint")).toString(), QStringLiteral("e"));
    QCOMPARE(get.value(QStringLiteral("method")).toString(), QStringLiteral("GET"));
    QVERIFY(kTimestamp.match(get.value(QStringLiteral("received_at")).toString()).hasMatch());
    QVERIFY(!get.contains(QStringLiteral("status")));
    const QJsonObject params = get.value(QStringLiteral("params")).toObject();
    QCOMPARE(params.value(QStringLiteral("_n")).toString(), QStringLiteral("Signed Up"));
    QCOMPARE(params.value(QStringLiteral("tags")).toArray(), (QJsonArray{QStringLiteral("a"), QStringLiteral("b")}));
    QVERIFY(params.value(QStringLiteral("gone")).isNull());
    // Keys in the order they arrived (QJsonObject sorts them, the line does not).
    QVERIFY(lines.at(0).startsWith(
            R"({"endpoint":"e","method":"GET","params":{"_k":"key","_p":"u1","_n":"Signed Up",)"));

    const QJsonObject post = parse(lines.at(1));
    QCOMPARE(post.value(QStringLiteral("endpoint")).toString(), QStringLiteral("s"));
    QCOMPARE(post.value(QStringLiteral("method")).toString(), QStringLiteral("POST"));
    QCOMPARE(post.value(QStringLiteral("params")).toObject().value(QStringLiteral("Plan (new)")).toString(),
             QString::fromUtf8("\xC3\xA9t\xC3\xA9"));

    const QJsonObject missing = parse(lines.at(2));
    QCOMPARE(missing.value(QStringLiteral("endpoint")).toString(), QStringLiteral("/missing"));
    QCOMPARE(missing.value(QStringLiteral("status")).toInt(), 404);

    server.process().terminate(); // SIGTERM
    QVERIFY(server.process().waitForFinished(20000));
    QCOMPARE(server.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.process().exitCode(), 0);
    QVERIFY2(server.stdErr().contains("stopped by SIGTERM after 3 requests"), server.stdErr().constData());
    QVERIFY(server.waitForLines(1).isEmpty()); // nothing else on standard output
}

void TestServeCommand::stopsOnSigint()
{
    Server server;
    const quint16 port = server.waitForPort();
    QVERIFY(port != 0);
    QCOMPARE(send(*m_manager, "GET", QUrl(QStringLiteral("http://127.0.0.1:%1/a?_p=old&_n=new").arg(port))), 200);
    QCOMPARE(server.waitForLines(1).size(), 1);
    ::kill(static_cast<pid_t>(server.process().processId()), SIGINT);
    QVERIFY(server.process().waitForFinished(20000));
    QCOMPARE(server.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.process().exitCode(), 0);
    QVERIFY2(server.stdErr().contains("stopped by SIGINT after 1 request\n"), server.stdErr().constData());
}

void TestServeCommand::maxBody()
{
    Server server({QStringLiteral("--max-body"), QStringLiteral("10")});
    const quint16 port = server.waitForPort();
    QVERIFY(port != 0);
    const QUrl url(QStringLiteral("http://127.0.0.1:%1/e").arg(port));
    QCOMPARE(send(*m_manager, "POST", url, "_n=1234567", "application/x-www-form-urlencoded"), 200); // 10 bytes
    QCOMPARE(send(*m_manager, "POST", url, "_n=12345678", "application/x-www-form-urlencoded"), 413);
    const QList<QByteArray> lines = server.waitForLines(2);
    QCOMPARE(lines.size(), 2);
    QVERIFY(!parse(lines.at(0)).contains(QStringLiteral("status")));
    QCOMPARE(parse(lines.at(1)).value(QStringLiteral("status")).toInt(), 413);
    server.process().terminate();
    QVERIFY(server.process().waitForFinished(20000));
    QCOMPARE(server.process().exitCode(), 0);
}

void TestServeCommand::portInUse()
{
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
    QProcess cli;
    cli.start(QStringLiteral(KM_CLI_PATH),
              {QStringLiteral("serve"), QStringLiteral("--port"), QString::number(taken.serverPort())});
    QVERIFY(cli.waitForFinished(20000));
    QCOMPARE(cli.exitCode(), 1);
    QVERIFY(cli.readAllStandardError().contains("cannot listen on 127.0.0.1:"
                                                + QByteArray::number(taken.serverPort())));
}

void TestServeCommand::listedInUsage()
{
    QProcess cli;
    cli.start(QStringLiteral(KM_CLI_PATH), {QStringLiteral("--help")});
    QVERIFY(cli.waitForFinished(20000));
    QVERIFY(cli.readAllStandardOutput().contains("  serve "));
}

QTEST_GUILESS_MAIN(TestServeCommand)
#include "tst_servecommand.moc"
