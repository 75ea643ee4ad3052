// kmtester-cli as a user runs it: options, input forms, error lines with their place, exit codes,
// the curl/url formats and API-key redaction.

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run
{
    int exitCode = -1;
    QList<QByteArray> lines;
    QByteArray stdErr;
};

Run runCli(const QStringList &args, const QByteArray &input = {})
{
    QProcess cli;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TZ"), QStringLiteral("UTC"));
    cli.setProcessEnvironment(env);
    cli.start(QStringLiteral(KM_CLI_PATH), args);
    cli.waitForStarted();
    cli.write(input);
    cli.closeWriteChannel();
    cli.waitForFinished(60000);
    Run run;
    run.exitCode = cli.exitCode();
    const QByteArray out = cli.readAllStandardOutput();
    for (const QByteArray &line : out.split('\n'))
        if (!line.isEmpty())
            run.lines << line;
    run.stdErr = cli.readAllStandardError();
    return run;
}

const QString kSettings = QStringLiteral(R"({"apiKey":"secret-key-123","prefixProperties":true})");

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private slots:
    void helpDocumentsEveryOption_data()
    {
        QTest::addColumn<QString>("needle");
        for (const char *n :
             {"--engine", "--settings", "--env", "--now", "--format", "--show-key", "--host", "--explain",
              "--capture-settings", "HAR capture", "Examples:", "segment-device", "rudder-cloud", "<API_KEY>"})
            QTest::newRow(n) << QString::fromLatin1(n);
    }
    void helpDocumentsEveryOption()
    {
        QFETCH(QString, needle);
        const Run run = runCli({QStringLiteral("translate"), QStringLiteral("--help")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.lines.join('\n').contains(needle.toUtf8()), qPrintable(needle));
    }

    void inputForms_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("messages");
        const QByteArray track = R"({"type":"track","userId":"u","event":"E"})";
        QTest::newRow("single object") << track << 1;
        QTest::newRow("pretty-printed object")
                << QByteArray("{\n  \"type\": \"track\",\n  \"userId\": \"u\",\n  \"event\": \"E\"\n}\n") << 1;
        QTest::newRow("array") << ("[" + track + "," + track + "]") << 2;
        QTest::newRow("batch body") << (R"({"batch":[)" + track + "," + track + "," + track
                                        + R"(],"sentAt":"2020-01-01T00:00:00Z"})")
                                    << 3;
        QTest::newRow("ndjson") << (track + "\n\n" + track + "\r\n") << 2;
        QTest::newRow("empty") << QByteArray("\n\n") << 0;
    }
    void inputForms()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, messages);
        const Run run = runCli({QStringLiteral("translate"), QStringLiteral("--settings"), kSettings}, input);
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.lines.size(), messages);
        for (int i = 0; i < run.lines.size(); ++i)
            QVERIFY(run.lines[i].startsWith("{\"index\":" + QByteArray::number(i) + ",\"engine\":\"segment-cloud\""));
    }

    // A HAR capture: its Segment calls are the input; --capture-settings starts from its setup.
    void harCapture_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QByteArray>("engine");
        QTest::addColumn<QByteArray>("pageEvent"); // the page's event name on the first line
        const QString capture = QStringLiteral("--capture-settings");
        const QString settings = QStringLiteral("--settings");
        QTest::newRow("calls only") << QStringList{QStringLiteral("--engine"), QStringLiteral("segment-device"),
                                                   settings, QStringLiteral(R"({"apiKey":"k"})")}
                                    << QByteArray("segment-device") << QByteArray("Viewed Product Page");
        QTest::newRow("capture settings")
                << QStringList{capture} << QByteArray("segment-device") << QByteArray("Viewed Catalog Page");
        QTest::newRow("a setting overridden")
                << QStringList{capture, settings,
                               QStringLiteral(R"({"trackNamedPages":true,"trackCategorizedPages":false})")}
                << QByteArray("segment-device") << QByteArray("Viewed Product Page");
        QTest::newRow("engine given") << QStringList{capture, QStringLiteral("--engine"),
                                                     QStringLiteral("segment-cloud")}
                                      << QByteArray("segment-cloud")
                                      << QByteArray("Viewed Product Page"); // no category rule
    }
    void harCapture()
    {
        QFETCH(QStringList, options);
        QFETCH(QByteArray, engine);
        QFETCH(QByteArray, pageEvent);
        const Run run = runCli(QStringList{QStringLiteral("translate")} + options
                               + QStringList{QStringLiteral(KM_SOURCE_DIR "/resources/samples/product-page.har")});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.lines.size(), 3);
        for (const QByteArray &line : run.lines)
            QVERIFY2(line.contains("\"engine\":\"" + engine + "\""), line.constData());
        QVERIFY2(run.lines[0].contains("\"" + pageEvent + "\""), run.lines[0].constData());
        QVERIFY2(run.lines[1].contains("Product Added"), run.lines[1].constData());
        QVERIFY2(run.stdErr.contains("HAR capture: 3 Segment calls in 8 entries"), run.stdErr.constData());
        QVERIFY2(run.stdErr.contains(R"("apiKey":"<API_KEY>")"), run.stdErr.constData());
        QVERIFY(!run.stdErr.contains("3f1c2b9e8d7a"));
    }

    void captureSettingsNeedACapture_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("a message") << QByteArray(R"({"type":"track","event":"A","userId":"u"})")
                                   << QByteArray("--capture-settings: - is not a HAR capture\n");
        QTest::newRow("broken JSON") << QByteArray("{\"log\": {\"entries\": [}\n")
                                     << QByteArray("--capture-settings: - is not a HAR capture (it is not valid JSON: "
                                                   "line 1, column 22: unexpected character");
    }
    void captureSettingsNeedACapture()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, message);
        const Run run = runCli({QStringLiteral("translate"), QStringLiteral("--capture-settings")}, input);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.stdErr.contains(message), run.stdErr.constData());
        QVERIFY(run.lines.isEmpty());
    }

    void brokenLineDoesNotStopTheRest()
    {
        const QByteArray input = "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"A\"}\n"
                                 "{\"type\":\"track\",\"userId\":\"u\",\"event\":}\n"
                                 "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"C\"}\n";
        const Run run = runCli({QStringLiteral("translate"), QStringLiteral("--settings"), kSettings}, input);
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.lines.size(), 3);
        QVERIFY(run.lines[0].contains("\"_n\":\"A\""));
        QVERIFY2(run.lines[1].contains("\"index\":1,\"error\":\"line 2, column 38: "), run.lines[1].constData());
        QVERIFY(run.lines[2].contains("\"_n\":\"C\""));
    }

    void unreadableInputExitsTwo()
    {
        const Run run = runCli({QStringLiteral("translate"), QStringLiteral("/nonexistent/calls.ndjson")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.lines.isEmpty());
        QCOMPARE(run.stdErr.trimmed().count('\n'), 0);
        QVERIFY(run.stdErr.contains("/nonexistent/calls.ndjson"));
    }

    void badOptionsExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("unknown engine") << QStringList{QStringLiteral("--engine"), QStringLiteral("mixpanel")};
        QTest::newRow("settings not json") << QStringList{QStringLiteral("--settings"), QStringLiteral("{apiKey:")};
        QTest::newRow("settings not an object") << QStringList{QStringLiteral("--settings"), QStringLiteral("[1]")};
        QTest::newRow("now not a number") << QStringList{QStringLiteral("--now"), QStringLiteral("yesterday")};
        QTest::newRow("env without value") << QStringList{QStringLiteral("--env"), QStringLiteral("KM_SKIP_PAGE_VIEW")};
        QTest::newRow("unknown format") << QStringList{QStringLiteral("--format"), QStringLiteral("xml")};
    }
    void badOptionsExitTwo()
    {
        QFETCH(QStringList, args);
        const Run run = runCli(QStringList{QStringLiteral("translate")} + args, "{}");
        QCOMPARE(run.exitCode, 2);
        QVERIFY(!run.stdErr.isEmpty());
    }

    void settingsFromFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("settings.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"apiKey":"from-file","prefixProperties":true})");
        file.close();
        const Run run = runCli({QStringLiteral("translate"), QStringLiteral("--settings"), QLatin1Char('@') + path},
                               R"({"type":"track","userId":"u","event":"E","properties":{"p":1}})");
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.lines[0].contains("\"_k\":\"from-file\""));
        QVERIFY(run.lines[0].contains("\"E - p\":\"1\""));
    }

    void envValuesAreJsonOrText()
    {
        const QByteArray page = R"({"type":"page","name":"Home","properties":{"url":"http://x/"}})";
        auto pushes = [&](const QString &env) {
            const Run run = runCli({QStringLiteral("translate"), QStringLiteral("--engine"),
                                    QStringLiteral("segment-device"), QStringLiteral("--env"), env},
                                   page);
            return run.lines.value(0);
        };
        QVERIFY(pushes(QStringLiteral("KM_SKIP_PAGE_VIEW=0")).contains("\"Page View\""));
        QVERIFY(!pushes(QStringLiteral("KM_SKIP_PAGE_VIEW=1")).contains("\"Page View\""));
        // The text "false" is a non-empty string, so it is truthy in JavaScript; JSON false is not.
        QVERIFY(pushes(QStringLiteral("KM_SKIP_PAGE_VIEW=false")).contains("\"Page View\""));
        QVERIFY(!pushes(QStringLiteral("KM_SKIP_PAGE_VIEW=\"false\"")).contains("\"Page View\""));
        QVERIFY(pushes(QStringLiteral("userAgent=Mozilla/5.0 (iPad; CPU OS 17_0)"))
                        .contains("\"Mobile Session\":\"Yes\""));
    }

    void urlFormatRedactsTheKey()
    {
        const QByteArray track = R"({"type":"track","userId":"u 1","event":"Signed Up","timestamp":"2014"})";
        const QStringList base{QStringLiteral("translate"), QStringLiteral("--settings"), kSettings,
                               QStringLiteral("--format"), QStringLiteral("url")};
        Run run = runCli(base, track);
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.lines.size(), 2);
        QCOMPARE(run.lines[1],
                 QByteArray("https://trk.kissmetrics.io/e?_d=1&_k=<API_KEY>&_p=u%201&_t=1388534400&_n=Signed%20Up"));
        run = runCli(base
                             + QStringList{QStringLiteral("--show-key"), QStringLiteral("--host"),
                                           QStringLiteral("https://trk.kissmetrics.com/")},
                     track);
        QCOMPARE(run.lines[1],
                 QByteArray(
                         "https://trk.kissmetrics.com/e?_d=1&_k=secret-key-123&_p=u%201&_t=1388534400&_n=Signed%20Up"));
    }

    void curlFormatPostsLongPayloads()
    {
        const QByteArray track = "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"" + QByteArray(2100, 'x') + "\"}";
        const Run run = runCli({QStringLiteral("translate"), QStringLiteral("--settings"), kSettings,
                                QStringLiteral("--format"), QStringLiteral("curl")},
                               track);
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.lines[1].startsWith(
                "curl -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data '_d=1&_k=<API_KEY>&_p=u&"));
        QVERIFY(run.lines[1].endsWith("' 'https://trk.kissmetrics.io/e'"));
        QVERIFY(!run.lines[1].contains("secret-key-123"));
    }

    void deviceEnginesPrintJavaScriptInOtherFormats()
    {
        const Run run = runCli({QStringLiteral("translate"), QStringLiteral("--engine"),
                                QStringLiteral("segment-device"), QStringLiteral("--format"), QStringLiteral("url")},
                               R"({"type":"track","event":"E","properties":{"a":1}})");
        QCOMPARE(run.lines.value(1), QByteArray(R"(window._kmq.push(["record","E",{"E - a":1}]);)"));
    }

    void explainAddsOrigins()
    {
        const Run run = runCli(
                {QStringLiteral("translate"), QStringLiteral("--settings"), kSettings, QStringLiteral("--explain")},
                R"({"type":"track","userId":"u","event":"E","properties":{"address":{"city":"SF"}}})");
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(
                run.lines[0].contains(
                        R"({"key":"E - address.city","path":"properties.address.city","rules":["prefixed","flattened"]})"),
                run.lines[0].constData());
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
