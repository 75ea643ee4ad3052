// Send from the real window: select every sample call, press Send, and find each one in the
// Received view, exactly as the preview showed it.

#include "filesecretstore.h"
#include "mainwindow.h"
#include "profilestore.h"
#include "receivedview.h"
#include "sendcontroller.h"
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
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<MainWindow> m_window;

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("kmtester.ini")), QSettings::IniFormat);
        m_window = std::make_unique<MainWindow>(m_settings.get(), nullptr, m_dir->filePath(QStringLiteral("data")));
        m_window->setClock([] { return kNow; });
        m_window->openInitialWorkspace();
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanup()
    {
        m_window->workspace()->setModified(false);
        m_window.reset();
        m_settings.reset();
        m_dir.reset();
    }

    void sendingEverySampleShowsThemAllAsReceivedAndMatching()
    {
        SendController *controller = m_window->sendController();
        QVERIFY(controller->endpoint()->isListening());
        const int calls = m_window->workspace()->callCount();
        QVERIFY(calls >= 7);
        m_window->callList()->setFocus();
        m_window->callList()->selectAll();
        QTest::keyClick(m_window->callList(), Qt::Key_Return, Qt::ControlModifier); // the shortcut

        QTRY_VERIFY(!controller->entries().isEmpty());
        const int requests = int(controller->entries().size());
        QVERIFY(requests >= calls);
        QTRY_VERIFY_WITH_TIMEOUT(!controller->isBusy(), 20000);

        SendPanel *panel = m_window->sendPanel();
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

        ReceivedView *received = m_window->receivedView();
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
        QDirIterator it(m_dir->path(), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY2(!file.readAll().contains("demo-key"), qPrintable(file.fileName()));
        }
    }

    void sendAllSendsEveryCallWithoutASelection()
    {
        m_window->sendAllAction()->trigger();
        SendController *controller = m_window->sendController();
        QSet<int> callsSent;
        for (const SendEntry &entry : controller->entries())
            callsSent.insert(entry.callIndex);
        QCOMPARE(callsSent.size(), m_window->workspace()->callCount());
        QTRY_VERIFY_WITH_TIMEOUT(!controller->isBusy(), 20000);
        QTRY_COMPARE(controller->received().size(), controller->entries().size());
    }

    void aDeviceEngineSaysItCannotSend()
    {
        Configuration config = m_window->workspace()->configuration();
        config.engine = EngineId::SegmentDevice;
        m_window->workspace()->setConfiguration(config);
        QCOMPARE(m_window->sendCalls({0}), 0);
        auto *box = m_window->findChild<QWidget *>(QStringLiteral("sendErrorBox"));
        QVERIFY(box && box->isVisible());
        box->close();
        QVERIFY(m_window->sendController()->entries().isEmpty());
    }

    void aProfileSendsToItsTargetWithItsStoredKey()
    {
        const QByteArray key = QByteArrayLiteral("profile-KEY-5fd2a9c1");
        m_window->setSecretStore(
                std::make_unique<FileSecretStore>(m_dir->filePath(QStringLiteral("secrets/secrets.json"))));
        TrackingEndpoint staging;
        QVERIFY(staging.listen());
        ProfileStore *profiles = m_window->profileStore();
        Profile profile(QStringLiteral("Staging"), Profile::Target::CustomUrl, QStringLiteral("#6a1b9a"));
        profile.setBaseUrl(staging.baseUrl());
        const QUuid id = profiles->addProfile(profile);
        SecretJob *job = profiles->setApiKey(id, key);
        QVERIFY(job);
        QSignalSpy stored(job, &SecretJob::finished);
        QVERIFY(stored.wait());
        QVERIFY(profiles->profile(id).isKeyStored());
        QVERIFY(profiles->setActiveProfile(id));
        QVERIFY(m_window->profileLabel()->text().contains(QStringLiteral("Staging")));
        QVERIFY(m_window->profileLabel()->text().contains(QStringLiteral("#6a1b9a")));

        m_window->sendCalls({0}); // loopback: no confirmation; the key is read asynchronously
        QTRY_VERIFY_WITH_TIMEOUT(!staging.received().isEmpty(), 20000);
        QCOMPARE(staging.received().first().value("_k"), std::optional<std::string>(key.toStdString()));
        QTRY_VERIFY(!m_window->sendController()->isBusy());
        QVERIFY(m_window->sendController()->received().isEmpty()); // the built-in endpoint got nothing

        // The key is only in the secrets file (0600), in no other file the app wrote.
        m_settings->sync();
        QDirIterator it(m_dir->path(), QDir::Files, QDirIterator::Subdirectories);
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
        ProfileStore *profiles = m_window->profileStore();
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
        QCOMPARE(m_window->sendCalls({0}), 0);
        QVERIFY2(question.contains(profiles->activeProfile().name()), qPrintable(question));
        QVERIFY(question.contains(QStringLiteral("trk.kissmetrics.io")));
        QVERIFY(m_window->sendController()->entries().isEmpty());
    }
};

QTEST_MAIN(TestSending)
#include "tst_sending.moc"
