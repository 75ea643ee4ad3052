// HAR captures as input: the Segment calls in a browser's requests, the Kissmetrics settings of
// Segment's settings response, the connection mode the calls name, and what the browser sent to
// Kissmetrics itself; every unusable request is an error item that names its place.

#include "harbuilder.h"
#include "harcapture.h"
#include "jsonlocate.h"
#include "messagestream.h"

#include <QFile>
#include <QTest>

using namespace km;

namespace {

struct Read
{
    MessageStream::Format format = MessageStream::Format::Unknown;
    std::vector<InputMessage> messages;
    std::vector<std::string> types; // the message's "type", or "error"
};

// Reads everything, keeping each message's values alive with the stream.
Read readAll(MessageStream &stream, Arena &arena)
{
    Read read;
    InputMessage message;
    while (stream.next(message, arena)) {
        read.messages.push_back(message);
        read.types.push_back(message.isValid() ? std::string(message.value.get("type").toString()) : "error");
    }
    read.format = stream.format();
    return read;
}

} // namespace

class TestHarCapture : public QObject
{
    Q_OBJECT

private slots:
    void sampleCallsArePlacedAtTheirBodies_data();
    void sampleCallsArePlacedAtTheirBodies();
    void sampleSetupAndKissmetricsRequests();
    void summaryHidesTheKeyUnlessShown();
    void setupAppliesOverAConfiguration();
    void brokenRequestsAreErrorsAtTheirPlace_data();
    void brokenRequestsAreErrorsAtTheirPlace();
    void connectionModeFromTheCalls_data();
    void connectionModeFromTheCalls();
    void settingsResponseForms_data();
    void settingsResponseForms();
    void kissmetricsRequestsOnlyFromTrackingPaths_data();
    void kissmetricsRequestsOnlyFromTrackingPaths();
    void segmentPathsAreRecognised_data();
    void segmentPathsAreRecognised();
    void otherDocumentsAreNotCaptures_data();
    void otherDocumentsAreNotCaptures();
    void childrenAreLocatedInOnePass();
};

void TestHarCapture::sampleCallsArePlacedAtTheirBodies_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("type");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("messageId");
    QTest::newRow("page") << 0 << "page" << 178 << "ajs-next-1a";
    QTest::newRow("track") << 1 << "track" << 300 << "ajs-next-2b";
    QTest::newRow("identify") << 2 << "identify" << 397 << "ajs-next-3c";
}

void TestHarCapture::sampleCallsArePlacedAtTheirBodies()
{
    QFETCH(int, index);
    QFETCH(QString, type);
    QFETCH(int, line);
    QFETCH(QString, messageId);
    MessageStream stream(sampleCapture());
    Arena arena;
    const Read read = readAll(stream, arena);
    QCOMPARE(read.format, MessageStream::Format::Har);
    QCOMPARE(read.messages.size(), std::size_t(3));
    const InputMessage &m = read.messages[std::size_t(index)];
    QVERIFY2(m.isValid(), m.error.c_str());
    QCOMPARE(m.index, std::size_t(index));
    QCOMPARE(QString::fromStdString(read.types[std::size_t(index)]), type);
    QCOMPARE(m.line, line);
    QCOMPARE(QString::fromUtf8(m.value.get("messageId").toString()), messageId);
}

void TestHarCapture::sampleSetupAndKissmetricsRequests()
{
    MessageStream stream(sampleCapture());
    QCOMPARE(stream.detectFormat(), MessageStream::Format::Har);
    const HarCapture *har = stream.capture();
    QVERIFY(har);
    QCOMPARE(har->entryCount(), std::size_t(8));
    QCOMPARE(har->validCallCount(), std::size_t(3));
    QVERIFY(har->hasSettings());
    QCOMPARE(har->settingsEntry(), std::size_t(0));
    QCOMPARE(har->settings().apiKey().toString(), "3f1c2b9e8d7a6c5b4a3f2e1d0c9b8a7f6e5d4c3b");
    QVERIFY(har->settings().isPrefixProperties(EngineId::SegmentDevice));
    QVERIFY(har->settings().isTrackCategorizedPages(EngineId::SegmentDevice));
    QVERIFY(!har->settings().isTrackNamedPages(EngineId::SegmentDevice));
    QCOMPARE(har->engineHint(), std::optional<EngineId>(EngineId::SegmentDevice));
    QVERIFY(har->userAgent().starts_with("Mozilla/5.0 (X11; Linux x86_64)"));

    QCOMPARE(har->kissmetricsRequests().size(), std::size_t(1));
    const CapturedRequest &km = har->kissmetricsRequests().front();
    QCOMPARE(km.entry, std::size_t(4));
    QCOMPARE(km.endpoint, "e");
    QCOMPARE(km.method, "GET");
    QCOMPARE(km.status, 200);
    QCOMPARE(km.value("_n"), std::optional<std::string>("Viewed Catalog Page"));
    QCOMPARE(km.value("_p"), std::optional<std::string>("a1B2c3D4e5F6g7H8i9J0kLm="));
    QCOMPARE(km.value("Page - path"), std::optional<std::string>("/products/pulse"));
    QCOMPARE(km.value("absent"), std::optional<std::string>());
    QCOMPARE(km.startedDateTime, "2026-11-02T09:14:01.520Z");
}

void TestHarCapture::summaryHidesTheKeyUnlessShown()
{
    MessageStream stream(sampleCapture());
    stream.detectFormat();
    const std::string redacted = stream.capture()->summary();
    QVERIFY2(redacted.find("3 Segment calls in 8 entries") != std::string::npos, redacted.c_str());
    QVERIFY2(redacted.find(R"("apiKey":"<API_KEY>")") != std::string::npos, redacted.c_str());
    QVERIFY(redacted.find("3f1c2b9e") == std::string::npos);
    QVERIFY(redacted.find("device mode (segment-device)") != std::string::npos);
    QVERIFY(redacted.find("1 request to Kissmetrics") != std::string::npos);
    const std::string shown = stream.capture()->summary(KeyVisibility::Shown);
    QVERIFY(shown.find("3f1c2b9e8d7a6c5b4a3f2e1d0c9b8a7f6e5d4c3b") != std::string::npos);
}

void TestHarCapture::setupAppliesOverAConfiguration()
{
    MessageStream stream(sampleCapture());
    stream.detectFormat();
    const CaptureSetup setup = stream.capture()->setup();
    Configuration base; // segment-cloud, every toggle on, KM_SKIP_PAGE_VIEW=1
    base.settings.values().set("extra", Value::string("kept"));
    const Configuration applied = setup.applyTo(base);
    QCOMPARE(applied.engine, EngineId::SegmentDevice);
    QCOMPARE(applied.settings.apiKey().toString(), "3f1c2b9e8d7a6c5b4a3f2e1d0c9b8a7f6e5d4c3b");
    QVERIFY(!applied.settings.isTrackNamedPages(EngineId::SegmentDevice));
    QVERIFY(applied.settings.isTrackCategorizedPages(EngineId::SegmentDevice));
    QCOMPARE(applied.settings.values().value("extra").toString(), "kept");
    QVERIFY(applied.environment.isSkipPageView());
    QVERIFY(applied.environment.userAgent().starts_with("Mozilla/5.0 (X11; Linux x86_64)"));
    QVERIFY(setup.applyTo(applied) == applied);
}

// Each broken request is one error item at its place; the good ones around it still come.
void TestHarCapture::brokenRequestsAreErrorsAtTheirPlace_data()
{
    QTest::addColumn<QByteArray>("har");
    QTest::addColumn<QStringList>("types");
    QTest::addColumn<int>("brokenIndex");
    QTest::addColumn<QString>("errorStart");
    QTest::addColumn<QString>("errorAlsoHas");

    const QByteArray track = R"({"type":"track","event":"A","userId":"u"})";
    QTest::newRow("body not JSON")
            << capture({segmentPost("https://api.segment.io/v1/t", track),
                        segmentPost("https://api.segment.io/v1/t", R"({"type":"track",,})"),
                        segmentPost("https://api.segment.io/v1/p", R"({"type":"page"})")})
            << QStringList{"track", "error", "page"} << 1
            << "line 6, column 52: entry 1 (POST https://api.segment.io/v1/t): request body, line 1, column 17: "
            << "";
    QTest::newRow("body an array") << capture(
            {segmentPost("https://api.segment.io/v1/t", "[1]"), segmentPost("https://x/v1/i", track)})
                                   << QStringList{"error", "track"} << 0
                                   << "line 4, column 52: entry 0 (POST https://api.segment.io/v1/t): "
                                   << "the request body is an array, not a JSON object";
    QTest::newRow("batch with a bad element") << capture({segmentPost(
            "https://api.segment.io/v1/b", R"({"batch":[{"type":"track","event":"A"},"x",{"type":"identify"}]})")})
                                              << QStringList{"track", "error", "identify"} << 1
                                              << "line 4, column 52: entry 0 (POST https://api.segment.io/v1/b): "
                                              << "batch element 1 is a string, not a JSON object";
    QTest::newRow("no body saved") << capture(
            {entryWithoutBody("https://api.segment.io/v1/t"), segmentPost("https://x/v1/t", track)})
                                   << QStringList{"error", "track"} << 0 << "line 3, column 4: entry 0"
                                   << "the capture holds no request body";
    QTest::newRow("no Segment call") << capture({kissmetricsGet("https://trk.kissmetrics.io/e?_n=A&_p=u", 200)})
                                     << QStringList{"error"} << 0
                                     << "line 1, column 1: a HAR capture with 1 entry and no Segment call"
                                     << "no Segment call";
}

void TestHarCapture::brokenRequestsAreErrorsAtTheirPlace()
{
    QFETCH(QByteArray, har);
    QFETCH(QStringList, types);
    QFETCH(int, brokenIndex);
    QFETCH(QString, errorStart);
    QFETCH(QString, errorAlsoHas);
    MessageStream stream(har);
    Arena arena;
    const Read read = readAll(stream, arena);
    QCOMPARE(read.format, MessageStream::Format::Har);
    QStringList got;
    for (const std::string &t : read.types)
        got << QString::fromStdString(t);
    QCOMPARE(got, types);
    const QString error = QString::fromStdString(read.messages[std::size_t(brokenIndex)].error);
    QVERIFY2(error.startsWith(errorStart), qPrintable(error));
    QVERIFY2(error.contains(errorAlsoHas), qPrintable(error));
}

void TestHarCapture::connectionModeFromTheCalls_data()
{
    QTest::addColumn<QByteArray>("har");
    QTest::addColumn<int>("engine"); // -1: no hint
    const auto withMetadata = [](const char *metadata) {
        return segmentPost("https://api.segment.io/v1/t",
                           QByteArray(R"({"type":"track","event":"A","_metadata":)") + metadata + "}");
    };
    QTest::newRow("bundled") << capture({withMetadata(R"({"bundled":["Segment.io","KISSmetrics"]})")})
                             << int(EngineId::SegmentDevice);
    QTest::newRow("unbundled") << capture({withMetadata(R"({"bundled":[],"unbundled":["KISSmetrics"]})")})
                               << int(EngineId::SegmentCloud);
    QTest::newRow("other destinations") << capture({withMetadata(R"({"bundled":["Amplitude"]})")}) << -1;
    QTest::newRow("both seen") << capture(
            {withMetadata(R"({"bundled":["KISSmetrics"]})"), withMetadata(R"({"unbundled":["KISSmetrics"]})")})
                               << -1;
    QTest::newRow("no metadata, browser called Kissmetrics")
            << capture({segmentPost("https://api.segment.io/v1/t", R"({"type":"track"})"),
                        kissmetricsGet("https://trk.kissmetrics.com/e?_n=A", 200)})
            << int(EngineId::SegmentDevice);
}

void TestHarCapture::connectionModeFromTheCalls()
{
    QFETCH(QByteArray, har);
    QFETCH(int, engine);
    MessageStream stream(har);
    QCOMPARE(stream.detectFormat(), MessageStream::Format::Har);
    const std::optional<EngineId> hint = stream.capture()->engineHint();
    QCOMPARE(hint.has_value(), engine >= 0);
    if (hint)
        QCOMPARE(int(*hint), engine);
}

void TestHarCapture::settingsResponseForms_data()
{
    QTest::addColumn<QByteArray>("har");
    QTest::addColumn<bool>("found");
    QTest::addColumn<bool>("trackNamedPages");
    const QByteArray settings = R"({"integrations":{"KISSmetrics":{"apiKey":"k","trackNamedPages":false}}})";
    QTest::newRow("plain") << capture({settingsGet(settings)}) << true << false;
    QTest::newRow("base64") << capture({settingsGet(settings.toBase64(), "base64")}) << true << false;
    QTest::newRow("last response wins") << capture(
            {settingsGet(settings), settingsGet(R"({"integrations":{"KISSmetrics":{"trackNamedPages":true}}})")})
                                        << true << true;
    QTest::newRow("destination not enabled")
            << capture({settingsGet(R"({"integrations":{"Segment.io":{"apiKey":"w"}}})")}) << false << true;
    QTest::newRow("response not saved") << capture({settingsGet("")}) << false << true;
}

void TestHarCapture::settingsResponseForms()
{
    QFETCH(QByteArray, har);
    QFETCH(bool, found);
    QFETCH(bool, trackNamedPages);
    MessageStream stream(har);
    stream.detectFormat();
    const HarCapture *h = stream.capture();
    QCOMPARE(h->hasSettings(), found);
    QCOMPARE(h->settings().isTrackNamedPages(EngineId::SegmentDevice), trackNamedPages);
}

void TestHarCapture::kissmetricsRequestsOnlyFromTrackingPaths_data()
{
    QTest::addColumn<QByteArray>("url");
    QTest::addColumn<bool>("kept");
    QTest::newRow("io event") << QByteArray("https://trk.kissmetrics.io/e?_n=A&_p=u") << true;
    QTest::newRow("com set") << QByteArray("http://trk.kissmetrics.com/s?a=1") << true;
    QTest::newRow("alias") << QByteArray("https://trk.kissmetrics.io/a?_p=u&_n=v") << true;
    QTest::newRow("script") << QByteArray("https://scripts.kissmetrics.io/key.2.js") << false;
    QTest::newRow("lookalike host") << QByteArray("https://trk.notkissmetrics.io/e?_n=A") << false;
    QTest::newRow("other path") << QByteArray("https://trk.kissmetrics.io/favicon.ico") << false;
}

void TestHarCapture::kissmetricsRequestsOnlyFromTrackingPaths()
{
    QFETCH(QByteArray, url);
    QFETCH(bool, kept);
    MessageStream stream(capture({kissmetricsGet(url, 200)}));
    stream.detectFormat();
    QCOMPARE(stream.capture()->kissmetricsRequests().size(), std::size_t(kept ? 1 : 0));
}

void TestHarCapture::segmentPathsAreRecognised_data()
{
    QTest::addColumn<QByteArray>("url");
    QTest::addColumn<bool>("isCall");
    QTest::newRow("ajs short") << QByteArray("https://api.segment.io/v1/t") << true;
    QTest::newRow("http api") << QByteArray("https://api.segment.io/v1/identify") << true;
    QTest::newRow("eu region") << QByteArray("https://events.eu1.segmentapis.com/v1/p") << true;
    QTest::newRow("own proxy") << QByteArray("https://shop.example.com/seg/v1/b") << true;
    QTest::newRow("settings") << QByteArray("https://cdn.segment.com/v1/projects/w/settings") << false;
    QTest::newRow("not v1") << QByteArray("https://shop.example.com/api/t") << false;
    QTest::newRow("other method") << QByteArray("https://api.segment.io/v1/m") << false;
}

void TestHarCapture::segmentPathsAreRecognised()
{
    QFETCH(QByteArray, url);
    QFETCH(bool, isCall);
    MessageStream stream(capture({segmentPost(url, R"({"type":"track","event":"A"})")}));
    stream.detectFormat();
    QCOMPARE(stream.capture()->validCallCount(), std::size_t(isCall ? 1 : 0));
}

// JSON that is not a capture stays what it was.
void TestHarCapture::otherDocumentsAreNotCaptures_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("format");
    QTest::newRow("message with a log property") << QByteArray(R"({"type":"track","event":"A","log":{"entries":1}})")
                                                 << int(MessageStream::Format::Document);
    QTest::newRow("batch") << QByteArray(R"({"batch":[{"type":"track"}],"log":{}})")
                           << int(MessageStream::Format::Batch);
}

void TestHarCapture::otherDocumentsAreNotCaptures()
{
    QFETCH(QByteArray, json);
    QFETCH(int, format);
    MessageStream stream(json);
    QCOMPARE(int(stream.detectFormat()), format);
    QVERIFY(!stream.capture());
}

void TestHarCapture::childrenAreLocatedInOnePass()
{
    const std::string text = R"({"a": [ 1, {"b": 2} , "x\"y" ], "c": {"d": true, "e": null}})";
    const std::vector<std::string> array = {"a"};
    const std::vector<JsonSpan> items = locateJsonChildren(text, array);
    QCOMPARE(items.size(), std::size_t(3));
    QCOMPARE(text.substr(items[0].begin, items[0].end - items[0].begin), "1");
    QCOMPARE(text.substr(items[1].begin, items[1].end - items[1].begin), R"({"b": 2})");
    QCOMPARE(text.substr(items[2].begin, items[2].end - items[2].begin), R"("x\"y")");
    const std::vector<std::string> object = {"c"};
    const std::vector<JsonSpan> members = locateJsonChildren(text, object);
    QCOMPARE(members.size(), std::size_t(2));
    QCOMPARE(text.substr(members[1].keyBegin, members[1].end - members[1].keyBegin), R"("e": null)");
    const std::vector<std::string> scalar = {"a", "0"};
    QVERIFY(locateJsonChildren(text, scalar).empty());
}

QTEST_GUILESS_MAIN(TestHarCapture)
#include "tst_harcapture.moc"
