#include "jsonformat.h"
#include "preview.h"

#include <QTest>

#include <string>

Q_DECLARE_METATYPE(km::EngineId)
Q_DECLARE_METATYPE(km::KeyVisibility)

namespace {

constexpr double kNow = 1577836800000.0;

km::Configuration config(km::EngineId engine,
                         const std::string &settings = R"({"apiKey":"secret-key","prefixProperties":true})")
{
    km::Configuration c;
    c.engine = engine;
    std::string error;
    const bool ok = km::Settings::fromJson(settings, &c.settings, &error);
    Q_ASSERT(ok);
    Q_UNUSED(ok);
    return c;
}

// The properties of the first output call as compact JSON.
std::string firstProperties(const km::PreviewResult &r)
{
    const km::Translation &t = r.translation;
    if (!t.requests.empty())
        return km::compactJson(km::OutputFormat::params(t.requests[0], t.engine, *r.arena));
    if (!t.pushes.empty()) {
        const auto args = t.pushes[0].args.items();
        return km::compactJson(args.back());
    }
    return "<nothing>";
}

} // namespace

class TestPreview : public QObject
{
    Q_OBJECT

private slots:
    void prefixedTrack_data();
    void prefixedTrack();
    void parseError_data();
    void parseError();
    void inputWarnings();
    void rejected();
    void explain();
    void resultOutlivesItsScope();
    void rawRequests_data();
    void rawRequests();
    void postRequest();
    void curl();
};

void TestPreview::prefixedTrack_data()
{
    QTest::addColumn<km::EngineId>("engine");
    QTest::addColumn<std::string>("settings");
    QTest::addColumn<std::string>("properties");

    const std::string on = R"({"apiKey":"k","prefixProperties":true})";
    const std::string off = R"({"apiKey":"k","prefixProperties":false})";
    QTest::newRow("segment-cloud, prefix on")
            << km::EngineId::SegmentCloud << on
            << std::string(R"({"E - x":"1","_d":"1","_k":"k","_p":"u1","_t":"1577836800","_n":"E"})");
    QTest::newRow("segment-cloud, prefix off")
            << km::EngineId::SegmentCloud << off
            << std::string(R"({"x":"1","_d":"1","_k":"k","_p":"u1","_t":"1577836800","_n":"E"})");
    QTest::newRow("segment-device, prefix on") << km::EngineId::SegmentDevice << on << std::string(R"({"E - x":1})");
    QTest::newRow("segment-device, prefix off") << km::EngineId::SegmentDevice << off << std::string(R"({"x":1})");
    QTest::newRow("rudder-device, prefix on") << km::EngineId::RudderDevice << on << std::string(R"({"E - x":1})");
    QTest::newRow("rudder-cloud, prefix on")
            << km::EngineId::RudderCloud << on
            << std::string(R"({"E-x":1,"_k":"k","_p":"u1","_n":"E","_t":"1577836800","_d":1})");
}

void TestPreview::prefixedTrack()
{
    QFETCH(km::EngineId, engine);
    QFETCH(std::string, settings);
    QFETCH(std::string, properties);

    const std::string json = "{\n  \"type\": \"track\",\n  \"userId\": \"u1\",\n  \"event\": \"E\",\n  \"properties\": "
                             "{\"x\": 1},\n  \"channel\": \"server\",\n  \"timestamp\": \"2020-01-01T00:00:00Z\"\n}";
    const km::PreviewResult r = km::translateCall(json, config(engine, settings), kNow);
    QVERIFY(r.isValid);
    QCOMPARE(r.parseError.line, 0);
    QVERIFY2(!r.translation.isRejected(), r.translation.error.c_str());
    QCOMPARE(r.translation.engine, engine);
    QCOMPARE(firstProperties(r), properties);
    QVERIFY(r.message.isObject());
    QCOMPARE(r.message.get("event").toString(), std::string_view("E"));
}

void TestPreview::parseError_data()
{
    QTest::addColumn<std::string>("json");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<std::string>("message"); // empty: any message

    QTest::newRow("missing value") << std::string("{\n  \"type\": \"track\",\n  \"event\": ,\n}") << 3 << 12
                                   << std::string();
    QTest::newRow("column counts characters, not bytes")
            << std::string("{\"event\": \"\xC3\xA9\xC3\xA9\xC3\xA9\" x}") << 1 << 17 << std::string();
    QTest::newRow("unclosed object") << std::string("{\"type\": \"track\"\n") << 2 << 1 << std::string();
    QTest::newRow("empty text") << std::string("") << 1 << 1 << std::string();
    QTest::newRow("an array") << std::string("\n\n  [{\"type\": \"track\"}]") << 3 << 3
                              << std::string("a Segment message is a JSON object, not an array");
    QTest::newRow("a string") << std::string("\"track\"") << 1 << 1
                              << std::string("a Segment message is a JSON object, not a string");
    QTest::newRow("null") << std::string(" null ") << 1 << 2
                          << std::string("a Segment message is a JSON object, not null");
}

void TestPreview::parseError()
{
    QFETCH(std::string, json);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(std::string, message);

    const km::PreviewResult r = km::translateCall(json, config(km::EngineId::SegmentCloud), kNow);
    QVERIFY(!r.isValid);
    QCOMPARE(r.parseError.line, line);
    QCOMPARE(r.parseError.column, column);
    QVERIFY(!r.parseError.message.empty());
    if (!message.empty())
        QCOMPARE(r.parseError.message, message);
    QVERIFY(r.translation.requests.empty());
    QVERIFY(r.translation.pushes.empty());
    QVERIFY(r.message.isUndefined());
    QVERIFY(km::rawRequests(r, config(km::EngineId::SegmentCloud)).empty());
}

void TestPreview::inputWarnings()
{
    const std::string json =
            R"({"type":"track","userId":"u","event":"E","properties":{"big":1e400},"channel":"server"})";
    const km::PreviewResult r = km::translateCall(json, config(km::EngineId::SegmentCloud), kNow);
    QVERIFY(r.isValid);
    QCOMPARE(r.inputWarnings.size(), std::size_t(1));
    QCOMPARE(r.inputWarnings[0].line, 1);
    QCOMPARE(r.inputWarnings[0].column, 62);
    QVERIFY(r.inputWarnings[0].message.find("Infinity") != std::string::npos);
}

void TestPreview::rejected()
{
    // segment-cloud requires an API key: the call is valid, the engine rejects it.
    const std::string json = R"({"type":"track","userId":"u","event":"E"})";
    const km::PreviewResult r = km::translateCall(json, config(km::EngineId::SegmentCloud, R"({"apiKey":""})"), kNow);
    QVERIFY(r.isValid);
    QVERIFY(r.translation.isRejected());
    QCOMPARE(r.translation.error, std::string("IntegrationValidationError: setting \"apiKey\" is required"));
    QVERIFY(km::rawRequests(r, config(km::EngineId::SegmentCloud)).empty());
}

void TestPreview::explain()
{
    const std::string json =
            R"({"type":"track","userId":"u","event":"E","properties":{"a":{"b":1}},"channel":"server"})";
    const km::PreviewResult on = km::translateCall(json, config(km::EngineId::SegmentCloud), kNow);
    QVERIFY(!on.translation.requests.at(0).origins.empty());
    const km::PropertyOrigin &first = on.translation.requests[0].origins[0];
    QCOMPARE(first.key, std::string("E - a.b"));
    QCOMPARE(first.path, std::string("properties.a.b"));
    QVERIFY(km::hasRule(first.rules, km::PropertyRule::Prefixed));
    QVERIFY(km::hasRule(first.rules, km::PropertyRule::Flattened));

    const km::PreviewResult off =
            km::translateCall(json, config(km::EngineId::SegmentCloud), kNow, km::ExplainMode::Off);
    QVERIFY(off.translation.requests.at(0).origins.empty());
}

void TestPreview::resultOutlivesItsScope()
{
    // The arena travels with the result: its values stay readable after the text is gone.
    km::PreviewResult kept;
    {
        std::string json = R"({"type":"track","userId":"u","event":"Long Event Name","properties":{"k":"v"}})";
        kept = km::translateCall(json, config(km::EngineId::SegmentDevice), kNow);
        json.assign(json.size(), 'x');
    }
    const km::PreviewResult copy = kept;
    QCOMPARE(km::compactJson(copy.translation.pushes.at(0).args),
             std::string(R"(["record","Long Event Name",{"Long Event Name - k":"v"}])"));
    QCOMPARE(copy.message.get("event").toString(), std::string_view("Long Event Name"));

    // The API key in a request comes from the settings: the result keeps them too.
    km::PreviewResult cloud;
    {
        km::Configuration c = config(km::EngineId::SegmentCloud, R"({"apiKey":"a-key-long-enough-to-be-allocated"})");
        cloud = km::translateCall(R"({"type":"alias","userId":"u","previousId":"p"})", c, kNow);
        c.settings.values().set("apiKey", km::Value::string("changed"));
    }
    QCOMPARE(firstProperties(cloud), std::string(R"({"_k":"a-key-long-enough-to-be-allocated","_p":"p","_n":"u"})"));
    QCOMPARE(km::compactJson(cloud.configuration.settings.apiKey()),
             std::string("\"a-key-long-enough-to-be-allocated\""));
}

void TestPreview::rawRequests_data()
{
    QTest::addColumn<km::EngineId>("engine");
    QTest::addColumn<km::KeyVisibility>("visibility");
    QTest::addColumn<std::string>("json");
    QTest::addColumn<QStringList>("expected");

    const std::string identify =
            R"({"type":"identify","userId":"u1","anonymousId":"a1","traits":{"plan":"Pro"},"channel":"server","timestamp":"2020-01-01T00:00:00Z"})";
    QTest::newRow("segment-cloud, key redacted by default")
            << km::EngineId::SegmentCloud << km::KeyVisibility::Redacted << identify
            << QStringList{"https://trk.kissmetrics.io/s?plan=Pro&id=u1&_k=<API_KEY>&_p=u1&_t=1577836800&_d=1",
                           "https://trk.kissmetrics.io/a?_k=<API_KEY>&_p=u1&_n=a1"};
    QTest::newRow("segment-cloud, key shown")
            << km::EngineId::SegmentCloud << km::KeyVisibility::Shown << identify
            << QStringList{"https://trk.kissmetrics.io/s?plan=Pro&id=u1&_k=secret-key&_p=u1&_t=1577836800&_d=1",
                           "https://trk.kissmetrics.io/a?_k=secret-key&_p=u1&_n=a1"};
    QTest::newRow("rudder-cloud")
            << km::EngineId::RudderCloud << km::KeyVisibility::Redacted << identify
            << QStringList{"https://trk.kissmetrics.io/s?_d=1&_k=<API_KEY>&_p=u1&_t=1577836800&plan=Pro"};
    QTest::newRow("segment-device") << km::EngineId::SegmentDevice << km::KeyVisibility::Redacted << identify
                                    << QStringList{R"(window._kmq.push(["identify","u1"]);)",
                                                   R"(window._kmq.push(["set",{"plan":"Pro","id":"u1"}]);)"};
    QTest::newRow("rudder-device, products")
            << km::EngineId::RudderDevice << km::KeyVisibility::Redacted
            << std::string(R"({"type":"track","event":"Bought","properties":{"products":[{"sku":"a"}]}})")
            << QStringList{R"(window._kmq.push(["record","Bought",{}]);)",
                           "window._kmq.push(function () { /* runs once Kissmetrics has loaded */ });",
                           R"(  KM.set({"Bought - sku":"a","_t":1577836800,"_d":1});)"};
}

void TestPreview::rawRequests()
{
    QFETCH(km::EngineId, engine);
    QFETCH(km::KeyVisibility, visibility);
    QFETCH(std::string, json);
    QFETCH(QStringList, expected);

    const km::Configuration c = config(engine);
    const km::PreviewResult r = km::translateCall(json, c, kNow);
    QVERIFY2(!r.translation.isRejected(), r.translation.error.c_str());
    QStringList got;
    for (const std::string &line : km::rawRequests(r, c, visibility))
        got.append(QString::fromStdString(line));
    QCOMPARE(got, expected);
    // The default is redacted.
    if (visibility == km::KeyVisibility::Redacted)
        QCOMPARE(km::rawRequests(r, c), km::rawRequests(r, c, km::KeyVisibility::Redacted));
    // Another host.
    if (km::outputKind(engine) == km::OutputKind::Http) {
        const std::vector<std::string> other = km::rawRequests(r, c, visibility, "https://trk.kissmetrics.com/");
        QVERIFY(other.at(0).rfind("https://trk.kissmetrics.com/", 0) == 0);
    }
}

void TestPreview::postRequest()
{
    // Over 2 KB of query, segment-cloud POSTs the form body.
    const std::string long_(2100, 'x');
    const std::string json = R"({"type":"track","userId":"u","event":"E","properties":{"long":")" + long_
                             + R"("},"channel":"server","timestamp":"2020-01-01T00:00:00Z"})";
    const km::Configuration c = config(km::EngineId::SegmentCloud, R"({"apiKey":"secret-key"})");
    const km::PreviewResult r = km::translateCall(json, c, kNow);
    QCOMPARE(r.translation.requests.at(0).method, km::HttpMethod::Post);
    const std::vector<std::string> raw = km::rawRequests(r, c);
    QCOMPARE(raw.size(), std::size_t(1));
    QCOMPARE(raw[0], "POST https://trk.kissmetrics.io/e\nlong=" + long_ + "&_d=1&_k=<API_KEY>&_p=u&_t=1577836800&_n=E");
}

void TestPreview::curl()
{
    const std::string json = R"({"type":"alias","userId":"u1","previousId":"a1","channel":"server"})";
    const km::Configuration c = config(km::EngineId::SegmentCloud);
    const km::PreviewResult r = km::translateCall(json, c, kNow);
    const std::vector<std::string> redacted = km::curlCommands(r, c);
    QCOMPARE(redacted, std::vector<std::string>{"curl 'https://trk.kissmetrics.io/a?_k=<API_KEY>&_p=a1&_n=u1'"});
    const std::vector<std::string> shown = km::curlCommands(r, c, km::KeyVisibility::Shown);
    QCOMPARE(shown, std::vector<std::string>{"curl 'https://trk.kissmetrics.io/a?_k=secret-key&_p=a1&_n=u1'"});
    const km::Configuration device = config(km::EngineId::SegmentDevice);
    QVERIFY(km::curlCommands(km::translateCall(json, device, kNow), device).empty());
}

QTEST_GUILESS_MAIN(TestPreview)
#include "tst_preview.moc"
