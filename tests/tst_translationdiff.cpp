#include "objectbuilder.h"
#include "preview.h"
#include "translationdiff.h"

#include <QTest>

#include <string>

namespace {

constexpr double kNow = 1577836800000.0;

const char *kindName(km::ChangeKind kind)
{
    switch (kind) {
    case km::ChangeKind::Same:
        return "Same";
    case km::ChangeKind::Added:
        return "Added";
    case km::ChangeKind::Removed:
        return "Removed";
    case km::ChangeKind::Changed:
        return "Changed";
    case km::ChangeKind::Renamed:
        return "Renamed";
    }
    return "?";
}

// One line per call ("Changed 0:/e E | 0:/e E") and per property ("  Renamed E - x=\"1\" -> x=\"1\"").
QStringList dump(const std::vector<km::CallChange> &changes)
{
    QStringList lines;
    for (const km::CallChange &c : changes) {
        lines.append(QStringLiteral("%1 %2:%3 | %4:%5")
                             .arg(QLatin1String(kindName(c.kind)))
                             .arg(c.leftIndex)
                             .arg(QString::fromStdString(c.leftName))
                             .arg(c.rightIndex)
                             .arg(QString::fromStdString(c.rightName)));
        for (const km::PropertyChange &p : c.properties) {
            QString line = QStringLiteral("  %1 %2=%3 -> %4=%5")
                                   .arg(QLatin1String(kindName(p.kind)), QString::fromStdString(p.leftKey),
                                        QString::fromStdString(p.leftValue), QString::fromStdString(p.rightKey),
                                        QString::fromStdString(p.rightValue));
            if (!p.note.empty())
                line += QStringLiteral(" (%1)").arg(QString::fromStdString(p.note));
            lines.append(line);
        }
    }
    return lines;
}

km::Configuration config(const char *engine, const char *settings)
{
    km::Configuration c;
    km::engineFromName(engine, &c.engine);
    c.settings = km::Settings();
    km::Settings::fromJson(settings, &c.settings, nullptr);
    return c;
}

const std::string kSignedUp =
        R"({"type":"track","userId":"u1","event":"Signed Up","properties":{"plan":"Pro","referrer":{"source":"news",)"
        R"("campaign":{"name":"Fall","id":42}},"revenue":10},"channel":"server","timestamp":"2020-01-01T00:00:00Z"})";

} // namespace

class TestTranslationDiff : public QObject
{
    Q_OBJECT

private slots:
    void diff_data();
    void diff();
    void prefixForms_data();
    void prefixForms();
    void rejectedSide();
    void outputCallNames_data();
    void outputCallNames();
};

void TestTranslationDiff::diff_data()
{
    QTest::addColumn<std::string>("json");
    QTest::addColumn<km::Configuration>("left");
    QTest::addColumn<km::Configuration>("right");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("prefix on vs off: renamed")
            << kSignedUp << config("segment-cloud", R"({"apiKey":"k","prefixProperties":true})")
            << config("segment-cloud", R"({"apiKey":"k","prefixProperties":false})")
            << QStringList{
                       "Changed 0:/e Signed Up | 0:/e Signed Up",
                       R"(  Renamed Signed Up - plan="Pro" -> plan="Pro")",
                       R"(  Renamed Signed Up - referrer.source="news" -> referrer.source="news")",
                       R"(  Renamed Signed Up - referrer.campaign.name="Fall" -> referrer.campaign.name="Fall")",
                       R"(  Renamed Signed Up - referrer.campaign.id="42" -> referrer.campaign.id="42")",
                       R"(  Renamed Signed Up - revenue="10" -> revenue="10")",
                       R"(  Same Billing Amount="10" -> Billing Amount="10")", // never prefixed
                       R"(  Same _d="1" -> _d="1")",
                       R"(  Same _k="k" -> _k="k")",
                       R"(  Same _p="u1" -> _p="u1")",
                       R"(  Same _t="1577836800" -> _t="1577836800")",
                       R"(  Same _n="Signed Up" -> _n="Signed Up")",
               };

    QTest::newRow("same configuration: all same")
            << kSignedUp << config("segment-device", "{}") << config("segment-device", "{}")
            << QStringList{
                       "Same 0:record Signed Up | 0:record Signed Up",
                       R"(  Same Signed Up - plan="Pro" -> Signed Up - plan="Pro")",
                       R"(  Same Signed Up - referrer.source="news" -> Signed Up - referrer.source="news")",
                       R"(  Same Signed Up - referrer.campaign.name="Fall" -> Signed Up - referrer.campaign.name="Fall")",
                       R"(  Same Signed Up - referrer.campaign.id=42 -> Signed Up - referrer.campaign.id=42)",
                       R"(  Same Billing Amount=10 -> Billing Amount=10)",
                       R"(  Same Signed Up - revenue=10 -> Signed Up - revenue=10)",
               };

    QTest::newRow("segment-cloud vs rudder-cloud: changed, renamed, added, removed")
            << kSignedUp << config("segment-cloud", R"({"apiKey":"k","prefixProperties":true})")
            << config("rudder-cloud", R"({"apiKey":"k","prefixProperties":true})")
            << QStringList{
                       "Changed 0:/e Signed Up | 0:/e Signed Up",
                       R"(  Renamed Signed Up - plan="Pro" -> Signed Up-plan="Pro")",
                       R"(  Renamed Signed Up - referrer.source="news" -> Signed Up-referrer.source="news")",
                       R"(  Removed Signed Up - referrer.campaign.name="Fall" -> =)",
                       R"(  Removed Signed Up - referrer.campaign.id="42" -> =)",
                       R"(  Changed Signed Up - revenue="10" -> Signed Up - revenue=10 (the same text, but a string on the left, a number on the right))",
                       R"(  Changed Billing Amount="10" -> Billing Amount=10 (the same text, but a string on the left, a number on the right))",
                       R"(  Changed _d="1" -> _d=1 (the same text, but a string on the left, a number on the right))",
                       R"(  Same _k="k" -> _k="k")",
                       R"(  Same _p="u1" -> _p="u1")",
                       R"(  Same _t="1577836800" -> _t="1577836800")",
                       R"(  Same _n="Signed Up" -> _n="Signed Up")",
                       R"(  Added = -> Signed Up-referrer.campaign={"name":"Fall","id":42})", // rudder-cloud stops at
                                                                                              // two levels
               };

    QTest::newRow("renamed with another value")
            << std::string(
                       R"({"type":"track","userId":"u1","event":"E","properties":{"d":"2014-01-01T00:00:00Z","n":5},)"
                       R"("channel":"server","timestamp":"2020-01-01T00:00:00Z"})")
            << config("segment-cloud", R"({"apiKey":"k","prefixProperties":true})")
            << config("rudder-cloud", R"({"apiKey":"k","prefixProperties":true})")
            << QStringList{
                       "Changed 0:/e E | 0:/e E",
                       R"(  Renamed E - d="1388534400" -> E-d="2014-01-01T00:00:00Z" (the value differs too))",
                       R"(  Renamed E - n="5" -> E-n=5 (the same text, but a string on the left, a number on the right))",
                       R"(  Changed _d="1" -> _d=1 (the same text, but a string on the left, a number on the right))",
                       R"(  Same _k="k" -> _k="k")",
                       R"(  Same _p="u1" -> _p="u1")",
                       R"(  Same _t="1577836800" -> _t="1577836800")",
                       R"(  Same _n="E" -> _n="E")",
               };

    QTest::newRow("added and removed properties")
            << std::string(R"({"type":"track","userId":"u1","event":"E","properties":{"revenue":5,"a":1}})")
            << config("rudder-device", R"({"prefixProperties":true})")
            << config("rudder-device", R"({"prefixProperties":false})")
            << QStringList{
                       "Changed 0:record E | 0:record E",
                       "  Renamed E - revenue=5 -> revenue=5",
                       "  Removed Billing Amount=5 -> =", // only prefixing writes it on rudder-device
                       "  Renamed E - a=1 -> a=1",
               };

    QTest::newRow("page: Page - x vs Page-x, other event name")
            << std::string(R"({"type":"page","userId":"u1","name":"Docs","properties":{"url":"/x"},"channel":"server",)"
                           R"("timestamp":"2020-01-01T00:00:00Z"})")
            << config("segment-cloud", R"({"apiKey":"k"})")
            << config("rudder-cloud", R"({"apiKey":"k","prefixProperties":true})")
            << QStringList{
                       "Changed 0:/e Viewed Docs Page | 0:/e Viewed Docs page",
                       R"(  Renamed Page - url="/x" -> Page-url="/x")",
                       R"(  Removed Page - name="Docs" -> =)",
                       R"(  Same _p="u1" -> _p="u1")",
                       R"(  Same _t="1577836800" -> _t="1577836800")",
                       R"(  Same _k="k" -> _k="k")",
                       R"(  Changed _n="Viewed Docs Page" -> _n="Viewed Docs page")",
                       R"(  Changed _d="1" -> _d=1 (the same text, but a string on the left, a number on the right))",
               };

    // Calls only one side sends: the alignment keeps the matching pair together.
    QTest::newRow("cloud vs device identify: added and removed calls")
            << std::string(
                       R"({"type":"identify","userId":"u1","anonymousId":"a1","traits":{"logins":5},"channel":"server",)"
                       R"("timestamp":"2020-01-01T00:00:00Z"})")
            << config("segment-cloud", R"({"apiKey":"k"})") << config("segment-device", R"({"apiKey":"k"})")
            << QStringList{
                       "Added -1: | 0:identify u1",
                       "Changed 0:/s | 1:set",
                       R"(  Changed logins="5" -> logins=5 (the same text, but a string on the left, a number on the right))",
                       R"(  Same id="u1" -> id="u1")",
                       R"(  Removed _k="k" -> = (in device mode the Kissmetrics library sends this itself))",
                       R"(  Removed _p="u1" -> = (in device mode the Kissmetrics library sends this itself))",
                       R"(  Removed _t="1577836800" -> = (in device mode the Kissmetrics library sends this itself))",
                       R"(  Removed _d="1" -> = (in device mode the Kissmetrics library sends this itself))",
                       "Removed 1:/a | -1:",
                       R"(  Removed _k="k" -> = (in device mode the Kissmetrics library sends this itself))",
                       R"(  Removed _p="u1" -> = (in device mode the Kissmetrics library sends this itself))",
                       R"(  Removed _n="a1" -> = (in device mode the Kissmetrics library sends this itself))",
               };

    km::Configuration pageViews = config("segment-device", "{}");
    pageViews.environment = km::Environment();
    QTest::newRow("extra Page View record does not shift the pairs")
            << std::string(R"({"type":"page","name":"Docs","properties":{"url":"/x"}})") << pageViews
            << config("segment-device", "{}")
            << QStringList{
                       "Removed 0:record Page View | -1:",
                       R"(  Removed Viewed URL="/x" -> =)",
                       R"(  Removed Referrer="Direct" -> =)",
                       "Same 1:record Viewed Docs Page | 0:record Viewed Docs Page",
                       R"(  Same Page - url="/x" -> Page - url="/x")",
                       R"(  Same Page - name="Docs" -> Page - name="Docs")",
               };

    // The queued function carries nothing: the KM.set calls pair with the product /s requests.
    QTest::newRow("order products: function pushes left out")
            << std::string(
                       R"({"type":"track","userId":"u1","event":"Order Completed","properties":{"products":[{"sku":"a"},)"
                       R"({"sku":"b"}]},"channel":"server","timestamp":"2020-01-01T00:00:00Z"})")
            << config("rudder-device", R"({"prefixProperties":true})")
            << config("rudder-device", R"({"prefixProperties":false})")
            << QStringList{
                       "Same 0:record Order Completed | 0:record Order Completed",
                       "Changed 2:KM.set | 2:KM.set",
                       R"(  Renamed Order Completed - sku="a" -> sku="a")",
                       "  Same _t=1577836800 -> _t=1577836800",
                       "  Same _d=1 -> _d=1",
                       "Changed 3:KM.set | 3:KM.set",
                       R"(  Renamed Order Completed - sku="b" -> sku="b")",
                       "  Same _t=1577836801 -> _t=1577836801",
                       "  Same _d=1 -> _d=1",
               };
}

void TestTranslationDiff::diff()
{
    QFETCH(std::string, json);
    QFETCH(km::Configuration, left);
    QFETCH(km::Configuration, right);
    QFETCH(QStringList, expected);

    const km::PreviewResult l = km::translateCall(json, left, kNow);
    const km::PreviewResult r = km::translateCall(json, right, kNow);
    QVERIFY2(!l.translation.isRejected(), l.translation.error.c_str());
    QVERIFY2(!r.translation.isRejected(), r.translation.error.c_str());
    km::Arena arena;
    QCOMPARE(dump(km::diffTranslations(l.translation, r.translation, arena)), expected);

    // Swapping the sides swaps added and removed, and keeps every pair.
    const std::vector<km::CallChange> forward = km::diffTranslations(l.translation, r.translation, arena);
    const std::vector<km::CallChange> backward = km::diffTranslations(r.translation, l.translation, arena);
    QCOMPARE(backward.size(), forward.size());
    for (std::size_t i = 0; i < forward.size(); ++i) {
        QCOMPARE(backward[i].leftIndex, forward[i].rightIndex);
        QCOMPARE(backward[i].rightIndex, forward[i].leftIndex);
        QCOMPARE(backward[i].properties.size(), forward[i].properties.size());
    }
}

void TestTranslationDiff::prefixForms_data()
{
    QTest::addColumn<QString>("leftKey");
    QTest::addColumn<QString>("rightKey");
    QTest::addColumn<QString>("kind");

    QTest::newRow("event prefix vs none") << "E - x"
                                          << "x"
                                          << "Renamed";
    QTest::newRow("event prefix, both separators") << "E - x"
                                                   << "E-x"
                                                   << "Renamed";
    QTest::newRow("Page - vs Page-") << "Page - url"
                                     << "Page-url"
                                     << "Renamed";
    QTest::newRow("Page- vs none") << "Page-url"
                                   << "url"
                                   << "Renamed";
    QTest::newRow("Group - vs none") << "Group - name"
                                     << "name"
                                     << "Renamed";
    QTest::newRow("Screen - vs none") << "Screen - x"
                                      << "x"
                                      << "Renamed";
    QTest::newRow("other words are not prefixes") << "Other - x"
                                                  << "x"
                                                  << "Removed";
    QTest::newRow("hyphen inside a key") << "E-mail"
                                         << "mail"
                                         << "Renamed"; // E-mail read as "E-" + "mail"
    QTest::newRow("prefix alone is not a key") << "E - "
                                               << ""
                                               << "Removed";
    QTest::newRow("case counts") << "page - url"
                                 << "url"
                                 << "Removed";
}

void TestTranslationDiff::prefixForms()
{
    QFETCH(QString, leftKey);
    QFETCH(QString, rightKey);
    QFETCH(QString, kind);

    // Hand-built device outputs: ["record", "E", {leftKey: 1}] vs ["record", "E", {rightKey: 1}].
    km::Arena arena;
    const auto record = [&](const QString &key) {
        km::Translation t;
        t.engine = km::EngineId::SegmentDevice;
        km::ObjectBuilder props(arena);
        if (!key.isEmpty())
            props.set(arena.copy(key.toStdString()), km::Value::number(1));
        km::Value *items = arena.allocValues(3);
        items[0] = km::Value::string("record");
        items[1] = km::Value::string("E");
        items[2] = props.build();
        t.pushes.push_back(km::ClientCall{km::Value::array({items, 3}), {}});
        return t;
    };
    const std::vector<km::CallChange> changes = km::diffTranslations(record(leftKey), record(rightKey), arena);
    QCOMPARE(changes.size(), std::size_t(1));
    QCOMPARE(changes[0].kind, km::ChangeKind::Changed);
    QVERIFY(!changes[0].properties.empty());
    QCOMPARE(QLatin1String(kindName(changes[0].properties[0].kind)), kind);
    if (kind == QLatin1String("Renamed")) {
        QCOMPARE(changes[0].properties.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(changes[0].properties[0].leftKey), leftKey);
        QCOMPARE(QString::fromStdString(changes[0].properties[0].rightKey), rightKey);
        QVERIFY(changes[0].properties[0].note.empty());
    }
}

void TestTranslationDiff::rejectedSide()
{
    // rudder-cloud does not support group: everything segment-cloud sends is "removed".
    const std::string json = R"({"type":"group","userId":"u1","groupId":"g","traits":{"name":"I"},"channel":"server",)"
                             R"("timestamp":"2020-01-01T00:00:00Z"})";
    const km::PreviewResult l = km::translateCall(json, config("segment-cloud", R"({"apiKey":"k"})"), kNow);
    const km::PreviewResult r = km::translateCall(json, config("rudder-cloud", R"({"apiKey":"k"})"), kNow);
    QVERIFY(r.translation.isRejected());
    km::Arena arena;
    QCOMPARE(
            dump(km::diffTranslations(l.translation, r.translation, arena)),
            (QStringList{"Removed 0:/s | -1:", R"(  Removed Group - name="I" -> =)", R"(  Removed Group - id="g" -> =)",
                         R"(  Removed _p="u1" -> =)", R"(  Removed _t="1577836800" -> =)", R"(  Removed _k="k" -> =)",
                         R"(  Removed _d="1" -> =)"}));
    QVERIFY(km::diffTranslations(r.translation, r.translation, arena).empty());
}

void TestTranslationDiff::outputCallNames_data()
{
    QTest::addColumn<std::string>("json");
    QTest::addColumn<km::Configuration>("configuration");
    QTest::addColumn<QStringList>("names");

    QTest::newRow("cloud order") << std::string(
            R"({"type":"track","userId":"u","event":"Completed Order","properties":{"products":[{"a":1}]}})")
                                 << config("segment-cloud", R"({"apiKey":"k"})")
                                 << QStringList{"/e Completed Order", "/s"};
    QTest::newRow("cloud alias") << std::string(R"({"type":"alias","userId":"u","previousId":"p"})")
                                 << config("segment-cloud", R"({"apiKey":"k"})") << QStringList{"/a"};
    QTest::newRow("device order") << std::string(
            R"({"type":"track","event":"Completed Order","properties":{"products":[{"a":1}]}})")
                                  << config("segment-device", "{}")
                                  << QStringList{"record Completed Order", "function", "KM.set"};
    QTest::newRow("device alias") << std::string(R"({"type":"alias","userId":"u","previousId":"p"})")
                                  << config("segment-device", "{}") << QStringList{"alias u p"};
    QTest::newRow("device alias without previousId")
            << std::string(R"({"type":"alias","userId":"u"})") << config("segment-device", "{}")
            << QStringList{"alias u undefined"};
    QTest::newRow("device identify") << std::string(R"({"type":"identify","userId":"u"})")
                                     << config("segment-device", "{}") << QStringList{"identify u", "set"};
    QTest::newRow("track without event") << std::string(R"({"type":"track","userId":"u"})")
                                         << config("segment-cloud", R"({"apiKey":"k"})") << QStringList{"/e undefined"};
}

void TestTranslationDiff::outputCallNames()
{
    QFETCH(std::string, json);
    QFETCH(km::Configuration, configuration);
    QFETCH(QStringList, names);

    const km::PreviewResult r = km::translateCall(json, configuration, kNow);
    QCOMPARE(km::outputCallCount(r.translation), static_cast<int>(names.size()));
    QStringList got;
    for (int i = 0; i < km::outputCallCount(r.translation); ++i)
        got.append(QString::fromStdString(km::outputCallName(r.translation, i)));
    QCOMPARE(got, names);
    QCOMPARE(km::outputCallName(r.translation, -1), std::string());
    QCOMPARE(km::outputCallName(r.translation, km::outputCallCount(r.translation)), std::string());
}

QTEST_GUILESS_MAIN(TestTranslationDiff)
#include "tst_translationdiff.moc"
