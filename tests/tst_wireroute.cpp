// segment-cloud's wire route (CloudWireRoute: from the parsed tape straight to the query string)
// against the engine's staged route (the reference's steps one by one): wherever the wire route
// takes a message, both must give the same CLI line, byte for byte, and the same wire text, under
// several settings. The messages are the reference vectors' inputs, the route edge cases, a sample
// of the benchmark corpus, and 10,000 generated messages that mix the values and keys each rule
// turns on (KM_GENERATED_MESSAGES and KM_GENERATED_SEED run other sets). The route must also take the common messages
// (or the comparison would prove nothing) and decline the ones its header lists. StreamTranslator, which picks the
// route per message for the CLI, must give what the engine gives for a whole NDJSON text.

#include "routerows.h"

#include "cloudwireroute.h"
#include "engine.h"
#include "jsonreader.h"
#include "messagestream.h"
#include "querystring.h"
#include "streamtranslator.h"

#include <QFile>
#include <QTest>

#include <algorithm>
#include <random>

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

// Segment messages built from the values and keys the mapping rules turn on: mostly ordinary
// ones, with an edge value or key now and then (a fixed seed, so every run checks the same).
class MessageGenerator
{
public:
    explicit MessageGenerator(unsigned seed)
        : m_rng(seed)
    { }

    std::string message()
    {
        // Most messages are ordinary all through; the others take an edge value now and then.
        m_edgePercent = chance(35) ? 6 : 0;
        std::string out = "{";
        bool first = true;
        auto member = [&](const std::string &key, const std::string &value) {
            if (!first)
                out += ',';
            first = false;
            out += quoted(key);
            out += ':';
            out += value;
        };
        const std::string type = pick({"track", "track", "track", "track", "page", "page", "screen", "identify",
                                       "identify", "group", "alias"},
                                      {"other", "Track"});
        if (!edge())
            member("type", quoted(type));
        if (chance(70))
            member("userId", id());
        if (chance(70))
            member("anonymousId", id());
        if (chance(3))
            member("sessionId", id());
        if (chance(90))
            member("timestamp",
                   pick({"\"2026-03-13T20:03:04.840Z\"", "\"2020-01-24T11:59:02.402+05:30\"", "\"2014-01-01\""},
                        {"\"2014\"", "\"1388534400\"", "\"garbage\"", "1388534400", "1388534400000", "null",
                         "\"2001-01-01T00:00:00Z\"", "\"2014-13-45T00:00:00Z\"", "\"2014-01-01T00:00:00.05Z\""}));
        if (chance(20))
            member("channel", pick({"\"server\""}, {"\"browser\"", "null", "1"}));
        if (chance(90))
            member("context", context());
        if (edge())
            member("options", context());
        if (edge())
            member("length", "1");
        if (type == "track" || chance(5))
            member("event",
                   pick({"\"Clicked Button\"", "\"Order Completed\"", "\"Order Completed\"", "\"Completed Order\"",
                         "\"order_completed\"", "\"Viewed Cart\"", "\"Plan Upgraded\"", "\"é & =\""},
                        {"\"completed order \"", "\"Signed: Up\"", "\"a,b\"", "\"\"", "5", "null", "\"2014-01-01\""}));
        if (type == "page" || type == "screen" || chance(3)) {
            if (chance(60))
                member("name", pick({"\"Docs\"", "\"Home\"", "\"\""}, {"\"A: b\"", "\"2014-01-01\"", "7", "null"}));
            if (chance(50))
                member("category", pick({"\"Blog\"", "\"Guides\"", "\"\""}, {"\"x,y\"", "null"}));
        }
        if (type == "group" || chance(3))
            member("groupId", id());
        if (type == "alias" || chance(3)) {
            if (chance(85))
                member("previousId", id());
            if (chance(20))
                member("from", id());
            if (chance(20))
                member("to", id());
        }
        const std::size_t size = chance(4) ? 150 : 9;
        if (chance(85))
            member("properties", edge() ? pick({"\"x\"", "null", "[]", "5"})
                                        : map(0, size, type == "page", type == "track" && chance(40)));
        if (chance(60))
            member("traits", edge() ? pick({"\"x\"", "null", "[1]"}) : map(0, size, false));
        if (chance(2) && !first)
            member("userId", id()); // a duplicate key
        out += '}';
        return out;
    }

private:
    bool chance(int percent) { return static_cast<int>(m_rng() % 100) < percent; }
    bool edge() { return chance(m_edgePercent); }
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(m_rng() % n); }
    std::string pick(std::initializer_list<const char *> items) { return *(items.begin() + below(items.size())); }
    // Mostly an ordinary item, now and then an edge one.
    std::string pick(std::initializer_list<const char *> common, std::initializer_list<const char *> edges)
    {
        return edge() ? pick(edges) : pick(common);
    }

    static std::string quoted(const std::string &text)
    {
        std::string out = "\"";
        for (char c : text) {
            if (c == '"' || c == '\\')
                out += '\\';
            out += c;
        }
        out += '"';
        return out;
    }

    std::string id()
    {
        return pick({"\"user-1\"", "\"anon-2\"", "\"x y&z=1\"", "\"é\""},
                    {"\"\"", "\"2014-01-01T00:00:00Z\"", "42", "null", "\"[object Object]\"", "[\"u\"]"});
    }

    std::string context()
    {
        if (edge())
            return pick({"null", "\"x\"", "{}"});
        std::string out = "{";
        bool first = true;
        for (const char *key : {"ip", "userAgent", "library"}) {
            if (chance(25))
                continue;
            if (!first)
                out += ',';
            first = false;
            out += '"';
            out += edge() ? pick({"IP", "user_agent", "length", "0", "ip"}) : std::string(key);
            out += "\":";
            if (edge())
                out += pick({"\"\"", "null", "7", "\"2014-01-01T00:00:00Z\"", "{\"name\":\"a\"}"});
            else
                out += std::string_view(key) == "ip"          ? "\"203.0.113.9\""
                       : std::string_view(key) == "userAgent" ? "\"Mozilla/5.0 (X11; Linux x86_64)\""
                                                              : "{\"name\":\"analytics.js\"}";
        }
        out += '}';
        return out;
    }

    std::string key(bool page)
    {
        if (edge() && chance(10))
            return std::string(260, 'k');
        if (page)
            return pick({"url", "path", "referrer", "title", "search", "name", "category", "revenue"},
                        {"Billing Amount", "0", "length", "k,v", "", "a.b", "_p"});
        return pick({"a", "b", "plan", "count", "revenue", "Revenue", "total", "name", "category", "id", "tags",
                     "seen_at", "price", "a b&c=d", "é", "products", "x", "y", "z"},
                    {"Billing Amount", "a.b", "_p", "_x", "0", "12", "3d", "length", "toString", "k,v", "x:y", "",
                     "Products", "hasOwnProperty"});
    }

    std::string scalar()
    {
        return pick({"\"free\"", "\"\"", "\"2026-02-18T13:03:52.579Z\"", "\"$12.50\"", "0", "1.5", "19.99", "44",
                     "true", "false", "112.4", "\"a,b:c\"", "\"20 apples\"", "1e21", "1e-7", "\"2014-01-01\"", "-3"},
                    {"null", "\"[object Object]\"", "-0", "\"2014-13-45T00:00:00Z\"", "\"abc\"", "12345678901234567890",
                     "\"2014-01-01T25:99\""});
    }

    std::string value(int depth, bool page)
    {
        const std::size_t kind = below(10);
        if (kind == 0 && (!page || edge()))
            return pick({"[]", "[\"a\"]", "[1,2]", "[\"a\",\"b\"]", "[true,1.5,\"c\"]"},
                        {"[{\"x\":1}]", "[{\"x\":1},{\"y\":2}]", "[[1]]", "[\"a\",null]", "[\"2014-01-01\"]", "[1]",
                         "[\"1abc\"]", "[{\"toString\":1},2]"});
        if (kind <= 2 && (!page || edge()))
            return depth < 3 ? map(depth + 1, 4, false) : edge() ? "{}" : scalar();
        return scalar();
    }

    std::string productList()
    {
        if (edge())
            return pick({"{\"a\":1}", "null", "\"p\"", "[null]", "[\"p\",1]"});
        std::string out = "[";
        const std::size_t n = below(4);
        for (std::size_t i = 0; i < n; ++i) {
            if (i)
                out += ',';
            out += map(1, 6, false);
        }
        out += ']';
        return out;
    }

    std::string map(int depth, std::size_t most, bool page, bool withProducts = false)
    {
        std::string out = "{";
        const std::size_t n = edge() ? below(most + 1) : 1 + below(most);
        std::vector<std::string> used;
        if (withProducts) {
            out += "\"products\":" + productList();
            used.push_back("products");
        }
        for (std::size_t i = 0; i < n; ++i) {
            if (!used.empty())
                out += ',';
            std::string k = key(page);
            // Keys repeat only now and then (JavaScript keeps the first position, the last value).
            if (std::find(used.begin(), used.end(), k) != used.end() && !edge())
                k += "_" + std::to_string(i);
            used.push_back(k);
            out += quoted(k);
            out += ':';
            if ((k == "products" || k == "Products") && depth == 0)
                out += productList();
            else if ((k == "revenue" || k == "Revenue" || k == "total") && !edge())
                out += pick({"112.4", "19.99", "\"$12.50\"", "0", "44", "\"\"", "\"20\""});
            else
                out += value(depth, page);
        }
        out += '}';
        return out;
    }

    std::mt19937 m_rng;
    int m_edgePercent = 0;
};

// How many messages, from which seed: 10,000 from a fixed one by default. For a longer soak,
// KM_GENERATED_MESSAGES and KM_GENERATED_SEED choose others (each seed is a new set).
int generatedCount()
{
    bool ok = false;
    const int n = qEnvironmentVariableIntValue("KM_GENERATED_MESSAGES", &ok);
    return ok && n > 0 ? n : 10000;
}

unsigned generatedSeed()
{
    bool ok = false;
    const int seed = qEnvironmentVariableIntValue("KM_GENERATED_SEED", &ok);
    return ok ? unsigned(seed) : 20261130u;
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
        const Settings settings = settingsFrom(settingsJson);
        Arena arena;
        const std::optional<std::string> wire = wireLine(text, settings, arena);
        if (!wire)
            continue;
        const std::string staged = stagedLine(text, settings, arena);
        if (*wire != staged)
            qWarning("settings %s:\n staged: %s\n wire:   %s", settingsJson, staged.c_str(), wire->c_str());
        QCOMPARE(*wire, staged);
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
    const int count = generatedCount();
    MessageGenerator generator(generatedSeed());
    int taken = 0, posts = 0, orders = 0, compared = 0;
    for (int i = 0; i < count; ++i) {
        const std::string text = generator.message();
        JsonReader check;
        Arena parseArena;
        if (!check.parse(text, parseArena).ok())
            QFAIL(("generated text does not parse: " + text).c_str());
        for (const char *settingsJson : kSettings) {
            const Settings settings = settingsFrom(settingsJson);
            Arena arena;
            const std::optional<std::string> wire = wireLine(text, settings, arena);
            if (!wire)
                continue;
            ++compared;
            const std::string staged = stagedLine(text, settings, arena);
            if (*wire != staged)
                QFAIL(qPrintable(QStringLiteral("message %1, settings %2:\n%3\n staged: %4\n wire:   %5")
                                         .arg(i)
                                         .arg(QLatin1String(settingsJson), QString::fromStdString(text),
                                              QString::fromStdString(staged), QString::fromStdString(*wire))));
            if (settingsJson == kSettings[0]) {
                ++taken;
                posts += wire->find("\nPOST ") != std::string::npos ? 1 : 0;
                orders += wire->find("\"endpoint\":\"s\"") != std::string::npos
                                          && wire->find("\"endpoint\":\"e\"") != std::string::npos
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
    row("long key", ",\"properties\":{\"" + QByteArray(300, 'k') + "\":1}");
    row("revenue unreadable", ",\"properties\":{\"revenue\":\"abc\"}");
    row("numeric length", ",\"properties\":{\"length\":2}");
    row("options", ",\"options\":{\"ip\":\"1.2.3.4\"}");
    row("date-like id", ",\"anonymousId\":\"2014-01-01T00:00:00Z\"");
    row("timestamp number", ",\"timestamp\":1388534400");
    row("one-element date array", ",\"properties\":{\"a\":[\"2014-01-01\"]}");
    QTest::newRow("event not a string") << QByteArray("{\"type\":\"track\",\"event\":5}");
    QTest::newRow("unknown type") << QByteArray("{\"type\":\"other\"}");
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
    // The engine's decoded pairs are what qs::decodePairs reads off its wire.
    QFETCH(QByteArray, message);
    Arena arena;
    JsonReader reader;
    const JsonResult parsed = reader.parse(std::string_view(message.constData(), std::size_t(message.size())), arena);
    QVERIFY(parsed.ok());
    // The pairs may view the settings' API key: the settings outlive them.
    const Settings settings = settingsFrom(kSettings[0]);
    for (EngineId id : {EngineId::SegmentCloud, EngineId::RudderCloud}) {
        TranslateOptions options;
        options.nowMillis = kClockMillis;
        Translation translation;
        Engine::create(id)->translate(parsed.value, settings, Environment(), options, arena, translation);
        for (const HttpRequest &r : translation.requests) {
            if (id == EngineId::RudderCloud)
                continue; // its params are the payload itself
            std::vector<QueryPair> decoded;
            qs::decodePairs(r.wire, arena, decoded);
            QCOMPARE(decoded.size(), r.pairs.size());
            for (std::size_t i = 0; i < decoded.size(); ++i) {
                QCOMPARE(decoded[i].key, r.pairs[i].key);
                QCOMPARE(decoded[i].value, r.pairs[i].value);
                QCOMPARE(decoded[i].bare, r.pairs[i].bare);
            }
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
