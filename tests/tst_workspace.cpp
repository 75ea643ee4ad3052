#include "calltemplates.h"
#include "jsonformat.h"
#include "preview.h"
#include "workspace.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <string>
#include <vector>

Q_DECLARE_METATYPE(km::EngineId)

namespace {

std::string prettyOf(const std::string &json)
{
    std::string out;
    return km::reformatJson(json, km::JsonStyle::Pretty, &out) ? out : json;
}

std::vector<std::string> callTexts(const km::Workspace &w)
{
    std::vector<std::string> texts;
    for (const km::Call &c : w.calls())
        texts.push_back(c.json);
    return texts;
}

// The order of calls as letters: each test call is {"n":"<letter>"}.
QString order(const km::Workspace &w)
{
    QString letters;
    for (const km::Call &c : w.calls()) {
        const std::size_t value = c.json.find('"', c.json.find(':', c.json.find("\"n\"")));
        letters += QChar::fromLatin1(c.json.at(value + 1));
    }
    return letters;
}

std::string letterCall(char letter)
{
    return std::string("{\"n\":\"") + letter + "\"}";
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestWorkspace : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void newWorkspace();
    void insertAndRemove();
    void insertWithId();
    void duplicate();
    void move_data();
    void move();
    void setCallJson();
    void configuration();
    void comparison();
    void modifiedFlag();
    void roundTrip_data();
    void roundTrip();
    void fileText();
    void invalidCallsAsText();
    void loadErrors_data();
    void loadErrors();
    void loadMissingFile();
    void saveFailure();
    void loadSignals();
    void samples();
    void clear();
    void importCalls_data();
    void importCalls();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestWorkspace::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestWorkspace::newWorkspace()
{
    const km::Workspace w;
    QCOMPARE(w.callCount(), 0);
    QVERIFY(w.calls().empty());
    QVERIFY(w.configuration() == km::Configuration());
    QCOMPARE(w.configuration().engine, km::EngineId::SegmentCloud);
    QVERIFY(!w.comparison());
    QVERIFY(!w.hasComparison());
    QVERIFY(!w.isModified());
    QVERIFY(w.filePath().isEmpty());
    QCOMPARE(w.indexOf(QUuid::createUuid()), -1);
}

void TestWorkspace::insertAndRemove()
{
    km::Workspace w;
    QSignalSpy aboutToInsert(&w, &km::Workspace::callAboutToBeInserted);
    QSignalSpy inserted(&w, &km::Workspace::callInserted);
    QSignalSpy aboutToRemove(&w, &km::Workspace::callAboutToBeRemoved);
    QSignalSpy removed(&w, &km::Workspace::callRemoved);

    // The list is unchanged when "about to" fires and changed when the other one does.
    int countAtAboutTo = -1;
    int countAtDone = -1;
    connect(&w, &km::Workspace::callAboutToBeInserted, this, [&] { countAtAboutTo = w.callCount(); });
    connect(&w, &km::Workspace::callInserted, this, [&] { countAtDone = w.callCount(); });

    const QUuid b = w.appendCall(letterCall('b'));
    QCOMPARE(countAtAboutTo, 0);
    QCOMPARE(countAtDone, 1);
    const QUuid a = w.insertCall(0, letterCall('a'));
    const QUuid d = w.appendCall(letterCall('d'));
    const QUuid c = w.insertCall(2, letterCall('c'));
    const QUuid e = w.insertCall(99, letterCall('e')); // clamped to the end
    const QUuid z = w.insertCall(-5, letterCall('z')); // clamped to the start
    QCOMPARE(order(w), QStringLiteral("zabcde"));
    QCOMPARE(inserted.size(), 6);
    QCOMPARE(aboutToInsert.size(), 6);
    const QList<int> insertedAt = {inserted[0][0].toInt(), inserted[1][0].toInt(), inserted[2][0].toInt(),
                                   inserted[3][0].toInt(), inserted[4][0].toInt(), inserted[5][0].toInt()};
    QCOMPARE(insertedAt, (QList<int>{0, 0, 2, 2, 4, 0}));

    // Ids are distinct, stable and found.
    const QList<QUuid> ids = {z, a, b, c, d, e};
    for (int i = 0; i < ids.size(); ++i) {
        QVERIFY(!ids[i].isNull());
        QCOMPARE(w.indexOf(ids[i]), i);
        QCOMPARE(w.call(i).id, ids[i]);
    }
    QCOMPARE(QSet<QUuid>(ids.begin(), ids.end()).size(), ids.size());

    w.removeCall(0);
    w.removeCall(2);
    QCOMPARE(order(w), QStringLiteral("abde"));
    QCOMPARE(removed.size(), 2);
    QCOMPARE(aboutToRemove.size(), 2);
    QCOMPARE(removed[1][0].toInt(), 2);
    QCOMPARE(w.indexOf(z), -1);
    QCOMPARE(w.indexOf(c), -1);
    QCOMPARE(w.indexOf(d), 2);
}

void TestWorkspace::insertWithId()
{
    km::Workspace w;
    const QUuid a = w.appendCall(letterCall('a'));
    const km::Call removed = w.call(0);
    w.removeCall(0);
    // Undo of a removal: the call comes back with its id.
    QCOMPARE(w.insertCall(0, removed), a);
    QCOMPARE(w.call(0).id, a);
    // An id already in use, or none, is replaced.
    const QUuid other = w.insertCall(1, removed);
    QVERIFY(other != a && !other.isNull());
    const QUuid fresh = w.insertCall(2, km::Call{QUuid(), letterCall('c')});
    QVERIFY(!fresh.isNull());
    QCOMPARE(order(w), QStringLiteral("aac"));
}

void TestWorkspace::duplicate()
{
    km::Workspace w;
    w.appendCall(letterCall('a'));
    const QUuid b = w.appendCall(letterCall('b'));
    w.appendCall(letterCall('c'));
    QSignalSpy inserted(&w, &km::Workspace::callInserted);
    const QUuid copy = w.duplicateCall(1);
    QCOMPARE(order(w), QStringLiteral("abbc"));
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted[0][0].toInt(), 2);
    QVERIFY(copy != b);
    QCOMPARE(w.indexOf(copy), 2);
    QCOMPARE(w.call(2).json, w.call(1).json);
}

void TestWorkspace::move_data()
{
    QTest::addColumn<int>("from");
    QTest::addColumn<int>("to");
    QTest::addColumn<QString>("expected");

    QTest::newRow("first to last") << 0 << 4 << QStringLiteral("bcdea");
    QTest::newRow("last to first") << 4 << 0 << QStringLiteral("eabcd");
    QTest::newRow("down one") << 1 << 2 << QStringLiteral("acbde");
    QTest::newRow("up one") << 3 << 2 << QStringLiteral("abdce");
    QTest::newRow("middle down") << 1 << 3 << QStringLiteral("acdbe");
    QTest::newRow("same place") << 2 << 2 << QStringLiteral("abcde");
}

void TestWorkspace::move()
{
    QFETCH(int, from);
    QFETCH(int, to);
    QFETCH(QString, expected);

    km::Workspace w;
    for (char c : std::string("abcde"))
        w.appendCall(letterCall(c));
    const QUuid moving = w.call(from).id;
    w.setModified(false);
    QSignalSpy aboutToMove(&w, &km::Workspace::callAboutToBeMoved);
    QSignalSpy moved(&w, &km::Workspace::callMoved);
    QString orderAtAboutTo;
    connect(&w, &km::Workspace::callAboutToBeMoved, this, [&] { orderAtAboutTo = order(w); });

    w.moveCall(from, to);
    QCOMPARE(order(w), expected);
    QCOMPARE(w.indexOf(moving), to);
    if (from == to) {
        QCOMPARE(moved.size(), 0);
        QVERIFY(!w.isModified());
        return;
    }
    QCOMPARE(orderAtAboutTo, QStringLiteral("abcde"));
    QCOMPARE(aboutToMove.size(), 1);
    QCOMPARE(moved.size(), 1);
    QCOMPARE(moved[0][0].toInt(), from);
    QCOMPARE(moved[0][1].toInt(), to);
    QVERIFY(w.isModified());
}

void TestWorkspace::setCallJson()
{
    km::Workspace w;
    w.appendCall(letterCall('a'));
    const QUuid id = w.call(0).id;
    w.setModified(false);
    QSignalSpy changed(&w, &km::Workspace::callChanged);

    w.setCallJson(0, "{\"n\":\"b\", broken");
    QCOMPARE(w.call(0).json, std::string("{\"n\":\"b\", broken")); // invalid JSON is kept while typing
    QCOMPARE(w.call(0).id, id);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed[0][0].toInt(), 0);
    QVERIFY(w.isModified());

    w.setModified(false);
    w.setCallJson(0, "{\"n\":\"b\", broken"); // the same text: nothing happens
    QCOMPARE(changed.size(), 1);
    QVERIFY(!w.isModified());
}

void TestWorkspace::configuration()
{
    km::Workspace w;
    QSignalSpy changed(&w, &km::Workspace::configurationChanged);
    QSignalSpy modified(&w, &km::Workspace::modifiedChanged);

    w.setConfiguration(km::Configuration()); // the same: nothing happens
    QCOMPARE(changed.size(), 0);
    QVERIFY(!w.isModified());

    km::Configuration device;
    device.engine = km::EngineId::SegmentDevice;
    device.settings.values().set("prefixProperties", km::Value::boolean(false));
    w.setConfiguration(device);
    QCOMPARE(changed.size(), 1);
    QVERIFY(w.configuration() == device);
    QVERIFY(w.isModified());
    QCOMPARE(modified.size(), 1);
    QCOMPARE(modified[0][0].toBool(), true);
}

void TestWorkspace::comparison()
{
    km::Workspace w;
    QSignalSpy changed(&w, &km::Workspace::comparisonChanged);
    w.clearComparison(); // none yet: nothing happens
    QCOMPARE(changed.size(), 0);
    QVERIFY(!w.isModified());

    km::Configuration rudder;
    rudder.engine = km::EngineId::RudderCloud;
    w.setComparison(rudder);
    QCOMPARE(changed.size(), 1);
    QVERIFY(w.hasComparison());
    QCOMPARE(w.comparison()->engine, km::EngineId::RudderCloud);
    w.setComparison(rudder); // the same
    QCOMPARE(changed.size(), 1);
    w.clearComparison();
    QCOMPARE(changed.size(), 2);
    QVERIFY(!w.comparison());
    QVERIFY(w.isModified());
}

void TestWorkspace::modifiedFlag()
{
    km::Workspace w;
    QSignalSpy modified(&w, &km::Workspace::modifiedChanged);
    w.appendCall(letterCall('a'));
    w.appendCall(letterCall('b'));
    QCOMPARE(modified.size(), 1); // only when the flag flips
    w.setModified(false);
    QCOMPARE(modified.size(), 2);
    QCOMPARE(modified[1][0].toBool(), false);
    w.setModified(false);
    QCOMPARE(modified.size(), 2);

    const QString path = m_dir->filePath(QStringLiteral("m.kmtest.json"));
    w.removeCall(0);
    QVERIFY(w.isModified());
    QVERIFY(w.save(path));
    QVERIFY(!w.isModified());
    w.moveCall(0, 0);
    QVERIFY(!w.isModified());
    w.duplicateCall(0);
    QVERIFY(w.isModified());
    QVERIFY(w.load(path));
    QVERIFY(!w.isModified());
}

void TestWorkspace::roundTrip_data()
{
    QTest::addColumn<std::vector<std::string>>("calls");
    QTest::addColumn<km::EngineId>("engine");
    QTest::addColumn<std::string>("settings");
    QTest::addColumn<bool>("withComparison");

    std::vector<std::string> samples;
    for (const km::CallTemplate &t : km::callTemplates())
        samples.push_back(t.json);
    QTest::newRow("every template, defaults") << samples << km::EngineId::SegmentCloud << std::string() << false;

    // Member order matters to the engines: it must survive, whatever the order.
    const std::vector<std::string> ordered = {
            R"({"userId":"u1","type":"track","event":"Z","properties":{"zeta":1,"alpha":2,"mid":{"y":1,"x":2}}})",
            "{\n    \"type\": \"page\",\n    \"name\": \"Home\"\n}", // 4-space indent: comes back with 2
            R"({"type":"identify","traits":{"big":12345678901234567890,"n":1.50,"e":1e21,"s":"\u00e9\n"}})",
            R"([1, "not a message, but JSON"])",
    };
    QTest::newRow("key order, numbers, odd JSON")
            << ordered << km::EngineId::SegmentDevice
            << std::string(R"({"trackNamedPages":false,"apiKey":"k","custom":{"b":1,"a":2},"prefixProperties":0})")
            << true;

    const std::vector<std::string> broken = {
            "{\"type\": \"track\", \"event\": ", // unfinished
            "",                                  // empty
            "not json at all\nsecond line \"quoted\" \\ backslash",
            R"({"$invalidJson": "a valid call that looks like the wrapper"})",
            R"({"type":"track","event":"lone \ud800 surrogate"})", // parses only with a warning
            R"({"n": 1e400})",                                     // beyond a double: parses only with a warning
            R"({"type":"track","event":"fine"})",
    };
    QTest::newRow("invalid and lossy calls") << broken << km::EngineId::RudderDevice << std::string("{}") << false;
    QTest::newRow("no calls") << std::vector<std::string>() << km::EngineId::RudderCloud << std::string() << true;
}

void TestWorkspace::roundTrip()
{
    QFETCH(std::vector<std::string>, calls);
    QFETCH(km::EngineId, engine);
    QFETCH(std::string, settings);
    QFETCH(bool, withComparison);

    km::Workspace w;
    for (const std::string &c : calls)
        w.appendCall(c);
    km::Configuration config;
    config.engine = engine;
    if (!settings.empty()) {
        std::string error;
        QVERIFY2(km::Settings::fromJson(settings, &config.settings, &error), error.c_str());
    }
    config.environment.values().set("userAgent", km::Value::string("Mozilla/5.0 (iPhone)"));
    w.setConfiguration(config);
    km::Configuration other;
    other.engine = km::EngineId::RudderDevice;
    other.environment = km::Environment();
    if (withComparison)
        w.setComparison(other);

    const QString path = m_dir->filePath(QStringLiteral("round.kmtest.json"));
    QSignalSpy pathChanged(&w, &km::Workspace::filePathChanged);
    QString error;
    QVERIFY2(w.save(path, &error), qPrintable(error));
    QCOMPARE(w.filePath(), path);
    QCOMPARE(pathChanged.size(), 1);
    QVERIFY(!w.isModified());

    km::Workspace loaded;
    QVERIFY2(loaded.load(path, &error), qPrintable(error));
    QCOMPARE(loaded.filePath(), path);
    QVERIFY(!loaded.isModified());
    QCOMPARE(loaded.callCount(), static_cast<int>(calls.size()));
    for (std::size_t i = 0; i < calls.size(); ++i) {
        // Valid JSON comes back pretty-printed; anything else exactly as it was typed.
        km::Arena arena;
        km::JsonReader reader;
        const km::JsonResult parsed = reader.parse(calls[i], arena);
        const bool asValue =
                parsed.ok() && parsed.warnings.empty() && calls[i].find("$invalidJson") == std::string::npos;
        const std::string expected = asValue ? prettyOf(calls[i]) : calls[i];
        QCOMPARE(loaded.call(static_cast<int>(i)).json, expected);
    }
    QVERIFY(loaded.configuration() == w.configuration()); // member order included
    QCOMPARE(loaded.configuration().toJson(), w.configuration().toJson());
    QCOMPARE(loaded.hasComparison(), withComparison);
    if (withComparison)
        QVERIFY(*loaded.comparison() == other);

    // Saving what was loaded gives the same file again.
    const QString again = m_dir->filePath(QStringLiteral("again.kmtest.json"));
    QVERIFY(loaded.save(again, &error));
    QCOMPARE(readFile(again), readFile(path));
}

void TestWorkspace::fileText()
{
    km::Workspace w;
    w.appendCall(R"({"type":"track","userId":"u1","event":"E","properties":{"b":1,"a":[true,null]}})");
    w.appendCall("{\"type\": oops");
    QCOMPARE(w.toJson(), std::string(R"({
  "format": "kmtester-workspace",
  "version": 1,
  "configuration": {
    "engine": "segment-cloud",
    "settings": {
      "apiKey": "",
      "prefixProperties": true,
      "trackCategorizedPages": true,
      "trackNamedPages": true
    },
    "environment": {
      "KM_SKIP_PAGE_VIEW": 1
    }
  },
  "comparison": null,
  "calls": [
    {
      "type": "track",
      "userId": "u1",
      "event": "E",
      "properties": {
        "b": 1,
        "a": [
          true,
          null
        ]
      }
    },
    {
      "$invalidJson": "{\"type\": oops"
    }
  ]
}
)"));
}

void TestWorkspace::invalidCallsAsText()
{
    // A hand-written file: wrapper objects become their text, other values are pretty-printed.
    const QByteArray file = R"({"format":"kmtester-workspace","version":1,"calls":[
        {"$invalidJson": "{ half"},
        {"$invalidJson": 5},
        {"$invalidJson": "x", "other": 1},
        {"type":"page"}
    ]})";
    km::Workspace w;
    QString error;
    QVERIFY2(w.fromJson(std::string_view(file.constData(), static_cast<std::size_t>(file.size())), &error),
             qPrintable(error));
    QCOMPARE(callTexts(w), (std::vector<std::string>{"{ half", "{\n  \"$invalidJson\": 5\n}",
                                                     "{\n  \"$invalidJson\": \"x\",\n  \"other\": 1\n}",
                                                     "{\n  \"type\": \"page\"\n}"}));
    // No configuration in the file: the defaults.
    QVERIFY(w.configuration() == km::Configuration());
    QVERIFY(!w.hasComparison());
}

void TestWorkspace::loadErrors_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("error");

    QTest::newRow("syntax") << QByteArray(
            "{\n  \"format\": \"kmtester-workspace\",\n  \"version\": 1,\n  \"calls\": [,]\n}")
                            << QStringLiteral("line 4, column 13: ");
    QTest::newRow("empty file") << QByteArray("") << QStringLiteral("line 1, column 1: ");
    QTest::newRow("not an object") << QByteArray("\n  [1, 2]")
                                   << QStringLiteral("line 2, column 3: not a kmtester workspace: the file holds no "
                                                     "JSON object");
    QTest::newRow("no format") << QByteArray("{\"version\": 1}")
                               << QStringLiteral("line 1, column 1: not a kmtester workspace: there is no \"format\": "
                                                 "\"kmtester-workspace\"");
    QTest::newRow("other format")
            << QByteArray("{\n  \"format\": \"something-else\",\n  \"version\": 1\n}")
            << QStringLiteral("line 2, column 13: not a kmtester workspace: \"format\" is \"something-else\", expected "
                              "\"kmtester-workspace\"");
    QTest::newRow("a Segment message") << QByteArray(R"({"type":"track","event":"E"})")
                                       << QStringLiteral("line 1, column 1: not a kmtester workspace: there is no "
                                                         "\"format\": \"kmtester-workspace\"");
    QTest::newRow("no version") << QByteArray(R"({"format":"kmtester-workspace"})")
                                << QStringLiteral("line 1, column 1: the workspace has no \"version\"");
    QTest::newRow("newer version")
            << QByteArray("{\n  \"format\": \"kmtester-workspace\",\n  \"version\": 2,\n  \"calls\": []\n}")
            << QStringLiteral("line 3, column 14: unsupported workspace version 2 (this kmtester reads version 1)");
    QTest::newRow("version as text") << QByteArray(R"({"format":"kmtester-workspace","version":"1"})")
                                     << QStringLiteral("line 1, column 42: unsupported workspace version \"1\" (this "
                                                       "kmtester reads version 1)");
    QTest::newRow("unknown engine")
            << QByteArray("{\n  \"format\": \"kmtester-workspace\",\n  \"version\": 1,\n  \"configuration\": {\n"
                          "    \"engine\": \"mixpanel\"\n  }\n}")
            << QStringLiteral(
                       "line 5, column 15: \"configuration\": unknown engine \"mixpanel\" (expected segment-cloud, "
                       "segment-device, rudder-device or rudder-cloud)");
    QTest::newRow("comparison settings not an object")
            << QByteArray(
                       "{\"format\":\"kmtester-workspace\",\"version\":1,\n\"comparison\":{\"engine\":\"rudder-cloud\","
                       "\"settings\":[]}}")
            << QStringLiteral("line 2, column 50: \"comparison\": \"settings\" must be a JSON object");
    QTest::newRow("configuration not an object")
            << QByteArray("{\"format\":\"kmtester-workspace\",\"version\":1,\"configuration\":7}")
            << QStringLiteral("line 1, column 60: \"configuration\": a configuration is a JSON object");
    QTest::newRow("calls not an array") << QByteArray(
            "{\"format\":\"kmtester-workspace\",\"version\":1,\n\n   \"calls\": {}}")
                                        << QStringLiteral("line 3, column 13: \"calls\" must be a JSON array");
}

void TestWorkspace::loadErrors()
{
    QFETCH(QByteArray, file);
    QFETCH(QString, error);

    const QString path = m_dir->filePath(QStringLiteral("bad.kmtest.json"));
    QVERIFY(writeFile(path, file));
    km::Workspace w;
    w.appendCall(letterCall('a'));
    const QUuid id = w.call(0).id;
    QSignalSpy reset(&w, &km::Workspace::callsReset);
    QSignalSpy config(&w, &km::Workspace::configurationChanged);

    QString message;
    QVERIFY(!w.load(path, &message));
    if (error.endsWith(QLatin1String(": ")))
        QVERIFY2(message.startsWith(error) && message.size() > error.size(), qPrintable(message));
    else
        QCOMPARE(message, error);
    // Nothing changed.
    QCOMPARE(w.callCount(), 1);
    QCOMPARE(w.call(0).id, id);
    QVERIFY(w.isModified());
    QVERIFY(w.filePath().isEmpty());
    QCOMPARE(reset.size(), 0);
    QCOMPARE(config.size(), 0);
}

void TestWorkspace::loadMissingFile()
{
    km::Workspace w;
    QString error;
    const QString path = m_dir->filePath(QStringLiteral("missing.kmtest.json"));
    QVERIFY(!w.load(path, &error));
    QVERIFY2(error.startsWith(QStringLiteral("cannot read ") + path + QStringLiteral(": ")), qPrintable(error));
}

void TestWorkspace::saveFailure()
{
    km::Workspace w;
    w.appendCall(letterCall('a'));
    QString error;
    const QString path = m_dir->filePath(QStringLiteral("no/such/dir/x.kmtest.json"));
    QVERIFY(!w.save(path, &error));
    QVERIFY2(error.startsWith(QStringLiteral("cannot write ") + path), qPrintable(error));
    QVERIFY(w.isModified());
    QVERIFY(w.filePath().isEmpty());
}

void TestWorkspace::loadSignals()
{
    km::Workspace source;
    source.appendCall(letterCall('x'));
    km::Configuration device;
    device.engine = km::EngineId::SegmentDevice;
    source.setConfiguration(device);
    source.setComparison(km::Configuration());
    const QString path = m_dir->filePath(QStringLiteral("s.kmtest.json"));
    QVERIFY(source.save(path));

    km::Workspace w;
    w.appendCall(letterCall('a'));
    w.appendCall(letterCall('b'));
    QSignalSpy aboutToReset(&w, &km::Workspace::callsAboutToBeReset);
    QSignalSpy reset(&w, &km::Workspace::callsReset);
    QSignalSpy config(&w, &km::Workspace::configurationChanged);
    QSignalSpy comparison(&w, &km::Workspace::comparisonChanged);
    QSignalSpy modified(&w, &km::Workspace::modifiedChanged);
    QSignalSpy pathChanged(&w, &km::Workspace::filePathChanged);
    int countAtAboutToReset = -1;
    connect(&w, &km::Workspace::callsAboutToBeReset, this, [&] { countAtAboutToReset = w.callCount(); });

    QVERIFY(w.load(path));
    QCOMPARE(countAtAboutToReset, 2);
    QCOMPARE(aboutToReset.size(), 1);
    QCOMPARE(reset.size(), 1);
    QCOMPARE(config.size(), 1);
    QCOMPARE(comparison.size(), 1);
    QCOMPARE(modified.size(), 1);
    QCOMPARE(modified[0][0].toBool(), false);
    QCOMPARE(pathChanged.size(), 1);
    QCOMPARE(order(w), QStringLiteral("x"));

    // Loading the same again: the list is reset, but the configuration did not change.
    QVERIFY(w.load(path));
    QCOMPARE(reset.size(), 2);
    QCOMPARE(config.size(), 1);
    QCOMPARE(comparison.size(), 1);
    QCOMPARE(pathChanged.size(), 1);
}

void TestWorkspace::samples()
{
    km::Workspace w;
    w.appendCall(letterCall('a'));
    QSignalSpy reset(&w, &km::Workspace::callsReset);
    w.loadSamples();
    QCOMPARE(reset.size(), 1);
    const std::vector<const km::CallTemplate *> samples = km::sampleCallTemplates();
    QCOMPARE(w.callCount(), static_cast<int>(samples.size()));
    QCOMPARE(w.callCount(), 7);
    for (int i = 0; i < w.callCount(); ++i)
        QCOMPARE(w.call(i).json, samples[static_cast<std::size_t>(i)]->json);
    QVERIFY(!w.isModified());
    QVERIFY(w.filePath().isEmpty());
    QVERIFY(!w.hasComparison());
    QCOMPARE(w.configuration().engine, km::EngineId::SegmentCloud);
    QCOMPARE(w.configuration().settings.apiKey().toString(), std::string_view("demo-key"));
    QVERIFY(w.configuration().settings.isPrefixProperties(km::EngineId::SegmentCloud));

    // A newcomer sees a working preview: every sample translates with the sample configuration.
    for (const km::Call &c : w.calls()) {
        const km::PreviewResult result = km::translateCall(c.json, w.configuration(), 1577836800000.0);
        QVERIFY(result.isValid);
        QVERIFY2(!result.translation.isRejected(), result.translation.error.c_str());
        QVERIFY(!result.translation.requests.empty());
    }
}

void TestWorkspace::clear()
{
    km::Workspace w;
    w.loadSamples();
    const QString path = m_dir->filePath(QStringLiteral("c.kmtest.json"));
    QVERIFY(w.save(path));
    w.setComparison(km::Configuration());
    QSignalSpy pathChanged(&w, &km::Workspace::filePathChanged);
    QSignalSpy config(&w, &km::Workspace::configurationChanged);
    w.clear();
    QCOMPARE(w.callCount(), 0);
    QVERIFY(w.configuration() == km::Configuration());
    QCOMPARE(config.size(), 1); // the sample API key is gone
    QVERIFY(!w.hasComparison());
    QVERIFY(!w.isModified());
    QVERIFY(w.filePath().isEmpty());
    QCOMPARE(pathChanged.size(), 1);
}

void TestWorkspace::importCalls_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QStringList>("events"); // the "event" (or "type") of each call, in order
    QTest::addColumn<QStringList>("errors");

    QTest::newRow("one message") << QByteArray(R"({"type":"track","event":"A"})") << QStringList{"A"} << QStringList();
    QTest::newRow("one pretty message") << QByteArray("{\n  \"type\": \"track\",\n  \"event\": \"A\"\n}\n")
                                        << QStringList{"A"} << QStringList();
    QTest::newRow("array") << QByteArray(R"([{"type":"track","event":"A"},{"type":"page","name":"P"}])")
                           << QStringList{"A", "page"} << QStringList();
    QTest::newRow("batch body") << QByteArray(
            R"({"batch":[{"type":"track","event":"A"},{"type":"track","event":"B"}],"sentAt":"2020-01-01"})")
                                << QStringList{"A", "B"} << QStringList();
    QTest::newRow("ndjson") << QByteArray(
            "{\"type\":\"track\",\"event\":\"A\"}\n\n{\"type\":\"track\",\"event\":\"B\"}\n")
                            << QStringList{"A", "B"} << QStringList();
    QTest::newRow("ndjson, broken middle line")
            << QByteArray("{\"type\":\"track\",\"event\":\"A\"}\n{\"type\":\"track\", \"event\":}\n"
                          "{\"type\":\"track\",\"event\":\"C\"}\n")
            << QStringList{"A", "C"} << QStringList{"line 2, column 26: "};
    QTest::newRow("array with a non-message") << QByteArray("[\n  {\"type\":\"track\",\"event\":\"A\"},\n  42\n]")
                                              << QStringList{"A"} << QStringList{"line 3, column 3: "};
    QTest::newRow("broken document") << QByteArray("{\"type\": \"track\",\n \"event\": [}") << QStringList()
                                     << QStringList{"line 2, column 12: "};
    QTest::newRow("empty") << QByteArray(" \n ") << QStringList() << QStringList();
    QTest::newRow("a workspace file") << QByteArray(
            R"({"format":"kmtester-workspace","version":1,"calls":[{"type":"track","event":"A"},)"
            R"({"$invalidJson":"{broken"},{"type":"track","event":"B"}]})")
                                      << QStringList{"A", "{broken", "B"} << QStringList();
    QTest::newRow("a workspace file of another version")
            << QByteArray(R"({"format":"kmtester-workspace","version":9,"calls":[]})") << QStringList()
            << QStringList{"line 1, column 42: "};
}

void TestWorkspace::importCalls()
{
    QFETCH(QByteArray, data);
    QFETCH(QStringList, events);
    QFETCH(QStringList, errors);

    const km::ImportResult result = km::importCalls(data);
    QStringList got;
    for (const std::string &call : result.calls) {
        QCOMPARE(call, prettyOf(call)); // pretty-printed, ready for the editor
        km::Arena arena;
        const km::JsonResult parsed = km::parseCall(call, arena);
        if (!parsed.ok()) { // only a workspace file's invalid calls, kept as their text
            got.append(QString::fromStdString(call));
            continue;
        }
        const km::Value label = parsed.value.has("event") ? parsed.value.get("event") : parsed.value.get("type");
        got.append(QString::fromUtf8(label.toString().data(), static_cast<qsizetype>(label.toString().size())));
    }
    QCOMPARE(got, events);
    QCOMPARE(result.errors.size(), errors.size());
    for (int i = 0; i < errors.size(); ++i)
        QVERIFY2(result.errors[i].startsWith(errors[i]) && result.errors[i].size() > errors[i].size(),
                 qPrintable(result.errors[i]));
}

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
