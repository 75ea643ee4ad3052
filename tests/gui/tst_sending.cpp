// Send from the real window: select every sample call, press Send, and find each one in the
// Received view, exactly as the preview showed it.

#include "filesecretstore.h"
#include "mainwindow.h"
#include "profilestore.h"
#include "receivedview.h"
#include "sendcontroller.h"
#include "sendingwindow.h"
#include "sendpanel.h"
#include "trackingendpoint.h"
#include "workspace.h"

#include <QAction>
#include <QApplication>
#include <QDirIterator>
#include <QDockWidget>
#include <QLabel>
#include <QListView>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace km;

namespace {

constexpr qint64 kNow = 1577836800000; // 2020-01-01T00:00:00Z

} // namespace

class TestSending : public QObject
{
    Q_OBJECT

private:
    SendingWindow m_w;

private slots:
    void init() { QVERIFY(m_w.open(kNow)); }
    void cleanup() { m_w.close(); }

    void sendingEverySampleShowsThemAllAsReceivedAndMatching()
    {
        SendController *controller = m_w.window->sendController();
        QVERIFY(controller->endpoint()->isListening());
        const int calls = m_w.window->workspace()->callCount();
        QVERIFY(calls >= 7);
        m_w.window->callList()->setFocus();
        m_w.window->callList()->selectAll();
        QTest::keyClick(m_w.window->callList(), Qt::Key_Return, Qt::ControlModifier); // the shortcut

        QTRY_VERIFY(!controller->entries().isEmpty());
        const int requests = int(controller->entries().size());
        QVERIFY(requests >= calls);
        QTRY_VERIFY_WITH_TIMEOUT(!controller->isBusy(), 20000);

        SendPanel *panel = m_w.window->sendPanel();
        QVERIFY(panel->isVisible());
        QCOMPARE(panel->model()->rowCount(), requests);
        QCOMPARE(panel->progressBar()->value(), requests);
        QCOMPARE(panel->progressBar()->maximum(), requests);
        QVERIFY2(panel->countsText().startsWith(QStringLiteral("Sent %1 · Failed 0 · Queued 0").arg(requests)),
                 qPrintable(panel->countsText()));
        for (int row = 0; row < requests; ++row) {
            QCOMPARE(panel->model()->index(row, SendPanel::StateColumn).data().toString(), QStringLiteral("sent"));
            QCOMPARE(panel->model()->index(row, SendPanel::StatusColumn).data().toInt(), 200);
            QCOMPARE(panel->model()->index(row, SendPanel::AttemptsColumn).data().toInt(), 1);
        }

        ReceivedView *received = m_w.window->receivedView();
        QTRY_COMPARE(received->model()->rowCount(), requests);
        QVERIFY(received->isVisible());
        QStringList events;
        for (int row = 0; row < requests; ++row) {
            const QModelIndex match = received->model()->index(row, ReceivedView::MatchColumn);
            QCOMPARE(match.data(ReceivedView::MatchRole).toInt(), int(ReceivedEntry::Match::Matching));
            QVERIFY(match.data().toString().contains(QStringLiteral("matching")));
            events << received->model()->index(row, ReceivedView::EventColumn).data().toString();
        }
        QVERIFY(!received->model()->index(0, ReceivedView::PersonColumn).data().toString().isEmpty());
        QVERIFY(events.join(QString()).size() > 0);

        // Nothing written holds the workspace's key ("demo-key").
        QDirIterator it(m_w.dir->path(), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY2(!file.readAll().contains("demo-key"), qPrintable(file.fileName()));
        }
    }

    void sendAllSendsEveryCallWithoutASelection()
    {
        m_w.window->sendAllAction()->trigger();
        SendController *controller = m_w.window->sendController();
        QSet<int> callsSent;
        for (const SendEntry &entry : controller->entries())
            callsSent.insert(entry.callIndex);
        QCOMPARE(callsSent.size(), m_w.window->workspace()->callCount());
        QTRY_VERIFY_WITH_TIMEOUT(!controller->isBusy(), 20000);
        QTRY_COMPARE(controller->received().size(), controller->entries().size());
    }

    void aDeviceEngineSaysItCannotSend()
    {
        Configuration config = m_w.window->workspace()->configuration();
        config.engine = EngineId::SegmentDevice;
        m_w.window->workspace()->setConfiguration(config);
        QCOMPARE(m_w.window->sendCalls({0}), 0);
        auto *box = m_w.window->findChild<QWidget *>(QStringLiteral("sendErrorBox"));
        QVERIFY(box && box->isVisible());
        box->close();
        QVERIFY(m_w.window->sendController()->entries().isEmpty());
    }

    void aProfileSendsToItsTargetWithItsStoredKey()
    {
        const QByteArray key = QByteArrayLiteral("profile-KEY-5fd2a9c1");
        m_w.window->setSecretStore(
                std::make_unique<FileSecretStore>(m_w.dir->filePath(QStringLiteral("secrets/secrets.json"))));
        TrackingEndpoint staging;
        QVERIFY(staging.listen());
        ProfileStore *profiles = m_w.window->profileStore();
        Profile profile(QStringLiteral("Staging"), Profile::Target::CustomUrl, QStringLiteral("#6a1b9a"));
        profile.setBaseUrl(staging.baseUrl());
        const QUuid id = profiles->addProfile(profile);
        SecretJob *job = profiles->setApiKey(id, key);
        QVERIFY(job);
        QSignalSpy stored(job, &SecretJob::finished);
        QVERIFY(stored.wait());
        QVERIFY(profiles->profile(id).isKeyStored());
        QVERIFY(profiles->setActiveProfile(id));
        QVERIFY(m_w.window->profileLabel()->text().contains(QStringLiteral("Staging")));
        QVERIFY(m_w.window->profileLabel()->text().contains(QStringLiteral("#6a1b9a")));

        m_w.window->sendCalls({0}); // loopback: no confirmation; the key is read asynchronously
        QTRY_VERIFY_WITH_TIMEOUT(!staging.received().isEmpty(), 20000);
        QCOMPARE(staging.received().first().value("_k"), std::optional<std::string>(key.toStdString()));
        QTRY_VERIFY(!m_w.window->sendController()->isBusy());
        QVERIFY(m_w.window->sendController()->received().isEmpty()); // the built-in endpoint got nothing

        // The key is only in the secrets file (0600), in no other file the app wrote.
        m_w.settings->sync();
        QDirIterator it(m_w.dir->path(), QDir::Files, QDirIterator::Subdirectories);
        int files = 0;
        while (it.hasNext()) {
            QFile file(it.next());
            if (file.fileName().endsWith(QLatin1String("secrets.json")))
                continue;
            ++files;
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY2(!file.readAll().contains(key), qPrintable(file.fileName()));
        }
        QVERIFY(files >= 3); // settings, profiles, outbox, history
    }

    void aRealTargetIsConfirmedFirst()
    {
        ProfileStore *profiles = m_w.window->profileStore();
        QUuid kissmetrics;
        for (const Profile &p : profiles->profiles())
            if (p.target() == Profile::Target::Kissmetrics)
                kissmetrics = p.id();
        QVERIFY(!kissmetrics.isNull());
        QVERIFY(profiles->setActiveProfile(kissmetrics));
        QString question;
        QTimer::singleShot(0, this, [&question] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            QVERIFY(box);
            question = box->text();
            box->button(QMessageBox::Cancel)->click();
        });
        QCOMPARE(m_w.window->sendCalls({0}), 0);
        QVERIFY2(question.contains(profiles->activeProfile().name()), qPrintable(question));
        QVERIFY(question.contains(QStringLiteral("trk.kissmetrics.io")));
        QVERIFY(m_w.window->sendController()->entries().isEmpty());
    }
};

QTEST_MAIN(TestSending)
#include "tst_sending.moc"
