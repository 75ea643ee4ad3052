#include "comparemodel.h"
#include "matrixmodel.h"
#include "previewmodel.h"
#include "previewpanel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QFontDatabase>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTreeView>

#include <memory>
#include <string>

using km::PreviewPanel;

namespace {

constexpr double kNow = 1577836800000.0;
const QString kKey = QStringLiteral("secret-key-1234");

km::Configuration config(km::EngineId engine,
                         const std::string &settings = R"({"apiKey":"secret-key-1234","prefixProperties":true})")
{
    km::Configuration c;
    c.engine = engine;
    std::string error;
    const bool ok = km::Settings::fromJson(settings, &c.settings, &error);
    Q_ASSERT(ok);
    Q_UNUSED(ok);
    return c;
}

const std::string kTrack =
        R"({"type":"track","userId":"u1","event":"Signed Up","properties":{"plan":"Pro","seats":3}})";

template<typename T>
T *child(const QWidget &parent, const char *name)
{
    T *widget = parent.findChild<T *>(QLatin1String(name));
    if (!widget)
        qWarning("no child %s", name);
    return widget;
}

// Every item model of the panel under QAbstractItemModelTester for the life of a test.
struct Testers
{
    explicit Testers(PreviewPanel &panel)
    {
        for (QAbstractItemModel *model : {static_cast<QAbstractItemModel *>(panel.previewModel()),
                                          static_cast<QAbstractItemModel *>(panel.compareModel()),
                                          static_cast<QAbstractItemModel *>(panel.matrixModel())})
            testers.push_back(std::make_unique<QAbstractItemModelTester>(
                    model, QAbstractItemModelTester::FailureReportingMode::QtTest));
    }
    std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
};

QModelIndex childWith(const QAbstractItemModel &model, const QModelIndex &parent, const QString &text)
{
    for (int row = 0; row < model.rowCount(parent); ++row)
        if (model.index(row, 0, parent).data().toString() == text)
            return model.index(row, 0, parent);
    return {};
}

QListWidgetItem *whyItemWithPath(QListWidget *list, const QString &path)
{
    for (int i = 0; i < list->count(); ++i)
        if (list->item(i)->data(PreviewPanel::WhyPathRole).toString() == path)
            return list->item(i);
    return nullptr;
}

} // namespace

class TestPreviewPanel : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void tree();
    void rawAndKey();
    void copyButtons();
    void deviceRaw();
    void whyNothingSent();
    void whyHintFromMatrix();
    void whyEnterKey();
    void parseError();
    void compare();
    void compareIsLazy();
    void matrix();
    void matrixIsLazy();
    void noCall();
    void darkPalette();

private:
    std::unique_ptr<PreviewPanel> m_panel;
    std::unique_ptr<Testers> m_testers;
};

void TestPreviewPanel::init()
{
    m_panel = std::make_unique<PreviewPanel>();
    m_panel->setClock([] { return kNow; });
    m_testers = std::make_unique<Testers>(*m_panel);
    m_panel->resize(900, 600);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
}

void TestPreviewPanel::cleanup()
{
    m_testers.reset();
    m_panel.reset();
}

void TestPreviewPanel::tree()
{
    PreviewPanel &panel = *m_panel;
    auto *tabs = child<QTabWidget>(panel, "previewTabs");
    QVERIFY(tabs);
    QCOMPARE(tabs, panel.tabWidget());
    QCOMPARE(tabs->count(), 5);
    QCOMPARE(tabs->tabText(PreviewPanel::CallsTab), QStringLiteral("Kissmetrics calls"));
    QCOMPARE(tabs->tabText(PreviewPanel::MatrixTab), QStringLiteral("Settings matrix"));

    QSignalSpy updated(&panel, &PreviewPanel::previewUpdated);
    panel.setConfiguration(config(km::EngineId::SegmentCloud));
    panel.setCall(kTrack);
    QCOMPARE(updated.count(), 2);
    panel.setCall(kTrack); // the same text: nothing to do
    QCOMPARE(updated.count(), 2);
    QVERIFY(panel.currentResult());
    QVERIFY(panel.currentResult()->isValid);

    auto *tree = child<QTreeView>(panel, "previewTree");
    QVERIFY(tree);
    QCOMPARE(tree->model(), panel.previewModel());
    QCOMPARE(tree->model()->rowCount(), 1);
    const QModelIndex call = tree->model()->index(0, 0);
    QCOMPARE(call.data().toString(), QStringLiteral("/e Signed Up"));
    QVERIFY(tree->isExpanded(call));
    const QModelIndex plan = childWith(*tree->model(), call, QStringLiteral("Signed Up - plan"));
    QVERIFY(plan.isValid());
    QCOMPARE(plan.data(km::PreviewModel::PathRole).toString(), QStringLiteral("properties.plan"));
    QVERIFY(!child<QLabel>(panel, "previewBanner")->isVisible());

    // Typing a value keeps the tree's state: no reset, still expanded.
    QSignalSpy reset(tree->model(), &QAbstractItemModel::modelReset);
    panel.setCall(R"({"type":"track","userId":"u1","event":"Signed Up","properties":{"plan":"Team","seats":3}})");
    QCOMPARE(reset.count(), 0);
    QVERIFY(tree->isExpanded(call));
    QCOMPARE(plan.siblingAtColumn(km::PreviewModel::ValueColumn).data().toString(), QStringLiteral("Team"));
}

void TestPreviewPanel::rawAndKey()
{
    PreviewPanel &panel = *m_panel;
    panel.setConfiguration(config(km::EngineId::SegmentCloud));
    panel.setCall(kTrack);
    panel.setCurrentTab(PreviewPanel::RawTab);
    auto *raw = child<QPlainTextEdit>(panel, "rawText");
    QVERIFY(raw);
    QVERIFY(raw->isReadOnly());
    QVERIFY(raw->isVisible());
    QString text = raw->toPlainText();
    QVERIFY2(text.startsWith(QStringLiteral("https://trk.kissmetrics.io/e?")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("_k=<API_KEY>")));
    QVERIFY(!text.contains(kKey));
    QVERIFY(text.contains(QStringLiteral("_t=1577836800"))); // the fixed clock
    QCOMPARE(raw->font().family(), QFontDatabase::systemFont(QFontDatabase::FixedFont).family());

    auto *showKey = child<QCheckBox>(panel, "showKeyCheck");
    QVERIFY(showKey);
    QVERIFY(!showKey->isChecked());
    QSignalSpy keySpy(&panel, &PreviewPanel::keyVisibilityChanged);
    QTest::mouseClick(showKey, Qt::LeftButton, {}, showKey->rect().center());
    QVERIFY(showKey->isChecked());
    QCOMPARE(keySpy.count(), 1);
    QCOMPARE(panel.keyVisibility(), km::KeyVisibility::Shown);
    text = raw->toPlainText();
    QVERIFY(text.contains(QStringLiteral("_k=") + kKey));
    QVERIFY(!text.contains(QStringLiteral("<API_KEY>")));
    // The tree follows the same switch.
    const QModelIndex call = panel.previewModel()->index(0, 0);
    const QModelIndex key = childWith(*panel.previewModel(), call, QStringLiteral("_k"));
    QCOMPARE(key.siblingAtColumn(km::PreviewModel::ValueColumn).data().toString(), kKey);

    panel.setKeyVisibility(km::KeyVisibility::Redacted);
    QVERIFY(!showKey->isChecked());
    QVERIFY(raw->toPlainText().contains(QStringLiteral("<API_KEY>")));
}

void TestPreviewPanel::copyButtons()
{
    PreviewPanel &panel = *m_panel;
    panel.setConfiguration(config(km::EngineId::SegmentCloud));
    panel.setCall(kTrack);
    panel.setCurrentTab(PreviewPanel::RawTab);
    auto *copy = child<QPushButton>(panel, "copyButton");
    auto *copyCurl = child<QPushButton>(panel, "copyCurlButton");
    QVERIFY(copy && copyCurl);
    QVERIFY(copy->isEnabled());
    QVERIFY(copyCurl->isEnabled());
    QClipboard *clipboard = QGuiApplication::clipboard();

    clipboard->clear();
    QTest::mouseClick(copy, Qt::LeftButton);
    QCOMPARE(clipboard->text(), child<QPlainTextEdit>(panel, "rawText")->toPlainText());

    QTest::mouseClick(copyCurl, Qt::LeftButton);
    QString curl = clipboard->text();
    QVERIFY2(curl.startsWith(QStringLiteral("curl ")), qPrintable(curl));
    QVERIFY(curl.contains(QStringLiteral("<API_KEY>")));
    QVERIFY(!curl.contains(kKey));

    QTest::mouseClick(child<QCheckBox>(panel, "showKeyCheck"), Qt::LeftButton);
    QTest::mouseClick(copyCurl, Qt::LeftButton);
    curl = clipboard->text();
    QVERIFY(curl.contains(kKey));
}

void TestPreviewPanel::deviceRaw()
{
    PreviewPanel &panel = *m_panel;
    panel.setCurrentTab(PreviewPanel::RawTab);
    panel.setConfiguration(config(km::EngineId::SegmentDevice));
    panel.setCall(kTrack);
    const QString text = child<QPlainTextEdit>(panel, "rawText")->toPlainText();
    QVERIFY2(text.startsWith(QStringLiteral("window._kmq.push([\"record\",\"Signed Up\"")), qPrintable(text));
    QVERIFY(child<QPushButton>(panel, "copyButton")->isEnabled());
    QVERIFY(!child<QPushButton>(panel, "copyCurlButton")->isEnabled()); // no HTTP request in device mode
}

void TestPreviewPanel::whyNothingSent()
{
    PreviewPanel &panel = *m_panel;
    panel.setConfiguration(config(km::EngineId::SegmentDevice));
    panel.setCall(R"({"type":"page","userId":"u1","properties":{"url":"https://example.com/"}})");
    QCOMPARE(panel.previewModel()->rowCount(), 0);
    auto *previewBanner = child<QLabel>(panel, "previewBanner");
    QVERIFY(previewBanner->isVisible());
    QVERIFY(previewBanner->text().startsWith(QStringLiteral("Nothing is sent: ")));

    panel.setCurrentTab(PreviewPanel::WhyTab);
    auto *banner = child<QLabel>(panel, "whyBanner");
    QVERIFY(banner);
    QVERIFY(banner->isVisible());
    QVERIFY2(banner->text().startsWith(QStringLiteral("Nothing is sent: ")), qPrintable(banner->text()));
    QVERIFY(banner->text().contains(QStringLiteral("neither a name nor a category")));
    QCOMPARE(panel.statusText(), banner->text());

    auto *list = child<QListWidget>(panel, "whyList");
    QVERIFY(list);
    QListWidgetItem *item = whyItemWithPath(list, QStringLiteral("category"));
    QVERIFY(item);
    QCOMPARE(item->data(PreviewPanel::WhyCodeRole).toString(), QStringLiteral("nothing-sent"));
    QVERIFY(item->text().contains(QStringLiteral("neither a name nor a category")));
    QVERIFY(panel.tabWidget()->tabText(PreviewPanel::WhyTab).startsWith(QStringLiteral("Why (")));

    QSignalSpy activated(&panel, &PreviewPanel::fieldActivated);
    const QRect rect = list->visualItemRect(item);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.first().first().toString(), QStringLiteral("category"));

    // A name with Track Named Pages off: the warning points at the name.
    panel.setConfiguration(config(km::EngineId::SegmentDevice, R"({"apiKey":"k","trackNamedPages":false})"));
    panel.setCall(R"({"type":"page","userId":"u1","name":"Docs","properties":{}})");
    item = whyItemWithPath(list, QStringLiteral("name"));
    QVERIFY(item);
    activated.clear();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(item).center());
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.first().first().toString(), QStringLiteral("name"));
}

void TestPreviewPanel::whyHintFromMatrix()
{
    PreviewPanel &panel = *m_panel;
    panel.setConfiguration(config(km::EngineId::SegmentDevice, R"({"apiKey":"k","trackNamedPages":false})"));
    panel.setCall(R"({"type":"page","userId":"u1","name":"Docs","properties":{}})");
    auto *hint = child<QLabel>(panel, "whyHint");
    QVERIFY(!hint->isVisible());
    panel.setCurrentTab(PreviewPanel::WhyTab);
    QVERIFY(hint->isVisible());
    QCOMPARE(hint->text(), QStringLiteral("Turning on Track Named Pages would send: record Viewed Docs Page"));

    // Sent: no banner, no hint, the Why list says there is nothing unusual.
    panel.setConfiguration(config(km::EngineId::SegmentDevice, R"({"apiKey":"k"})"));
    QVERIFY(!hint->isVisible());
    QVERIFY(!child<QLabel>(panel, "whyBanner")->isVisible());
    QVERIFY(child<QLabel>(panel, "whyEmpty")->isVisible());
    QCOMPARE(panel.tabWidget()->tabText(PreviewPanel::WhyTab), QStringLiteral("Why"));
}

void TestPreviewPanel::whyEnterKey()
{
    PreviewPanel &panel = *m_panel;
    panel.setConfiguration(config(km::EngineId::SegmentDevice));
    panel.setCall(R"({"type":"page","userId":"u1","properties":{}})");
    panel.setCurrentTab(PreviewPanel::WhyTab);
    auto *list = child<QListWidget>(panel, "whyList");
    QListWidgetItem *item = whyItemWithPath(list, QStringLiteral("category"));
    QVERIFY(item);
    list->setCurrentItem(item);
    list->setFocus();
    QSignalSpy activated(&panel, &PreviewPanel::fieldActivated);
    QTest::keyClick(list, Qt::Key_Return);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.first().first().toString(), QStringLiteral("category"));
}

void TestPreviewPanel::parseError()
{
    PreviewPanel &panel = *m_panel;
    panel.setConfiguration(config(km::EngineId::SegmentCloud));
    panel.setCall("{\n  \"type\": \"track\",\n  \"event\" \"x\"\n}");
    QVERIFY(panel.currentResult());
    QVERIFY(!panel.currentResult()->isValid);
    QCOMPARE(panel.previewModel()->rowCount(), 0);
    auto *banner = child<QLabel>(panel, "previewBanner");
    QVERIFY(banner->isVisible());
    QVERIFY2(banner->text().startsWith(QStringLiteral("Not a valid call: line 3, column")), qPrintable(banner->text()));
    panel.setCurrentTab(PreviewPanel::WhyTab);
    QCOMPARE(child<QLabel>(panel, "whyBanner")->text(), banner->text());

    // A rejected call: the engine's error.
    panel.setConfiguration(config(km::EngineId::SegmentCloud, "{}"));
    panel.setCall(kTrack);
    QVERIFY(child<QLabel>(panel, "whyBanner")
                    ->text()
                    .startsWith(QStringLiteral("Nothing is sent: segment-cloud rejects the call: ")));
    panel.setCurrentTab(PreviewPanel::RawTab);
    QCOMPARE(child<QPlainTextEdit>(panel, "rawText")->toPlainText(), QString());
    QVERIFY(!child<QPushButton>(panel, "copyButton")->isEnabled());
}

void TestPreviewPanel::compare()
{
    PreviewPanel &panel = *m_panel;
    panel.setConfiguration(config(km::EngineId::SegmentCloud));
    panel.setCall(kTrack);
    panel.setCurrentTab(PreviewPanel::CompareTab);
    auto *hint = child<QLabel>(panel, "compareHint");
    QVERIFY(hint->isVisible());
    QCOMPARE(hint->text(),
             QStringLiteral("Pin a configuration to compare: Calls > Pin current settings for comparison"));

    panel.setComparison(config(km::EngineId::SegmentCloud, R"({"apiKey":"secret-key-1234","prefixProperties":false})"));
    QVERIFY(!hint->isVisible());
    auto *header = child<QLabel>(panel, "compareHeader");
    QVERIFY(header->isVisible());
    QCOMPARE(header->text(), QStringLiteral("segment-cloud (prefix on) \u27F7 segment-cloud (prefix off)"));
    auto *tree = child<QTreeView>(panel, "compareTree");
    QCOMPARE(tree->model(), panel.compareModel());
    QCOMPARE(tree->model()->rowCount(), 1);
    const QModelIndex call = tree->model()->index(0, 0);
    QVERIFY(tree->isExpanded(call));
    const QModelIndex plan = childWith(*tree->model(), call, QStringLiteral("Signed Up - plan \u2192 plan"));
    QVERIFY(plan.isValid());
    QCOMPARE(plan.data(km::CompareModel::ChangeKindRole).toInt(), int(km::ChangeKind::Renamed));
    // The call has no timestamp: both sides use the same clock reading, so _t is the same.
    QCOMPARE(childWith(*tree->model(), call, QStringLiteral("_t")).data(km::CompareModel::ChangeKindRole).toInt(),
             int(km::ChangeKind::Same));
    QVERIFY(child<QLabel>(panel, "compareStatus")->text().contains(QStringLiteral("2 renamed by prefixing")));

    auto *hide = child<QCheckBox>(panel, "hideUnchangedCheck");
    QTest::mouseClick(hide, Qt::LeftButton, {}, hide->rect().center());
    QVERIFY(hide->isChecked());
    QCOMPARE(tree->model()->rowCount(tree->model()->index(0, 0)), 2);

    // Another engine on the right.
    panel.setComparison(
            config(km::EngineId::SegmentDevice, R"({"apiKey":"secret-key-1234","prefixProperties":false})"));
    QCOMPARE(header->text(), QStringLiteral("segment-cloud (prefix on) \u27F7 segment-device (prefix off)"));
    QCOMPARE(tree->model()->index(0, km::CompareModel::RightColumn).data().toString(),
             QStringLiteral("record Signed Up"));

    panel.setComparison(std::nullopt);
    QVERIFY(hint->isVisible());
    QCOMPARE(panel.compareModel()->rowCount(), 0);
}

void TestPreviewPanel::compareIsLazy()
{
    PreviewPanel &panel = *m_panel;
    panel.setConfiguration(config(km::EngineId::SegmentCloud));
    panel.setCall(kTrack);
    panel.setComparison(config(km::EngineId::SegmentDevice));
    QCOMPARE(panel.currentTab(), PreviewPanel::CallsTab);
    QCOMPARE(panel.compareModel()->rowCount(), 0); // not computed while hidden
    panel.setCurrentTab(PreviewPanel::CompareTab);
    QCOMPARE(panel.compareModel()->rowCount(), 1);
    // While shown it follows every edit.
    panel.setCall(R"({"type":"identify","userId":"u1","traits":{"plan":"Pro"}})");
    QCOMPARE(panel.compareModel()->rowCount(), 2); // /s ⟷ identify u1, set
}

void TestPreviewPanel::matrix()
{
    PreviewPanel &panel = *m_panel;
    panel.setConfiguration(config(km::EngineId::SegmentDevice, R"({"apiKey":"k","trackCategorizedPages":false})"));
    panel.setCall(R"({"type":"page","userId":"u1","name":"Name","category":"Category","properties":{}})");
    panel.setCurrentTab(PreviewPanel::MatrixTab);
    auto *table = child<QTableView>(panel, "matrixTable");
    QVERIFY(table && table->isVisible());
    QCOMPARE(table->model(), panel.matrixModel());
    QCOMPARE(table->model()->rowCount(), 8);
    QCOMPARE(panel.matrixModel()->currentRow(), 2); // prefix on, categorized off, named on
    QVERIFY(table->model()->index(2, 0).data(km::MatrixModel::IsCurrentRole).toBool());
    QCOMPARE(table->model()->index(1, km::MatrixModel::EventNamesColumn).data().toString(),
             QStringLiteral("record Viewed Category Page"));
    QCOMPARE(table->model()->index(3, km::MatrixModel::EventNamesColumn).data().toString(),
             QStringLiteral("nothing sent"));
    auto *label = child<QLabel>(panel, "matterLabel");
    QCOMPARE(label->text(),
             QStringLiteral("Only Track Categorized Pages and Track Named Pages change anything for this call"));

    panel.setCall(R"({"type":"page","userId":"u1","name":"Docs","properties":{}})");
    QCOMPARE(label->text(), QStringLiteral("Only Track Named Pages changes anything for this call"));
}

void TestPreviewPanel::matrixIsLazy()
{
    PreviewPanel &panel = *m_panel;
    panel.setConfiguration(config(km::EngineId::SegmentDevice));
    panel.setCall(R"({"type":"page","userId":"u1","name":"Docs","properties":{}})");
    QCOMPARE(panel.matrixModel()->rowCount(), 0);
    panel.updateAllTabs();
    QCOMPARE(panel.matrixModel()->rowCount(), 8);
}

void TestPreviewPanel::noCall()
{
    PreviewPanel &panel = *m_panel;
    QVERIFY(!panel.hasCall());
    QVERIFY(!panel.currentResult());
    QVERIFY(child<QLabel>(panel, "previewBanner")->isVisible());
    panel.setCall(kTrack);
    QVERIFY(panel.currentResult());
    panel.clearCall();
    QVERIFY(!panel.currentResult());
    QCOMPARE(panel.previewModel()->rowCount(), 0);
    QVERIFY(!panel.statusText().isEmpty());
}

void TestPreviewPanel::darkPalette()
{
    PreviewPanel &panel = *m_panel;
    panel.setConfiguration(config(km::EngineId::SegmentDevice));
    panel.setCall(R"({"type":"page","userId":"u1","properties":{}})");
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Highlight, QColor(0x2a, 0x82, 0xda));
    panel.setPalette(dark);
    auto *banner = child<QLabel>(panel, "previewBanner");
    QVERIFY(banner->palette().color(QPalette::Window).lightnessF() < 0.5);
    QCOMPARE(banner->palette().color(QPalette::WindowText), dark.color(QPalette::WindowText));
    QCOMPARE(panel.compareModel()->palette().color(QPalette::Base), dark.color(QPalette::Base));
    QCOMPARE(panel.matrixModel()->palette().color(QPalette::Base), dark.color(QPalette::Base));
}

QTEST_MAIN(TestPreviewPanel)
#include "tst_previewpanel.moc"
