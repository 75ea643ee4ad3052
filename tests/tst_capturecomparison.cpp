// What a capture shows Kissmetrics received, set beside what an engine predicts for its calls:
// matched by event name (/e), identities (/a) or shared properties (/s), then compared property
// by property.

#include "capturecomparison.h"
#include "harbuilder.h"
#include "messagestream.h"

#include <QTest>

using namespace km;

namespace {

constexpr double kNow = 1577836800000;

struct Compared
{
    CaptureComparison comparison;
    std::vector<std::string> lines;
};

Compared compare(const QByteArray &har, const Configuration &configuration)
{
    MessageStream stream(har);
    Arena arena;
    InputMessage message;
    while (stream.next(message, arena)) {
    }
    Compared c;
    c.comparison = compareCapture(*stream.capture(), configuration, kNow);
    c.lines = c.comparison.lines();
    return c;
}

Configuration deviceMode(const char *settingsJson)
{
    Configuration c;
    c.engine = EngineId::SegmentDevice;
    std::string error;
    if (!Settings::fromJson(settingsJson, &c.settings, &error))
        qFatal("bad settings: %s", error.c_str());
    return c; // KM_SKIP_PAGE_VIEW=1, as Kissmetrics' own script sets it by default
}

QStringList toList(const std::vector<std::string> &items)
{
    QStringList out;
    for (const std::string &s : items)
        out << QString::fromStdString(s);
    return out;
}

} // namespace

class TestCaptureComparison : public QObject
{
    Q_OBJECT

private slots:
    void sampleWithTheCaptureSettings();
    void sampleWithOtherSettingsMatchesNothing();
    void requestsAgainstPredictions_data();
    void requestsAgainstPredictions();
};

// The sample's one Kissmetrics request is the page's event, but with one property of seven.
void TestCaptureComparison::sampleWithTheCaptureSettings()
{
    MessageStream stream(sampleCapture());
    stream.detectFormat();
    const Configuration configuration = stream.capture()->setup().applyTo(Configuration());
    const Compared c = compare(sampleCapture(), configuration);
    QCOMPARE(c.comparison.received.size(), std::size_t(1));
    const CaptureMatch &m = c.comparison.received.front();
    QCOMPARE(m.entry, std::size_t(4));
    QCOMPARE(m.endpoint, "e");
    QCOMPARE(m.name, "Viewed Catalog Page");
    QCOMPARE(m.call, std::optional<std::size_t>(0));
    QCOMPARE(toList(m.missing), (QStringList{"Page - name", "Page - category", "Page - referrer", "Page - search",
                                             "Page - title", "Page - url"}));
    QVERIFY(m.unexpected.empty());
    QVERIFY(m.differing.empty());
    QVERIFY(!m.isExact());
    QCOMPARE(toList(c.comparison.unreceived),
             (QStringList{R"(call 1 (track): record "Product Added")", "call 2 (identify): set (7 properties)"}));
    QCOMPARE(c.lines.size(), std::size_t(2));
    QCOMPARE(c.lines[0], R"(entry 4: /e "Viewed Catalog Page" is call 0 (page), but not in the request: Page - name, )"
                         "Page - category, Page - referrer, Page - search, Page - title, Page - url");
}

// With Track Named Pages on, the page's event has another name: the request matches no call.
void TestCaptureComparison::sampleWithOtherSettingsMatchesNothing()
{
    const Compared c = compare(sampleCapture(), deviceMode(R"({"apiKey":"k"})"));
    QCOMPARE(c.comparison.received.size(), std::size_t(1));
    QVERIFY(!c.comparison.received.front().call);
    QCOMPARE(c.lines[0], R"(entry 4: /e "Viewed Catalog Page" was received, and none of the calls predicts it)");
    QVERIFY(toList(c.comparison.unreceived).contains(R"(call 0 (page): record "Viewed Product Page")"));
}

void TestCaptureComparison::requestsAgainstPredictions_data()
{
    QTest::addColumn<QByteArray>("call");
    QTest::addColumn<QByteArray>("kissmetrics"); // the URL the browser requested
    QTest::addColumn<QString>("line");
    QTest::addColumn<int>("unreceived");
    QTest::addColumn<int>("engine");

    const QByteArray track = R"({"type":"track","event":"Bought","userId":"u","properties":{"price":1.5,"ok":true}})";
    QTest::newRow("exact") << track << QByteArray("https://trk.kissmetrics.io/e?_n=Bought&price=1.5&ok=true&_k=k&_p=u")
                           << R"(entry 1: /e "Bought" matches call 0 (track))" << 0 << int(EngineId::SegmentDevice);
    QTest::newRow("other value") << track << QByteArray("https://trk.kissmetrics.io/e?_n=Bought&price=2&ok=true")
                                 << R"(entry 1: /e "Bought" is call 0 (track), but other values: price: predicted )"
                                    R"("1.5", received "2")"
                                 << 0 << int(EngineId::SegmentDevice);
    QTest::newRow("extra parameter") << track
                                     << QByteArray(
                                                "https://trk.kissmetrics.io/e?_n=Bought&price=1.5&ok=true&Returning=1")
                                     << R"(entry 1: /e "Bought" is call 0 (track), but not predicted: Returning)" << 0
                                     << int(EngineId::SegmentDevice);
    QTest::newRow("other event") << track << QByteArray("https://trk.kissmetrics.io/e?_n=Visited%20Site")
                                 << R"(entry 1: /e "Visited Site" was received, and none of the calls predicts it)" << 1
                                 << int(EngineId::SegmentDevice);
    QTest::newRow("alias either way round")
            << QByteArray(R"({"type":"alias","userId":"new","previousId":"old"})")
            << QByteArray("https://trk.kissmetrics.io/a?_p=old&_n=new") << "entry 1: /a matches call 0 (alias)" << 0
            << int(EngineId::SegmentDevice);
    QTest::newRow("set by its properties") << QByteArray(R"({"type":"identify","userId":"u","traits":{"plan":"pro"}})")
                                           << QByteArray("https://trk.kissmetrics.io/s?plan=pro&_p=u")
                                           << "entry 1: /s is call 0 (identify), but "
                                              "not in the request: id"
                                           << 0 << int(EngineId::SegmentDevice);
    // The HTTP engines' requests compare the same way (their pairs, as they go on the wire).
    QTest::newRow("segment-cloud request")
            << track << QByteArray("https://trk.kissmetrics.com/e?price=1.5&ok=true&_d=1&_k=k&_p=u&_t=1&_n=Bought")
            << R"(entry 1: /e "Bought" matches call 0 (track))" << 0 << int(EngineId::SegmentCloud);
    QTest::newRow("segment-cloud alias") << QByteArray(R"({"type":"alias","userId":"new","previousId":"old"})")
                                         << QByteArray("https://trk.kissmetrics.com/a?_n=new&_p=old")
                                         << "entry 1: /a matches call 0 (alias)" << 0 << int(EngineId::SegmentCloud);
}

void TestCaptureComparison::requestsAgainstPredictions()
{
    QFETCH(QByteArray, call);
    QFETCH(QByteArray, kissmetrics);
    QFETCH(QString, line);
    QFETCH(int, unreceived);
    const QByteArray har =
            capture({segmentPost("https://api.segment.io/v1/t", call), kissmetricsGet(kissmetrics, 200)});
    const Compared c = compare(har, deviceMode(R"({"apiKey":"k","prefixProperties":false})"));
    QCOMPARE(c.comparison.received.size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(c.lines.front()), line);
    QCOMPARE(int(c.comparison.unreceived.size()), unreceived);
}

QTEST_GUILESS_MAIN(TestCaptureComparison)
#include "tst_capturecomparison.moc"
