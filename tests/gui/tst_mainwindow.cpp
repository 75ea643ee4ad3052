// The real window, driven as a user would: typing, toggling settings, breaking the JSON, undo,
// comparing, saving and reopening.

#include "callform.h"
#include "calllistmodel.h"
#include "comparemodel.h"
#include "harbuilder.h"
#include "jsoneditor.h"
#include "mainwindow.h"
#include "previewpanel.h"
#include "settingspanel.h"
#include "workspace.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDropEvent>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace km;

namespace {

constexpr qint64 kNow = 1577836800000; // 2020-01-01T00:00:00Z

std::string eventNameOf(const PreviewResult *result, int output = 0)
{
    if (!result || !result->isValid)
        return "<invalid>";
    const Translation &t = result->translation;
    if (outputKind(t.engine) == OutputKind::Http) {
        if (output >= int(t.requests.size()))
            return "<none>";
        const Value n = t.requests[std::size_t(output)].payload.get("_n");
        return n.isString() ? std::string(n.toString()) : "<no _n>";
    }
    if (output >= int(t.pushes.size()))
        return "<none>";
    const auto args = t.pushes[std::size_t(output)].args.items();
    return args.size() > 1 && args[1].isString() ? std::string(args[1].toString()) : "<no name>";
}

bool hasKey(const PreviewResult *result, std::string_view key)
{
    if (!result || !result->isValid)
        return false;
    const Translation &t = result->translation;
    for (const HttpRequest &r : t.requests)
        if (r.payload.has(key))
            return true;
    for (const ClientCall &c : t.pushes)
        for (const Value &arg : c.args.items())
            if (arg.isObject() && arg.has(key))
                return true;
    return false;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<MainWindow> m_window;

    void setCallText(const std::string &json)
    {
        // As if typed: through the editor's user-edit path (one undo step per edit).
        m_window->composeTabs()->setCurrentIndex(1);
        JsonEditor *editor = m_window->jsonEditor();
        editor->selectAll();
        QTest::keyClick(editor, Qt::Key_Delete);
        // keyClicks cannot type a newline: press Return between lines and let the editor indent.
        const QStringList lines = QString::fromStdString(json).split(QLatin1Char('\n'));
        for (int i = 0; i < lines.size(); ++i) {
            if (i > 0)
                QTest::keyClick(editor, Qt::Key_Return);
            QString line = lines[i];
            while (line.startsWith(QLatin1Char(' ')))
                line.remove(0, 1);
            QTest::keyClicks(editor, line);
        }
    }

    void setEngine(EngineId engine)
    {
        auto *combo = m_window->settingsPanel()->findChild<QComboBox *>(QStringLiteral("engineCombo"));
        QVERIFY(combo);
        for (int i = 0; i < combo->count(); ++i)
            if (combo->itemData(i).toString() == QLatin1String(engineName(engine)))
                combo->setCurrentIndex(i);
        QCOMPARE(m_window->workspace()->configuration().engine, engine);
    }

    QCheckBox *check(const char *name)
    {
        return m_window->settingsPanel()->findChild<QCheckBox *>(QString::fromLatin1(name));
    }

    const PreviewResult *preview() { return m_window->previewPanel()->currentResult(); }

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("kmtester.ini")), QSettings::IniFormat);
        m_settings->clear();
        m_window = std::make_unique<MainWindow>(m_settings.get());
        m_window->setClock([] { return kNow; });
        m_window->openInitialWorkspace();
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanup()
    {
        m_window->workspace()->setModified(false); // no "save changes?" prompt
        m_window.reset();
        m_settings.reset();
    }

    void firstStartOpensTheSamples()
    {
        QVERIFY(m_window->workspace()->callCount() >= 7);
        QCOMPARE(m_window->currentCallIndex(), 0);
        QVERIFY(preview() && preview()->isValid);
        QVERIFY(!m_window->workspace()->isModified());
    }

    void typingInTheJsonEditorUpdatesThePreview()
    {
        setCallText("{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Signed Up\",\"properties\":{\"plan\":\"Pro\"}}");
        QCOMPARE(eventNameOf(preview()), std::string("Signed Up"));
        // Type one more character inside the event name.
        JsonEditor *editor = m_window->jsonEditor();
        const int at = editor->toPlainText().indexOf(QStringLiteral("Signed Up")) + 9;
        QTextCursor cursor = editor->textCursor();
        cursor.setPosition(at);
        editor->setTextCursor(cursor);
        QTest::keyClicks(editor, QStringLiteral("!"));
        QCOMPARE(eventNameOf(preview()), std::string("Signed Up!"));
        QVERIFY(m_window->workspace()->isModified());
    }

    void prefixToggleRenamesProperties()
    {
        setEngine(EngineId::SegmentCloud);
        setCallText("{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"E\",\"properties\":{\"plan\":\"Pro\"}}");
        QVERIFY(check("prefixCheck")->isChecked()); // a new destination shows it on
        QVERIFY(hasKey(preview(), "E - plan"));
        check("prefixCheck")->click();
        QVERIFY(!m_window->workspace()->configuration().settings.isPrefixProperties(EngineId::SegmentCloud));
        QVERIFY(hasKey(preview(), "plan"));
        QVERIFY(!hasKey(preview(), "E - plan"));
    }

    void pageTogglesChangeTheEventName_data()
    {
        QTest::addColumn<bool>("categorized");
        QTest::addColumn<bool>("named");
        QTest::addColumn<QString>("event");
        // Mapping reference, section 5 (segment-device): the name wins over the category.
        QTest::newRow("both on") << true << true << QStringLiteral("Viewed Name Page");
        QTest::newRow("named off") << true << false << QStringLiteral("Viewed Category Page");
        QTest::newRow("categorized off") << false << true << QStringLiteral("Viewed Name Page");
        QTest::newRow("both off") << false << false << QStringLiteral("<none>");
    }
    void pageTogglesChangeTheEventName()
    {
        QFETCH(bool, categorized);
        QFETCH(bool, named);
        QFETCH(QString, event);
        setEngine(EngineId::SegmentDevice);
        setCallText("{\"type\":\"page\",\"name\":\"Name\",\"category\":\"Category\",\"properties\":{\"url\":\"http://x/"
                    "\"}}");
        if (check("categorizedCheck")->isChecked() != categorized)
            check("categorizedCheck")->click();
        if (check("namedCheck")->isChecked() != named)
            check("namedCheck")->click();
        QCOMPARE(QString::fromStdString(eventNameOf(preview())), event);
    }

    void kmSkipPageViewAddsThePageViewRecord()
    {
        setEngine(EngineId::SegmentDevice);
        setCallText("{\"type\":\"page\",\"name\":\"Docs\",\"properties\":{\"url\":\"http://x/\"}}");
        QCOMPARE(eventNameOf(preview()), std::string("Viewed Docs Page"));
        check("skipPageViewCheck")->click();
        QCOMPARE(eventNameOf(preview()), std::string("Page View"));
        QCOMPARE(eventNameOf(preview(), 1), std::string("Viewed Docs Page"));
    }

    void brokenJsonShowsWhereAndUndoRestores()
    {
        setCallText("{\n  \"type\": \"track\",\n  \"event\": \"E\"\n}");
        QVERIFY(preview()->isValid);
        JsonEditor *editor = m_window->jsonEditor();
        QTextCursor cursor = editor->textCursor();
        cursor.setPosition(editor->toPlainText().indexOf(QStringLiteral("\"event\"")));
        editor->setTextCursor(cursor);
        QTest::keyClicks(editor, QStringLiteral("x"));
        QVERIFY(!editor->isValid());
        QCOMPARE(editor->errorLine(), 3);
        QCOMPARE(editor->errorColumn(), 3);
        auto *status = m_window->findChild<QLabel *>(QStringLiteral("jsonStatus"));
        QVERIFY(status->text().startsWith(QStringLiteral("line 3, column 3: ")));
        QVERIFY(!preview()->isValid);
        m_window->undoStack()->undo();
        QVERIFY(editor->isValid());
        QVERIFY(preview()->isValid);
        QCOMPARE(eventNameOf(preview()), std::string("E"));
    }

    void formEditsAreUndoableToo()
    {
        setCallText("{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"E\",\"properties\":{}}");
        m_window->composeTabs()->setCurrentIndex(0);
        auto *eventEdit = m_window->callForm()->findChild<QLineEdit *>(QStringLiteral("eventEdit"));
        QVERIFY(eventEdit);
        eventEdit->selectAll();
        QTest::keyClicks(eventEdit, QStringLiteral("Typed"));
        QCOMPARE(eventNameOf(preview()), std::string("Typed"));
        QVERIFY(QString::fromStdString(m_window->jsonEditor()->jsonText()).contains(QStringLiteral("\"Typed\"")));
        m_window->undoStack()->undo();
        QCOMPARE(eventNameOf(preview()), std::string("E"));
    }

    void pinnedComparisonShowsTheDifference()
    {
        setEngine(EngineId::SegmentCloud);
        setCallText("{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"E\",\"properties\":{\"plan\":\"Pro\"}}");
        auto *pin = m_window->settingsPanel()->findChild<QPushButton *>(QStringLiteral("pinButton"));
        QVERIFY(pin);
        pin->click();
        QVERIFY(m_window->workspace()->hasComparison());
        check("prefixCheck")->click();
        auto *tabs = m_window->previewPanel()->findChild<QTabWidget *>(QStringLiteral("previewTabs"));
        QVERIFY(tabs);
        for (int i = 0; i < tabs->count(); ++i)
            if (tabs->tabText(i).contains(QStringLiteral("Compare")))
                tabs->setCurrentIndex(i);
        QAbstractItemModel *compare = m_window->previewPanel()->compareModel();
        QVERIFY(compare->rowCount() > 0);
        bool renamed = false;
        const QModelIndex call = compare->index(0, 0);
        for (int r = 0; r < compare->rowCount(call); ++r)
            for (int c = 0; c < compare->columnCount(call); ++c)
                renamed |= compare->index(r, c, call).data().toString().contains(QStringLiteral("Renamed"));
        QVERIFY2(renamed, "prefix on vs off shows a property renamed by prefixing");
        m_window->undoStack()->undo(); // prefix back on
        m_window->undoStack()->undo(); // unpin
        QVERIFY(!m_window->workspace()->hasComparison());
    }

    void saveAndReopenGiveTheSameWorkspace()
    {
        setEngine(EngineId::SegmentDevice);
        check("namedCheck")->click();
        setCallText("{\"type\":\"track\",\"event\":\"Z\",\"properties\":{\"z\":1,\"a\":{\"c\":[1,2],\"b\":null}}}");
        const QString path = m_dir.filePath(QStringLiteral("saved.kmtest.json"));
        QVERIFY(m_window->saveWorkspace(path));
        QVERIFY(!m_window->workspace()->isModified());
        const std::string savedText = m_window->workspace()->toJson();

        QSettings otherSettings(m_dir.filePath(QStringLiteral("other.ini")), QSettings::IniFormat);
        MainWindow reopened(&otherSettings);
        QVERIFY(reopened.openWorkspace(path));
        QCOMPARE(reopened.workspace()->toJson(), savedText);
        QCOMPARE(reopened.workspace()->callCount(), m_window->workspace()->callCount());
        QCOMPARE(reopened.workspace()->configuration().engine, EngineId::SegmentDevice);
        QVERIFY(!reopened.workspace()->configuration().settings.isTrackNamedPages(EngineId::SegmentDevice));
        // The recent-files list now names it.
        QVERIFY(m_settings->value(QStringLiteral("workspace/recent"))
                        .toStringList()
                        .contains(QFileInfo(path).absoluteFilePath()));
    }

    void callListEditsGoThroughUndo()
    {
        QAbstractItemModelTester tester(m_window->callListModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester filterTester(m_window->callList()->model(),
                                              QAbstractItemModelTester::FailureReportingMode::QtTest);
        Workspace *ws = m_window->workspace();
        const int count = ws->callCount();
        const QUuid first = ws->call(0).id;
        m_window->selectCall(0);
        QAction *duplicate = nullptr;
        QAction *remove = nullptr;
        for (QAction *a : m_window->findChildren<QAction *>()) {
            if (a->shortcut() == QKeySequence(Qt::CTRL | Qt::Key_D))
                duplicate = a;
            if (a->shortcut() == QKeySequence(QKeySequence::Delete))
                remove = a;
        }
        QVERIFY(duplicate && remove);
        duplicate->trigger();
        QCOMPARE(ws->callCount(), count + 1);
        QCOMPARE(ws->call(1).json, ws->call(0).json);
        remove->trigger();
        QCOMPARE(ws->callCount(), count);
        // Drag the first call to the third place (through the model, as a view drop does).
        QMimeData *mime = m_window->callListModel()->mimeData({m_window->callListModel()->index(0)});
        m_window->callListModel()->dropMimeData(mime, Qt::MoveAction, 3, 0, {});
        delete mime;
        QCOMPARE(ws->indexOf(first), 2);
        m_window->undoStack()->undo();
        QCOMPARE(ws->indexOf(first), 0);
        m_window->undoStack()->undo();
        m_window->undoStack()->undo();
        QCOMPARE(ws->callCount(), count);
        QVERIFY(!ws->isModified());
    }

    void filterFindsCallsByNameTypeAndUser()
    {
        auto *filter = m_window->findChild<QLineEdit *>(QStringLiteral("filterEdit"));
        QVERIFY(filter);
        QTest::keyClicks(filter, QStringLiteral("alias"));
        QCOMPARE(m_window->callList()->model()->rowCount(), 1);
        filter->clear();
        QCOMPARE(m_window->callList()->model()->rowCount(), m_window->workspace()->callCount());
    }

    void pastingNdjsonAddsTheGoodLinesAndReportsTheBadOne()
    {
        const int count = m_window->workspace()->callCount();
        QGuiApplication::clipboard()->setText(QStringLiteral("{\"type\":\"track\",\"event\":\"A\"}\n{\"type\":\n"
                                                             "{\"type\":\"identify\",\"userId\":\"u\"}\n"));
        for (QAction *a : m_window->findChildren<QAction *>())
            if (a->shortcut() == QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V))
                a->trigger();
        QCOMPARE(m_window->workspace()->callCount(), count + 2);
        auto *box = m_window->findChild<QWidget *>(QStringLiteral("importErrorsBox"));
        QVERIFY(box && box->isVisible());
        box->close();
    }

    // A browser's capture dropped on the window: its calls come in, and its setup is offered.
    void droppingAHarCaptureAddsItsCallsAndOffersItsSetup()
    {
        Workspace *ws = m_window->workspace();
        const int count = ws->callCount();
        const Configuration before = ws->configuration();
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(QStringLiteral(KM_SOURCE_DIR "/resources/samples/product-page.har"))});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(m_window.get(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(m_window.get(), &drop);
        QVERIFY(drop.isAccepted());
        QCOMPARE(ws->callCount(), count + 3);
        QCOMPARE(m_window->currentCallIndex(), count);
        QCOMPARE(eventNameOf(preview()), std::string("Viewed Product Page")); // segment-cloud: name only

        auto *box = m_window->findChild<QMessageBox *>(QStringLiteral("captureSetupBox"));
        QVERIFY(box && box->isVisible());
        QVERIFY2(box->informativeText().contains(QStringLiteral("Capture: segment-device")),
                 qPrintable(box->informativeText()));
        QVERIFY(box->detailedText().contains(QStringLiteral("3 Segment calls in 8 entries")));
        // What Kissmetrics received: the page's event as the capture's settings name it.
        QVERIFY2(box->informativeText().contains(QStringLiteral(
                         "entry 4: /e \"Viewed Catalog Page\" is call 0 (page), but not in the request")),
                 qPrintable(box->informativeText()));
        QVERIFY(box->detailedText().contains(QStringLiteral("predicted, not in the capture: call 1 (track)")));
        QVERIFY(!box->detailedText().contains(QStringLiteral("3f1c2b9e")));
        QVERIFY(ws->configuration() == before); // nothing changes until asked
        box->button(QMessageBox::Yes)->click();

        QCOMPARE(ws->configuration().engine, EngineId::SegmentDevice);
        QVERIFY(!ws->configuration().settings.isTrackNamedPages(EngineId::SegmentDevice));
        QCOMPARE(ws->configuration().settings.apiKey().toString(), "3f1c2b9e8d7a6c5b4a3f2e1d0c9b8a7f6e5d4c3b");
        auto *key = m_window->settingsPanel()->findChild<QLineEdit *>(QStringLiteral("apiKeyEdit"));
        QCOMPARE(key->text(), QStringLiteral("3f1c2b9e8d7a6c5b4a3f2e1d0c9b8a7f6e5d4c3b"));
        QCOMPARE(eventNameOf(preview()), std::string("Viewed Catalog Page")); // what Kissmetrics received
        QCOMPARE(m_window->undoStack()->undoText(), QStringLiteral("Use the capture's settings"));

        m_window->undoStack()->undo();
        QVERIFY(ws->configuration() == before);
        QCOMPARE(ws->callCount(), count + 3);
        QCOMPARE(eventNameOf(preview()), std::string("Viewed Product Page"));
    }

    // Recorded with the workspace's own settings: nothing to offer, but what Kissmetrics received.
    void aCaptureWithTheWorkspaceSettingsOnlyReports()
    {
        Workspace *ws = m_window->workspace();
        const QByteArray har = sampleCapture();
        m_window->addCallsFromData(har, QStringLiteral("first.har"));
        auto *offer = m_window->findChild<QMessageBox *>(QStringLiteral("captureSetupBox"));
        QVERIFY(offer);
        offer->button(QMessageBox::Yes)->click();
        const Configuration applied = ws->configuration();
        QTRY_VERIFY(!m_window->findChild<QMessageBox *>(QStringLiteral("captureSetupBox")));

        m_window->addCallsFromData(har, QStringLiteral("again.har"));
        auto *report = m_window->findChild<QMessageBox *>(QStringLiteral("captureSetupBox"));
        QVERIFY(report && report->isVisible());
        QVERIFY(report->text().contains(QStringLiteral("recorded with the workspace's settings")));
        QVERIFY(!report->button(QMessageBox::Yes));
        QVERIFY(report->informativeText().contains(QStringLiteral("Viewed Catalog Page")));
        report->button(QMessageBox::Ok)->click();
        QVERIFY(ws->configuration() == applied);
    }

    void sendHasAShortcutAndSaysWhatItDoes()
    {
        QCOMPARE(m_window->sendAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Return));
        QVERIFY(m_window->sendAction()->toolTip().contains(QStringLiteral("Ctrl+Return")));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
