// `kmtester-cli send` as a user runs it, against `kmtester-cli serve` on 127.0.0.1. The issue's
// crash test: 2,000 calls, the sender killed with SIGKILL mid-run, started again on the same
// outbox, and every expected request (decoded params, _t included) received at least once, none
// missing, no stranger, few duplicates, and the key in no file. Also: what it refuses (device
// engines, a target off this machine without --yes, unreadable input), a broken message reported
// while the rest is sent, a resume only with the key a request was queued with, failures and exit
// statuses.

#include "engine.h"
#include "jsonreader.h"
#include "jsonwriter.h"
#include "outbox.h"
#include "outputformat.h"
#include "settings.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QUrl>

#include <memory>

using namespace km;

namespace {

const QByteArray kKey = "cli-SECRET-0xC0FFEE";
const QString kSettings = QStringLiteral(R"({"apiKey":"cli-SECRET-0xC0FFEE","prefixProperties":false})");

QProcessEnvironment environment(const QString &dataHome)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TZ"), QStringLiteral("UTC"));
    // Nothing of a test run lands in the user's data folder, whatever the options.
    env.insert(QStringLiteral("XDG_DATA_HOME"), dataHome);
    env.remove(QStringLiteral("http_proxy"));
    env.remove(QStringLiteral("HTTP_PROXY"));
    return env;
}

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// The event loop runs meanwhile: a `serve` in this process's pipes must be read to keep answering.
Run runCli(const QStringList &args, const QString &dataHome, int timeoutMs = 120000)
{
    QProcess cli;
    cli.setProcessEnvironment(environment(dataHome));
    cli.start(QStringLiteral(KM_CLI_PATH), args);
    cli.waitForStarted();
    cli.closeWriteChannel();
    Run run;
    const bool finished = QTest::qWaitFor(
            [&] {
                run.out += cli.readAllStandardOutput();
                run.err += cli.readAllStandardError();
                return cli.state() == QProcess::NotRunning;
            },
            timeoutMs);
    run.out += cli.readAllStandardOutput();
    run.err += cli.readAllStandardError();
    run.exitCode = finished && cli.exitStatus() == QProcess::NormalExit ? cli.exitCode() : -1;
    if (!finished) {
        cli.kill();
        cli.waitForFinished(5000);
    }
    return run;
}

// `kmtester-cli serve --port 0`, its lines collected as they come.
class Serve
{
public:
    explicit Serve(const QString &dataHome)
    {
        m_process.setProcessEnvironment(environment(dataHome));
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, [this] { readLines(); });
        m_process.start(QStringLiteral(KM_CLI_PATH),
                        {QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0")});
    }
    ~Serve()
    {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    quint16 waitForPort()
    {
        static const QRegularExpression listening(QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)"));
        QByteArray err;
        // A timeout shows as port 0.
        [[maybe_unused]] const bool announced = QTest::qWaitFor(
                [&] {
                    err += m_process.readAllStandardError();
                    return listening.match(QString::fromUtf8(err)).hasMatch()
                           || m_process.state() == QProcess::NotRunning;
                },
                20000);
        return quint16(listening.match(QString::fromUtf8(err)).captured(1).toUInt());
    }
    const QList<QByteArray> &lines() const { return m_lines; }

private:
    void readLines()
    {
        m_partial += m_process.readAllStandardOutput();
        qsizetype end;
        while ((end = m_partial.indexOf('\n')) >= 0) {
            m_lines << m_partial.left(end);
            m_partial.remove(0, end + 1);
        }
    }
    QProcess m_process;
    QByteArray m_partial;
    QList<QByteArray> m_lines;
};

// A request's params as one canonical text (keys sorted), to compare sent and received.
QByteArray canonical(const QJsonObject &params)
{
    return QJsonDocument(params).toJson(QJsonDocument::Compact);
}

QByteArray everyFile(const QString &dir)
{
    QByteArray all;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly))
            all += f.readAll();
    }
    return all;
}

bool containsKey(const QByteArray &bytes)
{
    return bytes.contains(kKey) || bytes.contains(QUrl::toPercentEncoding(QString::fromLatin1(kKey)))
           || bytes.contains("SECRET");
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(bytes);
    return path;
}

} // namespace

class TestSendCommand : public QObject
{
    Q_OBJECT

private slots:
    void helpDocumentsEveryOption_data()
    {
        QTest::addColumn<QString>("needle");
        for (const char *n : {"--target",
                              "--engine",
                              "--settings",
                              "--env",
                              "--now",
                              "--concurrency",
                              "--rate",
                              "--timeout",
                              "--retries",
                              "--outbox",
                              "--history",
                              "--no-history",
                              "--yes",
                              "--discard-other-keys",
                              "--capture-settings",
                              "HAR capture",
                              "Examples:",
                              "resuming",
                              "<API_KEY>",
                              "transport OK"})
            QTest::newRow(n) << QString::fromLatin1(n);
    }
    void helpDocumentsEveryOption()
    {
        QFETCH(QString, needle);
        QTemporaryDir home;
        const Run run = runCli({QStringLiteral("send"), QStringLiteral("--help")}, home.path());
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(needle.toUtf8()), qPrintable(needle));
    }

    void survivesSigkillMidRun();
    void deviceEnginesHaveNothingToSend_data();
    void deviceEnginesHaveNothingToSend();
    void targetOffThisMachineNeedsYes_data();
    void targetOffThisMachineNeedsYes();
    void failuresExitNonZeroWithoutTheKey();
    void aBrokenMessageIsReportedAndTheRestSent();
    void unreadableInputSendsNothing();
    void resumeSendsOnlyWithTheKeyItWasQueuedWith();
    void discardOtherKeysDropsThem();
    void theSameCommandGoesOnWhereAStoppedRunLeftItsFile();
    void nothingToSend();
    void aCaptureIsSentWithItsSettings();
    void captureSettingsNeedACaptureFile_data();
    void captureSettingsNeedACaptureFile();
};

void TestSendCommand::survivesSigkillMidRun()
{
    QTemporaryDir home;
    QTemporaryDir work;
    const QString outbox = work.filePath(QStringLiteral("outbox"));
    const QString history = work.filePath(QStringLiteral("history"));

    // 2,000 calls, each one its own event: person, name, properties and timestamp all differ.
    QByteArray calls;
    for (int i = 0; i < 2000; ++i) {
        calls += QStringLiteral(R"({"type":"track","userId":"user-%1","event":"Event %2","properties":{"index":%1,)"
                                R"("label":"call %1 of 2000","price":%3},"timestamp":"%4"})")
                         .arg(i)
                         .arg(i % 7)
                         .arg(i * 0.25)
                         .arg(QDateTime::fromSecsSinceEpoch(1700000000 + i, QTimeZone::utc()).toString(Qt::ISODate))
                         .toUtf8()
                 + '\n';
    }
    const QString callsFile = writeFile(work, QStringLiteral("calls.ndjson"), calls);

    // What must arrive: the preview of every call, through the same engine and settings.
    QHash<QByteArray, int> expected;
    int expectedTotal = 0;
    {
        Settings settings;
        std::string error;
        QVERIFY(Settings::fromJson(kSettings.toStdString(), &settings, &error));
        const auto engine = Engine::create(EngineId::SegmentCloud);
        JsonReader reader;
        Translation translation;
        TranslateOptions options;
        options.nowMillis = 1700000000000;
        for (const QByteArray &line : calls.split('\n')) {
            if (line.isEmpty())
                continue;
            Arena arena;
            const JsonResult parsed = reader.parse(line.toStdString(), arena);
            QVERIFY(parsed.ok());
            engine->translate(parsed.value, settings, Environment(), options, arena, translation);
            for (const HttpRequest &r : translation.requests) {
                JsonWriter writer;
                writer.value(OutputFormat::params(r, EngineId::SegmentCloud, arena));
                const QJsonObject params = QJsonDocument::fromJson(QByteArray::fromStdString(writer.buffer())).object();
                QVERIFY(params.contains(QLatin1String("_t")));
                ++expected[canonical(params)];
                ++expectedTotal;
            }
        }
    }
    QVERIFY(expectedTotal >= 2000);
    QCOMPARE(expected.size(), expectedTotal); // every request distinct

    Serve serve(home.path());
    const quint16 port = serve.waitForPort();
    QVERIFY(port != 0);
    const QString target = QStringLiteral("http://127.0.0.1:%1").arg(port);
    const QStringList common{QStringLiteral("send"),
                             QStringLiteral("--target"),
                             target,
                             QStringLiteral("--settings"),
                             kSettings,
                             QStringLiteral("--outbox"),
                             outbox,
                             QStringLiteral("--history"),
                             history,
                             QStringLiteral("--concurrency"),
                             QStringLiteral("4")};

    // First run, slowed by the rate limit so that it is surely in the middle when killed.
    QProcess first;
    first.setProcessEnvironment(environment(home.path()));
    first.start(QStringLiteral(KM_CLI_PATH),
                common + QStringList{QStringLiteral("--rate"), QStringLiteral("400"), callsFile});
    QVERIFY(first.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(serve.lines().size() >= 300, 60000);
    first.kill(); // SIGKILL
    QVERIFY(first.waitForFinished(10000));
    QCOMPARE(first.exitStatus(), QProcess::CrashExit);
    QTest::qWait(200); // let the server print what was on its way
    const int receivedAtKill = int(serve.lines().size());
    QVERIFY2(receivedAtKill < expectedTotal, "the first run finished before it was killed: nothing to resume");
    QVERIFY(!containsKey(first.readAllStandardOutput() + first.readAllStandardError()));

    // Second run: the same command. It sends what the first left in the outbox, and goes on with
    // the file where the first stopped queuing it (the file is read while sending, so a kill can
    // come before all of it is queued): nothing twice but the few in flight at the kill.
    const Run second = runCli(common + QStringList{callsFile}, home.path());
    QVERIFY2(second.exitCode == 0, second.err.constData());
    QVERIFY2(second.err.contains("resuming ") || second.err.contains("continuing "), second.err.constData());
    static const QRegularExpression summary(QStringLiteral("sent (\\d+), failed 0"));
    const QRegularExpressionMatch m = summary.match(QString::fromUtf8(second.out));
    QVERIFY2(m.hasMatch(), second.out.constData());
    const int resumed = m.captured(1).toInt();
    QVERIFY2(resumed >= expectedTotal - receivedAtKill, second.err.constData());
    QVERIFY(resumed <= expectedTotal - receivedAtKill + 4 + 1); // the few in flight at the kill, at most
    QVERIFY(!containsKey(second.out + second.err));

    // Everything arrived at least once.
    QHash<QByteArray, int> received;
    const auto missing = [&] {
        received.clear();
        for (const QByteArray &line : serve.lines()) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            ++received[canonical(o.value(QLatin1String("params")).toObject())];
        }
        int n = 0;
        for (auto it = expected.cbegin(); it != expected.cend(); ++it)
            n += received.contains(it.key()) ? 0 : 1;
        return n;
    };
    QTRY_COMPARE_WITH_TIMEOUT(missing(), 0, 20000);
    int duplicates = 0;
    for (auto it = received.cbegin(); it != received.cend(); ++it) {
        QVERIFY2(expected.contains(it.key()), it.key().constData()); // nothing that was not asked for
        duplicates += it.value() - 1;
    }
    // Only a request in flight at the kill (4 at most) can be received twice, or one whose done
    // record the kill tore.
    QVERIFY2(duplicates <= 4 + 1, qPrintable(QString::number(duplicates)));
    qInfo("%d requests; %d received before the kill, %d resumed, %d received twice", expectedTotal, receivedAtKill,
          resumed, duplicates);
    QCOMPARE(int(serve.lines().size()), expectedTotal + duplicates);

    // The outbox is empty again, the history has every send, and the key is in no file.
    QFile journal(outbox + QStringLiteral("/outbox.ndjson"));
    QVERIFY(journal.open(QIODevice::ReadOnly));
    QCOMPARE(journal.readAll(), QByteArray());
    const QByteArray files = everyFile(work.path()) + everyFile(home.path());
    QVERIFY(files.contains("_k=<API_KEY>"));
    QVERIFY(!containsKey(files));
}

void TestSendCommand::deviceEnginesHaveNothingToSend_data()
{
    QTest::addColumn<QString>("engine");
    QTest::newRow("segment-device") << QStringLiteral("segment-device");
    QTest::newRow("rudder-device") << QStringLiteral("rudder-device");
}

void TestSendCommand::deviceEnginesHaveNothingToSend()
{
    QFETCH(QString, engine);
    QTemporaryDir home, work;
    const QString file = writeFile(work, QStringLiteral("c.json"), R"({"type":"track","userId":"u","event":"E"})");
    const Run run = runCli({QStringLiteral("send"), QStringLiteral("--target"), QStringLiteral("http://127.0.0.1:9"),
                            QStringLiteral("--engine"), engine, QStringLiteral("--outbox"),
                            work.filePath(QStringLiteral("o")), file},
                           home.path());
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("runs in the browser"), run.err.constData());
    QVERIFY(!QFileInfo::exists(work.filePath(QStringLiteral("o"))));
}

void TestSendCommand::targetOffThisMachineNeedsYes_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("isLoopback");
    QTest::newRow("127.0.0.1") << QStringLiteral("127.0.0.1") << true;
    QTest::newRow("127.1.2.3") << QStringLiteral("127.1.2.3") << true;
    QTest::newRow("::1") << QStringLiteral("[::1]") << true;
    QTest::newRow("localhost") << QStringLiteral("localhost") << true;
    QTest::newRow("LocalHost") << QStringLiteral("LocalHost") << true;
    QTest::newRow("a LAN address") << QStringLiteral("192.168.1.20") << false;
    QTest::newRow("a name") << QStringLiteral("trk.kissmetrics.io") << false;
    QTest::newRow("a name that starts like loopback") << QStringLiteral("127.0.0.1.example.com") << false;
    QTest::newRow("0.0.0.0") << QStringLiteral("0.0.0.0") << false;
}

void TestSendCommand::targetOffThisMachineNeedsYes()
{
    QFETCH(QString, host);
    QFETCH(bool, isLoopback);
    QTemporaryDir home, work;
    const QString file = writeFile(work, QStringLiteral("c.json"), R"({"type":"track","userId":"u","event":"E"})");
    const QString outbox = work.filePath(QStringLiteral("o"));
    // Port 9 (discard): refused on loopback, so a permitted send fails fast.
    const Run run = runCli({QStringLiteral("send"), QStringLiteral("--target"), QStringLiteral("http://%1:9").arg(host),
                            QStringLiteral("--settings"), kSettings, QStringLiteral("--retries"), QStringLiteral("0"),
                            QStringLiteral("--timeout"), QStringLiteral("2000"), QStringLiteral("--outbox"), outbox,
                            QStringLiteral("--no-history"), file},
                           home.path());
    if (isLoopback) {
        QVERIFY2(run.exitCode == 1, run.err.constData()); // sent, and failed: nothing listens there
        QVERIFY(run.out.contains("failed 1"));
    } else {
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("--yes"), run.err.constData());
        QVERIFY(!QFileInfo::exists(outbox)); // not even stored
    }
}

void TestSendCommand::failuresExitNonZeroWithoutTheKey()
{
    QTemporaryDir home, work;
    QByteArray calls;
    for (int i = 0; i < 3; ++i)
        calls += QStringLiteral(R"({"type":"track","userId":"u%1","event":"E"})").arg(i).toUtf8() + '\n';
    const QString file = writeFile(work, QStringLiteral("c.ndjson"), calls);
    const QString outbox = work.filePath(QStringLiteral("o"));
    const QString history = work.filePath(QStringLiteral("h"));
    const Run run = runCli({QStringLiteral("send"), QStringLiteral("--target"), QStringLiteral("http://127.0.0.1:9"),
                            QStringLiteral("--settings"), kSettings, QStringLiteral("--retries"), QStringLiteral("1"),
                            QStringLiteral("--outbox"), outbox, QStringLiteral("--history"), history, file},
                           home.path());
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.out.contains("sent 0, failed 3 of 3 request(s); 6 attempt(s)"), run.out.constData());
    QCOMPARE(run.err.count("failed after 2 attempt(s)"), 3);
    QVERIFY(run.err.contains("connection refused"));
    QVERIFY(run.err.contains("_k=<API_KEY>")); // the URL is shown, the key is not
    QVERIFY(!containsKey(run.out + run.err));
    // Failed for good is done too: nothing is left to resume; the history has the three.
    QFile journal(outbox + QStringLiteral("/outbox.ndjson"));
    QVERIFY(journal.open(QIODevice::ReadOnly));
    QCOMPARE(journal.readAll(), QByteArray());
    QFile historyFile(history + QStringLiteral("/history.ndjson"));
    QVERIFY(historyFile.open(QIODevice::ReadOnly));
    QCOMPARE(historyFile.readAll().count('\n'), 3);
    QVERIFY(!containsKey(everyFile(work.path())));
}

void TestSendCommand::aBrokenMessageIsReportedAndTheRestSent()
{
    QTemporaryDir home, work;
    const QString file = writeFile(work, QStringLiteral("c.ndjson"),
                                   "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\"}\n{\"type\": oops\n"
                                   "{\"type\":\"track\",\"userId\":\"u2\",\"event\":\"F\"}\n");
    Serve serve(home.path());
    const quint16 port = serve.waitForPort();
    QVERIFY(port != 0);
    const Run run =
            runCli({QStringLiteral("send"), QStringLiteral("--target"), QStringLiteral("http://127.0.0.1:%1").arg(port),
                    QStringLiteral("--settings"), kSettings, QStringLiteral("--outbox"),
                    work.filePath(QStringLiteral("o")), QStringLiteral("--no-history"), file},
                   home.path());
    QVERIFY2(run.exitCode == 1, run.err.constData()); // something could not be sent: 1
    QVERIFY2(run.err.contains("message 1: line 2"), run.err.constData());
    QVERIFY2(run.out.contains("sent 2, failed 0 of 2 request(s)"), run.out.constData());
    QVERIFY2(run.out.contains("1 message(s) could not be read"), run.out.constData());
    QTRY_COMPARE(serve.lines().size(), 2);
    QVERIFY(serve.lines().at(0).contains("\"u\"") || serve.lines().at(1).contains("\"u\""));
}

void TestSendCommand::unreadableInputSendsNothing()
{
    QTemporaryDir home, work;
    const QString file = writeFile(work, QStringLiteral("c.ndjson"), "{\"type\": oops\n[1,\n");
    const Run run = runCli({QStringLiteral("send"), QStringLiteral("--target"), QStringLiteral("http://127.0.0.1:9"),
                            QStringLiteral("--settings"), kSettings, QStringLiteral("--outbox"),
                            work.filePath(QStringLiteral("o")), file},
                           home.path());
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("message 0: line 1"), run.err.constData());
    QVERIFY2(run.err.contains("nothing was sent"), run.err.constData());
    QVERIFY(!run.out.contains("sent "));
}

namespace {

// What an earlier run left unsent: one request needing a key, queued with `key` (none: from
// before fingerprints existed).
bool leaveUnsent(const QString &outboxDir, const QString &target, const QString &id, const QByteArray &key)
{
    Outbox earlier(outboxDir);
    if (!earlier.open())
        return false;
    SendRequest request;
    request.id = id;
    request.target = target;
    request.wire = "_n=Left&_p=u&_t=1700000000&_k=<API_KEY>";
    request.engine = QStringLiteral("segment-cloud");
    if (!key.isEmpty())
        request.keyFingerprint = earlier.keyFingerprint(key);
    return earlier.add(request);
}

// A built-in endpoint to send to, and an outbox where an earlier run leaves requests queued with
// another API key than kSettings' (or with none).
struct OtherKeyOutbox
{
    QTemporaryDir home, work;
    Serve serve{home.path()};
    quint16 port = serve.waitForPort(); // 0 when the endpoint did not start
    QString target = QStringLiteral("http://127.0.0.1:%1").arg(port);
    QString outboxDir = work.filePath(QStringLiteral("o"));
    QByteArray otherKey = "cli-SECRET-other";

    enum class Key { Other, None };
    bool leave(const QString &id, Key key)
    {
        return leaveUnsent(outboxDir, target, id, key == Key::Other ? otherKey : "");
    }
    QString otherKeySettings() const { return QStringLiteral(R"({"apiKey":"%1"})").arg(QString::fromLatin1(otherKey)); }
    // `send` to the endpoint with this outbox and no history; `settings` starts with the settings.
    Run send(const QStringList &settings) const
    {
        return runCli(QStringList{QStringLiteral("send"), QStringLiteral("--target"), target,
                                  QStringLiteral("--outbox"), outboxDir, QStringLiteral("--no-history"),
                                  QStringLiteral("--settings")}
                              + settings,
                      home.path());
    }
};

} // namespace

// A request left in the outbox goes out only with the key it was queued with (its fingerprint
// says which; the key itself is in no file): with another key it stays, and says so.
void TestSendCommand::resumeSendsOnlyWithTheKeyItWasQueuedWith()
{
    OtherKeyOutbox outbox;
    QVERIFY(outbox.port != 0);
    QVERIFY(outbox.leave(QStringLiteral("left-behind"), OtherKeyOutbox::Key::Other));

    const Run withThisKey = outbox.send({kSettings});
    QVERIFY2(withThisKey.exitCode == 0, withThisKey.err.constData());
    QVERIFY2(withThisKey.err.contains(
                     "1 unsent request(s) were queued with a different API key; they stay in the outbox"),
             withThisKey.err.constData());
    QVERIFY(withThisKey.out.contains("nothing to send"));
    QTest::qWait(200);
    QCOMPARE(outbox.serve.lines().size(), 0);

    const Run withItsKey = outbox.send({outbox.otherKeySettings()});
    QVERIFY2(withItsKey.exitCode == 0, withItsKey.err.constData());
    QVERIFY2(withItsKey.err.contains("resuming 1 unsent request"), withItsKey.err.constData());
    QTRY_COMPARE(outbox.serve.lines().size(), 1);
    QVERIFY2(outbox.serve.lines().first().contains("cli-SECRET-other"), outbox.serve.lines().first().constData());
    QVERIFY(!everyFile(outbox.work.path()).contains("SECRET"));
}

// Requests queued with another key (or before fingerprints existed) can be dropped for good.
void TestSendCommand::discardOtherKeysDropsThem()
{
    OtherKeyOutbox outbox;
    QVERIFY(outbox.port != 0);
    QVERIFY(outbox.leave(QStringLiteral("with-other-key"), OtherKeyOutbox::Key::Other));
    QVERIFY(outbox.leave(QStringLiteral("without-fingerprint"), OtherKeyOutbox::Key::None));

    const Run discarding = outbox.send({kSettings, QStringLiteral("--discard-other-keys")});
    QVERIFY2(discarding.exitCode == 0, discarding.err.constData());
    QVERIFY2(discarding.err.contains("discarded 2 unsent request(s) queued with a different API key"),
             discarding.err.constData());

    const Run withItsKey = outbox.send({outbox.otherKeySettings()});
    QVERIFY2(withItsKey.exitCode == 0, withItsKey.err.constData());
    QVERIFY2(!withItsKey.err.contains("resuming"), withItsKey.err.constData());
    QVERIFY(withItsKey.out.contains("nothing to send"));
    QTest::qWait(200);
    QCOMPARE(outbox.serve.lines().size(), 0);
}

// A run stopped while queuing a file leaves how far it got in the outbox: the same command goes
// on after those messages; once a run got through, the next one is a new send of the whole file.
void TestSendCommand::theSameCommandGoesOnWhereAStoppedRunLeftItsFile()
{
    QTemporaryDir home, work;
    Serve serve(home.path());
    const quint16 port = serve.waitForPort();
    QVERIFY(port != 0);
    const QString target = QStringLiteral("http://127.0.0.1:%1").arg(port);
    const QString outboxDir = work.filePath(QStringLiteral("o"));
    QByteArray calls;
    for (int i = 0; i < 5; ++i)
        calls += QStringLiteral("{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Event %1\"}\n").arg(i).toUtf8();
    const QString callsFile = writeFile(work, QStringLiteral("calls.ndjson"), calls);
    {
        // What a run killed after queuing (and sending) the first three messages leaves behind.
        Outbox earlier(outboxDir);
        QVERIFY(earlier.open());
        Settings settings;
        std::string error;
        QVERIFY(Settings::fromJson(kSettings.toStdString(), &settings, &error));
        const QString id = Outbox::sourceId(callsFile, target, QStringLiteral("segment-cloud"),
                                            SendRequest::settingsSnapshotOf(settings),
                                            earlier.keyFingerprint(SendRequest::apiKeyText(settings.apiKey())));
        QVERIFY(earlier.add({}, id, {3, false}));
    }
    const QStringList command{QStringLiteral("send"),
                              QStringLiteral("--target"),
                              target,
                              QStringLiteral("--outbox"),
                              outboxDir,
                              QStringLiteral("--no-history"),
                              QStringLiteral("--settings"),
                              kSettings,
                              callsFile};
    const Run goingOn = runCli(command, home.path());
    QVERIFY2(goingOn.exitCode == 0, goingOn.err.constData());
    QVERIFY2(goingOn.err.contains("continuing " + callsFile.toUtf8() + " after message 3"), goingOn.err.constData());
    QVERIFY2(goingOn.out.contains("sent 2, failed 0"), goingOn.out.constData());
    QTRY_COMPARE(serve.lines().size(), 2);
    QVERIFY(serve.lines().at(0).contains("Event 3"));
    QVERIFY(serve.lines().at(1).contains("Event 4"));

    const Run again = runCli(command, home.path());
    QVERIFY2(again.exitCode == 0, again.err.constData());
    QVERIFY2(!again.err.contains("continuing"), again.err.constData());
    QVERIFY2(again.out.contains("sent 5, failed 0"), again.out.constData());
    QTRY_COMPARE(serve.lines().size(), 7);
}

void TestSendCommand::nothingToSend()
{
    QTemporaryDir home, work;
    const Run run = runCli({QStringLiteral("send"), QStringLiteral("--target"), QStringLiteral("http://127.0.0.1:9"),
                            QStringLiteral("--outbox"), work.filePath(QStringLiteral("o"))},
                           home.path());
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.contains("nothing to send"));
}

// A browser's capture: its calls, sent with its Kissmetrics settings (key included), --settings on top.
void TestSendCommand::aCaptureIsSentWithItsSettings()
{
    QTemporaryDir home, work;
    Serve serve(home.path());
    const quint16 port = serve.waitForPort();
    QVERIFY(port != 0);
    const Run run =
            runCli({QStringLiteral("send"), QStringLiteral("--target"), QStringLiteral("http://127.0.0.1:%1").arg(port),
                    QStringLiteral("--capture-settings"), QStringLiteral("--settings"),
                    QStringLiteral(R"({"prefixProperties":false})"), QStringLiteral("--outbox"),
                    work.filePath(QStringLiteral("o")), QStringLiteral("--no-history"),
                    QStringLiteral(KM_SOURCE_DIR "/resources/samples/product-page.har")},
                   home.path());
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(run.out.contains("sent 4, failed 0 of 4 request(s)"),
             run.out.constData()); // page, track, identify /s + /a
    QTRY_COMPARE(serve.lines().size(), 4);
    for (const QByteArray &line : serve.lines())
        QVERIFY2(line.contains(R"("_k":"3f1c2b9e8d7a6c5b4a3f2e1d0c9b8a7f6e5d4c3b")"), line.constData());
    const QByteArray all = serve.lines().join('\n');
    // prefixProperties overridden: the track's properties go unprefixed (the capture has it on).
    QVERIFY2(all.contains(R"("product_id":"p-77")") && !all.contains("Product Added - product_id"), all.constData());
    QVERIFY(!run.out.contains("3f1c2b9e") && !run.err.contains("3f1c2b9e"));
}

void TestSendCommand::captureSettingsNeedACaptureFile_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("standard input") << QStringLiteral("-")
                                    << QByteArray("--capture-settings needs the capture as FILE");
    QTest::newRow("a message file") << QStringLiteral("c.json") << QByteArray("c.json is not a HAR capture");
}

void TestSendCommand::captureSettingsNeedACaptureFile()
{
    QFETCH(QString, input);
    QFETCH(QByteArray, message);
    QTemporaryDir home, work;
    const QString file = writeFile(work, QStringLiteral("c.json"), R"({"type":"track","userId":"u","event":"E"})");
    const Run run = runCli({QStringLiteral("send"), QStringLiteral("--target"), QStringLiteral("http://127.0.0.1:9"),
                            QStringLiteral("--capture-settings"), QStringLiteral("--outbox"),
                            work.filePath(QStringLiteral("o")), input == QLatin1String("-") ? input : file},
                           home.path());
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(message), run.err.constData());
    QVERIFY(!QFileInfo::exists(work.filePath(QStringLiteral("o"))));
}

QTEST_GUILESS_MAIN(TestSendCommand)
#include "tst_sendcommand.moc"
