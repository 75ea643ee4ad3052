#include "chipdelegate.h"
#include "comparemodel.h"
#include "matrixmodel.h"
#include "previewmodel.h"

#include <QAbstractItemModelTester>
#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>

#include <memory>
#include <string>

using km::ChangeKind;
using km::CompareModel;
using km::MatrixModel;
using km::PreviewModel;

namespace {

constexpr double kNow = 1577836800000.0;
const QString kKey = QStringLiteral("secret-key-1234");

km::Configuration config(km::EngineId engine, const std::string &settings)
{
    km::Configuration c;
    c.engine = engine;
    std::string error;
    const bool ok = km::Settings::fromJson(settings, &c.settings, &error);
    Q_ASSERT(ok);
    Q_UNUSED(ok);
    return c;
}

km::Configuration withPrefix(km::EngineId engine, bool prefix)
{
    return config(engine, std::string(R"({"apiKey":"secret-key-1234","prefixProperties":)")
                                  + (prefix ? "true" : "false") + "}");
}

std::shared_ptr<const km::PreviewResult> translate(const std::string &json, const km::Configuration &c)
{
    return std::make_shared<const km::PreviewResult>(km::translateCall(json, c, kNow));
}

std::unique_ptr<QAbstractItemModelTester> attachTester(QAbstractItemModel *model)
{
    return std::make_unique<QAbstractItemModelTester>(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
}

// The child row of `call` whose key (or, for CompareModel, Property text) is `key`.
QModelIndex childWith(const QAbstractItemModel &model, const QModelIndex &call, const QString &text, int column = 0)
{
    for (int row = 0; row < model.rowCount(call); ++row) {
        const QModelIndex index = model.index(row, column, call);
        if (index.data().toString() == text)
            return index;
    }
    return {};
}

QString cell(const QAbstractItemModel &, const QModelIndex &sibling, int column)
{
    return sibling.siblingAtColumn(column).data().toString();
}

const std::string kTrack = R"({"type":"track","userId":"u1","event":"E","timestamp":"2020-01-01T00:00:00Z",)"
                           R"("properties":{"x":1,"flag":true,"list":["a","b"],"address":{"city":"Paris"},)"
                           R"("when":"2020-01-01T00:00:00Z"}})";

const std::string kPage = R"({"type":"page","userId":"u1","name":"Name","category":"Category",)"
                          R"("properties":{"url":"https://example.com/"},"channel":"server"})";

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    p.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
    p.setColor(QPalette::Highlight, QColor(0x2a, 0x82, 0xda));
    p.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
    return p;
}

QPalette lightPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0xef, 0xef, 0xef));
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::Text, Qt::black);
    p.setColor(QPalette::WindowText, Qt::black);
    p.setColor(QPalette::Highlight, QColor(0x30, 0x8c, 0xc6));
    p.setColor(QPalette::PlaceholderText, QColor(0x80, 0x80, 0x80));
    return p;
}

} // namespace

class TestPreviewModels : public QObject
{
    Q_OBJECT

private slots:
    void segmentCloudPrefixed();
    void keyMasking();
    void segmentDevice();
    void deviceCallsWithoutProperties();
    void ruddercloudKeepsTypes();
    void emptyStates();
    void valueEditKeepsRows();
    void compareRenamed();
    void compareChanged();
    void compareHidesSame();
    void compareColors();
    void compareDescription();
    void matrixPage();
    void matrixSummaries();
    void matrixSuggestion();
    void matrixRejected();
    void chips();
};

void TestPreviewModels::segmentCloudPrefixed()
{
    PreviewModel model;
    const auto tester = attachTester(&model);
    model.setResult(translate(R"({"type":"track","userId":"u1","event":"E","properties":{"x":1}})",
                              withPrefix(km::EngineId::SegmentCloud, true)));
    QCOMPARE(model.status(), PreviewModel::Status::Sending);
    QCOMPARE(model.rowCount(), 1);
    const QModelIndex call = model.index(0, PreviewModel::NameColumn);
    QCOMPARE(call.data().toString(), QStringLiteral("/e E"));
    QCOMPARE(cell(model, call, PreviewModel::ValueColumn), QStringLiteral("GET"));
    QVERIFY(call.data(PreviewModel::IsCallRole).toBool());

    const QModelIndex x = childWith(model, call, QStringLiteral("E - x"));
    QVERIFY(x.isValid());
    QCOMPARE(cell(model, x, PreviewModel::ValueColumn), QStringLiteral("1"));
    QCOMPARE(cell(model, x, PreviewModel::TypeColumn), QStringLiteral("string")); // a query string has only text
    QCOMPARE(cell(model, x, PreviewModel::OriginColumn), QStringLiteral("properties.x"));
    QCOMPARE(x.data(PreviewModel::PathRole).toString(), QStringLiteral("properties.x"));
    const QStringList rules = x.siblingAtColumn(PreviewModel::RulesColumn).data(PreviewModel::RulesRole).toStringList();
    QVERIFY(rules.size() >= 1);
    QCOMPARE(rules.first(), QStringLiteral("prefixed"));
    QVERIFY(!x.data(PreviewModel::IsReservedRole).toBool());
    QVERIFY(x.siblingAtColumn(PreviewModel::RulesColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("\"E - \"")));

    // Kissmetrics' parameters come first, then the event's properties.
    bool seenOrdinary = false;
    QStringList reserved;
    for (int row = 0; row < model.rowCount(call); ++row) {
        const QModelIndex p = model.index(row, 0, call);
        if (p.data(PreviewModel::IsReservedRole).toBool()) {
            QVERIFY2(!seenOrdinary, qPrintable(p.data().toString()));
            reserved.append(p.data().toString());
        } else {
            seenOrdinary = true;
        }
    }
    reserved.sort();
    QCOMPARE(reserved, (QStringList{"_d", "_k", "_n", "_p", "_t"}));
    QCOMPARE(cell(model, childWith(model, call, QStringLiteral("_n")), PreviewModel::ValueColumn), QStringLiteral("E"));
    QCOMPARE(childWith(model, call, QStringLiteral("_p")).data(PreviewModel::PathRole).toString(),
             QStringLiteral("userId"));
    QCOMPARE(cell(model, childWith(model, call, QStringLiteral("_t")), PreviewModel::ValueColumn),
             QStringLiteral("1577836800")); // the injected clock
}

void TestPreviewModels::keyMasking()
{
    PreviewModel model;
    const auto tester = attachTester(&model);
    model.setResult(translate(R"({"type":"identify","userId":"u1","traits":{"plan":"Pro"}})",
                              withPrefix(km::EngineId::SegmentCloud, true)));
    QCOMPARE(model.keyVisibility(), km::KeyVisibility::Redacted);
    const QModelIndex call = model.index(0, 0);
    QCOMPARE(call.data().toString(), QStringLiteral("/s"));
    const QModelIndex key = childWith(model, call, QStringLiteral("_k"));
    QVERIFY(key.isValid());
    QVERIFY(key.data(PreviewModel::IsReservedRole).toBool());
    const QString masked = QString(4, QChar(0x2022)) + QStringLiteral("1234");
    QCOMPARE(cell(model, key, PreviewModel::ValueColumn), masked);
    QVERIFY(!key.siblingAtColumn(PreviewModel::ValueColumn).data(Qt::ToolTipRole).toString().contains(kKey));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setKeyVisibility(km::KeyVisibility::Shown);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(cell(model, key, PreviewModel::ValueColumn), kKey);
    model.setKeyVisibility(km::KeyVisibility::Redacted);
    QCOMPARE(cell(model, key, PreviewModel::ValueColumn), masked);

    QCOMPARE(PreviewModel::maskedKey(QStringLiteral("abc")), QString(4, QChar(0x2022)));
}

void TestPreviewModels::segmentDevice()
{
    PreviewModel model;
    const auto tester = attachTester(&model);
    model.setResult(translate(kTrack, withPrefix(km::EngineId::SegmentDevice, true)));
    QCOMPARE(model.rowCount(), 1);
    const QModelIndex call = model.index(0, 0);
    QCOMPARE(call.data().toString(), QStringLiteral("record E"));
    QCOMPARE(cell(model, call, PreviewModel::ValueColumn), QString());

    struct Expected
    {
        const char *key;
        const char *value;
        const char *type;
        const char *path;
        const char *rule;
    };
    const Expected expected[] = {
            {"E - x", "1", "number", "properties.x", "prefixed"},
            {"E - flag", "true", "boolean", "properties.flag", "prefixed"},
            {"E - list", "a,b", "string", "properties.list", "array joined"},
            {"E - address.city", "Paris", "string", "properties.address.city", "flattened"},
            {"E - when", "1577836800", "number", "properties.when", "ISO date \u2192 Unix seconds"},
    };
    for (const Expected &e : expected) {
        const QModelIndex p = childWith(model, call, QString::fromUtf8(e.key));
        QVERIFY2(p.isValid(), e.key);
        QCOMPARE(cell(model, p, PreviewModel::ValueColumn), QString::fromUtf8(e.value));
        QCOMPARE(cell(model, p, PreviewModel::TypeColumn), QString::fromUtf8(e.type));
        QCOMPARE(cell(model, p, PreviewModel::OriginColumn), QString::fromUtf8(e.path));
        QVERIFY2(p.data(PreviewModel::RulesRole).toStringList().contains(QString::fromUtf8(e.rule)), e.key);
        QVERIFY(!p.data(PreviewModel::IsReservedRole).toBool());
    }
    const QModelIndex city = childWith(model, call, QStringLiteral("E - address.city"));
    QVERIFY(city.siblingAtColumn(PreviewModel::RulesColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("flattened from properties.address.city")));
    QCOMPARE(cell(model, city, PreviewModel::RulesColumn), QStringLiteral("prefixed, flattened"));
}

void TestPreviewModels::deviceCallsWithoutProperties()
{
    PreviewModel model;
    const auto tester = attachTester(&model);
    model.setResult(translate(R"({"type":"identify","userId":"u1","traits":{"plan":"Pro"}})",
                              withPrefix(km::EngineId::SegmentDevice, true)));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("identify u1"));
    QCOMPARE(model.rowCount(model.index(0, 0)), 0);
    QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("set"));
    const QModelIndex plan = childWith(model, model.index(1, 0), QStringLiteral("plan"));
    QCOMPARE(cell(model, plan, PreviewModel::ValueColumn), QStringLiteral("Pro"));
    QCOMPARE(plan.data(PreviewModel::PathRole).toString(), QStringLiteral("traits.plan"));

    model.setResult(translate(R"({"type":"alias","userId":"new","previousId":"old"})",
                              withPrefix(km::EngineId::SegmentDevice, true)));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("alias new old"));
}

void TestPreviewModels::ruddercloudKeepsTypes()
{
    PreviewModel model;
    const auto tester = attachTester(&model);
    model.setResult(translate(kTrack, withPrefix(km::EngineId::RudderCloud, true)));
    QCOMPARE(model.rowCount(), 1);
    const QModelIndex call = model.index(0, 0);
    const QModelIndex x = childWith(model, call, QStringLiteral("E-x"));
    QVERIFY(x.isValid());
    QCOMPARE(cell(model, x, PreviewModel::TypeColumn), QStringLiteral("number"));
    QCOMPARE(cell(model, childWith(model, call, QStringLiteral("_d")), PreviewModel::TypeColumn),
             QStringLiteral("number"));
}

void TestPreviewModels::emptyStates()
{
    PreviewModel model;
    const auto tester = attachTester(&model);
    QCOMPARE(model.status(), PreviewModel::Status::NoResult);

    model.setResult(translate(R"({"type":"track",)", withPrefix(km::EngineId::SegmentCloud, true)));
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.status(), PreviewModel::Status::Invalid);
    QVERIFY(PreviewModel::statusText(*model.result()).startsWith(QStringLiteral("Not a valid call: line 1, column")));

    model.setResult(
            translate(R"({"type":"track","userId":"u1","event":"E"})", config(km::EngineId::SegmentCloud, "{}")));
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.status(), PreviewModel::Status::Rejected);
    QVERIFY(PreviewModel::statusText(*model.result())
                    .startsWith(QStringLiteral("Nothing is sent: segment-cloud rejects the call: ")));

    model.setResult(translate(R"({"type":"page","userId":"u1","properties":{}})",
                              withPrefix(km::EngineId::SegmentDevice, true)));
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.status(), PreviewModel::Status::NothingSent);
    const QString text = PreviewModel::statusText(*model.result());
    QVERIFY2(text.startsWith(QStringLiteral("Nothing is sent: ")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("neither a name nor a category")), qPrintable(text));

    model.clear();
    QCOMPARE(model.status(), PreviewModel::Status::NoResult);
    QCOMPARE(model.rowCount(), 0);
}

void TestPreviewModels::valueEditKeepsRows()
{
    PreviewModel model;
    const auto tester = attachTester(&model);
    const km::Configuration c = withPrefix(km::EngineId::SegmentCloud, true);
    model.setResult(translate(R"({"type":"track","userId":"u1","event":"E","properties":{"x":1}})", c));
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setResult(translate(R"({"type":"track","userId":"u1","event":"E","properties":{"x":12}})", c));
    QCOMPARE(reset.count(), 0);
    QVERIFY(changed.count() >= 1);
    QCOMPARE(cell(model, childWith(model, model.index(0, 0), QStringLiteral("E - x")), PreviewModel::ValueColumn),
             QStringLiteral("12"));
    // A new key changes the shape: a reset.
    model.setResult(translate(R"({"type":"track","userId":"u1","event":"E","properties":{"x":12,"y":2}})", c));
    QCOMPARE(reset.count(), 1);
    QVERIFY(childWith(model, model.index(0, 0), QStringLiteral("E - y")).isValid());
}

void TestPreviewModels::compareRenamed()
{
    CompareModel model;
    const auto tester = attachTester(&model);
    const std::string json =
            R"({"type":"track","userId":"u1","event":"E","timestamp":"2020-01-01T00:00:00Z","properties":{"x":1}})";
    const auto on = translate(json, withPrefix(km::EngineId::SegmentCloud, true));
    const auto off = translate(json, withPrefix(km::EngineId::SegmentCloud, false));
    model.setTranslations(on->translation, off->translation);
    QCOMPARE(model.rowCount(), 1);
    const QModelIndex call = model.index(0, 0);
    QCOMPARE(call.data().toString(), QStringLiteral("/e E"));
    QCOMPARE(call.data(CompareModel::ChangeKindRole).toInt(), int(ChangeKind::Changed));
    QCOMPARE(cell(model, call, CompareModel::ChangeColumn), QStringLiteral("Changed"));

    const QModelIndex x = childWith(model, call, QStringLiteral("E - x \u2192 x"));
    QVERIFY(x.isValid());
    QCOMPARE(x.data(CompareModel::ChangeKindRole).toInt(), int(ChangeKind::Renamed));
    QCOMPARE(cell(model, x, CompareModel::ChangeColumn), QStringLiteral("Renamed by prefixing"));
    QCOMPARE(cell(model, x, CompareModel::LeftColumn), QStringLiteral("\"1\""));
    QCOMPARE(cell(model, x, CompareModel::RightColumn), QStringLiteral("\"1\""));
    QCOMPARE(x.data(CompareModel::LeftKeyRole).toString(), QStringLiteral("E - x"));
    QCOMPARE(x.data(CompareModel::RightKeyRole).toString(), QStringLiteral("x"));
    QCOMPARE(model.count(ChangeKind::Renamed), 1);

    // The API key is masked on both sides until shown.
    const QModelIndex key = childWith(model, call, QStringLiteral("_k"));
    QCOMPARE(key.data(CompareModel::ChangeKindRole).toInt(), int(ChangeKind::Same));
    QVERIFY(!cell(model, key, CompareModel::LeftColumn).contains(kKey));
    model.setKeyVisibility(km::KeyVisibility::Shown);
    QVERIFY(cell(model, key, CompareModel::LeftColumn).contains(kKey));
}

void TestPreviewModels::compareChanged()
{
    CompareModel model;
    const auto tester = attachTester(&model);
    const auto cloud = translate(kTrack, withPrefix(km::EngineId::SegmentCloud, true));
    const auto rudder = translate(kTrack, withPrefix(km::EngineId::RudderCloud, true));
    model.setTranslations(cloud->translation, rudder->translation);
    QCOMPARE(model.rowCount(), 1);
    const QModelIndex call = model.index(0, 0);
    // segment-cloud sends every value as text, rudder-cloud keeps JSON types: _d "1" vs 1.
    const QModelIndex d = childWith(model, call, QStringLiteral("_d"));
    QVERIFY(d.isValid());
    QCOMPARE(d.data(CompareModel::ChangeKindRole).toInt(), int(ChangeKind::Changed));
    QCOMPARE(cell(model, d, CompareModel::ChangeColumn), QStringLiteral("Changed"));
    QCOMPARE(cell(model, d, CompareModel::LeftColumn), QStringLiteral("\"1\""));
    QCOMPARE(cell(model, d, CompareModel::RightColumn), QStringLiteral("1"));
    QVERIFY(d.data(Qt::ToolTipRole).toString().contains(QStringLiteral("a string on the left")));
    QVERIFY(model.count(ChangeKind::Changed) >= 1);
    // "E - x" and "E-x" are the same property under two prefix styles.
    QVERIFY(childWith(model, call, QStringLiteral("E - x \u2192 E-x")).isValid());
}

void TestPreviewModels::compareHidesSame()
{
    CompareModel model;
    const auto tester = attachTester(&model);
    const std::string json =
            R"({"type":"track","userId":"u1","event":"E","timestamp":"2020-01-01T00:00:00Z","properties":{"x":1}})";
    const auto on = translate(json, withPrefix(km::EngineId::SegmentCloud, true));
    const auto off = translate(json, withPrefix(km::EngineId::SegmentCloud, false));
    model.setTranslations(on->translation, off->translation);
    const int all = model.rowCount(model.index(0, 0));
    QVERIFY(all > 1);
    model.setSameRows(CompareModel::SameRows::Hidden);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.rowCount(model.index(0, 0)), 1); // only the renamed property
    model.setSameRows(CompareModel::SameRows::Shown);
    QCOMPARE(model.rowCount(model.index(0, 0)), all);

    // Identical sides: everything hidden.
    model.setTranslations(on->translation, on->translation);
    QCOMPARE(model.rowCount(), 1);
    model.setSameRows(CompareModel::SameRows::Hidden);
    QCOMPARE(model.rowCount(), 0);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestPreviewModels::compareColors()
{
    const QPalette light = lightPalette();
    const QPalette dark = darkPalette();
    for (const bool isDark : {false, true}) {
        const QPalette &p = isDark ? dark : light;
        const QColor base = p.color(QPalette::Base);
        const QColor added = CompareModel::background(ChangeKind::Added, p);
        const QColor removed = CompareModel::background(ChangeKind::Removed, p);
        const QColor changed = CompareModel::background(ChangeKind::Changed, p);
        const QColor renamed = CompareModel::background(ChangeKind::Renamed, p);
        QVERIFY(!CompareModel::background(ChangeKind::Same, p).isValid());
        // Tints stay on the base's side of the lightness scale, so the palette's text reads on them.
        for (const QColor &c : {added, removed, changed, renamed})
            QCOMPARE(c.lightnessF() < 0.5, isDark);
        QVERIFY(added.green() > added.red() && added.green() > added.blue());
        QVERIFY(removed.red() > removed.green() && removed.red() > removed.blue());
        QVERIFY(changed.red() > changed.blue() && changed.green() > changed.blue());
        QVERIFY(renamed.blue() > renamed.red());
        QVERIFY(added != base);
    }

    CompareModel model;
    const auto tester = attachTester(&model);
    model.setPalette(dark);
    const std::string json =
            R"({"type":"track","userId":"u1","event":"E","timestamp":"2020-01-01T00:00:00Z","properties":{"x":1}})";
    const auto on = translate(json, withPrefix(km::EngineId::SegmentCloud, true));
    const auto off = translate(json, withPrefix(km::EngineId::SegmentCloud, false));
    model.setTranslations(on->translation, off->translation);
    const QModelIndex x = childWith(model, model.index(0, 0), QStringLiteral("E - x \u2192 x"));
    QCOMPARE(x.data(Qt::BackgroundRole).value<QColor>(), CompareModel::background(ChangeKind::Renamed, dark));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setPalette(light);
    QVERIFY(changed.count() >= 1);
    QCOMPARE(x.data(Qt::BackgroundRole).value<QColor>(), CompareModel::background(ChangeKind::Renamed, light));
}

void TestPreviewModels::compareDescription()
{
    QCOMPARE(CompareModel::describeComparison(withPrefix(km::EngineId::SegmentCloud, true),
                                              withPrefix(km::EngineId::SegmentCloud, false)),
             QStringLiteral("segment-cloud (prefix on) \u27F7 segment-cloud (prefix off)"));
    QCOMPARE(CompareModel::describeComparison(withPrefix(km::EngineId::SegmentCloud, true),
                                              withPrefix(km::EngineId::SegmentDevice, false)),
             QStringLiteral("segment-cloud (prefix on) \u27F7 segment-device (prefix off)"));
    QCOMPARE(CompareModel::describeComparison(withPrefix(km::EngineId::SegmentCloud, true),
                                              withPrefix(km::EngineId::RudderCloud, true)),
             QStringLiteral("segment-cloud \u27F7 rudder-cloud"));
    km::Configuration named = withPrefix(km::EngineId::SegmentDevice, true);
    named.settings.values().set("trackNamedPages", km::Value::boolean(false));
    QCOMPARE(CompareModel::describeComparison(withPrefix(km::EngineId::SegmentDevice, true), named),
             QStringLiteral("segment-device (named pages on) \u27F7 segment-device (named pages off)"));
    QCOMPARE(CompareModel::describeComparison(named, named),
             QStringLiteral("segment-device (same settings) \u27F7 segment-device (same settings)"));
}

void TestPreviewModels::matrixPage()
{
    MatrixModel model;
    const auto tester = attachTester(&model);
    const km::Configuration c = withPrefix(km::EngineId::SegmentDevice, true); // the toggles default to on
    model.compute(kPage, c, kNow);
    QCOMPARE(model.rowCount(), 8);
    QCOMPARE(model.columnCount(), 5);
    // Mapping reference, section 5 (AJS): the category with trackCategorizedPages, then the name
    // with trackNamedPages, which wins; neither: nothing.
    const QStringList expected = {
            "on on on record Viewed Name Page 3",   "on on off record Viewed Category Page 3",
            "on off on record Viewed Name Page 3",  "on off off nothing sent 0",
            "off on on record Viewed Name Page 3",  "off on off record Viewed Category Page 3",
            "off off on record Viewed Name Page 3", "off off off nothing sent 0",
    };
    QStringList rows;
    for (int row = 0; row < model.rowCount(); ++row) {
        QStringList cells;
        for (int column = 0; column < model.columnCount(); ++column)
            cells.append(model.index(row, column).data().toString());
        rows.append(cells.join(QLatin1Char(' ')));
    }
    QCOMPARE(rows, expected);
    QCOMPARE(model.headerData(MatrixModel::PrefixColumn, Qt::Horizontal).toString(),
             QStringLiteral("Prefix Properties"));
    QCOMPARE(model.headerData(MatrixModel::CategorizedColumn, Qt::Horizontal).toString(),
             QStringLiteral("Track Categorized Pages"));
    QCOMPARE(model.headerData(MatrixModel::NamedColumn, Qt::Horizontal).toString(),
             QStringLiteral("Track Named Pages"));

    QCOMPARE(model.currentRow(), 0);
    QVERIFY(model.index(0, 0).data(MatrixModel::IsCurrentRole).toBool());
    QVERIFY(model.index(0, 0).data(Qt::BackgroundRole).value<QColor>().isValid());
    QVERIFY(!model.index(1, 0).data(MatrixModel::IsCurrentRole).toBool());
    QCOMPARE(model.settingsThatMatter(), (QStringList{"trackCategorizedPages", "trackNamedPages"}));
    QCOMPARE(model.summary(),
             QStringLiteral("Only Track Categorized Pages and Track Named Pages change anything for this call"));
    QVERIFY(model.headerData(MatrixModel::NamedColumn, Qt::Horizontal, Qt::FontRole).value<QFont>().bold());
    QVERIFY(!model.headerData(MatrixModel::PrefixColumn, Qt::Horizontal, Qt::FontRole).value<QFont>().bold());

    // Named off, categorized on: the highlighted row moves.
    km::Configuration categorized = c;
    categorized.settings.values().set("trackNamedPages", km::Value::boolean(false));
    model.compute(kPage, categorized, kNow);
    QCOMPARE(model.currentRow(), 1);
    QCOMPARE(model.index(1, MatrixModel::EventNamesColumn).data().toString(),
             QStringLiteral("record Viewed Category Page"));

    // segment-cloud reads neither page toggle: those cells say so.
    model.compute(kPage, withPrefix(km::EngineId::SegmentCloud, true), kNow);
    QVERIFY(!model.index(0, MatrixModel::NamedColumn).data(MatrixModel::IsSettingReadRole).toBool());
    QVERIFY(model.index(0, MatrixModel::PrefixColumn).data(MatrixModel::IsSettingReadRole).toBool());
    QVERIFY(model.index(0, MatrixModel::NamedColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("does not read")));
    QCOMPARE(model.summary(), QStringLiteral("None of the three toggles changes anything for this call"));

    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.currentRow(), -1);
    QCOMPARE(model.summary(), QString());
}

void TestPreviewModels::matrixSummaries()
{
    MatrixModel model;
    const auto tester = attachTester(&model);
    model.compute(R"({"type":"page","name":"Docs","properties":{}})", withPrefix(km::EngineId::SegmentDevice, true),
                  kNow);
    QCOMPARE(model.summary(), QStringLiteral("Only Track Named Pages changes anything for this call"));
    model.compute(R"({"type":"page","category":"Docs","properties":{}})", withPrefix(km::EngineId::SegmentDevice, true),
                  kNow);
    QCOMPARE(model.summary(), QStringLiteral("Only Track Categorized Pages changes anything for this call"));
    QCOMPARE(model.index(0, MatrixModel::EventNamesColumn).data().toString(),
             QStringLiteral("record Viewed Docs Page"));
    QCOMPARE(model.index(2, MatrixModel::EventNamesColumn).data().toString(), QStringLiteral("nothing sent"));
    model.compute(R"({"type":"track","userId":"u1","event":"E","properties":{"a":1}})",
                  withPrefix(km::EngineId::SegmentCloud, true), kNow);
    QCOMPARE(model.summary(), QStringLiteral("Only Prefix Properties changes anything for this call"));
    QCOMPARE(model.index(0, MatrixModel::PropertiesColumn).data().toInt(), 1);
}

void TestPreviewModels::matrixSuggestion()
{
    MatrixModel model;
    km::Configuration c = withPrefix(km::EngineId::SegmentDevice, true);
    c.settings.values().set("trackNamedPages", km::Value::boolean(false));
    model.compute(R"({"type":"page","name":"Docs","properties":{}})", c, kNow);
    QCOMPARE(model.suggestion(), QStringLiteral("Turning on Track Named Pages would send: record Viewed Docs Page"));
    // Something is sent: no suggestion.
    model.compute(R"({"type":"page","name":"Docs","properties":{}})", withPrefix(km::EngineId::SegmentDevice, true),
                  kNow);
    QCOMPARE(model.suggestion(), QString());
    // No toggle helps a page with neither name nor category.
    model.compute(R"({"type":"page","properties":{}})", withPrefix(km::EngineId::SegmentDevice, true), kNow);
    QCOMPARE(model.suggestion(), QString());
}

void TestPreviewModels::matrixRejected()
{
    MatrixModel model;
    const auto tester = attachTester(&model);
    model.compute(R"({"type":"track","userId":"u1","event":"E"})", config(km::EngineId::SegmentCloud, "{}"), kNow);
    QCOMPARE(model.rowCount(), 8);
    const QString error = model.index(0, 0).data(MatrixModel::ErrorRole).toString();
    QVERIFY(error.contains(QStringLiteral("apiKey")));
    QCOMPARE(model.index(0, MatrixModel::EventNamesColumn).data(Qt::ToolTipRole).toString(), error);
    QCOMPARE(model.index(3, MatrixModel::PrefixColumn).data(Qt::ToolTipRole).toString(), error);
    QVERIFY(model.index(0, MatrixModel::EventNamesColumn).data().toString().startsWith(QStringLiteral("rejected: ")));
    QVERIFY(model.summary().startsWith(QStringLiteral("Nothing is sent with any combination: ")));

    model.compute("{", withPrefix(km::EngineId::SegmentCloud, true), kNow);
    QCOMPARE(model.rowCount(), 8);
    QVERIFY(model.index(0, 0).data(MatrixModel::ErrorRole).toString().startsWith(QStringLiteral("line 1")));
}

void TestPreviewModels::chips()
{
    const QPalette light = lightPalette();
    const QPalette dark = darkPalette();
    const QString prefixed = QStringLiteral("prefixed");
    const QString flattened = QStringLiteral("flattened");
    QVERIFY(km::ChipDelegate::chipHue(prefixed, light) != km::ChipDelegate::chipHue(flattened, light));
    QCOMPARE(km::ChipDelegate::chipHue(prefixed, light), km::ChipDelegate::chipHue(prefixed, light));
    for (const bool isDark : {false, true}) {
        const QPalette &p = isDark ? dark : light;
        const km::ChipDelegate::ChipColors colors = km::ChipDelegate::chipColors(prefixed, p);
        QCOMPARE(colors.text, p.color(QPalette::Text));
        QCOMPARE(colors.fill.lightnessF() < 0.5, isDark); // the text keeps its contrast
        QVERIFY(colors.border != colors.fill);
    }

    // Size and painting, off screen.
    PreviewModel model;
    model.setResult(translate(kTrack, withPrefix(km::EngineId::SegmentDevice, true)));
    QTreeView view;
    view.setModel(&model);
    km::ChipDelegate delegate(PreviewModel::RulesRole);
    view.setItemDelegateForColumn(PreviewModel::RulesColumn, &delegate);
    const QModelIndex call = model.index(0, 0);
    const QModelIndex one = childWith(model, call, QStringLiteral("E - x")).siblingAtColumn(PreviewModel::RulesColumn);
    const QModelIndex two =
            childWith(model, call, QStringLiteral("E - address.city")).siblingAtColumn(PreviewModel::RulesColumn);
    QStyleOptionViewItem option;
    option.initFrom(&view);
    option.font = view.font();
    const QSize oneSize = delegate.sizeHint(option, one);
    const QSize twoSize = delegate.sizeHint(option, two);
    QVERIFY(twoSize.width() > oneSize.width());
    QVERIFY(oneSize.height() >= view.fontMetrics().height());
    // Cells without chips are as tall, for uniform row heights.
    QCOMPARE(delegate.sizeHint(option, call.siblingAtColumn(PreviewModel::RulesColumn)).height(), oneSize.height());

    QImage image(QSize(40, oneSize.height()) * 2, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(2.0); // a high-DPI surface
    image.fill(Qt::white);
    QPainter painter(&image);
    option.rect = QRect(QPoint(0, 0), QSize(40, oneSize.height())); // too narrow: ends in a "+N" chip
    option.widget = &view;
    delegate.paint(&painter, option, two);
    painter.end();
    bool painted = false;
    for (int y = 0; y < image.height() && !painted; ++y)
        for (int x = 0; x < image.width() && !painted; ++x)
            painted = image.pixelColor(x, y) != QColor(Qt::white);
    QVERIFY(painted);
}

QTEST_MAIN(TestPreviewModels)
#include "tst_previewmodels.moc"
