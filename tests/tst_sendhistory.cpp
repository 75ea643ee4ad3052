// The send history: entries round-trip, the size cap drops the oldest, search finds words in any
// field (the decoded query included), entry(id) for "send again", NDJSON and cURL exports, and the
// API key in no file unless an export is asked to show it.

#include "sendhistory.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#endif

using namespace km;

namespace {

const QByteArray kKey = "hist-SECRET-5150";

HistoryEntry entry(int n, int status = 200, const QString &event = QStringLiteral("Signed Up"))
{
    HistoryEntry e;
    e.request.id = QStringLiteral("id-%1").arg(n, 4, 10, QLatin1Char('0'));
    e.request.target = QStringLiteral("http://127.0.0.1:8080");
    e.request.endpoint = Endpoint::Event;
    e.request.method = HttpMethod::Get;
    e.request.wire = "_n=" + QUrl::toPercentEncoding(event)
                     + "&plan=Pro&_p=user%40example.com&_t=" + QByteArray::number(1700000000 + n) + "&_k=<API_KEY>";
    e.request.createdAt = 1700000000000 + n;
    e.request.engine = n % 2 ? QStringLiteral("rudder-cloud") : QStringLiteral("segment-cloud");
    e.request.settingsSnapshot = QStringLiteral(R"({"prefixProperties":false})");
    if (n % 3 == 0)
        e.request.warnings = {QStringLiteral("revenue-not-number: the revenue is text")};
    e.result.state = status >= 200 && status < 300 ? SendResult::State::Sent : SendResult::State::Failed;
    e.result.error = status >= 200 && status < 300 ? SendResult::Error::NoError : SendResult::Error::HttpError;
    e.result.httpStatus = status;
    e.result.headers = {{"Content-Type", "image/gif"}, {"Content-Length", "43"}};
    e.result.bodySize = 43;
    e.result.latencyMs = 12 + n;
    e.result.attempts = status == 200 ? 1 : 5;
    if (status != 200)
        e.result.failureReason = QStringLiteral("HTTP %1; gave up after 5 attempts").arg(status);
    e.finishedAt = 1700000000000 + n * 1000;
    return e;
}

QStringList ids(const QList<HistoryEntry> &entries)
{
    QStringList out;
    for (const HistoryEntry &e : entries)
        out << e.id();
    return out;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestSendHistory : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip()
    {
        QTemporaryDir dir;
        SendHistory history(dir.path());
        const HistoryEntry e = entry(3, 200);
        QVERIFY(history.append(e));
        const QList<HistoryEntry> entries = history.entries();
        QCOMPARE(entries.size(), 1);
        const HistoryEntry &got = entries.first();
        QCOMPARE(got.id(), e.id());
        QCOMPARE(got.finishedAt, e.finishedAt);
        QCOMPARE(got.request.wire, e.request.wire);
        QCOMPARE(got.request.target, e.request.target);
        QCOMPARE(got.request.engine, e.request.engine);
        QCOMPARE(got.request.settingsSnapshot, e.request.settingsSnapshot);
        QCOMPARE(got.request.warnings, e.request.warnings);
        QCOMPARE(got.result.state, e.result.state);
        QCOMPARE(got.result.httpStatus, 200);
        QCOMPARE(got.result.headers, e.result.headers);
        QCOMPARE(got.result.bodySize, qint64(43));
        QCOMPARE(got.result.latencyMs, e.result.latencyMs);
        QCOMPARE(got.result.attempts, 1);
        QCOMPARE(got.result.warnings, e.request.warnings); // a 200 keeps the preview's warnings
    }

    void capDropsTheOldest()
    {
        QTemporaryDir dir;
        const qint64 cap = 8 * 1024;
        SendHistory history(dir.path(), cap);
        for (int i = 0; i < 200; ++i) {
            QVERIFY(history.append(entry(i)));
            QVERIFY2(history.fileSize() <= cap, qPrintable(QString::number(history.fileSize())));
        }
        const QStringList kept = ids(history.entries());
        QVERIFY(kept.size() > 5);
        QVERIFY(kept.size() < 200);
        // The newest, in order, with no gap.
        QCOMPARE(kept.last(), entry(199).id());
        for (qsizetype i = 0; i < kept.size(); ++i)
            QCOMPARE(kept.at(i), entry(int(200 - kept.size() + i)).id());
        QVERIFY(readAll(history.filePath()).endsWith('\n'));
    }

    // A bulk writer lets the file grow a cap's worth past the cap between trims, then trims it
    // down to three quarters of the cap at the end: the newest entries, whole, no gap.
    void trimSlackDefersTheTrim()
    {
        QTemporaryDir dir;
        const qint64 cap = 8 * 1024;
        SendHistory history(dir.path(), cap);
        history.setTrimSlack(cap);
        qint64 largest = 0;
        int appended = 0;
        while (largest <= cap) {
            QVERIFY(history.append(entry(appended++)));
            largest = qMax(largest, history.fileSize());
        }
        QVERIFY2(history.fileSize() <= 2 * cap, qPrintable(QString::number(history.fileSize())));
        QCOMPARE(ids(history.entries()).size(), appended); // over the cap, nothing dropped yet
        QVERIFY(history.trimToCap());
        QVERIFY(history.fileSize() <= cap / 4 * 3);
        const QStringList kept = ids(history.entries());
        QVERIFY(!kept.isEmpty());
        for (qsizetype i = 0; i < kept.size(); ++i)
            QCOMPARE(kept.at(i), entry(int(appended - kept.size() + i)).id());
        QVERIFY(history.trimToCap()); // under the cap: left alone
        QCOMPARE(ids(history.entries()), kept);
    }

    void search_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("found");
        QTest::newRow("empty: all") << QString() << QStringList{"id-0001", "id-0002", "id-0003", "id-0004"};
        QTest::newRow("decoded event name")
                << QStringLiteral("signed up") << QStringList{"id-0001", "id-0002", "id-0003"};
        QTest::newRow("another event") << QStringLiteral("Order Completed") << QStringList{"id-0004"};
        QTest::newRow("decoded person") << QStringLiteral("user@example.com")
                                        << QStringList{"id-0001", "id-0002", "id-0003", "id-0004"};
        QTest::newRow("status") << QStringLiteral("503") << QStringList{"id-0002"};
        QTest::newRow("state") << QStringLiteral("failed") << QStringList{"id-0002"};
        QTest::newRow("engine") << QStringLiteral("rudder-cloud") << QStringList{"id-0001", "id-0003"};
        QTest::newRow("warning text") << QStringLiteral("revenue") << QStringList{"id-0003"};
        QTest::newRow("two words, both needed") << QStringLiteral("rudder signed") << QStringList{"id-0001", "id-0003"};
        QTest::newRow("id") << QStringLiteral("id-0004") << QStringList{"id-0004"};
        QTest::newRow("nothing") << QStringLiteral("zebra") << QStringList{};
    }
    void search()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, found);
        QTemporaryDir dir;
        SendHistory history(dir.path());
        QVERIFY(history.append(entry(1)));
        QVERIFY(history.append(entry(2, 503)));
        QVERIFY(history.append(entry(3)));
        QVERIFY(history.append(entry(4, 200, QStringLiteral("Order Completed"))));
        QCOMPARE(ids(history.search(text)), found);
    }

    void entryById()
    {
        QTemporaryDir dir;
        SendHistory history(dir.path());
        QVERIFY(history.append(entry(1)));
        QVERIFY(history.append(entry(2)));
        HistoryEntry resent = entry(1, 500);
        QVERIFY(history.append(resent));
        const auto found = history.entry(entry(1).id());
        QVERIFY(found.has_value());
        QCOMPARE(found->result.httpStatus, 500); // the newest with that id
        QVERIFY(!history.entry(QStringLiteral("nope")).has_value());

        // "Send again": the same wire (same _t, the same event) under a new id.
        const SendRequest again = found->request.copyForResend(1800000000000);
        QVERIFY(again.id != found->request.id);
        QCOMPARE(again.wire, found->request.wire);
        QCOMPARE(again.createdAt, qint64(1800000000000));
    }

    void tornLastLineIsNotAnEntry()
    {
        QTemporaryDir dir;
        SendHistory history(dir.path());
        QVERIFY(history.append(entry(1)));
        {
            QFile f(history.filePath());
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Append));
            f.write("{\"id\":\"id-0002\",\"finishedAt\":");
        }
        QCOMPARE(ids(history.entries()), QStringList{entry(1).id()});
    }

    void clear()
    {
        QTemporaryDir dir;
        SendHistory history(dir.path());
        QVERIFY(history.append(entry(1)));
        QVERIFY(history.clear());
        QVERIFY(history.entries().isEmpty());
        QVERIFY(history.clear()); // nothing to remove is fine
    }

    void ndjsonExport()
    {
        const QList<HistoryEntry> entries{entry(1), entry(2, 500)};
        const QByteArray ndjson = SendHistory::toNdjson(entries);
        const QList<QByteArray> lines = ndjson.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        for (qsizetype i = 0; i < lines.size(); ++i) {
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(lines[i], &error);
            QCOMPARE(error.error, QJsonParseError::NoError);
            bool ok = false;
            const HistoryEntry back = HistoryEntry::fromJson(doc.object(), &ok);
            QVERIFY(ok);
            QCOMPARE(back.id(), entries[i].id());
            QCOMPARE(back.result.httpStatus, entries[i].result.httpStatus);
        }
    }

    void curlExport()
    {
        HistoryEntry post = entry(2);
        post.request.method = HttpMethod::Post;
        post.request.endpoint = Endpoint::Set;
        post.request.wire = "name=O%27Brien&_p=u&_k=<API_KEY>";
        const QList<HistoryEntry> entries{entry(1), post};

        const QByteArray script = SendHistory::toCurlScript(entries);
        QVERIFY(script.startsWith("#!/bin/sh\n"));
        QVERIFY(script.contains("<API_KEY>: put yours in its place"));
        QVERIFY(script.contains("curl "
                                "'http://127.0.0.1:8080/"
                                "e?_n=Signed%20Up&plan=Pro&_p=user%40example.com&_t=1700000001&_k=<API_KEY>'\n"));
        // The form body, its quote escaped for sh.
        QVERIFY2(script.contains("curl -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data "
                                 "'name=O%27Brien&_p=u&_k=<API_KEY>' 'http://127.0.0.1:8080/s'\n"),
                 script.constData());
        QVERIFY(!script.contains(kKey));

        const QByteArray shown = SendHistory::toCurlScript(entries, KeyVisibility::Shown, kKey);
        QVERIFY(shown.contains("&_k=" + kKey + "'"));
        QVERIFY(!shown.contains("<API_KEY>"));
        // Asked to show a key it was not given: still the placeholder.
        QVERIFY(SendHistory::toCurlScript(entries, KeyVisibility::Shown).contains("_k=<API_KEY>"));
    }

    void exportFilesAndTheirPermissions()
    {
        QTemporaryDir dir;
        const QList<HistoryEntry> entries{entry(1)};
        QString error;
        const QString redacted = dir.filePath(QStringLiteral("redacted.sh"));
        QVERIFY(SendHistory::exportToFile(redacted, entries, SendHistory::ExportFormat::CurlScript,
                                          KeyVisibility::Redacted, kKey, &error));
        QVERIFY(!readAll(redacted).contains(kKey));
        QVERIFY(QFile::permissions(redacted) & QFileDevice::ExeOwner);

        const QString withKey = dir.filePath(QStringLiteral("with-key.sh"));
        QVERIFY(SendHistory::exportToFile(withKey, entries, SendHistory::ExportFormat::CurlScript, KeyVisibility::Shown,
                                          kKey, &error));
        QVERIFY(readAll(withKey).contains(kKey));
        const QFileDevice::Permissions p = QFile::permissions(withKey);
        QVERIFY(!(p
                  & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup
                     | QFileDevice::WriteOther)));

        const QString ndjson = dir.filePath(QStringLiteral("history.ndjson"));
        QVERIFY(SendHistory::exportToFile(ndjson, entries, SendHistory::ExportFormat::Ndjson, KeyVisibility::Shown,
                                          kKey, &error));
        QVERIFY(!readAll(ndjson).contains(kKey)); // NDJSON keeps the stored, redacted request

        QVERIFY(!SendHistory::exportToFile(dir.filePath(QStringLiteral("no/such/dir/x.sh")), entries,
                                           SendHistory::ExportFormat::CurlScript, KeyVisibility::Redacted, {}, &error));
        QVERIFY(!error.isEmpty());
    }

    // The app and the CLI append to one history at once, each trimming it now and then (a rewrite
    // of the file): the lock keeps a trim from dropping a line the other one is appending, and
    // lines from tearing. What is kept of each writer is then its newest entries, without a gap.
    void twoWritersLoseNoLine_data()
    {
        QTest::addColumn<qint64>("cap");
        QTest::newRow("no trim") << qint64(SendHistory::DefaultCapBytes);
        QTest::newRow("trimmed all the time") << qint64(16 * 1024);
    }
    void twoWritersLoseNoLine()
    {
        QFETCH(qint64, cap);
        QTemporaryDir dir;
        constexpr int perWriter = 300;
        bool ok[2] = {true, true};
        const auto write = [&](int writer) {
            SendHistory history(dir.path(), cap);
            for (int i = 0; i < perWriter && ok[writer]; ++i)
                ok[writer] = history.append(entry(writer * 10000 + i));
        };
        std::thread first(write, 0), second(write, 1);
        first.join();
        second.join();
        QVERIFY(ok[0] && ok[1]);

        const QByteArray data = readAll(dir.filePath(QStringLiteral("history.ndjson")));
        QVERIFY(data.endsWith('\n'));
        const qsizetype lines = data.count('\n');
        const QList<HistoryEntry> entries = SendHistory(dir.path(), cap).entries();
        QCOMPARE(entries.size(), lines); // every line a whole entry
        QList<int> kept[2];
        for (const HistoryEntry &e : entries) {
            const int n = e.id().mid(3).toInt();
            kept[n / 10000] << n % 10000;
        }
        for (const QList<int> &numbers : kept) {
            for (qsizetype i = 1; i < numbers.size(); ++i)
                QCOMPARE(numbers[i], numbers[i - 1] + 1);
        }
        if (cap == SendHistory::DefaultCapBytes) {
            QCOMPARE(kept[0].size(), perWriter);
            QCOMPARE(kept[1].size(), perWriter);
        } else {
            QVERIFY(data.size() <= cap);
            // The newest entry is always kept: the last writer's last.
            const int last = entries.last().id().mid(3).toInt();
            QCOMPARE(last % 10000, perWriter - 1);
        }
    }

#ifdef Q_OS_UNIX
    // Another process holding history.lock (as the app does while it trims) keeps this one from
    // writing until it lets go; then the entry is written, whole.
    void appendWaitsForAnotherWritersLock()
    {
        QTemporaryDir dir;
        SendHistory history(dir.path());
        QVERIFY(history.append(entry(1)));
        const QByteArray lockPath = QFile::encodeName(dir.filePath(QStringLiteral("history.lock")));
        const int fd = ::open(lockPath.constData(), O_RDWR | O_CLOEXEC);
        QVERIFY(fd >= 0);
        QCOMPARE(::flock(fd, LOCK_EX), 0);
        std::atomic<bool> appended = false;
        std::thread writer([&] {
            SendHistory other(dir.path());
            appended = other.append(entry(2));
        });
        QTest::qWait(300);
        const bool appendedWhileLocked = appended;
        const qsizetype linesWhileLocked = readAll(history.filePath()).count('\n');
        ::flock(fd, LOCK_UN);
        ::close(fd);
        writer.join();
        QVERIFY(!appendedWhileLocked);
        QCOMPARE(linesWhileLocked, 1);
        QVERIFY(appended);
        QCOMPARE(ids(history.entries()), (QStringList{QStringLiteral("id-0001"), QStringLiteral("id-0002")}));
    }
#endif

    void apiKeyIsInNoHistoryFile()
    {
        QTemporaryDir dir;
        SendHistory history(dir.path(), 4096);
        for (int i = 0; i < 50; ++i)
            QVERIFY(history.append(entry(i, i % 7 ? 200 : 500)));
        QDirIterator it(dir.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        int files = 0;
        while (it.hasNext()) {
            const QString path = it.next();
            const QByteArray bytes = readAll(path);
            QVERIFY(!bytes.contains(kKey));
            if (path == history.filePath())
                QVERIFY(bytes.contains("_k=<API_KEY>"));
            else
                QCOMPARE(bytes, QByteArray()); // the lock file
            ++files;
        }
        QCOMPARE(files, 2);
    }
};

QTEST_GUILESS_MAIN(TestSendHistory)
#include "tst_sendhistory.moc"
