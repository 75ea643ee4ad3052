// The controller the window sends through, against the real built-in endpoint on loopback: every
// sample call arrives exactly as previewed, the outbox holds each request before it leaves, the
// history gets every result, and no file written holds the API key.

#include "networkmanager.h"
#include "outbox.h"
#include "sendcontroller.h"
#include "sender.h"
#include "sendhistory.h"
#include "trackingendpoint.h"
#include "workspace.h"

#include <QDirIterator>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace km;

namespace {

constexpr qint64 kNow = 1577836800000; // 2020-01-01T00:00:00Z
const QByteArray kApiKey = QByteArrayLiteral("kmtest-SECRET-key-7Q2x9");

Configuration withKey(Configuration config, const QByteArray &key)
{
    config.settings.values().set("apiKey", Value::string(key.toStdString()));
    return config;
}

// Every file under `directory` that contains `needle`.
QStringList filesContaining(const QString &directory, const QByteArray &needle)
{
    QStringList found;
    QDirIterator it(directory, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (file.open(QIODevice::ReadOnly) && file.readAll().contains(needle))
            found << file.fileName();
    }
    return found;
}

} // namespace

class TestSendController : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SendController> m_controller;

    QString outboxDir() const { return m_dir->filePath(QStringLiteral("outbox")); }
    QString historyDir() const { return m_dir->filePath(QStringLiteral("history")); }

    std::unique_ptr<SendController> makeController()
    {
        auto controller = std::make_unique<SendController>();
        controller->setOutboxDirectory(outboxDir());
        controller->setHistoryDirectory(historyDir());
        controller->setClock([] { return kNow; });
        return controller;
    }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_controller = makeController();
    }

    void cleanup()
    {
        m_controller.reset();
        m_dir.reset();
    }

    void sendsEverySampleExactlyAsPreviewed()
    {
        Workspace workspace;
        workspace.loadSamples();
        QCOMPARE(workspace.configuration().engine, EngineId::SegmentCloud);
        const Configuration config = withKey(workspace.configuration(), kApiKey);

        // What the preview shows for each call, independently of the controller.
        std::vector<PreviewResult> previews;
        int expected = 0;
        for (const Call &call : workspace.calls()) {
            previews.push_back(translateCall(call.json, config, double(kNow)));
            expected += int(previews.back().translation.requests.size());
        }
        QVERIFY(expected >= workspace.callCount());

        QSignalSpy finished(m_controller.get(), &SendController::finished);
        const SendReport report = m_controller->send(workspace, {}, workspace.configuration(), {}, kApiKey);
        QVERIFY2(report.isOk(), qPrintable(report.error));
        QCOMPARE(report.requests, expected);
        QVERIFY(m_controller->endpoint()->isListening());
        QVERIFY(m_controller->endpointUrl().startsWith(QLatin1String("http://127.0.0.1:")));
        // Written to the outbox before anything was sent (nothing has run the event loop yet).
        QVERIFY(m_controller->outbox());
        QCOMPARE(m_controller->outbox()->pendingCount(), expected);
        QCOMPARE(m_controller->entries().size(), expected);

        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 20000);
        QTRY_COMPARE(m_controller->received().size(), expected);

        // Exactly the previewed requests: each received once, each matching.
        QCOMPARE(m_controller->endpoint()->received().size(), expected);
        QList<bool> used(expected, false);
        for (const ReceivedEntry &entry : m_controller->received()) {
            QVERIFY2(entry.match == ReceivedEntry::Match::Matching, qPrintable(entry.difference));
            QVERIFY(m_controller->indexOfEntry(entry.requestId) >= 0);
            bool found = false;
            int k = 0;
            for (const PreviewResult &preview : previews) {
                for (const HttpRequest &request : preview.translation.requests) {
                    if (!found && !used[k] && matchesPreview(entry.request, request)) {
                        used[k] = true;
                        found = true;
                    }
                    ++k;
                }
            }
            QVERIFY(found);
        }
        QVERIFY(!used.contains(false));

        for (const SendEntry &entry : m_controller->entries()) {
            QCOMPARE(entry.result.state, SendResult::State::Sent);
            QCOMPARE(entry.result.httpStatus, 200);
            QCOMPARE(entry.result.attempts, 1);
            QCOMPARE(entry.result.warnings, entry.request.warnings);
        }
        const SendProgress progress = m_controller->progress();
        QCOMPARE(progress.sent, expected);
        QCOMPARE(progress.failed, 0);
        QCOMPARE(progress.remaining(), 0);

        // Done in the outbox, and in the history.
        QCOMPARE(m_controller->outbox()->pendingCount(), 0);
        QCOMPARE(SendHistory(historyDir()).entries().size(), expected);

        // The key is in no file written, only its placeholder.
        QVERIFY(!QDir(outboxDir()).entryList(QDir::Files).isEmpty());
        QVERIFY(!QDir(historyDir()).entryList(QDir::Files).isEmpty());
        QCOMPARE(filesContaining(m_dir->path(), kApiKey), QStringList());
        QCOMPARE(filesContaining(m_dir->path(), QByteArray(kApiKey).toPercentEncoding()), QStringList());
        QVERIFY(!filesContaining(historyDir(), SecretPlaceholder).isEmpty());
    }

    void sendsTheSelectedCallsOnly()
    {
        Workspace workspace;
        workspace.loadSamples();
        const SendReport report = m_controller->send(workspace, {1}, workspace.configuration(), {}, kApiKey);
        QVERIFY2(report.isOk(), qPrintable(report.error));
        QVERIFY(report.requests >= 1);
        for (const SendEntry &entry : m_controller->entries()) {
            QCOMPARE(entry.callIndex, 1);
            QCOMPARE(entry.callId, workspace.call(1).id);
        }
        QTRY_COMPARE(m_controller->received().size(), report.requests);
    }

    void aDeviceEngineCannotBeSent()
    {
        Workspace workspace;
        workspace.loadSamples();
        for (EngineId engine : {EngineId::SegmentDevice, EngineId::RudderDevice}) {
            Configuration config = workspace.configuration();
            config.engine = engine;
            const SendReport report = m_controller->send(workspace, {}, config, {}, kApiKey);
            QVERIFY(!report.isOk());
            QCOMPARE(report.requests, 0);
            QVERIFY2(report.error.contains(QLatin1String("browser")), qPrintable(report.error));
            QVERIFY(report.error.contains(QLatin1String(engineName(engine))));
        }
        QVERIFY(m_controller->entries().isEmpty());
        QVERIFY(!QFileInfo::exists(historyDir()));
    }

    void problemsAreReportedPerCall()
    {
        Workspace workspace;
        workspace.appendCall("{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"E\"}");
        workspace.appendCall("{\"type\":"); // typing
        const SendReport report = m_controller->send(workspace, {}, workspace.configuration(), {}, kApiKey);
        QVERIFY2(report.isOk(), qPrintable(report.error));
        QCOMPARE(report.requests, 1);
        QCOMPARE(report.problems.size(), 1);
        QVERIFY(report.problems.first().startsWith(QLatin1String("Call 2")));
        QTRY_COMPARE(m_controller->received().size(), 1);
    }

    void withoutAKeyNothingIsSent()
    {
        Workspace workspace;
        workspace.appendCall("{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"E\"}");
        Configuration config = workspace.configuration(); // apiKey "": segment-cloud rejects the call
        const SendReport report = m_controller->send(workspace, {}, config);
        QVERIFY(!report.isOk());
        QCOMPARE(report.problems.size(), 1);
        QVERIFY(m_controller->entries().isEmpty());
    }

    void aDifferentRequestIsMarkedNotMatching()
    {
        Workspace workspace;
        workspace.appendCall(
                "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Signed Up\",\"properties\":{\"plan\":\"Pro\"}}");
        QVERIFY(m_controller->send(workspace, {}, workspace.configuration(), {}, kApiKey).isOk());
        QTRY_COMPARE(m_controller->received().size(), 1);
        QTRY_VERIFY(!m_controller->isBusy());

        // The same call changed on its way (a proxy rewriting a property), then something unrelated.
        SendRequest changed = m_controller->entries().first().request;
        QVERIFY(changed.wire.contains("Pro"));
        changed.wire.replace("Pro", "Basic");
        changed.id = QStringLiteral("changed");
        SendRequest other = changed;
        other.id = QStringLiteral("other");
        other.wire = "_n=Else&_p=someone-else";
        NetworkManager network;
        Sender sender(&network);
        sender.setApiKey(kApiKey);
        sender.enqueue(QList<SendRequest>{changed, other});
        QTRY_COMPARE(m_controller->received().size(), 3);

        const ReceivedEntry &notMatching = m_controller->received().at(1);
        QCOMPARE(notMatching.match, ReceivedEntry::Match::NotMatching);
        QCOMPARE(notMatching.requestId, m_controller->entries().first().request.id);
        QVERIFY2(notMatching.difference.contains(QLatin1String("Basic")), qPrintable(notMatching.difference));
        QCOMPARE(m_controller->received().at(2).match, ReceivedEntry::Match::Unknown);
    }

    void offersWhatAnEarlierRunLeftUnsent()
    {
        Workspace workspace;
        workspace.appendCall("{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Left Behind\"}");
        // An earlier run wrote the request and died before sending it.
        QVERIFY(m_controller->startEndpoint());
        const QString target = m_controller->endpointUrl();
        const Configuration config = withKey(workspace.configuration(), kApiKey);
        const PreviewResult preview = translateCall(workspace.call(0).json, config, double(kNow));
        QList<SendRequest> requests;
        appendSendRequests(requests, preview.translation, preview.inputWarnings, target, config.settings.apiKey(),
                           SendRequest::settingsSnapshotOf(config.settings), kNow);
        QCOMPARE(requests.size(), 1);
        {
            Outbox earlier(outboxDir());
            QVERIFY(earlier.open());
            requests.first().keyFingerprint = earlier.keyFingerprint(kApiKey);
            QVERIFY(earlier.add(requests));
        }

        const QList<SendRequest> pending = m_controller->pendingFromLastRun();
        QCOMPARE(pending.size(), 1);
        QCOMPARE(pending.first().id, requests.first().id);
        QCOMPARE(pending.first().wire, requests.first().wire); // its own _t: the same event

        const SendReport report = m_controller->resend(pending, kApiKey);
        QVERIFY2(report.isOk(), qPrintable(report.error));
        QTRY_COMPARE(m_controller->received().size(), 1);
        QCOMPARE(m_controller->received().first().match, ReceivedEntry::Match::Matching);
        QVERIFY(matchesPreview(m_controller->received().first().request, preview.translation.requests.front()));
        QTRY_VERIFY(!m_controller->isBusy());
        QCOMPARE(m_controller->outbox()->pendingCount(), 0);
        QVERIFY(m_controller->pendingFromLastRun().isEmpty());
        QCOMPARE(filesContaining(m_dir->path(), kApiKey), QStringList());
    }

    // The key is never stored, so a request left in the outbox can only be matched to a key by its
    // fingerprint: one queued with another key stays in the outbox instead of going out with this one.
    void anEarlierRequestGoesOnlyWithItsOwnKey()
    {
        const QByteArray otherKey = QByteArrayLiteral("kmtest-SECRET-other-key");
        Workspace workspace;
        workspace.appendCall("{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Mine\"}");
        workspace.appendCall("{\"type\":\"track\",\"userId\":\"u2\",\"event\":\"Theirs\"}");
        QVERIFY(m_controller->startEndpoint());
        const QString target = m_controller->endpointUrl();
        QList<SendRequest> requests;
        for (int i = 0; i < 2; ++i) {
            const Configuration config = withKey(workspace.configuration(), i == 0 ? kApiKey : otherKey);
            const PreviewResult preview = translateCall(workspace.call(i).json, config, double(kNow));
            appendSendRequests(requests, preview.translation, preview.inputWarnings, target, config.settings.apiKey(),
                               SendRequest::settingsSnapshotOf(config.settings), kNow);
        }
        QCOMPARE(requests.size(), 2);
        {
            Outbox earlier(outboxDir());
            QVERIFY(earlier.open());
            requests[0].keyFingerprint = earlier.keyFingerprint(kApiKey);
            requests[1].keyFingerprint = earlier.keyFingerprint(otherKey);
            QVERIFY(requests[0].keyFingerprint != requests[1].keyFingerprint);
            QVERIFY(earlier.add(requests));
        }

        const QList<SendRequest> pending = m_controller->pendingFromLastRun();
        QCOMPARE(pending.size(), 2);
        QVERIFY(m_controller->isQueuedWithKey(pending[0], kApiKey));
        QVERIFY(!m_controller->isQueuedWithKey(pending[1], kApiKey));
        QVERIFY(m_controller->isQueuedWithKey(pending[1], otherKey));

        const SendReport report = m_controller->resend(pending, kApiKey);
        QVERIFY2(report.isOk(), qPrintable(report.error));
        QCOMPARE(report.requests, 1);
        QCOMPARE(report.problems.size(), 1);
        QVERIFY2(report.problems.first().contains(QLatin1String("different API key")),
                 qPrintable(report.problems.first()));
        QTRY_VERIFY(!m_controller->isBusy());
        QCOMPARE(m_controller->received().size(), 1);
        QVERIFY(m_controller->received().first().request.query().contains("u1"));
        QVERIFY(m_controller->received().first().request.query().contains("_k=" + kApiKey));
        // The other one waits for its own key.
        QCOMPARE(m_controller->outbox()->pendingCount(), 1);
        const SendReport refused = m_controller->resend(m_controller->pendingFromLastRun(), kApiKey);
        QVERIFY(!refused.isOk());
        QVERIFY2(refused.error.contains(QLatin1String("different API key")), qPrintable(refused.error));
        QCOMPARE(m_controller->received().size(), 1);
        const SendReport own = m_controller->resend(m_controller->pendingFromLastRun(), otherKey);
        QVERIFY2(own.isOk(), qPrintable(own.error));
        QTRY_COMPARE(m_controller->received().size(), 2);
        QVERIFY(m_controller->received().at(1).request.query().contains("_k=" + otherKey));
        QTRY_COMPARE(m_controller->outbox()->pendingCount(), 0);
        QCOMPARE(filesContaining(m_dir->path(), kApiKey), QStringList());
        QCOMPARE(filesContaining(m_dir->path(), otherKey), QStringList());
    }

    // Requests whose key is gone for good can be dropped: nothing is sent, nothing stays pending.
    void requestsLeftWithAnotherKeyCanBeDiscarded()
    {
        Workspace workspace;
        workspace.appendCall("{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Orphan\"}");
        QVERIFY(m_controller->startEndpoint());
        const Configuration config = withKey(workspace.configuration(), QByteArrayLiteral("kmtest-gone-key"));
        const PreviewResult preview = translateCall(workspace.call(0).json, config, double(kNow));
        QList<SendRequest> requests;
        appendSendRequests(requests, preview.translation, preview.inputWarnings, m_controller->endpointUrl(),
                           config.settings.apiKey(), SendRequest::settingsSnapshotOf(config.settings), kNow);
        {
            Outbox earlier(outboxDir());
            QVERIFY(earlier.open());
            requests.first().keyFingerprint = earlier.keyFingerprint(QByteArrayLiteral("kmtest-gone-key"));
            QVERIFY(earlier.add(requests));
        }
        const QList<SendRequest> pending = m_controller->pendingFromLastRun();
        QCOMPARE(pending.size(), 1);
        QVERIFY(!m_controller->isQueuedWithKey(pending.first(), kApiKey));
        QVERIFY(m_controller->discard(pending));
        QVERIFY(m_controller->pendingFromLastRun().isEmpty());
        QCOMPARE(m_controller->outbox()->pendingCount(), 0);
        QTest::qWait(100);
        QCOMPARE(m_controller->received().size(), 0);
    }

    // A new send stores its key's fingerprint with each request, never the key.
    void newRequestsAreStoredWithTheirKeysFingerprint()
    {
        Workspace workspace;
        workspace.appendCall("{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"E\"}");
        m_controller->pause(); // so that it is still pending when looked at
        const SendReport report = m_controller->send(workspace, {}, workspace.configuration(), {}, kApiKey);
        QVERIFY2(report.isOk(), qPrintable(report.error));
        QFile journal(outboxDir() + QStringLiteral("/outbox.ndjson"));
        QVERIFY(journal.open(QIODevice::ReadOnly));
        const QByteArray stored = journal.readAll();
        const QByteArray fingerprint = m_controller->outbox()->keyFingerprint(kApiKey);
        QVERIFY(!fingerprint.isEmpty());
        QVERIFY2(stored.contains("\"keyFingerprint\":\"" + fingerprint + '"'), stored.constData());
        QVERIFY(!stored.contains(kApiKey));
        m_controller->resume();
        QTRY_VERIFY(!m_controller->isBusy());
    }

    void pauseResumeAndCancel()
    {
        Workspace workspace;
        workspace.loadSamples();
        QSignalSpy paused(m_controller.get(), &SendController::pausedChanged);
        m_controller->pause();
        QVERIFY(m_controller->isPaused());
        const SendReport report = m_controller->send(workspace, {}, workspace.configuration(), {}, kApiKey);
        QVERIFY(report.isOk());
        QTest::qWait(100);
        QCOMPARE(m_controller->progress().sent, 0);
        QCOMPARE(m_controller->progress().queued, report.requests);
        m_controller->resume();
        QCOMPARE(paused.size(), 2);
        QTRY_COMPARE(m_controller->progress().sent, report.requests);

        m_controller->pause();
        QVERIFY(m_controller->send(workspace, {0}, workspace.configuration(), {}, kApiKey).isOk());
        m_controller->cancel();
        QTRY_VERIFY(!m_controller->isBusy());
        QVERIFY(m_controller->progress().cancelled >= 1);
        QCOMPARE(m_controller->entries().last().result.state, SendResult::State::Cancelled);
        QCOMPARE(m_controller->outbox()->pendingCount(), 0); // cancelled is done: the user dropped it
    }

    void targetsAreChecked()
    {
        QCOMPARE(SendController::normalizedTarget(QStringLiteral("http://127.0.0.1:8080/")),
                 QStringLiteral("http://127.0.0.1:8080"));
        QVERIFY(SendController::normalizedTarget(QStringLiteral("ftp://x")).isEmpty());
        QVERIFY(SendController::normalizedTarget(QStringLiteral("http://x/?a=1")).isEmpty());
        QVERIFY(SendController::isLoopbackTarget(QStringLiteral("http://localhost:1")));
        QVERIFY(SendController::isLoopbackTarget(QStringLiteral("http://127.0.0.2:1")));
        QVERIFY(!SendController::isLoopbackTarget(QStringLiteral("https://trk.kissmetrics.io")));
        Workspace workspace;
        workspace.loadSamples();
        const SendReport report =
                m_controller->send(workspace, {}, workspace.configuration(), QStringLiteral("not a url"), kApiKey);
        QVERIFY(!report.isOk());
    }
};

QTEST_MAIN(TestSendController)
#include "tst_sendcontroller.moc"
