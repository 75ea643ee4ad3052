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

QTEST_APPLESS_MAIN(TestMessageCheck)
#include "tst_messagecheck.moc"
