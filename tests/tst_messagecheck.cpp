// The shape checks every engine runs first: which warnings a message gets, in which order, with
// which paths.

#include "jsonreader.h"
#include "messagecheck.h"

#include <QTest>

using namespace km;

class TestMessageCheck : public QObject
{
    Q_OBJECT

private slots:
    void warnings_data();
    void warnings();
    void memberFinderFindsEachName();
};

void TestMessageCheck::warnings_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QString>("expected"); // "code@path" in order, joined by spaces

    QTest::newRow("well-formed track") << QByteArray("{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\"}")
                                       << QString();
    QTest::newRow("no type") << QByteArray("{\"event\":\"E\",\"userId\":5}") << QStringLiteral("missing-type@type");
    QTest::newRow("type not text") << QByteArray("{\"type\":3,\"userId\":5}") << QStringLiteral("field-type@type");
    QTest::newRow("fields in fixed order")
            << QByteArray("{\"options\":1,\"context\":[],\"traits\":\"t\",\"properties\":2,\"anonymousId\":{},"
                          "\"userId\":7,"
                          "\"type\":\"identify\"}")
            << QStringLiteral("field-type@userId field-type@anonymousId field-type@properties field-type@traits "
                              "field-type@context field-type@options");
    QTest::newRow("null is fine") << QByteArray(
            "{\"type\":\"track\",\"event\":\"E\",\"userId\":null,\"properties\":null}")
                                  << QString();
    QTest::newRow("track without event") << QByteArray("{\"type\":\"track\"}") << QStringLiteral("missing-event@event");
    QTest::newRow("track with null event")
            << QByteArray("{\"type\":\"track\",\"event\":null}") << QStringLiteral("missing-event@event");
    QTest::newRow("track with numeric event")
            << QByteArray("{\"type\":\"track\",\"event\":12}") << QStringLiteral("field-type@event");
    QTest::newRow("page name and category") << QByteArray("{\"type\":\"page\",\"name\":1,\"category\":true}")
                                            << QStringLiteral("field-type@name field-type@category");
    QTest::newRow("screen like page") << QByteArray("{\"type\":\"screen\",\"category\":[]}")
                                      << QStringLiteral("field-type@category");
    QTest::newRow("group without id") << QByteArray("{\"type\":\"group\",\"traits\":{}}")
                                      << QStringLiteral("missing-group-id@groupId");
    QTest::newRow("group with null id") << QByteArray("{\"type\":\"group\",\"groupId\":null}") << QString();
    QTest::newRow("alias without previous")
            << QByteArray("{\"type\":\"alias\",\"userId\":\"u\"}") << QStringLiteral("missing-previous-id@previousId");
    QTest::newRow("alias with from") << QByteArray("{\"type\":\"alias\",\"from\":\"a\",\"to\":\"b\"}") << QString();
    QTest::newRow("duplicate key: the last value")
            << QByteArray("{\"type\":\"track\",\"event\":1,\"event\":\"E\"}") << QString();
}

void TestMessageCheck::warnings()
{
    QFETCH(QByteArray, message);
    QFETCH(QString, expected);
    Arena arena;
    JsonReader reader;
    const JsonResult parsed =
            reader.parse(std::string_view(message.constData(), static_cast<std::size_t>(message.size())), arena);
    QVERIFY(parsed.ok());
    Translation out;
    checkMessageShape(parsed.value, out);
    QStringList got;
    for (const Warning &w : out.warnings)
        got << QString::fromStdString(w.code + "@" + w.path);
    QCOMPARE(got.join(QLatin1Char(' ')), expected);
}

// The one-pass lookup the checks (and segment-cloud) use, also with more names of one length than
// its buckets hold, and on a value that is not an object.
void TestMessageCheck::memberFinderFindsEachName()
{
    static constexpr std::string_view kFew[] = {"type", "event", "userId"};
    static constexpr std::string_view kMany[] = {"aa", "bb", "cc", "dd", "ee", "ff", "type"};
    const QByteArray text("{\"event\":\"E\",\"ee\":5,\"type\":\"track\",\"zz\":1}");
    Arena arena;
    JsonReader reader;
    const Value message = reader.parse(std::string_view(text.constData(), std::size_t(text.size())), arena).value;

    const Value *few[3];
    MemberFinder(kFew).find(message, few);
    QVERIFY(few[0] && few[0]->toString() == "track");
    QVERIFY(few[1] && few[1]->toString() == "E");
    QVERIFY(!few[2]);

    const Value *many[7];
    MemberFinder(kMany).find(message, many);
    for (int i : {0, 1, 2, 3, 5})
        QVERIFY(!many[i]);
    QVERIFY(many[4] && many[4]->toNumber() == 5);
    QVERIFY(many[6] && many[6]->toString() == "track");

    MemberFinder(kFew).find(Value::string("not an object"), few);
    QVERIFY(!few[0] && !few[1] && !few[2]);
}

QTEST_APPLESS_MAIN(TestMessageCheck)
#include "tst_messagecheck.moc"
