// The History dock and the send limits, driven from the real window: send the samples to the
// built-in endpoint (127.0.0.1), then find, search, re-send, open and export them from the history.

#include "historyview.h"
#include "mainwindow.h"
#include "sendcontroller.h"
#include "sendhistory.h"
#include "sendingwindow.h"
#include "sendpanel.h"
#include "trackingendpoint.h"
#include "workspace.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUndoStack>

using namespace km;

namespace {

constexpr qint64 kNow = 1577836800000;                 // 2020-01-01T00:00:00Z
const QByteArray kKey = QByteArrayLiteral("demo-key"); // the samples' apiKey setting

} // namespace

class TestHistory : public QObject
{
    Q_OBJECT

private:
    SendingWindow m_w;

    HistoryView *view() const { return m_w.window->historyView(); }

    // Sends every sample call to the built-in endpoint and waits until all are received.
    int sendSamples()
    {
        SendController *controller = m_w.window->sendController();
        const int requests = m_w.window->sendCalls({});
        if (requests <= 0)
            return -1;
        if (!QTest::qWaitFor([controller] { return !controller->isBusy(); }, 20000))
            return -1;
        if (!QTest::qWaitFor([controller, requests] { return controller->received().size() >= requests; }, 10000))
            return -1;
        return requests;
    }

    // Accepts the next modal file dialog with `path`, after optionally ticking "Include API key".
    void acceptFileDialogLater(const QString &path, bool includeKey, bool *includeKeyEnabled = nullptr)
    {
        QTimer::singleShot(0, this, [path, includeKey, includeKeyEnabled] {
            auto *dialog = qobject_cast<QFileDialog *>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            auto *box = dialog->findChild<QCheckBox *>(QStringLiteral("includeApiKeyBox"));
            QVERIFY(box);
            if (includeKeyEnabled)
                *includeKeyEnabled = box->isEnabled();
            box->setChecked(includeKey);
            dialog->selectFile(path);
            static_cast<QDialog *>(dialog)->accept(); // QFileDialog::accept(), as the Save button does
        });
    }

private slots:
    void init() { QVERIFY(m_w.open(kNow)); }
    void cleanup() { m_w.close(); }

    void theHistoryListsEverySendAndTheSearchNarrowsIt()
    {
        QVERIFY(view());
        QCOMPARE(view()->objectName(), QStringLiteral("historyView"));
        auto *dock = m_w.window->findChild<QDockWidget *>(QStringLiteral("historyDock"));
        QVERIFY(dock);
        QCOMPARE(dock->widget(), view());
        QAbstractItemModelTester tester(view()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(view()->model()->rowCount(), 0);

        const int requests = sendSamples();
        QVERIFY(requests >= 7);
        QTRY_COMPARE(view()->model()->rowCount(), requests);
        QAbstractItemModel *model = view()->model();
        QSet<QString> ids;
        for (const SendEntry &entry : m_w.window->sendController()->entries())
            ids.insert(entry.request.id);
        for (int row = 0; row < requests; ++row) {
            QVERIFY(ids.contains(model->index(row, 0).data(HistoryView::IdRole).toString()));
            QCOMPARE(model->index(row, HistoryView::StatusColumn).data().toString(), QStringLiteral("200"));
            QCOMPARE(model->index(row, HistoryView::AttemptsColumn).data().toInt(), 1);
            QCOMPARE(model->index(row, HistoryView::TargetColumn).data().toString(),
                     m_w.window->sendController()->endpointUrl());
            QVERIFY(!model->index(row, HistoryView::EngineColumn).data().toString().isEmpty());
        }

        // An event of one of the rows, to search for.
        QString event;
        int eventRow = -1;
        for (int row = 0; row < requests && event.isEmpty(); ++row)
            if (model->index(row, HistoryView::EndpointColumn).data().toString().endsWith(QLatin1String("/e"))) {
                event = model->index(row, HistoryView::WhoColumn)
                                .data()
                                .toString()
                                .section(QStringLiteral(" — "), 0, 0);
                eventRow = row;
            }
        QVERIFY(!event.isEmpty());
        const QString eventId = model->index(eventRow, 0).data(HistoryView::IdRole).toString();
        QLineEdit *search = m_w.window->findChild<QLineEdit *>(QStringLiteral("historySearch"));
        QCOMPARE(search, view()->searchEdit());
        search->setFocus();
        QTest::keyClicks(search, event);
        QTRY_VERIFY(model->rowCount() < requests);
        QVERIFY(model->rowCount() >= 1);
        bool found = false;
        for (int row = 0; row < model->rowCount(); ++row)
            found = found || model->index(row, 0).data(HistoryView::IdRole).toString() == eventId;
        QVERIFY(found);

        QTest::keyClicks(search, QStringLiteral(" zz-no-such-word-zz"));
        QTRY_COMPARE(model->rowCount(), 0);
        search->clear();
        QTRY_COMPARE(model->rowCount(), requests);
    }

    void reSendGivesTheSameRequestAgain()
    {
        const int requests = sendSamples();
        QVERIFY(requests > 0);
        QTRY_COMPARE(view()->model()->rowCount(), requests);
        SendController *controller = m_w.window->sendController();
        QVERIFY(!view()->resendAction()->isEnabled()); // nothing selected

        view()->table()->selectRow(0);
        QVERIFY(view()->resendAction()->isEnabled());
        const QString id = view()->model()->index(0, 0).data(HistoryView::IdRole).toString();
        ReceivedRequest first;
        for (const ReceivedEntry &entry : controller->received())
            if (entry.requestId == id)
                first = entry.request;
        QVERIFY(!first.method().empty());
        QVERIFY(first.value("_t"));

        view()->resendAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(controller->received().size(), requests + 1, 10000);
        const ReceivedRequest again = controller->received().constLast().request;
        QCOMPARE(again.method(), first.method());
        QCOMPARE(again.endpoint(), first.endpoint());
        QCOMPARE(again.query(), first.query());
        QCOMPARE(again.body(), first.body());
        QCOMPARE(again.value("_t"), first.value("_t"));
        QCOMPARE(again.value("_k"), std::optional<std::string>(kKey.toStdString()));

        // It is in the history too, as one more entry (the view refreshes when the batch ends).
        QTRY_VERIFY(!controller->isBusy());
        QTRY_COMPARE(view()->model()->rowCount(), requests + 1);
    }

    void openAsNewCallAddsTheSourceCall()
    {
        QVERIFY(sendSamples() > 0);
        QTRY_VERIFY(view()->model()->rowCount() > 0);
        const int calls = m_w.window->workspace()->callCount();
        const QString id = view()->model()->index(0, 0).data(HistoryView::IdRole).toString();
        const SendController *controller = m_w.window->sendController();
        const SendEntry &sent = controller->entries().at(controller->indexOfEntry(id));
        view()->table()->selectRow(0);
        view()->openAsCallAction()->trigger();
        QCOMPARE(m_w.window->workspace()->callCount(), calls + 1);
        const QJsonObject added =
                QJsonDocument::fromJson(QByteArray::fromStdString(m_w.window->workspace()->call(calls).json)).object();
        QCOMPARE(added, QJsonDocument::fromJson(QByteArray::fromStdString(sent.callJson)).object());
        m_w.window->undoStack()->undo(); // through the undo stack like any other addition
        QCOMPARE(m_w.window->workspace()->callCount(), calls);

        // The history file keeps the call with the request: after Clear in the Sending panel (this
        // session's list gone) it can still be opened.
        m_w.window->sendController()->clearEntries();
        view()->table()->selectRow(0);
        view()->openAsCallAction()->trigger();
        QCOMPARE(m_w.window->workspace()->callCount(), calls + 1);
        const QJsonObject reopened =
                QJsonDocument::fromJson(QByteArray::fromStdString(m_w.window->workspace()->call(calls).json)).object();
        QCOMPARE(reopened, added);
    }

    void exportsHoldEveryEntryAndNoKey()
    {
        const int requests = sendSamples();
        QVERIFY(requests > 0);
        QTRY_COMPARE(view()->model()->rowCount(), requests);
        view()->table()->clearSelection(); // nothing selected: everything shown is exported

        const QString ndjson = m_w.dir->filePath(QStringLiteral("export/history.ndjson"));
        QDir().mkpath(QFileInfo(ndjson).absolutePath());
        bool includeKeyEnabled = true;
        acceptFileDialogLater(ndjson, false, &includeKeyEnabled);
        view()->exportNdjsonAction()->trigger();
        QVERIFY(!includeKeyEnabled); // NDJSON never holds the key
        QFile file(ndjson);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray data = file.readAll();
        file.close();
        QVERIFY(!data.contains(kKey));
        QSet<QString> exported;
        for (const QByteArray &line : data.split('\n')) {
            if (line.trimmed().isEmpty())
                continue;
            bool ok = false;
            const HistoryEntry entry = HistoryEntry::fromJson(QJsonDocument::fromJson(line).object(), &ok);
            QVERIFY(ok);
            exported.insert(entry.id());
        }
        QCOMPARE(exported.size(), requests);
        for (const HistoryEntry &entry : m_w.window->sendController()->openHistory()->entries())
            QVERIFY(exported.contains(entry.id()));

        const QString script = m_w.dir->filePath(QStringLiteral("export/history.sh"));
        acceptFileDialogLater(script, false);
        view()->exportCurlAction()->trigger();
        QFile curl(script);
        QVERIFY(curl.open(QIODevice::ReadOnly));
        const QByteArray curlText = curl.readAll();
        curl.close();
        QVERIFY(!curlText.contains(kKey));
        QVERIFY(curlText.contains("<API_KEY>"));
        QCOMPARE(curlText.count("curl "), requests);

        // Only when asked: then the file is the owner's alone.
        const QString withKey = m_w.dir->filePath(QStringLiteral("export/with-key.sh"));
        acceptFileDialogLater(withKey, true);
        view()->exportCurlAction()->trigger();
        QTRY_VERIFY(QFile::exists(withKey));
        QFile keyed(withKey);
        QVERIFY(keyed.open(QIODevice::ReadOnly));
        QVERIFY(keyed.readAll().contains(kKey));
        QCOMPARE(keyed.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther), QFileDevice::Permissions());
        QVERIFY(QFile::remove(withKey));
    }

    void theSendingPanelSetsTheLimitsAndThePort()
    {
        SendPanel *panel = m_w.window->sendPanel();
        auto *dock = m_w.window->findChild<QDockWidget *>(QStringLiteral("sendDock"));
        dock->show();
        dock->raise();
        QTRY_VERIFY(panel->isVisible());
        Sender *sender = m_w.window->sendController()->sender();
        auto *concurrency = panel->findChild<QSpinBox *>(QStringLiteral("concurrencySpin"));
        QVERIFY(concurrency);
        QCOMPARE(concurrency->value(), Sender::DefaultConcurrency);
        QCOMPARE(concurrency->minimum(), 1);
        QCOMPARE(concurrency->maximum(), 64);
        QTest::keyClick(concurrency, Qt::Key_Up);
        QCOMPARE(sender->concurrency(), Sender::DefaultConcurrency + 1);
        concurrency->setValue(12);
        QCOMPARE(sender->concurrency(), 12);

        auto *rate = panel->findChild<QDoubleSpinBox *>(QStringLiteral("rateLimitSpin"));
        QVERIFY(rate);
        QCOMPARE(rate->value(), 0.0);
        QCOMPARE(rate->text(), QStringLiteral("unlimited"));
        rate->setValue(25);
        QCOMPARE(sender->rateLimit(), 25.0);
        rate->setValue(0);
        QCOMPARE(sender->rateLimit(), 0.0);

        // A free port on loopback, then the endpoint moves there and the choice is remembered.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        auto *portBox = panel->findChild<QSpinBox *>(QStringLiteral("endpointPortSpin"));
        QVERIFY(portBox);
        QCOMPARE(portBox->text(), QStringLiteral("automatic"));
        portBox->setValue(port);
        QTest::mouseClick(panel->applyPortButton(), Qt::LeftButton);
        TrackingEndpoint *endpoint = m_w.window->sendController()->endpoint();
        QVERIFY(endpoint->isListening());
        QCOMPARE(endpoint->port(), port);
        const QString url = QStringLiteral("http://127.0.0.1:%1").arg(port);
        QCOMPARE(m_w.window->sendController()->endpointUrl(), url);
        QVERIFY(panel->findChild<QLabel *>(QStringLiteral("endpointUrlLabel"))->text().contains(url));
        QCOMPARE(m_w.settings->value(QStringLiteral("endpoint/port")).toUInt(), uint(port));
        QCOMPARE(m_w.settings->value(QStringLiteral("send/concurrency")).toInt(), 12);

        // A port taken by another listener: the endpoint stays where it was and says why.
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
        portBox->setValue(taken.serverPort());
        QVERIFY(!panel->applyEndpointPort());
        QCOMPARE(endpoint->port(), port);
        QCOMPARE(portBox->value(), int(port));
        QCOMPARE(m_w.settings->value(QStringLiteral("endpoint/port")).toUInt(), uint(port));

        // Sends go to the new port.
        const int requests = sendSamples();
        QVERIFY(requests > 0);
        QVERIFY(m_w.window->sendController()->entries().constFirst().request.target == url);

        // Back to automatic.
        portBox->setValue(0);
        QVERIFY(panel->applyEndpointPort());
        QVERIFY(endpoint->isListening());
        QCOMPARE(m_w.settings->value(QStringLiteral("endpoint/port")).toUInt(), 0u);

        // A new window starts with the stored choices.
        m_w.window->workspace()->setModified(false);
        m_w.window.reset();
        m_w.settings->setValue(QStringLiteral("endpoint/port"), port);
        m_w.window =
                std::make_unique<MainWindow>(m_w.settings.get(), nullptr, m_w.dir->filePath(QStringLiteral("data")));
        QCOMPARE(m_w.window->sendController()->endpoint()->port(), port);
        QCOMPARE(m_w.window->sendController()->sender()->concurrency(), 12);
        QCOMPARE(m_w.window->sendPanel()->concurrencySpinBox()->value(), 12);
        QCOMPARE(m_w.window->sendPanel()->endpointPortSpinBox()->value(), int(port));
        // The history of the first window is there too.
        QCOMPARE(m_w.window->historyView()->model()->rowCount(), requests);
    }
};

QTEST_MAIN(TestHistory)
#include "tst_history.moc"
