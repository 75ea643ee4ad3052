#include "configuration.h"
#include "jsonformat.h"

#include <QTest>

#include <string>

Q_DECLARE_METATYPE(km::EngineId)

class TestConfiguration : public QObject
{
    Q_OBJECT

private slots:
    void defaults();
    void defaultsAsEnginesReadThem_data();
    void defaultsAsEnginesReadThem();
    void roundTrip_data();
    void roundTrip();
    void errors_data();
    void errors();
    void equality();
};

void TestConfiguration::defaults()
{
    const km::Configuration config;
    QCOMPARE(config.engine, km::EngineId::SegmentCloud);
    // Segment's settings page for a new destination, in its order.
    QCOMPARE(km::compactJson(config.settings.values().object()),
             std::string(
                     R"({"apiKey":"","prefixProperties":true,"trackCategorizedPages":true,"trackNamedPages":true})"));
    QCOMPARE(km::compactJson(config.environment.values().object()), std::string(R"({"KM_SKIP_PAGE_VIEW":1})"));
    QVERIFY(config.environment.isSkipPageView());
    QCOMPARE(config.toJson(),
             std::string(
                     R"({"engine":"segment-cloud","settings":{"apiKey":"","prefixProperties":true,)"
                     R"("trackCategorizedPages":true,"trackNamedPages":true},"environment":{"KM_SKIP_PAGE_VIEW":1}})"));
}

void TestConfiguration::defaultsAsEnginesReadThem_data()
{
    QTest::addColumn<km::EngineId>("engine");
    QTest::newRow("segment-cloud") << km::EngineId::SegmentCloud;
    QTest::newRow("segment-device") << km::EngineId::SegmentDevice;
    QTest::newRow("rudder-device") << km::EngineId::RudderDevice;
    QTest::newRow("rudder-cloud") << km::EngineId::RudderCloud;
}

void TestConfiguration::defaultsAsEnginesReadThem()
{
    // The defaults are written out, so every engine reads them as on, whatever its own default.
    QFETCH(km::EngineId, engine);
    km::Configuration config;
    config.engine = engine;
    QVERIFY(config.settings.isPrefixProperties(engine));
    QVERIFY(config.settings.isTrackNamedPages(engine));
    QVERIFY(config.settings.isTrackCategorizedPages(engine));
}

void TestConfiguration::roundTrip_data()
{
    QTest::addColumn<std::string>("json");

    QTest::newRow("defaults") << km::Configuration().toJson();
    QTest::newRow("device, odd order, unknown keys") << std::string(
            R"({"engine":"segment-device","settings":{"trackNamedPages":false,"zzz":[1,2],"apiKey":"k",)"
            R"x("prefixProperties":"false"},"environment":{"userAgent":"Mozilla/5.0 (iPhone)","KM_SKIP_PAGE_VIEW":0}})x");
    QTest::newRow("empty settings") << std::string(R"({"engine":"rudder-cloud","settings":{},"environment":{}})");
}

void TestConfiguration::roundTrip()
{
    QFETCH(std::string, json);
    km::Configuration config;
    std::string error;
    QVERIFY2(km::Configuration::fromJson(json, &config, &error), error.c_str());
    QCOMPARE(config.toJson(), json);
}

void TestConfiguration::errors_data()
{
    QTest::addColumn<std::string>("json");
    QTest::addColumn<std::string>("error");
    QTest::addColumn<std::string>("key");

    QTest::newRow("not an object") << std::string("[]") << std::string("a configuration is a JSON object")
                                   << std::string();
    QTest::newRow("no engine") << std::string(R"({"settings":{}})")
                               << std::string("the configuration has no \"engine\"") << std::string();
    QTest::newRow("unknown engine") << std::string(R"({"engine":"mixpanel"})")
                                    << std::string(
                                               "unknown engine \"mixpanel\" (expected segment-cloud, segment-device, "
                                               "rudder-device or rudder-cloud)")
                                    << std::string("engine");
    QTest::newRow("engine not a string") << std::string(R"({"engine":3})")
                                         << std::string("unknown engine 3 (expected segment-cloud, segment-device, "
                                                        "rudder-device or rudder-cloud)")
                                         << std::string("engine");
    QTest::newRow("settings not an object")
            << std::string(R"({"engine":"segment-cloud","settings":"x"})")
            << std::string("\"settings\" must be a JSON object") << std::string("settings");
    QTest::newRow("environment not an object")
            << std::string(R"({"engine":"segment-cloud","environment":null})")
            << std::string("\"environment\" must be a JSON object") << std::string("environment");
}

void TestConfiguration::errors()
{
    QFETCH(std::string, json);
    QFETCH(std::string, error);
    QFETCH(std::string, key);

    km::Arena arena;
    km::JsonReader reader;
    const km::JsonResult parsed = reader.parse(json, arena);
    QVERIFY(parsed.ok());
    km::Configuration config;
    config.engine = km::EngineId::RudderDevice;
    std::string message;
    std::string errorKey = "untouched";
    QVERIFY(!km::Configuration::fromValue(parsed.value, &config, &message, &errorKey));
    QCOMPARE(message, error);
    QCOMPARE(errorKey, key);
    QCOMPARE(config.engine, km::EngineId::RudderDevice); // unchanged on failure

    // fromJson says the same; a syntax error names its place.
    QVERIFY(!km::Configuration::fromJson(json, &config, &message));
    QCOMPARE(message, error);
    QVERIFY(!km::Configuration::fromJson("{\n  \"engine\": }", &config, &message));
    QVERIFY2(message.rfind("line 2, column 13: ", 0) == 0, message.c_str());
}

void TestConfiguration::equality()
{
    const km::Configuration a;
    km::Configuration b;
    QVERIFY(a == b);
    b.engine = km::EngineId::SegmentDevice;
    QVERIFY(!(a == b));
    b = a;
    b.settings.values().set("prefixProperties", km::Value::boolean(false));
    QVERIFY(!(a == b));
    b = a;
    b.environment.values().remove("KM_SKIP_PAGE_VIEW");
    QVERIFY(!(a == b));
    // Member order counts: it is what the file keeps.
    km::Configuration reordered;
    reordered.settings = km::Settings();
    reordered.settings.values().set("trackNamedPages", km::Value::boolean(true));
    for (const km::Member &m : a.settings.values().object().members())
        reordered.settings.values().set(m.key, m.value);
    QVERIFY(!(a == reordered));
    // Copies are independent.
    km::Configuration copy = a;
    copy.settings.values().set("apiKey", km::Value::string("k"));
    QCOMPARE(km::compactJson(a.settings.apiKey()), std::string("\"\""));
    QCOMPARE(km::compactJson(copy.settings.apiKey()), std::string("\"k\""));
}

QTEST_APPLESS_MAIN(TestConfiguration)
#include "tst_configuration.moc"
