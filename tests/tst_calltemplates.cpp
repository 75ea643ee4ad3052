#include "calltemplates.h"
#include "configuration.h"
#include "jsonformat.h"
#include "preview.h"
#include "translationdiff.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <string>

class TestCallTemplates : public QObject
{
    Q_OBJECT

private slots:
    void groups();
    void everyTemplate_data();
    void everyTemplate();
    void expectedTemplates_data();
    void expectedTemplates();
    void samplesMatchResourceFile_data();
    void samplesMatchResourceFile();
    void engageAudience_data();
    void engageAudience();
    void withNow_data();
    void withNow();
    void withNowAddsMissingTimestamp();
};

namespace {

constexpr double kNow = 1577836800000.0;

km::Configuration cloudWithKey()
{
    km::Configuration config;
    config.settings.values().set("apiKey", km::Value::string("key"));
    return config;
}

QString joinedNames(const km::Translation &t)
{
    QStringList names;
    for (int i = 0; i < km::outputCallCount(t); ++i)
        names.append(QString::fromStdString(km::outputCallName(t, i)));
    return names.join(QLatin1String(" | "));
}

} // namespace

void TestCallTemplates::groups()
{
    QCOMPARE(km::callTemplateGroups(),
             (QStringList{QStringLiteral("Blank"), QStringLiteral("Segment docs"), QStringLiteral("E-commerce"),
                          QStringLiteral("A/B testing"), QStringLiteral("Engage")}));
    // Titles are unique within a group, and every group is contiguous (menu order).
    QSet<QString> seen;
    QString lastGroup;
    QStringList finishedGroups;
    for (const km::CallTemplate &t : km::callTemplates()) {
        QVERIFY2(!seen.contains(t.group + u'/' + t.title), qPrintable(t.title));
        seen.insert(t.group + u'/' + t.title);
        if (t.group != lastGroup) {
            QVERIFY(!finishedGroups.contains(t.group));
            if (!lastGroup.isEmpty())
                finishedGroups.append(lastGroup);
            lastGroup = t.group;
        }
        QCOMPARE(km::findCallTemplate(t.group, t.title), &t);
    }
    QCOMPARE(km::findCallTemplate(QStringLiteral("Blank"), QStringLiteral("Nothing")), nullptr);
}

void TestCallTemplates::everyTemplate_data()
{
    QTest::addColumn<int>("index");
    for (std::size_t i = 0; i < km::callTemplates().size(); ++i) {
        const km::CallTemplate &t = km::callTemplates()[i];
        QTest::newRow(qPrintable(t.group + QLatin1String(": ") + t.title)) << static_cast<int>(i);
    }
}

void TestCallTemplates::everyTemplate()
{
    QFETCH(int, index);
    const km::CallTemplate &t = km::callTemplates()[static_cast<std::size_t>(index)];

    km::Arena arena;
    const km::JsonResult parsed = km::parseCall(t.json, arena);
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error->toString().c_str());
    QVERIFY(parsed.warnings.empty());
    const km::Value &m = parsed.value;
    // The shape every template shares.
    QVERIFY(m.get("type").isString());
    QCOMPARE(m.members()[0].key, std::string_view("type")); // type first, as Segment writes it
    QVERIFY(m.get("userId").isString());
    QCOMPARE(m.get("channel").toString(), std::string_view("server"));
    QCOMPARE(m.get("timestamp").toString(), std::string_view("2026-01-15T10:00:00.000Z"));
    // Stored pretty-printed, as the editor shows a call.
    QCOMPARE(t.json, km::prettyJson(m));

    // Translates without an error on segment-cloud, and sends something.
    const km::PreviewResult result = km::translateCall(t.json, cloudWithKey(), kNow);
    QVERIFY(result.isValid);
    QVERIFY2(!result.translation.isRejected(), result.translation.error.c_str());
    QVERIFY(!result.translation.requests.empty());
    for (const km::Warning &w : result.translation.warnings)
        QVERIFY2(w.code != "channel-not-server" && w.code != "missing-type", w.message.c_str());
}

void TestCallTemplates::expectedTemplates_data()
{
    QTest::addColumn<QString>("group");
    QTest::addColumn<QString>("title");
    QTest::addColumn<QString>("cloudCalls"); // what segment-cloud sends, by name

    const QString blank = QStringLiteral("Blank");
    QTest::newRow("blank page") << blank << QStringLiteral("Page") << QStringLiteral("/e Viewed Page Name Page");
    QTest::newRow("blank screen") << blank << QStringLiteral("Screen")
                                  << QStringLiteral("/e Viewed Screen Name Screen");
    QTest::newRow("blank identify") << blank << QStringLiteral("Identify") << QStringLiteral("/s");
    QTest::newRow("blank track") << blank << QStringLiteral("Track") << QStringLiteral("/e Event Name");
    QTest::newRow("blank group") << blank << QStringLiteral("Group") << QStringLiteral("/s");
    QTest::newRow("blank alias") << blank << QStringLiteral("Alias") << QStringLiteral("/a");

    const QString docs = QStringLiteral("Segment docs");
    QTest::newRow("docs page") << docs << QStringLiteral("page('Docs', {url, referrer})")
                               << QStringLiteral("/e Viewed Docs Page");
    QTest::newRow("docs identify") << docs << QStringLiteral("identify('user-123', traits)")
                                   << QStringLiteral("/s | /a");
    QTest::newRow("docs track") << docs << QStringLiteral("track('Clicked Button')")
                                << QStringLiteral("/e Clicked Button");
    QTest::newRow("docs group") << docs << QStringLiteral("group('123', {name: 'Initech', employees: 329})")
                                << QStringLiteral("/s");
    QTest::newRow("docs alias") << docs << QStringLiteral("alias('user-123', 'anon-456')") << QStringLiteral("/a");
    QTest::newRow("docs nested track") << docs << QStringLiteral("track('Signed Up') with nested properties")
                                       << QStringLiteral("/e Signed Up");

    const QString shop = QStringLiteral("E-commerce");
    QTest::newRow("order completed") << shop << QStringLiteral("Order Completed (two products)")
                                     << QStringLiteral("/e Order Completed | /s | /s");
    QTest::newRow("completed order") << shop << QStringLiteral("Completed Order (spec v1, two products)")
                                     << QStringLiteral("/e Completed Order | /s | /s");
    QTest::newRow("product viewed") << shop << QStringLiteral("Product Viewed") << QStringLiteral("/e Product Viewed");

    QTest::newRow("experiment viewed") << QStringLiteral("A/B testing") << QStringLiteral("Experiment Viewed")
                                       << QStringLiteral("/e Experiment Viewed");
    QTest::newRow("audience entered") << QStringLiteral("Engage")
                                      << QStringLiteral("Audience entered (identify, trait true)")
                                      << QStringLiteral("/s | /a");
    QTest::newRow("audience exited") << QStringLiteral("Engage")
                                     << QStringLiteral("Audience exited (identify, trait false)")
                                     << QStringLiteral("/s | /a");
}

void TestCallTemplates::expectedTemplates()
{
    QFETCH(QString, group);
    QFETCH(QString, title);
    QFETCH(QString, cloudCalls);

    const km::CallTemplate *t = km::findCallTemplate(group, title);
    QVERIFY(t);
    const km::PreviewResult result = km::translateCall(t->json, cloudWithKey(), kNow);
    QCOMPARE(joinedNames(result.translation), cloudCalls);
}

void TestCallTemplates::samplesMatchResourceFile_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("ndjson") << QStringLiteral(KM_SOURCE_DIR "/resources/samples/docs-examples.ndjson");
    QTest::newRow("json array") << QStringLiteral(KM_SOURCE_DIR "/resources/samples/docs-examples.json");
}

void TestCallTemplates::samplesMatchResourceFile()
{
    // The documentation examples and the sample files stay the same messages, in the same order.
    QFETCH(QString, file);
    QFile f(file);
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.errorString()));
    const QByteArray data = f.readAll();

    km::Arena arena;
    km::JsonReader reader;
    std::vector<std::string> expected;
    const km::JsonResult parsed =
            reader.parse(std::string_view(data.constData(), static_cast<std::size_t>(data.size())), arena);
    if (parsed.ok() && parsed.value.isArray()) {
        for (const km::Value &item : parsed.value.items())
            expected.push_back(km::compactJson(item));
    } else {
        for (const QByteArray &line : data.split('\n')) {
            if (line.trimmed().isEmpty())
                continue;
            const km::JsonResult one =
                    reader.parse(std::string_view(line.constData(), static_cast<std::size_t>(line.size())), arena);
            QVERIFY(one.ok());
            expected.push_back(km::compactJson(one.value));
        }
    }

    const std::vector<const km::CallTemplate *> samples = km::sampleCallTemplates();
    QCOMPARE(samples.size(), expected.size());
    for (std::size_t i = 0; i < samples.size(); ++i) {
        std::string compactTemplate;
        QVERIFY(km::reformatJson(samples[i]->json, km::JsonStyle::Compact, &compactTemplate));
        QCOMPARE(compactTemplate, expected[i]);
    }
    // All six documentation examples are samples, and in the "Segment docs" group.
    int docs = 0;
    for (const km::CallTemplate *t : samples)
        docs += t->group == QLatin1String("Segment docs") ? 1 : 0;
    QCOMPARE(docs, 6);
}

void TestCallTemplates::engageAudience_data()
{
    QTest::addColumn<QString>("title");
    QTest::addColumn<bool>("member");
    QTest::newRow("entered") << QStringLiteral("Audience entered (identify, trait true)") << true;
    QTest::newRow("exited") << QStringLiteral("Audience exited (identify, trait false)") << false;
}

void TestCallTemplates::engageAudience()
{
    QFETCH(QString, title);
    QFETCH(bool, member);
    const km::CallTemplate *t = km::findCallTemplate(QStringLiteral("Engage"), title);
    QVERIFY(t);
    km::Arena arena;
    const km::JsonResult parsed = km::parseCall(t->json, arena);
    QVERIFY(parsed.ok());
    QCOMPARE(parsed.value.get("type").toString(), std::string_view("identify"));
    const km::Value personas = parsed.value.get("context").get("personas");
    QCOMPARE(personas.get("computation_class").toString(), std::string_view("audience"));
    QVERIFY(personas.get("space_id").isString());
    const std::string_view key = personas.get("computation_key").toString();
    QVERIFY(QRegularExpression(QStringLiteral("^[a-z0-9]+(_[a-z0-9]+)*$"))
                    .match(QString::fromUtf8(key.data(), static_cast<qsizetype>(key.size())))
                    .hasMatch()); // snake_case
    const km::Value trait = parsed.value.get("traits").get(key);
    QVERIFY(trait.isBoolean());
    QCOMPARE(trait.toBool(), member);

    // What Kissmetrics receives: the audience as a property of the person.
    const km::PreviewResult result = km::translateCall(t->json, cloudWithKey(), kNow);
    km::Arena paramsArena;
    const km::Value params =
            km::OutputFormat::params(result.translation.requests.at(0), km::EngineId::SegmentCloud, paramsArena);
    QCOMPARE(params.get(key).toString(), std::string_view(member ? "true" : "false"));
}

void TestCallTemplates::withNow_data()
{
    QTest::addColumn<qint64>("now");
    QTest::addColumn<std::string>("iso");
    QTest::newRow("2020") << qint64(1577836800000) << std::string("2020-01-01T00:00:00.000Z");
    QTest::newRow("milliseconds") << qint64(1768471200123) << std::string("2026-01-15T10:00:00.123Z");
    QTest::newRow("epoch") << qint64(0) << std::string("1970-01-01T00:00:00.000Z");
}

void TestCallTemplates::withNow()
{
    QFETCH(qint64, now);
    QFETCH(std::string, iso);
    for (const km::CallTemplate &t : km::callTemplates()) {
        const std::string json = km::templateJsonWithNow(t, now);
        km::Arena arena;
        const km::JsonResult parsed = km::parseCall(json, arena);
        QVERIFY(parsed.ok());
        QCOMPARE(parsed.value.get("timestamp").toString(), std::string_view(iso));
        // Only the timestamp changed, in place.
        std::string expected = t.json;
        const std::string old = "\"timestamp\": \"2026-01-15T10:00:00.000Z\"";
        const std::size_t at = expected.find(old);
        QVERIFY(at != std::string::npos);
        expected.replace(at, old.size(), "\"timestamp\": \"" + iso + "\"");
        QCOMPARE(json, expected);
    }
}

void TestCallTemplates::withNowAddsMissingTimestamp()
{
    const km::CallTemplate custom{QStringLiteral("Custom"), QStringLiteral("No time"),
                                  "{\n  \"type\": \"track\",\n  \"event\": \"X\"\n}"};
    QCOMPARE(km::templateJsonWithNow(custom, 1577836800000),
             std::string("{\n  \"type\": \"track\",\n  \"event\": \"X\",\n  \"timestamp\": "
                         "\"2020-01-01T00:00:00.000Z\"\n}"));
    const km::CallTemplate broken{QStringLiteral("Custom"), QStringLiteral("Broken"), "{\"type\": "};
    QCOMPARE(km::templateJsonWithNow(broken, 0), broken.json); // left as it is
}

QTEST_GUILESS_MAIN(TestCallTemplates)
#include "tst_calltemplates.moc"
