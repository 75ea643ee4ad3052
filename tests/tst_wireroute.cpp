// segment-cloud's wire route (CloudWireRoute: from the parsed tape straight to the query string)
// against the engine's staged route (the reference's steps one by one): wherever the wire route
// takes a message, both must give the same CLI line, byte for byte, and the same wire text, under
// several settings. The messages are the reference vectors' inputs, the route edge cases, a sample
// of the benchmark corpus, and 10,000 generated messages that mix the values and keys each rule
// turns on (KM_GENERATED_MESSAGES and KM_GENERATED_SEED run other sets). The route must also take the common messages
// (or the comparison would prove nothing) and decline the ones its header lists. StreamTranslator, which picks the
// route per message for the CLI, must give what the engine gives for a whole NDJSON text.

#include "messagegenerator.h"
#include "routerows.h"

#include "cloudwireroute.h"
#include "engine.h"
#include "jsonreader.h"
#include "messagestream.h"
#include "receivedrequest.h"
#include "streamtranslator.h"

#include <QFile>
#include <QTest>

using namespace km;

namespace {

using routerows::kClockMillis;
using routerows::lineOf;

const char *const kSettings[] = {
        "{\"apiKey\":\"k\",\"prefixProperties\":true}",
        "{\"apiKey\":\"k\",\"prefixProperties\":false}",
        "{\"apiKey\":\"k e/y\"}",
};

Settings settingsFrom(const char *json)
{
    Settings settings;
    std::string error;
    if (!Settings::fromJson(json, &settings, &error))
        qFatal("bad settings %s", json);
    return settings;
}

std::string stagedLine(std::string_view text, const Settings &settings, Arena &arena)
{
    JsonReader reader;
    const JsonResult parsed = reader.parse(text, arena);
    if (!parsed.ok())
        qFatal("test message does not parse: %.*s", int(text.size()), text.data());
    TranslateOptions options;
    options.nowMillis = kClockMillis;
    options.route = Route::Staged;
    Translation translation;
    Engine::create(EngineId::SegmentCloud)
            ->translate(parsed.value, settings, Environment(), options, arena, translation);
    return lineOf(translation, arena);
}

// The wire route's line, or nothing when it declines (or the text is no object for it).
std::optional<std::string> wireLine(std::string_view text, const Settings &settings, Arena &arena)
{
    JsonReader reader;
    const JsonTape tape = reader.parseTape(text, text.size());
    if (tape.isNull() || tape.type(JsonTape::Root) != '{')
        return std::nullopt;
    CloudWireRoute route(settings, kClockMillis);
    Translation translation;
    if (!route.translate(tape, translation))
        return std::nullopt;
    for (const HttpRequest &r : translation.requests)
        if (!r.payload.isUndefined() || !r.pairs.empty())
            qFatal("the wire route is not to build payloads or pairs");
    return lineOf(translation, arena);
}

// The wire route against the staged route on one message: nothing when the route declines, else
// the route's line and what differs from the staged one (empty when they agree).
struct Outcome
{
    std::string line;
    std::string difference;
};

std::optional<Outcome> compareRoutes(std::string_view text, const char *settingsJson)
{
    const Settings settings = settingsFrom(settingsJson);
    Arena arena;
    std::optional<std::string> wire = wireLine(text, settings, arena);
    if (!wire)
        return std::nullopt;
    Outcome outcome{std::move(*wire), {}};
    const std::string staged = stagedLine(text, settings, arena);
    if (outcome.line != staged) {
        outcome.difference = "settings ";
        outcome.difference += settingsJson;
        outcome.difference += ":\n";
        outcome.difference += text;
        outcome.difference += "\n staged: ";
        outcome.difference += staged;
        outcome.difference += "\n wire:   ";
        outcome.difference += outcome.line;
    }
    return outcome;
}

} // namespace

class TestWireRoute : public QObject
{
    Q_OBJECT

private slots:
    void sameAsEngine_data();
    void sameAsEngine();
    void takesTheCorpus();
    void generatedMessagesAgree();
    void declines_data();
    void declines();
    void pairsReadBackOffTheWire_data();
    void pairsReadBackOffTheWire();
    void streamTranslatorAgreesWithEngine();
};

void TestWireRoute::sameAsEngine_data()
{
    routerows::addMessageRows();
}

void TestWireRoute::sameAsEngine()
{
    QFETCH(QByteArray, message);
    const std::string_view text(message.constData(), static_cast<std::size_t>(message.size()));
    for (const char *settingsJson : kSettings) {
        const std::optional<Outcome> outcome = compareRoutes(text, settingsJson);
        QVERIFY2(!outcome || outcome->difference.empty(), outcome ? outcome->difference.c_str() : "");
    }
}

void TestWireRoute::takesTheCorpus()
{
    // Every message of the corpus sample (track, orders with products, page, identify, group,
    // alias) goes the wire route: the comparison above covers them all.
    QFile file(QStringLiteral(KM_TEST_DATA_DIR "/corpus-sample.ndjson"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const Settings settings = settingsFrom(kSettings[0]);
    int messages = 0, taken = 0;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        Arena arena;
        ++messages;
        taken += wireLine(std::string_view(line.constData(), std::size_t(line.size())), settings, arena) ? 1 : 0;
    }
    QCOMPARE(messages, 400);
    QCOMPARE(taken, messages);
}

void TestWireRoute::generatedMessagesAgree()
{
    const int count = MessageGenerator::count();
    MessageGenerator generator(MessageGenerator::seed());
    int taken = 0, posts = 0, orders = 0, compared = 0;
    for (int i = 0; i < count; ++i) {
        const std::string text = generator.message();
        JsonReader check;
        Arena parseArena;
        if (!check.parse(text, parseArena).ok())
            QFAIL(("generated text does not parse: " + text).c_str());
        for (const char *settingsJson : kSettings) {
            const std::optional<Outcome> outcome = compareRoutes(text, settingsJson);
            if (!outcome)
                continue;
            ++compared;
            QVERIFY2(outcome->difference.empty(),
                     ("generated message " + std::to_string(i) + ", " + outcome->difference).c_str());
            if (settingsJson == kSettings[0]) {
                const std::string &line = outcome->line;
                ++taken;
                posts += line.find("\nPOST ") != std::string::npos ? 1 : 0;
                orders += line.find("\"endpoint\":\"s\"") != std::string::npos
                                          && line.find("\"endpoint\":\"e\"") != std::string::npos
                                  ? 1
                                  : 0;
            }
        }
    }
    qInfo("wire route took %d of %d generated messages (%d comparisons, %d POSTs, %d with /e and /s)", taken, count,
          compared, posts, orders);
    // Enough of every kind for the comparison to mean something.
    QVERIFY(taken > count / 10);
    QVERIFY(posts > 5);
    QVERIFY(orders > 20);
}

void TestWireRoute::declines_data()
{
    QTest::addColumn<QByteArray>("message");
    const QByteArray base = "\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\"";
    auto row = [&](const char *name, const QByteArray &rest) { QTest::newRow(name) << "{" + base + rest + "}"; };
    row("null property", ",\"properties\":{\"a\":null}");
    row("empty object", ",\"properties\":{\"a\":{}}");
    row("object tag text", ",\"properties\":{\"a\":\"[object Object]\"}");
    row("array of objects", ",\"properties\":{\"a\":[{\"x\":1}]}");
    row("integer-like key", ",\"properties\":{\"b\":1,\"0\":2}");
    row("toString key", ",\"properties\":{\"a\":{\"toString\":1}}");
    row("flattened meets dotted key", ",\"properties\":{\"a\":{\"b\":1},\"a.b\":2}");
    row("duplicate key", ",\"properties\":{\"a\":1,\"a\":2}");
    row("billing amount", ",\"properties\":{\"Billing Amount\":5}");
    row("comma in a key", ",\"properties\":{\"a,b\":1}");
    row("colon in a nested key", ",\"properties\":{\"a\":{\"b:c\":1}}");
    row("colon in an object's key", ",\"properties\":{\"a:b\":{\"c\":1}}");
    row("long key", ",\"properties\":{\"" + QByteArray(300, 'k') + "\":1}");
    row("revenue unreadable", ",\"properties\":{\"revenue\":\"abc\"}");
    row("numeric length", ",\"properties\":{\"length\":2}");
    row("options", ",\"options\":{\"ip\":\"1.2.3.4\"}");
    row("date-like id", ",\"anonymousId\":\"2014-01-01T00:00:00Z\"");
    row("timestamp number", ",\"timestamp\":1388534400");
    row("one-element date array", ",\"properties\":{\"a\":[\"2014-01-01\"]}");
    row("object under an empty key", ",\"properties\":{\"\":{\"products\":1}}");
    row("revenue as object text", ",\"properties\":{\"Revenue\":5,\"revenue\":\"[object Object]\"}");
    QTest::newRow("event not a string") << QByteArray("{\"type\":\"track\",\"event\":5}");
    QTest::newRow("unknown type") << QByteArray("{\"type\":\"other\"}");
    QTest::newRow("comma in a page key") << QByteArray("{\"type\":\"page\",\"name\":\"P\",\"properties\":{\"a,b\":1}}");
    QTest::newRow("page property object") << QByteArray("{\"type\":\"page\",\"properties\":{\"a\":{\"b\":1}}}");
    QTest::newRow("alias without previousId") << QByteArray("{\"type\":\"alias\",\"userId\":\"u\"}");
}

void TestWireRoute::declines()
{
    QFETCH(QByteArray, message);
    Arena arena;
    QVERIFY(!wireLine(std::string_view(message.constData(), std::size_t(message.size())), settingsFrom(kSettings[0]),
                      arena));
    // The minimal message it is built on is taken.
    QVERIFY(wireLine("{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"properties\":{\"a\":1}}",
                     settingsFrom(kSettings[0]), arena));
}

void TestWireRoute::pairsReadBackOffTheWire_data()
{
    sameAsEngine_data();
}

void TestWireRoute::pairsReadBackOffTheWire()
{
    // The engine's decoded pairs are what decodeFormParams (the built-in endpoint's reader) reads
    // off its wire, which is how the JSON output gets the wire route's params.
    QFETCH(QByteArray, message);
    Arena arena;
    JsonReader reader;
    const JsonResult parsed = reader.parse(std::string_view(message.constData(), std::size_t(message.size())), arena);
    QVERIFY(parsed.ok());
    // The pairs may view the settings' API key: the settings outlive them.
    const Settings settings = settingsFrom(kSettings[0]);
    TranslateOptions options;
    options.nowMillis = kClockMillis;
    Translation translation;
    Engine::create(EngineId::SegmentCloud)
            ->translate(parsed.value, settings, Environment(), options, arena, translation);
    for (const HttpRequest &r : translation.requests) {
        const std::vector<ReceivedParam> decoded = decodeFormParams(r.wire);
        QCOMPARE(decoded.size(), r.pairs.size());
        for (std::size_t i = 0; i < decoded.size(); ++i) {
            QCOMPARE(decoded[i].key, std::string(r.pairs[i].key));
            QCOMPARE(!decoded[i].value.has_value(), r.pairs[i].bare);
            if (decoded[i].value)
                QCOMPARE(*decoded[i].value, std::string(r.pairs[i].value));
        }
    }
}

void TestWireRoute::streamTranslatorAgreesWithEngine()
{
    // A whole NDJSON text (corpus, edge cases, a broken line, a non-object, a -0) through the
    // translator the CLI uses, against the engine alone on each message.
    QByteArray ndjson;
    for (const char *path : {"/corpus-sample.ndjson", "/route-cases.ndjson"}) {
        QFile file(QStringLiteral(KM_TEST_DATA_DIR) + QLatin1String(path));
        QVERIFY(file.open(QIODevice::ReadOnly));
        ndjson += file.readAll();
    }
    ndjson += "{\"type\":\"track\",\"event\":\"E\"\n[1,2]\n{\"type\":\"track\",\"event\":\"E\",\"properties\":{\"z\":-"
              "0}}\n";
    const Settings settings = settingsFrom(kSettings[0]);
    TranslateOptions options;
    options.nowMillis = kClockMillis;

    MessageStream viaRoute(ndjson);
    StreamTranslator translator(viaRoute, EngineId::SegmentCloud, settings, Environment(), options);
    MessageStream plain(ndjson);
    const auto engine = Engine::create(EngineId::SegmentCloud);
    Arena arena, plainArena;
    InputMessage message, plainMessage;
    Translation translation, expected;
    int messages = 0;
    while (translator.next(message, translation, arena)) {
        QVERIFY(plain.next(plainMessage, plainArena));
        QCOMPARE(message.index, plainMessage.index);
        QCOMPARE(message.error, plainMessage.error);
        if (message.isValid()) {
            engine->translate(plainMessage.value, settings, Environment(), options, plainArena, expected);
            QCOMPARE(lineOf(translation, arena), lineOf(expected, plainArena));
        }
        ++messages;
        arena.reset();
        plainArena.reset();
    }
    QVERIFY(!plain.next(plainMessage, plainArena));
    QVERIFY(messages > 450);
    QVERIFY(translator.wireRouteCount() >= 400);
    QVERIFY(translator.wireRouteCount() < std::size_t(messages));
}

QTEST_GUILESS_MAIN(TestWireRoute)
#include "tst_wireroute.moc"
