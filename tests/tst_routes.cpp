// The engines' single-pass shortcuts (Route::Shortcuts) against their staged routes (Route::Staged,
// the reference's steps one by one): for every message here, every engine and several settings,
// both routes must give the same CLI line, byte for byte, and the same wire text. The messages are
// the reference vectors' inputs, a sample of the benchmark corpus, cases built to sit on each
// edge where a shortcut must step aside (tests/data/route-cases.ndjson) and, for segment-cloud,
// 10,000 generated messages (tests/messagegenerator.h).
//
// The writer behind segment-cloud's shortcut is also checked directly: it must take the common
// maps (or the comparison above would prove nothing) and decline the ones listed in its header.

#include "messagegenerator.h"
#include "routerows.h"

#include "cloudpayloadwriter.h"
#include "engine.h"
#include "jsonreader.h"

#include <QFile>
#include <QTest>

using namespace km;

namespace {

const char *const kSettings[] = {
        "{\"apiKey\":\"k\",\"prefixProperties\":true}",
        "{\"apiKey\":\"k\",\"prefixProperties\":false}",
        "{\"apiKey\":\"k\"}",
};

std::string
translateLine(const Engine &engine, const Value &message, const Settings &settings, Route route, Arena &arena)
{
    TranslateOptions options;
    options.nowMillis = routerows::kClockMillis;
    options.route = route;
    Translation translation;
    engine.translate(message, settings, Environment(), options, arena, translation);
    return routerows::lineOf(translation, arena);
}

// The values may view the text: it must outlive them.
Value parseOne(const QByteArray &text, Arena &arena)
{
    JsonReader reader;
    const JsonResult result =
            reader.parse(std::string_view(text.constData(), static_cast<std::size_t>(text.size())), arena);
    if (!result.ok())
        qFatal("test message does not parse: %s", text.constData());
    return result.value;
}

// Both routes of one engine on one message: empty when they agree, else what each gave.
std::string difference(const Engine &engine, const QByteArray &message, const char *settingsJson)
{
    Arena arena;
    const Value input = parseOne(message, arena);
    Settings settings;
    std::string error;
    if (!Settings::fromJson(settingsJson, &settings, &error))
        qFatal("bad settings %s", settingsJson);
    const std::string staged = translateLine(engine, input, settings, Route::Staged, arena);
    const std::string shortcut = translateLine(engine, input, settings, Route::Shortcuts, arena);
    if (staged == shortcut)
        return {};
    std::string text = "engine ";
    text += engineName(engine.id());
    text += ", settings ";
    text += settingsJson;
    text += ":\n";
    text += message.toStdString();
    text += "\n staged:   ";
    text += staged;
    text += "\n shortcut: ";
    text += shortcut;
    return text;
}

// Whether the writer takes a map, and the payload it writes.
bool writerTakes(const char *mapJson, std::string_view prefix, Arena &arena, std::string *payloadJson = nullptr)
{
    const QByteArray text(mapJson);
    const Value map = parseOne(text, arena);
    ObjectBuilder payload(arena);
    CloudPayloadWriter writer(payload, arena, prefix, CloudPayloadWriter::Products::Drop);
    const bool taken = writer.addAll(map);
    if (payloadJson)
        *payloadJson = vectors::toJson(payload.build());
    return taken;
}

} // namespace

class TestRoutes : public QObject
{
    Q_OBJECT

private slots:
    void sameOutput_data();
    void sameOutput();
    void generatedMessagesAgree();
    void writerTakesCommonMaps();
    void writerDeclines_data();
    void writerDeclines();
    void writerPayload();
};

void TestRoutes::sameOutput_data()
{
    routerows::addMessageRows();
}

void TestRoutes::sameOutput()
{
    QFETCH(QByteArray, message);
    for (EngineId id :
         {EngineId::SegmentCloud, EngineId::SegmentDevice, EngineId::RudderCloud, EngineId::RudderDevice}) {
        const auto engine = Engine::create(id);
        for (const char *settingsJson : kSettings) {
            const std::string diff = difference(*engine, message, settingsJson);
            QVERIFY2(diff.empty(), diff.c_str());
        }
    }
}

void TestRoutes::generatedMessagesAgree()
{
    // segment-cloud is the engine with a shortcut: both routes on every generated message.
    const auto engine = Engine::create(EngineId::SegmentCloud);
    const int count = MessageGenerator::count();
    MessageGenerator generator(MessageGenerator::seed());
    for (int i = 0; i < count; ++i) {
        const QByteArray text = QByteArray::fromStdString(generator.message());
        for (const char *settingsJson : kSettings) {
            const std::string diff = difference(*engine, text, settingsJson);
            QVERIFY2(diff.empty(), ("generated message " + std::to_string(i) + ", " + diff).c_str());
        }
    }
}

void TestRoutes::writerTakesCommonMaps()
{
    // Every property map of the corpus sample is one the writer covers.
    QFile file(QStringLiteral(KM_TEST_DATA_DIR "/corpus-sample.ndjson"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    int maps = 0, taken = 0;
    while (!file.atEnd()) {
        Arena arena;
        const QByteArray line = file.readLine();
        const Value message = parseOne(line, arena);
        for (const char *field : {"properties", "traits"}) {
            const Value map = message.get(field);
            if (!map.isObject())
                continue;
            ++maps;
            ObjectBuilder payload(arena);
            CloudPayloadWriter writer(payload, arena, "E - ", CloudPayloadWriter::Products::Drop);
            taken += writer.addAll(map) ? 1 : 0;
        }
    }
    QVERIFY(maps > 300);
    QCOMPARE(taken, maps);
}

void TestRoutes::writerDeclines_data()
{
    QTest::addColumn<QByteArray>("map");
    QTest::newRow("integer-like key") << QByteArray("{\"b\":1,\"0\":{\"c\":2}}");
    QTest::newRow("null") << QByteArray("{\"a\":null}");
    QTest::newRow("empty object") << QByteArray("{\"a\":{}}");
    QTest::newRow("object tag text") << QByteArray("{\"a\":\"[object Object]\"}");
    QTest::newRow("array of objects") << QByteArray("{\"a\":[{\"x\":1},2]}");
    QTest::newRow("toString shadowed") << QByteArray("{\"a\":{\"toString\":1}}");
    QTest::newRow("flattened then own key") << QByteArray("{\"a\":{\"b\":1},\"a.b\":{\"c\":2}}");
    QTest::newRow("products object") << QByteArray("{\"products\":{\"a\":1}}");
    QTest::newRow("products join throws") << QByteArray("{\"products\":[{\"toString\":1}]}");
}

void TestRoutes::writerDeclines()
{
    QFETCH(QByteArray, map);
    Arena arena;
    QVERIFY(!writerTakes(map.constData(), "E - ", arena));
}

void TestRoutes::writerPayload()
{
    // Written straight under the final keys, as the stages would leave them: flattened paths
    // prefixed, values as text at the top and typed below it, products omitted, later writes
    // keeping the first position.
    Arena arena;
    std::string json;
    QVERIFY(writerTakes(
            "{\"n\":1,\"o\":{\"p\":2,\"q\":[1,2]},\"products\":[{\"a\":1}],\"o.p\":\"x\",\"Billing Amount\":true}",
            "E - ", arena, &json));
    QCOMPARE(json, std::string("{\"E - n\":\"1\",\"E - o.p\":\"x\",\"E - o.q\":\"1,2\",\"Billing Amount\":\"true\"}"));
}

QTEST_GUILESS_MAIN(TestRoutes)
#include "tst_routes.moc"
